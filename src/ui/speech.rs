//! What the screens say: each participant screen speaks its question on arrival and when it moves to its next
//! step, then what it adds (a photo hint, the camera's state); the saved screen reads the reference digit by
//! digit; the idle warning is spoken too. The words are voice clips, one per message id
//! (`tools/make-voice`); a message with a placeable has no clip, so the screens speak clip-able messages only.
//!
//! The root calls [`follow`] after every message: a new page stops what the old one said and speaks; the same
//! page speaks again only when its words changed. "Ulangi suara" ([`repeat_button`]) says it all again. The
//! [`Narrator`] (in [`Devices`](super::Devices)) remembers what was said and the staff's volume, which every
//! new session (every return to home) starts at.

use std::mem::Discriminant;
use std::sync::{Mutex, MutexGuard};

use iced::widget::{button, row, text};
use iced::{Center, Element, Fill};

use super::idle::IdleState;
use super::screen::{self, Screen, Target, bank, contact, documents, identity, reason, status};
use super::{Context, Message, theme};
use crate::claim::DocumentKind;
use crate::i18n::{Language, Translatable, Translator};
use crate::sound::{Clip, Sound};

/// What a screen says now: its question, and what it adds (a hint, a problem), as message ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Words {
    /// The question (or the page's news), spoken on arrival and when it changes.
    pub question: Vec<String>,
    /// What the screen adds to it now (a photo hint, the camera's state); a change is spoken alone.
    pub extra: Vec<String>,
}

impl Words {
    fn of(question: &[&str]) -> Words {
        Words {
            question: question.iter().map(|id| (*id).to_owned()).collect(),
            extra: Vec::new(),
        }
    }
}

/// What the kiosk said last and the volume staff set; shared by the root and the maintenance screen.
#[derive(Debug, Default)]
pub struct Narrator {
    said: Mutex<Said>,
    staff_volume: Mutex<Option<u8>>,
}

#[derive(Debug, Default)]
struct Said {
    page: Option<(Target, Discriminant<Screen>)>,
    language: Option<Language>,
    words: Words,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Narrator {
    /// Forgets what was said, so the next [`follow`] says the screen's words again ("Ulangi suara").
    pub fn forget(&self) {
        lock(&self.said).words = Words::default();
    }

    /// Sets the volume staff chose in maintenance: applied now and at the start of every session.
    pub fn set_staff_volume(&self, sound: &dyn Sound, percent: u8) {
        let percent = percent.min(100);
        *lock(&self.staff_volume) = Some(percent);
        sound.set_volume(percent);
    }

    /// The volume every session starts at: the staff's choice, else the configured `[sound] volume` the
    /// speaker opened with.
    pub fn session_volume(&self, sound: &dyn Sound) -> u8 {
        lock(&self.staff_volume).unwrap_or_else(|| sound.volume())
    }
}

/// After each message: a new page stops what the old one said and speaks its words; on the same page, a new
/// question (the next step, another language) is spoken after a stop, new extra words (a photo hint) alone.
/// The return to home (a session ends) sets the speaker to the staff's volume. Returns whether a new page or
/// a new question came (not the idle warning coming or going), so the screen can start at its top.
pub fn follow(screen: &Screen, before: Target, idle: IdleState, ctx: &Context<'_>) -> bool {
    let sound = &*ctx.devices.sound;
    let narrator = &ctx.devices.narrator;
    let language = ctx.t.language();
    let page = (screen.target(), std::mem::discriminant(screen));
    let words = words(screen, idle, ctx);
    let mut said = lock(&narrator.said);
    let new_page = said.page != Some(page) || before != page.0;
    let idle_words = Words::of(&["ui-idle-title"]).question;
    let new_question = new_page
        || (said.words.question != words.question
            && said.words.question != idle_words
            && words.question != idle_words);
    if new_page {
        sound.stop();
        if matches!(screen, Screen::Home(_)) {
            sound.set_volume(narrator.session_volume(sound));
        }
    }
    let clips = |ids: &[String]| -> Vec<Clip> {
        ids.iter()
            .map(|id| Clip::new(language, id.clone()))
            .collect()
    };
    if new_page || said.language != Some(language) || said.words.question != words.question {
        if !new_page {
            sound.stop();
        }
        let all: Vec<String> = words.question.iter().chain(&words.extra).cloned().collect();
        if !all.is_empty() {
            sound.speak(clips(&all));
        }
    } else if said.words.extra != words.extra && !words.extra.is_empty() {
        sound.stop();
        sound.speak(clips(&words.extra));
    }
    *said = Said {
        page: Some(page),
        language: Some(language),
        words,
    };
    new_question
}

/// What `screen` says now (the idle warning when it is on screen).
pub fn words(screen: &Screen, idle: IdleState, ctx: &Context<'_>) -> Words {
    if let IdleState::Countdown { .. } = idle {
        return Words::of(&["ui-idle-title"]);
    }
    match screen {
        Screen::Home(_) => Words::of(&["ui-home-welcome", "ui-home-intro"]),
        Screen::Consent(_) => Words::of(&["ui-consent-question"]),
        Screen::Identity(s) if s.photo().is_some() => card_photo_words(s),
        Screen::Identity(s) => with_problem(
            s.problem(ctx),
            ctx,
            match (s.step(), identity::for_deceased(ctx.draft)) {
                (identity::Step::Whom, _) => &["ui-ways-whom-question", "ui-ways-whom-help"],
                (identity::Step::EktpRead | identity::Step::KpjRead, _) => {
                    &["ui-reading-check-question"]
                }
                (identity::Step::EktpPhoto, _) => &["ui-reading-ektp-question"],
                (identity::Step::KpjPhoto, _) => &["ui-reading-kpj-question"],
                (identity::Step::Nik, false) => {
                    &["ui-identity-nik-question", "ui-identity-nik-help"]
                }
                (identity::Step::Nik, true) => {
                    &["ui-ways-deceased-nik-question", "ui-ways-deceased-nik-help"]
                }
                (identity::Step::Confirm, _) => &["ui-identity-confirm-question"],
                (identity::Step::Kpj, false) => {
                    &["ui-identity-kpj-question", "ui-identity-kpj-help"]
                }
                (identity::Step::Kpj, true) => {
                    &["ui-ways-deceased-kpj-question", "ui-ways-deceased-kpj-help"]
                }
                (identity::Step::Name, false) => &["ui-identity-name-question"],
                (identity::Step::Name, true) => &["ui-ways-deceased-name-question"],
                (identity::Step::Mother, false) => &["ui-identity-mother-question"],
                (identity::Step::Mother, true) => &["ui-ways-deceased-mother-question"],
            },
        ),
        Screen::Reason(s) => reason_words(s.step()),
        Screen::Contact(s) => Words::of(match s.step() {
            contact::Step::HeirNik => &["ui-heir-nik-question", "ui-heir-nik-help"],
            contact::Step::HeirName => &["ui-heir-name-question"],
            contact::Step::HeirRelationship => &["ui-heir-relationship-question"],
            contact::Step::Phone => &["ui-contact-phone-question", "ui-contact-phone-help"],
            contact::Step::Email => &["ui-contact-email-question"],
            contact::Step::Balance => &["ui-balance-question", "ui-balance-help"],
            contact::Step::Npwp => &["ui-npwp-question", "ui-npwp-help"],
        }),
        Screen::Bank(s) => Words::of(match s.step() {
            bank::Step::Choose => &["ui-bank-question"],
            bank::Step::Account => &["ui-bank-account-question"],
            bank::Step::Holder => &["ui-bank-holder-question", "ui-bank-holder-help"],
        }),
        Screen::Documents(s) => documents_words(s),
        Screen::Review(_) => Words::of(&["ui-review-question"]),
        Screen::Saved(s) => {
            let mut words = Words::of(&["ui-saved-title", "ui-saved-reference"]);
            words.question.extend(
                Clip::digits(Language::Id, &s.reference().to_string())
                    .into_iter()
                    .map(|clip| clip.id),
            );
            words
        }
        Screen::Status(s) => Words::of(match s.step() {
            status::Step::Reference => {
                &["ui-status-reference-question", "ui-status-reference-help"]
            }
            status::Step::Nik => &["ui-identity-nik-question"],
            status::Step::Asking => &["ui-status-asking"],
            status::Step::Answered => &["ui-status-answer"],
        }),
        // Staff screens are not spoken.
        Screen::Maintenance(_) => Words::default(),
    }
}

/// The question, and the problem with the typed answer when its message can be spoken (has no placeable).
fn with_problem(problem: Option<&str>, ctx: &Context<'_>, question: &[&str]) -> Words {
    let mut words = Words::of(question);
    if let Some(id) = problem.filter(|id| speakable(ctx.t.language(), id)) {
        words.extra.push(id.to_owned());
    }
    words
}

/// Whether message `id` has a clip: it exists in `language` and has no placeable (the rule of
/// `tools/make-voice`).
pub fn speakable(language: Language, id: &str) -> bool {
    let start = format!("{id} =");
    let source = language.ftl_source();
    let mut lines = source.lines().skip_while(|line| !line.starts_with(&start));
    let Some(first) = lines.next() else {
        return false;
    };
    let mut continued = lines.take_while(|line| line.starts_with(' '));
    !first.contains('{') && continued.all(|line| !line.contains('{'))
}

fn reason_words(step: reason::Step) -> Words {
    match step {
        reason::Step::Choose => Words::of(&["ui-reason-question"]),
        reason::Step::Date(reason::DateKind::MembershipStart) => {
            Words::of(&["ui-reason-membership-start", "ui-date-help"])
        }
        reason::Step::Date(reason::DateKind::Event) => Words::of(&["ui-date-help"]),
        reason::Step::Month(_) => Words::of(&["ui-date-month-help"]),
        reason::Step::Day(..) => Words::of(&["ui-date-day-help"]),
        reason::Step::Answer(answer) => {
            let mut words = Words::of(&[if answer.is_eligible() {
                "ui-reason-eligible"
            } else {
                "ui-reason-not-yet"
            }]);
            // A message with values (a date, a number of months) has no clip: only one without is spoken.
            if answer.message_args().is_empty() {
                words.question.push(answer.message_id().to_owned());
            }
            words
        }
    }
}

/// A card photographed on the identity screen: its question and the photo's hints, or that it is read.
fn card_photo_words(screen: &identity::Identity) -> Words {
    if screen.cards().reading() {
        return Words::of(&["ui-reading-busy", "ui-reading-busy-help"]);
    }
    let mut words = screen.photo().map(documents_words).unwrap_or_default();
    words.question = vec![
        if screen.step() == identity::Step::KpjPhoto {
            "ui-reading-kpj-question"
        } else {
            "ui-reading-ektp-question"
        }
        .to_owned(),
    ];
    words
}

fn documents_words(screen: &documents::Documents) -> Words {
    let Some(kind) = screen.current() else {
        return Words::default();
    };
    let mut words = if kind == DocumentKind::Selfie {
        Words::of(&["ui-documents-face-question"])
    } else {
        Words::of(&["voice-documents-question", kind.message_id()])
    };
    let extra: &mut Vec<String> = &mut words.extra;
    match (screen.camera(), screen.shot()) {
        (documents::CameraView::Unavailable, _) => extra.push("ui-camera-unavailable".into()),
        (documents::CameraView::Lost, _) => extra.push("ui-camera-lost".into()),
        (documents::CameraView::Starting, _) => {}
        (documents::CameraView::Live, documents::Shot::Live(hints)) => {
            extra.extend(hints.iter().map(|hint| hint.message_id().to_owned()));
        }
        (documents::CameraView::Live, documents::Shot::Refused(hints)) => {
            extra.push("ui-documents-refused".into());
            extra.extend(hints.iter().map(|hint| hint.message_id().to_owned()));
        }
        // A photo that took itself goes on by itself: its short words fit in the look.
        (documents::CameraView::Live, documents::Shot::Taken) if screen.going_on_in().is_some() => {
            extra.push("ui-documents-taken-auto".into());
        }
        (documents::CameraView::Live, documents::Shot::Taken) => {
            extra.push("ui-documents-taken".into());
        }
        (documents::CameraView::Live, documents::Shot::Capturing) => {}
    }
    words
}

/// How much one tap on "Lebih pelan" / "Lebih keras" changes the volume, in percent.
pub const VOLUME_STEP: i8 = 10;

/// Maintenance: changes the speaker's volume by `step` percent (kept within 0-100), live, and makes it the
/// level every session starts at; says the welcome at the new level so staff hear it.
pub fn change_volume(ctx: &Context<'_>, step: i8) {
    let sound = &*ctx.devices.sound;
    let level = (i16::from(sound.volume()) + i16::from(step)).clamp(0, 100);
    let level = u8::try_from(level).unwrap_or(100);
    ctx.devices.narrator.set_staff_volume(sound, level);
    tracing::info!(volume = level, "speaker volume set in maintenance");
    sound.stop();
    sound.speak(vec![Clip::new(ctx.t.language(), "ui-home-welcome")]);
}

/// Maintenance: the volume row, "Volume suara: 80 %" between "Lebih pelan" and "Lebih keras".
pub fn volume_control<'a>(ctx: &Context<'_>) -> Element<'a, screen::maintenance::Message> {
    use screen::maintenance::Message as M;
    let t = ctx.t;
    if !ctx.devices.sound.has_speaker() {
        return text(t.tr("ui-maintenance-no-speaker"))
            .size(theme::BODY)
            .into();
    }
    let level = ctx.devices.sound.volume();
    let tap = |id: &str, step: i8, enabled: bool| {
        let label = button(
            text(t.tr(id))
                .size(theme::BODY)
                .align_y(Center)
                .height(Fill),
        )
        .height(theme::TOUCH)
        .padding([0, 20])
        .style(theme::secondary_button);
        if enabled {
            label.on_press(M::Volume(step))
        } else {
            label
        }
    };
    row![
        tap("ui-maintenance-quieter", -VOLUME_STEP, level > 0),
        text(format!("{}: {level} %", t.tr("ui-maintenance-volume"))).size(theme::BODY),
        tap("ui-maintenance-louder", VOLUME_STEP, level < 100),
    ]
    .spacing(16)
    .align_y(Center)
    .into()
}

/// The repeat button's text size: a little below the body text so the header still fits 1280 px.
const REPEAT_TEXT: f32 = 24.0;

/// The "Ulangi suara" button of the header, as tall as every touch target: says the screen's words again.
pub fn repeat_button<'a>(t: &Translator) -> Element<'a, Message> {
    button(
        text(t.tr("ui-speech-repeat"))
            .size(REPEAT_TEXT)
            .align_y(Center)
            .height(Fill),
    )
    .on_press(Message::Screen(screen::Message::RepeatSpeech))
    .height(theme::TOUCH)
    .padding([0, 16])
    .style(theme::secondary_button)
    .into()
}
