//! Remote care over the kiosk's own signed requests: `POST /v1/kiosks/{id}/config` (the newest configuration
//! pushed for the kiosk or its group, as signed when pushed) and `POST /v1/kiosks/{id}/diagnostics/{request}`
//! (the bundle staff asked for). A kiosk learns of both from its heartbeat answer.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use chrono::Utc;
use lapak_core::care::{DiagnosticsBundle, RemoteConfig};
use serde::Serialize;

use super::auth::signed_post;
use super::{ApiError, App, SMALL_BODY_LIMIT, json_off_thread};

/// Largest diagnostics bundle.
pub(super) const BUNDLE_LIMIT: usize = 2 * 1024 * 1024;

/// The kiosk id in `/v1/kiosks/{id}/…`.
fn kiosk_in_path(path: &str) -> String {
    path.strip_prefix("/v1/kiosks/")
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_default()
        .to_owned()
}

fn not_yours() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "kiosk_mismatch",
        "a kiosk may only fetch or upload its own",
    )
}

pub(super) async fn post_config(
    State(app): State<Arc<App>>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let path = uri.path().to_owned();
    let (auth, _body) = match signed_post(&app, &path, &headers, body, SMALL_BODY_LIMIT).await {
        Ok(signed) => signed,
        Err(refusal) => return refusal,
    };
    let worker = Arc::clone(&app);
    json_off_thread(move || -> Result<RemoteConfig, ApiError> {
        if kiosk_in_path(&path) != auth.kiosk {
            return Err(not_yours());
        }
        worker
            .store
            .config_for(&auth.kiosk)
            .map_err(|e| ApiError::internal(&e))?
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::NOT_FOUND,
                    "no_config",
                    "no configuration was pushed for this kiosk",
                )
            })
    })
    .await
}

/// The answer to a stored bundle.
#[derive(Serialize)]
struct Stored {
    stored: bool,
}

pub(super) async fn post_diagnostics(
    State(app): State<Arc<App>>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let path = uri.path().to_owned();
    let (auth, bytes) = match signed_post(&app, &path, &headers, body, BUNDLE_LIMIT).await {
        Ok(signed) => signed,
        Err(refusal) => return refusal,
    };
    let worker = Arc::clone(&app);
    json_off_thread(move || {
        if kiosk_in_path(&path) != auth.kiosk {
            return Err(not_yours());
        }
        let request = path.rsplit('/').next().unwrap_or_default().to_owned();
        let bundle: DiagnosticsBundle = serde_json::from_slice(&bytes).map_err(|e| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "bad_json",
                format!("the body is not a diagnostics bundle: {e}"),
            )
        })?;
        if bundle.request != request {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "request_mismatch",
                "the bundle answers another request",
            ));
        }
        let text = String::from_utf8(bytes).map_err(|_| {
            ApiError::new(StatusCode::BAD_REQUEST, "bad_json", "the body is not UTF-8")
        })?;
        let stored = worker
            .store
            .store_diagnostics(&auth.kiosk, &request, &text, Utc::now())
            .map_err(|e| ApiError::internal(&e))?;
        if !stored {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "no_request",
                "no diagnostics request of this kiosk waits under this id",
            ));
        }
        tracing::info!(kiosk = %auth.kiosk, %request, "diagnostics bundle stored");
        Ok(Stored { stored: true })
    })
    .await
}
