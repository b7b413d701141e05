//! `POST /v1/claims/status`: a claim's status for the participant who proves it is theirs with the NIK.
//!
//! Against guessing: each kiosk may ask `status_requests_per_kiosk_per_minute` times a minute, and each
//! reference allows `status_failures_per_reference` failed proofs within `status_failure_window_secs`; past
//! either, 429 with `Retry-After` (for the reference, whatever the NIK). A wrong NIK and an unknown reference
//! get the same 404 and count the same.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use lapak_core::api::{ClaimStatus, StatusReply};
use lapak_core::claim::reference::ClaimReference;

use super::auth::{authenticate_headers, read_signed_body};
use super::status_limits::RetryAfter;
use super::{ApiError, App, SMALL_BODY_LIMIT, closing, json_off_thread};
use crate::identity;

/// The longest reference looked up (claim references have 13 digits); longer ones are refused before they are
/// counted, so the failure memory stays small.
const MAX_REFERENCE_LEN: usize = 32;

pub(super) async fn post_status(
    State(app): State<Arc<App>>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let auth = match authenticate_headers(&app, "POST", uri.path(), &headers).await {
        Ok(auth) => auth,
        Err(e) => return closing(e.into_response()),
    };
    if let Err(wait) = app.status_limits.admit_kiosk(&auth.kiosk, Instant::now()) {
        return closing(
            too_many(
                wait,
                "too many status checks from this kiosk; try again later",
            )
            .into_response(),
        );
    }
    let bytes = match read_signed_body(&app, &auth, &headers, body, SMALL_BODY_LIMIT).await {
        Ok(b) => b,
        Err(e) => return closing(e.into_response()),
    };
    let worker = Arc::clone(&app);
    json_off_thread(move || status(&worker, &bytes)).await
}

fn too_many(wait: RetryAfter, message: &str) -> ApiError {
    ApiError::new(StatusCode::TOO_MANY_REQUESTS, "too_many_requests", message).retry(wait.0)
}

/// The body of `POST /v1/claims/status` as asked: the wire form of [`lapak_core::api::StatusRequest`] with the
/// reference still text, so that a reference that is not one is answered exactly like an unknown one (404,
/// counted as a failed proof), never with a different code an asker could learn from.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct AskedStatus {
    reference: String,
    nik: String,
}

/// Reads the request; a date of birth (accepted as proof by earlier versions) or a missing NIK is a clear 422.
fn parse(body: &[u8]) -> Result<AskedStatus, ApiError> {
    let bad_json = |e: serde_json::Error| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_json",
            format!("the body is not a status request: {e}"),
        )
    };
    let value: serde_json::Value = serde_json::from_slice(body).map_err(bad_json)?;
    if let Some(object) = value.as_object() {
        let proof_required = |message: &str| {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "proof_required", message)
        };
        if object.contains_key("date_of_birth") {
            return Err(proof_required(
                "the date of birth is not accepted as proof; give the participant's nik",
            ));
        }
        if !object.get("nik").is_some_and(serde_json::Value::is_string) {
            return Err(proof_required("give the participant's nik as proof"));
        }
    }
    serde_json::from_value(value).map_err(bad_json)
}

fn status(app: &App, body: &[u8]) -> Result<StatusReply, ApiError> {
    let request = parse(body)?;
    let reference = request.reference.trim();
    if reference.is_empty() || reference.len() > MAX_REFERENCE_LEN {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_reference",
            format!("a claim reference is 1 to {MAX_REFERENCE_LEN} characters"),
        ));
    }
    let check = app
        .status_limits
        .begin(reference, Instant::now())
        .map_err(|wait| {
            too_many(
                wait,
                "too many failed checks for this reference; try again later",
            )
        })?;
    let asked = identity::lookup_hash(&app.lookup_key, "nik", request.nik.trim());
    let parsed = ClaimReference::parse(reference).ok();
    let row = match &parsed {
        Some(reference) => app
            .store
            .claim_status(reference)
            .map_err(|e| ApiError::internal(&e))?,
        None => None,
    };
    let found =
        parsed.zip(row.filter(|row| constant_time_eq(row.nik_hash.as_bytes(), asked.as_bytes())));
    let Some((reference, row)) = found else {
        check.failed(Instant::now());
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "no claim with this reference and NIK",
        ));
    };
    drop(check);
    let status = ClaimStatus::from_id(&row.status).unwrap_or(ClaimStatus::Received);
    let changed_at = DateTime::parse_from_rfc3339(&row.changed_at)
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_default();
    Ok(StatusReply {
        reference,
        status,
        changed_at,
        reason: row.reason,
    })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(body: &str) -> Option<(StatusCode, &'static str)> {
        parse(body.as_bytes()).err().map(|e| (e.status, e.code))
    }

    #[test]
    fn a_date_of_birth_or_a_missing_nik_is_a_clear_422() {
        let proof_required = Some((StatusCode::UNPROCESSABLE_ENTITY, "proof_required"));
        assert_eq!(
            code(r#"{"reference":"1","date_of_birth":"1990-01-15"}"#),
            proof_required
        );
        assert_eq!(
            code(r#"{"reference":"1","nik":"3171","date_of_birth":"1990-01-15"}"#),
            proof_required
        );
        assert_eq!(code(r#"{"reference":"1"}"#), proof_required);
        assert_eq!(
            code(r#"{"reference":"1","nik":"3171","x":1}"#),
            Some((StatusCode::BAD_REQUEST, "bad_json"))
        );
        assert_eq!(code(r#"{"reference":"1","nik":"3171"}"#), None);
    }

    #[test]
    fn an_empty_or_overlong_reference_is_refused_before_it_is_counted()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let config = crate::config::CentralConfig {
            status_failures_per_reference: 1,
            ..crate::config::CentralConfig::default()
        };
        let store = crate::store::Store::open(&dir.path().join("c.sqlite"))?;
        let blobs = Box::new(crate::blobs::FolderBlobs::new(dir.path().join("packets")));
        let app = App::new(config, store, blobs, age::x25519::Identity::generate());
        let overlong = "1".repeat(MAX_REFERENCE_LEN + 1);
        for reference in ["", "  ", overlong.as_str()] {
            let body = format!(r#"{{"reference":"{reference}","nik":"3171"}}"#);
            let refused = status(&app, body.as_bytes()).err();
            assert_eq!(
                refused.map(|e| (e.status, e.code)),
                Some((StatusCode::UNPROCESSABLE_ENTITY, "bad_reference"))
            );
        }
        assert!(
            app.status_limits.begin(&overlong, Instant::now()).is_ok(),
            "no failure was counted"
        );
        // A reference of the right size is counted: with one failure allowed, the second check is refused.
        let wrong = br#"{"reference":"123","nik":"3171"}"#;
        assert_eq!(status(&app, wrong).err().map(|e| e.code), Some("not_found"));
        assert_eq!(
            status(&app, wrong).err().map(|e| e.code),
            Some("too_many_requests")
        );
        Ok(())
    }
}
