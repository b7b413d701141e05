//! How the documents screen looks: the question and hints on the left, the live picture with its guide (and
//! the countdown) or the photo taken on the right, the buttons below.

use std::cell::Cell;

use iced::widget::{Space, canvas, column, container, image, row, stack, text};
use iced::{Background, Border, Color, Element, Fill, Padding, Point, Rectangle, Size, mouse};

use super::super::{layout, nav_button};
use super::{CameraView, Documents, Message, Shot, kind_message_id};
use crate::camera::{GuideBox, GuideShape, Preview, QualityHint};
use crate::claim::DocumentKind;
use crate::i18n::MessageArg;
use crate::ui::Context;
use crate::ui::help::{DeadEnd, way_out_button};
use crate::ui::theme;

/// The box the live preview is fitted into (keeping the camera's aspect ratio).
pub const PREVIEW_SIZE: (f32, f32) = (640.0, 480.0);
/// Side of the marks on the corners of the document found.
const CORNER_MARK: f32 = 18.0;
/// Size of the countdown's number over the picture.
const COUNTDOWN_SIZE: f32 = 96.0;

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

/// A preview frame from the camera worker as a picture on screen.
pub fn picture(preview: &Preview) -> image::Handle {
    image::Handle::from_rgba(preview.width, preview.height, preview.rgba.clone())
}

/// Draws the documents screen.
pub(super) fn view<'a>(screen: &'a Documents, ctx: &Context<'_>) -> Element<'a, Message> {
    let t = ctx.t;
    let camera = &screen.camera;
    let Some(kind) = screen.current() else {
        return column![].into();
    };
    let counter = t.tr_args(
        "ui-documents-counter",
        &[
            ("number", MessageArg::from(screen.index + 1)),
            ("total", MessageArg::from(screen.kinds.len())),
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
    let live_status = || match screen.counting {
        Some(seconds) => t.tr_args(
            "ui-documents-countdown",
            &[("seconds", MessageArg::from(seconds as usize))],
        ),
        None if !screen.shutter.enabled() => t.tr("ui-documents-hold-still"),
        None if kind == DocumentKind::Selfie => t.tr("ui-documents-face-auto"),
        None => t.tr("ui-documents-auto"),
    };
    let (status, hints): (String, &[QualityHint]) = match (&screen.shot, camera) {
        (_, CameraView::Unavailable) => (t.tr("ui-camera-unavailable"), &[]),
        (_, CameraView::Lost) => (t.tr("ui-camera-lost"), &[]),
        (_, CameraView::Starting) => (t.tr("ui-camera-starting"), &[]),
        (Shot::Live(hints), CameraView::Live) => (live_status(), hints),
        (Shot::Capturing, CameraView::Live) => (t.tr("ui-documents-checking"), &[]),
        (Shot::Refused(hints), CameraView::Live) => (t.tr("ui-documents-refused"), hints),
        (Shot::Taken, CameraView::Live) if screen.look.is_some() => {
            (t.tr("ui-documents-taken-auto"), &[])
        }
        (Shot::Taken, CameraView::Live) => (t.tr("ui-documents-taken"), &[]),
    };
    let mut left = match screen.titled {
        Some(question) => column![
            text(t.tr(question))
                .size(theme::HEADING)
                .font(theme::FONT_BOLD_FACE),
            text(status).size(theme::BODY),
        ],
        None => column![
            text(counter).size(theme::BODY),
            text(title).size(theme::HEADING).font(theme::FONT_BOLD_FACE),
            text(status).size(theme::BODY),
        ],
    }
    .spacing(theme::GAP);
    if matches!(camera, CameraView::Lost | CameraView::Unavailable) {
        // What a camera fault does to the answers, truthfully: kept in memory while the session lasts,
        // nothing stored until "Kirim klaim".
        left = left.push(text(t.tr("ui-ways-camera-fault-answers")).size(theme::BODY));
    }
    for hint in hints {
        left = left.push(
            text(t.tr(hint.message_id()))
                .size(theme::BODY)
                .style(theme::warning_text),
        );
    }
    // A photo that took itself: when the screen goes on by itself, in words and over the photo.
    let going_on = screen.going_on_in();
    if let Some(seconds) = going_on {
        left = left.push(
            text(t.tr_args(
                "ui-documents-going-on",
                &[("seconds", MessageArg::from(seconds as usize))],
            ))
            .size(theme::BODY),
        );
    }
    let live = *camera == CameraView::Live;
    let picture: Element<'a, Message> = match (&screen.shot, screen.photo(), &screen.preview) {
        (Shot::Taken, Some(photo), _) => {
            let (w, h) = preview_size(photo);
            let shown = image(photo.clone()).width(w).height(h);
            match going_on {
                Some(seconds) => stack![shown, countdown(seconds, w, h)].into(),
                None => shown.into(),
            }
        }
        (Shot::Taken, None, _) => notice(t.tr("ui-documents-taken-earlier")),
        (_, _, Some(frame)) if live => {
            let (w, h) = preview_size(frame);
            let mut layers = stack![image(frame.clone()).width(w).height(h), guide(kind, w, h)];
            if let Some(outline) = &screen.outline {
                for corner in outline.corners {
                    layers = layers.push(corner_mark(corner, w, h));
                }
            }
            if let Some(seconds) = screen.counting {
                layers = layers.push(countdown(seconds, w, h));
            }
            layers.into()
        }
        _ => notice(t.tr("ui-camera-no-picture")),
    };
    let buttons = match screen.shot {
        Shot::Taken => row![
            nav_button(t.tr("ui-back"), Some(Message::Back), false),
            Space::new().width(Fill),
            nav_button(t.tr("ui-documents-retake"), Some(Message::Retake), false),
            nav_button(t.tr("ui-documents-use"), Some(Message::Use), true),
        ],
        _ => row![
            nav_button(t.tr("ui-back"), Some(Message::Back), false),
            Space::new().width(Fill),
        ]
        .extend((kind != DocumentKind::Selfie).then(|| {
            let missing = DeadEnd::MissingDocument(Some(kind));
            way_out_button(t, missing, Message::WayOut(missing))
        }))
        .push(nav_button(
            t.tr("ui-documents-capture"),
            (live && screen.shot != Shot::Capturing).then_some(Message::Capture),
            true,
        )),
    }
    .spacing(16)
    .into();
    layout(left.width(Fill), Some(picture), buttons)
}

/// A plain panel the size of the picture, with a line of text.
fn notice<'a>(line: String) -> Element<'a, Message> {
    container(text(line).size(theme::BODY))
        .center_x(PREVIEW_SIZE.0)
        .center_y(PREVIEW_SIZE.1)
        .style(theme::notice)
        .into()
}

/// One corner of the card or page found in the picture: a green square centred on it, so the participant
/// sees that the kiosk has found the document wherever it is held.
fn corner_mark<'a>((x, y): (f64, f64), w: f32, h: f32) -> Element<'a, Message> {
    let half = CORNER_MARK / 2.0;
    let left = ((x as f32) * w - half).clamp(0.0, (w - CORNER_MARK).max(0.0));
    let top = ((y as f32) * h - half).clamp(0.0, (h - CORNER_MARK).max(0.0));
    let mark = container(Space::new().width(CORNER_MARK).height(CORNER_MARK)).style(|_| {
        container::Style {
            background: Some(Background::Color(Color::from_rgb(0.1, 0.8, 0.3))),
            border: Border {
                color: Color::WHITE,
                width: 2.0,
                radius: 4.0.into(),
            },
            ..container::Style::default()
        }
    });
    container(mark)
        .padding(Padding {
            top,
            left,
            right: 0.0,
            bottom: 0.0,
        })
        .width(w)
        .height(h)
        .into()
}

/// The countdown's number, large, in a dark disc in the picture's bottom-right corner (the card or the
/// face in the middle stays in view).
fn countdown<'a>(seconds: u32, w: f32, h: f32) -> Element<'a, Message> {
    let disc = COUNTDOWN_SIZE * 1.4;
    let number = container(
        text(seconds.to_string())
            .size(COUNTDOWN_SIZE)
            .font(theme::FONT_BOLD_FACE)
            .color(Color::WHITE),
    )
    .center_x(disc)
    .center_y(disc)
    .style(move |_| container::Style {
        background: Some(Background::Color(Color::from_rgba(0.0, 0.0, 0.0, 0.55))),
        border: Border {
            radius: (disc / 2.0).into(),
            ..Border::default()
        },
        ..container::Style::default()
    });
    container(number)
        .width(w)
        .height(h)
        .padding(12)
        .align_x(iced::alignment::Horizontal::Right)
        .align_y(iced::alignment::Vertical::Bottom)
        .into()
}

/// The guide frame drawn over a preview drawn `w` x `h`: where the card, page or face should be. The
/// card is found anywhere near it; the box is a hint, not a fence.
fn guide<'a>(kind: DocumentKind, w: f32, h: f32) -> Element<'a, Message> {
    canvas(GuideOutline {
        guide: GuideBox::for_kind(kind, w as u32, h as u32),
    })
    .width(w)
    .height(h)
    .into()
}

/// Width of the guide's dark edge, outside its bright line.
const GUIDE_EDGE_WIDTH: f32 = 3.0;
/// Width of the guide's bright line.
const GUIDE_LINE_WIDTH: f32 = 6.0;
/// Corner radius of a card's or page's guide box, at its outer edge.
const GUIDE_CORNER_RADIUS: f32 = 12.0;

/// The guide as two stroked outlines: a bright line inside a dark edge, so one of the two stands out from any
/// picture. Stroked paths touch only the pixels of the lines: a bordered container over the picture would
/// also fill its whole inside with a transparent background, one blending pass over the live picture for
/// every frame and every outline.
struct GuideOutline {
    guide: GuideBox,
}

impl GuideOutline {
    /// The outline through the middle of a line `width` wide whose outer edge is `inset` pixels inside the
    /// guide box drawn in `bounds`.
    fn path(&self, bounds: Size, inset: f32, width: f32) -> canvas::Path {
        let guide = &self.guide;
        let (gw, gh) = (
            (guide.width as f32) * bounds.width,
            (guide.height as f32) * bounds.height,
        );
        let middle = inset + width / 2.0;
        let size = Size::new((gw - 2.0 * middle).max(0.0), (gh - 2.0 * middle).max(0.0));
        let radius = match guide.shape {
            GuideShape::Oval => size.width.min(size.height) / 2.0,
            GuideShape::Rectangle => (GUIDE_CORNER_RADIUS - middle).max(0.0),
        };
        canvas::Path::rounded_rectangle(
            Point::new(
                (guide.x as f32) * bounds.width + middle,
                (guide.y as f32) * bounds.height + middle,
            ),
            size,
            radius.into(),
        )
    }
}

/// The guide's outlines as last drawn, and the guide they were drawn for. The canvas keeps its state while the
/// screen's layout stays the same, so the next document's guide (or the face's oval) in the same place must
/// not reuse the last one's lines.
#[derive(Default)]
struct DrawnGuide {
    cache: canvas::Cache,
    guide: Cell<Option<GuideBox>>,
}

impl DrawnGuide {
    /// The cache to draw `guide` from: emptied first when it holds another guide's lines.
    fn cache_for(&self, guide: GuideBox) -> &canvas::Cache {
        if self.guide.get() != Some(guide) {
            self.cache.clear();
            self.guide.set(Some(guide));
        }
        &self.cache
    }
}

impl canvas::Program<Message> for GuideOutline {
    /// The outlines drawn once and kept while the guide stays on screen: the renderer then sees the same
    /// lines in every frame and redraws only the picture that changed beneath them.
    type State = DrawnGuide;

    fn draw(
        &self,
        drawn: &DrawnGuide,
        renderer: &iced::Renderer,
        _theme: &iced::Theme,
        bounds: Rectangle,
        _cursor: mouse::Cursor,
    ) -> Vec<canvas::Geometry> {
        let size = bounds.size();
        vec![drawn.cache_for(self.guide).draw(renderer, size, |frame| {
            frame.stroke(
                &self.path(size, 0.0, GUIDE_EDGE_WIDTH),
                canvas::Stroke::default()
                    .with_color(theme::GUIDE_EDGE)
                    .with_width(GUIDE_EDGE_WIDTH),
            );
            frame.stroke(
                &self.path(size, GUIDE_EDGE_WIDTH, GUIDE_LINE_WIDTH),
                canvas::Stroke::default()
                    .with_color(theme::GUIDE)
                    .with_width(GUIDE_LINE_WIDTH),
            );
        })]
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use iced::Size;

    use super::DrawnGuide;
    use crate::camera::GuideBox;
    use crate::claim::DocumentKind;

    #[test]
    fn the_outlines_are_drawn_once_per_guide_and_again_for_a_new_guide_in_the_same_place() {
        let renderer = iced::Renderer::new(iced::Font::DEFAULT, iced::Pixels(16.0));
        let drawn = DrawnGuide::default();
        let size = Size::new(640.0, 360.0);
        let card = GuideBox::for_kind(DocumentKind::Ektp, 640, 360);
        let face = GuideBox::for_kind(DocumentKind::Selfie, 640, 360);
        assert_ne!(card, face);
        let draws = Cell::new(0);
        let draw = |guide: GuideBox| {
            let _ = drawn
                .cache_for(guide)
                .draw(&renderer, size, |_| draws.set(draws.get() + 1));
        };
        draw(card);
        draw(card);
        assert_eq!(draws.get(), 1, "the card's guide was drawn again");
        draw(face);
        assert_eq!(draws.get(), 2, "the face's oval reused the card's lines");
        draw(face);
        draw(card);
        assert_eq!(draws.get(), 3);
    }
}
