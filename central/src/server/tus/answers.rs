//! The tus protocol's small parts: its headers read and checked, and the answers and refusals it gives.

use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Utc};
use lapak_core::signing::{self, HEADER_KIOSK};

use super::TUS_VERSION;
use crate::server::ApiError;
use crate::uploads::UploadError;

/// tus's status for a chunk whose checksum does not match.
pub(super) fn checksum_mismatch_status() -> StatusCode {
    StatusCode::from_u16(460).unwrap_or(StatusCode::BAD_REQUEST)
}

/// Adds `Tus-Resumable` (every answer) to a response, and `Tus-Version` to a 412.
pub(super) fn tus(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert("tus-resumable", HeaderValue::from_static(TUS_VERSION));
    if response.status() == StatusCode::PRECONDITION_FAILED {
        set(&mut response, "tus-version", TUS_VERSION);
    }
    response
}

pub(super) fn set(response: &mut Response, name: &'static str, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        response
            .headers_mut()
            .insert(HeaderName::from_static(name), v);
    }
}

/// A header value of decimal digits only (tus offsets and lengths).
pub(super) fn decimal(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

pub(super) fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
}

/// 412 unless the request speaks tus 1.0.0 (400 when it names no version at all). Checked after the
/// request's other headers, so that a malformed request gets the 400 naming what is wrong.
pub(super) fn check_version(headers: &HeaderMap) -> Result<(), ApiError> {
    match header_text(headers, "tus-resumable") {
        Some(TUS_VERSION) => Ok(()),
        None => Err(bad_request(
            "missing_header",
            format!("missing header Tus-Resumable (this service speaks tus {TUS_VERSION})"),
        )),
        Some(_) => Err(ApiError::new(
            StatusCode::PRECONDITION_FAILED,
            "unsupported_tus_version",
            format!("Tus-Resumable must be {TUS_VERSION}"),
        )),
    }
}

/// 401 when a request signature header is absent or unreadable (checked in full by `authenticate`).
pub(super) fn signing_headers_present(headers: &HeaderMap) -> Result<(), ApiError> {
    signing::SignedHeaders::from_lookup(|name| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.trim().is_empty())
    })
    .map(|_| ())
    .map_err(|e| {
        let code = match e {
            signing::AuthError::BadTimestamp => "bad_timestamp",
            _ => "missing_header",
        };
        ApiError::new(StatusCode::UNAUTHORIZED, code, e.to_string())
    })
}

/// 400 when the request names no tus version (the version itself is checked last, by [`check_version`]).
pub(super) fn version_named(headers: &HeaderMap) -> Result<(), ApiError> {
    header_text(headers, "tus-resumable")
        .map(|_| ())
        .ok_or_else(|| {
            bad_request(
                "missing_header",
                format!("missing header Tus-Resumable (this service speaks tus {TUS_VERSION})"),
            )
        })
}

/// 400 unless the request names a kiosk (`X-Lapak-Kiosk`).
pub(super) fn kiosk_named(headers: &HeaderMap) -> Result<&str, ApiError> {
    header_text(headers, HEADER_KIOSK)
        .filter(|k| !k.is_empty())
        .ok_or_else(|| {
            bad_request(
                "missing_header",
                "missing header X-Lapak-Kiosk (the kiosk that created the upload)",
            )
        })
}

pub(super) fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, code, message)
}

pub(super) fn upload_error(e: UploadError) -> ApiError {
    match e {
        UploadError::Store(e) => ApiError::internal(&e),
        UploadError::OffsetMoved(offset) => offset_mismatch(offset),
        UploadError::File { .. } => {
            tracing::error!(error = %e, "upload file failure");
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "storage_unavailable",
                "storage failed; try again later",
            )
            .retry(5)
        }
    }
}

pub(super) fn offset_mismatch(offset: u64) -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "offset_mismatch",
        format!("Upload-Offset must be the upload's offset, {offset}"),
    )
}

pub(super) fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "no_such_upload", "no such upload")
}

pub(super) fn gone() -> ApiError {
    ApiError::new(
        StatusCode::GONE,
        "upload_expired",
        "the upload expired; start a new one",
    )
}

/// RFC 7231 date for `Upload-Expires`.
pub(super) fn http_date(unix: i64) -> String {
    DateTime::<Utc>::from_timestamp(unix, 0)
        .unwrap_or_default()
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}
