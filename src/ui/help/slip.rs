//! What the help panel and the ways out say, on screen and on their printed slip.

use super::{DeadEnd, documents_needed};
use crate::config::help::{DAYS, NATIONAL_LINE};
use crate::i18n::{MessageArg, Translatable};
use crate::printer::AdviceSlip;
use crate::ui::Context;

/// Where to ask: the office's telephone and WhatsApp numbers (those configured), its opening hours and the
/// national line, one line each.
pub(super) fn contact_lines(ctx: &Context<'_>) -> Vec<String> {
    let (t, help) = (ctx.t, &ctx.devices.help);
    let number = |n: String| [("number", MessageArg::Text(n))];
    let mut lines = Vec::new();
    if let Ok(Some(phone)) = help.phone_number() {
        lines.push(t.tr_args("ui-help-phone", &number(phone)));
    }
    if let Ok(Some(whatsapp)) = help.whatsapp_number() {
        let national = match whatsapp.strip_prefix("+62") {
            Some(rest) => format!("0{rest}"),
            None => whatsapp,
        };
        lines.push(t.tr_args("ui-help-whatsapp", &number(national)));
    }
    if let Ok(hours) = help.hours() {
        let day = |index: usize| t.tr(&format!("ui-day-{}", DAYS[index]));
        let days = if hours.first_day == hours.last_day {
            day(hours.first_day)
        } else {
            t.tr_args(
                "ui-help-day-range",
                &[
                    ("first", MessageArg::Text(day(hours.first_day))),
                    ("last", MessageArg::Text(day(hours.last_day))),
                ],
            )
        };
        lines.push(t.tr_args(
            "ui-help-hours",
            &[
                ("days", MessageArg::Text(days)),
                (
                    "opens",
                    MessageArg::Text(hours.opens.format("%H.%M").to_string()),
                ),
                (
                    "closes",
                    MessageArg::Text(hours.closes.format("%H.%M").to_string()),
                ),
            ],
        ));
    }
    lines.push(t.tr_args("ui-help-national", &number(NATIONAL_LINE.to_owned())));
    lines
}

/// What a way out says: its advice and, for a missing document, which one and everything to bring.
pub(super) fn advice_lines(ctx: &Context<'_>, end: DeadEnd) -> Vec<String> {
    let t = ctx.t;
    let mut lines = Vec::new();
    if let DeadEnd::MissingDocument(Some(kind)) = end {
        lines.push(t.tr_args(
            "ui-wayout-document-missing",
            &[("document", MessageArg::Message(kind.message_id()))],
        ));
    }
    lines.push(t.tr(end.ids().2));
    if let DeadEnd::MissingDocument(_) = end {
        for kind in documents_needed(ctx) {
            lines.push(format!("- {}", t.message(&kind)));
        }
    }
    lines
}

/// Prints the help slip (`None`) or a way out's slip; the answer is the message id the panel shows: printing,
/// or plainly that the printer cannot.
pub(super) fn print(ctx: &Context<'_>, end: Option<DeadEnd>) -> &'static str {
    let printer = ctx
        .devices
        .printer
        .as_ref()
        .filter(|printer| printer.status().state.can_print(true));
    let Some(printer) = printer else {
        return "ui-help-slip-not-printed";
    };
    let t = ctx.t;
    let (title, mut body) = match end {
        None => (t.tr("ui-help-title"), Vec::new()),
        Some(end) => (t.tr(end.ids().1), advice_lines(ctx, end)),
    };
    body.push(t.tr("ui-help-ask"));
    body.extend(contact_lines(ctx));
    let slip = AdviceSlip {
        header: ctx.devices.receipt_header.clone(),
        location: ctx.devices.location.clone(),
        when: ctx.local_time,
        title,
        body,
        qr: Some(ctx.devices.help.qr_link()),
    };
    let _job = printer.print(slip);
    "ui-slip-printing"
}
