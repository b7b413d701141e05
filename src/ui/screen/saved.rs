//! Saved: the claim is sealed and stored. The reference in large digits and as a QR code, whether the
//! receipt was printed, what happens next, and home after a countdown.

use iced::widget::{column, qr_code, row, text};
use iced::{Center, Element, Fill};

use super::{Action, layout, nav_button};
use crate::claim::reference::ClaimReference;
use crate::i18n::{MessageArg, Translator};
use crate::ui::theme;

/// What became of the receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Receipt {
    /// Being printed.
    Printing,
    /// Printed.
    Printed,
    /// Could not be printed (paper, cover, printer silent); the reference on screen is what counts.
    NotPrinted,
}

/// The saved screen's state.
#[derive(Debug)]
pub struct Saved {
    reference: ClaimReference,
    qr: Option<qr_code::Data>,
    receipt: Receipt,
    seconds_left: u32,
}

/// What happens on the saved screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// "Selesai".
    Finish,
}

impl Saved {
    /// The screen for a stored claim; home returns after `seconds` seconds.
    pub fn new(reference: ClaimReference, receipt: Receipt, seconds: u32) -> Saved {
        let qr = qr_code::Data::new(reference.digits()).ok();
        Saved {
            reference,
            qr,
            receipt,
            seconds_left: seconds,
        }
    }

    /// The reference shown.
    pub fn reference(&self) -> &ClaimReference {
        &self.reference
    }

    /// What became of the receipt.
    pub fn receipt(&self) -> Receipt {
        self.receipt
    }

    /// The printer answered.
    pub fn set_receipt(&mut self, receipt: Receipt) {
        self.receipt = receipt;
    }

    /// One second passed; home returns when the countdown ends.
    pub fn tick(&mut self) -> Action {
        self.seconds_left = self.seconds_left.saturating_sub(1);
        if self.seconds_left == 0 {
            Action::Home
        } else {
            Action::None
        }
    }

    /// Handles a tap.
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Finish => Action::Home,
        }
    }

    /// Draws the reference, QR code, receipt state and next steps.
    pub fn view(&self, t: &Translator) -> Element<'_, Message> {
        let receipt = t.tr(match self.receipt {
            Receipt::Printing => "ui-saved-printing",
            Receipt::Printed => "ui-saved-printed",
            Receipt::NotPrinted => "ui-saved-not-printed",
        });
        let mut left = column![
            text(t.tr("ui-saved-title"))
                .size(theme::HEADING)
                .font(theme::FONT_BOLD_FACE)
                .style(theme::ok_text),
            text(t.tr("ui-saved-reference")).size(theme::BODY),
            text(self.reference.to_string())
                .size(theme::REFERENCE)
                .font(theme::FONT_BOLD_FACE),
        ]
        .spacing(theme::GAP)
        .width(Fill);
        left = left.push(if self.receipt == Receipt::NotPrinted {
            text(receipt).size(theme::BODY).style(theme::error_text)
        } else {
            text(receipt).size(theme::BODY)
        });
        left = left
            .push(text(t.tr("ui-saved-next")).size(theme::BODY))
            .push(
                text(t.tr_args(
                    "ui-saved-countdown",
                    &[("seconds", MessageArg::from(self.seconds_left))],
                ))
                .size(theme::BODY),
            );
        let qr: Option<Element<'_, Message>> = self
            .qr
            .as_ref()
            .map(|data| qr_code(data).cell_size(8.0).into());
        layout(
            left,
            qr,
            row![
                iced::widget::space::horizontal(),
                nav_button(t.tr("ui-finish"), Some(Message::Finish), true)
            ]
            .align_y(Center)
            .into(),
        )
    }
}
