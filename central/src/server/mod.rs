//! The HTTP service: routes, request authentication, load shedding, and the intake, status and heartbeat
//! handlers. The API is described in `central/openapi.yaml`.
//!
//! One file per job: [`auth`] (request signatures, replay memory), [`intake`] (`POST /v1/claims`), [`status`]
//! (`POST /v1/claims/status`) with [`status_limits`] (against guessing), [`tus`] (resumable uploads under
//! `/v1/uploads`), [`heartbeat`] (`POST /v1/kiosks/{id}/heartbeat`), [`sequence`] and [`fleet_routes`]
//! (`GET /fleet`, `GET /v1/fleet`, for staff with the fleet token), [`care_routes`] (remote configuration and
//! diagnostics bundles). This file holds the shared state, the routes,
//! the body deadline and the error answer.

mod auth;
mod care_routes;
mod fleet_routes;
mod heartbeat;
mod intake;
mod sequence;
mod status;
mod status_limits;
mod tus;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, head, post};
use lapak_core::api::ErrorBody;
use tokio::sync::Semaphore;

use crate::blobs::{BlobError, BlobStore};
use crate::config::CentralConfig;
use crate::identity;
use crate::store::{Store, StoreError};
use crate::uploads::Uploads;

use care_routes::{post_config, post_diagnostics};
use fleet_routes::{get_fleet_html, get_fleet_json};
use heartbeat::post_heartbeat;
use intake::post_claim;
pub(crate) use intake::store_verified_claim;
use sequence::post_sequence;
use status::post_status;
use tus::{create_upload, head_upload, options_uploads, patch_upload};

/// Largest body of a status request or heartbeat.
const SMALL_BODY_LIMIT: usize = 64 * 1024;

/// Everything the handlers share.
pub struct App {
    /// The configuration.
    pub config: CentralConfig,
    /// The database.
    pub store: Store,
    /// The packet store: a claim's sealed packet is written here (create-only) before its row is committed.
    pub blobs: Box<dyn BlobStore>,
    /// Resumable uploads under way (their files in `uploads_dir`).
    pub uploads: Uploads,
    identity: age::x25519::Identity,
    lookup_key: [u8; 32],
    in_flight: Semaphore,
    per_kiosk: Mutex<HashMap<String, usize>>,
    status_limits: status_limits::StatusLimits,
}

impl App {
    /// Builds the shared state.
    pub fn new(
        config: CentralConfig,
        store: Store,
        blobs: Box<dyn BlobStore>,
        identity: age::x25519::Identity,
    ) -> App {
        let lookup_key = identity::lookup_key(&identity);
        let permits = config.max_in_flight;
        let status_limits = status_limits::StatusLimits::new(&config);
        let uploads = Uploads::for_store(config.uploads_dir(), &store);
        App {
            config,
            store,
            blobs,
            uploads,
            identity,
            lookup_key,
            in_flight: Semaphore::new(permits),
            per_kiosk: Mutex::new(HashMap::new()),
            status_limits,
        }
    }
}

/// The routes, under the configured `base_path` (stripped before routing and signature checks).
pub fn router(app: Arc<App>) -> Router {
    let base_path = app.config.base_path.clone();
    let api = Router::new()
        .route("/v1/claims", post(post_claim))
        .route("/v1/claims/status", post(post_status))
        .route("/v1/uploads", post(create_upload).options(options_uploads))
        .route("/v1/uploads/{id}", head(head_upload).patch(patch_upload))
        .route("/v1/kiosks/{id}/heartbeat", post(post_heartbeat))
        .route("/v1/kiosks/{id}/sequence", post(post_sequence))
        .route("/v1/kiosks/{id}/config", post(post_config))
        .route(
            "/v1/kiosks/{id}/diagnostics/{request}",
            post(post_diagnostics),
        )
        .route("/v1/fleet", get(get_fleet_json))
        .route("/fleet", get(get_fleet_html))
        .fallback(unknown_route)
        .method_not_allowed_fallback(wrong_method)
        .with_state(app);
    if base_path.is_empty() {
        api
    } else {
        Router::new().nest(&base_path, api).fallback(unknown_route)
    }
}

/// Starts the background sweep of expired resumable uploads (inside the runtime).
pub fn spawn_upload_sweeper(app: Arc<App>) {
    tus::spawn_sweeper(app);
}

async fn unknown_route() -> Response {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such path; see openapi.yaml",
    )
    .into_response()
}

async fn wrong_method() -> Response {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this path takes another method",
    )
    .into_response()
}

/// A refusal: HTTP status, stable code, a sentence, maybe a `Retry-After`.
#[derive(Debug, Clone)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    retry_after: Option<u64>,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    /// The stable code of the refusal (`reference_not_yours`, `bad_packet_signature`, …).
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The sentence explaining it.
    pub fn message(&self) -> &str {
        &self.message
    }

    fn internal(e: &StoreError) -> ApiError {
        tracing::error!(error = %e, "database failure");
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "storage_unavailable",
            "storage failed; try again later",
        )
        .retry(5)
    }

    fn packet_store(e: &BlobError) -> ApiError {
        tracing::error!(error = %e, "packet store failure");
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "storage_unavailable",
            "the packet store failed; try again later",
        )
        .retry(5)
    }

    fn retry(mut self, secs: u64) -> ApiError {
        self.retry_after = Some(secs);
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: self.code.to_owned(),
            message: self.message,
        };
        let mut response = (self.status, axum::Json(body)).into_response();
        if let Some(secs) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response
    }
}

/// Asks the client to close the connection after this answer: given when a request is refused before its body
/// was read in full, so what is left of the body cannot hold the connection.
fn closing(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

fn json_response(status: StatusCode, json: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], json).into_response()
}

/// Reads a body of at most `limit` bytes within the body deadline for its declared length (`central.toml`:
/// `body_read_timeout_secs` plus the length at `body_min_bytes_per_sec`); a body still arriving after that
/// answers 408 and the connection is closed. Every handler that reads a body uses this.
pub(crate) async fn read_body(
    config: &CentralConfig,
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<Vec<u8>, ApiError> {
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("the body is larger than {limit} bytes"),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let deadline = config.body_deadline(declared.unwrap_or(limit));
    match tokio::time::timeout(deadline, axum::body::to_bytes(body, limit)).await {
        Ok(read) => read.map(|b| b.to_vec()).map_err(|_| too_large()),
        Err(_) => Err(ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "body_timeout",
            format!(
                "the body did not arrive within {} s",
                deadline.as_secs_f64().ceil()
            ),
        )),
    }
}

/// Runs blocking work (SQLite, signature checks) off the async threads and answers 200 with its JSON, its
/// error, or 503 "try again" if the work could not finish.
async fn json_off_thread<T: serde::Serialize + Send + 'static>(
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Response {
    match tokio::task::spawn_blocking(work).await {
        Ok(Ok(reply)) => (StatusCode::OK, axum::Json(reply)).into_response(),
        Ok(Err(e)) => e.into_response(),
        Err(_) => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "internal", "try again")
            .retry(1)
            .into_response(),
    }
}
