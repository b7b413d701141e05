//! The participant's status check: "where is my claim?" by reference and NIK.
//!
//! Online, the central service answers. When it cannot (offline kiosk, network down) or does not know the
//! claim yet, the kiosk answers from its own outbox: "saved on this kiosk, not yet sent" for an undelivered
//! claim. A delivered claim's NIK hash is gone from the kiosk, so the kiosk cannot tell whose it is: while the
//! central service cannot be asked, a claim the kiosk cannot match is answered "cannot check now", whether the
//! reference is unknown, the NIK wrong or the claim delivered. A wrong NIK is answered exactly like an
//! unknown reference, on both paths. When the central service says a reference has had too many failed checks
//! (429), the answer is "try later", whatever this kiosk knows.

use chrono::{DateTime, Utc};

use super::SyncError;
use super::api::{ClaimStatus, StatusReply, StatusRequest};
use super::client::CentralClient;
use super::queue::{LocalClaims, LocalState};
use crate::claim::reference::ClaimReference;

/// How the participant proves the claim is theirs: the NIK, the only proof the central service accepts (a date
/// of birth has too few values to stop a guesser).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proof {
    /// The worker's NIK.
    Nik(String),
}

/// The answer shown to the participant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusAnswer {
    /// The central service's answer.
    Central {
        /// The status.
        status: ClaimStatus,
        /// When it last changed.
        changed_at: DateTime<Utc>,
        /// The officer's reason, if any.
        reason: Option<String>,
    },
    /// Saved on this kiosk, not yet sent.
    SavedNotSent {
        /// When it was saved.
        saved_at: DateTime<Utc>,
    },
    /// Sent from this kiosk; the central service could not be asked now.
    SentOn {
        /// When it was delivered.
        delivered_at: DateTime<Utc>,
    },
    /// Refused by the central service when it was sent; staff can see why.
    RefusedOnSend,
    /// No such claim for this reference and proof.
    NotFound,
    /// The central service refuses more checks of this reference for now (too many failed proofs, or too many
    /// checks from this kiosk): come back later.
    TryLater,
    /// The central service cannot be asked now, and this kiosk cannot match the claim by itself (unknown here,
    /// a wrong NIK, or delivered, its NIK hash gone): ask again later.
    CannotCheckNow,
}

/// The body of `POST /v1/claims/status` for this reference and proof.
pub fn status_request(reference: &ClaimReference, proof: &Proof) -> StatusRequest {
    let Proof::Nik(nik) = proof;
    StatusRequest {
        reference: reference.clone(),
        nik: nik.clone(),
    }
}

/// What the central service said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CentralAnswer {
    /// The claim and its status.
    Found(StatusReply),
    /// Unknown reference or wrong NIK (the same answer).
    NotFound,
    /// 429: too many checks; ask again after the service's `Retry-After`.
    TryLater,
}

/// Asks the central service only.
pub fn ask_central(
    client: &CentralClient,
    reference: &ClaimReference,
    proof: &Proof,
) -> Result<CentralAnswer, SyncError> {
    let (status, text) = client.post_json("v1/claims/status", &status_request(reference, proof))?;
    match status {
        200 => serde_json::from_str(&text)
            .map(CentralAnswer::Found)
            .map_err(|e| SyncError::Unreachable(format!("unreadable status answer: {e}"))),
        404 => Ok(CentralAnswer::NotFound),
        429 => Ok(CentralAnswer::TryLater),
        _ => Err(SyncError::Refused {
            status,
            message: text.chars().take(200).collect(),
        }),
    }
}

/// Answers from the outbox alone.
pub fn ask_local(
    local: &dyn LocalClaims,
    reference: &ClaimReference,
    proof: &Proof,
) -> Result<StatusAnswer, SyncError> {
    let Proof::Nik(nik) = proof;
    Ok(match local.find(reference, nik)? {
        None => StatusAnswer::NotFound,
        Some(claim) => match claim.state {
            LocalState::Pending => StatusAnswer::SavedNotSent {
                saved_at: claim.created_at,
            },
            LocalState::Delivered(at) => StatusAnswer::SentOn { delivered_at: at },
            LocalState::Held => StatusAnswer::RefusedOnSend,
        },
    })
}

/// The status check for `lapak-kiosk status REF` and the status screen: the central service when it can be
/// asked (`client` is `None` on an offline kiosk), else the outbox.
pub fn check(
    client: Option<&CentralClient>,
    local: &dyn LocalClaims,
    reference: &ClaimReference,
    proof: &Proof,
) -> Result<StatusAnswer, SyncError> {
    let mut central_unreachable = false;
    if let Some(client) = client {
        match ask_central(client, reference, proof) {
            Ok(CentralAnswer::Found(reply)) => {
                return Ok(StatusAnswer::Central {
                    status: reply.status,
                    changed_at: reply.changed_at,
                    reason: reply.reason,
                });
            }
            Ok(CentralAnswer::TryLater) => return Ok(StatusAnswer::TryLater),
            Ok(CentralAnswer::NotFound) => {}
            Err(e) => {
                central_unreachable = true;
                tracing::info!(error = %e, "status check falls back to this kiosk's outbox");
            }
        }
    }
    let local_answer = ask_local(local, reference, proof)?;
    // The kiosk no longer knows whose a delivered claim is: without the central service it cannot say
    // "not found" for sure, and must not say anything that tells a delivered claim from a wrong NIK.
    if central_unreachable && local_answer == StatusAnswer::NotFound {
        return Ok(StatusAnswer::CannotCheckNow);
    }
    Ok(local_answer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::queue::{LocalClaim, QueueError};

    struct OneClaim(LocalClaim, &'static str);

    impl LocalClaims for OneClaim {
        fn find(
            &self,
            reference: &ClaimReference,
            nik: &str,
        ) -> Result<Option<LocalClaim>, QueueError> {
            Ok((*reference == self.0.reference && nik == self.1).then(|| self.0.clone()))
        }
    }

    fn known() -> ClaimReference {
        ClaimReference::new(1, 123).expect("a reference")
    }

    fn unknown() -> ClaimReference {
        ClaimReference::new(1, 999).expect("a reference")
    }

    fn claim(state: LocalState) -> OneClaim {
        let at = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap_or_default();
        OneClaim(
            LocalClaim {
                reference: known(),
                created_at: at,
                state,
            },
            "3171011501900001",
        )
    }

    #[test]
    fn offline_answers_come_from_the_outbox_and_a_wrong_nik_is_not_found() {
        let nik = Proof::Nik("3171011501900001".into());
        let pending = claim(LocalState::Pending);
        assert!(matches!(
            check(None, &pending, &known(), &nik),
            Ok(StatusAnswer::SavedNotSent { .. })
        ));
        let wrong = Proof::Nik("3171011501900002".into());
        assert_eq!(
            check(None, &pending, &known(), &wrong),
            Ok(StatusAnswer::NotFound)
        );
        assert_eq!(
            check(None, &pending, &unknown(), &nik),
            Ok(StatusAnswer::NotFound)
        );
        let at = DateTime::<Utc>::from_timestamp(1_700_000_500, 0).unwrap_or_default();
        let sent = claim(LocalState::Delivered(at));
        assert_eq!(
            check(None, &sent, &known(), &nik),
            Ok(StatusAnswer::SentOn { delivered_at: at })
        );
    }
}
