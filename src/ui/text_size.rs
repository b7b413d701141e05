//! The "Aa" switch in the header: large text for participants who read the screen at arm's length.
//!
//! Large text scales the whole window (iced's application scale factor): body text goes from
//! [`theme::BODY`] (28 px) to [`LARGE_BODY`] (40 px), and the touch targets, the keypad and the gaps grow with
//! it, so no screen file needs a size of its own. The screen under the header then scrolls when it no longer
//! fits the 1280x800 window. The switch goes back to normal text when the session ends.

use iced::widget::scrollable::RelativeOffset;
use iced::widget::{button, scrollable, text};
use iced::{Center, Element, Fill, Length, Task};

use super::{Message, theme};
use crate::i18n::Translator;

/// Body text size with large text on: the size public-kiosk accessibility rules ask for at arm's length.
pub const LARGE_BODY: f32 = 40.0;

/// How much larger everything is drawn with large text on.
pub fn scale(large: bool) -> f32 {
    if large { LARGE_BODY / theme::BODY } else { 1.0 }
}

/// The "Aa" button: one tap switches large text on, the next switches it off (the text's own size shows which
/// is on).
pub fn switch<'a>(t: &Translator) -> Element<'a, Message> {
    button(
        text(t.tr("ui-text-size"))
            .size(theme::BODY)
            .font(theme::FONT_BOLD_FACE)
            .align_y(Center)
            .height(Fill),
    )
    .on_press(Message::TextSizeToggled)
    .height(theme::TOUCH)
    .padding([0, 20])
    .style(theme::secondary_button)
    .into()
}

/// The id of the scroll that holds the screen with large text.
const SCROLL: &str = "lapak-screen-scroll";

/// Scrolls the screen back to its top: a new page or question starts at its beginning, not where the last
/// one was left.
pub fn to_top<T>() -> Task<T> {
    iced::widget::operation::snap_to(SCROLL, RelativeOffset::START)
}

/// The screen under the header: as it is with normal text, in a vertical scroll with large text (the
/// screens' filling heights then take their natural size, so nothing is cut off).
pub fn frame<'a>(screen: impl Into<Element<'a, Message>>, large: bool) -> Element<'a, Message> {
    if large {
        scrollable(screen)
            .id(SCROLL)
            .width(Fill)
            .height(Length::Fill)
            .into()
    } else {
        screen.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_text_draws_body_text_at_forty_pixels() {
        assert!((theme::BODY * scale(true) - 40.0).abs() < 1e-4);
        assert!((theme::BODY * scale(false) - theme::BODY).abs() < 1e-4);
    }
}
