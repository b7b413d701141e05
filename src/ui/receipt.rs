//! What the screens print: the receipt after a claim is stored and the "not yet eligible" slip. Printing is
//! a job handed to the printer worker; a printer fault never blocks a claim.

use super::Context;
use super::check::Note;
use super::screen::saved::Receipt;
use crate::claim::eligibility::Eligibility;
use crate::claim::reference::ClaimReference;
use crate::printer::{JobId, NotEligibleSlip, Receipt as PrintedReceipt};

/// Sends the receipt to the printer if it can print: the receipt's state and the printer's job, whose end
/// the printer worker reports.
pub fn print_receipt(ctx: &Context<'_>, reference: &ClaimReference) -> (Receipt, Option<JobId>) {
    let Some(printer) = &ctx.devices.printer else {
        return (Receipt::NotPrinted, None);
    };
    if !printer.status().state.can_print(true) {
        return (Receipt::NotPrinted, None);
    }
    let t = ctx.t;
    let receipt = PrintedReceipt {
        header: ctx.devices.receipt_header.clone(),
        location: ctx.devices.location.clone(),
        when: ctx.local_time,
        reference_label: t.tr("ui-saved-reference"),
        reference: reference.clone(),
        reference_display: reference.to_string(),
        next_steps: vec![t.tr("ui-saved-next")],
    };
    (Receipt::Printing, Some(printer.print(receipt)))
}

/// Prints the "not yet eligible" slip with this answer; the notice says whether it is printing or plainly
/// that the printer cannot.
pub fn print_slip(ctx: &Context<'_>, answer: &Eligibility) -> Note {
    let printer = ctx
        .devices
        .printer
        .as_ref()
        .filter(|printer| printer.status().state.can_print(true));
    let Some(printer) = printer else {
        return Note::new("ui-slip-not-printed", Vec::new());
    };
    let t = ctx.t;
    let slip = NotEligibleSlip {
        header: ctx.devices.receipt_header.clone(),
        location: ctx.devices.location.clone(),
        when: ctx.local_time,
        title: t.tr("ui-reason-not-yet"),
        body: vec![Note::of(answer).text(t)],
    };
    let _job = printer.print(slip);
    Note::new("ui-slip-printing", Vec::new())
}
