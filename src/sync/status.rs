//! The participant's status check: "where is my claim?" by reference and NIK (or date of birth).
//!
//! Online, the central service answers. When it cannot (offline kiosk, network down) or does not know the
//! claim yet, the kiosk answers from its own outbox: "saved on this kiosk, not yet sent" for an undelivered
//! claim. A delivered claim's NIK hash is gone from the kiosk, so the kiosk cannot tell whose it is: while the
//! central service cannot be asked, a claim the kiosk cannot match is answered "cannot check now", whether the
//! reference is unknown, the NIK wrong or the claim delivered. A wrong NIK is answered exactly like an
//! unknown reference, on both paths.

use chrono::{DateTime, NaiveDate, Utc};

use super::SyncError;
use super::api::{ClaimStatus, StatusReply, StatusRequest};
use super::client::CentralClient;
use super::queue::{LocalClaims, LocalState};

/// How the participant proves the claim is theirs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proof {
    /// The worker's NIK.
    Nik(String),
    /// The worker's date of birth (the central service can check it; the kiosk alone cannot).
    DateOfBirth(NaiveDate),
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
    /// The central service cannot be asked now, and the kiosk cannot check a date of birth by itself.
    CannotCheckNow,
}

/// The body of `POST /v1/claims/status` for this reference and proof.
pub fn status_request(reference: &str, proof: &Proof) -> StatusRequest {
    StatusRequest {
        reference: reference.to_owned(),
        nik: match proof {
            Proof::Nik(n) => Some(n.clone()),
            Proof::DateOfBirth(_) => None,
        },
        date_of_birth: match proof {
            Proof::DateOfBirth(d) => Some(*d),
            Proof::Nik(_) => None,
        },
    }
}

/// Asks the central service only. `Ok(None)` is "not found" (unknown reference or wrong proof).
pub fn ask_central(
    client: &CentralClient,
    reference: &str,
    proof: &Proof,
) -> Result<Option<StatusReply>, SyncError> {
    let (status, text) = client.post_json("v1/claims/status", &status_request(reference, proof))?;
    match status {
        200 => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| SyncError::Unreachable(format!("unreadable status answer: {e}"))),
        404 => Ok(None),
        _ => Err(SyncError::Refused {
            status,
            message: text.chars().take(200).collect(),
        }),
    }
}

/// Answers from the outbox alone.
pub fn ask_local(
    local: &dyn LocalClaims,
    reference: &str,
    proof: &Proof,
) -> Result<StatusAnswer, SyncError> {
    let Proof::Nik(nik) = proof else {
        return Ok(StatusAnswer::CannotCheckNow);
    };
    Ok(match local.find(reference, nik)? {
        None => StatusAnswer::NotFound,
        Some(claim) => match claim.state {
            LocalState::Pending => StatusAnswer::SavedNotSent {
                saved_at: claim.created_at,
            },
            LocalState::Delivered(at) => StatusAnswer::SentOn { delivered_at: at },
            LocalState::Rejected => StatusAnswer::RefusedOnSend,
        },
    })
}

/// The status check for `lapak-kiosk status REF` and the status screen: the central service when it can be
/// asked (`client` is `None` on an offline kiosk), else the outbox.
pub fn check(
    client: Option<&CentralClient>,
    local: &dyn LocalClaims,
    reference: &str,
    proof: &Proof,
) -> Result<StatusAnswer, SyncError> {
    let mut central_unreachable = false;
    if let Some(client) = client {
        match ask_central(client, reference, proof) {
            Ok(Some(reply)) => {
                return Ok(StatusAnswer::Central {
                    status: reply.status,
                    changed_at: reply.changed_at,
                    reason: reply.reason,
                });
            }
            Ok(None) => {}
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
        fn find(&self, reference: &str, nik: &str) -> Result<Option<LocalClaim>, QueueError> {
            Ok((reference == self.0.reference && nik == self.1).then(|| self.0.clone()))
        }
    }

    fn claim(state: LocalState) -> OneClaim {
        let at = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap_or_default();
        OneClaim(
            LocalClaim {
                reference: "123".into(),
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
            check(None, &pending, "123", &nik),
            Ok(StatusAnswer::SavedNotSent { .. })
        ));
        let wrong = Proof::Nik("3171011501900002".into());
        assert_eq!(
            check(None, &pending, "123", &wrong),
            Ok(StatusAnswer::NotFound)
        );
        assert_eq!(
            check(None, &pending, "999", &nik),
            Ok(StatusAnswer::NotFound)
        );
        let at = DateTime::<Utc>::from_timestamp(1_700_000_500, 0).unwrap_or_default();
        let sent = claim(LocalState::Delivered(at));
        assert_eq!(
            check(None, &sent, "123", &nik),
            Ok(StatusAnswer::SentOn { delivered_at: at })
        );
        let dob = Proof::DateOfBirth(NaiveDate::from_ymd_opt(1990, 1, 15).unwrap_or_default());
        assert_eq!(
            check(None, &sent, "123", &dob),
            Ok(StatusAnswer::CannotCheckNow)
        );
    }
}
