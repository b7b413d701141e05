//! Documents and the face photo: one screen per required document, with the live camera preview, the guide
//! frame, and quality hints as they happen (the screen's own clock asks for a check of the live picture).
//! Once the picture has been good and steady for a moment, a countdown runs and the photo takes itself
//! ("Ambil foto" stays for those who prefer it); the photo as stored is shown with "Pakai foto ini" and
//! "Ulangi". A photo that took itself goes on by itself after a short look with its own countdown (as long as
//! the shutter's); one taken by hand waits for "Pakai foto ini". The camera's events reach the screen as its
//! own [`Message::Camera`].

use std::time::{Duration, Instant};

use iced::widget::image;
use iced::{Element, Subscription, Task};

use super::{Action, Target};
use crate::camera::{
    AutoShutter, CameraEvent, CameraState, CaptureOutcome, CardOutline, JpegFrame,
    LIVE_CHECK_EVERY, Preview, QualityHint, ShutterStep, Thumbnail,
};
use crate::claim::DocumentKind;
use crate::packet::Document;
use crate::sound::Cue;
use crate::ui::Context;
use crate::ui::context::blocking;
use crate::ui::draft::Change;

mod look;
mod view;

use look::Look;

pub use view::{PREVIEW_SIZE, picture, preview_size};

/// How often the countdown is looked at while the picture is steady (the number and its tick follow it).
const SHUTTER_EVERY: Duration = Duration::from_millis(100);

/// Where the camera is, as the screen needs to know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CameraView {
    /// The kiosk has no camera configured or it could not be opened.
    Unavailable,
    /// Waiting for the first frames.
    Starting,
    /// Frames are arriving.
    Live,
    /// Frames stopped; the worker is reconnecting.
    Lost,
}

impl CameraView {
    /// Where the camera worker says it is, before any event reached the screen. A resting camera opens
    /// again when the screen's feed starts.
    pub fn of(state: Option<CameraState>) -> CameraView {
        match state {
            None | Some(CameraState::Stopped) => CameraView::Unavailable,
            Some(CameraState::Running(_)) => CameraView::Live,
            Some(CameraState::Lost(_)) => CameraView::Lost,
            Some(CameraState::Starting | CameraState::Paused(_)) => CameraView::Starting,
        }
    }

    /// Follows one event of the camera worker; the newest picture replaces `preview`, a lost camera clears it.
    pub fn follow(&mut self, preview: &mut Option<image::Handle>, event: CameraEvent) {
        match event {
            CameraEvent::Started(_) | CameraEvent::Restored => *self = CameraView::Live,
            CameraEvent::Lost(_) => {
                *self = CameraView::Lost;
                *preview = None;
            }
            CameraEvent::Frame(frame) => {
                *self = CameraView::Live;
                *preview = Some(picture(&frame));
            }
        }
    }
}

/// The photo of the document on screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Shot {
    /// Live preview; hints from the last check of the live picture.
    Live(Vec<QualityHint>),
    /// The photo is being checked and compressed.
    Capturing,
    /// The photo was refused: what to change.
    Refused(Vec<QualityHint>),
    /// The photo is good: shown as stored, waiting for "Pakai foto ini" or "Ulangi" (or, when it took
    /// itself, for the end of the look).
    Taken,
}

/// One check of the live picture.
#[derive(Debug, Clone)]
pub struct LiveCheck {
    /// The document the check was for (a late answer for another document is dropped).
    pub kind: DocumentKind,
    /// When the checked frame arrived from the camera.
    pub at: Instant,
    /// What the participant should change; empty when the picture passes.
    pub hints: Vec<QualityHint>,
    /// The frame's thumbnail, to tell whether the picture moved since the last check.
    pub thumbnail: Thumbnail,
    /// Where the card or page was found in the picture, if it was.
    pub outline: Option<CardOutline>,
}

/// A photo taken: the pipeline's verdict and, when accepted, the stored JPEG decoded for the screen.
#[derive(Debug, Clone)]
pub struct Taken {
    /// Accepted (with the document) or refused (with hints).
    pub outcome: CaptureOutcome,
    /// The stored photo at preview size.
    pub shown: Option<Preview>,
}

/// The documents screen's state.
#[derive(Debug, Clone)]
pub struct Documents {
    kinds: Vec<DocumentKind>,
    index: usize,
    shot: Shot,
    /// Where the camera is.
    camera: CameraView,
    /// The newest preview frame.
    preview: Option<image::Handle>,
    /// The photos taken on this visit as stored, shown while the participant decides to use them (and when
    /// they come back to one).
    photos: Vec<(DocumentKind, image::Handle)>,
    /// A check of the live picture is running (one at a time).
    assessing: bool,
    /// When the photo takes itself.
    shutter: AutoShutter,
    /// The countdown number on screen (its tick sounds when it changes).
    counting: Option<u32>,
    /// Where the last check found the card or page, drawn over the live picture.
    outline: Option<CardOutline>,
    /// Where "Kembali" on the first document goes: the bank, or the review when one photo is taken again
    /// from it.
    back: Target,
    /// The question shown instead of the counter and the document's name (a card photographed to be read
    /// on the identity screen).
    titled: Option<&'static str>,
    /// The photo on its way was started by the countdown, not by "Ambil foto".
    by_itself: bool,
    /// The look at a photo that took itself, before the screen goes on by itself.
    look: Option<Look>,
}

/// What happens on the documents screen.
#[derive(Debug, Clone)]
pub enum Message {
    /// "Ambil foto".
    Capture,
    /// The capture pipeline answered.
    Captured(Result<Taken, String>),
    /// A check of the live picture answered (`None`: there was no frame or no verdict; the next check asks
    /// again).
    Checked(Option<LiveCheck>),
    /// "Ulangi": take the photo again.
    Retake,
    /// "Pakai foto ini": keep the photo and go on.
    Use,
    /// "Kembali".
    Back,
    /// The camera worker reported (started, a frame, lost, restored).
    Camera(CameraEvent),
    /// Time to check the live picture for quality hints.
    AssessDue,
    /// The countdown's clock.
    ShutterTick(Instant),
    /// "Saya tidak punya dokumen ini".
    WayOut(crate::ui::help::DeadEnd),
}

impl Documents {
    /// The documents the claim needs, in order; starts at the first one not yet photographed, with the camera
    /// where its worker says it is (the feed runs only while a screen shows the picture). When every one is
    /// photographed (the participant came back from the review) it opens at the last photo, as taken.
    pub fn new(kinds: Vec<DocumentKind>, ctx: &Context<'_>) -> Documents {
        let missing = kinds
            .iter()
            .position(|kind| !ctx.draft.documents.iter().any(|doc| doc.kind == *kind));
        let (index, shot) = match missing {
            Some(index) => (index, Shot::Live(Vec::new())),
            None => (kinds.len().saturating_sub(1), Shot::Taken),
        };
        Documents {
            shot,
            ..Documents::visit(kinds, index, Target::Bank, ctx)
        }
    }

    /// One document's photo taken again from the review: "Pakai foto ini" and "Kembali" both return there
    /// (the photo already taken stays until a new one replaces it).
    pub fn retake(kind: DocumentKind, ctx: &Context<'_>) -> Documents {
        Documents::visit(vec![kind], 0, Target::Review, ctx)
    }

    fn visit(kinds: Vec<DocumentKind>, index: usize, back: Target, ctx: &Context<'_>) -> Documents {
        let camera = CameraView::of(ctx.devices.camera.as_ref().map(|camera| camera.state()));
        Documents {
            kinds,
            index,
            shot: Shot::Live(Vec::new()),
            camera,
            preview: None,
            photos: Vec::new(),
            assessing: false,
            shutter: AutoShutter::new(&ctx.devices.quality),
            counting: None,
            outline: None,
            back,
            titled: None,
            by_itself: false,
            look: None,
        }
    }

    /// This photo with `question` (a message id) on top instead of the counter and the document's name.
    pub fn titled(mut self, question: &'static str) -> Documents {
        self.titled = Some(question);
        self
    }

    /// Where the camera is.
    pub fn camera(&self) -> &CameraView {
        &self.camera
    }

    /// Whether a live picture from the camera is on screen.
    pub fn shows_picture(&self) -> bool {
        self.camera == CameraView::Live && self.preview.is_some()
    }

    /// The document being photographed.
    pub fn current(&self) -> Option<DocumentKind> {
        self.kinds.get(self.index).copied()
    }

    /// The state of the current photo.
    pub fn shot(&self) -> &Shot {
        &self.shot
    }

    /// The stored photo of the current document, when it was taken on this visit.
    pub fn photo(&self) -> Option<&image::Handle> {
        let kind = self.current()?;
        self.photos
            .iter()
            .find(|(taken, _)| *taken == kind)
            .map(|(_, photo)| photo)
    }

    /// Where the last check of the live picture found the card or page.
    pub fn outline(&self) -> Option<&CardOutline> {
        self.outline.as_ref()
    }

    /// The countdown number on screen, while the photo is about to take itself.
    pub fn countdown(&self) -> Option<u32> {
        self.counting
    }

    /// The seconds before the screen goes on by itself, while a photo that took itself is shown.
    pub fn going_on_in(&self) -> Option<u32> {
        self.look.as_ref().map(Look::seconds_left)
    }

    /// The screen's clocks while the kiosk has a camera: a check of the live picture every
    /// [`LIVE_CHECK_EVERY`], and the countdown's clock while the picture is good and steady.
    pub fn subscription(&self, ctx: &Context<'_>) -> Subscription<Message> {
        if ctx.devices.camera.is_none() {
            return Subscription::none();
        }
        let checks = iced::time::every(LIVE_CHECK_EVERY).map(|_| Message::AssessDue);
        if self.waits_to_shoot() || self.look.is_some() {
            Subscription::batch([
                checks,
                iced::time::every(SHUTTER_EVERY).map(Message::ShutterTick),
            ])
        } else {
            checks
        }
    }

    /// Whether the shutter is on its way to taking the photo.
    fn waits_to_shoot(&self) -> bool {
        matches!(self.shot, Shot::Live(_) | Shot::Refused(_))
            && matches!(
                self.shutter.step(Instant::now()),
                ShutterStep::Steadying | ShutterStep::Countdown(_) | ShutterStep::Shoot
            )
    }

    /// Checks the live picture for hints off the UI thread, one check at a time.
    fn assess(&mut self, ctx: &Context<'_>) -> Action<Message> {
        let (Some(kind), Some(camera)) = (self.current(), ctx.devices.camera.clone()) else {
            return Action::None;
        };
        let waiting = matches!(self.shot, Shot::Live(_) | Shot::Refused(_));
        if self.assessing || !waiting || self.camera != CameraView::Live {
            return Action::None;
        }
        self.assessing = true;
        let limits = ctx.devices.quality.clone();
        Action::Run(Task::perform(
            blocking(move || {
                let frame = camera.capture().ok()?;
                let report = crate::camera::assess(kind, &frame, &limits).ok()?;
                Some(LiveCheck {
                    kind,
                    at: frame.captured_at,
                    hints: report.hints,
                    thumbnail: Thumbnail::of(&frame),
                    outline: report.card.map(|outline| *outline),
                })
            }),
            |check| Message::Checked(check.flatten()),
        ))
    }

    /// Handles a tap, a result from the camera or one of the screen's own checks.
    pub fn update(&mut self, message: Message, ctx: &Context<'_>) -> Action<Message> {
        let Some(kind) = self.current() else {
            return Action::Show(Target::Review);
        };
        match (&self.shot, message) {
            (_, Message::WayOut(end)) => return Action::WayOut(end),
            (_, Message::Camera(event)) => {
                if matches!(event, CameraEvent::Lost(_)) {
                    self.shutter.reset();
                    self.counting = None;
                    self.outline = None;
                }
                self.camera.follow(&mut self.preview, event);
            }
            (_, Message::AssessDue) => return self.assess(ctx),
            (shot, Message::Checked(check)) => {
                self.assessing = false;
                let waiting = matches!(shot, Shot::Live(_) | Shot::Refused(_));
                if let Some(check) = check.filter(|check| check.kind == kind && waiting) {
                    self.outline = check.outline;
                    let hints = self
                        .shutter
                        .checked(check.at, &check.hints, check.thumbnail);
                    self.shot = Shot::Live(hints);
                    return self.follow_shutter(check.at, ctx);
                }
            }
            (Shot::Live(_) | Shot::Refused(_), Message::ShutterTick(now)) => {
                return self.follow_shutter(now, ctx);
            }
            (Shot::Live(_) | Shot::Refused(_), Message::Capture) => {
                self.by_itself = false;
                return self.shoot(ctx, kind);
            }
            (Shot::Taken, Message::ShutterTick(now))
                if self.look.as_mut().is_some_and(|look| look.tick(now)) =>
            {
                return self.use_photo();
            }
            (Shot::Capturing, Message::Captured(Ok(taken))) => match taken.outcome {
                CaptureOutcome::Accepted(document) if document.kind == kind => {
                    self.shot = Shot::Taken;
                    // A photo that took itself is looked at for as long as the shutter counted down.
                    let length = u64::from(ctx.devices.quality.countdown_seconds);
                    self.look = self
                        .by_itself
                        .then(|| Look::new(Duration::from_secs(length)));
                    self.photos.retain(|(taken, _)| *taken != kind);
                    if let Some(shown) = taken.shown {
                        self.photos.push((kind, picture(&shown)));
                    }
                    // The photo moves into the draft as the packet will carry it.
                    return Action::Keep(Change::Document(Document {
                        kind: document.kind,
                        jpeg: document.jpeg,
                        width: document.width,
                        height: document.height,
                    }));
                }
                CaptureOutcome::Accepted(_) => self.shot = Shot::Live(Vec::new()),
                CaptureOutcome::Rejected(hints) => self.shot = Shot::Refused(hints),
            },
            (Shot::Capturing, Message::Captured(Err(_))) => self.shot = Shot::Live(Vec::new()),
            (Shot::Taken | Shot::Refused(_), Message::Retake) => {
                self.photos.retain(|(taken, _)| *taken != kind);
                self.start_photo();
                return Action::Keep(Change::ForgetDocument(kind));
            }
            (Shot::Taken, Message::Use) => return self.use_photo(),
            (_, Message::Back) => {
                if self.index == 0 {
                    return Action::Show(self.back);
                }
                self.index -= 1;
                self.start_photo();
                self.shot = Shot::Taken;
            }
            _ => {}
        }
        Action::None
    }

    /// Keeps the photo and goes on to the next document, or to the review after the last.
    fn use_photo(&mut self) -> Action<Message> {
        self.index += 1;
        self.start_photo();
        if self.index >= self.kinds.len() {
            return Action::Show(Target::Review);
        }
        Action::None
    }

    /// A fresh live picture for the current document.
    fn start_photo(&mut self) {
        self.shot = Shot::Live(Vec::new());
        self.outline = None;
        self.shutter.reset();
        self.counting = None;
        self.by_itself = false;
        self.look = None;
    }

    /// Moves the countdown on: a tick each time its number changes, the photo when it ends.
    fn follow_shutter(&mut self, now: Instant, ctx: &Context<'_>) -> Action<Message> {
        match self.shutter.step(now) {
            ShutterStep::Countdown(left) => {
                if self.counting != Some(left) {
                    self.counting = Some(left);
                    ctx.devices.sound.play(Cue::CountdownTick);
                }
                Action::None
            }
            ShutterStep::Shoot => match self.current() {
                Some(kind) => {
                    self.by_itself = true;
                    self.shoot(ctx, kind)
                }
                None => Action::None,
            },
            ShutterStep::Waiting | ShutterStep::Steadying => {
                self.counting = None;
                Action::None
            }
        }
    }

    /// Takes the photo (a tap, or the end of the countdown).
    fn shoot(&mut self, ctx: &Context<'_>, kind: DocumentKind) -> Action<Message> {
        self.shot = Shot::Capturing;
        self.shutter.start_over();
        self.counting = None;
        ctx.devices.sound.play(Cue::Shutter);
        Action::Run(capture(ctx, kind).map(Message::Captured))
    }

    /// Draws the preview with its guide, the hints and the buttons.
    pub fn view<'a>(&'a self, ctx: &Context<'_>) -> Element<'a, Message> {
        view::view(self, ctx)
    }
}

/// Takes the newest frame and runs the capture pipeline off the UI thread; an accepted photo is decoded
/// back from its JPEG for the screen, so the participant sees exactly what is stored.
fn capture(ctx: &Context<'_>, kind: DocumentKind) -> Task<Result<Taken, String>> {
    let Some(camera) = ctx.devices.camera.clone() else {
        return Task::done(Err("no camera".to_owned()));
    };
    let limits = ctx.devices.quality.clone();
    Task::perform(
        blocking(move || {
            let frame = camera.capture().map_err(|e| e.to_string())?;
            let outcome =
                crate::camera::capture(kind, &frame, &limits).map_err(|e| e.to_string())?;
            let shown = match &outcome {
                CaptureOutcome::Accepted(document) => {
                    JpegFrame::new(bytes::Bytes::from(document.jpeg.clone()), frame.seq)
                        .and_then(|jpeg| jpeg.preview())
                        .ok()
                }
                CaptureOutcome::Rejected(_) => None,
            };
            Ok(Taken { outcome, shown })
        }),
        |result: Option<Result<Taken, String>>| {
            result.unwrap_or_else(|| Err("interrupted".to_owned()))
        },
    )
}

/// The document's name as a message id (the claim module names every document).
fn kind_message_id(kind: DocumentKind) -> &'static str {
    crate::i18n::Translatable::message_id(&kind)
}

#[cfg(test)]
mod tests;
