//! Request authentication: the signature headers, the kiosk registry, the clock window and replay memory.
//!
//! The signature covers the declared SHA-256 of the body (`X-Lapak-Content-SHA256`), so a request is
//! authenticated from its headers alone, before any room is made for it or its body is read; the body is then
//! read under a deadline and checked against the declared hash ([`read_signed_body`]).

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode};
use chrono::Utc;
use ed25519_dalek::VerifyingKey;
use lapak_core::signing::{self, AuthError, SignedHeaders};
use std::sync::Arc;

use super::{ApiError, App, read_body};

fn auth_error(e: AuthError) -> ApiError {
    let code = match e {
        AuthError::MissingHeader(_) => "missing_header",
        AuthError::BadTimestamp => "bad_timestamp",
        AuthError::BadContentHash => "bad_content_hash",
        AuthError::Stale { .. } => "stale_timestamp",
        AuthError::UnknownKiosk(_) => "unknown_kiosk",
        AuthError::Revoked(_) => "revoked_kiosk",
        AuthError::BadSignatureEncoding | AuthError::BadSignature => "bad_signature",
        AuthError::ContentMismatch => "content_mismatch",
        AuthError::Replayed => "replayed",
    };
    ApiError::new(StatusCode::UNAUTHORIZED, code, e.to_string())
}

/// A request whose headers carry a valid, fresh, unseen signature of a registered kiosk.
pub(super) struct Authenticated {
    /// The kiosk id.
    pub kiosk: String,
    /// The kiosk's registered key.
    pub key: VerifyingKey,
    /// The signed headers (with the declared content hash).
    pub headers: SignedHeaders,
}

/// Checks the signature headers of a request to `path` (relative to the API root) without its body: kiosk
/// registered and not revoked, fresh timestamp, signature, replay. Blocking (a registry look-up).
pub(super) fn authenticate(
    app: &App,
    method: &str,
    path: &str,
    headers: &HeaderMap,
) -> Result<Authenticated, ApiError> {
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
        now,
        app.config.skew_tolerance(),
    )
    .map_err(auth_error)?;
    let signature = signed.signature_bytes().map_err(auth_error)?;
    let expires = signed.timestamp + app.config.clock_skew_secs as i64 + 1;
    // Remembered in the database's replay memory (shared by every replica on one PostgreSQL database).
    let fresh = app
        .store
        .remember_signature(&signature, expires, now)
        .map_err(|e| ApiError::internal(&e))?;
    if !fresh {
        return Err(auth_error(AuthError::Replayed));
    }
    Ok(Authenticated {
        kiosk: kiosk.id,
        key,
        headers: signed,
    })
}

impl Authenticated {
    /// Forgets this request's signature in the replay memory: for a request shed (429/503) before anything of
    /// it was read or done, so that the kiosk's retry within the same second (the same signature: the same
    /// claim, timestamp and headers) is not refused as a replay. The database is told off the async threads,
    /// before the answer goes out.
    pub async fn forget_signature(&self, app: &Arc<App>) {
        if let Ok(signature) = self.headers.signature_bytes() {
            let worker = Arc::clone(app);
            let forgotten =
                tokio::task::spawn_blocking(move || worker.store.forget_signature(&signature))
                    .await;
            if !matches!(forgotten, Ok(Ok(()))) {
                tracing::warn!("a shed request's signature was not forgotten");
            }
        }
    }
}

/// [`authenticate`] off the async threads.
pub(super) async fn authenticate_headers(
    app: &Arc<App>,
    method: &'static str,
    path: &str,
    headers: &HeaderMap,
) -> Result<Authenticated, ApiError> {
    let worker = Arc::clone(app);
    let path = path.to_owned();
    let headers = headers.clone();
    tokio::task::spawn_blocking(move || authenticate(&worker, method, &path, &headers))
        .await
        .map_err(|_| {
            ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "internal", "try again").retry(1)
        })?
}

/// Reads the body of an authenticated request under the body deadline and checks it against the signed
/// content hash.
pub(super) async fn read_signed_body(
    app: &App,
    auth: &Authenticated,
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<Vec<u8>, ApiError> {
    let bytes = read_body(&app.config, headers, body, limit).await?;
    auth.headers.check_body(&bytes).map_err(auth_error)?;
    Ok(bytes)
}

/// A kiosk's signed POST read whole, for the endpoints with nothing to do between the two steps: the request's
/// path, who signed it and its body (checked against the signed hash, at most `limit` bytes); or the refusal
/// to send back, on a connection that then closes.
pub(super) async fn signed_post(
    app: &Arc<App>,
    path: &str,
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<(Authenticated, Vec<u8>), axum::response::Response> {
    use axum::response::IntoResponse as _;
    let auth = authenticate_headers(app, "POST", path, headers)
        .await
        .map_err(|e| super::closing(e.into_response()))?;
    let bytes = read_signed_body(app, &auth, headers, body, limit)
        .await
        .map_err(|e| super::closing(e.into_response()))?;
    Ok((auth, bytes))
}
