//! Review: every answer on one page, each with "Ubah" (change; one document's photo alone), then "Kirim
//! klaim" (submit). "Kembali" returns to the last photo, "Batal" asks before the answers are dropped.

use iced::widget::{button, column, row, scrollable, space, text};
use iced::{Center, Element, Fill};

use super::{Action, Target, cancel, nav_button};
use crate::claim::{Reason, Sex};
use crate::i18n::MessageArg;
use crate::ui::theme;
use crate::ui::{Context, submit};

/// The review screen's state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Review {
    submitting: bool,
    /// "Batal" was tapped: the screen asks whether to drop the answers.
    confirming_cancel: bool,
}

/// What the participant does on the review screen.
#[derive(Debug, Clone)]
pub enum Message {
    /// "Ubah" beside one group of answers.
    Change(Target),
    /// "Kirim klaim".
    Submit,
    /// "Batal": asks whether to end the session without saving.
    Cancel,
    /// "Ya" to "Batalkan pengajuan?": the session ends, nothing is kept.
    CancelConfirmed,
    /// "Tidak": back to the review, every answer kept.
    CancelDeclined,
    /// "Kembali": back to the last photo before the review.
    Back,
    /// The claim pipeline answered.
    Submitted(submit::Outcome),
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

    /// Whether "Batalkan pengajuan?" is on screen.
    pub fn confirming_cancel(&self) -> bool {
        self.confirming_cancel
    }

    /// Handles a tap or the claim pipeline's answer. "Kirim klaim" seals and stores the draft once; a claim
    /// that was not stored says why and may be sent again. While it is being stored nothing leaves the
    /// screen: its answer (the reference) must reach the participant.
    pub fn update(&mut self, message: Message, ctx: &Context<'_>) -> Action<Message> {
        match message {
            Message::Change(_) | Message::Cancel | Message::Back if self.submitting => Action::None,
            Message::Change(target) => Action::Edit(target),
            Message::Submit if !self.submitting => match submit::start(ctx) {
                Ok(task) => {
                    self.submitting = true;
                    Action::Run(task.map(Message::Submitted))
                }
                Err(note) => Action::Notice(note),
            },
            Message::Submit => Action::None,
            Message::Cancel => {
                self.confirming_cancel = true;
                Action::None
            }
            Message::CancelConfirmed => Action::Home,
            Message::CancelDeclined => {
                self.confirming_cancel = false;
                Action::None
            }
            Message::Back => Action::Show(Target::Documents),
            Message::Submitted(Ok(reference)) => Action::Submitted(reference),
            Message::Submitted(Err(error)) => {
                self.submitting = false;
                Action::Notice(submit::refused(&error))
            }
        }
    }

    /// Draws every answer with its change button.
    pub fn view(&self, ctx: &Context<'_>) -> Element<'_, Message> {
        let (t, draft, banks) = (ctx.t, ctx.draft, &ctx.claim.banks);
        if self.confirming_cancel {
            return cancel::confirm(t, Message::CancelConfirmed, Message::CancelDeclined);
        }
        // Not sealing and storing the claim right now: the ways off the screen are open.
        let idle = !self.submitting;
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
                t.tr_args(
                    "ui-review-bank-line",
                    &[
                        ("bank", MessageArg::Text(name.to_owned())),
                        ("account", MessageArg::Text(bank.account_number.clone())),
                        ("holder", MessageArg::Text(bank.holder.clone())),
                    ],
                )
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
        let death = draft
            .reason
            .as_ref()
            .is_some_and(|details| details.reason == Reason::Death);
        let mut groups = vec![
            (
                // A death claim's identity is the deceased's.
                t.tr(if death {
                    "ui-ways-review-deceased"
                } else {
                    "ui-review-identity"
                }),
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
            (t.tr("ui-review-reason"), vec![reason], Target::Reason),
            (t.tr("ui-review-contact"), contact, Target::Contact),
            (t.tr("ui-review-bank"), vec![bank], Target::Bank),
        ];
        // Each photo with its own "Ubah": only that one is taken again.
        groups.extend(draft.documents.iter().map(|doc| {
            let title = format!("{}: {}", t.tr("ui-review-documents"), t.message(&doc.kind));
            (title, Vec::new(), Target::Document(doc.kind))
        }));
        let rows = groups.into_iter().map(|(title, lines, target)| {
            row![
                column![text(title).size(theme::BODY).font(theme::FONT_BOLD_FACE)]
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
                .on_press_maybe(idle.then_some(Message::Change(target)))
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
                nav_button(t.tr("ui-back"), idle.then_some(Message::Back), false),
                nav_button(t.tr("ui-cancel"), idle.then_some(Message::Cancel), false),
                space::horizontal(),
                nav_button(
                    t.tr("ui-review-submit"),
                    (!self.submitting).then_some(Message::Submit),
                    true
                ),
            ]
            .spacing(16)
            .align_y(Center),
        ]
        .spacing(theme::GAP)
        .into()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::claim::reference::ClaimReference;
    use crate::identity::KioskIdentity;
    use crate::outbox::{NikHashKey, Outbox, OutboxLimits};
    use crate::submission::Submitter;
    use crate::ui::check::Note;
    use crate::ui::context::fixture::Fixture;
    use crate::ui::headless::Headless;

    /// The test setting with a claim pipeline committing to an outbox in `dir`.
    fn with_submitter(dir: &std::path::Path) -> Fixture {
        let mut fixture = Fixture::new();
        let identity = KioskIdentity::generate(Some("test-kiosk"), 42).expect("identity");
        let outbox = Outbox::open(
            &dir.join("outbox.sqlite"),
            OutboxLimits {
                min_free_bytes: 0,
                ..OutboxLimits::default()
            },
            NikHashKey::derive(identity.signing_key()),
        )
        .expect("outbox");
        let submitter = Submitter::new(
            Arc::new(outbox),
            identity,
            age::x25519::Identity::generate().to_public(),
            fixture.claim.clone(),
        );
        fixture.devices.submitter = Some(Arc::new(submitter));
        fixture
    }

    #[test]
    fn submit_is_asked_once_until_it_fails() {
        let dir = tempfile::tempdir().expect("temp folder");
        let fixture = with_submitter(dir.path());
        let ctx = fixture.context();
        let mut review = Review::new();
        let Action::Run(task) = review.update(Message::Submit, &ctx) else {
            panic!("submit did not start the claim pipeline");
        };
        assert!(review.submitting());
        assert_eq!(review.update(Message::Submit, &ctx), Action::None);
        // The empty draft of this test is refused by the pipeline: the screen says so and allows another try.
        let replies = Headless::new()
            .expect("runtime")
            .outputs(task)
            .expect("ran");
        assert_eq!(replies.len(), 1);
        for reply in replies {
            assert_eq!(
                review.update(reply, &ctx),
                Action::Notice(Note::new("ui-submit-incomplete", Vec::new()))
            );
        }
        assert!(!review.submitting());
        assert!(review.update(Message::Submit, &ctx).runs());
    }

    #[test]
    fn a_stored_claim_goes_to_the_saved_page_with_its_reference() {
        let fixture = Fixture::new();
        let reference = ClaimReference::parse("0000700000015").expect("a reference");
        let mut review = Review::new();
        assert_eq!(
            review.update(
                Message::Submitted(Ok(reference.clone())),
                &fixture.context()
            ),
            Action::Submitted(reference)
        );
    }

    #[test]
    fn without_an_outbox_submit_says_claims_are_paused() {
        let fixture = Fixture::new();
        let mut review = Review::new();
        assert_eq!(
            review.update(Message::Submit, &fixture.context()),
            Action::Notice(Note::new("ui-out-of-service-storage", Vec::new()))
        );
        assert!(!review.submitting());
    }

    #[test]
    fn cancel_asks_first_and_no_keeps_the_review_while_yes_ends_the_session() {
        let fixture = Fixture::new();
        let ctx = fixture.context();
        let mut review = Review::new();
        assert_eq!(review.update(Message::Cancel, &ctx), Action::None);
        assert!(review.confirming_cancel());
        assert_eq!(review.update(Message::CancelDeclined, &ctx), Action::None);
        assert!(!review.confirming_cancel());
        review.update(Message::Cancel, &ctx);
        assert_eq!(review.update(Message::CancelConfirmed, &ctx), Action::Home);
    }

    #[test]
    fn while_the_claim_is_being_stored_no_way_leaves_the_review() {
        let dir = tempfile::tempdir().expect("temp folder");
        let fixture = with_submitter(dir.path());
        let ctx = fixture.context();
        let mut review = Review::new();
        assert!(review.update(Message::Submit, &ctx).runs());
        for message in [
            Message::Back,
            Message::Cancel,
            Message::Change(Target::Bank),
        ] {
            assert_eq!(review.update(message, &ctx), Action::None);
        }
        assert!(!review.confirming_cancel());
    }

    #[test]
    fn change_asks_to_edit_that_group() {
        let fixture = Fixture::new();
        let mut review = Review::new();
        assert_eq!(
            review.update(Message::Change(Target::Bank), &fixture.context()),
            Action::Edit(Target::Bank)
        );
    }
}
