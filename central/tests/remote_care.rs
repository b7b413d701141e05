//! Remote care end to end on loopback, with the real lapak-central and the kiosk's heartbeat loop: a pushed
//! configuration reaches the kiosk and is applied; a tampered one is refused; an invalid one or one the kiosk
//! is unhealthy with leaves (or puts back) the last good file, and `/fleet` reports it.

mod common;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use lapak_kiosk::config::LoadedConfig;
use lapak_kiosk::sync::CentralClient;
use lapak_kiosk::sync::api::DeviceHealth;
use lapak_kiosk::sync::care::Care;
use lapak_kiosk::sync::heartbeat::{HeartbeatSources, HeartbeatWorker};
use lapak_kiosk::sync::remote_config::{self, MAX_UNCONFIRMED_STARTS, RemoteCare};

/// A started central service with kiosk K001 registered, and the kiosk's folder with its kiosk.toml trusting
/// the service's configuration key.
struct Setup {
    _tmp: tempfile::TempDir,
    central: Central,
    kiosk_toml: PathBuf,
    worker: Option<HeartbeatWorker>,
    /// The configurations handed to the running kiosk, newest last.
    applied: Arc<Mutex<Vec<LoadedConfig>>>,
}

fn setup() -> Setup {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(&tmp.path().join("central"), &fleet_token_config());
    central.add_kiosk("K001", &kiosk_key(1));
    central.start();
    let config_key = central.cli(&["config", "key"]).trim().to_owned();
    let kiosk_dir = tmp.path().join("kiosk");
    std::fs::create_dir_all(&kiosk_dir).expect("mkdir");
    let kiosk_toml = kiosk_dir.join("kiosk.toml");
    std::fs::write(
        &kiosk_toml,
        format!(
            "# this kiosk\n[kiosk]\nlocation = \"Kantor Lama\"\n\n[storage]\ndata_dir = \"{}\"\n\n[central]\nconfig_key = \"{config_key}\"\n",
            kiosk_dir.join("data").display()
        ),
    )
    .expect("write kiosk.toml");
    Setup {
        _tmp: tmp,
        central,
        kiosk_toml,
        worker: None,
        applied: Arc::default(),
    }
}

impl Setup {
    /// Starts the kiosk's heartbeat loop with remote care, the real health check, and the hand-over to the
    /// running kiosk recorded in `applied`.
    fn start_kiosk(&mut self) {
        let key = kiosk_key(1);
        let client =
            CentralClient::new(&sync_config(&self.central.url()), credentials("K001", &key))
                .expect("client");
        let dir = self.kiosk_toml.parent().expect("folder").to_path_buf();
        let care = Care {
            config: RemoteCare::new(
                Some(self.kiosk_toml.clone()),
                &lapak_kiosk::config::KioskConfig::load(Some(&self.kiosk_toml))
                    .expect("kiosk.toml loads")
                    .config
                    .central
                    .config_key,
                Box::new(remote_config::devices_exist),
                Box::new({
                    let applied = self.applied.clone();
                    move |loaded| applied.lock().expect("applied").push(loaded)
                }),
            ),
            diagnostics: None,
        };
        self.worker = Some(
            HeartbeatWorker::spawn(
                client,
                HeartbeatSources {
                    devices: Box::new(DeviceHealth::default),
                    last_upload_error: Box::new(|| None),
                    delivery_alert: Box::new(|| None),
                    queue: Arc::new(outbox(&dir.join("outbox"), &key)),
                    data_dir: dir,
                    care: Some(Arc::new(care)),
                },
            )
            .expect("heartbeat worker"),
        );
    }

    /// Stops the kiosk's heartbeat loop (the kiosk program ends).
    fn stop_kiosk(&mut self) {
        if let Some(worker) = self.worker.take() {
            worker.stop();
        }
    }

    /// The locations of the configurations handed to the running kiosk, in order.
    fn applied_locations(&self) -> Vec<String> {
        self.applied
            .lock()
            .expect("applied")
            .iter()
            .map(|loaded| loaded.config.kiosk.location.clone())
            .collect()
    }

    fn push(&self, toml: &str) -> String {
        let file = self.kiosk_toml.with_file_name("push.toml");
        std::fs::write(&file, toml).expect("write push file");
        self.central.cli(&[
            "config",
            "push",
            "--kiosk",
            "K001",
            file.to_str().expect("utf-8 path"),
        ])
    }

    fn kiosk_text(&self) -> String {
        std::fs::read_to_string(&self.kiosk_toml).expect("kiosk.toml")
    }

    /// The configuration in force: kiosk.toml as a load of it sees it, the pushed keys set over it.
    fn in_force(&self) -> lapak_kiosk::config::KioskConfig {
        lapak_kiosk::config::KioskConfig::load(Some(&self.kiosk_toml))
            .expect("load kiosk.toml")
            .config
    }

    fn files(&self) -> remote_config::ConfigFiles {
        remote_config::ConfigFiles::for_config(&self.kiosk_toml).expect("kiosk.toml")
    }

    /// The kiosk's entry in `/v1/fleet`, once `check` holds for it (panics after 15 s).
    fn fleet_kiosk_when(&self, check: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
        let mut last = serde_json::Value::Null;
        let seen = wait_until(Duration::from_secs(15), || {
            let fleet: serde_json::Value = fleet_get(&self.central.url(), "v1/fleet")
                .json()
                .expect("fleet json");
            last = fleet["kiosks"][0].clone();
            check(&last)
        });
        assert!(seen, "the fleet never showed it: {last}");
        last
    }
}

impl Drop for Setup {
    fn drop(&mut self) {
        if let Some(worker) = self.worker.take() {
            worker.stop();
        }
        self.central.stop();
    }
}

#[test]
fn a_pushed_configuration_reaches_the_kiosk_is_applied_and_the_fleet_shows_its_version() {
    let mut s = setup();
    let before = s.kiosk_text();
    s.start_kiosk();
    let pushed =
        s.push("[kiosk]\nlocation = \"Kantor Baru\"\n\n[help]\nphone = \"021 5550 175\"\n");
    assert!(
        pushed.contains("configuration version 1 pushed to kiosk:K001"),
        "{pushed}"
    );
    let kiosk = s.fleet_kiosk_when(|k| k["config_version"] == 1);
    assert_eq!(kiosk["config_failed"], serde_json::Value::Null);
    assert!(
        !kiosk["alerts"].to_string().contains("config_failed"),
        "{kiosk}"
    );
    let now = s.in_force();
    assert_eq!(
        (now.kiosk.location.as_str(), now.help.phone.as_str()),
        ("Kantor Baru", "021 5550 175")
    );
    assert!(!now.central.config_key.is_empty(), "the local keys stay");
    assert_eq!(s.kiosk_text(), before, "kiosk.toml itself is never written");
    assert_eq!(
        std::fs::read_to_string(s.files().last_good()).expect("last good"),
        "",
        "before it: kiosk.toml alone"
    );
    assert_eq!(
        s.applied_locations(),
        ["Kantor Baru"],
        "handed to the running kiosk once"
    );
    let html = fleet_get(&s.central.url(), "fleet").text().expect("html");
    assert!(html.contains("remote version 1"), "{html}");
}

#[test]
fn a_configuration_with_a_tampered_signature_is_refused_and_the_kiosk_keeps_its_own() {
    let mut s = setup();
    let before = s.kiosk_text();
    s.push("[kiosk]\nlocation = \"Kantor Baru\"\n");
    // Someone with the database (not the key) changes the text after it was signed.
    let db = rusqlite::Connection::open(s.central.dir.join("central.sqlite")).expect("open db");
    db.execute(
        "UPDATE remote_configs SET toml = '[kiosk]\nlocation = \"Tempat Lain\"\n' WHERE version = 1",
        [],
    )
    .expect("tamper");
    drop(db);
    s.start_kiosk();
    let kiosk = s.fleet_kiosk_when(|k| k["config_failed"]["version"] == 1);
    assert!(
        kiosk["config_failed"]["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("signature"),
        "{kiosk}"
    );
    assert!(
        kiosk["alerts"].to_string().contains("config_failed"),
        "{kiosk}"
    );
    assert_eq!(kiosk["config_version"], serde_json::Value::Null);
    assert_eq!(s.kiosk_text(), before);
    assert_eq!(s.in_force().kiosk.location, "Kantor Lama");
    assert!(s.applied_locations().is_empty());
}

#[test]
fn an_invalid_or_unhealthy_configuration_leaves_the_last_good_file_and_the_fleet_reports_it() {
    let mut s = setup();
    s.start_kiosk();
    s.push("[kiosk]\nlocation = \"Kantor Baru\"\n");
    s.fleet_kiosk_when(|k| k["config_version"] == 1);
    let good = std::fs::read_to_string(s.files().applied()).expect("applied overlay");
    let in_force_good = |s: &Setup| {
        let now = s.in_force();
        assert_eq!(now.kiosk.location, "Kantor Baru");
        assert_ne!(now.storage.max_pending, 0);
        assert!(
            !now.printer.port.contains("no-such-printer"),
            "{}",
            now.printer.port
        );
        assert_eq!(
            std::fs::read_to_string(s.files().applied()).expect("applied overlay"),
            good
        );
    };

    // Invalid: fails the kiosk's own configuration check; never written.
    s.push("[storage]\nmax_pending = 0\n");
    let kiosk = s.fleet_kiosk_when(|k| k["config_failed"]["version"] == 2);
    assert!(
        kiosk["config_failed"]["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("storage.max_pending"),
        "{kiosk}"
    );
    assert_eq!(kiosk["config_version"], 1);
    in_force_good(&s);

    // Unhealthy: valid, but names a printer that is not there; written, then rolled back.
    s.push("[printer]\nport = \"/dev/serial/by-id/no-such-printer\"\n");
    let kiosk = s.fleet_kiosk_when(|k| k["config_failed"]["version"] == 3);
    let reason = kiosk["config_failed"]["reason"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        reason.contains("not healthy") && reason.contains("printer.port"),
        "{reason}"
    );
    assert_eq!(kiosk["config_version"], 1);
    in_force_good(&s);
    // The running kiosk got version 1, then the last good file (version 1) again after the rollback.
    assert_eq!(s.applied_locations(), ["Kantor Baru", "Kantor Baru"]);
    let html = fleet_get(&s.central.url(), "fleet").text().expect("html");
    assert!(
        html.contains("configuration version 3 not applied"),
        "{html}"
    );
}

#[test]
fn a_configuration_the_kiosk_keeps_failing_to_start_with_is_put_back_at_start_and_the_fleet_reports_it()
 {
    let mut s = setup();
    let before = s.kiosk_text();
    s.start_kiosk();
    s.push("[kiosk]\nlocation = \"Kantor Baru\"\n");
    s.fleet_kiosk_when(|k| k["config_version"] == 1);
    // The kiosk program dies soon after every start with it (before running 60 s healthy): each start counts,
    // as `lapak-kiosk` counts it before reading its configuration.
    s.stop_kiosk();
    for start in 1..MAX_UNCONFIRMED_STARTS {
        assert_eq!(
            remote_config::note_start(&s.kiosk_toml),
            None,
            "start {start}"
        );
        assert_eq!(s.in_force().kiosk.location, "Kantor Baru");
    }
    let rolled_back = remote_config::note_start(&s.kiosk_toml).expect("rolled back at start");
    assert!(rolled_back.contains("version 1"), "{rolled_back}");
    assert_eq!(s.kiosk_text(), before);
    assert_eq!(s.in_force().kiosk.location, "Kantor Lama");

    s.start_kiosk();
    let kiosk = s.fleet_kiosk_when(|k| k["config_failed"]["version"] == 1);
    assert!(
        kiosk["config_failed"]["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("did not come up healthy"),
        "{kiosk}"
    );
    assert_eq!(kiosk["config_version"], serde_json::Value::Null);
    assert!(
        kiosk["alerts"].to_string().contains("config_failed"),
        "{kiosk}"
    );
    // Heartbeats go on offering version 1; the kiosk does not take it again.
    let heard = kiosk["last_heard_at"].clone();
    s.fleet_kiosk_when(|k| k["last_heard_at"] != heard);
    let heard = s.fleet_kiosk_when(|_| true)["last_heard_at"].clone();
    s.fleet_kiosk_when(|k| k["last_heard_at"] != heard);
    assert_eq!(s.in_force().kiosk.location, "Kantor Lama");
    assert_eq!(s.applied_locations(), ["Kantor Baru"]);
}

#[test]
fn a_kiosk_that_cannot_write_its_pushed_configuration_folder_refuses_the_push_and_the_fleet_says_why()
 {
    let mut s = setup();
    let before = s.kiosk_text();
    // Folders stand where the last good overlay and the state would be written (a broken data folder).
    std::fs::create_dir_all(s.files().last_good()).expect("mkdir");
    std::fs::create_dir_all(s.files().state_file()).expect("mkdir");
    s.start_kiosk();
    s.push("[kiosk]\nlocation = \"Kantor Baru\"\n");
    let kiosk = s.fleet_kiosk_when(|k| k["config_failed"]["version"] == 1);
    assert!(
        kiosk["config_failed"]["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("cannot write"),
        "{kiosk}"
    );
    assert_eq!(kiosk["config_version"], serde_json::Value::Null);
    assert_eq!(s.kiosk_text(), before);
    assert_eq!(s.in_force().kiosk.location, "Kantor Lama");
    assert!(s.applied_locations().is_empty());
}

#[test]
fn a_push_setting_a_local_only_key_is_refused_by_the_command() {
    let s = setup();
    let file = s.kiosk_toml.with_file_name("push.toml");
    std::fs::write(
        &file,
        "[sync]\ncentral_url = \"http://elsewhere.example\"\n",
    )
    .expect("write");
    let out = std::process::Command::new(CENTRAL)
        .arg("--config")
        .arg(&s.central.config)
        .args(["config", "push", "--kiosk", "K001"])
        .arg(&file)
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("sync.central_url"));
}
