//! Saved: the claim is sealed and stored. The reference in large digits and as a QR code, whether the
//! receipt was printed, what happens next, and home after a countdown.

use iced::widget::{column, qr_code, row, text};
use iced::{Center, Element, Fill};

use super::{Action, layout, nav_button};
use crate::claim::reference::ClaimReference;
use crate::i18n::MessageArg;
use crate::printer::{JobId, PrinterEvent};
use crate::ui::Context;
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
    /// The printer's job for the receipt while it prints.
    job: Option<JobId>,
    seconds_left: u32,
}

/// What happens on the saved screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// "Selesai".
    Finish,
    /// One second passed (the kiosk's clock).
    Tick,
    /// The printer worker reported.
    Printer(PrinterEvent),
}

impl Saved {
    /// The screen for a stored claim whose receipt is in this state (`job` is the printer's job while it
    /// prints); home returns after `seconds` seconds.
    pub fn new(
        reference: ClaimReference,
        (receipt, job): (Receipt, Option<JobId>),
        seconds: u32,
    ) -> Saved {
        let qr = qr_code::Data::new(reference.digits()).ok();
        Saved {
            reference,
            qr,
            receipt,
            job,
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

    /// Handles a tap, a second of the clock (home when the countdown ends) or the printer's report on the
    /// receipt's job (other jobs are not this screen's).
    pub fn update(&mut self, message: Message, _ctx: &Context<'_>) -> Action<Message> {
        match message {
            Message::Finish => return Action::Home,
            Message::Tick => {
                self.seconds_left = self.seconds_left.saturating_sub(1);
                if self.seconds_left == 0 {
                    return Action::Home;
                }
            }
            Message::Printer(event) => {
                let (job, outcome) = match event {
                    PrinterEvent::Printed { job } => (job, Receipt::Printed),
                    PrinterEvent::PrintFailed { job, .. } => (job, Receipt::NotPrinted),
                    PrinterEvent::StatusChanged(_) => return Action::None,
                };
                if self.job == Some(job) {
                    self.job = None;
                    self.receipt = outcome;
                }
            }
        }
        Action::None
    }

    /// Draws the reference, QR code, receipt state and next steps.
    pub fn view(&self, ctx: &Context<'_>) -> Element<'_, Message> {
        let t = ctx.t;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::printer::JobId;
    use crate::ui::context::test_context;

    fn reference() -> ClaimReference {
        ClaimReference::parse("0000700000015").expect("a reference")
    }

    #[test]
    fn home_returns_after_the_configured_seconds() {
        let ctx = test_context();
        let mut saved = Saved::new(reference(), (Receipt::NotPrinted, None), 3);
        assert_eq!(saved.update(Message::Tick, &ctx), Action::None);
        assert_eq!(saved.update(Message::Tick, &ctx), Action::None);
        assert_eq!(saved.update(Message::Tick, &ctx), Action::Home);
        let mut saved = Saved::new(reference(), (Receipt::NotPrinted, None), 30);
        assert_eq!(saved.update(Message::Finish, &ctx), Action::Home);
    }

    #[test]
    fn only_the_receipts_own_print_job_changes_what_the_screen_says() {
        let ctx = test_context();
        let mut saved = Saved::new(reference(), (Receipt::Printing, Some(JobId(3))), 30);
        saved.update(
            Message::Printer(PrinterEvent::Printed { job: JobId(2) }),
            &ctx,
        );
        assert_eq!(saved.receipt(), Receipt::Printing);
        saved.update(
            Message::Printer(PrinterEvent::Printed { job: JobId(3) }),
            &ctx,
        );
        assert_eq!(saved.receipt(), Receipt::Printed);
        let mut saved = Saved::new(reference(), (Receipt::Printing, Some(JobId(4))), 30);
        let failed = PrinterEvent::PrintFailed {
            job: JobId(4),
            reason: crate::printer::PrinterError::QrCode {
                reason: "test".to_owned(),
            },
        };
        saved.update(Message::Printer(failed), &ctx);
        assert_eq!(saved.receipt(), Receipt::NotPrinted);
    }
}
