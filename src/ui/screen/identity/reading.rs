//! The cards read on the identity screen: after "Saya sendiri" the e-KTP is photographed (the documents
//! screen's camera view, guide, hints, auto-shutter and photo checks, embedded), read off the UI thread, and
//! what was read for sure is shown for the participant to confirm ("Benar") or correct ("Ubah": the keypad,
//! prefilled); then the KPJ card the same way. The photos are the claim's e-KTP and KPJ card. A field read
//! doubtfully is asked on the keypad, empty; "Ketik sendiri" types instead of photographing. Everything read
//! passes the same checks as typed input. Nothing read is logged.

use chrono::NaiveDate;
use iced::widget::{column, image, row, space, text};
use iced::{Element, Subscription, Task};

use super::{Identity, Message, Step};
use crate::camera::SimulatedScene;
use crate::camera::demo_cards::DemoCard;
use crate::claim::regions::Regions;
use crate::claim::validate::KpjLength;
use crate::claim::{DocumentKind, Sex};
use crate::i18n::MessageArg;
use crate::packet::Document;
use crate::ui::Context;
use crate::ui::check;
use crate::ui::context::blocking;
use crate::ui::draft::{Change, Draft};
use crate::ui::screen::documents::{self, Documents, preview_size};
use crate::ui::screen::{Action, choice, heading, layout, nav_button, navigation};
use crate::ui::theme;

/// What was read from a card for sure: a field is `None` when it was doubtful (it is then asked).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Read {
    /// The NIK (e-KTP).
    pub nik: Option<String>,
    /// The name as printed (e-KTP).
    pub name: Option<String>,
    /// The place of birth as printed (e-KTP).
    pub place_of_birth: Option<String>,
    /// The date of birth as printed (e-KTP).
    pub date_of_birth: Option<NaiveDate>,
    /// The sex as printed (e-KTP).
    pub sex: Option<Sex>,
    /// The KPJ number (KPJ card).
    pub kpj: Option<String>,
}

impl std::fmt::Debug for Read {
    // Personal data: only which fields were read.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Read")
            .field("nik", &self.nik.is_some())
            .field("name", &self.name.is_some())
            .field("kpj", &self.kpj.is_some())
            .finish_non_exhaustive()
    }
}

/// The cards' part of the identity screen's state.
#[derive(Debug, Clone, Default)]
pub struct Cards {
    /// This visit reads the cards (the kiosk reads them and the claim is the participant's own).
    on: bool,
    /// The camera view of the card being photographed.
    photo: Option<Documents>,
    /// The photo taken, waiting for its reading to end (then it goes into the draft).
    taken: Option<Document>,
    /// What was read from the card on screen.
    read: Read,
    /// The name read from the e-KTP was confirmed: it is not asked again.
    pub(super) name_confirmed: bool,
    /// The KPJ card's step was passed (photographed or typed).
    kpj_done: bool,
}

impl Cards {
    /// Whether the card on screen is being read.
    pub fn reading(&self) -> bool {
        self.taken.is_some()
    }
}

/// The document kinds photographed on the identity screen are not asked again on the documents screen
/// (unless every document is already taken: the participant came back from the review to the last photo).
pub fn still_to_photograph(kinds: Vec<DocumentKind>, draft: &Draft) -> Vec<DocumentKind> {
    let taken = |kind: &DocumentKind| draft.documents.iter().any(|doc| doc.kind == *kind);
    if kinds.iter().all(taken) {
        return kinds;
    }
    let read_on_identity = |kind: &DocumentKind| {
        matches!(kind, DocumentKind::Ektp | DocumentKind::KpjCard) && taken(kind)
    };
    kinds
        .into_iter()
        .filter(|kind| !read_on_identity(kind))
        .collect()
}

/// The NIK in groups of four digits, as it is read aloud and checked by eye.
pub fn grouped(digits: &str) -> String {
    let chars: Vec<char> = digits.chars().collect();
    chars
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

impl Identity {
    /// The cards' view while a card is photographed or read.
    pub fn cards(&self) -> &Cards {
        &self.cards
    }

    /// The camera view of the card being photographed, on the photo steps.
    pub fn photo(&self) -> Option<&Documents> {
        match self.step {
            Step::EktpPhoto | Step::KpjPhoto => self.cards.photo.as_ref(),
            _ => None,
        }
    }

    /// Whether the screen shows the camera's live picture (a card is photographed).
    pub fn wants_camera(&self) -> bool {
        self.photo().is_some() && !self.cards.reading()
    }

    /// The photo steps' clocks: the documents screen's checks of the live picture and its countdown.
    pub fn subscription(&self, ctx: &Context<'_>) -> Subscription<Message> {
        match self.photo() {
            Some(photo) if !self.cards.reading() => photo.subscription(ctx).map(Message::Photo),
            _ => Subscription::none(),
        }
    }

    /// What the demo kiosk's simulated camera shows: the demo participant's card on its photo step.
    pub fn demo_scene(&self) -> Option<SimulatedScene> {
        match self.step {
            Step::EktpPhoto => Some(SimulatedScene::Demo(DemoCard::Ektp)),
            Step::KpjPhoto => Some(SimulatedScene::Demo(DemoCard::Kpj)),
            _ => None,
        }
    }

    /// After "Saya sendiri": the e-KTP's photo when the kiosk reads the cards, else the NIK on the keypad.
    pub(super) fn start_cards(&mut self, ctx: &Context<'_>) {
        self.cards = Cards {
            on: ctx.devices.read_cards && ctx.devices.camera.is_some(),
            ..Cards::default()
        };
        if self.cards.on {
            self.open_photo(Step::EktpPhoto, ctx);
        } else {
            self.step = Step::Nik;
        }
    }

    fn open_photo(&mut self, step: Step, ctx: &Context<'_>) {
        let (kind, question) = match step {
            Step::KpjPhoto => (DocumentKind::KpjCard, "ui-reading-kpj-question"),
            _ => (DocumentKind::Ektp, "ui-reading-ektp-question"),
        };
        self.step = step;
        self.cards.taken = None;
        self.cards.photo = Some(Documents::retake(kind, ctx).titled(question));
    }

    /// After the NIK is settled: the KPJ card's photo when this visit reads the cards, else its keypad.
    pub(super) fn go_to_kpj(&mut self, ctx: &Context<'_>) {
        if self.cards.on && !self.cards.kpj_done {
            self.open_photo(Step::KpjPhoto, ctx);
        } else {
            self.step = Step::Kpj;
        }
    }

    /// After the KPJ number: the name, unless it was read from the e-KTP and confirmed.
    pub(super) fn after_kpj(&mut self) {
        self.cards.kpj_done = true;
        self.step = if self.cards.name_confirmed && check::name(&self.name).0.accepts() {
            Step::Mother
        } else {
            Step::Name
        };
    }

    /// "Kembali" from the NIK or the KPJ keypad: the card's photo when this visit reads the cards.
    pub(super) fn back_to_photo(&mut self, step: Step, ctx: &Context<'_>) -> bool {
        if self.cards.on {
            if step == Step::KpjPhoto {
                self.cards.kpj_done = false;
            }
            self.open_photo(step, ctx);
        }
        self.cards.on
    }

    /// Handles the cards' messages; any other message is handed back.
    #[expect(
        clippy::result_large_err,
        reason = "the message given back is the one just handed in, moved once per tap"
    )]
    pub(super) fn update_cards(
        &mut self,
        message: Message,
        ctx: &Context<'_>,
    ) -> Result<Action<Message>, Message> {
        let step = self.step;
        let ektp = step == Step::EktpPhoto || step == Step::EktpRead;
        match (step, message) {
            (Step::EktpPhoto | Step::KpjPhoto, Message::Back) => {
                self.cards.taken = None;
                match step {
                    Step::EktpPhoto => self.step = Step::Whom,
                    _ if self.facts.is_some() && self.cards.read.nik.is_some() => {
                        self.step = Step::EktpRead
                    }
                    _ => self.step = Step::Confirm,
                }
            }
            (Step::EktpPhoto | Step::KpjPhoto, Message::Photo(documents::Message::Back)) => {
                return self.update_cards(Message::Back, ctx);
            }
            (Step::EktpPhoto, Message::TypeInstead) => {
                self.cards.taken = None;
                self.nik.clear();
                self.place.clear();
                self.step = Step::Nik;
            }
            (Step::KpjPhoto, Message::TypeInstead) => {
                self.cards.taken = None;
                self.kpj.clear();
                self.cards.kpj_done = true;
                self.step = Step::Kpj;
            }
            (Step::EktpPhoto | Step::KpjPhoto, Message::Photo(inner)) => {
                let Some(photo) = self.cards.photo.as_mut() else {
                    return Ok(Action::None);
                };
                return Ok(match photo.update(inner, ctx) {
                    // The photo is accepted: it is read before it goes into the draft.
                    Action::Keep(Change::Document(document)) if self.cards.taken.is_none() => {
                        let task = read_task(document.clone(), ctx);
                        self.cards.taken = Some(document);
                        Action::Run(task)
                    }
                    Action::Show(_) | Action::Keep(_) => Action::None,
                    other => other.map(Message::Photo),
                });
            }
            (Step::EktpPhoto | Step::KpjPhoto, Message::Read(read)) => {
                let Some(document) = self.cards.taken.take() else {
                    return Ok(Action::None);
                };
                self.took(read, ctx);
                return Ok(Action::Keep(Change::Document(document)));
            }
            (Step::EktpRead | Step::KpjRead, Message::ReadRight) => {
                if ektp {
                    self.cards.name_confirmed = self.cards.read.name.is_some();
                    self.place = self.cards.read.place_of_birth.clone().unwrap_or_default();
                    self.go_to_kpj(ctx);
                } else {
                    self.after_kpj();
                }
            }
            (Step::EktpRead, Message::ReadChange) => {
                // The keypad steps, prefilled with what was read; what they settle is what counts.
                self.cards.name_confirmed = false;
                self.cards.read = Read::default();
                // The place of birth is not asked on the keypad: after "Ubah" it is left out.
                self.place.clear();
                self.step = Step::Nik;
            }
            (Step::KpjRead, Message::ReadChange) => {
                self.cards.kpj_done = true;
                self.step = Step::Kpj;
            }
            (Step::EktpRead, Message::Back) => self.open_photo(Step::EktpPhoto, ctx),
            (Step::KpjRead, Message::Back) => self.open_photo(Step::KpjPhoto, ctx),
            (_, message) => return Err(message),
        }
        Ok(Action::None)
    }

    /// A card was read: what was read for sure and passes the typed input's checks is offered to confirm;
    /// the rest is asked on the keypad, empty.
    fn took(&mut self, read: Read, ctx: &Context<'_>) {
        if self.step == Step::KpjPhoto {
            let kpj = read
                .kpj
                .filter(|kpj| check::kpj(kpj, ctx.claim.kpj).accepts());
            self.kpj = kpj.clone().unwrap_or_default();
            self.cards.read.kpj = kpj;
            self.cards.kpj_done = true;
            self.step = if self.kpj.is_empty() {
                Step::Kpj
            } else {
                Step::KpjRead
            };
            return;
        }
        let (nik_check, facts) = match &read.nik {
            Some(nik) => check::nik_in(ctx.claim.regions, nik, ctx.today),
            None => (check::Check::Empty, None),
        };
        // The NIK's own date of birth and sex must be the printed ones.
        let agrees = facts.is_some_and(|facts| {
            read.date_of_birth
                .is_none_or(|date| date == facts.date_of_birth)
                && read.sex.is_none_or(|sex| sex == facts.sex)
        });
        let nik = read.nik.clone().filter(|_| nik_check.accepts() && agrees);
        let name = read
            .name
            .clone()
            .filter(|name| check::name(name).0.accepts());
        self.name = name.clone().unwrap_or_default();
        // Recorded only once confirmed with "Benar".
        self.place.clear();
        self.cards.read = Read {
            nik: nik.clone(),
            name,
            ..read
        };
        match nik {
            Some(nik) => {
                self.nik = nik;
                self.facts = facts;
                self.step = Step::EktpRead;
            }
            None => {
                self.nik.clear();
                self.facts = None;
                self.step = Step::Nik;
            }
        }
    }

    /// The photo steps and the read cards' confirmation.
    pub(super) fn view_cards<'a>(&'a self, ctx: &Context<'_>) -> Element<'a, Message> {
        let t = ctx.t;
        let shown: Option<Element<'a, Message>> = self
            .cards
            .photo
            .as_ref()
            .and_then(Documents::photo)
            .map(|photo| {
                let (w, h) = preview_size(photo);
                image(photo.clone()).width(w).height(h).into()
            });
        match (self.step, self.cards.photo.as_ref()) {
            (Step::EktpPhoto | Step::KpjPhoto, _) if self.cards.reading() => layout(
                column![
                    heading(t.tr("ui-reading-busy")),
                    text(t.tr("ui-reading-busy-help")).size(theme::BODY)
                ]
                .spacing(theme::GAP),
                shown,
                navigation(t, Message::Back, None),
            ),
            (Step::EktpPhoto | Step::KpjPhoto, Some(photo)) => column![
                // The question is the camera view's own title.
                row![
                    space::horizontal(),
                    nav_button(t.tr("ui-reading-type"), Some(Message::TypeInstead), false),
                ]
                .align_y(iced::Center),
                photo.view(ctx).map(Message::Photo),
            ]
            .spacing(theme::GAP)
            .into(),
            _ => self.view_read(ctx, shown),
        }
    }

    /// What was read, with "Benar" and "Ubah".
    fn view_read<'a>(
        &'a self,
        ctx: &Context<'_>,
        shown: Option<Element<'a, Message>>,
    ) -> Element<'a, Message> {
        let t = ctx.t;
        let read = &self.cards.read;
        let line = |id: &str, value: Option<String>| {
            let value = value.unwrap_or_else(|| t.tr("ui-reading-unsure"));
            text(t.tr_args(id, &[("value", MessageArg::Text(value))])).size(36)
        };
        let mut left = column![heading(t.tr("ui-reading-check-question"))].spacing(theme::GAP);
        if self.step == Step::KpjRead {
            left = left.push(line("ui-reading-kpj", read.kpj.clone()));
        } else {
            // The date of birth and the sex the NIK encodes (they agree with the printed ones when those
            // were read): "Benar" confirms them, so they are never shown as still to be asked.
            let date = read
                .date_of_birth
                .or(self.facts.map(|facts| facts.date_of_birth));
            let born = match (&read.place_of_birth, date) {
                (Some(place), Some(date)) => Some(format!("{place}, {}", t.date(date))),
                (None, Some(date)) => Some(t.date(date)),
                _ => None,
            };
            let sex = read.sex.or(self.facts.map(|facts| facts.sex)).map(|sex| {
                t.tr(match sex {
                    Sex::Male => "ui-sex-male",
                    Sex::Female => "ui-sex-female",
                })
            });
            left = left
                .push(line("ui-reading-nik", read.nik.as_deref().map(grouped)))
                .push(line("ui-reading-name", read.name.clone()))
                .push(line("ui-reading-born", born))
                .push(line("ui-reading-sex", sex));
        }
        left = left.push(
            row![
                choice(t.tr("ui-reading-right"), Message::ReadRight, false),
                choice(t.tr("ui-reading-change"), Message::ReadChange, false),
            ]
            .spacing(theme::GAP),
        );
        layout(left, shown, navigation(t, Message::Back, None))
    }
}

/// Reads the photo `document` off the UI thread with the shipped recognizer; a card that cannot be read
/// comes back with nothing read (every field is then asked).
fn read_task(document: Document, ctx: &Context<'_>) -> Task<Message> {
    let regions = ctx.claim.regions.clone();
    let (today, length) = (ctx.today, ctx.claim.kpj);
    Task::perform(
        blocking(move || read_card(&document, &regions, today, length)),
        |read| Message::Read(read.unwrap_or_default()),
    )
}

#[cfg(feature = "reading")]
fn read_card(document: &Document, regions: &Regions, today: NaiveDate, length: KpjLength) -> Read {
    use crate::reading::{Recognizer, read_ektp, read_kpj_card};
    let Ok(decoded) = ::image::load_from_memory(&document.jpeg) else {
        return Read::default();
    };
    let grey = decoded.to_luma8();
    let card = crate::camera::Luma {
        width: grey.width(),
        height: grey.height(),
        data: grey.into_raw(),
    };
    let Ok(recognizer) = Recognizer::shared() else {
        return Read::default();
    };
    match document.kind {
        DocumentKind::KpjCard => Read {
            kpj: read_kpj_card(recognizer, &card, length)
                .ok()
                .and_then(|read| read.kpj.value),
            ..Read::default()
        },
        _ => match read_ektp(recognizer, &card, regions, today) {
            Ok(read) => Read {
                nik: read.nik.value,
                name: read.name.value,
                place_of_birth: read.place_of_birth.value,
                date_of_birth: read.date_of_birth.value,
                sex: read.sex.value,
                kpj: None,
            },
            Err(_) => Read::default(),
        },
    }
}

#[cfg(not(feature = "reading"))]
fn read_card(_: &Document, _: &Regions, _: NaiveDate, _: KpjLength) -> Read {
    Read::default()
}
