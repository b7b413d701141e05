//! The "Aa" switch: large text on every screen, laid out as the kiosk window lays it out (the window's
//! logical size is the screen's 1280x800 divided by the app's scale factor), snapshots of the main screens in
//! both sizes, and the session that ends in normal text and the configured language.
#![cfg(feature = "ui")]
// Helpers here are test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod common;
mod journey;

use std::sync::{Arc, Mutex};

use iced::Rectangle;
use iced_test::Simulator;
use iced_test::selector::Candidate;
use journey::*;
use lapak_kiosk::i18n::Language;
use lapak_kiosk::ui::screen::Target;
use lapak_kiosk::ui::text_size::LARGE_BODY;
use lapak_kiosk::ui::{App, Message, theme};

/// The kiosk screen's size in physical pixels.
const SCREEN: (f32, f32) = (1280.0, 800.0);

/// The app as the kiosk window shows it: laid out in the window's logical size at the app's scale factor.
fn window(app: &App) -> Simulator<'_, Message> {
    let scale = app.scale_factor();
    Simulator::with_size(
        theme::settings(),
        (SCREEN.0 / scale, SCREEN.1 / scale),
        app.view(),
    )
}

/// Every text on the current screen with its bounds in the window's logical pixels.
fn texts(app: &App) -> Vec<(String, Rectangle)> {
    let found = Arc::new(Mutex::new(Vec::new()));
    let collect = Arc::clone(&found);
    // The selector never matches, so it visits the whole tree.
    let _ = window(app).find(move |candidate: Candidate<'_>| -> Option<()> {
        if let Candidate::Text {
            content, bounds, ..
        } = candidate
        {
            collect.lock().unwrap().push((content.to_owned(), bounds));
        }
        None
    });
    // The selector (and its handle on the list) is gone once the search is over.
    Arc::try_unwrap(found).unwrap().into_inner().unwrap()
}

fn assert_snapshot(app: &App, name: &str) {
    assert_eq!(
        std::env::var("ICED_TEST_BACKEND").as_deref(),
        Ok("tiny-skia"),
        "snapshots are pinned to the tiny-skia renderer (see .cargo/config.toml)"
    );
    let snapshot = window(app).snapshot(&theme::kiosk()).unwrap();
    let path = format!("{}/tests/snapshots/{name}", env!("CARGO_MANIFEST_DIR"));
    assert!(
        snapshot.matches_hash(&path).unwrap(),
        "screen {name} changed: look at it, then delete tests/snapshots/{name}-*.sha256 to accept it"
    );
}

/// Home, consent, the NIK question and the reason list, in the order a participant meets them; `at` is
/// called on each.
fn walk_main_screens(app: &mut App, mut at: impl FnMut(&mut App, &str)) {
    let t = id();
    at(app, "home");
    tap(app, &t.tr("ui-home-start"));
    at(app, "consent");
    tap(app, &t.tr("ui-consent-agree"));
    tap(app, &t.tr("ui-ways-whom-self"));
    type_keys(app, &NIK[..10]);
    at(app, "identity-nik");
    for _ in 0..10 {
        tap(app, &t.tr("ui-key-erase"));
    }
    type_keys(app, NIK);
    tap(app, &t.tr("ui-next"));
    tap(app, &t.tr("ui-yes-correct"));
    type_keys(app, KPJ);
    tap(app, &t.tr("ui-next"));
    type_keys(app, "SITI");
    tap(app, &t.tr("ui-next"));
    type_mother(app);
    tap(app, &t.tr("ui-next"));
    assert_eq!(app.screen().target(), Target::Reason);
    at(app, "reason");
}

#[test]
fn aa_switches_large_text_on_and_off_from_every_main_screen() {
    let Kiosk { mut app, _dir, .. } = kiosk();
    let aa = id().tr("ui-text-size");
    walk_main_screens(&mut app, |app, name| {
        assert!((app.scale_factor() - 1.0).abs() < 1e-6, "{name}");
        tap(app, &aa);
        assert!(
            (theme::BODY * app.scale_factor() - LARGE_BODY).abs() < 1e-3,
            "{name}: body text is not {LARGE_BODY} px with large text on"
        );
        tap(app, &aa);
        assert!((app.scale_factor() - 1.0).abs() < 1e-6, "{name}");
    });
}

#[test]
fn main_screens_with_large_text_fit_the_window_width_and_scroll_down() {
    let Kiosk { mut app, _dir, .. } = kiosk();
    let aa = id().tr("ui-text-size");
    let normal_header: Vec<(String, Rectangle)> = texts(&app)
        .into_iter()
        .filter(|(_, bounds)| bounds.y < theme::TOUCH)
        .collect();
    tap(&mut app, &aa);
    let width = SCREEN.0 / app.scale_factor();
    let height = SCREEN.1 / app.scale_factor();
    let kiosk_name = id().tr("ui-kiosk-title");
    let mut overflowing = 0;
    walk_main_screens(&mut app, |app, name| {
        let texts = texts(app);
        assert!(texts.len() > 3, "{name}: {texts:?}");
        for (content, bounds) in &texts {
            // The header's buttons keep their labels whole: as wide (in logical pixels) as with normal text
            // (only the kiosk's name may wrap).
            if bounds.y < theme::TOUCH && *content != kiosk_name {
                let natural = normal_header
                    .iter()
                    .find(|(label, _)| label == content)
                    .map(|(_, normal)| normal.width);
                assert_eq!(
                    natural,
                    Some(bounds.width),
                    "{name}: the header's {content:?} is squeezed: {bounds:?}"
                );
            }
            assert!(
                bounds.x >= 0.0 && bounds.x + bounds.width <= width + 0.5,
                "{name}: {content:?} at {bounds:?} is cut off at the right edge ({width} px)"
            );
        }
        let bottom = texts
            .iter()
            .map(|(_, bounds)| bounds.y + bounds.height)
            .fold(0.0, f32::max);
        if bottom > height {
            overflowing += 1;
            // Below the window, so the screen must scroll: a scroll down brings the last text into view.
            let mut ui = window(app);
            ui.point_at(iced::Point::new(width / 2.0, height / 2.0));
            let scrolled = ui.simulate([iced::Event::Mouse(iced::mouse::Event::WheelScrolled {
                delta: iced::mouse::ScrollDelta::Pixels {
                    x: 0.0,
                    y: -10_000.0,
                },
            })]);
            assert!(
                scrolled.contains(&iced::event::Status::Captured),
                "{name}: the screen reaches {bottom} px, below the {height} px window, and does not scroll"
            );
        }
        // Large text is still on after every tap of the walk.
        assert!((theme::BODY * app.scale_factor() - LARGE_BODY).abs() < 1e-3);
    });
    assert!(
        overflowing > 0,
        "no main screen is taller than the window with large text: the scroll check checked nothing"
    );
}

#[test]
fn main_screens_match_their_snapshots_in_both_text_sizes() {
    let Kiosk { mut app, _dir, .. } = kiosk();
    let aa = id().tr("ui-text-size");
    walk_main_screens(&mut app, |app, name| {
        assert_snapshot(app, &format!("text-normal-{name}"));
        tap(app, &aa);
        assert_snapshot(app, &format!("text-large-{name}"));
        tap(app, &aa);
    });
}

#[test]
fn large_text_and_the_language_go_back_to_the_configured_ones_when_the_session_ends() {
    let settings = lapak_kiosk::ui::UiSettings {
        language: Language::En,
        ..settings(None)
    };
    let Kiosk { mut app, _dir, .. } = kiosk_with_settings(None, settings);
    // The session starts in the configured language.
    assert_eq!(app.language(), Language::En);
    assert!(sees(&app, "Claim my JHT"));
    tap(&mut app, "Bahasa Indonesia");
    tap(&mut app, &id().tr("ui-text-size"));
    tap(&mut app, &id().tr("ui-home-start"));
    assert_eq!(app.screen().target(), Target::Consent);
    // Left alone: "Masih di sana?" and then the wipe.
    for _ in 0..121 {
        send(&mut app, Message::Tick(now()));
    }
    assert_eq!(app.screen().target(), Target::Home);
    assert_eq!(app.language(), Language::En);
    assert!((app.scale_factor() - 1.0).abs() < 1e-6);
    assert!(sees(&app, "Claim my JHT"));
}

/// Writes PNGs of the main screens in both text sizes to `$LOOK_DIR` for a person to look at (run with
/// `--ignored`).
#[test]
#[ignore = "writes PNG files for review; run by hand"]
fn write_large_text_pngs_for_review() {
    let Ok(dir) = std::env::var("LOOK_DIR") else {
        return;
    };
    let Kiosk { mut app, _dir, .. } = kiosk();
    let aa = id().tr("ui-text-size");
    let save = |app: &App, name: &str| {
        let snapshot = window(app).snapshot(&theme::kiosk()).unwrap();
        let _ = std::fs::remove_file(format!("{dir}/{name}-tiny-skia.png"));
        assert!(snapshot.matches_image(format!("{dir}/{name}")).unwrap());
    };
    walk_main_screens(&mut app, |app, name| {
        save(app, &format!("text-normal-{name}"));
        tap(app, &aa);
        save(app, &format!("text-large-{name}"));
        tap(app, &aa);
    });
}

#[test]
fn a_typed_nik_is_drawn_inside_its_field_left_of_the_keypad_with_large_text() {
    let Kiosk { mut app, _dir, .. } = kiosk();
    tap(&mut app, &id().tr("ui-text-size"));
    to_identity(&mut app);
    type_keys(&mut app, NIK);
    let texts = texts(&app);
    let typed = format!("{NIK}{}", lapak_kiosk::ui::screen::CURSOR);
    let (_, nik) = texts
        .iter()
        .find(|(content, _)| *content == typed)
        .expect("the typed NIK is on screen");
    // The keypad's first column: the leftmost single-digit key label.
    let keypad = texts
        .iter()
        .filter(|(content, _)| content.len() == 1 && content.chars().all(|c| c.is_ascii_digit()))
        .map(|(_, bounds)| bounds.x)
        .fold(f32::MAX, f32::min);
    // The text's layout box ends at the field's edge however long the NIK is; its glyphs may not. Look at
    // the drawn pixels: nothing dark (the typed digits' colour) between the field's inner edge and the keypad.
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("identity");
    let _ = window(&app)
        .snapshot(&theme::kiosk())
        .unwrap()
        .matches_image(&png)
        .unwrap();
    let picture = image::open(dir.path().join("identity-tiny-skia.png"))
        .unwrap()
        .to_rgb8();
    let scale = picture.width() as f32 / (SCREEN.0 / app.scale_factor());
    let from = ((nik.x + nik.width) * scale).ceil() as u32 + 1;
    let to = ((keypad - 40.0) * scale) as u32;
    let rows =
        (nik.y * scale) as u32..(((nik.y + nik.height) * scale) as u32).min(picture.height());
    assert!(
        from < to,
        "no gap between the field and the keypad: {from}..{to}"
    );
    let dark = rows
        .flat_map(|y| (from..to).map(move |x| (x, y)))
        .filter(|&(x, y)| picture.get_pixel(x, y).0.iter().all(|&c| c < 80))
        .count();
    assert_eq!(dark, 0, "the NIK is drawn past its field ({from}..{to} px)");
}
