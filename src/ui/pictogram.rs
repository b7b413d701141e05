//! Pictograms on the claim reasons: a picture beside each reason's words, for those who read slowly. The
//! pictures are glyphs of the embedded DejaVu Sans font, so they draw the same on every kiosk.

use iced::widget::{Space, button, row, text};
use iced::{Center, Element, Fill};

use super::theme;
use crate::claim::Reason;

/// The pictogram's size: larger than the words beside it.
const SIZE: f32 = 44.0;

/// The picture for a reason.
pub fn for_reason(reason: Reason) -> &'static str {
    match reason {
        // A hand writing the resignation letter.
        Reason::Resign => "✍",
        // Scissors: the work was cut off.
        Reason::Phk => "✂",
        // The finish flag: the contract has run to its end.
        Reason::ContractEnd => "⚑",
        // A cup of tea: the working years are over.
        Reason::RetirementAge => "☕",
        Reason::LeavingIndonesia => "✈",
        Reason::TotalDisability => "♿",
        // A flower, as brought to a funeral.
        Reason::Death => "⚘",
        // An umbrella: put aside for old age.
        Reason::Partial10 => "☂",
        Reason::Partial30 => "⌂",
    }
}

/// A reason's button: its pictogram, then its words; two lines tall, highlighted when selected.
pub fn reason_choice<'a, M: Clone + 'a>(
    reason: Reason,
    label: String,
    on_press: M,
    selected: bool,
) -> Element<'a, M> {
    // At least two lines tall, and taller when large text wraps the words onto a third.
    let content = row![
        Space::new().width(0).height(theme::TOUCH + 18.0),
        text(for_reason(reason)).size(SIZE).width(SIZE * 1.2),
        text(label).size(theme::BODY),
    ]
    .spacing(16)
    .align_y(Center);
    button(content)
        .on_press(on_press)
        .width(Fill)
        .padding([0, 24])
        .style(if selected {
            theme::selected_button
        } else {
            theme::secondary_button
        })
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_has_a_pictogram_of_its_own() {
        let mut seen = Vec::new();
        for reason in Reason::ALL {
            let glyph = for_reason(reason);
            assert!(!seen.contains(&glyph), "{reason:?} shares {glyph}");
            seen.push(glyph);
        }
    }
}
