//! `POST /v1/kiosks/{id}/heartbeat`: a kiosk reports its health and learns the server time.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use chrono::Utc;
use lapak_core::api::{Heartbeat, HeartbeatReply};

use super::auth::signed_post;
use super::{ApiError, App, SMALL_BODY_LIMIT, json_off_thread};

pub(super) async fn post_heartbeat(
    State(app): State<Arc<App>>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let path = uri.path().to_owned();
    let (auth, bytes) = match signed_post(&app, &path, &headers, body, SMALL_BODY_LIMIT).await {
        Ok(signed) => signed,
        Err(refusal) => return refusal,
    };
    let id = path
        .strip_prefix("/v1/kiosks/")
        .and_then(|rest| rest.strip_suffix("/heartbeat"))
        .unwrap_or_default()
        .to_owned();
    let worker = Arc::clone(&app);
    let kiosk = auth.kiosk;
    json_off_thread(move || heartbeat(&worker, &id, kiosk, &bytes)).await
}

fn heartbeat(app: &App, id: &str, kiosk: String, body: &[u8]) -> Result<HeartbeatReply, ApiError> {
    if kiosk != id {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "kiosk_mismatch",
            "a kiosk may only report its own heartbeat",
        ));
    }
    let beat: Heartbeat = serde_json::from_slice(body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_json",
            format!("the body is not a heartbeat: {e}"),
        )
    })?;
    let json = serde_json::to_string(&beat)
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?;
    let now = Utc::now();
    app.store
        .record_heartbeat(&kiosk, &json, now, app.config.heartbeat_history)
        .map_err(|e| ApiError::internal(&e))?;
    let skew = (beat.sent_at - now).num_seconds();
    if skew.unsigned_abs() > 30 {
        tracing::warn!(%kiosk, skew_secs = skew, "kiosk clock differs from the server clock");
    }
    // Remote care rides on the answer: the newest configuration for the kiosk, a diagnostics request.
    let config_version = app
        .store
        .config_for(&kiosk)
        .map_err(|e| ApiError::internal(&e))?
        .map(|c| c.version);
    let diagnostics_request = app
        .store
        .pending_diagnostics(&kiosk)
        .map_err(|e| ApiError::internal(&e))?;
    Ok(HeartbeatReply {
        server_time: Utc::now(),
        config_version,
        diagnostics_request,
    })
}
