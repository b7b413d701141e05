//! Documents and the face photo: one screen per required document, with the live camera preview, the guide
//! frame, quality hints as they happen, capture and retake.

use iced::widget::{Space, column, container, image, row, stack, text};
use iced::{Background, Border, Color, Element, Fill, Padding};

use super::{Action, Target, layout, nav_button};
use crate::camera::{CaptureOutcome, GuideBox, GuideShape, QualityHint};
use crate::claim::DocumentKind;
use crate::i18n::{MessageArg, Translator};
use crate::ui::draft::{Change, Draft};
use crate::ui::theme;

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
#[derive(Debug, Clone, PartialEq)]
pub struct Documents {
    kinds: Vec<DocumentKind>,
    index: usize,
    shot: Shot,
}

/// What happens on the documents screen.
#[derive(Debug, Clone, PartialEq)]
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
}

impl Documents {
    /// The documents the claim needs, in order; starts at the first one not yet photographed.
    pub fn new(kinds: Vec<DocumentKind>, draft: &Draft) -> Documents {
        let index = kinds
            .iter()
            .position(|kind| !draft.documents.iter().any(|doc| doc.kind == *kind))
            .unwrap_or(0);
        Documents {
            kinds,
            index,
            shot: Shot::Live(Vec::new()),
        }
    }

    /// The document being photographed.
    pub fn current(&self) -> Option<DocumentKind> {
        self.kinds.get(self.index).copied()
    }

    /// The state of the current photo.
    pub fn shot(&self) -> &Shot {
        &self.shot
    }

    /// Handles a tap or a result from the camera.
    pub fn update(&mut self, message: Message) -> Action {
        let Some(kind) = self.current() else {
            return Action::Show(Target::Review);
        };
        match (&self.shot, message) {
            (Shot::Live(_) | Shot::Refused(_), Message::Capture) => {
                self.shot = Shot::Capturing;
                return Action::Capture(kind);
            }
            (Shot::Capturing, Message::Captured(Ok(CaptureOutcome::Accepted(document))))
                if document.kind == kind =>
            {
                self.shot = Shot::Taken;
                return Action::Keep(Change::Document(document));
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
    pub fn view<'a>(
        &'a self,
        t: &Translator,
        camera: &CameraView,
        preview: Option<&'a image::Handle>,
        taken: Option<&'a image::Handle>,
    ) -> Element<'a, Message> {
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
