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

#[test]
fn doctor_reports_reachability_clock_skew_and_registration() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(&tmp.path().join("central"), "");
    let data = tmp.path().join("kiosk");
    KioskIdentity::from_parts(Some("K001"), 1, kiosk_key(1))
        .expect("identity")
        .save_new(&data.join(KEY_FILE))
        .expect("key file");
    // The kiosk's outbox beside its key, as provisioning makes it.
    drop(
        Outbox::open(
            &data.join(OUTBOX_FILE),
            OutboxLimits::default(),
            NikHashKey::derive(&kiosk_key(1)),
        )
        .expect("outbox"),
    );
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
