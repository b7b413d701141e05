//! The kiosk's status-check screen against the real lapak-central: a participant taps in a reference and a
//! NIK and reads the answer the service gives; with a wrong NIK the answer is "not found", and after three of
//! those the session offers no other try; when the service is down the kiosk answers from what it knows itself
//! (a waiting claim by its salted NIK hash; a delivered claim, whose hash is gone, and a wrong NIK alike with
//! "cannot check now").

mod common;

use std::sync::Arc;

use chrono::{DateTime, Local, NaiveDate, Utc};
use common::*;
use iced_test::Simulator;
use lapak_kiosk::claim::reference::ClaimReference;
use lapak_kiosk::claim::{BankAccount, ClaimFields, DocumentKind, Reason, ReasonDetails};
use lapak_kiosk::i18n::{Language, Translator};
use lapak_kiosk::identity::KioskIdentity;
use lapak_kiosk::outbox::Outbox;
use lapak_kiosk::packet::Document;
use lapak_kiosk::submission::{ClaimContext, ClaimDraft, Submitter};
use lapak_kiosk::sync::api::ClaimStatus;
use lapak_kiosk::sync::status::StatusAnswer;
use lapak_kiosk::sync::{CentralClient, LocalClaims, drain_now};
use lapak_kiosk::ui::headless::Headless;
use lapak_kiosk::ui::screen::Target;
use lapak_kiosk::ui::{App, Devices, Message, StatusChecker, UiContext, UiSettings, theme};

const NIK: &str = "3174015203850001";
const OTHER_NIK: &str = "3174014505900002";

/// The real clock: the outbox hands claims to the uploader by the time they were saved.
fn now() -> DateTime<Local> {
    Local::now()
}

fn claim_context() -> ClaimContext {
    ClaimContext {
        rules: lapak_kiosk::claim::rules::RulesTable::embedded_default().expect("rules"),
        banks: lapak_kiosk::claim::bank::BankTable::embedded_default().expect("banks"),
        regions: lapak_kiosk::claim::regions::Regions::embedded(),
        kpj: lapak_kiosk::claim::validate::KpjLength::default(),
        consent_version: "test-consent".to_owned(),
        time_zone: lapak_kiosk::config::KioskTimeZone::Wib,
    }
}

/// A complete resign claim for [`NIK`].
fn claim() -> ClaimDraft {
    let documents = claim_context()
        .rules
        .documents_for(Reason::Resign, false)
        .into_iter()
        .enumerate()
        .map(|(i, kind): (usize, DocumentKind)| Document {
            kind,
            jpeg: photo(i as u64, 20_000),
            width: 640,
            height: 480,
        })
        .collect();
    ClaimDraft {
        fields: ClaimFields {
            nik: NIK.to_owned(),
            kpj: "12345678901".to_owned(),
            name: "SITI AMINAH".to_owned(),
            mother_maiden_name: "SRI WAHYUNI".to_owned(),
            phone: "+6281234567890".to_owned(),
            ..ClaimFields::default()
        },
        reason: Some(ReasonDetails {
            reason: Reason::Resign,
            event_date: NaiveDate::from_ymd_opt(2026, 8, 1),
            membership_start: None,
        }),
        bank: Some(BankAccount {
            bank_code: "014".to_owned(),
            account_number: "1234567890".to_owned(),
            holder: "SITI AMINAH".to_owned(),
        }),
        balance_above_npwp_threshold: false,
        consent_accepted_at: Some(now().with_timezone(&Utc)),
        documents,
        test: false,
    }
}

/// The kiosk's screens with the status check wired to `client` and the kiosk's own outbox.
fn app(client: CentralClient, outbox: &Arc<Outbox>) -> App {
    let devices = Devices {
        status: Some(StatusChecker {
            central: Some(Arc::new(client)),
            local: Arc::clone(outbox) as Arc<dyn LocalClaims + Send + Sync>,
        }),
        ..Devices::default()
    };
    let settings = UiSettings {
        fullscreen: false,
        ..UiSettings::default()
    };
    App::new(
        UiContext::with_shipped_tables(settings, devices).expect("shipped tables"),
        now(),
    )
}

fn simulator(app: &App) -> Simulator<'_, Message> {
    Simulator::with_size(theme::settings(), (1280.0, 800.0), app.view())
}

/// Taps the widget showing `label`; the app's tasks (the status request) run as in the kiosk.
fn tap(headless: &Headless, app: &mut App, label: &str) {
    let mut ui = simulator(app);
    if let Err(error) = ui.click(label) {
        panic!("cannot tap {label:?}: {error:?}");
    }
    let messages: Vec<Message> = ui.into_messages().collect();
    assert!(!messages.is_empty(), "tapping {label:?} did nothing");
    for message in messages {
        headless.update(app, message).expect("the app's tasks ran");
    }
}

fn sees(app: &App, text: &str) -> bool {
    simulator(app).find(text).is_ok()
}

/// Home → status check → reference → NIK → the answer on screen.
fn ask(headless: &Headless, app: &mut App, reference: &ClaimReference, nik: &str) {
    let t = Translator::new(Language::Id);
    tap(headless, app, &t.tr("ui-home-status"));
    for digit in reference.digits().chars() {
        tap(headless, app, &digit.to_string());
    }
    tap(headless, app, &t.tr("ui-next"));
    for digit in nik.chars() {
        tap(headless, app, &digit.to_string());
    }
    tap(headless, app, &t.tr("ui-next"));
    assert_eq!(app.screen().target(), Target::Status);
}

/// The answer the screen must show, in Bahasa Indonesia, dates in the kiosk's zone (WIB by default).
fn shown(answer: StatusAnswer) -> String {
    lapak_kiosk::ui::status_text(
        &Translator::new(Language::Id),
        Ok(answer),
        lapak_kiosk::config::KioskTimeZone::Wib,
    )
}

#[test]
fn the_status_screen_shows_the_central_answer_allows_three_tries_and_falls_back_to_the_kiosk_when_down()
 {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(&tmp.path().join("central"), "");
    let identity = KioskIdentity::generate(Some("K001"), 1).expect("kiosk identity");
    central.add_kiosk(identity.id(), identity.signing_key());
    central.start();

    // One claim stored on the kiosk and delivered.
    let key = identity.signing_key().clone();
    let outbox = Arc::new(outbox(&tmp.path().join("kiosk"), &key));
    let submitter = Submitter::new(
        Arc::clone(&outbox),
        identity,
        central.recipient.clone(),
        claim_context(),
    );
    let reference = submitter
        .submit(&claim(), now().with_timezone(&Utc))
        .expect("claim stored")
        .reference;
    let url = central.url();
    let client =
        || CentralClient::new(&sync_config(&url), credentials("K001", &key)).expect("client");
    let summary = drain_now(&client(), outbox.as_ref(), 1, &mut |_| {}).expect("drain");
    assert_eq!(summary.delivered, 1, "{summary:?}");
    central.cli(&["claim", "set-status", reference.digits(), "approved"]);
    let headless = Headless::new().expect("task runtime");

    // The service's answer, with the status staff set.
    let from_central = lapak_kiosk::sync::status::check(
        Some(&client()),
        outbox.as_ref(),
        &reference,
        &lapak_kiosk::sync::status::Proof::Nik(NIK.to_owned()),
    )
    .expect("the service answers");
    assert!(
        matches!(
            from_central,
            StatusAnswer::Central {
                status: ClaimStatus::Approved,
                ..
            }
        ),
        "{from_central:?}"
    );
    let mut screens = app(client(), &outbox);
    ask(&headless, &mut screens, &reference, NIK);
    let approved = shown(from_central);
    assert!(approved.contains("disetujui"), "{approved}");
    assert!(sees(&screens, &approved));

    // Another person's NIK learns nothing: the same words as an unknown reference.
    let mut screens = app(client(), &outbox);
    ask(&headless, &mut screens, &reference, OTHER_NIK);
    assert!(sees(&screens, &shown(StatusAnswer::NotFound)));
    // Two more wrong NIKs in the same session: after the third "not found" the screen offers no other try
    // and says to ask the staff or come back later.
    let t = Translator::new(Language::Id);
    for _ in 0..2 {
        assert!(sees(&screens, &t.tr("ui-status-try-again")));
        tap(&headless, &mut screens, &t.tr("ui-status-try-again"));
        for digit in OTHER_NIK.chars() {
            tap(&headless, &mut screens, &digit.to_string());
        }
        tap(&headless, &mut screens, &t.tr("ui-next"));
        assert!(sees(&screens, &shown(StatusAnswer::NotFound)));
    }
    assert!(sees(&screens, &t.tr("ui-status-no-more-tries")));
    assert!(!sees(&screens, &t.tr("ui-status-try-again")));

    // The service is down: the kiosk answers from what it still knows. A claim saved but not yet sent is
    // matched by its salted NIK hash ...
    central.stop();
    let waiting = submitter
        .submit(&claim(), now().with_timezone(&Utc))
        .expect("claim stored while the service is down");
    let saved_at = outbox
        .lookup_by_reference(&waiting.reference)
        .expect("outbox readable")
        .expect("the claim is on the kiosk")
        .created_at;
    let mut screens = app(client(), &outbox);
    ask(&headless, &mut screens, &waiting.reference, NIK);
    assert!(sees(
        &screens,
        &shown(StatusAnswer::SavedNotSent { saved_at })
    ));

    // ... while the delivered claim's hash was cleared at delivery: the kiosk cannot tell whose it is, so
    // it says it cannot check now, exactly as it answers a wrong NIK: nothing tells the two apart.
    let cannot = shown(StatusAnswer::CannotCheckNow);
    let mut screens = app(client(), &outbox);
    ask(&headless, &mut screens, &reference, NIK);
    assert!(sees(&screens, &cannot), "delivered claim, right NIK");
    let mut screens = app(client(), &outbox);
    ask(&headless, &mut screens, &waiting.reference, OTHER_NIK);
    assert!(sees(&screens, &cannot), "waiting claim, wrong NIK");
    assert!(!sees(
        &screens,
        &shown(StatusAnswer::SavedNotSent { saved_at })
    ));
}
