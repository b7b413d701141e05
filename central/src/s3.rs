//! A small client for an S3-compatible object store: create-only `PUT` and `GET` of one object, signed with
//! AWS Signature Version 4, over hyper (HTTPS through rustls with the system's roots, or plain HTTP for a
//! store on the premises). Only what the packet store needs, so the service carries no general HTTP client.

use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac as _};
use http_body_util::{BodyExt as _, Full};
use hyper::{Method, Request, StatusCode, Uri};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use sha2::{Digest as _, Sha256};

/// The SHA-256 of an empty body, the payload hash of every `GET`.
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// What one call to the store came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Answer {
    /// 2xx, with the body.
    Done(Vec<u8>),
    /// 404: no such object.
    NotFound,
    /// 412: a create-only `PUT` found the key taken.
    Taken,
}

/// Why a call did not come to an [`Answer`]: the store is unreachable, slow, or refused for a reason that is
/// not about the object (credentials, bucket, throttling). Always worth a retry later.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Fault(pub String);

/// How to reach and sign for one bucket.
#[derive(Debug, Clone)]
pub struct Bucket {
    /// `http` or `https`.
    scheme: String,
    /// `host[:port]`, as sent in `Host` and signed.
    authority: String,
    /// The path before the key: `/bucket` on a custom endpoint (path style), empty on AWS (virtual host).
    prefix: String,
    region: String,
    access_key_id: String,
    secret_access_key: String,
}

impl Bucket {
    /// The bucket `name` at `endpoint` (`http(s)://host[:port]`; empty for AWS itself in `region`).
    pub fn new(
        endpoint: &str,
        name: &str,
        region: &str,
        access_key_id: &str,
        secret_access_key: &str,
    ) -> Result<Bucket, Fault> {
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-.".contains(&b))
        {
            return Err(Fault(format!("{name:?} is not a bucket name")));
        }
        let (scheme, authority, prefix) = if endpoint.is_empty() {
            (
                "https".to_owned(),
                format!("{name}.s3.{region}.amazonaws.com"),
                String::new(),
            )
        } else {
            let uri: Uri = endpoint
                .trim_end_matches('/')
                .parse()
                .map_err(|e| Fault(format!("endpoint {endpoint:?}: {e}")))?;
            let scheme = uri.scheme_str().unwrap_or_default().to_owned();
            if scheme != "http" && scheme != "https" {
                return Err(Fault(format!(
                    "endpoint {endpoint:?}: give it as http://host:port or https://host"
                )));
            }
            let authority = uri
                .authority()
                .map(|a| a.as_str().to_owned())
                .ok_or_else(|| Fault(format!("endpoint {endpoint:?} names no host")))?;
            let base = uri.path().trim_end_matches('/');
            (scheme, authority, format!("{base}/{name}"))
        };
        Ok(Bucket {
            scheme,
            authority,
            prefix,
            region: region.to_owned(),
            access_key_id: access_key_id.to_owned(),
            secret_access_key: secret_access_key.to_owned(),
        })
    }

    fn path_of(&self, key: &str) -> String {
        let encoded: Vec<String> = key.split('/').map(uri_encode).collect();
        format!("{}/{}", self.prefix, encoded.join("/"))
    }
}

/// An S3 client: a connection pool and the runtime it runs on. Every call blocks the caller.
pub struct S3Client {
    bucket: Bucket,
    http: Client<hyper_rustls::HttpsConnector<HttpConnector>, Full<Bytes>>,
    timeout: Duration,
}

impl S3Client {
    /// A client for `bucket`; one call (one attempt) takes at most `timeout`. Must be made inside a tokio
    /// runtime, whose threads then carry its connections.
    pub fn new(bucket: Bucket, timeout: Duration) -> Result<S3Client, Fault> {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(Some(Duration::from_secs(3)));
        let tls = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_native_roots(rustls::crypto::ring::default_provider())
            .map_err(|e| Fault(format!("reading the system's certificate roots: {e}")))?
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let http = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(30))
            .build(tls);
        Ok(S3Client {
            bucket,
            http,
            timeout,
        })
    }

    /// Stores `body` under `key` only if the key is free (`If-None-Match: *`).
    pub async fn put_new(&self, key: &str, body: Bytes) -> Result<Answer, Fault> {
        let sha = hex::encode(Sha256::digest(&body));
        self.send(
            Method::PUT,
            key,
            &[("if-none-match", "*".to_owned())],
            body,
            &sha,
        )
        .await
    }

    /// The object under `key`.
    pub async fn get(&self, key: &str) -> Result<Answer, Fault> {
        self.send(Method::GET, key, &[], Bytes::new(), EMPTY_SHA256)
            .await
    }

    async fn send(
        &self,
        method: Method,
        key: &str,
        extra: &[(&str, String)],
        body: Bytes,
        payload_sha256: &str,
    ) -> Result<Answer, Fault> {
        let path = self.bucket.path_of(key);
        let now = Utc::now();
        let mut headers = vec![
            ("host", self.bucket.authority.clone()),
            ("x-amz-content-sha256", payload_sha256.to_owned()),
            ("x-amz-date", amz_date(now)),
        ];
        headers.extend(extra.iter().map(|(n, v)| (*n, v.clone())));
        let authorization = authorization(&Signing {
            method: method.as_str(),
            path: &path,
            query: "",
            headers: &headers,
            payload_sha256,
            now,
            region: &self.bucket.region,
            access_key_id: &self.bucket.access_key_id,
            secret_access_key: &self.bucket.secret_access_key,
        })?;
        let uri = format!("{}://{}{path}", self.bucket.scheme, self.bucket.authority);
        let mut request = Request::builder().method(method).uri(uri);
        for (name, value) in &headers {
            request = request.header(*name, value);
        }
        let request = request
            .header("authorization", authorization)
            .body(Full::new(body))
            .map_err(|e| Fault(format!("building the request: {e}")))?;
        let exchange = async {
            let response = self
                .http
                .request(request)
                .await
                .map_err(|e| Fault(describe_transport(&e)))?;
            let status = response.status();
            let body = response
                .into_body()
                .collect()
                .await
                .map_err(|e| Fault(format!("reading the answer: {e}")))?
                .to_bytes();
            Ok::<_, Fault>((status, body))
        };
        let (status, body) = tokio::time::timeout(self.timeout, exchange)
            .await
            .map_err(|_| Fault(format!("no answer within {} s", self.timeout.as_secs_f32())))??;
        match status {
            s if s.is_success() => Ok(Answer::Done(body.to_vec())),
            StatusCode::NOT_FOUND => Ok(Answer::NotFound),
            StatusCode::PRECONDITION_FAILED => Ok(Answer::Taken),
            s => Err(Fault(format!("answered {s}: {}", error_code(&body)))),
        }
    }
}

/// The transport error with its causes, which hyper keeps one level down ("connection refused").
fn describe_transport(e: &hyper_util::client::legacy::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The `<Code>` of an S3 error document ("SignatureDoesNotMatch", "NoSuchBucket"), or a note that there was
/// none. Only the code: the rest of the document may echo the request.
fn error_code(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    text.split_once("<Code>")
        .and_then(|(_, rest)| rest.split_once("</Code>"))
        .map(|(code, _)| code.chars().take(64).collect())
        .unwrap_or_else(|| "no S3 error code".to_owned())
}

fn amz_date(now: DateTime<Utc>) -> String {
    now.format("%Y%m%dT%H%M%SZ").to_string()
}

/// RFC 3986 percent-encoding as SigV4 wants it: everything but `A-Z a-z 0-9 - . _ ~`.
fn uri_encode(part: &str) -> String {
    let mut out = String::with_capacity(part.len());
    for b in part.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One request's parts that SigV4 signs.
struct Signing<'a> {
    method: &'a str,
    /// The encoded path.
    path: &'a str,
    /// The canonical query string (sorted, encoded), empty for none.
    query: &'a str,
    /// Lower-case names with their values; every one is signed.
    headers: &'a [(&'a str, String)],
    payload_sha256: &'a str,
    now: DateTime<Utc>,
    region: &'a str,
    access_key_id: &'a str,
    secret_access_key: &'a str,
}

fn hmac(key: &[u8], data: &str) -> Result<Vec<u8>, Fault> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key)
        .map_err(|e| Fault(format!("signing the request: {e}")))?;
    mac.update(data.as_bytes());
    Ok(mac.finalize().into_bytes().to_vec())
}

/// The `Authorization` header of AWS Signature Version 4 for service `s3`.
fn authorization(s: &Signing<'_>) -> Result<String, Fault> {
    let mut headers: Vec<(String, String)> = s
        .headers
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    headers.sort();
    let canonical_headers: String = headers.iter().map(|(n, v)| format!("{n}:{v}\n")).collect();
    let signed_headers = headers
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let canonical_request = format!(
        "{}\n{}\n{}\n{canonical_headers}\n{signed_headers}\n{}",
        s.method, s.path, s.query, s.payload_sha256
    );
    let date = s.now.format("%Y%m%d").to_string();
    let scope = format!("{date}/{}/s3/aws4_request", s.region);
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{}\n{scope}\n{}",
        amz_date(s.now),
        hex::encode(Sha256::digest(canonical_request.as_bytes()))
    );
    let key = hmac(format!("AWS4{}", s.secret_access_key).as_bytes(), &date)?;
    let key = hmac(&key, s.region)?;
    let key = hmac(&key, "s3")?;
    let key = hmac(&key, "aws4_request")?;
    let signature = hex::encode(hmac(&key, &string_to_sign)?);
    Ok(format!(
        "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
        s.access_key_id
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        match DateTime::parse_from_rfc3339(text) {
            Ok(t) => t.with_timezone(&Utc),
            Err(e) => panic!("{text}: {e}"),
        }
    }

    /// The "GET Object" example of the S3 SigV4 documentation (header-based authentication), with its
    /// published signature.
    #[test]
    fn the_signature_of_the_documented_get_object_example_is_the_published_one() {
        let headers = [
            ("host", "examplebucket.s3.amazonaws.com".to_owned()),
            ("range", "bytes=0-9".to_owned()),
            ("x-amz-content-sha256", EMPTY_SHA256.to_owned()),
            ("x-amz-date", "20130524T000000Z".to_owned()),
        ];
        let header = authorization(&Signing {
            method: "GET",
            path: "/test.txt",
            query: "",
            headers: &headers,
            payload_sha256: EMPTY_SHA256,
            now: at("2013-05-24T00:00:00Z"),
            region: "us-east-1",
            access_key_id: "AKIAIOSFODNN7EXAMPLE",
            secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        })
        .map_err(|e| e.0);
        assert_eq!(
            header.as_deref(),
            Ok(
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, \
             SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, \
             Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
            )
        );
    }

    #[test]
    fn a_custom_endpoint_is_path_style_and_aws_itself_is_virtual_host_style() -> Result<(), Fault> {
        let local = Bucket::new("http://127.0.0.1:9000/", "packets", "us-east-1", "k", "s")?;
        assert_eq!(
            (local.scheme.as_str(), local.authority.as_str()),
            ("http", "127.0.0.1:9000")
        );
        assert_eq!(local.path_of("packets/a b/1"), "/packets/packets/a%20b/1");
        let aws = Bucket::new("", "packets", "ap-southeast-3", "k", "s")?;
        assert_eq!(aws.authority, "packets.s3.ap-southeast-3.amazonaws.com");
        assert_eq!(aws.path_of("packets/x"), "/packets/x");
        assert!(Bucket::new("ftp://host", "packets", "r", "k", "s").is_err());
        assert!(Bucket::new("", "a/b", "r", "k", "s").is_err());
        Ok(())
    }

    #[test]
    fn an_error_answer_is_reduced_to_its_s3_code() {
        let body = b"<?xml version=\"1.0\"?><Error><Code>SignatureDoesNotMatch</Code><Message>x</Message></Error>";
        assert_eq!(error_code(body), "SignatureDoesNotMatch");
        assert_eq!(error_code(b"garbage"), "no S3 error code");
    }
}
