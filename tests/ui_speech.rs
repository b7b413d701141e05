//! The kiosk speaks: which voice clips start on each screen of a resign claim (through the recording sound of
//! the journey kiosk), that a page change stops speech, that the saved screen reads the reference digit by
//! digit, that "Ulangi suara" repeats, that a language switch speaks again, and that staff's volume holds for
//! every session; and that every clip a screen can ask for exists in both languages.
#![cfg(feature = "ui")]
#![allow(clippy::unwrap_used)]

mod common;
mod journey;

use std::collections::BTreeSet;
use std::path::Path;

use journey::*;
use lapak_kiosk::i18n::{Language, Translatable};
use lapak_kiosk::sound::voice::BUILT_IN_VOICE;
use lapak_kiosk::sound::{Clip, RecordingSound, Sound, SoundEvent};
use lapak_kiosk::ui::Message;
use lapak_kiosk::ui::screen::{Screen, Target};

/// The first message id of every sentence spoken so far, in order.
fn first_ids(sound: &RecordingSound) -> Vec<String> {
    sound
        .spoken()
        .iter()
        .map(|clips| clips[0].id.clone())
        .collect()
}

fn ids(clips: &[Clip]) -> Vec<&str> {
    clips.iter().map(|clip| clip.id.as_str()).collect()
}

/// Every clip spoken so far exists as a file of the shipped voice.
fn assert_every_spoken_clip_exists(sound: &RecordingSound) {
    for clip in sound.spoken().concat() {
        let path = clip.path(Path::new(BUILT_IN_VOICE));
        assert!(path.is_file(), "no voice clip {}", path.display());
    }
}

#[test]
fn each_screen_of_a_resign_claim_starts_speaking_its_question_and_saved_reads_the_reference_digit_by_digit()
 {
    let Kiosk {
        mut app,
        camera,
        sound,
        _dir,
        ..
    } = kiosk();
    let t = id();
    // Home speaks once the first message (the clock) arrives.
    send(&mut app, Message::Tick(now()));
    assert_eq!(first_ids(&sound), ["ui-home-welcome"]);
    tap_through_resign(&mut app, &camera);
    let spoken = first_ids(&sound);
    let questions: Vec<&str> = spoken
        .iter()
        .map(String::as_str)
        .filter(|id| !id.starts_with("hint-"))
        .collect();
    let mut expected = vec![
        "ui-home-welcome",
        "ui-consent-question",
        "ui-ways-whom-question",
        "ui-identity-nik-question",
        "ui-identity-confirm-question",
        "ui-identity-kpj-question",
        "ui-identity-name-question",
        "ui-identity-mother-question",
        "ui-reason-question",
        "ui-date-month-help",
        "ui-date-day-help",
        "ui-reason-eligible",
        "ui-contact-phone-question",
        "ui-balance-question",
        "ui-bank-question",
        "ui-bank-account-question",
    ];
    // One "photograph this document" per document, the face photo last, then the review.
    let start = expected.len();
    assert_eq!(&questions[..start], &expected[..], "{questions:?}");
    let rest = &questions[start..];
    let documents = app.draft().documents.len();
    let asked: Vec<&&str> = rest
        .iter()
        .filter(|id| **id == "voice-documents-question")
        .collect();
    assert_eq!(asked.len(), documents - 1, "{rest:?}");
    assert!(rest.contains(&"ui-documents-face-question"), "{rest:?}");
    assert_eq!(rest.last(), Some(&"ui-review-question"), "{rest:?}");
    expected.push("ui-review-question");

    sound.clear();
    tap(&mut app, &t.tr("ui-review-submit"));
    let Screen::Saved(saved) = app.screen() else {
        panic!("not on the saved screen: {:?}", app.screen().target());
    };
    let reference = saved.reference().to_string();
    let spoken = sound.spoken();
    let said = ids(spoken.last().unwrap());
    assert_eq!(&said[..2], ["ui-saved-title", "ui-saved-reference"]);
    let digits: Vec<String> = reference
        .chars()
        .filter(char::is_ascii_digit)
        .map(|d| format!("voice-digit-{d}"))
        .collect();
    assert_eq!(digits.len(), 13, "{reference}");
    assert_eq!(
        &said[2..],
        digits.iter().map(String::as_str).collect::<Vec<_>>()
    );
    // The page change stopped the review's words before the saved screen spoke.
    let events = sound.events();
    let speak_at = events
        .iter()
        .position(|e| matches!(e, SoundEvent::Spoke(_)))
        .unwrap();
    assert!(
        events[..speak_at].contains(&SoundEvent::Stopped),
        "{events:?}"
    );
    assert_every_spoken_clip_exists(&sound);
}

#[test]
fn a_page_change_stops_the_speech_before_the_next_page_speaks() {
    let Kiosk {
        mut app,
        sound,
        _dir,
        ..
    } = kiosk();
    let t = id();
    send(&mut app, Message::Tick(now()));
    sound.clear();
    tap(&mut app, &t.tr("ui-home-start"));
    let events = sound.events();
    assert_eq!(events.first(), Some(&SoundEvent::Stopped), "{events:?}");
    assert_eq!(
        sound.spoken(),
        [vec![Clip::new(Language::Id, "ui-consent-question")]]
    );
    // A tap that stays on the step says nothing new: typing a NIK digit is silent.
    tap(&mut app, &t.tr("ui-consent-agree"));
    tap(&mut app, &t.tr("ui-ways-whom-self"));
    sound.clear();
    type_keys(&mut app, "3");
    assert!(sound.events().is_empty(), "{:?}", sound.events());
}

#[test]
fn ulangi_suara_repeats_the_screens_words_and_a_language_switch_speaks_them_in_english() {
    let Kiosk {
        mut app,
        sound,
        _dir,
        ..
    } = kiosk();
    let t = id();
    to_identity(&mut app);
    sound.clear();
    tap(&mut app, &t.tr("ui-speech-repeat"));
    let nik = vec![
        Clip::new(Language::Id, "ui-identity-nik-question"),
        Clip::new(Language::Id, "ui-identity-nik-help"),
    ];
    assert_eq!(sound.spoken(), std::slice::from_ref(&nik));
    assert_eq!(sound.events().first(), Some(&SoundEvent::Stopped));
    tap(&mut app, &t.tr("ui-speech-repeat"));
    assert_eq!(sound.spoken(), [nik.clone(), nik]);

    sound.clear();
    tap(&mut app, "English");
    assert_eq!(
        sound.spoken(),
        [vec![
            Clip::new(Language::En, "ui-identity-nik-question"),
            Clip::new(Language::En, "ui-identity-nik-help"),
        ]]
    );
    assert_every_spoken_clip_exists(&sound);
}

#[test]
fn the_idle_warning_is_spoken_when_it_appears() {
    let settings = lapak_kiosk::ui::UiSettings {
        idle_after_secs: 2,
        idle_countdown_secs: 30,
        ..settings(None)
    };
    let Kiosk {
        mut app,
        sound,
        _dir,
        ..
    } = kiosk_tuned(None, settings, |_| {});
    to_identity(&mut app);
    sound.clear();
    for _ in 0..4 {
        send(&mut app, Message::Tick(now()));
    }
    assert_eq!(
        sound.spoken(),
        [vec![Clip::new(Language::Id, "ui-idle-title")]]
    );
}

#[test]
fn the_staff_volume_set_in_maintenance_is_applied_live_and_every_session_starts_at_it() {
    let Kiosk {
        mut app,
        sound,
        _dir,
        ..
    } = kiosk();
    let t = id();
    sound.set_volume(80);
    for _ in 0..5 {
        tap(&mut app, &t.tr("ui-kiosk-title"));
    }
    type_keys(&mut app, STAFF_PIN);
    tap(&mut app, &t.tr("ui-maintenance-enter"));
    assert!(sees(
        &app,
        &format!("{}: 80 %", t.tr("ui-maintenance-volume"))
    ));
    tap(&mut app, &t.tr("ui-maintenance-quieter"));
    tap(&mut app, &t.tr("ui-maintenance-quieter"));
    assert_eq!(sound.volume(), 60, "applied live");
    assert!(sees(
        &app,
        &format!("{}: 60 %", t.tr("ui-maintenance-volume"))
    ));
    tap(&mut app, &t.tr("ui-maintenance-leave"));
    assert_eq!(app.screen().target(), Target::Home);
    // Whatever changed the level during a session (here the test itself), the next session starts at the
    // staff's level.
    tap(&mut app, &t.tr("ui-home-start"));
    sound.set_volume(100);
    tap(&mut app, &t.tr("ui-consent-decline"));
    assert_eq!(app.screen().target(), Target::Home);
    assert_eq!(
        sound.volume(),
        60,
        "the session ended: back to the staff level"
    );
}

#[test]
fn every_message_a_screen_can_speak_has_a_clip_in_both_languages() {
    // The words of every screen state that `speech::words` names by hand, collected from the source.
    let source = include_str!("../src/ui/speech.rs");
    let mut ids: BTreeSet<String> = BTreeSet::new();
    for quoted in source.split('"').skip(1).step_by(2) {
        if (quoted.starts_with("ui-") || quoted.starts_with("voice-"))
            && !quoted.starts_with("ui-maintenance-")
            && !quoted.ends_with('-')
        {
            ids.insert(quoted.to_owned());
        }
    }
    ids.remove("ui-speech-repeat");
    // The documents' names and the photo hints, spoken by their own message ids.
    for kind in lapak_kiosk::claim::DocumentKind::ALL {
        ids.insert(Translatable::message_id(&kind).to_owned());
    }
    for hint in lapak_kiosk::camera::QualityHint::ALL {
        ids.insert(hint.message_id().to_owned());
    }
    for digit in 0..10 {
        ids.insert(format!("voice-digit-{digit}"));
    }
    assert!(ids.len() > 40, "{ids:?}");
    for language in Language::ALL {
        for id in &ids {
            let path = Clip::new(language, id.clone()).path(Path::new(BUILT_IN_VOICE));
            assert!(path.is_file(), "no voice clip {}", path.display());
        }
    }
}

#[test]
fn a_wrong_nik_is_spoken_when_its_error_appears_and_once_only() {
    let Kiosk {
        mut app,
        sound,
        _dir,
        ..
    } = kiosk();
    to_identity(&mut app);
    sound.clear();
    // A NIK starting 3 is a province being typed: nothing to say yet.
    type_keys(&mut app, "3");
    assert!(sound.spoken().is_empty(), "{:?}", sound.spoken());
    tap(&mut app, &id().tr("ui-key-erase"));
    // Province 99 does not exist: the error appears with the second digit and is spoken, after a stop.
    type_keys(&mut app, "99");
    assert_eq!(
        sound.spoken(),
        [vec![Clip::new(Language::Id, "nik-unknown-province")]]
    );
    assert_eq!(
        sound.events().iter().rev().nth(1),
        Some(&SoundEvent::Stopped)
    );
    assert_every_spoken_clip_exists(&sound);
    // The same error stays on screen while typing on: nothing more is said.
    type_keys(&mut app, "0101");
    assert_eq!(sound.spoken().len(), 1);
}

#[test]
fn a_kiosk_without_a_speaker_says_so_on_maintenance_instead_of_volume_buttons() {
    let Kiosk { mut app, _dir, .. } = kiosk_tuned(None, settings(None), |devices| {
        devices.sound = lapak_kiosk::sound::SharedSound::default();
    });
    let t = id();
    for _ in 0..5 {
        tap(&mut app, &t.tr("ui-kiosk-title"));
    }
    type_keys(&mut app, STAFF_PIN);
    tap(&mut app, &t.tr("ui-maintenance-enter"));
    assert!(sees(&app, &t.tr("ui-maintenance-no-speaker")));
    assert!(!sees(&app, &t.tr("ui-maintenance-louder")));
    assert!(!sees(&app, &t.tr("ui-maintenance-quieter")));
}
