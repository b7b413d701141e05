//! "Batal" asks before anything is dropped: "Batalkan pengajuan? Semua jawaban dihapus." with "Ya" (the
//! session ends, nothing is kept) and "Tidak" (back to where the participant was, every answer kept).

use iced::Element;
use iced::widget::{column, row, text};

use super::{layout, nav_button, question};
use crate::i18n::Translator;
use crate::ui::theme;

/// The question in place of the screen, while the participant decides: `yes` drops the claim, `no` keeps it.
pub fn confirm<'a, M: Clone + 'a>(t: &Translator, yes: M, no: M) -> Element<'a, M> {
    let left = column![
        question(t, "ui-ways-cancel-question"),
        text(t.tr("ui-ways-cancel-body")).size(theme::BODY),
        row![
            nav_button(t.tr("ui-ways-cancel-no"), Some(no), true),
            nav_button(t.tr("ui-ways-cancel-yes"), Some(yes), false),
        ]
        .spacing(theme::GAP),
    ]
    .spacing(theme::GAP);
    layout(left, None, row![].into())
}
