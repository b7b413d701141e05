//! Resumable upload of a sealed claim (tus 1.0.0 core with the creation and checksum extensions, against
//! `/v1/uploads` of the central service), so that a claim finishes on a link that drops every few seconds.
//!
//! 1. Creation: a signed `POST /v1/uploads` (empty body, `Idempotency-Key` = the claim id) with
//!    `Upload-Length` and `Upload-Metadata` (`claim_id`, `packet_signature`). The answer's `Location` is the
//!    upload URL; its path is kept with the claim ([`UploadUrls`]: in the outbox row) so a restart resumes too.
//! 2. Chunks: `PATCH` with `Upload-Offset` and a sha256 `Upload-Checksum`, each at most `upload_chunk_bytes`
//!    and sized to take about [`CHUNK_SECONDS`] on the link as measured (the next upload starts at the size
//!    the last settled on), so a cut loses little; each request's timeout is sized for its chunk. A chunk
//!    refused as too large (413: an office proxy's body limit) is sent again in halves from the same offset,
//!    and later chunks stay at the size that passed.
//! 3. After a broken connection (or a 409 offset mismatch) a `HEAD` gives the service's durable offset and the
//!    upload goes on from there; a 404/410 there (unknown or expired upload) starts a new upload.
//! 4. The last chunk's answer (204 with `X-Lapak-Receipt` and `X-Lapak-Intake-Status`, or a refusal with the
//!    same status and body as `POST /v1/claims`) is returned as an [`Answer`] to classify exactly like a
//!    `POST /v1/claims` answer. A `HEAD` on a finished upload carries the receipt too, so a lost final answer is
//!    learnt without sending anything again.
//!
//! A service without `/v1/uploads` (404/405 on creation) gets the claim in one `POST /v1/claims`.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::Utc;
use reqwest::Method;
use reqwest::Url;
use reqwest::blocking::Response;
use sha2::{Digest as _, Sha256};
use uuid::Uuid;

use super::api::ErrorBody;
use super::backoff::parse_retry_after;
use super::client::{CentralClient, RequestBody, read_capped};
use crate::outbox::OutgoingClaim;

/// The tus version spoken.
pub const TUS_VERSION: &str = "1.0.0";
/// The header carrying the receipt (base64 of its JSON) once the claim is stored.
pub const HEADER_RECEIPT: &str = "x-lapak-receipt";
/// The header carrying the status `POST /v1/claims` would have answered (201 new, 200 repeat).
pub const HEADER_INTAKE_STATUS: &str = "x-lapak-intake-status";
/// How long a chunk should take on the link as measured.
pub const CHUNK_SECONDS: f64 = 2.0;
/// The first chunk's size before the link was ever measured, at most `upload_chunk_bytes` (later uploads
/// start with the size the last one settled on).
pub const FIRST_CHUNK_BYTES: usize = 64 * 1024;
/// The smallest chunk sent (unless less remains).
pub const MIN_CHUNK_BYTES: usize = 16 * 1024;
/// Requests in a row that may fail without moving the upload on before the attempt gives up (and the
/// uploader's backoff takes over). A creation that gets no answer, or a request that cannot connect at all,
/// gives up at once.
pub const MAX_FAILURES_IN_A_ROW: u32 = 3;

/// Where a claim's upload URL is kept between attempts (the outbox row; in memory for tools and tests).
pub trait UploadUrls {
    /// The upload URL's path on the central service kept for `claim`, if any.
    fn upload_url(&self, claim: &OutgoingClaim) -> Option<String>;
    /// Keeps the upload URL's path `url` for `claim` (`None`: forget it, the next attempt starts a new upload).
    fn keep_upload_url(&self, claim: &OutgoingClaim, url: Option<&str>);
}

/// Upload URLs kept in memory only (by claim id): resumes across attempts of one process.
#[derive(Debug, Default)]
pub struct UploadUrlsInMemory(Mutex<HashMap<Uuid, String>>);

impl UploadUrls for UploadUrlsInMemory {
    fn upload_url(&self, claim: &OutgoingClaim) -> Option<String> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&claim.claim_id)
            .cloned()
    }

    fn keep_upload_url(&self, claim: &OutgoingClaim, url: Option<&str>) {
        let mut map = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        match url {
            Some(url) => map.insert(claim.claim_id, url.to_owned()),
            None => map.remove(&claim.claim_id),
        };
    }
}

/// An answer from the central service about the claim, to classify like a `POST /v1/claims` answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// HTTP status (for a stored claim: 201 new, 200 repeat).
    pub status: u16,
    /// What `Retry-After` asked for.
    pub retry_after: Option<Duration>,
    /// The body (for a stored claim: the receipt JSON).
    pub text: String,
}

/// How an upload attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The service answered about the claim (stored, refused, or asked to wait).
    Answer(Answer),
    /// No usable answer (connections broken, timeouts, garbage): try again later.
    Failed(String),
}

/// One step's result inside the upload loop.
enum Next {
    Done(Outcome),
    Go,
    Fail(String),
}

/// The upload of one claim, from the URL kept so far to its answer.
struct Upload<'a> {
    client: &'a CentralClient,
    claim: &'a OutgoingClaim,
    urls: &'a dyn UploadUrls,
    url: Option<Url>,
    offset: Option<u64>,
    chunk: usize,
    created_at: Option<i64>,
}

/// Uploads `claim` resumably (see the module documentation) and returns the service's answer about it, or
/// why there is none.
pub fn upload(client: &CentralClient, claim: &OutgoingClaim, urls: &dyn UploadUrls) -> Outcome {
    let max_chunk = client.upload_chunk_limit();
    let url = urls
        .upload_url(claim)
        .and_then(|path| client.endpoint("").join(&path).ok())
        .filter(|url| client.is_on_central(url));
    let mut upload = Upload {
        client,
        claim,
        urls,
        url,
        offset: None,
        chunk: client
            .upload_chunk_hint()
            .unwrap_or(FIRST_CHUNK_BYTES)
            .min(max_chunk),
        created_at: None,
    };
    let mut failures = 0u32;
    loop {
        let before = (upload.url.clone(), upload.offset);
        let step = match (&upload.url, upload.offset) {
            (None, _) => upload.create(),
            (Some(url), None) => upload.head(url.clone()),
            (Some(url), Some(offset)) => upload.patch(url.clone(), offset),
        };
        match step {
            Next::Done(outcome) => return outcome,
            Next::Go => {
                let progressed = match (&before.1, &upload.offset) {
                    (Some(was), Some(now)) => now > was,
                    _ => false,
                };
                if progressed {
                    failures = 0;
                }
            }
            Next::Fail(reason) => {
                failures += 1;
                tracing::debug!(reference = claim.reference.digits(), %reason, failures, "upload step failed");
                if failures >= MAX_FAILURES_IN_A_ROW {
                    return Outcome::Failed(reason);
                }
            }
        }
    }
}

fn retry_after_of(client: &CentralClient, response: &Response) -> Option<Duration> {
    let limit = Duration::from_secs(client.config().retry_after_limit_secs);
    response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, Utc::now(), limit))
}

fn header<'r>(response: &'r Response, name: &str) -> Option<&'r str> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
}

fn offset_of(response: &Response) -> Option<u64> {
    header(response, "upload-offset").and_then(|v| v.parse().ok())
}

/// The receipt a response carries (a finished upload whose claim is stored), as (intake status, JSON).
fn receipt_of(response: &Response) -> Option<(u16, String)> {
    let json = header(response, HEADER_RECEIPT)
        .and_then(|v| BASE64.decode(v).ok())
        .and_then(|b| String::from_utf8(b).ok())?;
    let status = header(response, HEADER_INTAKE_STATUS)
        .and_then(|v| v.parse::<u16>().ok())
        .filter(|s| matches!(s, 200 | 201))?;
    Some((status, json))
}

/// The whole answer as text, or a failure if it was cut off.
fn answer(client: &CentralClient, response: Response) -> Next {
    let status = response.status().as_u16();
    let retry_after = retry_after_of(client, &response);
    match read_capped(response) {
        Ok(text) => Next::Done(Outcome::Answer(Answer {
            status,
            retry_after,
            text,
        })),
        Err(e) => Next::Fail(format!("answer {status} cut off: {e}")),
    }
}

fn error_code(text: &str) -> Option<String> {
    serde_json::from_str::<ErrorBody>(text)
        .ok()
        .map(|body| body.error)
}

fn no_answer(what: &str, e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else {
        "no answer"
    };
    format!("{what}: {kind}: {}", super::client::request_failure(e))
}

impl Upload<'_> {
    fn forget_url(&mut self) {
        self.url = None;
        self.offset = None;
        self.urls.keep_upload_url(self.claim, None);
    }

    fn create(&mut self) -> Next {
        let claim = self.claim;
        // A creation signed in the same second as the last one would carry the same signature (a replay to the
        // service): wait for the next second.
        if self.created_at == Some(Utc::now().timestamp()) {
            let into_second = Utc::now().timestamp_subsec_millis();
            std::thread::sleep(Duration::from_millis(u64::from(
                1_000 - into_second.min(999),
            )));
        }
        self.created_at = Some(Utc::now().timestamp());
        let signature = BASE64.encode(claim.signature.to_bytes());
        let metadata = format!(
            "claim_id {},packet_signature {}",
            BASE64.encode(claim.claim_id.to_string()),
            BASE64.encode(signature)
        );
        let response = self
            .client
            .signed_empty(
                Method::POST,
                self.client.endpoint("v1/uploads"),
                &claim.claim_id.to_string(),
            )
            .header("tus-resumable", TUS_VERSION)
            .header("upload-length", claim.ciphertext.len().to_string())
            .header("upload-metadata", metadata)
            .timeout(self.client.config().timeout_for(0))
            .send();
        let response = match response {
            Ok(r) => r,
            // Nothing is under way yet: the uploader's backoff decides when to try again.
            Err(e) => return Next::Done(Outcome::Failed(no_answer("creating the upload", &e))),
        };
        match response.status().as_u16() {
            201 => {
                // Resolved against the creation URL, as HTTP resolves a relative Location.
                let location = header(&response, "location")
                    .and_then(|l| self.client.endpoint("v1/uploads").join(l).ok());
                match location {
                    Some(url) if self.client.is_on_central(&url) => {
                        self.urls.keep_upload_url(claim, Some(url.path()));
                        self.url = Some(url);
                        self.offset = Some(0);
                        Next::Go
                    }
                    _ => Next::Fail("the creation answer has no usable Location".into()),
                }
            }
            // A service without resumable uploads: the whole packet in one request, as before.
            404 | 405 => self.post_whole(),
            412 => Next::Fail("the service does not speak tus 1.0.0".into()),
            _ => answer(self.client, response),
        }
    }

    fn post_whole(&self) -> Next {
        let body = RequestBody::Packet {
            ciphertext: &self.claim.ciphertext,
            signature: &self.claim.signature,
        };
        match self
            .client
            .post("v1/claims", &self.claim.claim_id.to_string(), body)
        {
            Ok(response) => answer(self.client, response),
            Err(e) => Next::Done(Outcome::Failed(no_answer("sending the claim", &e))),
        }
    }

    fn head(&mut self, url: Url) -> Next {
        let response = self
            .client
            .kiosk_request(Method::HEAD, url)
            .header("tus-resumable", TUS_VERSION)
            .timeout(self.client.config().timeout_for(0))
            .send();
        let response = match response {
            Ok(r) => r,
            Err(e) if e.is_connect() => {
                return Next::Done(Outcome::Failed(no_answer("asking the upload's offset", &e)));
            }
            Err(e) => return Next::Fail(no_answer("asking the upload's offset", &e)),
        };
        match response.status().as_u16() {
            200 | 204 => {
                if let Some((status, text)) = receipt_of(&response) {
                    return Next::Done(Outcome::Answer(Answer {
                        status,
                        retry_after: None,
                        text,
                    }));
                }
                match offset_of(&response) {
                    Some(offset) if offset <= self.claim.ciphertext.len() as u64 => {
                        self.offset = Some(offset);
                        Next::Go
                    }
                    _ => Next::Fail("the offset answer has no usable Upload-Offset".into()),
                }
            }
            404 | 410 => {
                self.forget_url();
                Next::Go
            }
            429 | 500..=599 => answer(self.client, response),
            status => Next::Fail(format!("asking the upload's offset: answer {status}")),
        }
    }

    fn patch(&mut self, url: Url, offset: u64) -> Next {
        // Read at every chunk: a chunk refused as too large lowers it while the upload goes on.
        let max_chunk = self.client.upload_chunk_limit();
        let packet = &self.claim.ciphertext;
        let start = (offset as usize).min(packet.len());
        let end = start.saturating_add(self.chunk).min(packet.len());
        // A view of the packet's shared buffer, not a copy.
        let bytes = packet.slice(start..end);
        let checksum = format!("sha256 {}", BASE64.encode(Sha256::digest(&bytes)));
        let sent = bytes.len();
        let began = Instant::now();
        let response = self
            .client
            .kiosk_request(Method::PATCH, url)
            .header("tus-resumable", TUS_VERSION)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/offset+octet-stream",
            )
            .header("upload-offset", offset.to_string())
            .header("upload-checksum", checksum)
            .timeout(self.client.config().timeout_for(sent))
            .body(bytes)
            .send();
        let response = match response {
            Ok(r) => r,
            Err(e) if e.is_connect() => {
                // No connection at all: the service is unreachable, the uploader's backoff takes over.
                return Next::Done(Outcome::Failed(no_answer("sending a chunk", &e)));
            }
            Err(e) => {
                // The connection broke: ask where the service stands, and send smaller chunks.
                self.offset = None;
                self.chunk = (self.chunk / 2).max(MIN_CHUNK_BYTES).min(max_chunk);
                return Next::Fail(no_answer("sending a chunk", &e));
            }
        };
        match response.status().as_u16() {
            204 => {
                if let Some((status, text)) = receipt_of(&response) {
                    return Next::Done(Outcome::Answer(Answer {
                        status,
                        retry_after: None,
                        text,
                    }));
                }
                match offset_of(&response) {
                    Some(now) if now == (end as u64) && end < packet.len() => {
                        let secs = began.elapsed().as_secs_f64().max(1e-3);
                        let rate = sent as f64 / secs;
                        self.chunk = ((rate * CHUNK_SECONDS) as usize)
                            .clamp(MIN_CHUNK_BYTES, max_chunk.max(MIN_CHUNK_BYTES))
                            .min(max_chunk);
                        self.client.set_upload_chunk_hint(self.chunk);
                        self.offset = Some(now);
                        Next::Go
                    }
                    _ => {
                        self.offset = None;
                        Next::Fail("the chunk's answer has an unexpected Upload-Offset".into())
                    }
                }
            }
            404 | 410 => {
                self.forget_url();
                Next::Fail("the upload is gone; starting a new one".into())
            }
            460 => Next::Fail("a chunk arrived damaged (checksum mismatch)".into()),
            413 if sent > MIN_CHUNK_BYTES => {
                // Something on the way (an office proxy's body limit) takes no chunk this large: the chunk
                // was not stored, so send half of it from the same offset, and keep later chunks that small.
                let half = (sent / 2).max(MIN_CHUNK_BYTES);
                self.client.lower_upload_chunk_limit(half);
                self.chunk = half;
                self.client.set_upload_chunk_hint(half);
                Next::Fail(format!(
                    "a chunk of {sent} bytes was refused as too large (413); sending {half} bytes"
                ))
            }
            409 => {
                let status = response.status().as_u16();
                let retry_after = retry_after_of(self.client, &response);
                let text = match read_capped(response) {
                    Ok(t) => t,
                    Err(e) => return Next::Fail(format!("answer 409 cut off: {e}")),
                };
                if error_code(&text).as_deref() == Some("offset_mismatch") {
                    self.offset = None;
                    Next::Fail("the service is at another offset".into())
                } else {
                    Next::Done(Outcome::Answer(Answer {
                        status,
                        retry_after,
                        text,
                    }))
                }
            }
            412 => Next::Fail("the service does not speak tus 1.0.0".into()),
            _ => answer(self.client, response),
        }
    }
}
