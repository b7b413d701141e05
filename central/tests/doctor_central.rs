//! `lapak-kiosk doctor`'s central-service line against the real lapak-central: reachable with the clock skew,
//! a kiosk the service does not know, and a service that is down.

mod common;

use std::path::Path;
use std::time::Duration;

use common::*;
use lapak_kiosk::config::{ConfigOrigin, KioskConfig};
use lapak_kiosk::doctor::{self, Check, DoctorOptions, Verdict};
use lapak_kiosk::identity::{KEY_FILE, KioskIdentity};
use lapak_kiosk::kiosk::OUTBOX_FILE;
use lapak_kiosk::outbox::{NikHashKey, Outbox, OutboxLimits};

fn central_line(data: &Path, url: &str) -> Check {
    let text = format!(
        "[storage]\ndata_dir = \"{}\"\nmin_free_mb = 1\n[sync]\ncentral_url = \"{url}\"\n\
         [camera]\nsource = \"simulated:pattern\"\nwidth = 320\nheight = 240\n[printer]\nenabled = false\n",
        data.display()
    );
    let report = doctor::run(
        KioskConfig::parse(&text, ConfigOrigin::File("kiosk.toml".into())),
        DoctorOptions {
            camera_time: Duration::from_millis(300),
            printer_timeout: Duration::from_millis(300),
        },
    );
    report
        .checks
        .into_iter()
        .find(|c| c.part == "central")
        .expect("a central line")
}

/// The data folder `data` of kiosk K001 as provisioning makes it: its key and its outbox beside it.
fn provisioned(data: &Path) -> std::path::PathBuf {
    KioskIdentity::from_parts(Some("K001"), 1, kiosk_key(1))
        .expect("identity")
        .save_new(&data.join(KEY_FILE))
        .expect("key file");
    drop(
        Outbox::open(
            &data.join(OUTBOX_FILE),
            OutboxLimits::default(),
            NikHashKey::derive(&kiosk_key(1)),
        )
        .expect("outbox"),
    );
    data.to_path_buf()
}

#[test]
fn doctor_reports_reachability_clock_skew_and_registration() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(&tmp.path().join("central"), "");
    let data = provisioned(&tmp.path().join("kiosk"));
    central.start();
    let url = central.url();

    let unknown = central_line(&data, &url);
    assert_eq!(unknown.verdict, Verdict::Fault, "{unknown:?}");
    assert!(
        unknown.fix.contains("lapak-central kiosk add --id K001"),
        "{unknown:?}"
    );

    central.add_kiosk("K001", &kiosk_key(1));
    let fine = central_line(&data, &url);
    assert_eq!(fine.verdict, Verdict::Ok, "{fine:?}");
    assert!(
        fine.detail.contains("reachable, clock differs by"),
        "{fine:?}"
    );

    central.stop();
    let down = central_line(&data, &url);
    assert_eq!(down.verdict, Verdict::Fault, "{down:?}");
    assert!(down.detail.contains("not reachable"), "{down:?}");
    assert!(down.fix.contains("claims wait in the outbox"), "{down:?}");
}

#[test]
fn a_doctor_run_by_hand_reports_the_pushed_configuration_version_in_force_to_the_fleet_view() {
    use lapak_kiosk::sync::remote_config::{ConfigFiles, RemoteState};
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(&tmp.path().join("central"), &fleet_token_config());
    let data = provisioned(&tmp.path().join("kiosk"));
    // The running kiosk applied version 4 of a pushed configuration.
    ConfigFiles::new(tmp.path().join("kiosk.toml"), &data)
        .save_state(&RemoteState {
            version: Some(4),
            ..RemoteState::default()
        })
        .expect("state");
    central.add_kiosk("K001", &kiosk_key(1));
    central.start();
    let fine = central_line(&data, &central.url());
    assert_eq!(fine.verdict, Verdict::Ok, "{fine:?}");
    let fleet: serde_json::Value = fleet_get(&central.url(), "v1/fleet")
        .json()
        .expect("fleet json");
    let kiosk = fleet["kiosks"]
        .as_array()
        .and_then(|k| k.iter().find(|k| k["id"] == "K001"))
        .cloned()
        .expect("K001 on the fleet view");
    assert_eq!(kiosk["config_version"], 4, "{kiosk}");
}
