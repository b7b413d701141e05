//! `POST /v1/claims`: authentication from the headers, load shedding, per-kiosk upload slots, the body under
//! its deadline, and the intake of one sealed claim.

use std::sync::{Arc, PoisonError};

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use chrono::Utc;
use ed25519_dalek::{Signature, VerifyingKey};
use lapak_core::api::{ClaimStatus, Receipt};
use lapak_core::claim::reference::{ClaimReference, ReferenceError};
use lapak_core::packet::{self, PacketError, SealedPacket};
use sha2::{Digest as _, Sha256};

use super::auth::{Authenticated, authenticate_headers, read_signed_body};
use super::{ApiError, App, closing, json_response};
use crate::store::{ExistingClaim, Inserted, NewClaimRow};
use crate::{blobs, identity};

/// Holds one of a kiosk's concurrent upload slots.
pub(super) struct KioskSlot {
    app: Arc<App>,
    kiosk: String,
}

impl KioskSlot {
    /// Takes a slot for `kiosk`; `None` when it already has `max_in_flight_per_kiosk` uploads under way.
    pub(super) fn take(app: &Arc<App>, kiosk: &str) -> Option<KioskSlot> {
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

pub(super) async fn post_claim(
    State(app): State<Arc<App>>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let retry = app.config.retry_after_secs;
    // The headers are authenticated first (registered, not revoked, fresh, signed over the declared content
    // hash, not a replay): an unauthenticated request takes no slot and its body is never read.
    let auth = match authenticate_headers(&app, "POST", uri.path(), &headers).await {
        Ok(auth) => auth,
        Err(e) => return closing(e.into_response()),
    };
    let Ok(_permit) = app.in_flight.try_acquire() else {
        auth.forget_signature(&app).await;
        return closing(
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "overloaded",
                "the service is busy; try again later",
            )
            .retry(retry)
            .into_response(),
        );
    };
    // The kiosk's slot is held while its body arrives (slow uploads count), under the body deadline.
    let Some(slot) = KioskSlot::take(&app, &auth.kiosk) else {
        auth.forget_signature(&app).await;
        return closing(
            ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                "too many uploads at once from this kiosk",
            )
            .retry(retry)
            .into_response(),
        );
    };
    let bytes = match read_signed_body(&app, &auth, &headers, body, app.config.max_body_bytes).await
    {
        Ok(b) => b,
        Err(e) => return closing(e.into_response()),
    };
    let worker = Arc::clone(&app);
    let result = tokio::task::spawn_blocking(move || intake(&worker, &auth, &bytes)).await;
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
        // Text that is no reference at all is a bad reference; a reference of the wrong length or with a wrong
        // check digit could be another kiosk's.
        PacketError::BadReference {
            reason: ReferenceError::NotDigits | ReferenceError::WrongLength { digits: 0 },
            ..
        } => "bad_reference",
        PacketError::BadReference { .. } => "reference_not_yours",
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
fn intake(app: &App, auth: &Authenticated, body: &[u8]) -> Result<(StatusCode, String), ApiError> {
    let kiosk = auth.kiosk.clone();
    let key = auth.key;
    let bad_request = |code, message: &str| ApiError::new(StatusCode::BAD_REQUEST, code, message);
    let claim_id = uuid::Uuid::parse_str(auth.headers.idempotency_key.trim()).map_err(|_| {
        bad_request(
            "bad_idempotency_key",
            "Idempotency-Key must be the claim id (a UUID)",
        )
    })?;
    let signature = auth
        .headers
        .packet_signature
        .as_deref()
        .and_then(parse_packet_signature)
        .ok_or_else(|| {
            bad_request(
                "bad_packet_signature_header",
                "X-Lapak-Packet-Signature must be base64 of 64 bytes",
            )
        })?;
    store_verified_claim(app, &kiosk, &key, claim_id, body, None, &signature)
}

/// Parses a packet signature given as base64 of its 64 bytes (the `X-Lapak-Packet-Signature` header, or the
/// `packet_signature` upload metadata).
pub(super) fn parse_packet_signature(text: &str) -> Option<[u8; 64]> {
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .ok()
        .and_then(|b| <[u8; 64]>::try_from(b.as_slice()).ok())
}

/// The checks and the durable store of one claim whose sender is known: `kiosk` with its registered `key`
/// (from a signed request, a completed resumable upload, or a USB export's index). Verifies the packet
/// signature, opens the packet, checks the manifest against the sender and the claim id, then stores it once;
/// a repeat of the same packet answers 200 with the first receipt. Shared by `POST /v1/claims`, the completion
/// of a resumable upload and `lapak-central import`. `durable_file`, when given, is a synced file holding exactly
/// `body` (a finished upload), which a folder store takes as it is instead of writing the bytes again.
#[allow(clippy::too_many_arguments)]
pub(crate) fn store_verified_claim(
    app: &App,
    kiosk: &str,
    key: &VerifyingKey,
    claim_id: uuid::Uuid,
    body: &[u8],
    durable_file: Option<&std::path::Path>,
    signature: &[u8; 64],
) -> Result<(StatusCode, String), ApiError> {
    let kiosk = kiosk.to_owned();
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
        ciphertext: body.to_vec().into(),
        signature: Signature::from_bytes(signature),
    };
    let opening = std::time::Instant::now();
    let opened = packet::open(&sealed, &app.identity, key).map_err(|e| packet_error(&e))?;
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
    check_reference_is_the_senders(app, &kiosk, &manifest.reference)?;
    let nik_hash = identity::lookup_hash(&app.lookup_key, "nik", &manifest.fields.nik);
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
    // The packet is durable in the packet store (create-only; a retry finds the same bytes there) before its
    // row is committed, so a committed row always has its packet. An unreachable store answers 503: the kiosk
    // retries, and nothing was committed.
    let packet_key = blobs::packet_key(&key_text, &body_sha256);
    let storing = std::time::Instant::now();
    match durable_file {
        Some(file) => app.blobs.adopt_file(&packet_key, file, body),
        None => app.blobs.put_new(&packet_key, body),
    }
    .map_err(|e| ApiError::packet_store(&e))?;
    let blob_ms = storing.elapsed().as_secs_f64() * 1e3;
    let row = NewClaimRow {
        claim_id: &key_text,
        kiosk_id: &kiosk,
        reference: &manifest.reference,
        body_sha256: &body_sha256,
        packet_key: &packet_key,
        packet_bytes: body.len() as u64,
        packet_signature: signature,
        test: manifest.test,
        received_at: now,
        receipt: &receipt_json,
        nik_hash: &nik_hash,
        dob_hash: None,
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
                reference = manifest.reference.digits(),
                bytes = body.len(),
                open_ms = format!("{open_ms:.1}"),
                blob_ms = format!("{blob_ms:.1}"),
                commit_ms = format!("{commit_ms:.1}"),
                "claim stored"
            );
            Ok((StatusCode::CREATED, receipt_json))
        }
        Inserted::KeyExists(found) => repeat(&found, &kiosk, &body_sha256),
        Inserted::ReferenceTaken => Err(ApiError::new(
            StatusCode::CONFLICT,
            "reference_taken",
            format!(
                "reference {} belongs to another claim",
                manifest.reference.digits()
            ),
        )),
    }
}

/// Refuses (422 `reference_not_yours`) a reference whose kiosk part is not the sender's registered number: such
/// a reference could be another kiosk's (one with a wrong check digit never opens: [`packet_error`]). A sender registered without a number
/// is a fault of the registry, not of the claim: 403, retried by the kiosk until staff register the number.
fn check_reference_is_the_senders(
    app: &App,
    kiosk: &str,
    reference: &ClaimReference,
) -> Result<(), ApiError> {
    let number = app
        .store
        .kiosk_number(kiosk)
        .map_err(|e| ApiError::internal(&e))?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::FORBIDDEN,
                "kiosk_number_unknown",
                format!(
                    "kiosk {kiosk} has no registered number: register it with `lapak-central kiosk add --number`"
                ),
            )
        })?;
    let not_yours =
        |why: String| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "reference_not_yours", why);
    if reference.kiosk_number() != number {
        return Err(not_yours(format!(
            "reference {} carries kiosk number {}, the sender {kiosk} has number {number}",
            reference.digits(),
            reference.kiosk_number()
        )));
    }
    Ok(())
}
