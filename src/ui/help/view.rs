//! How the panels look: the words on the left (the QR code on the right for help), the buttons below.

use iced::widget::{Column, column, container, qr_code, row, scrollable, space, text};
use iced::{Center, Element, Fill};

use super::slip::{advice_lines, contact_lines};
use super::{Message, Panel, pictures};
use crate::claim::DocumentKind;
use crate::i18n::Translatable;
use crate::ui::Context;
use crate::ui::screen::{heading, layout, nav_button};
use crate::ui::theme;

/// Draws the panel in the screen's place.
pub fn view<'a>(panel: &'a Panel, ctx: &Context<'_>) -> Element<'a, crate::ui::Message> {
    let page = match panel {
        Panel::Help { qr, printed, .. } => help(ctx, qr.1.as_ref(), *printed),
        Panel::WayOut { end, printed } => way_out(ctx, *end, *printed),
        Panel::Checklist(kinds) => checklist(ctx, kinds),
    };
    page.map(crate::ui::Message::Help)
}

/// Words in the body size.
fn line<'a>(words: String) -> Element<'a, Message> {
    text(words).size(theme::BODY).into()
}

/// The printer's answer, when "Cetak" was tapped.
fn printed_line<'a>(
    ctx: &Context<'_>,
    printed: Option<&'static str>,
) -> Option<Element<'a, Message>> {
    printed.map(|id| {
        text(ctx.t.tr(id))
            .size(theme::BODY)
            .style(theme::warning_text)
            .into()
    })
}

fn help<'a>(
    ctx: &Context<'_>,
    qr: Option<&'a qr_code::Data>,
    printed: Option<&'static str>,
) -> Element<'a, Message> {
    let t = ctx.t;
    let mut left: Column<'a, Message> =
        column![heading(t.tr("ui-help-title")), line(t.tr("ui-help-ask"))].spacing(theme::GAP);
    for words in contact_lines(ctx) {
        left = left.push(text(words).size(theme::BODY).font(theme::FONT_BOLD_FACE));
    }
    left = left.extend(printed_line(ctx, printed));
    let right = qr.map(|data| {
        column![
            qr_code(data).total_size(300),
            text(t.tr("ui-help-scan")).size(theme::BODY).width(320),
        ]
        .spacing(12)
        .align_x(Center)
        .into()
    });
    let buttons = row![
        nav_button(t.tr("ui-help-close"), Some(Message::Close), true),
        space::horizontal(),
        nav_button(t.tr("ui-help-print"), Some(Message::Print), false),
    ]
    .align_y(Center)
    .into();
    layout(left, right, buttons)
}

fn way_out<'a>(
    ctx: &Context<'_>,
    end: super::DeadEnd,
    printed: Option<&'static str>,
) -> Element<'a, Message> {
    let t = ctx.t;
    let mut words = column![heading(t.tr(end.ids().1))].spacing(16);
    for advice in advice_lines(ctx, end) {
        words = words.push(line(advice));
    }
    let left = column![
        scrollable(words).height(Fill),
        text(t.tr("ui-wayout-not-kept"))
            .size(theme::BODY)
            .font(theme::FONT_BOLD_FACE),
    ]
    .extend(printed_line(ctx, printed))
    .spacing(theme::GAP);
    let buttons = row![
        nav_button(t.tr("ui-wayout-back"), Some(Message::Close), true),
        space::horizontal(),
        nav_button(t.tr("ui-help-print"), Some(Message::Print), false),
        nav_button(t.tr("ui-wayout-end"), Some(Message::EndSession), false),
    ]
    .spacing(16)
    .align_y(Center)
    .into();
    layout(left, None, buttons)
}

fn checklist<'a>(ctx: &Context<'_>, kinds: &[DocumentKind]) -> Element<'a, Message> {
    let t = ctx.t;
    let mut cards = column![].spacing(12);
    for pair in kinds.chunks(2) {
        let mut pair_row = row![].spacing(theme::GAP);
        for kind in pair {
            pair_row = pair_row.push(
                container(
                    row![
                        pictures::example(*kind),
                        text(t.tr(kind.message_id())).size(theme::BODY).width(Fill),
                    ]
                    .spacing(16)
                    .align_y(Center),
                )
                .padding(8)
                .width(Fill)
                .style(theme::panel),
            );
        }
        if pair.len() == 1 {
            pair_row = pair_row.push(space::horizontal());
        }
        cards = cards.push(pair_row);
    }
    let left = column![
        heading(t.tr("ui-checklist-title")),
        line(t.tr("ui-checklist-help")),
        scrollable(cards).height(Fill),
    ]
    .spacing(16);
    let buttons = row![
        nav_button(
            t.tr("ui-checklist-missing"),
            Some(Message::MissingDocuments),
            false
        ),
        space::horizontal(),
        nav_button(t.tr("ui-checklist-start"), Some(Message::Close), true),
    ]
    .align_y(Center)
    .into();
    layout(left, None, buttons)
}
