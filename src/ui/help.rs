//! Nobody is stranded: "Minta bantuan" on every screen (the office's numbers and hours, a QR code, BPJS's
//! national line, a slip), a way out of every question a participant cannot answer now (what to bring or do,
//! a slip, and the session ends only when they choose), and the checklist of the documents before the first
//! photo.
//!
//! Each of these is a [`Panel`] drawn over the screen instead of it: the screen and the draft stay as they
//! were beneath, so closing the panel returns to exactly the same question with the same answers. The idle
//! clock keeps running; the screen's own clocks and camera picture pause while a panel is open.

pub mod pictures;
mod slip;
mod view;

use iced::widget::qr_code;
use iced::{Center, Element, Fill};

use super::Context;
use super::screen::Screen;
use super::theme;
use crate::claim::DocumentKind;
use crate::i18n::Translator;

pub use view::view;

/// A question the participant cannot answer now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadEnd {
    /// No KPJ number (the identity screen).
    NoKpj,
    /// No mobile number (the contact screen).
    NoPhone,
    /// Their bank is not in the kiosk's list.
    BankNotListed,
    /// They do not know their account number.
    AccountUnknown,
    /// A document is missing: the one on screen, or `None` from the checklist.
    MissingDocument(Option<DocumentKind>),
    /// They do not know whether their JHT balance is above the NPWP threshold.
    BalanceUnknown,
}

impl DeadEnd {
    /// The message ids of the way out's button, its title and its advice.
    pub fn ids(self) -> (&'static str, &'static str, &'static str) {
        match self {
            DeadEnd::NoKpj => (
                "ui-wayout-kpj",
                "ui-wayout-kpj-title",
                "ui-wayout-kpj-advice",
            ),
            DeadEnd::NoPhone => (
                "ui-wayout-phone",
                "ui-wayout-phone-title",
                "ui-wayout-phone-advice",
            ),
            DeadEnd::BankNotListed => (
                "ui-wayout-bank",
                "ui-wayout-bank-title",
                "ui-wayout-bank-advice",
            ),
            DeadEnd::AccountUnknown => (
                "ui-wayout-account",
                "ui-wayout-account-title",
                "ui-wayout-account-advice",
            ),
            DeadEnd::MissingDocument(_) => (
                "ui-wayout-document",
                "ui-wayout-document-title",
                "ui-wayout-document-advice",
            ),
            DeadEnd::BalanceUnknown => (
                "ui-wayout-balance",
                "ui-wayout-balance-title",
                "ui-wayout-balance-advice",
            ),
        }
    }
}

/// The panel over the screen.
#[derive(Debug)]
pub enum Panel {
    /// "Minta bantuan": where to ask; `under` is the panel it was opened over, shown again when it closes.
    Help {
        /// What the QR code opens and the code itself (`None` if the link could not be encoded).
        qr: (String, Option<qr_code::Data>),
        /// The printer's answer to "Cetak", as a message id.
        printed: Option<&'static str>,
        /// The panel that was open when help was asked for.
        under: Option<Box<Panel>>,
    },
    /// A way out of a question the participant cannot answer now.
    WayOut {
        /// Which question.
        end: DeadEnd,
        /// The printer's answer to "Cetak", as a message id.
        printed: Option<&'static str>,
    },
    /// The documents the claim needs, each with a drawn example, before the first photo.
    Checklist(Vec<DocumentKind>),
}

/// A tap on "Minta bantuan" or on the panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// "Minta bantuan" in the header.
    Open,
    /// Close the panel: back to the screen (or to the panel help was opened over).
    Close,
    /// "Cetak": print this panel as a slip.
    Print,
    /// The way out's "Berhenti": the participant ends the session.
    EndSession,
    /// The checklist's "Saya tidak punya semua dokumen ini".
    MissingDocuments,
}

impl Panel {
    /// The way out of `end`.
    pub fn way_out(end: DeadEnd) -> Panel {
        Panel::WayOut { end, printed: None }
    }

    /// The help panel for the configured office, over `under`.
    fn help(ctx: &Context<'_>, under: Option<Panel>) -> Panel {
        let link = ctx.devices.help.qr_link();
        let data = qr_code::Data::new(link.as_bytes()).ok();
        Panel::Help {
            qr: (link, data),
            printed: None,
            under: under.map(Box::new),
        }
    }

    /// What the help panel's QR code opens and whether it was drawn (`None` on other panels).
    pub fn qr_link(&self) -> Option<(&str, bool)> {
        match self {
            Panel::Help { qr, .. } => Some((qr.0.as_str(), qr.1.is_some())),
            _ => None,
        }
    }

    /// The printer's answer to "Cetak" on this panel, as a message id.
    pub fn printed(&self) -> Option<&'static str> {
        match self {
            Panel::Help { printed, .. } | Panel::WayOut { printed, .. } => *printed,
            Panel::Checklist(_) => None,
        }
    }

    /// The dead end this panel is the way out of.
    pub fn dead_end(&self) -> Option<DeadEnd> {
        match self {
            Panel::WayOut { end, .. } => Some(*end),
            _ => None,
        }
    }
}

/// Handles a tap; `true` when the participant chose to end the session.
pub fn update(panel: &mut Option<Panel>, message: Message, ctx: &Context<'_>) -> bool {
    match message {
        Message::Open => {
            if !matches!(panel, Some(Panel::Help { .. })) {
                *panel = Some(Panel::help(ctx, panel.take()));
            }
        }
        Message::Close => {
            *panel = match panel.take() {
                Some(Panel::Help { under, .. }) => under.map(|under| *under),
                _ => None,
            };
        }
        Message::Print => match panel {
            Some(Panel::Help { printed, .. }) => *printed = Some(slip::print(ctx, None)),
            Some(Panel::WayOut { end, printed }) => *printed = Some(slip::print(ctx, Some(*end))),
            _ => {}
        },
        Message::EndSession => return matches!(panel, Some(Panel::WayOut { .. })),
        Message::MissingDocuments => {
            if matches!(panel, Some(Panel::Checklist(_))) {
                *panel = Some(Panel::way_out(DeadEnd::MissingDocument(None)));
            }
        }
    }
    false
}

/// The panel a screen opens with: the checklist when the documents screen opens before any photo was taken.
pub fn on_arrival(screen: &Screen, ctx: &Context<'_>) -> Option<Panel> {
    let Screen::Documents(_) = screen else {
        return None;
    };
    let draft = ctx.draft;
    let reason = draft.reason.as_ref()?;
    let kinds = ctx
        .claim
        .rules
        .documents_for(reason.reason, draft.balance_above_npwp_threshold);
    // The cards photographed on the identity screen are not asked again: the list is of the rest.
    let kinds = crate::ui::screen::identity::reading::still_to_photograph(kinds, draft);
    let taken = |kind: &DocumentKind| draft.documents.iter().any(|doc| doc.kind == *kind);
    (!kinds.is_empty() && !kinds.iter().any(taken)).then_some(Panel::Checklist(kinds))
}

/// The documents the claim in the draft needs (what a "missing document" slip says to bring).
pub fn documents_needed(ctx: &Context<'_>) -> Vec<DocumentKind> {
    let draft = ctx.draft;
    draft
        .reason
        .as_ref()
        .map(|details| {
            ctx.claim
                .rules
                .documents_for(details.reason, draft.balance_above_npwp_threshold)
        })
        .unwrap_or_default()
}

/// The header's "Minta bantuan" button: its words on two lines, so that it fits in the header beside the
/// language switch.
pub fn button<'a>(t: &Translator) -> Element<'a, super::Message> {
    iced::widget::button(
        iced::widget::text(button_label(t))
            .size(HEADER_LABEL)
            .line_height(1.1)
            .font(theme::FONT_BOLD_FACE)
            .align_x(Center)
            .align_y(Center)
            .height(Fill),
    )
    .on_press(super::Message::Help(Message::Open))
    .height(theme::TOUCH)
    .padding([0, 10])
    .style(theme::secondary_button)
    .into()
}

/// The size of the header button's words.
const HEADER_LABEL: f32 = 22.0;

/// The header button's words: "Minta bantuan" broken before its last word.
pub fn button_label(t: &Translator) -> String {
    let words = t.tr("ui-help-button");
    match words.rsplit_once(' ') {
        Some((first, last)) => format!("{first}\n{last}"),
        None => words,
    }
}

/// A screen's way-out button ("Saya tidak punya nomor KPJ"…), sending the screen's own `message`.
pub fn way_out_button<'a, M: Clone + 'a>(
    t: &Translator,
    end: DeadEnd,
    message: M,
) -> Element<'a, M> {
    super::screen::nav_button(t.tr(end.ids().0), Some(message), false)
}

#[cfg(test)]
mod tests {
    use crate::config::{ConfigOrigin, KioskConfig};
    use crate::ui::{Devices, UiContext, UiSettings};

    #[test]
    fn reloading_the_configuration_changes_the_help_numbers_at_once() {
        let mut context = UiContext::with_shipped_tables(UiSettings::default(), Devices::default())
            .expect("tables");
        assert_eq!(context.devices.help.qr_link(), "tel:175");
        let gate = std::sync::Mutex::new(crate::pin::PinGate::with_file(
            None,
            None,
            chrono::Utc::now(),
        ));
        let loaded = KioskConfig::parse(
            "[help]\nwhatsapp = \"081234567890\"\n",
            ConfigOrigin::Embedded,
        )
        .expect("config");
        let _note = crate::ui::screen::maintenance::reconfigure(&mut context, &gate, &loaded);
        assert_eq!(
            context.devices.help.qr_link(),
            "https://wa.me/6281234567890"
        );
    }
}
