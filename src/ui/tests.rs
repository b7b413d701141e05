//! The root's own tests.

use std::time::Duration;

use super::*;

#[test]
fn every_clock_tick_in_the_ui_loop_feeds_the_systemd_watchdog() {
    use std::os::unix::net::UnixDatagram;
    let dir = tempfile::tempdir().expect("temp folder");
    let path = dir.path().join("notify");
    let systemd = UnixDatagram::bind(&path).expect("bind");
    systemd
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let service = crate::service_notify::ServiceNotifier::for_socket(&path.to_string_lossy())
        .expect("notifier");
    let devices = Devices {
        service: Some(Arc::new(service)),
        ..Devices::default()
    };
    let context = UiContext::with_shipped_tables(UiSettings::default(), devices).expect("tables");
    let mut app = App::new(context, Local::now());
    let next = || {
        let mut buffer = [0u8; 32];
        let n = systemd.recv(&mut buffer).expect("a notification");
        String::from_utf8_lossy(&buffer[..n]).into_owned()
    };
    // Nothing before the loop runs.
    systemd.set_nonblocking(true).expect("nonblocking");
    assert!(systemd.recv(&mut [0u8; 8]).is_err());
    systemd.set_nonblocking(false).expect("blocking");
    let _ = app.update(Message::Tick(Local::now()));
    assert_eq!(next(), "READY=1");
    assert_eq!(next(), "WATCHDOG=1");
    let _ = app.update(Message::Tick(Local::now()));
    assert_eq!(next(), "WATCHDOG=1");
}
