//! Saved: the claim is sealed and stored. The reference in large digits and as a QR code, whether the
//! receipt was printed (and "Cetak ulang" to print it again), what happens next. The screen stays until
//! "Selesai"; only the kiosk's idle timer ends it otherwise.

use iced::widget::{column, qr_code, row, text};
use iced::{Center, Element, Fill};

use super::{Action, layout, nav_button};
use crate::claim::reference::ClaimReference;
use crate::printer::{JobId, PrinterEvent};
use crate::ui::theme;
use crate::ui::{Context, receipt};

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
}

/// What happens on the saved screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// "Selesai".
    Finish,
    /// One second passed (the kiosk's clock; the screen does not count down, it waits for "Selesai").
    Tick,
    /// "Cetak ulang": print the receipt again.
    Reprint,
    /// The printer worker reported.
    Printer(PrinterEvent),
}

impl Saved {
    /// The screen for a stored claim whose receipt is in this state (`job` is the printer's job while it
    /// prints).
    pub fn new(reference: ClaimReference, (receipt, job): (Receipt, Option<JobId>)) -> Saved {
        let qr = qr_code::Data::new(reference.digits()).ok();
        Saved {
            reference,
            qr,
            receipt,
            job,
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

    /// Handles a tap, "Cetak ulang" (the printer's state decides, as for the first print) or the printer's
    /// report on the receipt's job (other jobs are not this screen's). The clock's second changes nothing.
    pub fn update(&mut self, message: Message, ctx: &Context<'_>) -> Action<Message> {
        match message {
            Message::Finish => return Action::Home,
            Message::Tick => {}
            Message::Reprint if self.receipt != Receipt::Printing => {
                (self.receipt, self.job) = receipt::print_receipt(ctx, &self.reference);
            }
            Message::Reprint => {}
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
        if self.receipt == Receipt::NotPrinted && ctx.devices.printer.is_some() {
            // A printer fault loses nothing: the claim is stored, the reference is on screen, and the
            // receipt can be printed again from here.
            left = left.push(text(t.tr("ui-ways-saved-stored-anyway")).size(theme::BODY));
        }
        left = left.push(text(t.tr("ui-saved-next")).size(theme::BODY));
        let qr: Option<Element<'_, Message>> = self
            .qr
            .as_ref()
            .map(|data| qr_code(data).cell_size(8.0).into());
        let mut buttons = row![iced::widget::space::horizontal()]
            .spacing(16)
            .align_y(Center);
        // "Cetak ulang" where there is a printer; the printer's state decides when it is tapped.
        if ctx.devices.printer.is_some() {
            buttons = buttons.push(nav_button(
                t.tr("ui-ways-reprint"),
                (self.receipt != Receipt::Printing).then_some(Message::Reprint),
                false,
            ));
        }
        buttons = buttons.push(nav_button(t.tr("ui-finish"), Some(Message::Finish), true));
        layout(left, qr, buttons.into())
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
    fn the_screen_stays_through_the_clock_until_finish() {
        let ctx = test_context();
        let mut saved = Saved::new(reference(), (Receipt::NotPrinted, None));
        for _ in 0..600 {
            assert_eq!(saved.update(Message::Tick, &ctx), Action::None);
        }
        assert_eq!(saved.update(Message::Finish, &ctx), Action::Home);
    }

    #[test]
    fn without_a_printer_reprint_says_the_receipt_was_not_printed() {
        let ctx = test_context();
        let mut saved = Saved::new(reference(), (Receipt::NotPrinted, None));
        assert_eq!(saved.update(Message::Reprint, &ctx), Action::None);
        assert_eq!(saved.receipt(), Receipt::NotPrinted);
    }

    #[test]
    fn only_the_receipts_own_print_job_changes_what_the_screen_says() {
        let ctx = test_context();
        let mut saved = Saved::new(reference(), (Receipt::Printing, Some(JobId(3))));
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
        let mut saved = Saved::new(reference(), (Receipt::Printing, Some(JobId(4))));
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
