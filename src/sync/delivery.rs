//! One claim's delivery: sent as a resumable upload, and the central service's answer classified as delivered,
//! held (a claim-level refusal) or transient (everything else); see [`super::uploader`].

use std::time::Duration;

use super::api::{ErrorBody, Receipt, is_claim_refusal};
use super::client::CentralClient;
use super::resumable::{self, Answer, Outcome, UploadUrls};
use crate::outbox::OutgoingClaim;

/// The outcome of one attempt to send a claim.
#[derive(Debug, Clone, PartialEq)]
pub enum Delivery {
    /// The central service has the claim.
    Delivered {
        /// Its receipt.
        receipt: Receipt,
        /// The receipt as received (stored in the outbox).
        receipt_json: String,
        /// True when the service already had it (200 rather than 201).
        repeat: bool,
    },
    /// The central service refused the claim itself (a claim-level code): hold it for staff.
    Held {
        /// HTTP status.
        status: u16,
        /// The service's code and message.
        reason: String,
    },
    /// Try again later.
    Transient {
        /// What went wrong.
        reason: String,
        /// What the service's `Retry-After` asked for.
        retry_after: Option<Duration>,
    },
}

/// Sends one claim as a resumable upload ([`resumable::upload`]: chunks that resume at the service's offset
/// after a broken connection, at the URL `urls` keeps for the claim) and classifies the service's answer about it
/// (see the module documentation).
pub fn send_claim(
    client: &CentralClient,
    claim: &OutgoingClaim,
    urls: &dyn UploadUrls,
) -> Delivery {
    let Answer {
        status,
        retry_after,
        text,
    } = match resumable::upload(client, claim, urls) {
        Outcome::Answer(answer) => answer,
        Outcome::Failed(reason) => {
            return Delivery::Transient {
                reason,
                retry_after: None,
            };
        }
    };
    match classify(status, &text) {
        Delivery::Delivered { receipt, .. } if receipt.claim_id != claim.claim_id => {
            Delivery::Transient {
                reason: format!(
                    "receipt names claim {} instead of {}",
                    receipt.claim_id, claim.claim_id
                ),
                retry_after,
            }
        }
        Delivery::Transient { reason, .. } => Delivery::Transient {
            reason,
            retry_after,
        },
        final_answer => final_answer,
    }
}

/// Classifies one answer of `POST /v1/claims` by its status and body (see the module documentation): a receipt
/// is delivered, a claim-level refusal of lapak-central is held, anything else is transient (its `retry_after`
/// is left to the caller, who has the headers).
pub fn classify(status: u16, body_text: &str) -> Delivery {
    match status {
        200 | 201 => match serde_json::from_str::<Receipt>(body_text) {
            Ok(receipt) => Delivery::Delivered {
                receipt,
                receipt_json: body_text.to_owned(),
                repeat: status == 200,
            },
            Err(e) => Delivery::Transient {
                reason: format!("unreadable receipt ({status}): {e}"),
                retry_after: None,
            },
        },
        _ => match serde_json::from_str::<ErrorBody>(body_text) {
            Ok(body) if is_claim_refusal(status, &body.error) => Delivery::Held {
                status,
                reason: format!("{}: {}", body.error, body.message),
            },
            _ => Delivery::Transient {
                reason: format!("{status}: {}", reason_of(body_text)),
                retry_after: None,
            },
        },
    }
}

/// The service's code and message, or the start of whatever else answered (an HTML page, a proxy's text) on
/// one line.
fn reason_of(text: &str) -> String {
    match serde_json::from_str::<ErrorBody>(text) {
        Ok(body) => format!("{}: {}", body.error, body.message),
        Err(_) => {
            let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if line.is_empty() {
                "(no body)".to_owned()
            } else {
                line.chars().take(200).collect()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::api::{CLAIM_REFUSAL_CODES, ClaimStatus};

    fn error_body(code: &str) -> String {
        serde_json::json!({ "error": code, "message": "from lapak-central" }).to_string()
    }

    fn receipt_json() -> String {
        serde_json::json!({
            "claim_id": "6f1c1b5e-8a43-4c3e-9d2a-0d6a7c1e2f30",
            "reference": crate::claim::reference::ClaimReference::new(90_000, 1)
                .expect("a reference")
                .digits(),
            "kiosk_id": "K001",
            "received_at": "2026-11-28T03:44:00Z",
            "status": "received"
        })
        .to_string()
    }

    const CAPTIVE_PORTAL: &str = "<!DOCTYPE html>\n<html><head><title>Hotspot login</title></head>\n\
        <body><form action=\"/login\"><input name=\"voucher\"></form></body></html>";

    fn is_transient(delivery: &Delivery) -> bool {
        matches!(delivery, Delivery::Transient { .. })
    }

    #[test]
    fn only_allow_listed_claim_codes_with_their_status_are_held() {
        for (status, code) in CLAIM_REFUSAL_CODES {
            match classify(*status, &error_body(code)) {
                Delivery::Held { status: s, reason } => {
                    assert_eq!(s, *status);
                    assert!(reason.starts_with(code), "{reason}");
                }
                other => panic!("{status} {code} must be held, got {other:?}"),
            }
        }
        // The same codes under another status are not the service's claim-level refusal.
        assert!(is_transient(&classify(400, &error_body("hash_mismatch"))));
        assert!(is_transient(&classify(409, &error_body("wrong_recipient"))));
        assert!(is_transient(&classify(
            500,
            &error_body("idempotency_conflict")
        )));
    }

    #[test]
    fn proxy_portal_kiosk_and_unknown_answers_are_transient() {
        let answers: Vec<(u16, String)> = vec![
            (401, error_body("unknown_kiosk")),
            (401, error_body("revoked_kiosk")),
            (401, error_body("bad_signature")),
            (401, error_body("replayed")),
            (401, error_body("stale_timestamp")),
            (403, "<html><body>403 Forbidden</body></html>".into()),
            (
                404,
                "<html><body><h1>404 Not Found</h1>nginx</body></html>".into(),
            ),
            (407, "Proxy Authentication Required".into()),
            (
                413,
                "<html><head><title>413 Request Entity Too Large</title></head></html>".into(),
            ),
            (422, error_body("a_code_added_later")),
            (422, "{\"detail\": \"not lapak-central\"}".into()),
            (409, String::new()),
            (400, error_body("bad_request")),
            (408, String::new()),
            (429, error_body("rate_limited")),
            (302, CAPTIVE_PORTAL.into()),
            (200, CAPTIVE_PORTAL.into()),
            (201, "{\"receipt\": ".into()),
            (500, "oops".into()),
            (503, error_body("overloaded")),
        ];
        for (status, body) in answers {
            let delivery = classify(status, &body);
            match &delivery {
                Delivery::Transient { reason, .. } => {
                    assert!(reason.contains(&status.to_string()), "{reason}");
                    assert!(!reason.contains('\n'), "one line for staff: {reason:?}");
                }
                other => panic!("{status} {body:?} must be transient, got {other:?}"),
            }
        }
    }

    #[test]
    fn a_receipt_is_delivered_and_200_is_a_repeat() {
        match classify(201, &receipt_json()) {
            Delivery::Delivered {
                receipt,
                receipt_json: kept,
                repeat,
            } => {
                assert_eq!(receipt.status, ClaimStatus::Received);
                assert_eq!(kept, receipt_json());
                assert!(!repeat);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            classify(200, &receipt_json()),
            Delivery::Delivered { repeat: true, .. }
        ));
    }
}
