//! The HTTP service: routes, request authentication, load shedding, and the intake, status and heartbeat
//! handlers. The API is described in `central/openapi.yaml`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, VerifyingKey};
use lapak_kiosk::packet::{self, PacketError, SealedPacket};
use lapak_kiosk::sync::api::{
    ClaimStatus, ErrorBody, Heartbeat, HeartbeatReply, Receipt, StatusReply, StatusRequest,
};
use lapak_kiosk::sync::signing::{
    self, AuthError, HEADER_KIOSK, HEADER_PACKET_SIGNATURE, SignedHeaders,
};
use sha2::{Digest as _, Sha256};
use tokio::sync::Semaphore;

use crate::config::CentralConfig;
use crate::fleet;
use crate::identity;
use crate::store::{ExistingClaim, Inserted, NewClaimRow, Store, StoreError};

/// Largest body of a status request or heartbeat.
const SMALL_BODY_LIMIT: usize = 64 * 1024;

/// Everything the handlers share.
pub struct App {
    /// The configuration.
    pub config: CentralConfig,
    /// The database.
    pub store: Store,
    identity: age::x25519::Identity,
    lookup_key: [u8; 32],
    replay: Mutex<HashMap<[u8; 64], i64>>,
    in_flight: Semaphore,
    per_kiosk: Mutex<HashMap<String, usize>>,
}

impl App {
    /// Builds the shared state.
    pub fn new(config: CentralConfig, store: Store, identity: age::x25519::Identity) -> App {
        let lookup_key = identity::lookup_key(&identity);
        let permits = config.max_in_flight;
        App {
            config,
            store,
            identity,
            lookup_key,
            replay: Mutex::new(HashMap::new()),
            in_flight: Semaphore::new(permits),
            per_kiosk: Mutex::new(HashMap::new()),
        }
    }
}

/// The routes.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/v1/claims", post(post_claim))
        .route("/v1/claims/status", post(post_status))
        .route("/v1/kiosks/{id}/heartbeat", post(post_heartbeat))
        .route("/v1/fleet", get(get_fleet_json))
        .route("/fleet", get(get_fleet_html))
        .fallback(unknown_route)
        .method_not_allowed_fallback(wrong_method)
        .with_state(app)
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

    fn internal(e: &StoreError) -> ApiError {
        tracing::error!(error = %e, "database failure");
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "storage_unavailable",
            "storage failed; try again later",
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

fn json_response(status: StatusCode, json: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], json).into_response()
}

/// Checks the request signature; returns the kiosk id and key.
fn authenticate(
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

async fn read_body(headers: &HeaderMap, body: Body, limit: usize) -> Result<Vec<u8>, ApiError> {
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
    axum::body::to_bytes(body, limit)
        .await
        .map(|b| b.to_vec())
        .map_err(|_| too_large())
}

/// Holds one of a kiosk's concurrent upload slots.
struct KioskSlot {
    app: Arc<App>,
    kiosk: String,
}

impl KioskSlot {
    fn take(app: &Arc<App>, kiosk: &str) -> Option<KioskSlot> {
        let mut map = app.per_kiosk.lock().unwrap_or_else(PoisonError::into_inner);
        let n = map.entry(kiosk.to_owned()).or_insert(0);
        if *n >= app.config.max_in_flight_per_kiosk {
            return None;
        }
        *n += 1;
        Some(KioskSlot {
            app: Arc::clone(app),
            kiosk: kiosk.to_owned(),
        })
    }
}

impl Drop for KioskSlot {
    fn drop(&mut self) {
        let mut map = self
            .app
            .per_kiosk
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(n) = map.get_mut(&self.kiosk) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                map.remove(&self.kiosk);
            }
        }
    }
}

async fn post_claim(
    State(app): State<Arc<App>>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let retry = app.config.retry_after_secs;
    let Ok(_permit) = app.in_flight.try_acquire() else {
        return ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "overloaded",
            "the service is busy; try again later",
        )
        .retry(retry)
        .into_response();
    };
    // The kiosk's slot is held from the first byte (slow uploads count), before the signature is checked.
    let kiosk_header = headers
        .get(HEADER_KIOSK)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let Some(slot) = KioskSlot::take(&app, &kiosk_header) else {
        return ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_requests",
            "too many uploads at once from this kiosk",
        )
        .retry(retry)
        .into_response();
    };
    let bytes = match read_body(&headers, body, app.config.max_body_bytes).await {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let path = uri.path().to_owned();
    let worker = Arc::clone(&app);
    let result =
        tokio::task::spawn_blocking(move || intake(&worker, &path, &headers, &bytes)).await;
    drop(slot);
    match result {
        Ok(Ok((status, receipt))) => json_response(status, receipt),
        Ok(Err(e)) => e.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "intake task failed");
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "internal",
                "intake failed; try again",
            )
            .retry(retry)
            .into_response()
        }
    }
}

fn packet_error(e: &PacketError) -> ApiError {
    let code = match e {
        PacketError::BadSignature => "bad_packet_signature",
        PacketError::NotAgeFile { .. } | PacketError::Decrypt { .. } => "not_decryptable",
        PacketError::WrongRecipient => "wrong_recipient",
        PacketError::BadTar { .. } => "bad_archive",
        PacketError::BadManifest { .. } | PacketError::UnsupportedSchema { .. } => "bad_manifest",
        PacketError::HashMismatch { .. } => "hash_mismatch",
        _ => "invalid_packet",
    };
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, e.to_string())
}

fn repeat(
    found: &ExistingClaim,
    kiosk: &str,
    body_sha256: &str,
) -> Result<(StatusCode, String), ApiError> {
    if found.kiosk_id == kiosk && found.body_sha256 == body_sha256 {
        Ok((StatusCode::OK, found.receipt.clone()))
    } else {
        Err(ApiError::new(
            StatusCode::CONFLICT,
            "idempotency_conflict",
            "this idempotency key was already used with a different packet",
        ))
    }
}

/// The intake of one claim (blocking: decryption and the durable commit).
fn intake(
    app: &App,
    path: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(StatusCode, String), ApiError> {
    let (kiosk, key) = authenticate(app, "POST", path, headers, body)?;
    let bad_request = |code, message: &str| ApiError::new(StatusCode::BAD_REQUEST, code, message);
    let claim_id = headers
        .get(signing::HEADER_IDEMPOTENCY_KEY)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| uuid::Uuid::parse_str(v.trim()).ok())
        .ok_or_else(|| {
            bad_request(
                "bad_idempotency_key",
                "Idempotency-Key must be the claim id (a UUID)",
            )
        })?;
    let signature = headers
        .get(HEADER_PACKET_SIGNATURE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            base64::engine::general_purpose::STANDARD
                .decode(v.trim())
                .ok()
        })
        .and_then(|b| <[u8; 64]>::try_from(b.as_slice()).ok())
        .ok_or_else(|| {
            bad_request(
                "bad_packet_signature_header",
                "X-Lapak-Packet-Signature must be base64 of 64 bytes",
            )
        })?;
    let key_text = claim_id.to_string();
    let body_sha256 = hex::encode(Sha256::digest(body));
    if let Some(found) = app
        .store
        .existing_claim(&key_text)
        .map_err(|e| ApiError::internal(&e))?
    {
        return repeat(&found, &kiosk, &body_sha256);
    }
    let sealed = SealedPacket {
        ciphertext: body.to_vec(),
        signature: Signature::from_bytes(&signature),
    };
    let opening = std::time::Instant::now();
    let opened = packet::open(&sealed, &app.identity, &key).map_err(|e| packet_error(&e))?;
    let open_ms = opening.elapsed().as_secs_f64() * 1e3;
    let manifest = &opened.manifest;
    let unprocessable =
        |code, message: String| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message);
    if manifest.claim_id != claim_id {
        return Err(unprocessable(
            "claim_id_mismatch",
            "the manifest's claim_id differs from the Idempotency-Key".into(),
        ));
    }
    if manifest.kiosk_id != kiosk {
        return Err(unprocessable(
            "kiosk_mismatch",
            format!(
                "the manifest names kiosk {:?}, the request {kiosk:?}",
                manifest.kiosk_id
            ),
        ));
    }
    if manifest.reference.is_empty() || !manifest.reference.bytes().all(|b| b.is_ascii_digit()) {
        return Err(unprocessable(
            "bad_reference",
            "the manifest's reference must be digits".into(),
        ));
    }
    let nik_hash = identity::lookup_hash(&app.lookup_key, "nik", &manifest.fields.nik);
    let dob_hash = manifest
        .fields
        .date_of_birth
        .map(|d| identity::lookup_hash(&app.lookup_key, "dob", &d.to_string()));
    let now = Utc::now();
    let receipt = Receipt {
        claim_id,
        reference: manifest.reference.clone(),
        kiosk_id: kiosk.clone(),
        received_at: now,
        status: ClaimStatus::Received,
    };
    let receipt_json = serde_json::to_string(&receipt).map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("cannot write the receipt: {e}"),
        )
    })?;
    let row = NewClaimRow {
        claim_id: &key_text,
        kiosk_id: &kiosk,
        reference: &manifest.reference,
        body_sha256: &body_sha256,
        packet: body,
        packet_signature: &signature,
        test: manifest.test,
        received_at: now,
        receipt: &receipt_json,
        nik_hash: &nik_hash,
        dob_hash: dob_hash.as_deref(),
    };
    let committing = std::time::Instant::now();
    let inserted = app
        .store
        .insert_claim(&row)
        .map_err(|e| ApiError::internal(&e))?;
    let commit_ms = committing.elapsed().as_secs_f64() * 1e3;
    match inserted {
        Inserted::New => {
            tracing::info!(
                %kiosk,
                reference = %manifest.reference,
                bytes = body.len(),
                open_ms = format!("{open_ms:.1}"),
                commit_ms = format!("{commit_ms:.1}"),
                "claim stored"
            );
            Ok((StatusCode::CREATED, receipt_json))
        }
        Inserted::KeyExists(found) => repeat(&found, &kiosk, &body_sha256),
        Inserted::ReferenceTaken => Err(ApiError::new(
            StatusCode::CONFLICT,
            "reference_taken",
            format!("reference {} belongs to another claim", manifest.reference),
        )),
    }
}

async fn post_status(
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

async fn post_heartbeat(
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
    let id = path
        .strip_prefix("/v1/kiosks/")
        .and_then(|rest| rest.strip_suffix("/heartbeat"))
        .unwrap_or_default()
        .to_owned();
    let worker = Arc::clone(&app);
    json_off_thread(move || heartbeat(&worker, &id, &path, &headers, &bytes)).await
}

fn heartbeat(
    app: &App,
    id: &str,
    path: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<HeartbeatReply, ApiError> {
    let (kiosk, _) = authenticate(app, "POST", path, headers, body)?;
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
    Ok(HeartbeatReply {
        server_time: Utc::now(),
    })
}

async fn fleet_view(app: Arc<App>) -> Result<fleet::FleetView, ApiError> {
    tokio::task::spawn_blocking(move || {
        let rows = app.store.fleet().map_err(|e| ApiError::internal(&e))?;
        Ok(fleet::view(&rows, &app.config, Utc::now()))
    })
    .await
    .map_err(|_| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "internal", "try again").retry(1))?
}

async fn get_fleet_json(State(app): State<Arc<App>>) -> Response {
    match fleet_view(app).await {
        Ok(view) => (StatusCode::OK, axum::Json(view)).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn get_fleet_html(State(app): State<Arc<App>>) -> Response {
    match fleet_view(app).await {
        Ok(view) => Html(fleet::html(&view)).into_response(),
        Err(e) => e.into_response(),
    }
}
