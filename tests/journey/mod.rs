//! Driving the kiosk's screens headless: a kiosk with the simulated camera and a real outbox, taps on the
//! real widgets through iced_test, the app's tasks run as in the kiosk window, and the way through a whole
//! resign claim. Shared by the journey tests and the submit benchmark.
#![allow(dead_code, clippy::unwrap_used)]

use std::sync::Arc;

use chrono::{DateTime, Local, NaiveDate, TimeZone};
use iced_test::Simulator;
use lapak_kiosk::camera::{CameraConfig, CameraEvent, CameraHandle, Frame, SimulatedControl};
use lapak_kiosk::claim::DocumentKind;
use lapak_kiosk::claim::Reason;
use lapak_kiosk::i18n::{Language, Translator};
use lapak_kiosk::identity::KioskIdentity;
use lapak_kiosk::outbox::{NikHashKey, Outbox, OutboxLimits};
use lapak_kiosk::printer::PrinterHandle;
use lapak_kiosk::submission::{ClaimContext, ClaimDraft, Submitter};
use lapak_kiosk::ui::headless::{Feeds, Headless};
use lapak_kiosk::ui::screen::identity::Step;
use lapak_kiosk::ui::screen::{Screen, Target};
use lapak_kiosk::ui::{App, Devices, Message, UiContext, UiSettings, theme};

pub const NIK: &str = "3174015203850001";
pub const KPJ: &str = "12345678901";
pub const STAFF_PIN: &str = "2468";
pub const MOTHER: &str = "SRI WAHYUNI";

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

pub fn now() -> DateTime<Local> {
    Local.with_ymd_and_hms(2026, 11, 28, 10, 0, 0).unwrap()
}

/// The claim rules as shipped.
pub fn claim_context() -> ClaimContext {
    ClaimContext {
        rules: lapak_kiosk::claim::rules::RulesTable::embedded_default().unwrap(),
        banks: lapak_kiosk::claim::bank::BankTable::embedded_default().unwrap(),
        regions: lapak_kiosk::claim::regions::Regions::embedded(),
        kpj: lapak_kiosk::claim::validate::KpjLength::default(),
        consent_version: "test-consent".to_owned(),
        time_zone: lapak_kiosk::config::KioskTimeZone::Wib,
    }
}

/// The shared claim pipeline, committing to `outbox`.
pub fn submitter(outbox: &Arc<Outbox>) -> Submitter {
    Submitter::new(
        Arc::clone(outbox),
        KioskIdentity::generate(Some("test-kiosk"), 42).unwrap(),
        age::x25519::Identity::generate().to_public(),
        claim_context(),
    )
}

/// A complete resign claim that passes every check, with small real photos.
pub fn complete_claim() -> ClaimDraft {
    let reason = lapak_kiosk::claim::ReasonDetails {
        reason: Reason::Resign,
        event_date: NaiveDate::from_ymd_opt(2026, 8, 1),
        membership_start: None,
    };
    let documents = claim_context()
        .rules
        .documents_for(Reason::Resign, false)
        .into_iter()
        .map(|kind| crate::common::photo(kind, 320, 240))
        .collect();
    ClaimDraft {
        fields: lapak_kiosk::claim::ClaimFields {
            nik: NIK.to_owned(),
            kpj: KPJ.to_owned(),
            name: "SITI AMINAH".to_owned(),
            mother_maiden_name: MOTHER.to_owned(),
            phone: "+6281234567890".to_owned(),
            ..Default::default()
        },
        reason: Some(reason),
        bank: Some(lapak_kiosk::claim::BankAccount {
            bank_code: "014".to_owned(),
            account_number: "1234567890".to_owned(),
            holder: "SITI AMINAH".to_owned(),
        }),
        balance_above_npwp_threshold: false,
        consent_accepted_at: Some(now().with_timezone(&chrono::Utc)),
        documents,
        test: false,
    }
}

/// A kiosk with the simulated camera (pointed at the card or the face by the screens, as in demo mode), a
/// real outbox in a temporary folder, and status checks answered from that outbox.
pub struct Kiosk {
    pub app: App,
    pub outbox: Arc<Outbox>,
    pub camera: Arc<CameraHandle>,
    pub control: SimulatedControl,
    /// What the screens asked the speaker to play.
    pub sound: Arc<lapak_kiosk::sound::RecordingSound>,
    pub _dir: tempfile::TempDir,
}

pub fn kiosk() -> Kiosk {
    kiosk_with_printer(None)
}

pub fn kiosk_with_printer(printer: Option<Arc<PrinterHandle>>) -> Kiosk {
    kiosk_with(printer, None)
}

pub fn kiosk_with(
    printer: Option<Arc<PrinterHandle>>,
    config_file: Option<std::path::PathBuf>,
) -> Kiosk {
    kiosk_with_settings(printer, settings(config_file))
}

/// A kiosk as [`kiosk_with`], with these screen settings.
pub fn kiosk_with_settings(printer: Option<Arc<PrinterHandle>>, settings: UiSettings) -> Kiosk {
    kiosk_tuned(printer, settings, |_| {})
}

/// A kiosk as [`kiosk_with_settings`], its devices changed by `tune` before the app starts.
pub fn kiosk_tuned(
    printer: Option<Arc<PrinterHandle>>,
    settings: UiSettings,
    tune: impl FnOnce(&mut Devices),
) -> Kiosk {
    let dir = tempfile::tempdir().unwrap();
    let identity = KioskIdentity::generate(Some("test-kiosk"), 42).unwrap();
    let outbox = Arc::new(
        Outbox::open(
            &dir.path().join("outbox.sqlite"),
            OutboxLimits {
                min_free_bytes: 0,
                ..OutboxLimits::default()
            },
            NikHashKey::derive(identity.signing_key()),
        )
        .unwrap(),
    );
    let recipient = age::x25519::Identity::generate().to_public();
    let (camera, control) = lapak_kiosk::camera::spawn_with_control(&CameraConfig {
        source: "simulated:card".to_owned(),
        ..CameraConfig::default()
    })
    .unwrap();
    let camera = Arc::new(camera);
    let control = control.unwrap();
    let kiosk_id = identity.id().to_owned();
    let sound = Arc::new(lapak_kiosk::sound::RecordingSound::new());
    let mut devices = Devices {
        kiosk_id,
        sound: lapak_kiosk::sound::SharedSound(sound.clone()),
        camera: Some(Arc::clone(&camera)),
        submitter: Some(Arc::new(Submitter::new(
            Arc::clone(&outbox),
            identity,
            recipient,
            claim_context(),
        ))),
        printer,
        outbox: Some(Arc::clone(&outbox)),
        status: Some(lapak_kiosk::ui::StatusChecker {
            central: None,
            local: Arc::clone(&outbox) as Arc<dyn lapak_kiosk::sync::LocalClaims + Send + Sync>,
        }),
        demo_camera: Some(control.clone()),
        ..Devices::default()
    };
    tune(&mut devices);
    let app = App::new(
        UiContext::with_shipped_tables(settings, devices).unwrap(),
        now(),
    );
    Kiosk {
        app,
        outbox,
        camera,
        control,
        sound,
        _dir: dir,
    }
}

/// The kiosk's timings, a window instead of fullscreen, the test staff PIN, and the configuration file
/// "Reload config" reads.
pub fn settings(config_file: Option<std::path::PathBuf>) -> UiSettings {
    UiSettings {
        idle_after_secs: 90,
        idle_countdown_secs: 30,
        fullscreen: false,
        maintenance_pin_hash: lapak_kiosk::pin::hash_pin(STAFF_PIN, "lapak-test-salt"),
        config_file,
        time_zone: lapak_kiosk::config::KioskTimeZone::Wib,
        retention_days: 7,
        pin_lockout_file: None,
        language: Language::Id,
    }
}

/// The screens with no devices at all.
pub fn app() -> App {
    App::new(
        UiContext::with_shipped_tables(settings(None), Devices::default()).unwrap(),
        now(),
    )
}

pub fn simulator(app: &App) -> Simulator<'_, Message> {
    Simulator::with_size(theme::settings(), (1280.0, 800.0), app.view())
}

/// Runs the app's tasks (capture, submit, status check, export) as the kiosk window does.
pub fn headless() -> &'static Headless {
    static HEADLESS: std::sync::OnceLock<Headless> = std::sync::OnceLock::new();
    HEADLESS.get_or_init(|| Headless::new().unwrap())
}

/// Hands a message to the app and runs the tasks that follow from it.
pub fn send(app: &mut App, message: Message) {
    headless().update(app, message).unwrap();
}

thread_local! {
    static TAPS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// How many taps this test's thread has made so far (every [`tap`] and every key of [`type_keys`]).
pub fn taps() -> usize {
    TAPS.with(std::cell::Cell::get)
}

/// Taps the widget showing exactly `label`, feeds the resulting messages to the app and runs their tasks.
pub fn tap(app: &mut App, label: &str) {
    TAPS.with(|taps| taps.set(taps.get() + 1));
    let mut ui = simulator(app);
    if let Err(error) = ui.click(label) {
        panic!("cannot tap {label:?}: {error:?}");
    }
    let messages: Vec<Message> = ui.into_messages().collect();
    assert!(
        !messages.is_empty(),
        "tapping {label:?} did nothing (screen {:?}, notice {:?})",
        app.screen().target(),
        app.notice()
    );
    for message in messages {
        send(app, message);
    }
}

/// Types on the on-screen keypad or keyboard, one tap per key.
pub fn type_keys(app: &mut App, keys: &str) {
    for key in keys.chars() {
        tap(app, &key.to_string());
    }
}

pub fn sees(app: &App, text: &str) -> bool {
    simulator(app).find(text).is_ok()
}

pub fn id() -> Translator {
    Translator::new(Language::Id)
}

/// From home to the NIK question of a claim for oneself.
pub fn to_identity(app: &mut App) {
    let t = id();
    tap(app, &t.tr("ui-home-start"));
    tap(app, &t.tr("ui-consent-agree"));
    assert_eq!(app.screen().target(), Target::Identity);
    tap(app, &t.tr("ui-ways-whom-self"));
}

/// Through the identity questions to the reason list.
pub fn to_reason(app: &mut App) {
    to_identity(app);
    type_identity(app);
}

/// From the NIK question: the NIK typed and its date and sex confirmed, the KPJ typed, on to the name.
pub fn type_nik_and_kpj(app: &mut App) {
    let t = id();
    type_keys(app, NIK);
    tap(app, &t.tr("ui-next"));
    tap(app, &t.tr("ui-yes-correct"));
    type_keys(app, KPJ);
    tap(app, &t.tr("ui-next"));
}

/// From the NIK question through the typed identity questions to the reason list.
pub fn type_identity(app: &mut App) {
    let t = id();
    type_nik_and_kpj(app);
    type_keys(app, "SITI");
    tap(app, &t.tr("ui-key-space"));
    type_keys(app, "AMINAH");
    tap(app, &t.tr("ui-next"));
    type_mother(app);
    tap(app, &t.tr("ui-next"));
    assert_eq!(app.screen().target(), Target::Reason);
}

/// The date `ddmmyyyy` (as it would be typed) as a date.
pub fn typed_date(ddmmyyyy: &str) -> NaiveDate {
    NaiveDate::parse_from_str(ddmmyyyy, "%d%m%Y").unwrap()
}

/// Taps the month of `ddmmyyyy` among the recent months of the reason screen's date picker.
pub fn pick_month(app: &mut App, ddmmyyyy: &str) {
    let month = lapak_kiosk::ui::screen::reason::YearMonth::of(typed_date(ddmmyyyy));
    tap(app, &month.label(&id()));
}

/// Taps the day of `ddmmyyyy` on the month's grid.
pub fn pick_day(app: &mut App, ddmmyyyy: &str) {
    tap(
        app,
        &chrono::Datelike::day(&typed_date(ddmmyyyy)).to_string(),
    );
}

/// Picks a date on the reason screen in two taps, its month then its day; the answer shows beside the grid.
pub fn pick_date(app: &mut App, ddmmyyyy: &str) {
    pick_month(app, ddmmyyyy);
    pick_day(app, ddmmyyyy);
}

/// The identity screen's step, when it is on screen.
pub fn identity_step(app: &App) -> Option<Step> {
    match app.screen() {
        Screen::Identity(identity) => Some(identity.step()),
        _ => None,
    }
}

/// The camera view of the card photographed on the identity screen, when one is on screen.
pub fn card_photo(app: &App) -> Option<&lapak_kiosk::ui::screen::documents::Documents> {
    match app.screen() {
        Screen::Identity(identity) => identity.photo(),
        _ => None,
    }
}

/// Photographs the card on the identity screen and lets it be read: by hand ("Ambil foto", once the
/// camera shows the card) when `camera` is given, else the photo takes itself. Returns at the step after
/// the reading.
pub fn photograph_card(app: &mut App, feeds: &mut Feeds, camera: Option<&CameraHandle>) {
    let step = identity_step(app);
    assert!(
        matches!(step, Some(Step::EktpPhoto | Step::KpjPhoto)),
        "no card photo on screen: {step:?}"
    );
    match camera {
        Some(camera) => {
            // Up to a minute: the simulated camera draws the demo card first, slowly in a debug build.
            let live = headless()
                .wait_for(
                    feeds,
                    app,
                    |app| card_photo(app).is_some_and(|photo| photo.shows_picture()),
                    std::time::Duration::from_secs(60),
                )
                .unwrap();
            assert!(
                live,
                "the camera feed brought no live picture to the card photo"
            );
            fresh_frames(camera);
            tap(app, &id().tr("ui-documents-capture"));
        }
        None => {
            let read = headless()
                .wait_for(
                    feeds,
                    app,
                    |app| identity_step(app) != step,
                    std::time::Duration::from_secs(45),
                )
                .unwrap();
            assert!(read, "{step:?}: the photo did not take itself");
        }
    }
    assert_ne!(identity_step(app), step, "the card was not read");
}

/// The identity questions when the kiosk reads the cards: the e-KTP and the KPJ card photographed (by hand
/// when `camera` is given, else they take themselves), what was read confirmed with "Benar", the mother's
/// maiden name typed; ends at the reason list.
pub fn confirm_read_cards(app: &mut App, camera: Option<&CameraHandle>) {
    let t = id();
    let mut feeds = Feeds::new();
    photograph_card(app, &mut feeds, camera);
    assert_eq!(identity_step(app), Some(Step::EktpRead));
    tap(app, &t.tr("ui-reading-right"));
    photograph_card(app, &mut feeds, camera);
    assert_eq!(identity_step(app), Some(Step::KpjRead));
    tap(app, &t.tr("ui-reading-right"));
    assert_eq!(identity_step(app), Some(Step::Mother));
    type_mother(app);
    tap(app, &t.tr("ui-next"));
    assert_eq!(app.screen().target(), Target::Reason);
}

/// Types the mother's maiden name on the letter keyboard, tapping each word among the name suggestions as
/// soon as it is offered.
pub fn type_mother(app: &mut App) {
    type_name(app, MOTHER);
}

/// Types `name` on the letter keyboard word by word: letter keys until the word is offered among the name
/// suggestions, then the suggestion (which adds the space); a word never offered is typed whole, with a space
/// before the next.
pub fn type_name(app: &mut App, name: &str) {
    let t = id();
    let words: Vec<&str> = name.split(' ').collect();
    for (index, word) in words.iter().enumerate() {
        let mut typed = 0;
        for letter in word.chars() {
            if typed >= 2 && sees(app, word) {
                break;
            }
            tap(app, &letter.to_string());
            typed += 1;
        }
        if typed < word.len() || sees(app, word) {
            tap(app, word);
        } else if index + 1 < words.len() {
            tap(app, &t.tr("ui-key-space"));
        }
    }
}

/// The newest full frame of a camera, waiting up to 30 seconds for the first one (a camera opening draws its
/// first scene slowly in a debug build on a busy machine).
pub fn frame_of(camera: &CameraHandle) -> Arc<Frame> {
    for _ in 0..1200 {
        if let Ok(frame) = camera.capture() {
            return frame;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    panic!("the simulated camera delivered no frame");
}

/// Runs the app's feeds (the camera subscription among them) until `until` holds, at most 20 seconds.
pub fn wait_until(app: &mut App, feeds: &mut Feeds, until: impl Fn(&App) -> bool) -> bool {
    headless()
        .wait_for(feeds, app, until, std::time::Duration::from_secs(20))
        .unwrap()
}

/// Runs the app's feeds until the documents screen shows the camera's live picture.
pub fn see_the_live_picture(app: &mut App, feeds: &mut Feeds) {
    let live = wait_until(
        app,
        feeds,
        |app| matches!(app.screen(), Screen::Documents(documents) if documents.shows_picture()),
    );
    assert!(
        live,
        "the camera feed brought no live picture to the documents screen"
    );
}

/// Waits until the camera worker's own state is `wanted` (without taking its events from the screens).
pub fn wait_for_camera_state(
    camera: &CameraHandle,
    wanted: impl Fn(&lapak_kiosk::camera::CameraState) -> bool,
) {
    for _ in 0..400 {
        if wanted(&camera.state()) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("the camera worker never reached the awaited state");
}

/// Waits for the camera event `wanted` (the worker noticed a loss or a return), skipping frames.
pub fn wait_for_camera(
    camera: &CameraHandle,
    wanted: impl Fn(&CameraEvent) -> bool,
) -> CameraEvent {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::time::Instant::now() < deadline {
        if let Some(event) = camera.next_event(std::time::Duration::from_millis(100))
            && wanted(&event)
        {
            return event;
        }
    }
    panic!("the camera worker never reported the awaited event");
}

/// Waits until the camera holds a frame taken after this call (a scene switch has reached the picture).
pub fn fresh_frames(camera: &CameraHandle) {
    let seen = frame_of(camera).seq;
    // Up to 30 seconds: a switch to another scene is drawn first, slowly in a debug build.
    for _ in 0..3000 {
        if camera.capture().is_ok_and(|frame| frame.seq >= seen + 2) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("the simulated camera delivered no new frame");
}

/// Photographs every required document: taps "Ambil foto" (the app runs the capture pipeline on the
/// simulated camera's newest frame, which shows the face on the selfie screen as in demo mode), checks the
/// photo was taken, taps "Lanjut".
pub fn photograph_documents(app: &mut App, camera: &CameraHandle) -> Vec<DocumentKind> {
    let t = id();
    let mut taken = Vec::new();
    // One feed runner for the whole visit, as the kiosk window keeps the screen's camera subscription: the
    // camera streams while its feed lives and rests once it is dropped.
    let mut feeds = Feeds::new();
    while let Screen::Documents(documents) = app.screen() {
        let kind = documents.current().unwrap();
        see_the_live_picture(app, &mut feeds);
        fresh_frames(camera);
        tap(app, &t.tr("ui-documents-capture"));
        assert!(
            sees(app, &t.tr("ui-documents-taken")),
            "{kind:?}: the photo was not taken"
        );
        tap(app, &t.tr("ui-documents-use"));
        taken.push(kind);
    }
    taken
}

/// Photographs every required document with no tap at all: shows each document (or the face) to the
/// camera, waits until the photo has taken itself, is shown with its countdown, and the screen has gone on
/// by itself.
pub fn let_documents_photograph_themselves(app: &mut App) -> Vec<DocumentKind> {
    let mut taken = Vec::new();
    let mut feeds = Feeds::new();
    while let Screen::Documents(documents) = app.screen() {
        let kind = documents.current().unwrap();
        let took_itself = wait_until(
            app,
            &mut feeds,
            |app| matches!(app.screen(), Screen::Documents(documents) if documents.shot() == &lapak_kiosk::ui::screen::documents::Shot::Taken),
        );
        assert!(took_itself, "{kind:?}: the photo did not take itself");
        let Screen::Documents(documents) = app.screen() else {
            panic!("left the documents screen");
        };
        assert!(
            documents.going_on_in().is_some(),
            "{kind:?}: no countdown on the photo that took itself"
        );
        let went_on = wait_until(
            app,
            &mut feeds,
            |app| !matches!(app.screen(), Screen::Documents(documents) if documents.current() == Some(kind)),
        );
        assert!(went_on, "{kind:?}: the screen did not go on by itself");
        taken.push(kind);
    }
    taken
}

/// From the phone question to the documents: a mobile number after the "08" already typed, no e-mail, a balance under the NPWP
/// threshold, an account at `bank`, the holder's name as pre-filled (shown under the number).
pub fn answer_contact_and_bank(app: &mut App, bank: &str) {
    let t = id();
    type_keys(app, "1234567890");
    tap(app, &t.tr("ui-next"));
    tap(app, &t.tr("ui-balance-not-above"));
    tap(app, bank);
    type_keys(app, "1234567890");
    tap(app, &t.tr("ui-next"));
    start_photos(app);
}

/// From home to the first photo of a resign claim: the reason list, "Berhenti bekerja" on 1 August 2026,
/// the contact and an account at BNI, the checklist's "Mulai foto".
pub fn to_documents_for_resign(app: &mut App) {
    let t = id();
    to_reason(app);
    tap(app, &t.message(&lapak_kiosk::claim::Reason::Resign));
    pick_date(app, "01082026");
    tap(app, &t.tr("ui-next"));
    answer_contact_and_bank(app, "BNI");
}

/// Taps "Mulai foto" on the checklist of documents shown before the first photo.
pub fn start_photos(app: &mut App) {
    assert!(
        matches!(
            app.panel(),
            Some(lapak_kiosk::ui::help::Panel::Checklist(_))
        ),
        "no checklist before the first photo"
    );
    tap(app, &id().tr("ui-checklist-start"));
    assert!(app.panel().is_none());
}

/// Taps a resign claim through every screen up to the review.
pub fn tap_through_resign(app: &mut App, camera: &CameraHandle) {
    let t = id();
    to_identity(app);
    // A kiosk that reads the cards photographs them first; else the identity is typed.
    if card_photo(app).is_some() {
        confirm_read_cards(app, Some(camera));
    } else {
        type_identity(app);
    }
    tap(app, &t.message(&Reason::Resign));
    pick_date(app, "01082026");
    assert!(sees(app, &t.tr("ui-reason-eligible")));
    tap(app, &t.tr("ui-next"));
    assert_eq!(app.screen().target(), Target::Contact);
    type_keys(app, "1234567890");
    tap(app, &t.tr("ui-next"));
    assert!(sees(app, &t.tr("ui-balance-question")));
    tap(app, &t.tr("ui-balance-not-above"));
    assert_eq!(app.screen().target(), Target::Bank);
    tap(app, "BCA");
    type_keys(app, "1234567890");
    // The holder, pre-filled with the participant's name, is shown under the number: no separate step.
    assert!(sees(
        app,
        &t.tr_args(
            "ui-bank-holder-line",
            &[(
                "holder",
                lapak_kiosk::i18n::MessageArg::Text("SITI AMINAH".to_owned())
            )],
        )
    ));
    tap(app, &t.tr("ui-next"));
    assert_eq!(app.screen().target(), Target::Documents);
    start_photos(app);
    let taken = photograph_documents(app, camera);
    assert!(taken.contains(&DocumentKind::Paklaring), "{taken:?}");
    // The cards photographed on the identity screen are not asked again.
    let on_identity = [DocumentKind::Ektp, DocumentKind::KpjCard]
        .iter()
        .filter(|kind| !taken.contains(kind))
        .count();
    assert!(on_identity == 0 || on_identity == 2, "{taken:?}");
    assert!(!taken.contains(&DocumentKind::Npwp), "{taken:?}");
    assert_eq!(taken.last(), Some(&DocumentKind::Selfie));
    assert_eq!(app.screen().target(), Target::Review);
    assert_eq!(app.draft().documents.len(), taken.len() + on_identity);
}
