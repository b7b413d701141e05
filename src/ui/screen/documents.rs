//! Documents and the face photo: one screen per required document, with the live camera preview, the guide
//! frame, quality hints as they happen (the screen's own clock asks for a check of the live picture), capture
//! and retake. The camera's events reach the screen as its own [`Message::Camera`].

use std::time::Duration;

use iced::widget::{Space, column, container, image, row, stack, text};
use iced::{Background, Border, Color, Element, Fill, Padding, Subscription, Task};

use super::{Action, Target, layout, nav_button};
use crate::camera::{
    CameraEvent, CameraState, CaptureOutcome, GuideBox, GuideShape, Preview, QualityHint,
};
use crate::claim::DocumentKind;
use crate::i18n::MessageArg;
use crate::packet::Document;
use crate::ui::Context;
use crate::ui::context::blocking;
use crate::ui::draft::Change;
use crate::ui::theme;

/// How often the live picture is checked for quality hints.
const ASSESS_EVERY: Duration = Duration::from_millis(700);

/// The box the live preview is fitted into (keeping the camera's aspect ratio).
pub const PREVIEW_SIZE: (f32, f32) = (640.0, 480.0);

/// The size a picture is drawn at: as large as fits in [`PREVIEW_SIZE`] with its own aspect ratio.
pub fn preview_size(picture: &image::Handle) -> (f32, f32) {
    let (box_w, box_h) = PREVIEW_SIZE;
    match picture {
        image::Handle::Rgba { width, height, .. } if *width > 0 && *height > 0 => {
            let (w, h) = (*width as f32, *height as f32);
            let scale = (box_w / w).min(box_h / h);
            ((w * scale).floor(), (h * scale).floor())
        }
        _ => PREVIEW_SIZE,
    }
}

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
    /// The photo is good.
    Taken,
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
    /// The preview frame kept when the current photo was taken.
    frozen: Option<image::Handle>,
    /// A check of the live picture is running (one at a time).
    assessing: bool,
}

/// What happens on the documents screen.
#[derive(Debug, Clone)]
pub enum Message {
    /// "Ambil foto".
    Capture,
    /// The capture pipeline answered.
    Captured(Result<CaptureOutcome, String>),
    /// A check of the live picture gave these hints.
    Hints(DocumentKind, Vec<QualityHint>),
    /// "Ulangi": take the photo again.
    Retake,
    /// "Lanjut".
    Next,
    /// "Kembali".
    Back,
    /// The camera worker reported (started, a frame, lost, restored).
    Camera(CameraEvent),
    /// Time to check the live picture for quality hints.
    AssessDue,
}

impl Documents {
    /// The documents the claim needs, in order; starts at the first one not yet photographed, with the camera
    /// where its worker says it is (the feed runs only while a screen shows the picture).
    pub fn new(kinds: Vec<DocumentKind>, ctx: &Context<'_>) -> Documents {
        let index = kinds
            .iter()
            .position(|kind| !ctx.draft.documents.iter().any(|doc| doc.kind == *kind))
            .unwrap_or(0);
        let camera = CameraView::of(ctx.devices.camera.as_ref().map(|camera| camera.state()));
        Documents {
            kinds,
            index,
            shot: Shot::Live(Vec::new()),
            camera,
            preview: None,
            frozen: None,
            assessing: false,
        }
    }

    /// Where the camera is.
    pub fn camera(&self) -> &CameraView {
        &self.camera
    }

    /// Whether a live picture from the camera is on screen.
    pub fn shows_picture(&self) -> bool {
        self.camera == CameraView::Live && self.preview.is_some()
    }

    /// The screen's clock: a check of the live picture every [`ASSESS_EVERY`] while the kiosk has a camera.
    pub fn subscription(&self, ctx: &Context<'_>) -> Subscription<Message> {
        if ctx.devices.camera.is_none() {
            return Subscription::none();
        }
        iced::time::every(ASSESS_EVERY).map(|_| Message::AssessDue)
    }

    /// The camera worker's events: where the camera is, and the newest picture.
    fn camera_event(&mut self, event: CameraEvent) {
        self.camera.follow(&mut self.preview, event);
    }

    /// Checks the live picture for hints off the UI thread, one check at a time.
    fn assess(&mut self, ctx: &Context<'_>) -> Action<Message> {
        let (Some(kind), Some(camera)) = (self.current(), ctx.devices.camera.clone()) else {
            return Action::None;
        };
        if self.assessing || self.camera != CameraView::Live {
            return Action::None;
        }
        self.assessing = true;
        let limits = ctx.devices.quality.clone();
        Action::Run(Task::perform(
            blocking(move || {
                let frame = camera.capture().ok()?;
                crate::camera::assess(kind, &frame, &limits).ok()
            }),
            move |report| {
                let hints = report
                    .flatten()
                    .map(|report| report.hints)
                    .unwrap_or_default();
                Message::Hints(kind, hints)
            },
        ))
    }

    /// The document being photographed.
    pub fn current(&self) -> Option<DocumentKind> {
        self.kinds.get(self.index).copied()
    }

    /// The state of the current photo.
    pub fn shot(&self) -> &Shot {
        &self.shot
    }

    /// Handles a tap, a result from the camera or one of the screen's own checks.
    pub fn update(&mut self, message: Message, ctx: &Context<'_>) -> Action<Message> {
        let message = match message {
            Message::Camera(event) => {
                self.camera_event(event);
                return Action::None;
            }
            Message::AssessDue => return self.assess(ctx),
            Message::Hints(kind, hints) => {
                self.assessing = false;
                Message::Hints(kind, hints)
            }
            other => other,
        };
        let Some(kind) = self.current() else {
            return Action::Show(Target::Review);
        };
        match (&self.shot, message) {
            (Shot::Live(_) | Shot::Refused(_), Message::Capture) => {
                self.shot = Shot::Capturing;
                return Action::Run(capture(ctx, kind).map(Message::Captured));
            }
            (Shot::Capturing, Message::Captured(Ok(CaptureOutcome::Accepted(document))))
                if document.kind == kind =>
            {
                self.shot = Shot::Taken;
                self.frozen = self.preview.clone();
                // The photo moves into the draft as the packet will carry it.
                return Action::Keep(Change::Document(Document {
                    kind: document.kind,
                    jpeg: document.jpeg,
                    width: document.width,
                    height: document.height,
                }));
            }
            (Shot::Capturing, Message::Captured(Ok(CaptureOutcome::Rejected(hints)))) => {
                self.shot = Shot::Refused(hints);
            }
            (Shot::Capturing, Message::Captured(Err(_))) => {
                self.shot = Shot::Live(Vec::new());
            }
            (Shot::Live(_), Message::Hints(for_kind, hints)) if for_kind == kind => {
                self.shot = Shot::Live(hints);
            }
            (Shot::Taken | Shot::Refused(_), Message::Retake) => {
                self.shot = Shot::Live(Vec::new());
                return Action::Keep(Change::ForgetDocument(kind));
            }
            (Shot::Taken, Message::Next) => {
                self.index += 1;
                self.shot = Shot::Live(Vec::new());
                if self.index >= self.kinds.len() {
                    return Action::Show(Target::Review);
                }
            }
            (_, Message::Back) => {
                if self.index == 0 {
                    return Action::Show(Target::Bank);
                }
                self.index -= 1;
                self.shot = Shot::Taken;
            }
            _ => {}
        }
        Action::None
    }

    /// Draws the preview with its guide, the hints and the buttons.
    pub fn view<'a>(&'a self, ctx: &Context<'_>) -> Element<'a, Message> {
        let t = ctx.t;
        let (camera, preview, taken) = (&self.camera, self.preview.as_ref(), self.frozen.as_ref());
        let Some(kind) = self.current() else {
            return column![].into();
        };
        let counter = t.tr_args(
            "ui-documents-counter",
            &[
                ("number", MessageArg::from(self.index + 1)),
                ("total", MessageArg::from(self.kinds.len())),
            ],
        );
        let title = t.tr_args(
            if kind == DocumentKind::Selfie {
                "ui-documents-face-question"
            } else {
                "ui-documents-question"
            },
            &[("document", MessageArg::Message(kind_message_id(kind)))],
        );
        let (status, hints): (String, &[QualityHint]) = match (&self.shot, camera) {
            (_, CameraView::Unavailable) => (t.tr("ui-camera-unavailable"), &[]),
            (_, CameraView::Lost) => (t.tr("ui-camera-lost"), &[]),
            (_, CameraView::Starting) => (t.tr("ui-camera-starting"), &[]),
            (Shot::Live(hints), CameraView::Live) => (t.tr("ui-documents-hold-still"), hints),
            (Shot::Capturing, CameraView::Live) => (t.tr("ui-documents-checking"), &[]),
            (Shot::Refused(hints), CameraView::Live) => (t.tr("ui-documents-refused"), hints),
            (Shot::Taken, CameraView::Live) => (t.tr("ui-documents-taken"), &[]),
        };
        let mut left = column![
            text(counter).size(theme::BODY),
            text(title).size(theme::HEADING).font(theme::FONT_BOLD_FACE),
            text(status).size(theme::BODY),
        ]
        .spacing(theme::GAP);
        for hint in hints {
            left = left.push(
                text(t.tr(hint.message_id()))
                    .size(theme::BODY)
                    .style(theme::warning_text),
            );
        }
        let live = *camera == CameraView::Live;
        let picture: Element<'a, Message> = match (&self.shot, taken, preview) {
            (Shot::Taken, Some(photo), _) => {
                let (w, h) = preview_size(photo);
                image(photo.clone()).width(w).height(h).into()
            }
            (_, _, Some(frame)) if live => {
                let (w, h) = preview_size(frame);
                stack![image(frame.clone()).width(w).height(h), guide(kind, w, h)].into()
            }
            _ => container(text(t.tr("ui-camera-no-picture")).size(theme::BODY))
                .center_x(PREVIEW_SIZE.0)
                .center_y(PREVIEW_SIZE.1)
                .style(theme::notice)
                .into(),
        };
        let buttons = match self.shot {
            Shot::Taken => row![
                nav_button(t.tr("ui-back"), Some(Message::Back), false),
                Space::new().width(Fill),
                nav_button(t.tr("ui-documents-retake"), Some(Message::Retake), false),
                nav_button(t.tr("ui-next"), Some(Message::Next), true),
            ],
            _ => row![
                nav_button(t.tr("ui-back"), Some(Message::Back), false),
                Space::new().width(Fill),
                nav_button(
                    t.tr("ui-documents-capture"),
                    (live && self.shot != Shot::Capturing).then_some(Message::Capture),
                    true
                ),
            ],
        }
        .spacing(16)
        .into();
        layout(left.width(Fill), Some(picture), buttons)
    }
}

/// Takes the newest frame and runs the capture pipeline off the UI thread.
fn capture(ctx: &Context<'_>, kind: DocumentKind) -> Task<Result<CaptureOutcome, String>> {
    let Some(camera) = ctx.devices.camera.clone() else {
        return Task::done(Err("no camera".to_owned()));
    };
    let limits = ctx.devices.quality.clone();
    Task::perform(
        blocking(move || {
            let frame = camera.capture().map_err(|e| e.to_string())?;
            crate::camera::capture(kind, &frame, &limits).map_err(|e| e.to_string())
        }),
        |result: Option<Result<CaptureOutcome, String>>| {
            result.unwrap_or_else(|| Err("interrupted".to_owned()))
        },
    )
}

/// A preview frame from the camera worker as a picture on screen.
pub fn picture(preview: &Preview) -> image::Handle {
    image::Handle::from_rgba(preview.width, preview.height, preview.rgba.clone())
}

/// The document's name as a message id (the claim module names every document).
fn kind_message_id(kind: DocumentKind) -> &'static str {
    crate::i18n::Translatable::message_id(&kind)
}

/// The guide frame drawn over a preview drawn `w` x `h`: where the card, page or face must be. The box is
/// the one the capture pipeline checks, so it keeps to the picture's edges.
fn guide<'a>(kind: DocumentKind, w: f32, h: f32) -> Element<'a, Message> {
    let guide = GuideBox::for_kind(kind, w as u32, h as u32);
    let (gw, gh) = ((guide.width as f32) * w, (guide.height as f32) * h);
    let radius = match guide.shape {
        GuideShape::Oval => gw.min(gh) / 2.0,
        GuideShape::Rectangle => 12.0,
    };
    let frame = container(Space::new().width(gw).height(gh)).style(move |_| container::Style {
        background: Some(Background::Color(Color::TRANSPARENT)),
        border: Border {
            color: Color::from_rgb(1.0, 0.85, 0.0),
            width: 6.0,
            radius: radius.into(),
        },
        ..container::Style::default()
    });
    container(frame)
        .padding(Padding {
            top: (guide.y as f32) * h,
            left: (guide.x as f32) * w,
            right: 0.0,
            bottom: 0.0,
        })
        .width(w)
        .height(h)
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Language, Translator};
    use crate::ui::context::test_context;

    #[test]
    fn every_quality_hint_exists_in_both_languages() {
        for language in Language::ALL {
            let t = Translator::new(language);
            for hint in QualityHint::ALL {
                assert!(
                    t.has_message(hint.message_id()),
                    "{}: {hint:?}",
                    language.code()
                );
            }
        }
    }

    fn photo(kind: DocumentKind) -> CaptureOutcome {
        CaptureOutcome::Accepted(crate::camera::CapturedDocument {
            kind,
            jpeg: vec![0xFF, 0xD8, 0xFF, 0xD9],
            width: 640,
            height: 480,
            quality: crate::camera::QualityReport {
                sharpness: 500.0,
                luma_mean: 120.0,
                dark_share: 0.0,
                bright_share: 0.0,
                glare_share: None,
                card_edge_score: None,
                card: None,
                faces: None,
                hints: Vec::new(),
            },
        })
    }

    #[test]
    fn a_capture_result_is_kept_in_the_draft_and_a_refused_photo_is_asked_again() {
        let ctx = test_context();
        let mut screen = Documents::new(vec![DocumentKind::Ektp, DocumentKind::Selfie], &ctx);
        assert_eq!(screen.current(), Some(DocumentKind::Ektp));
        assert!(screen.update(Message::Capture, &ctx).runs());
        assert_eq!(screen.shot(), &Shot::Capturing);
        // While the photo is checked, another tap takes nothing.
        assert_eq!(screen.update(Message::Capture, &ctx), Action::None);
        let hints = vec![QualityHint::TooDark];
        screen.update(
            Message::Captured(Ok(CaptureOutcome::Rejected(hints.clone()))),
            &ctx,
        );
        assert_eq!(screen.shot(), &Shot::Refused(hints));
        assert!(screen.update(Message::Capture, &ctx).runs(), "asked again");
        let CaptureOutcome::Accepted(taken) = photo(DocumentKind::Ektp) else {
            unreachable!("photo() accepts");
        };
        let document = Document {
            kind: taken.kind,
            jpeg: taken.jpeg,
            width: taken.width,
            height: taken.height,
        };
        assert_eq!(
            screen.update(Message::Captured(Ok(photo(DocumentKind::Ektp))), &ctx),
            Action::Keep(Change::Document(document))
        );
        assert_eq!(screen.shot(), &Shot::Taken);
        screen.update(Message::Next, &ctx);
        assert_eq!(screen.current(), Some(DocumentKind::Selfie));
        assert_eq!(
            screen.update(Message::Back, &ctx),
            Action::None,
            "back to the card photo"
        );
        assert_eq!(
            screen.update(Message::Retake, &ctx),
            Action::Keep(Change::ForgetDocument(DocumentKind::Ektp))
        );
    }

    #[test]
    fn without_a_camera_the_capture_fails_and_the_live_picture_is_asked_again() {
        let ctx = test_context();
        let mut screen = Documents::new(vec![DocumentKind::Ektp], &ctx);
        assert_eq!(screen.camera(), &CameraView::Unavailable);
        let Action::Run(task) = screen.update(Message::Capture, &ctx) else {
            panic!("the capture did not start");
        };
        let replies = crate::ui::headless::Headless::new()
            .expect("runtime")
            .outputs(task)
            .expect("ran");
        assert!(
            matches!(replies.as_slice(), [Message::Captured(Err(_))]),
            "{replies:?}"
        );
        for reply in replies {
            assert_eq!(screen.update(reply, &ctx), Action::None);
        }
        assert_eq!(screen.shot(), &Shot::Live(Vec::new()));
        // No camera, no picture checks.
        assert_eq!(screen.update(Message::AssessDue, &ctx), Action::None);
    }

    #[test]
    fn camera_events_move_the_screen_between_lost_and_live_and_hints_follow_the_document() {
        let ctx = test_context();
        let mut screen = Documents::new(vec![DocumentKind::Ektp], &ctx);
        screen.update(
            Message::Camera(CameraEvent::Lost("unplugged".to_owned())),
            &ctx,
        );
        assert_eq!(screen.camera(), &CameraView::Lost);
        screen.update(Message::Camera(CameraEvent::Restored), &ctx);
        assert_eq!(screen.camera(), &CameraView::Live);
        let preview = Preview {
            width: 2,
            height: 1,
            rgba: vec![0; 8].into(),
            seq: 1,
        };
        screen.update(
            Message::Camera(CameraEvent::Frame(std::sync::Arc::new(preview))),
            &ctx,
        );
        assert!(screen.preview.is_some());
        // Hints for another document (a late check) are not shown.
        screen.update(
            Message::Hints(DocumentKind::Selfie, vec![QualityHint::TooDark]),
            &ctx,
        );
        assert_eq!(screen.shot(), &Shot::Live(Vec::new()));
        screen.update(
            Message::Hints(DocumentKind::Ektp, vec![QualityHint::TooDark]),
            &ctx,
        );
        assert_eq!(screen.shot(), &Shot::Live(vec![QualityHint::TooDark]));
    }
}
