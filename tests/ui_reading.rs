//! The cards read on the kiosk, walked on the real screens: the simulated camera shows the demo
//! participant's e-KTP and KPJ card (real pixels, read by the shipped recognizer), the participant confirms
//! what was read or corrects it on the keypad; a card read doubtfully is asked, never guessed; with reading
//! off the kiosk asks as before. Few reads per test: the recognizer is slow in a debug build.
#![cfg(feature = "reading")]
#![allow(clippy::unwrap_used)]

mod common;
mod journey;

use chrono::NaiveDate;
use journey::*;
use lapak_kiosk::camera::SimulatedScene;
use lapak_kiosk::camera::demo_cards::DemoCard;
use lapak_kiosk::claim::{DocumentKind, Reason, Sex};
use lapak_kiosk::ui::headless::Feeds;
use lapak_kiosk::ui::screen::identity::Step;
use lapak_kiosk::ui::screen::{CURSOR, Target};

/// A kiosk that reads the cards; `demo` lets the screens point the simulated camera (as the demo kiosk
/// does), else the test chooses what it shows.
fn reading_kiosk(demo: bool) -> Kiosk {
    kiosk_tuned(None, settings(None), |devices| {
        devices.read_cards = true;
        if !demo {
            devices.demo_camera = None;
        }
    })
}

fn kinds(app: &lapak_kiosk::ui::App) -> Vec<DocumentKind> {
    app.draft().documents.iter().map(|doc| doc.kind).collect()
}

/// A reading kiosk whose camera shows `card`, on the identity screen after the e-KTP's photo was taken
/// and read.
fn ektp_photo_taken_of(card: DemoCard) -> (Kiosk, Feeds) {
    let mut kiosk = reading_kiosk(false);
    kiosk.control.show(SimulatedScene::Demo(card));
    to_identity(&mut kiosk.app);
    let mut feeds = Feeds::new();
    photograph_card(&mut kiosk.app, &mut feeds, Some(&kiosk.camera));
    (kiosk, feeds)
}

/// The NIK is asked on the keypad with nothing typed in: never a guess.
fn assert_the_nik_is_asked_empty(app: &lapak_kiosk::ui::App) {
    assert_eq!(identity_step(app), Some(Step::Nik));
    assert!(sees(app, &CURSOR.to_string()));
    assert!(!sees(app, &format!("{NIK}{CURSOR}")));
}

#[test]
fn the_ektp_and_kpj_card_read_and_confirmed_fill_nik_name_birth_and_kpj_in_the_draft_and_are_not_photographed_again()
 {
    let Kiosk {
        mut app, camera, ..
    } = reading_kiosk(true);
    let t = id();
    to_identity(&mut app);
    assert_eq!(identity_step(&app), Some(Step::EktpPhoto));
    let mut feeds = Feeds::new();
    photograph_card(&mut app, &mut feeds, Some(&camera));
    // One screen shows what was read: the NIK in groups, the name, place and date of birth, the sex.
    assert_eq!(identity_step(&app), Some(Step::EktpRead));
    assert!(sees(&app, "NIK: 3174 0152 0385 0001"));
    assert!(sees(&app, "Nama: SITI AMINAH"));
    assert!(sees(&app, "Tempat, tanggal lahir: JAKARTA, 12 Maret 1985"));
    assert!(sees(&app, "Jenis kelamin: Perempuan"));
    // The photo read is the claim's e-KTP.
    assert_eq!(kinds(&app), [DocumentKind::Ektp]);
    tap(&mut app, &t.tr("ui-reading-right"));
    photograph_card(&mut app, &mut feeds, Some(&camera));
    assert_eq!(identity_step(&app), Some(Step::KpjRead));
    assert!(sees(&app, &format!("Nomor KPJ: {KPJ}")));
    tap(&mut app, &t.tr("ui-reading-right"));
    // The name was confirmed with the e-KTP: the mother's maiden name is the only question left.
    assert_eq!(identity_step(&app), Some(Step::Mother));
    type_mother(&mut app);
    tap(&mut app, &t.tr("ui-next"));
    assert_eq!(app.screen().target(), Target::Reason);
    let draft = app.draft();
    assert_eq!(draft.fields.nik, NIK);
    assert_eq!(draft.fields.name, "SITI AMINAH");
    assert_eq!(draft.fields.place_of_birth, "JAKARTA");
    assert_eq!(draft.fields.kpj, KPJ);
    assert_eq!(
        draft.fields.date_of_birth,
        NaiveDate::from_ymd_opt(1985, 3, 12)
    );
    assert_eq!(draft.fields.sex, Some(Sex::Female));
    assert_eq!(kinds(&app), [DocumentKind::Ektp, DocumentKind::KpjCard]);

    // The documents screen asks for the other documents only.
    tap(&mut app, &t.message(&Reason::Resign));
    pick_date(&mut app, "01082026");
    tap(&mut app, &t.tr("ui-next"));
    answer_contact_and_bank(&mut app, "BCA");
    let taken = photograph_documents(&mut app, &camera);
    assert!(!taken.contains(&DocumentKind::Ektp), "{taken:?}");
    assert!(!taken.contains(&DocumentKind::KpjCard), "{taken:?}");
    assert_eq!(app.screen().target(), Target::Review);
    assert_eq!(app.draft().documents.len(), taken.len() + 2);
}

#[test]
fn ubah_opens_the_keypad_prefilled_with_what_was_read_and_the_correction_is_kept() {
    let Kiosk {
        mut app, camera, ..
    } = reading_kiosk(true);
    let t = id();
    to_identity(&mut app);
    let mut feeds = Feeds::new();
    photograph_card(&mut app, &mut feeds, Some(&camera));
    assert_eq!(identity_step(&app), Some(Step::EktpRead));
    tap(&mut app, &t.tr("ui-reading-change"));
    assert_eq!(identity_step(&app), Some(Step::Nik));
    assert!(sees(&app, &format!("{NIK}{CURSOR}")));
    // The last digit corrected on the keypad.
    tap(&mut app, &t.tr("ui-key-erase"));
    type_keys(&mut app, "2");
    tap(&mut app, &t.tr("ui-next"));
    tap(&mut app, &t.tr("ui-yes-correct"));
    // The KPJ card cannot be read here: typed instead.
    assert_eq!(identity_step(&app), Some(Step::KpjPhoto));
    tap(&mut app, &t.tr("ui-reading-type"));
    assert_eq!(identity_step(&app), Some(Step::Kpj));
    assert!(sees(&app, &CURSOR.to_string()));
    type_keys(&mut app, KPJ);
    tap(&mut app, &t.tr("ui-next"));
    // After "Ubah" the name is asked too, prefilled with the name read.
    assert_eq!(identity_step(&app), Some(Step::Name));
    assert!(sees(&app, &format!("SITI AMINAH{CURSOR}")));
    tap(&mut app, &t.tr("ui-next"));
    type_mother(&mut app);
    tap(&mut app, &t.tr("ui-next"));
    assert_eq!(app.screen().target(), Target::Reason);
    assert_eq!(app.draft().fields.nik, "3174015203850002");
    assert_eq!(app.draft().fields.kpj, KPJ);
    // The place of birth is not asked on the keypad: after "Ubah" it is not taken from the card.
    assert_eq!(app.draft().fields.place_of_birth, "");
    // The e-KTP's photo is kept; the KPJ card is left for the documents screen.
    assert_eq!(kinds(&app), [DocumentKind::Ektp]);
}

#[test]
fn a_smudged_nik_and_an_unreadable_kpj_card_are_asked_on_the_keypad_empty() {
    let (
        Kiosk {
            mut app,
            camera,
            control,
            ..
        },
        mut feeds,
    ) = ektp_photo_taken_of(DemoCard::SmudgedEktp);
    let t = id();
    assert_the_nik_is_asked_empty(&app);
    assert_eq!(kinds(&app), [DocumentKind::Ektp]);
    type_keys(&mut app, NIK);
    tap(&mut app, &t.tr("ui-next"));
    tap(&mut app, &t.tr("ui-yes-correct"));
    // The e-KTP held up for the KPJ card: no KPJ number is read from it.
    assert_eq!(identity_step(&app), Some(Step::KpjPhoto));
    control.show(SimulatedScene::Demo(DemoCard::Ektp));
    photograph_card(&mut app, &mut feeds, Some(&camera));
    assert_eq!(identity_step(&app), Some(Step::Kpj));
    assert!(sees(&app, &CURSOR.to_string()));
    assert_eq!(app.draft().fields.kpj, "");
    assert_eq!(kinds(&app), [DocumentKind::Ektp, DocumentKind::KpjCard]);
}

#[test]
fn ketik_sendiri_types_the_nik_and_leaves_the_ektp_for_the_documents_screen() {
    let Kiosk { mut app, .. } = reading_kiosk(true);
    let t = id();
    to_identity(&mut app);
    assert_eq!(identity_step(&app), Some(Step::EktpPhoto));
    tap(&mut app, &t.tr("ui-reading-type"));
    assert_eq!(identity_step(&app), Some(Step::Nik));
    assert!(sees(&app, &CURSOR.to_string()));
    assert!(kinds(&app).is_empty());
    // "Kembali" returns to the e-KTP's photo.
    tap(&mut app, &t.tr("ui-back"));
    assert_eq!(identity_step(&app), Some(Step::EktpPhoto));
}

#[test]
fn with_reading_off_the_nik_is_typed_and_the_cards_are_photographed_with_the_documents() {
    let Kiosk {
        mut app, camera, ..
    } = kiosk();
    let t = id();
    to_identity(&mut app);
    assert_eq!(identity_step(&app), Some(Step::Nik));
    assert!(card_photo(&app).is_none());
    type_identity(&mut app);
    tap(&mut app, &t.message(&Reason::Resign));
    pick_date(&mut app, "01082026");
    tap(&mut app, &t.tr("ui-next"));
    answer_contact_and_bank(&mut app, "BCA");
    let taken = photograph_documents(&mut app, &camera);
    assert!(taken.contains(&DocumentKind::Ektp), "{taken:?}");
    assert!(taken.contains(&DocumentKind::KpjCard), "{taken:?}");
}

#[test]
fn a_kpj_card_held_up_for_the_ektp_reads_no_nik_and_the_nik_is_asked_on_the_keypad_empty() {
    let (
        Kiosk {
            mut app,
            camera: _camera,
            control: _control,
            ..
        },
        _feeds,
    ) = ektp_photo_taken_of(DemoCard::Kpj);
    let t = id();
    // Nothing offered to confirm: the NIK is asked, empty.
    assert_the_nik_is_asked_empty(&app);
    assert!(!sees(&app, &t.tr("ui-reading-right")));
    assert_eq!(app.draft().fields.nik, "");
    // The keypad goes on as without reading.
    type_keys(&mut app, NIK);
    tap(&mut app, &t.tr("ui-next"));
    assert_eq!(identity_step(&app), Some(Step::Confirm));
}

#[test]
fn a_camera_unplugged_on_the_card_photo_leaves_ketik_sendiri_and_the_identity_is_typed_to_the_reason()
 {
    let Kiosk {
        mut app, control, ..
    } = reading_kiosk(true);
    let t = id();
    to_identity(&mut app);
    assert_eq!(identity_step(&app), Some(Step::EktpPhoto));
    control.unplug();
    let mut feeds = Feeds::new();
    let lost = headless()
        .wait_for(
            &mut feeds,
            &mut app,
            |app| sees(app, &id().tr("ui-camera-lost")),
            std::time::Duration::from_secs(60),
        )
        .unwrap();
    assert!(lost, "the card photo did not say the camera is lost");
    // The keypad way remains on both cards' photos.
    tap(&mut app, &t.tr("ui-reading-type"));
    assert_eq!(identity_step(&app), Some(Step::Nik));
    type_keys(&mut app, NIK);
    tap(&mut app, &t.tr("ui-next"));
    tap(&mut app, &t.tr("ui-yes-correct"));
    assert_eq!(identity_step(&app), Some(Step::KpjPhoto));
    tap(&mut app, &t.tr("ui-reading-type"));
    assert_eq!(identity_step(&app), Some(Step::Kpj));
    type_keys(&mut app, KPJ);
    tap(&mut app, &t.tr("ui-next"));
    type_keys(&mut app, "SITI");
    tap(&mut app, &t.tr("ui-key-space"));
    type_keys(&mut app, "AMINAH");
    tap(&mut app, &t.tr("ui-next"));
    type_mother(&mut app);
    tap(&mut app, &t.tr("ui-next"));
    assert_eq!(app.screen().target(), Target::Reason);
    assert_eq!(app.draft().fields.nik, NIK);
    assert_eq!(app.draft().fields.kpj, KPJ);
    assert!(kinds(&app).is_empty());
}
