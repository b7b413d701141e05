//! A real S3-compatible server for tests: moto's `moto_server` (installed from PyPI by `.ci/install-deps`) on a
//! loopback port, with one bucket; killed on drop. moto keeps nothing across a restart, so [`Moto::start`]
//! makes the bucket every time.
#![allow(dead_code)]

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The bucket every test server has.
pub const BUCKET: &str = "packets-bucket";

/// A `moto_server` child on loopback with the bucket [`BUCKET`]; killed on drop.
pub struct Moto {
    /// Its loopback port.
    pub port: u16,
    child: Child,
}

/// The IAM calls [`Moto::start_verifying`] makes before signatures count, after the bucket.
const SETUP_CALLS: u32 = 3;

/// Credentials a verifying server knows.
pub struct Credentials {
    /// The access key id.
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: String,
}

impl Moto {
    /// Starts a server on `port` and makes the bucket; fails when it does not answer within 30 s.
    pub fn start(port: u16) -> Result<Moto, Box<dyn std::error::Error>> {
        Moto::launch(port, None)
    }

    /// Starts a server on `port` that checks the signature of every request after setting itself up: the
    /// bucket, and an IAM user allowed everything on S3, whose keys it returns.
    pub fn start_verifying(port: u16) -> Result<(Moto, Credentials), Box<dyn std::error::Error>> {
        let moto = Moto::launch(port, Some(1 + SETUP_CALLS))?;
        let client = reqwest::blocking::Client::new();
        let iam = |form: &[(&str, &str)]| -> Result<String, Box<dyn std::error::Error>> {
            // Unsigned calls go to S3 unless the credential scope names another service; before the
            // server starts checking, any signature passes.
            let response = client
                .post(format!("http://127.0.0.1:{port}/"))
                .header(
                    "authorization",
                    "AWS4-HMAC-SHA256 Credential=setup/20260101/us-east-1/iam/aws4_request, \
                     SignedHeaders=host, Signature=0",
                )
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form_body(&[&[("Version", "2010-05-08")], form].concat()))
                .send()?;
            let status = response.status();
            let body = response.text()?;
            if !status.is_success() {
                return Err(format!("moto IAM {form:?}: {status}: {body}").into());
            }
            Ok(body)
        };
        iam(&[("Action", "CreateUser"), ("UserName", "lapak-central")])?;
        let keys = iam(&[("Action", "CreateAccessKey"), ("UserName", "lapak-central")])?;
        iam(&[
            ("Action", "PutUserPolicy"),
            ("UserName", "lapak-central"),
            ("PolicyName", "packets"),
            (
                "PolicyDocument",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#,
            ),
        ])?;
        let field = |name: &str| -> Result<String, Box<dyn std::error::Error>> {
            let open = format!("<{name}>");
            let close = format!("</{name}>");
            keys.split_once(&open)
                .and_then(|(_, rest)| rest.split_once(&close))
                .map(|(value, _)| value.to_owned())
                .ok_or_else(|| format!("no {name} in {keys}").into())
        };
        let credentials = Credentials {
            access_key_id: field("AccessKeyId")?,
            secret_access_key: field("SecretAccessKey")?,
        };
        Ok((moto, credentials))
    }

    fn launch(port: u16, unchecked_calls: Option<u32>) -> Result<Moto, Box<dyn std::error::Error>> {
        let mut command = Command::new("moto_server");
        if let Some(calls) = unchecked_calls {
            command.env("INITIAL_NO_AUTH_ACTION_COUNT", calls.to_string());
        }
        let child = command
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let moto = Moto { port, child };
        let client = reqwest::blocking::Client::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let made = client
                .put(format!("http://127.0.0.1:{port}/{BUCKET}"))
                .send();
            if made.is_ok_and(|r| r.status().is_success()) {
                return Ok(moto);
            }
            if Instant::now() > deadline {
                return Err("moto_server did not start within 30 s".into());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Its endpoint URL.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The `[blobs]` table of a `central.toml` keeping packets in its bucket.
    pub fn blobs_config(&self) -> String {
        format!(
            "[blobs]\nstore = \"s3\"\nbucket = \"{BUCKET}\"\nendpoint = \"{}\"\nregion = \"us-east-1\"\n\
             access_key_id = \"testing\"\nsecret_access_key = \"testing\"\n",
            self.endpoint()
        )
    }

    /// Kills the server (everything it held is gone) and waits for it.
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `application/x-www-form-urlencoded` of `fields`.
fn form_body(fields: &[(&str, &str)]) -> String {
    let encode = |text: &str| {
        text.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect::<String>()
    };
    fields
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

impl Drop for Moto {
    fn drop(&mut self) {
        self.stop();
    }
}
