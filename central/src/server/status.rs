//! `POST /v1/claims/status`: a claim's status for the participant who proves it is theirs.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use lapak_kiosk::sync::api::{ClaimStatus, StatusReply, StatusRequest};

use super::auth::authenticate;
use super::{ApiError, App, SMALL_BODY_LIMIT, json_off_thread, read_body};
use crate::identity;

pub(super) async fn post_status(
    State(app): State<Arc<App>>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let bytes = match read_body(&headers, body, SMALL_BODY_LIMIT).await {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let path = uri.path().to_owned();
    let worker = Arc::clone(&app);
    json_off_thread(move || status(&worker, &path, &headers, &bytes)).await
}

fn status(
    app: &App,
    path: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<StatusReply, ApiError> {
    authenticate(app, "POST", path, headers, body)?;
    let request: StatusRequest = serde_json::from_slice(body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_json",
            format!("the body is not a status request: {e}"),
        )
    })?;
    let (label, value) = match (&request.nik, &request.date_of_birth) {
        (Some(nik), None) => ("nik", nik.clone()),
        (None, Some(dob)) => ("dob", dob.to_string()),
        _ => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "proof_required",
                "give exactly one of nik or date_of_birth",
            ));
        }
    };
    let asked = identity::lookup_hash(&app.lookup_key, label, &value);
    let not_found = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "no claim with this reference and NIK or date of birth",
        )
    };
    let row = app
        .store
        .claim_status(request.reference.trim())
        .map_err(|e| ApiError::internal(&e))?;
    let Some(row) = row else {
        return Err(not_found());
    };
    let stored = if label == "nik" {
        Some(row.nik_hash.as_str())
    } else {
        row.dob_hash.as_deref()
    };
    let matches = stored.is_some_and(|s| constant_time_eq(s.as_bytes(), asked.as_bytes()));
    if !matches {
        return Err(not_found());
    }
    let status = ClaimStatus::from_id(&row.status).unwrap_or(ClaimStatus::Received);
    let changed_at = DateTime::parse_from_rfc3339(&row.changed_at)
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_default();
    Ok(StatusReply {
        reference: request.reference.trim().to_owned(),
        status,
        changed_at,
        reason: row.reason,
    })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
