//! A remote configuration the kiosk applied (src/sync/remote_config.rs) reaches the screens the way "reload
//! config" does, but only between participants: never in the middle of a session, and without the staff's note
//! on the public home screen.
#![cfg(feature = "ui")]
// Helpers here are test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod common;
mod journey;

use journey::*;
use lapak_kiosk::config::{ConfigOrigin, KioskConfig};
use lapak_kiosk::sync::remote_config::hand_to_screens;
use lapak_kiosk::ui::Message;
use lapak_kiosk::ui::idle::IdleState;
use lapak_kiosk::ui::screen::Target;

#[test]
fn a_remote_configuration_waits_for_the_session_to_end_and_is_then_taken_without_a_notice() {
    let Kiosk { mut app, _dir, .. } = kiosk();
    // The shipped file with a session that asks "Masih di sana?" after 20 s instead of 90.
    let shipped = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/kiosk-config/kiosk.toml"
    ))
    .unwrap();
    assert!(shipped.contains("\nidle_after_secs = 90\n"));
    let pushed = shipped.replace("\nidle_after_secs = 90\n", "\nidle_after_secs = 20\n");
    let loaded = KioskConfig::parse(&pushed, ConfigOrigin::File("kiosk.toml".into())).unwrap();
    assert_eq!(loaded.config.session.idle_after_secs, 20);

    // It arrives while a participant is answering: their session keeps its 90 s.
    to_identity(&mut app);
    hand_to_screens(loaded);
    for _ in 0..25 {
        send(&mut app, Message::Tick(now()));
    }
    assert_eq!(
        app.idle_state(),
        IdleState::Active,
        "the session keeps 90 s"
    );
    assert_eq!(app.screen().target(), Target::Identity);

    // The session ends (nobody answers "Masih di sana?"); the next tick on the home screen takes it.
    for _ in 0..200 {
        if app.screen().target() == Target::Home {
            break;
        }
        send(&mut app, Message::Tick(now()));
    }
    assert_eq!(app.screen().target(), Target::Home);
    send(&mut app, Message::Tick(now()));
    assert_eq!(app.notice(), None, "no staff note on the public screen");

    // The next participant's session asks after 20 s.
    to_identity(&mut app);
    for _ in 0..20 {
        send(&mut app, Message::Tick(now()));
    }
    assert!(matches!(app.idle_state(), IdleState::Countdown { .. }));
}
