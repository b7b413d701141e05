//! Request authentication: the signature headers, the kiosk registry, the clock window and replay memory.

use axum::http::{HeaderMap, StatusCode};
use chrono::Utc;
use ed25519_dalek::VerifyingKey;
use lapak_kiosk::sync::signing::{self, AuthError, SignedHeaders};
use std::sync::PoisonError;

use super::{ApiError, App};

fn auth_error(e: AuthError) -> ApiError {
    let code = match e {
        AuthError::MissingHeader(_) => "missing_header",
        AuthError::BadTimestamp => "bad_timestamp",
        AuthError::Stale { .. } => "stale_timestamp",
        AuthError::UnknownKiosk(_) => "unknown_kiosk",
        AuthError::Revoked(_) => "revoked_kiosk",
        AuthError::BadSignatureEncoding | AuthError::BadSignature => "bad_signature",
        AuthError::Replayed => "replayed",
    };
    ApiError::new(StatusCode::UNAUTHORIZED, code, e.to_string())
}

/// Checks the request signature; returns the kiosk id and key.
pub(super) fn authenticate(
    app: &App,
    method: &str,
    path: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(String, VerifyingKey), ApiError> {
    let signed = SignedHeaders::from_lookup(|name| headers.get(name).and_then(|v| v.to_str().ok()))
        .map_err(auth_error)?;
    let now = Utc::now().timestamp();
    signing::check_freshness(signed.timestamp, now, app.config.skew_tolerance())
        .map_err(auth_error)?;
    let kiosk = app
        .store
        .kiosk(&signed.kiosk_id)
        .map_err(|e| ApiError::internal(&e))?
        .ok_or_else(|| auth_error(AuthError::UnknownKiosk(signed.kiosk_id.clone())))?;
    if kiosk.revoked_at.is_some() {
        return Err(auth_error(AuthError::Revoked(kiosk.id)));
    }
    let key = signing::parse_public_key(&kiosk.public_key).map_err(|e| {
        tracing::error!(kiosk = %kiosk.id, error = %e, "registered key unusable");
        auth_error(AuthError::BadSignature)
    })?;
    signing::verify_request(
        &key,
        method,
        path,
        &signed,
        body,
        now,
        app.config.skew_tolerance(),
    )
    .map_err(auth_error)?;
    let signature = signed.signature_bytes().map_err(auth_error)?;
    let expires = signed.timestamp + app.config.clock_skew_secs as i64 + 1;
    {
        let mut seen = app.replay.lock().unwrap_or_else(PoisonError::into_inner);
        if seen.len() > 50_000 {
            seen.retain(|_, until| *until >= now);
        }
        if seen.insert(signature, expires).is_some() {
            return Err(auth_error(AuthError::Replayed));
        }
    }
    Ok((kiosk.id, key))
}
