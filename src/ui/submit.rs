//! Sealing and storing the claim from the review screen: the shared claim pipeline runs off the UI thread
//! (it checks every answer again), and a refusal is told in plain words.

use iced::Task;

use super::Context;
use super::check::Note;
use super::context::blocking;
use crate::claim::reference::ClaimReference;
use crate::outbox::{FullReason, OutboxError};
use crate::submission::SubmitError;

/// What sealing and storing answered: the claim's reference, or why it was not stored.
pub type Outcome = Result<ClaimReference, SubmitError>;

/// Seals and stores the draft through the kiosk's claim pipeline off the UI thread; `Err` with the notice
/// to show when the kiosk has no outbox to store it in.
pub fn start(ctx: &Context<'_>) -> Result<Task<Outcome>, Note> {
    let Some(submitter) = ctx.devices.submitter.clone() else {
        return Err(Note::new("ui-out-of-service-storage", Vec::new()));
    };
    // The task owns its copy: the session keeps the draft until the claim is stored.
    let claim = ctx.draft.clone();
    let now = ctx.now;
    Ok(Task::perform(
        blocking(move || {
            submitter
                .submit(&claim, now)
                .map(|submitted| submitted.reference)
        }),
        |result| {
            result.unwrap_or_else(|| {
                Err(SubmitError::Outbox(OutboxError::Database {
                    action: "seal and store the claim",
                    reason: "the work stopped before it finished".to_owned(),
                }))
            })
        },
    ))
}

/// Logs why a claim was not stored (only the names of the fields, never anything typed) and gives the
/// notice for the participant.
pub fn refused(error: &SubmitError) -> Note {
    match error {
        SubmitError::Invalid(problems) => {
            let fields: Vec<&str> = problems.iter().map(|p| p.field).collect();
            tracing::warn!(?fields, "claim not stored: answers missing or wrong");
        }
        other => tracing::error!(error = %other, "claim not stored"),
    }
    submit_note(error)
}

/// What the participant is told when the claim could not be stored, in plain words.
pub fn submit_note(error: &SubmitError) -> Note {
    let id = match error {
        SubmitError::Invalid(_) => "ui-submit-incomplete",
        SubmitError::NotEligible(eligibility) => return Note::of(eligibility),
        SubmitError::Outbox(OutboxError::Full {
            reason: FullReason::TooManyPending { .. },
        }) => "ui-submit-full-pending",
        SubmitError::Outbox(OutboxError::Full {
            reason: FullReason::LowDiskSpace { .. },
        }) => "ui-submit-full-disk",
        SubmitError::Outbox(_) | SubmitError::Packet(_) | SubmitError::Reference(_) => {
            "ui-out-of-service-storage"
        }
    };
    Note::new(id, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Language, Translator};
    use chrono::NaiveDate;

    #[test]
    fn refused_claims_are_explained_by_their_cause() {
        use crate::claim::eligibility::{Eligibility, NotYetReason};
        let full = |reason| SubmitError::Outbox(OutboxError::Full { reason });
        let pending = full(FullReason::TooManyPending {
            pending: 5000,
            max: 5000,
        });
        let disk = full(FullReason::LowDiskSpace {
            free_bytes: 1,
            min_free_bytes: 2,
        });
        assert_eq!(submit_note(&pending).id(), "ui-submit-full-pending");
        assert_eq!(submit_note(&disk).id(), "ui-submit-full-disk");
        assert_eq!(
            submit_note(&SubmitError::Invalid(Vec::new())).id(),
            "ui-submit-incomplete"
        );
        let not_yet = Eligibility::NotYet {
            from: NaiveDate::from_ymd_opt(2026, 12, 20).unwrap_or_default(),
            because: NotYetReason::WaitingPeriod {
                reason: crate::claim::Reason::Resign,
                months: 1,
            },
        };
        let note = submit_note(&SubmitError::NotEligible(not_yet));
        assert_eq!(note, Note::of(&not_yet));
        // The date the participant may come back is in the words shown.
        let t = Translator::new(Language::Id);
        assert!(note.text(&t).contains("Desember"), "{}", note.text(&t));
        let disk_failure = SubmitError::Outbox(OutboxError::Database {
            action: "commit",
            reason: "disk I/O error".to_owned(),
        });
        assert_eq!(submit_note(&disk_failure).id(), "ui-out-of-service-storage");
    }
}
