//! A page marker that makes the renderer draw the whole window again when the page on screen changes.
//!
//! The tiny-skia renderer redraws only what changed between two frames, and it takes a text's extent from
//! its layout box. Some glyphs reach past that box: the hook of a "J" at the start of a line ends two
//! pixels left of it. When such a text went away, the part of the glyph outside its box stayed on screen as
//! a stray mark beside the next page's fields. The marker draws an invisible quad over the whole window
//! that carries the page's identity, so a new page differs from the last one everywhere and nothing of the
//! old page survives; typing on a page keeps the same marker and still redraws only the keys and the field.
//!
//! The quad is drawn only for the first frames of a page ([`MARKED_FRAMES`]): an invisible quad still costs
//! the renderer a pass over every redrawn area, and on the documents screen the live preview redraws its area
//! at the camera's frame rate. Leaving the quad out later changes the frame everywhere once more (one more
//! whole repaint), then the page redraws only what moves.

use std::cell::Cell;
use std::hash::{DefaultHasher, Hash, Hasher};

use iced::advanced::layout::{self, Layout};
use iced::advanced::renderer::{self, Quad, Renderer as _};
use iced::advanced::widget::Widget;
use iced::advanced::widget::tree::{self, Tree};
use iced::mouse;
use iced::widget::stack;
use iced::{Border, Color, Element, Length, Rectangle, Size};

/// Draws `content` with a marker for `page` over it: when `page` differs from the previous frame's, the
/// renderer repaints the whole window.
pub fn repaint_on_change<'a, M: 'a>(page: &str, content: Element<'a, M>) -> Element<'a, M> {
    stack![content, Element::new(PageMark::new(page))].into()
}

/// How many frames of a new page carry the marker's quad.
const MARKED_FRAMES: u32 = 2;

/// What the marker remembers between frames: the page it last drew and how many frames it has drawn for it.
#[derive(Debug, Default)]
struct Seen(Cell<(u64, u32)>);

impl Seen {
    /// Records one frame of `page`; true while the page is new enough to carry the quad.
    fn mark(&self, page: u64) -> bool {
        let (last, frames) = self.0.get();
        let frames = if last == page {
            frames.saturating_add(1)
        } else {
            1
        };
        self.0.set((page, frames));
        frames <= MARKED_FRAMES
    }
}

/// The invisible marker: no size, no events, one transparent quad over the visible window on a page's first
/// frames.
struct PageMark {
    page: u64,
}

impl PageMark {
    fn new(page: &str) -> PageMark {
        let mut hasher = DefaultHasher::new();
        page.hash(&mut hasher);
        PageMark {
            page: hasher.finish(),
        }
    }

    /// The page as a fully transparent colour (on a border of no width), so that it tells frames apart
    /// without showing.
    fn colour(&self) -> Color {
        let [r, g, b, ..] = self.page.to_le_bytes();
        Color::from_rgba8(r, g, b, 0.0)
    }
}

impl<M, Theme> Widget<M, Theme, iced::Renderer> for PageMark {
    fn tag(&self) -> tree::Tag {
        tree::Tag::of::<Seen>()
    }

    fn state(&self) -> tree::State {
        tree::State::new(Seen::default())
    }

    fn size(&self) -> Size<Length> {
        Size::new(Length::Shrink, Length::Shrink)
    }

    fn layout(
        &mut self,
        _tree: &mut Tree,
        _renderer: &iced::Renderer,
        _limits: &layout::Limits,
    ) -> layout::Node {
        layout::Node::new(Size::ZERO)
    }

    fn draw(
        &self,
        tree: &Tree,
        renderer: &mut iced::Renderer,
        _theme: &Theme,
        _style: &renderer::Style,
        _layout: Layout<'_>,
        _cursor: mouse::Cursor,
        viewport: &Rectangle,
    ) {
        if !tree.state.downcast_ref::<Seen>().mark(self.page) {
            return;
        }
        renderer.fill_quad(
            Quad {
                bounds: *viewport,
                border: Border {
                    color: self.colour(),
                    width: 0.0,
                    radius: 0.0.into(),
                },
                ..Quad::default()
            },
            Color::TRANSPARENT,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_told_apart_and_a_page_keeps_its_mark() {
        let nik = PageMark::new("identity Nik").colour();
        assert_eq!(nik, PageMark::new("identity Nik").colour());
        assert_ne!(nik, PageMark::new("identity Confirm").colour());
        assert_eq!(nik.a, 0.0, "the mark never shows");
    }

    #[test]
    fn a_page_carries_the_quad_on_its_first_frames_only_and_a_new_page_carries_it_again() {
        let seen = Seen::default();
        let (home, identity) = (
            PageMark::new("Home").page,
            PageMark::new("identity Nik").page,
        );
        let frames: Vec<bool> = (0..4).map(|_| seen.mark(home)).collect();
        assert_eq!(frames, [true, true, false, false]);
        assert!(seen.mark(identity), "a new page is marked at once");
        assert!(seen.mark(identity));
        assert!(!seen.mark(identity));
        assert!(seen.mark(home), "coming back to a page marks it again");
    }
}
