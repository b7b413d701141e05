//! Request signing shared by the kiosk and the central service.
//!
//! Every request a kiosk makes to the central service carries four headers:
//!
//! | header | value |
//! | --- | --- |
//! | `X-Lapak-Kiosk` | the kiosk id from provisioning |
//! | `X-Lapak-Timestamp` | the kiosk's clock in whole seconds since the Unix epoch (UTC) |
//! | `Idempotency-Key` | for a claim, its claim id (UUID); for other calls a fresh UUID per request |
//! | `X-Lapak-Signature` | standard base64 (with padding) of the 64-byte Ed25519 signature |
//!
//! The signature is made with the kiosk's Ed25519 key over exactly these bytes (UTF-8, `\n` = 0x0A, no
//! trailing newline):
//!
//! ```text
//! lapak-request-v1\n
//! <METHOD in upper case>\n
//! <path as sent, without query, e.g. /v1/claims>\n
//! <timestamp, the header's decimal text>\n
//! <idempotency key, the header's text>\n
//! <lower-case hex SHA-256 of the request body (of the empty string when there is none)>
//! ```
//!
//! The central service refuses (401 with a reason) an unknown or revoked kiosk, a bad signature, a timestamp
//! further than its clock-skew tolerance from its own clock, and any signature it has already seen within
//! that window (a replayed request). A retried request is signed anew with a fresh timestamp, so retries are
//! not replays; the idempotency key is what makes a retried claim count once.

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier as _, VerifyingKey};
use sha2::{Digest as _, Sha256};

/// Header naming the kiosk that sends the request.
pub const HEADER_KIOSK: &str = "x-lapak-kiosk";
/// Header with the request time in seconds since the Unix epoch.
pub const HEADER_TIMESTAMP: &str = "x-lapak-timestamp";
/// Header with the idempotency key (the claim id for `POST /v1/claims`).
pub const HEADER_IDEMPOTENCY_KEY: &str = "idempotency-key";
/// Header with the base64 Ed25519 request signature.
pub const HEADER_SIGNATURE: &str = "x-lapak-signature";
/// Header with the base64 Ed25519 signature of the sealed packet itself (only on `POST /v1/claims`).
pub const HEADER_PACKET_SIGNATURE: &str = "x-lapak-packet-signature";

/// Domain-separation label that starts every signed message.
const LABEL: &str = "lapak-request-v1";

/// Why a request's signature headers were refused. Each maps to a 401 answer with this text as the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// A required header is absent or not text.
    #[error("missing or unreadable header {0}")]
    MissingHeader(&'static str),
    /// The timestamp header is not a whole number of seconds.
    #[error("the timestamp header is not a number of seconds")]
    BadTimestamp,
    /// The request's timestamp is too far from the server's clock.
    #[error("stale timestamp: {skew_secs} s from the server clock (tolerance {tolerance_secs} s)")]
    Stale {
        /// Request time minus server time, in seconds.
        skew_secs: i64,
        /// The configured tolerance in seconds.
        tolerance_secs: u64,
    },
    /// The kiosk id is not in the registry.
    #[error("unknown kiosk {0}")]
    UnknownKiosk(String),
    /// The kiosk has been revoked.
    #[error("kiosk {0} is revoked")]
    Revoked(String),
    /// The signature header is not base64 of 64 bytes.
    #[error("the signature header is not base64 of a 64-byte signature")]
    BadSignatureEncoding,
    /// The signature does not verify with the kiosk's registered key.
    #[error("bad signature")]
    BadSignature,
    /// The same signed request was seen before.
    #[error("replayed request")]
    Replayed,
}

/// The signature headers of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedHeaders {
    /// Value of `X-Lapak-Kiosk`.
    pub kiosk_id: String,
    /// Value of `X-Lapak-Timestamp`.
    pub timestamp: i64,
    /// Value of `Idempotency-Key`.
    pub idempotency_key: String,
    /// Value of `X-Lapak-Signature` (base64).
    pub signature: String,
}

impl SignedHeaders {
    /// The headers as (name, value) pairs ready to put on a request.
    pub fn pairs(&self) -> [(&'static str, String); 4] {
        [
            (HEADER_KIOSK, self.kiosk_id.clone()),
            (HEADER_TIMESTAMP, self.timestamp.to_string()),
            (HEADER_IDEMPOTENCY_KEY, self.idempotency_key.clone()),
            (HEADER_SIGNATURE, self.signature.clone()),
        ]
    }

    /// Reads the four headers through a look-up function (header name in lower case → value).
    pub fn from_lookup<'a>(
        get: impl Fn(&str) -> Option<&'a str>,
    ) -> Result<SignedHeaders, AuthError> {
        let need = |name: &'static str| {
            get(name)
                .map(str::to_owned)
                .ok_or(AuthError::MissingHeader(name))
        };
        let kiosk_id = need(HEADER_KIOSK)?;
        let timestamp = need(HEADER_TIMESTAMP)?
            .trim()
            .parse::<i64>()
            .map_err(|_| AuthError::BadTimestamp)?;
        let idempotency_key = need(HEADER_IDEMPOTENCY_KEY)?;
        let signature = need(HEADER_SIGNATURE)?;
        Ok(SignedHeaders {
            kiosk_id,
            timestamp,
            idempotency_key,
            signature,
        })
    }

    /// The decoded 64 signature bytes.
    pub fn signature_bytes(&self) -> Result<[u8; 64], AuthError> {
        let bytes = BASE64
            .decode(self.signature.trim())
            .map_err(|_| AuthError::BadSignatureEncoding)?;
        <[u8; 64]>::try_from(bytes.as_slice()).map_err(|_| AuthError::BadSignatureEncoding)
    }
}

/// The exact bytes the kiosk signs (see the module documentation).
pub fn signing_message(
    method: &str,
    path: &str,
    timestamp: i64,
    idempotency_key: &str,
    body: &[u8],
) -> Vec<u8> {
    let body_hash = hex::encode(Sha256::digest(body));
    format!(
        "{LABEL}\n{}\n{path}\n{timestamp}\n{idempotency_key}\n{body_hash}",
        method.to_ascii_uppercase()
    )
    .into_bytes()
}

/// Signs a request and returns its headers.
pub fn sign_request(
    key: &SigningKey,
    kiosk_id: &str,
    method: &str,
    path: &str,
    timestamp: i64,
    idempotency_key: &str,
    body: &[u8],
) -> SignedHeaders {
    let message = signing_message(method, path, timestamp, idempotency_key, body);
    let signature = key.sign(&message);
    SignedHeaders {
        kiosk_id: kiosk_id.to_owned(),
        timestamp,
        idempotency_key: idempotency_key.to_owned(),
        signature: BASE64.encode(signature.to_bytes()),
    }
}

/// Checks the timestamp against the server clock `now` (seconds) and the signature against the kiosk's key.
/// Replay detection (a signature seen before) is the caller's, since it needs memory of past requests.
pub fn verify_request(
    key: &VerifyingKey,
    method: &str,
    path: &str,
    headers: &SignedHeaders,
    body: &[u8],
    now: i64,
    tolerance: Duration,
) -> Result<(), AuthError> {
    check_freshness(headers.timestamp, now, tolerance)?;
    let signature = Signature::from_bytes(&headers.signature_bytes()?);
    let message = signing_message(
        method,
        path,
        headers.timestamp,
        &headers.idempotency_key,
        body,
    );
    key.verify(&message, &signature)
        .map_err(|_| AuthError::BadSignature)
}

/// Refuses a timestamp further than `tolerance` from `now`.
pub fn check_freshness(timestamp: i64, now: i64, tolerance: Duration) -> Result<(), AuthError> {
    let skew = timestamp.saturating_sub(now);
    let tolerance_secs = tolerance.as_secs();
    if skew.unsigned_abs() > tolerance_secs {
        return Err(AuthError::Stale {
            skew_secs: skew,
            tolerance_secs,
        });
    }
    Ok(())
}

/// A kiosk public key as text: standard base64 of its 32 bytes (what `lapak-central kiosk add --public-key`
/// takes).
pub fn public_key_text(key: &VerifyingKey) -> String {
    BASE64.encode(key.as_bytes())
}

/// Why a public key text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PublicKeyError {
    /// Not base64 or hex of 32 bytes.
    #[error("a kiosk public key is base64 (or 64 hex digits) of 32 bytes; got {0} characters")]
    Encoding(usize),
    /// 32 bytes that are not an Ed25519 point.
    #[error("the bytes are not a valid Ed25519 public key")]
    NotAKey,
}

/// Parses a kiosk public key given as base64 (standard) or 64 hex digits.
pub fn parse_public_key(text: &str) -> Result<VerifyingKey, PublicKeyError> {
    let text = text.trim();
    let bytes = if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        hex::decode(text).ok()
    } else {
        BASE64.decode(text).ok()
    };
    let bytes = bytes.ok_or(PublicKeyError::Encoding(text.len()))?;
    let array =
        <[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| PublicKeyError::Encoding(text.len()))?;
    VerifyingKey::from_bytes(&array).map_err(|_| PublicKeyError::NotAKey)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SigningKey {
        SigningKey::from_bytes(&[7u8; 32])
    }

    #[test]
    fn signed_request_verifies_and_any_change_breaks_it() {
        let key = key();
        let vk = key.verifying_key();
        let h = sign_request(&key, "K1", "post", "/v1/claims", 1_000, "abc", b"body");
        let tol = Duration::from_secs(300);
        assert_eq!(
            verify_request(&vk, "POST", "/v1/claims", &h, b"body", 1_010, tol),
            Ok(())
        );
        assert_eq!(
            verify_request(&vk, "POST", "/v1/claims", &h, b"bodY", 1_010, tol),
            Err(AuthError::BadSignature)
        );
        assert_eq!(
            verify_request(&vk, "POST", "/v1/claims/status", &h, b"body", 1_010, tol),
            Err(AuthError::BadSignature)
        );
        let mut other_key = h.clone();
        other_key.idempotency_key = "abd".into();
        assert_eq!(
            verify_request(&vk, "POST", "/v1/claims", &other_key, b"body", 1_010, tol),
            Err(AuthError::BadSignature)
        );
        let mut shifted = h.clone();
        shifted.timestamp += 1;
        assert_eq!(
            verify_request(&vk, "POST", "/v1/claims", &shifted, b"body", 1_010, tol),
            Err(AuthError::BadSignature)
        );
    }

    #[test]
    fn stale_timestamps_are_refused_both_ways() {
        let key = key();
        let h = sign_request(&key, "K1", "POST", "/p", 1_000, "k", b"");
        let tol = Duration::from_secs(60);
        assert!(matches!(
            verify_request(&key.verifying_key(), "POST", "/p", &h, b"", 1_061, tol),
            Err(AuthError::Stale { skew_secs: -61, .. })
        ));
        assert!(matches!(
            check_freshness(1_061, 1_000, tol),
            Err(AuthError::Stale { skew_secs: 61, .. })
        ));
        assert_eq!(check_freshness(1_060, 1_000, tol), Ok(()));
    }

    #[test]
    fn message_layout_is_the_documented_one() {
        let m = signing_message("get", "/x", 5, "id", b"");
        let text = String::from_utf8(m).unwrap_or_default();
        assert_eq!(
            text,
            "lapak-request-v1\nGET\n/x\n5\nid\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn public_keys_round_trip_as_base64_and_hex() {
        let vk = key().verifying_key();
        assert_eq!(parse_public_key(&public_key_text(&vk)), Ok(vk));
        assert_eq!(parse_public_key(&hex::encode(vk.as_bytes())), Ok(vk));
        assert!(matches!(
            parse_public_key("abc"),
            Err(PublicKeyError::Encoding(3))
        ));
    }

    #[test]
    fn headers_are_read_back_from_a_lookup() {
        let h = sign_request(&key(), "K9", "POST", "/p", 42, "key", b"x");
        let pairs = h.pairs();
        let read = SignedHeaders::from_lookup(|name| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.as_str())
        });
        assert_eq!(read, Ok(h));
        let missing = SignedHeaders::from_lookup(|_| None);
        assert_eq!(missing, Err(AuthError::MissingHeader(HEADER_KIOSK)));
    }
}
