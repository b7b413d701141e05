//! Resumable claim uploads under `/v1/uploads`, following tus 1.0.0 (core, creation, checksum, expiration).
//!
//! - `OPTIONS /v1/uploads`: what the service supports.
//! - `POST /v1/uploads`: creation, signed like every kiosk request (empty body, `Idempotency-Key` = the claim
//!   id); `Upload-Length` (at most `max_body_bytes`, else 413) and `Upload-Metadata` with `claim_id` (the same
//!   claim id) and `packet_signature` (base64 of the packet's 64-byte signature). Answers 201 with `Location`.
//! - `HEAD /v1/uploads/{id}`: the durable offset; on a finished upload whose claim is stored, its receipt.
//! - `PATCH /v1/uploads/{id}`: a chunk at `Upload-Offset` (409 if that is not the durable offset), with an
//!   optional `Upload-Checksum` (sha1 or sha256; 460 on a mismatch, the chunk discarded). The chunk is on disk
//!   before 204 and the new offset are answered.
//!
//! The upload id is 128 random bits and is bound to the kiosk that created it: `HEAD` and `PATCH` need the same
//! `X-Lapak-Kiosk` header (another kiosk gets 404, as for an unknown id); they carry no per-request signature,
//! so an ordinary tus client with static headers can upload. Whatever arrives is checked exactly like
//! `POST /v1/claims` once the last byte is in ([`super::intake::store_verified_claim`]: packet signature against the
//! kiosk's registered key, decryption, manifest): the final `PATCH` answers 204 with `X-Lapak-Receipt` (base64
//! of the receipt JSON) and `X-Lapak-Intake-Status` (201 new, 200 repeat), or the same refusal status and JSON
//! body as `POST /v1/claims`. An empty `PATCH` at the end of a finished upload asks for that answer again.
//! Uploads expire `upload_expiry_hours` after their last chunk (410 until swept, then 404).

use std::sync::{Arc, PoisonError};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, Utc};
use lapak_core::signing::{self, HEADER_KIOSK};
use sha2::Digest as _;

use super::auth::{authenticate_headers, read_signed_body};
use super::intake::{KioskSlot, parse_packet_signature, store_verified_claim};
use super::{ApiError, App, SMALL_BODY_LIMIT, read_body};
use crate::uploads::UploadRow;

/// The tus version spoken.
pub const TUS_VERSION: &str = "1.0.0";
/// The tus extensions supported.
pub const TUS_EXTENSIONS: &str = "creation,checksum,expiration";
/// The checksum algorithms accepted in `Upload-Checksum`.
pub const TUS_CHECKSUM_ALGORITHMS: &str = "sha1,sha256";
/// The header carrying the receipt (base64 of its JSON) once the claim is stored.
pub const HEADER_RECEIPT: &str = "x-lapak-receipt";
/// The header carrying the status `POST /v1/claims` would have answered: 201 new, 200 repeat.
pub const HEADER_INTAKE_STATUS: &str = "x-lapak-intake-status";
/// The content type of a `PATCH` chunk.
pub const OFFSET_OCTET_STREAM: &str = "application/offset+octet-stream";

mod answers;

use answers::*;

fn expiry_from(app: &App, now: DateTime<Utc>) -> i64 {
    let secs = app.config.upload_expiry().as_secs_f64().ceil() as i64;
    now.timestamp().saturating_add(secs.max(1))
}

/// Runs blocking upload work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work).await.unwrap_or_else(|e| {
        tracing::error!(error = %e, "upload task failed");
        Err(ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "internal", "try again").retry(1))
    })
}

/// `OPTIONS /v1/uploads`.
pub(super) async fn options_uploads(State(app): State<Arc<App>>) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    set(&mut response, "tus-version", TUS_VERSION);
    set(&mut response, "tus-extension", TUS_EXTENSIONS);
    set(
        &mut response,
        "tus-max-size",
        &app.config.max_body_bytes.to_string(),
    );
    set(
        &mut response,
        "tus-checksum-algorithm",
        TUS_CHECKSUM_ALGORITHMS,
    );
    tus(response)
}

/// The `Upload-Metadata` pairs (`key base64value`, comma-separated; a key may have no value).
fn metadata(text: &str) -> Result<Vec<(String, Vec<u8>)>, ApiError> {
    let bad = || {
        bad_request(
            "bad_upload_metadata",
            "Upload-Metadata must be comma-separated `key base64value` pairs",
        )
    };
    let mut pairs = Vec::new();
    for item in text.split(',') {
        let mut parts = item.trim().split(' ');
        let key = parts.next().filter(|k| !k.is_empty()).ok_or_else(bad)?;
        let value = match parts.next() {
            Some(v) => BASE64.decode(v).map_err(|_| bad())?,
            None => Vec::new(),
        };
        if parts.next().is_some() {
            return Err(bad());
        }
        pairs.push((key.to_owned(), value));
    }
    Ok(pairs)
}

/// `POST /v1/uploads`: creation.
pub(super) async fn create_upload(
    State(app): State<Arc<App>>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = async {
        let length = header_text(&headers, "upload-length")
            .and_then(decimal)
            .ok_or_else(|| {
                bad_request(
                    "bad_upload_length",
                    "Upload-Length must be the packet's size in bytes (deferred lengths are not supported)",
                )
            })?;
        if header_text(&headers, "upload-metadata").is_none() {
            return Err(bad_request(
                "bad_upload_metadata",
                "Upload-Metadata must carry claim_id and packet_signature",
            ));
        }
        signing_headers_present(&headers)?;
        version_named(&headers)?;
        // The kiosk is known (registered, not revoked, a valid signature) before any body is read.
        let path = uri.path().to_owned();
        let auth = authenticate_headers(&app, "POST", &path, &headers).await?;
        let bytes = read_signed_body(&app, &auth, &headers, body, SMALL_BODY_LIMIT).await?;
        let worker = Arc::clone(&app);
        let kiosk = auth.kiosk;
        blocking(move || create(&worker, &kiosk, &headers, &bytes, length)).await
    }
    .await;
    match result {
        Ok((id, expires_at)) => {
            let mut response = StatusCode::CREATED.into_response();
            // Relative to the creation URL (`…/v1/uploads`), so that it resolves under whatever prefix a
            // reverse proxy or `base_path` puts in front of the API.
            set(&mut response, "location", &format!("uploads/{id}"));
            set(&mut response, "upload-expires", &http_date(expires_at));
            tus(response)
        }
        Err(e) => tus(e.into_response()),
    }
}

fn create(
    app: &App,
    kiosk: &str,
    headers: &HeaderMap,
    body: &[u8],
    length: u64,
) -> Result<(String, i64), ApiError> {
    if length > app.config.max_body_bytes as u64 {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!(
                "Upload-Length is larger than {} bytes",
                app.config.max_body_bytes
            ),
        ));
    }
    if !body.is_empty() {
        return Err(bad_request(
            "unexpected_body",
            "the creation request carries no data; send the packet with PATCH",
        ));
    }
    let claim_id = header_text(headers, signing::HEADER_IDEMPOTENCY_KEY)
        .and_then(|v| uuid::Uuid::parse_str(v).ok())
        .ok_or_else(|| {
            bad_request(
                "bad_idempotency_key",
                "Idempotency-Key must be the claim id (a UUID)",
            )
        })?;
    let pairs = metadata(header_text(headers, "upload-metadata").unwrap_or(""))?;
    let value = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| std::str::from_utf8(v).ok())
    };
    if value("claim_id").and_then(|v| uuid::Uuid::parse_str(v.trim()).ok()) != Some(claim_id) {
        return Err(bad_request(
            "bad_upload_metadata",
            "Upload-Metadata claim_id must be the claim id sent as Idempotency-Key",
        ));
    }
    let signature = value("packet_signature")
        .and_then(parse_packet_signature)
        .ok_or_else(|| {
            bad_request(
                "bad_upload_metadata",
                "Upload-Metadata packet_signature must be base64 of the packet's 64-byte signature",
            )
        })?;
    check_version(headers)?;
    let now = Utc::now();
    let expires_at = expiry_from(app, now);
    let id = app
        .uploads
        .create(
            &app.store, kiosk, claim_id, &signature, length, now, expires_at,
        )
        .map_err(upload_error)?;
    tracing::info!(%kiosk, upload = %id, length, "upload created");
    Ok((id, expires_at))
}

/// The upload `id` if it exists, belongs to the kiosk named in `headers` and has not expired.
fn owned_upload(app: &App, id: &str, headers: &HeaderMap) -> Result<UploadRow, ApiError> {
    let row = app
        .uploads
        .get(&app.store, id)
        .map_err(upload_error)?
        .ok_or_else(not_found)?;
    if header_text(headers, HEADER_KIOSK) != Some(row.kiosk_id.as_str()) {
        return Err(not_found());
    }
    if row.is_expired(Utc::now()) {
        return Err(gone());
    }
    Ok(row)
}

/// The headers describing an upload: offset, length, expiry, and the receipt once its claim is stored.
fn describe(response: &mut Response, row: &UploadRow) {
    set(response, "upload-offset", &row.offset.to_string());
    set(response, "upload-length", &row.length.to_string());
    set(response, "upload-expires", &http_date(row.expires_at));
    if let Some((receipt, status)) = &row.receipt {
        set(response, HEADER_RECEIPT, &BASE64.encode(receipt));
        set(response, HEADER_INTAKE_STATUS, &status.to_string());
    }
}

/// `HEAD /v1/uploads/{id}`.
pub(super) async fn head_upload(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let worker = Arc::clone(&app);
    let found = blocking(move || {
        kiosk_named(&headers)?;
        version_named(&headers)?;
        let row = owned_upload(&worker, &id, &headers)?;
        check_version(&headers)?;
        Ok(row)
    })
    .await;
    match found {
        Ok(row) => {
            let mut response = StatusCode::OK.into_response();
            describe(&mut response, &row);
            set(&mut response, "cache-control", "no-store");
            tus(response)
        }
        Err(e) => {
            // An answer to HEAD has no body: the status (and Retry-After) say it all.
            let mut response = e.status.into_response();
            if let Some(secs) = e.retry_after {
                set(&mut response, "retry-after", &secs.to_string());
            }
            set(&mut response, "cache-control", "no-store");
            tus(response)
        }
    }
}

/// A parsed `Upload-Checksum`.
enum Checksum {
    Sha1(Vec<u8>),
    Sha256(Vec<u8>),
}

impl Checksum {
    fn parse(text: &str) -> Result<Checksum, ApiError> {
        let bad = || {
            bad_request(
                "bad_checksum",
                "Upload-Checksum must be `sha1 <base64>` or `sha256 <base64>`",
            )
        };
        let (algorithm, digest) = text.split_once(' ').ok_or_else(bad)?;
        let digest = BASE64.decode(digest.trim()).map_err(|_| bad())?;
        match algorithm {
            "sha1" => Ok(Checksum::Sha1(digest)),
            "sha256" => Ok(Checksum::Sha256(digest)),
            _ => Err(bad()),
        }
    }

    fn matches(&self, bytes: &[u8]) -> bool {
        match self {
            Checksum::Sha1(want) => sha1::Sha1::digest(bytes).as_slice() == want.as_slice(),
            Checksum::Sha256(want) => sha2::Sha256::digest(bytes).as_slice() == want.as_slice(),
        }
    }
}

/// `PATCH /v1/uploads/{id}`.
pub(super) async fn patch_upload(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    match patch(app, id, headers, body).await {
        Ok(response) => tus(response),
        Err(e) => tus(e.into_response()),
    }
}

async fn patch(
    app: Arc<App>,
    id: String,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let content_type = header_text(&headers, header::CONTENT_TYPE.as_str()).unwrap_or("");
    if !content_type.eq_ignore_ascii_case(OFFSET_OCTET_STREAM) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "bad_content_type",
            format!("a chunk's Content-Type must be {OFFSET_OCTET_STREAM}"),
        ));
    }
    let offset = header_text(&headers, "upload-offset")
        .and_then(decimal)
        .ok_or_else(|| {
            bad_request(
                "bad_upload_offset",
                "Upload-Offset must be a number of bytes",
            )
        })?;
    let checksum = header_text(&headers, "upload-checksum")
        .map(Checksum::parse)
        .transpose()?;
    let kiosk = kiosk_named(&headers)?.to_owned();
    version_named(&headers)?;
    let retry = app.config.retry_after_secs;
    let _permit = app.in_flight.try_acquire().map_err(|_| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "overloaded",
            "the service is busy; try again later",
        )
        .retry(retry)
    })?;
    let _slot = KioskSlot::take(&app, &kiosk).ok_or_else(|| {
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_requests",
            "too many uploads at once from this kiosk",
        )
        .retry(retry)
    })?;
    let row = {
        let worker = Arc::clone(&app);
        let (id, headers) = (id.clone(), headers.clone());
        blocking(move || owned_upload(&worker, &id, &headers)).await?
    };
    check_version(&headers)?;
    if offset != row.offset {
        return Err(offset_mismatch(row.offset));
    }
    let remaining = (row.length - row.offset) as usize;
    let bytes = read_body(&app.config, &headers, body, remaining).await?;
    if let Some(checksum) = &checksum
        && !checksum.matches(&bytes)
    {
        return Err(ApiError::new(
            checksum_mismatch_status(),
            "checksum_mismatch",
            "the chunk does not match its Upload-Checksum; it was discarded",
        ));
    }
    let worker = Arc::clone(&app);
    blocking(move || append_and_finish(&worker, &id, offset, &bytes)).await
}

/// Appends a verified chunk under the upload's lock and, when it was the last, stores the claim.
fn append_and_finish(app: &App, id: &str, offset: u64, bytes: &[u8]) -> Result<Response, ApiError> {
    let lock = app.uploads.lock(id);
    let _held = lock.lock().unwrap_or_else(PoisonError::into_inner);
    let mut row = app
        .uploads
        .get(&app.store, id)
        .map_err(upload_error)?
        .ok_or_else(not_found)?;
    if row.offset != offset {
        return Err(offset_mismatch(row.offset));
    }
    let now = Utc::now();
    // The last chunk is not fsync'd on its own: the claim's durable commit holds its bytes before the
    // answer, or, when the claim is not stored, the chunk is fsync'd before the refusal is answered.
    let last = offset + bytes.len() as u64 == row.length;
    if !bytes.is_empty() {
        row.expires_at = expiry_from(app, now);
        row.offset = app
            .uploads
            .append(&app.store, id, offset, bytes, row.expires_at, !last)
            .map_err(upload_error)?;
    }
    if row.is_complete() && row.receipt.is_none() {
        let (status, receipt) = match finish(app, &row) {
            Ok(stored) => stored,
            Err(refused) => {
                if last && !bytes.is_empty() {
                    app.uploads.sync(id).map_err(upload_error)?;
                }
                return Err(refused);
            }
        };
        app.uploads
            .finish(&app.store, id, &receipt, status.as_u16())
            .map_err(upload_error)?;
        row.receipt = Some((receipt, status.as_u16()));
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    describe(&mut response, &row);
    Ok(response)
}

/// Runs the claim intake on a finished upload: the same checks and store as `POST /v1/claims`, with the key
/// the kiosk has registered now.
fn finish(app: &App, row: &UploadRow) -> Result<(StatusCode, String), ApiError> {
    let kiosk = app
        .store
        .kiosk(&row.kiosk_id)
        .map_err(|e| ApiError::internal(&e))?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unknown_kiosk",
                format!("unknown kiosk {}", row.kiosk_id),
            )
        })?;
    if kiosk.revoked_at.is_some() {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "revoked_kiosk",
            format!("kiosk {} is revoked", kiosk.id),
        ));
    }
    let key = signing::parse_public_key(&kiosk.public_key).map_err(|e| {
        tracing::error!(kiosk = %kiosk.id, error = %e, "registered key unusable");
        ApiError::new(StatusCode::UNAUTHORIZED, "bad_signature", "bad signature")
    })?;
    let packet = app
        .uploads
        .read_all(&app.store, row)
        .map_err(upload_error)?;
    // The upload's file is synced chunk by chunk and holds exactly the packet: the folder store links it
    // instead of writing and syncing the same bytes a second time.
    let file = app.uploads.path_of(&row.id);
    let exact = std::fs::metadata(&file).is_ok_and(|m| m.len() == packet.len() as u64);
    store_verified_claim(
        app,
        &kiosk.id,
        &key,
        row.claim_id,
        &packet,
        exact.then_some(file.as_path()),
        &row.packet_signature,
    )
}

/// Sweeps expired uploads now and then, for as long as the service runs.
pub fn spawn_sweeper(app: Arc<App>) {
    let every = app
        .config
        .upload_expiry()
        .div_f64(2.0)
        .clamp(Duration::from_secs(1), Duration::from_secs(600));
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            let worker = Arc::clone(&app);
            let swept = tokio::task::spawn_blocking(move || {
                worker.uploads.sweep(&worker.store, Utc::now())
            })
            .await;
            match swept {
                Ok(Ok(0)) => {}
                Ok(Ok(n)) => tracing::info!(uploads = n, "expired uploads removed"),
                Ok(Err(e)) => tracing::error!(error = %e, "sweeping expired uploads failed"),
                Err(e) => tracing::error!(error = %e, "the upload sweep did not finish"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_pairs_are_decoded_and_a_key_may_have_no_value() -> Result<(), String> {
        let pairs =
            metadata("claim_id YWJj, empty,packet_signature eHl6").map_err(|e| e.message)?;
        assert_eq!(
            pairs,
            vec![
                ("claim_id".to_owned(), b"abc".to_vec()),
                ("empty".to_owned(), Vec::new()),
                ("packet_signature".to_owned(), b"xyz".to_vec()),
            ]
        );
        Ok(())
    }

    #[test]
    fn malformed_metadata_is_refused_as_bad_upload_metadata() {
        for text in [
            "claim_id not*base64",
            "claim_id YWJj extra",
            ",claim_id YWJj",
            "",
        ] {
            let refused = metadata(text).err().map(|e| (e.status, e.code));
            assert_eq!(
                refused,
                Some((StatusCode::BAD_REQUEST, "bad_upload_metadata")),
                "{text:?}"
            );
        }
    }

    #[test]
    fn offsets_and_lengths_are_plain_decimal_digits() {
        assert_eq!(decimal("0"), Some(0));
        assert_eq!(decimal("705034"), Some(705_034));
        for bad in ["", "+5", "-1", "5 ", "0x10", "1e3"] {
            assert_eq!(decimal(bad), None, "{bad:?}");
        }
    }
}
