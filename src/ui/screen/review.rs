//! Review: every answer on one page, each with "Ubah" (change), then "Kirim klaim" (submit).

use iced::widget::{button, column, row, scrollable, space, text};
use iced::{Center, Element, Fill};

use super::{Action, Target, nav_button};
use crate::claim::Sex;
use crate::claim::bank::BankTable;
use crate::i18n::{MessageArg, Translator};
use crate::ui::draft::Draft;
use crate::ui::theme;

/// The review screen's state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Review {
    submitting: bool,
}

/// What the participant does on the review screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// "Ubah" beside one group of answers.
    Change(Target),
    /// "Kirim klaim".
    Submit,
    /// "Batal": end the session without saving.
    Cancel,
}

impl Review {
    /// The review screen.
    pub fn new() -> Review {
        Review::default()
    }

    /// Whether the claim is being sealed and stored (the submit button is then disabled).
    pub fn submitting(&self) -> bool {
        self.submitting
    }

    /// The claim could not be stored; the participant may try again.
    pub fn submit_failed(&mut self) {
        self.submitting = false;
    }

    /// Handles a tap.
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Change(target) => Action::Edit(target),
            Message::Submit if !self.submitting => {
                self.submitting = true;
                Action::Submit
            }
            Message::Submit => Action::None,
            Message::Cancel => Action::Home,
        }
    }

    /// Draws every answer with its change button.
    pub fn view(&self, t: &Translator, draft: &Draft, banks: &BankTable) -> Element<'_, Message> {
        let fields = &draft.fields;
        let born = fields.date_of_birth.map(|d| t.date(d)).unwrap_or_default();
        let sex = match fields.sex {
            Some(Sex::Male) => t.tr("ui-sex-male"),
            Some(Sex::Female) => t.tr("ui-sex-female"),
            None => String::new(),
        };
        let reason = draft
            .reason
            .as_ref()
            .map(|details| {
                let mut line = t.message(&details.reason);
                if let Some(date) = details.event_date {
                    line = format!("{line}, {}", t.date(date));
                }
                line
            })
            .unwrap_or_default();
        let bank = draft
            .bank
            .as_ref()
            .map(|bank| {
                // The bank by the name on its button, not its transfer code.
                let name = banks
                    .by_code(&bank.bank_code)
                    .map_or(bank.bank_code.as_str(), |known| known.name.as_str());
                format!("{name} {} a.n. {}", bank.account_number, bank.holder)
            })
            .unwrap_or_default();
        let email = if fields.email.is_empty() {
            t.tr("ui-review-no-email")
        } else {
            fields.email.clone()
        };
        let mut contact = Vec::new();
        if let Some(heir) = &fields.applicant {
            contact.push(t.tr_args(
                "ui-review-heir",
                &[
                    ("name", MessageArg::Text(heir.name.clone())),
                    ("nik", MessageArg::Text(heir.nik.clone())),
                ],
            ));
        }
        contact.push(fields.phone.clone());
        contact.push(email);
        contact.push(if draft.balance_above_npwp_threshold {
            format!("NPWP {}", fields.npwp)
        } else {
            t.tr("ui-review-balance-not-above")
        });
        let groups = [
            (
                "ui-review-identity",
                vec![
                    format!("NIK {}", fields.nik),
                    fields.name.clone(),
                    format!("{born} · {sex}"),
                    format!("KPJ {}", fields.kpj),
                    t.tr_args(
                        "ui-review-mother",
                        &[("name", MessageArg::Text(fields.mother_maiden_name.clone()))],
                    ),
                ],
                Target::Identity,
            ),
            ("ui-review-reason", vec![reason], Target::Reason),
            ("ui-review-contact", contact, Target::Contact),
            ("ui-review-bank", vec![bank], Target::Bank),
            (
                "ui-review-documents",
                vec![
                    draft
                        .documents
                        .iter()
                        .map(|doc| t.message(&doc.kind))
                        .collect::<Vec<_>>()
                        .join(", "),
                ],
                Target::Documents,
            ),
        ];
        let rows = groups.into_iter().map(|(title, lines, target)| {
            row![
                column![
                    text(t.tr(title))
                        .size(theme::BODY)
                        .font(theme::FONT_BOLD_FACE)
                ]
                .extend(
                    lines
                        .into_iter()
                        .map(|line| text(line).size(theme::BODY).into())
                )
                .spacing(4)
                .width(Fill),
                button(
                    text(t.tr("ui-review-change"))
                        .size(theme::BODY)
                        .align_y(Center)
                        .height(Fill)
                )
                .on_press(Message::Change(target))
                .height(theme::TOUCH)
                .padding([0, 24])
                .style(theme::secondary_button),
            ]
            .spacing(16)
            .align_y(Center)
            .into()
        });
        column![
            text(t.tr("ui-review-question"))
                .size(theme::HEADING)
                .font(theme::FONT_BOLD_FACE),
            // The scrollbar sits in its own lane beside the answers, never over the "Ubah" buttons.
            scrollable(column(rows).spacing(theme::GAP))
                .spacing(theme::GAP)
                .height(Fill),
            row![
                nav_button(t.tr("ui-cancel"), Some(Message::Cancel), false),
                space::horizontal(),
                nav_button(
                    t.tr("ui-review-submit"),
                    (!self.submitting).then_some(Message::Submit),
                    true
                ),
            ]
            .align_y(Center),
        ]
        .spacing(theme::GAP)
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn submit_is_asked_once_until_it_fails() {
        let mut review = Review::new();
        assert_eq!(review.update(Message::Submit), Action::Submit);
        assert_eq!(review.update(Message::Submit), Action::None);
        review.submit_failed();
        assert_eq!(review.update(Message::Submit), Action::Submit);
    }

    #[test]
    fn change_asks_to_edit_that_group() {
        let mut review = Review::new();
        assert_eq!(
            review.update(Message::Change(Target::Bank)),
            Action::Edit(Target::Bank)
        );
    }
}
