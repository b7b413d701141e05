//! The signed HTTP client the kiosk uses to reach the central service (reqwest, blocking, rustls).

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chrono::Utc;
use reqwest::Url;
use reqwest::blocking::{Client, RequestBuilder, Response};

use super::signing::{self, HEADER_PACKET_SIGNATURE};
use super::{KioskCredentials, SyncConfig, SyncError};

/// Parses the central URL and checks its scheme: `https`, or `http` to a loopback address only.
pub fn parse_central_url(text: &str) -> Result<Url, SyncError> {
    let bad = |reason: String| SyncError::Config {
        key: "central_url",
        reason,
    };
    let url = Url::parse(text).map_err(|e| bad(format!("{text:?} is not a URL: {e}")))?;
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(bad(format!(
            "{text:?}: plain http is allowed only to a loopback address; use https"
        ))),
        other => Err(bad(format!(
            "{text:?}: scheme {other:?} is not supported; use https"
        ))),
    }
}

fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => bare.eq_ignore_ascii_case("localhost"),
    }
}

/// A connection to the central service that signs every request with the kiosk's key.
#[derive(Clone)]
pub struct CentralClient {
    http: Client,
    base: Url,
    credentials: KioskCredentials,
    config: SyncConfig,
    chunk_hint: Arc<AtomicUsize>,
}

/// A body and how to label it.
pub enum RequestBody<'a> {
    /// A sealed packet (`application/octet-stream`) with the packet's own signature.
    Packet {
        /// The age ciphertext.
        ciphertext: &'a [u8],
        /// The kiosk's Ed25519 signature of the packet.
        signature: &'a ed25519_dalek::Signature,
    },
    /// A JSON document.
    Json(Vec<u8>),
}

impl CentralClient {
    /// Builds the client from the `[sync]` config; [`SyncError::Offline`] when no central URL is set.
    pub fn new(
        config: &SyncConfig,
        credentials: KioskCredentials,
    ) -> Result<CentralClient, SyncError> {
        let url = config.central_url.as_deref().ok_or(SyncError::Offline)?;
        let mut base = parse_central_url(url)?;
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        let mut builder = Client::builder()
            .connect_timeout(Duration::from_secs(config.connect_timeout_secs))
            .timeout(config.timeout_for(0))
            .user_agent(concat!("lapak-kiosk/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none());
        if let Some(path) = &config.ca_file {
            let pem = std::fs::read(path)
                .map_err(|e| SyncError::Client(format!("sync.ca_file {}: {e}", path.display())))?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem)
                .map_err(|e| SyncError::Client(format!("sync.ca_file {}: {e}", path.display())))?;
            builder = builder.tls_certs_merge(certs);
        }
        let http = builder
            .build()
            .map_err(|e| SyncError::Client(e.to_string()))?;
        Ok(CentralClient {
            http,
            base,
            credentials,
            config: config.clone(),
            chunk_hint: Arc::new(AtomicUsize::new(0)),
        })
    }

    /// The kiosk's id.
    pub fn kiosk_id(&self) -> &str {
        &self.credentials.kiosk_id
    }

    /// The chunk size the last resumable upload settled on for this link (shared by clones), or `None`
    /// before the first upload.
    pub fn upload_chunk_hint(&self) -> Option<usize> {
        Some(self.chunk_hint.load(Ordering::Relaxed)).filter(|n| *n > 0)
    }

    /// Remembers the chunk size the link's measured rate calls for, so the next upload starts with it.
    pub fn set_upload_chunk_hint(&self, bytes: usize) {
        self.chunk_hint.store(bytes, Ordering::Relaxed);
    }

    /// The configuration it was built with.
    pub fn config(&self) -> &SyncConfig {
        &self.config
    }

    /// Sends `request` as JSON in a signed `POST` to `path` (a fresh idempotency key: these requests change
    /// nothing that a repeat could double) and returns the HTTP status with the answer's text.
    pub fn post_json(
        &self,
        path: &str,
        request: &impl serde::Serialize,
    ) -> Result<(u16, String), SyncError> {
        let body = serde_json::to_vec(request).map_err(|e| SyncError::Client(e.to_string()))?;
        let response = self
            .post(
                path,
                &uuid::Uuid::new_v4().to_string(),
                RequestBody::Json(body),
            )
            .map_err(|e| SyncError::Unreachable(e.to_string()))?;
        let status = response.status().as_u16();
        let text = response
            .text()
            .map_err(|e| SyncError::Unreachable(e.to_string()))?;
        Ok((status, text))
    }

    /// The URL of `path` (relative, e.g. `v1/uploads`) on the central service.
    pub fn endpoint(&self, path: &str) -> Url {
        self.base.join(path).unwrap_or_else(|_| self.base.clone())
    }

    /// Whether `url` is on the central service (same scheme, host and port as the configured URL): upload
    /// URLs from the service's answers or the outbox are used only then.
    pub fn is_on_central(&self, url: &Url) -> bool {
        url.scheme() == self.base.scheme()
            && url.host_str() == self.base.host_str()
            && url.port_or_known_default() == self.base.port_or_known_default()
    }

    /// A signed request with an empty body (`method` to `url`, with the idempotency key); the caller adds its
    /// own headers and sends it.
    pub fn signed_empty(
        &self,
        method: reqwest::Method,
        url: Url,
        idempotency_key: &str,
    ) -> RequestBuilder {
        let headers = signing::sign_request(
            &self.credentials.signing_key,
            &self.credentials.kiosk_id,
            method.as_str(),
            url.path(),
            Utc::now().timestamp(),
            idempotency_key,
            b"",
        );
        let mut request = self.http.request(method, url);
        for (name, value) in headers.pairs() {
            request = request.header(name, value);
        }
        request
    }

    /// An unsigned request to `url` carrying the kiosk's id: the resumable upload's `HEAD` and `PATCH`, where
    /// the upload URL (a random capability bound to this kiosk) authorises the request.
    pub fn kiosk_request(&self, method: reqwest::Method, url: Url) -> RequestBuilder {
        self.http
            .request(method, url)
            .header(signing::HEADER_KIOSK, &self.credentials.kiosk_id)
    }

    /// Sends a signed `POST` to `path` (relative, e.g. `v1/claims`) with the given idempotency key.
    pub fn post(
        &self,
        path: &str,
        idempotency_key: &str,
        body: RequestBody<'_>,
    ) -> Result<Response, reqwest::Error> {
        let url = self.base.join(path).unwrap_or_else(|_| self.base.clone());
        let (bytes, content_type, packet_signature) = match body {
            RequestBody::Packet {
                ciphertext,
                signature,
            } => {
                use base64::Engine as _;
                let sig = base64::engine::general_purpose::STANDARD.encode(signature.to_bytes());
                (ciphertext.to_vec(), "application/octet-stream", Some(sig))
            }
            RequestBody::Json(bytes) => (bytes, "application/json", None),
        };
        let headers = signing::sign_request(
            &self.credentials.signing_key,
            &self.credentials.kiosk_id,
            "POST",
            url.path(),
            Utc::now().timestamp(),
            idempotency_key,
            &bytes,
        );
        let timeout = self.config.timeout_for(bytes.len());
        let mut request = self
            .http
            .post(url)
            .timeout(timeout)
            .header(reqwest::header::CONTENT_TYPE, content_type);
        for (name, value) in headers.pairs() {
            request = request.header(name, value);
        }
        if let Some(sig) = packet_signature {
            request = request.header(HEADER_PACKET_SIGNATURE, sig);
        }
        request.body(bytes).send()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_to_loopback() {
        assert!(parse_central_url("https://central.example/").is_ok());
        assert!(parse_central_url("http://127.0.0.1:8080/").is_ok());
        assert!(parse_central_url("http://[::1]:8080/").is_ok());
        assert!(parse_central_url("http://localhost/").is_ok());
        assert!(matches!(
            parse_central_url("http://10.0.0.5/"),
            Err(SyncError::Config {
                key: "central_url",
                ..
            })
        ));
        assert!(parse_central_url("ftp://127.0.0.1/").is_err());
        assert!(parse_central_url("not a url").is_err());
    }
}
