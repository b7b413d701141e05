//! The signed HTTP client the kiosk uses to reach the central service (reqwest, blocking, rustls).

use std::io::Read as _;
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chrono::Utc;
use reqwest::Url;
use reqwest::blocking::{Client, RequestBuilder, Response};

use super::signing;
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

/// The most of an answer's body the kiosk reads (lapak-central's answers are a few hundred bytes): a larger
/// answer is not the service's (a proxy's page, garbage) and is treated as unreadable, a transient fault.
pub const MAX_ANSWER_BYTES: u64 = 64 * 1024;

/// Reads an answer's body as text, at most [`MAX_ANSWER_BYTES`]: a longer one (announced or actual) is an
/// error and is not read further.
pub fn read_capped(response: Response) -> Result<String, SyncError> {
    if let Some(length) = response.content_length()
        && length > MAX_ANSWER_BYTES
    {
        return Err(SyncError::Unreachable(format!(
            "answer of {length} bytes refused (more than {MAX_ANSWER_BYTES})"
        )));
    }
    let mut bytes = Vec::new();
    response
        .take(MAX_ANSWER_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| SyncError::Unreachable(format!("answer cut off: {e}")))?;
    if bytes.len() as u64 > MAX_ANSWER_BYTES {
        return Err(SyncError::Unreachable(format!(
            "answer longer than {MAX_ANSWER_BYTES} bytes refused"
        )));
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// A request that got no answer, with its causes: reqwest's own text ("error sending request for url ...")
/// hides why (a refused connection, a timeout, "invalid peer certificate: UnknownIssuer"), which staff need.
pub fn request_failure(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut cause = std::error::Error::source(error);
    while let Some(e) = cause {
        let part = e.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        cause = e.source();
    }
    text
}

/// The path of `url` relative to the API root `base` (whose path ends in `/`), as signed: the central URL
/// `https://host/lapak/` and the request `https://host/lapak/v1/claims` give `/v1/claims`.
pub fn api_path(base: &Url, url: &Url) -> String {
    let root = base.path().trim_end_matches('/');
    let path = url.path();
    match path.strip_prefix(root) {
        Some(rest) if rest.starts_with('/') => rest.to_owned(),
        _ => path.to_owned(),
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
    chunk_ceiling: Arc<AtomicUsize>,
}

/// A body and how to label it.
pub enum RequestBody<'a> {
    /// A sealed packet (`application/octet-stream`) with the packet's own signature.
    Packet {
        /// The age ciphertext (a shared buffer: the request takes a reference to it, not a copy).
        ciphertext: &'a bytes::Bytes,
        /// The kiosk's Ed25519 signature of the packet.
        signature: &'a ed25519_dalek::Signature,
    },
    /// A JSON document.
    Json(Vec<u8>),
}

/// TLS is rustls on ring (the program carries no other cryptography library): installed once as the
/// process's provider, where reqwest takes it from. A provider installed before is kept.
fn use_ring_for_tls() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
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
        use_ring_for_tls();
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
            chunk_ceiling: Arc::new(AtomicUsize::new(usize::MAX)),
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

    /// The largest chunk to send: `sync.upload_chunk_bytes`, or less once something on the way (an office
    /// proxy with a body limit) refused a chunk as too large (shared by clones).
    pub fn upload_chunk_limit(&self) -> usize {
        self.chunk_ceiling
            .load(Ordering::Relaxed)
            .min(self.config.upload_chunk_bytes)
            .max(1)
    }

    /// Keeps later chunks at `bytes` or less: a chunk above it was refused as too large.
    pub fn lower_upload_chunk_limit(&self, bytes: usize) {
        self.chunk_ceiling
            .fetch_min(bytes.max(1), Ordering::Relaxed);
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
            .map_err(|e| SyncError::Unreachable(request_failure(&e)))?;
        let status = response.status().as_u16();
        let text = read_capped(response)?;
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
            &api_path(&self.base, &url),
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
                (ciphertext.clone(), "application/octet-stream", Some(sig))
            }
            RequestBody::Json(bytes) => (bytes::Bytes::from(bytes), "application/json", None),
        };
        let headers = signing::sign(
            &self.credentials.signing_key,
            &self.credentials.kiosk_id,
            &signing::Request {
                method: "POST",
                path: &api_path(&self.base, &url),
                timestamp: Utc::now().timestamp(),
                idempotency_key,
                body: &bytes,
                packet_signature: packet_signature.as_deref(),
            },
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

    /// A loopback server that answers one request with a 50 MB body (announced in Content-Length or not) and
    /// returns how many body bytes it managed to write before the kiosk hung up.
    fn huge_answer_server(announce_length: bool) -> (u16, std::thread::JoinHandle<u64>) {
        use std::io::{Read as _, Write as _};
        const HUGE: u64 = 50 * 1024 * 1024;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("address").port();
        let server = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().expect("accept");
            stream
                .set_read_timeout(Some(Duration::from_secs(10)))
                .expect("timeout");
            stream
                .set_write_timeout(Some(Duration::from_secs(10)))
                .expect("timeout");
            let mut request = Vec::new();
            let mut buffer = [0u8; 4096];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buffer) {
                    Ok(0) | Err(_) => return 0,
                    Ok(n) => request.extend_from_slice(&buffer[..n]),
                }
            }
            let head = if announce_length {
                format!("HTTP/1.1 502 Bad Gateway\r\ncontent-length: {HUGE}\r\n\r\n")
            } else {
                "HTTP/1.1 502 Bad Gateway\r\nconnection: close\r\n\r\n".to_owned()
            };
            if stream.write_all(head.as_bytes()).is_err() {
                return 0;
            }
            let chunk = vec![b'x'; 64 * 1024];
            let mut written = 0u64;
            while written < HUGE {
                match stream.write(&chunk) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => written += n as u64,
                }
            }
            written
        });
        (port, server)
    }

    #[test]
    fn a_huge_answer_is_refused_and_the_kiosk_stops_reading_it_after_the_cap() {
        for announce_length in [true, false] {
            let (port, server) = huge_answer_server(announce_length);
            let config = SyncConfig {
                central_url: Some(format!("http://127.0.0.1:{port}/")),
                request_timeout_secs: 10,
                ..SyncConfig::default()
            };
            let client = CentralClient::new(
                &config,
                KioskCredentials {
                    kiosk_id: "K1".into(),
                    signing_key: ed25519_dalek::SigningKey::from_bytes(&[7; 32]),
                },
            )
            .expect("client");
            let answer = client.post_json("v1/kiosks/K1/heartbeat", &serde_json::json!({}));
            match answer {
                Err(SyncError::Unreachable(reason)) => {
                    assert!(reason.contains("65536"), "{reason}")
                }
                other => panic!("a 50 MB answer must be refused, got {other:?}"),
            }
            drop(client);
            let written = server.join().expect("server thread");
            assert!(
                written < 20 * 1024 * 1024,
                "the kiosk kept reading: the server wrote {written} bytes (length announced: {announce_length})"
            );
        }
    }

    fn client_for(url: String) -> CentralClient {
        let config = SyncConfig {
            central_url: Some(url),
            request_timeout_secs: 10,
            ..SyncConfig::default()
        };
        CentralClient::new(
            &config,
            KioskCredentials {
                kiosk_id: "K1".into(),
                signing_key: ed25519_dalek::SigningKey::from_bytes(&[7; 32]),
            },
        )
        .expect("client")
    }

    #[test]
    fn a_request_without_an_answer_names_its_cause_not_only_the_url() {
        // Nobody listens on the port.
        let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = closed.local_addr().expect("address").port();
        drop(closed);
        let client = client_for(format!("http://127.0.0.1:{port}/"));
        match client.post_json("v1/kiosks/K1/heartbeat", &serde_json::json!({})) {
            Err(SyncError::Unreachable(reason)) => {
                assert!(reason.contains("Connection refused"), "{reason}")
            }
            other => panic!("{other:?}"),
        }

        // A server that answers the TLS greeting with plain text: the handshake's failure is named.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("address").port();
        let server = std::thread::spawn(move || {
            use std::io::{Read as _, Write as _};
            let (mut stream, _) = listener.accept().expect("accept");
            let mut hello = [0u8; 512];
            let _ = stream.read(&mut hello);
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n");
        });
        let client = client_for(format!("https://127.0.0.1:{port}/"));
        match client.post_json("v1/kiosks/K1/heartbeat", &serde_json::json!({})) {
            Err(SyncError::Unreachable(reason)) => {
                assert!(reason.contains("corrupt message"), "{reason}")
            }
            other => panic!("{other:?}"),
        }
        server.join().expect("server");
    }

    #[test]
    fn the_signed_path_is_relative_to_the_api_root() -> Result<(), Box<dyn std::error::Error>> {
        let base = Url::parse("https://host/lapak/")?;
        assert_eq!(api_path(&base, &base.join("v1/claims")?), "/v1/claims");
        assert_eq!(
            api_path(&base, &base.join("v1/kiosks/K1/heartbeat")?),
            "/v1/kiosks/K1/heartbeat"
        );
        let root = Url::parse("http://127.0.0.1:8080/")?;
        assert_eq!(api_path(&root, &root.join("v1/claims")?), "/v1/claims");
        Ok(())
    }
}
