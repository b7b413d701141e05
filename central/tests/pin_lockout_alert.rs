//! A maintenance PIN locked after wrong tries reaches the fleet page: the kiosk's heartbeat reads the lock-out
//! kept in its data folder and the real lapak-central shows the `pin_locked` alert while it lasts.

mod common;

use common::*;
use lapak_kiosk::pin_lockout::{MAX_TRIES, PIN_LOCKOUT_FILE, PinLockout};
use lapak_kiosk::sync::CentralClient;
use lapak_kiosk::sync::api::DeviceHealth;
use lapak_kiosk::sync::heartbeat;

fn alerts(central: &Central) -> serde_json::Value {
    let fleet: serde_json::Value = fleet_get(&central.url(), "v1/fleet")
        .json()
        .expect("fleet json");
    fleet["kiosks"][0]["alerts"].clone()
}

#[test]
fn a_pin_lockout_on_the_kiosk_is_a_fleet_alert_until_it_ends() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(&tmp.path().join("central"), &fleet_token_config());
    let key = kiosk_key(1);
    central.add_kiosk("K001", &key);
    central.start();
    let kiosk_dir = tmp.path().join("kiosk");
    let outbox = outbox(&kiosk_dir, &key);
    let client = CentralClient::new(&sync_config(&central.url()), credentials("K001", &key))
        .expect("client");
    let beat = |now| {
        let beat = heartbeat::collect(&DeviceHealth::default(), &outbox, &kiosk_dir, None, now);
        heartbeat::send(&client, &beat).expect("heartbeat answered");
        beat
    };

    let now = chrono::Utc::now();
    assert_eq!(beat(now).pin_locked_until, None);
    assert_eq!(alerts(&central), serde_json::json!([]));

    // Five wrong PINs on the kiosk: the lock-out is written to the data folder.
    let mut lockout = PinLockout::default();
    for _ in 0..MAX_TRIES {
        lockout.wrong_pin(now);
    }
    lockout
        .save(&kiosk_dir.join(PIN_LOCKOUT_FILE))
        .expect("lock-out saved");
    let sent = beat(now);
    assert_eq!(sent.pin_locked_until, lockout.locked_until);
    assert_eq!(alerts(&central), serde_json::json!(["pin_locked"]));
    let page = fleet_get(&central.url(), "fleet").text().expect("html");
    assert!(page.contains("maintenance PIN locked"), "{page}");

    // Once the lock-out is over, the next heartbeat clears the alert.
    let after = lockout.locked_until.expect("locked") + chrono::TimeDelta::seconds(1);
    assert_eq!(beat(after).pin_locked_until, None);
    assert_eq!(alerts(&central), serde_json::json!([]));
    central.stop();
}
