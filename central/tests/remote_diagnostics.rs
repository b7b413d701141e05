//! Diagnostics on request and version withdrawal, end to end with the real lapak-central and the kiosk's
//! heartbeat loop: staff ask for a bundle, the kiosk uploads it with every personal field removed, staff fetch
//! it; a withdrawn version raises an alert on the kiosks running it.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use common::*;
use lapak_kiosk::sync::api::DeviceHealth;
use lapak_kiosk::sync::care::Care;
use lapak_kiosk::sync::diagnostics::{Diagnostics, DiagnosticsSources};
use lapak_kiosk::sync::heartbeat::{HeartbeatSources, HeartbeatWorker};
use lapak_kiosk::sync::remote_config::RemoteCare;
use lapak_kiosk::sync::{CentralClient, ClaimQueue};

/// Starts the kiosk's heartbeat loop with remote care answering diagnostics requests from `queue`.
fn heartbeat(central: &Central, kiosk_toml: &Path, queue: Arc<dyn ClaimQueue>) -> HeartbeatWorker {
    let key = kiosk_key(1);
    let client = CentralClient::new(&sync_config(&central.url()), credentials("K001", &key))
        .expect("client");
    let care = Care {
        config: RemoteCare::new(
            Some(kiosk_toml.to_path_buf()),
            "",
            Box::new(|_| Ok(())),
            Box::new(|_| {}),
        ),
        diagnostics: Some(Diagnostics::new(DiagnosticsSources {
            config_file: Some(kiosk_toml.to_path_buf()),
            devices: Box::new(DeviceHealth::default),
            queue: queue.clone(),
            logs: Box::new(lapak_kiosk::log_ring::lines),
        })),
    };
    HeartbeatWorker::spawn(
        client,
        HeartbeatSources {
            devices: Box::new(DeviceHealth::default),
            last_upload_error: Box::new(|| None),
            delivery_alert: Box::new(|| None),
            queue,
            data_dir: kiosk_toml.parent().expect("folder").to_path_buf(),
            care: Some(Arc::new(care)),
        },
    )
    .expect("heartbeat worker")
}

#[test]
fn a_requested_bundle_arrives_with_its_sections_and_none_of_the_claims_personal_data() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(&tmp.path().join("central"), &fleet_token_config());
    let key = kiosk_key(1);
    central.add_kiosk("K001", &key);
    central.start();
    let kiosk_dir = tmp.path().join("kiosk");
    std::fs::create_dir_all(&kiosk_dir).expect("mkdir");
    let kiosk_toml = kiosk_dir.join("kiosk.toml");
    std::fs::write(
        &kiosk_toml,
        format!(
            "[storage]\ndata_dir = \"{}\"\n",
            kiosk_dir.join("data").display()
        ),
    )
    .expect("kiosk.toml");
    // Claims wait in the outbox (not sent): their personal data is on this kiosk.
    let outbox = Arc::new(outbox(&kiosk_dir.join("outbox"), &key));
    let manifests = submit_claims(&outbox, 1, 3, "K001", &key, &central.recipient, 2_000);
    // A log line that (against the rules) carried personal data: the bundle must not.
    let m = &manifests[0];
    lapak_kiosk::log_ring::push(&format!(
        "WARN claim saved nik={} name=\"{}\" phone={} account={}",
        m.fields.nik, m.fields.name, m.fields.phone, m.bank.account_number
    ));
    lapak_kiosk::log_ring::push("INFO heartbeat answered skew_ms=3");

    let request = central
        .cli(&["kiosk", "diagnose", "K001"])
        .trim()
        .to_owned();
    assert_eq!(request.len(), 36, "a request id: {request}");
    let worker = heartbeat(&central, &kiosk_toml, outbox.clone());
    let out = tmp.path().join("bundle.json");
    let fetched = wait_until(Duration::from_secs(20), || {
        std::process::Command::new(CENTRAL)
            .arg("--config")
            .arg(&central.config)
            .args(["diagnostics", "get", &request, "--out"])
            .arg(&out)
            .output()
            .is_ok_and(|o| o.status.success())
    });
    worker.stop();
    assert!(fetched, "the bundle never arrived");
    let text = std::fs::read_to_string(&out).expect("bundle");

    for m in &manifests {
        let f = &m.fields;
        let phone_digits = f.phone.trim_start_matches('+');
        for personal in [
            f.nik.as_str(),
            f.kpj.as_str(),
            f.name.as_str(),
            f.mother_maiden_name.as_str(),
            phone_digits,
            m.bank.account_number.as_str(),
            m.bank.holder.as_str(),
        ] {
            assert!(!text.contains(personal), "the bundle holds {personal:?}");
        }
    }
    let bundle: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(bundle["request"], request.as_str());
    // The doctor's checks that run beside the kiosk: it leaves the camera, printer and speaker to the kiosk's
    // own workers (their states are under "devices") and sends no heartbeat of its own.
    let parts: Vec<&str> = bundle["doctor"]["checks"]
        .as_array()
        .expect("doctor checks")
        .iter()
        .filter_map(|c| c["part"].as_str())
        .collect();
    assert_eq!(parts, ["config", "data", "key", "outbox"], "{text}");
    assert_eq!(bundle["outbox"]["pending"], 3);
    assert!(bundle["devices"]["printer"].is_string());
    assert_eq!(bundle["package"], "source");
    let logs = bundle["logs"].as_array().expect("logs");
    assert!(
        logs.iter()
            .any(|l| l == "INFO heartbeat answered skew_ms=3"),
        "{logs:?}"
    );
    // The line stays, each personal value replaced by a marker.
    assert!(
        logs.iter().any(|l| l
            == "WARN claim saved nik=[removed] name=\"[removed]\" phone=[removed] account=[removed]"),
        "{logs:?}"
    );
    // The claims' photos are 2 kB each here; the bundle has no field for a photo or a screenshot at all.
    let mut sections: Vec<&String> = bundle.as_object().expect("object").keys().collect();
    sections.sort();
    assert_eq!(
        sections,
        [
            "config", "devices", "doctor", "logs", "made_at", "outbox", "package", "request",
            "version"
        ]
    );
    central.stop();
}

#[test]
fn a_withdrawn_version_raises_an_alert_on_the_kiosks_reporting_it_with_their_package_state() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(&tmp.path().join("central"), &fleet_token_config());
    let key = kiosk_key(1);
    central.add_kiosk("K001", &key);
    central.start();
    let kiosk_dir = tmp.path().join("kiosk");
    std::fs::create_dir_all(&kiosk_dir).expect("mkdir");
    let kiosk_toml = kiosk_dir.join("kiosk.toml");
    std::fs::write(&kiosk_toml, "").expect("kiosk.toml");
    let worker = heartbeat(&central, &kiosk_toml, Arc::new(outbox(&kiosk_dir, &key)));
    let version = env!("CARGO_PKG_VERSION");
    let fleet = |check: &dyn Fn(&serde_json::Value) -> bool| {
        let mut last = serde_json::Value::Null;
        let seen = wait_until(Duration::from_secs(15), || {
            let v: serde_json::Value = fleet_get(&central.url(), "v1/fleet").json().expect("json");
            last = v["kiosks"][0].clone();
            check(&last)
        });
        assert!(seen, "never: {last}");
        last
    };
    let kiosk = fleet(&|k| k["version"].is_string());
    assert_eq!(kiosk["package"], "source");
    assert!(
        !kiosk["alerts"].to_string().contains("withdrawn_version"),
        "{kiosk}"
    );
    central.cli(&[
        "version",
        "withdraw",
        version,
        "--reason",
        "prints no QR code",
    ]);
    assert!(
        central
            .cli(&["version", "list"])
            .contains("prints no QR code")
    );
    let kiosk = fleet(&|k| k["alerts"].to_string().contains("withdrawn_version"));
    assert_eq!(kiosk["version"], version);
    let html = fleet_get(&central.url(), "fleet").text().expect("html");
    assert!(
        html.contains("runs a withdrawn version") && html.contains("(source)"),
        "{html}"
    );
    worker.stop();
    central.stop();
}
