//! Request signing shared by the kiosk and the central service.
//!
//! Every request a kiosk makes to the central service carries these headers:
//!
//! | header | value |
//! | --- | --- |
//! | `X-Lapak-Kiosk` | the kiosk id from provisioning |
//! | `X-Lapak-Timestamp` | the kiosk's clock in whole seconds since the Unix epoch (UTC) |
//! | `Idempotency-Key` | for a claim, its claim id (UUID); for other calls a fresh UUID per request |
//! | `X-Lapak-Content-SHA256` | lower-case hex SHA-256 of the request body (of the empty string when there is none) |
//! | `X-Lapak-Signature` | standard base64 (with padding) of the 64-byte Ed25519 signature |
//! | `X-Lapak-Packet-Signature` | only on `POST /v1/claims`: base64 of the sealed packet's own signature |
//!
//! The signature is made with the kiosk's Ed25519 key over exactly these bytes (UTF-8, `\n` = 0x0A, no
//! trailing newline):
//!
//! ```text
//! lapak-request-v2\n
//! <METHOD in upper case>\n
//! <path relative to the API root, without query, e.g. /v1/claims>\n
//! <timestamp, the header's decimal text>\n
//! <idempotency key, the header's text>\n
//! <kiosk id, the header's text>\n
//! <X-Lapak-Content-SHA256, the header's text>\n
//! <X-Lapak-Packet-Signature, the header's text; empty when the header is absent>
//! ```
//!
//! The path is relative to the API root: a kiosk whose central URL is `https://host/lapak/` sends
//! `https://host/lapak/v1/claims` and signs `/v1/claims`. A reverse proxy that mounts the API under a prefix
//! and strips it, or a `lapak-central` told its own prefix (`base_path` in `central.toml`), checks the same
//! path, so signatures survive the proxy.
//!
//! Because the body is covered through its declared hash, the central service checks the signature from the
//! headers alone, before it reads (or makes room for) the body; it then reads the body under a deadline and
//! refuses it if its SHA-256 differs from the declared one.
//!
//! The central service refuses (401 with a reason) an unknown or revoked kiosk, a bad signature (including
//! one made the `lapak-request-v1` way, without the kiosk id, content hash and packet signature), a
//! timestamp further than its clock-skew tolerance from its own clock, a body that is not the declared one,
//! and any signature it has already seen within that window (a replayed request). A retried request is signed
//! anew with a fresh timestamp, so retries are not replays; the idempotency key is what makes a retried claim
//! count once.

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
/// Header with the lower-case hex SHA-256 of the body, covered by the signature.
pub const HEADER_CONTENT_SHA256: &str = "x-lapak-content-sha256";

/// Domain-separation label that starts every signed message.
const LABEL: &str = "lapak-request-v2";

/// Why a request's signature headers were refused. Each maps to a 401 answer with this text as the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// A required header is absent or not text.
    #[error("missing or unreadable header {0}")]
    MissingHeader(&'static str),
    /// The timestamp header is not a whole number of seconds.
    #[error("the timestamp header is not a number of seconds")]
    BadTimestamp,
    /// The content hash header is not 64 lower-case hex digits.
    #[error("the X-Lapak-Content-SHA256 header is not 64 lower-case hex digits")]
    BadContentHash,
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
    /// The body's SHA-256 differs from the signed `X-Lapak-Content-SHA256`.
    #[error("the body's SHA-256 differs from X-Lapak-Content-SHA256")]
    ContentMismatch,
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
    /// Value of `X-Lapak-Content-SHA256`: lower-case hex SHA-256 of the body.
    pub content_sha256: String,
    /// Value of `X-Lapak-Packet-Signature`, when the request carries one (claims).
    pub packet_signature: Option<String>,
    /// Value of `X-Lapak-Signature` (base64).
    pub signature: String,
}

impl SignedHeaders {
    /// The headers as (name, value) pairs ready to put on a request (the packet signature only when present).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = vec![
            (HEADER_KIOSK, self.kiosk_id.clone()),
            (HEADER_TIMESTAMP, self.timestamp.to_string()),
            (HEADER_IDEMPOTENCY_KEY, self.idempotency_key.clone()),
            (HEADER_CONTENT_SHA256, self.content_sha256.clone()),
            (HEADER_SIGNATURE, self.signature.clone()),
        ];
        if let Some(packet_signature) = &self.packet_signature {
            pairs.push((HEADER_PACKET_SIGNATURE, packet_signature.clone()));
        }
        pairs
    }

    /// Reads the headers through a look-up function (header name in lower case → value).
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
        let content_sha256 = need(HEADER_CONTENT_SHA256)?;
        if content_sha256.len() != 64
            || !content_sha256
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(AuthError::BadContentHash);
        }
        let signature = need(HEADER_SIGNATURE)?;
        Ok(SignedHeaders {
            kiosk_id,
            timestamp,
            idempotency_key,
            content_sha256,
            packet_signature: get(HEADER_PACKET_SIGNATURE).map(str::to_owned),
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

    /// Checks a body read after the signature against the signed content hash.
    pub fn check_body(&self, body: &[u8]) -> Result<(), AuthError> {
        if content_sha256(body) == self.content_sha256 {
            Ok(())
        } else {
            Err(AuthError::ContentMismatch)
        }
    }
}

/// Lower-case hex SHA-256 of a body (the value of `X-Lapak-Content-SHA256`).
pub fn content_sha256(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
}

/// The exact bytes the kiosk signs (see the module documentation) for a request with these headers.
pub fn signing_message(method: &str, path: &str, headers: &SignedHeaders) -> Vec<u8> {
    format!(
        "{LABEL}\n{}\n{path}\n{}\n{}\n{}\n{}\n{}",
        method.to_ascii_uppercase(),
        headers.timestamp,
        headers.idempotency_key,
        headers.kiosk_id,
        headers.content_sha256,
        headers.packet_signature.as_deref().unwrap_or(""),
    )
    .into_bytes()
}

/// What one request says about itself, before it is signed.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The HTTP method.
    pub method: &'a str,
    /// The path relative to the API root (e.g. `/v1/claims`).
    pub path: &'a str,
    /// Seconds since the Unix epoch.
    pub timestamp: i64,
    /// The idempotency key.
    pub idempotency_key: &'a str,
    /// The body.
    pub body: &'a [u8],
    /// The base64 packet signature sent as `X-Lapak-Packet-Signature` (claims only).
    pub packet_signature: Option<&'a str>,
}

/// Signs a request (without a packet signature) and returns its headers.
pub fn sign_request(
    key: &SigningKey,
    kiosk_id: &str,
    method: &str,
    path: &str,
    timestamp: i64,
    idempotency_key: &str,
    body: &[u8],
) -> SignedHeaders {
    sign(
        key,
        kiosk_id,
        &Request {
            method,
            path,
            timestamp,
            idempotency_key,
            body,
            packet_signature: None,
        },
    )
}

/// Signs any request, a claim's packet signature included, and returns its headers.
pub fn sign(key: &SigningKey, kiosk_id: &str, request: &Request<'_>) -> SignedHeaders {
    let mut headers = SignedHeaders {
        kiosk_id: kiosk_id.to_owned(),
        timestamp: request.timestamp,
        idempotency_key: request.idempotency_key.to_owned(),
        content_sha256: content_sha256(request.body),
        packet_signature: request.packet_signature.map(str::to_owned),
        signature: String::new(),
    };
    let signature = key.sign(&signing_message(request.method, request.path, &headers));
    headers.signature = BASE64.encode(signature.to_bytes());
    headers
}

/// Checks the timestamp against the server clock `now` (seconds) and the signature against the kiosk's key,
/// from the headers alone (the body is checked later with [`SignedHeaders::check_body`]). Replay detection
/// (a signature seen before) is the caller's, since it needs memory of past requests.
pub fn verify_request(
    key: &VerifyingKey,
    method: &str,
    path: &str,
    headers: &SignedHeaders,
    now: i64,
    tolerance: Duration,
) -> Result<(), AuthError> {
    check_freshness(headers.timestamp, now, tolerance)?;
    let signature = Signature::from_bytes(&headers.signature_bytes()?);
    key.verify(&signing_message(method, path, headers), &signature)
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

    const TOL: Duration = Duration::from_secs(300);

    fn claim_request(body: &[u8]) -> SignedHeaders {
        sign(
            &key(),
            "K1",
            &Request {
                method: "post",
                path: "/v1/claims",
                timestamp: 1_000,
                idempotency_key: "abc",
                body,
                packet_signature: Some("cGFja2V0"),
            },
        )
    }

    fn verify(path: &str, h: &SignedHeaders) -> Result<(), AuthError> {
        verify_request(&key().verifying_key(), "POST", path, h, 1_010, TOL)
    }

    #[test]
    fn signed_request_verifies_and_any_change_breaks_it() {
        let h = claim_request(b"body");
        assert_eq!(verify("/v1/claims", &h), Ok(()));
        assert_eq!(h.check_body(b"body"), Ok(()));
        assert_eq!(
            verify("/v1/claims/status", &h),
            Err(AuthError::BadSignature)
        );
        let mut other_key = h.clone();
        other_key.idempotency_key = "abd".into();
        assert_eq!(
            verify("/v1/claims", &other_key),
            Err(AuthError::BadSignature)
        );
        let mut shifted = h.clone();
        shifted.timestamp += 1;
        assert_eq!(verify("/v1/claims", &shifted), Err(AuthError::BadSignature));
    }

    #[test]
    fn changing_the_kiosk_id_header_breaks_the_signature() {
        let mut h = claim_request(b"body");
        h.kiosk_id = "K2".into();
        assert_eq!(verify("/v1/claims", &h), Err(AuthError::BadSignature));
    }

    #[test]
    fn changing_or_dropping_the_packet_signature_header_breaks_the_signature() {
        let mut h = claim_request(b"body");
        h.packet_signature = Some("b3RoZXI=".into());
        assert_eq!(verify("/v1/claims", &h), Err(AuthError::BadSignature));
        h.packet_signature = None;
        assert_eq!(verify("/v1/claims", &h), Err(AuthError::BadSignature));
    }

    #[test]
    fn changing_the_content_hash_header_breaks_the_signature() {
        let mut h = claim_request(b"body");
        h.content_sha256 = content_sha256(b"bodY");
        assert_eq!(verify("/v1/claims", &h), Err(AuthError::BadSignature));
    }

    #[test]
    fn a_body_other_than_the_declared_one_is_refused_after_reading() {
        let h = claim_request(b"body");
        assert_eq!(verify("/v1/claims", &h), Ok(()));
        assert_eq!(h.check_body(b"bodY"), Err(AuthError::ContentMismatch));
        assert_eq!(h.check_body(b""), Err(AuthError::ContentMismatch));
    }

    #[test]
    fn a_version_1_signature_is_refused() {
        let mut h = claim_request(b"body");
        let v1 = format!(
            "lapak-request-v1\nPOST\n/v1/claims\n1000\nabc\n{}",
            content_sha256(b"body")
        );
        h.signature = BASE64.encode(key().sign(v1.as_bytes()).to_bytes());
        assert_eq!(verify("/v1/claims", &h), Err(AuthError::BadSignature));
    }

    #[test]
    fn stale_timestamps_are_refused_both_ways() {
        let key = key();
        let h = sign_request(&key, "K1", "POST", "/p", 1_000, "k", b"");
        let tol = Duration::from_secs(60);
        assert!(matches!(
            verify_request(&key.verifying_key(), "POST", "/p", &h, 1_061, tol),
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
        let h = sign_request(&key(), "K7", "get", "/x", 5, "id", b"");
        let text = String::from_utf8(signing_message("get", "/x", &h)).unwrap_or_default();
        assert_eq!(
            text,
            "lapak-request-v2\nGET\n/x\n5\nid\nK7\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
        );
        let claim = claim_request(b"");
        let text =
            String::from_utf8(signing_message("post", "/v1/claims", &claim)).unwrap_or_default();
        assert!(text.ends_with("b7852b855\ncGFja2V0"), "{text}");
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
        let claim = claim_request(b"x");
        let pairs = claim.pairs();
        let lookup = |name: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(SignedHeaders::from_lookup(lookup), Ok(claim.clone()));
        let missing = SignedHeaders::from_lookup(|_| None);
        assert_eq!(missing, Err(AuthError::MissingHeader(HEADER_KIOSK)));
        let no_hash = SignedHeaders::from_lookup(|name| {
            (name != HEADER_CONTENT_SHA256)
                .then(|| lookup(name))
                .flatten()
        });
        assert_eq!(
            no_hash,
            Err(AuthError::MissingHeader(HEADER_CONTENT_SHA256))
        );
        let upper = claim.content_sha256.to_ascii_uppercase();
        let bad_hash = SignedHeaders::from_lookup(|name| {
            if name == HEADER_CONTENT_SHA256 {
                Some(upper.as_str())
            } else {
                lookup(name)
            }
        });
        assert_eq!(bad_hash, Err(AuthError::BadContentHash));
    }
}
