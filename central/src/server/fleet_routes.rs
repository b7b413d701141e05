//! `GET /fleet` (HTML) and `GET /v1/fleet` (JSON): every kiosk with its last heartbeat and alerts, for staff.
//!
//! Staff present the fleet token (made by `lapak-central fleet-token`; `central.toml` keeps only its SHA-256
//! in `fleet_token_sha256`) as `Authorization: Bearer TOKEN`, or as the password of HTTP Basic (any user name)
//! so a browser can ask for it. Without a configured token the routes answer 404; with one, a missing or wrong
//! token answers 401. The view is read on a read-only database connection of its own, off the async threads,
//! so however often it is asked it does not hold up claim intake.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use base64::Engine as _;
use chrono::Utc;
use sha2::{Digest as _, Sha256};

use super::{ApiError, App};
use crate::fleet;

/// The token presented in `Authorization` (Bearer, or the password of Basic).
fn presented_token(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, rest) = value.split_once(' ')?;
    if scheme.eq_ignore_ascii_case("bearer") {
        return Some(rest.trim().to_owned());
    }
    if scheme.eq_ignore_ascii_case("basic") {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(rest.trim())
            .ok()?;
        let text = String::from_utf8(decoded).ok()?;
        return text
            .split_once(':')
            .map(|(_, password)| password.to_owned());
    }
    None
}

/// Whether the request carries the staff token whose SHA-256 is `expected_hex`.
pub(crate) fn token_matches(headers: &HeaderMap, expected_hex: &str) -> bool {
    let Some(token) = presented_token(headers) else {
        return false;
    };
    let got = hex::encode(Sha256::digest(token.as_bytes()));
    got.len() == expected_hex.len()
        && got
            .bytes()
            .zip(expected_hex.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// The refusal of a request without fleet access configured or without its token; `None` lets it through.
fn refusal(app: &App, headers: &HeaderMap) -> Option<Response> {
    let expected = app.config.fleet_token_sha256.as_str();
    if expected.is_empty() {
        return Some(
            ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                "the fleet view is not enabled (fleet_token_sha256 in central.toml)",
            )
            .into_response(),
        );
    }
    if token_matches(headers, expected) {
        return None;
    }
    let mut response = ApiError::new(
        StatusCode::UNAUTHORIZED,
        "staff_credentials_required",
        "the fleet view needs the staff token (Authorization: Bearer TOKEN, or Basic with the token as password)",
    )
    .into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Basic realm=\"lapak fleet\", charset=\"UTF-8\""),
    );
    Some(response)
}

async fn fleet_view(app: Arc<App>) -> Result<fleet::FleetView, ApiError> {
    tokio::task::spawn_blocking(move || {
        let rows = app.store.fleet().map_err(|e| ApiError::internal(&e))?;
        let withdrawn: Vec<String> = app
            .store
            .withdrawn_versions()
            .map_err(|e| ApiError::internal(&e))?
            .into_iter()
            .map(|w| w.version)
            .collect();
        let mut view = fleet::view(&rows, &app.config, Utc::now());
        fleet::alert_withdrawn(&mut view, &withdrawn);
        Ok(view)
    })
    .await
    .map_err(|_| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "internal", "try again").retry(1))?
}

pub(super) async fn get_fleet_json(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    if let Some(refused) = refusal(&app, &headers) {
        return refused;
    }
    match fleet_view(app).await {
        Ok(view) => (StatusCode::OK, axum::Json(view)).into_response(),
        Err(e) => e.into_response(),
    }
}

pub(super) async fn get_fleet_html(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    if let Some(refused) = refusal(&app, &headers) {
        return refused;
    }
    match fleet_view(app).await {
        Ok(view) => Html(fleet::html(&view)).into_response(),
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Ok(v) = HeaderValue::from_str(value) {
            headers.insert(header::AUTHORIZATION, v);
        }
        headers
    }

    #[test]
    fn the_token_is_accepted_as_bearer_or_basic_password_and_nothing_else() {
        let token = "s3cret-token-of-staff";
        let hash = hex::encode(Sha256::digest(token.as_bytes()));
        let basic = base64::engine::general_purpose::STANDARD.encode(format!("staff:{token}"));
        assert!(token_matches(&with(&format!("Bearer {token}")), &hash));
        assert!(token_matches(&with(&format!("Basic {basic}")), &hash));
        assert!(!token_matches(&with("Bearer wrong"), &hash));
        assert!(!token_matches(&with(&format!("Bearer {hash}")), &hash));
        assert!(!token_matches(&HeaderMap::new(), &hash));
        let no_password = base64::engine::general_purpose::STANDARD.encode(token);
        assert!(!token_matches(
            &with(&format!("Basic {no_password}")),
            &hash
        ));
    }
}
