//! Behind a real nginx (the Debian `nginx` package, started by the test on loopback with its default body
//! limit): the API mounted under `/lapak/` by a prefix-stripping `proxy_pass`, and a `lapak-central` that
//! serves under its own `base_path` behind a proxy that keeps the prefix. Request signatures cover the path
//! relative to the API root, so both work: claims of ~700 KB are delivered exactly once, and the status check
//! and heartbeat pass too. And over HTTPS, with nginx holding a certificate from an office's own authority:
//! refused (claims kept) until the kiosk is given that authority in `sync.ca_file`, then delivered once.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::*;
use lapak_kiosk::outbox::{ClaimFilter, ClaimState};
use lapak_kiosk::sync::status::{self, CentralAnswer, Proof};
use lapak_kiosk::sync::{CentralClient, SyncConfig, drain_now, heartbeat};

/// Size of the claims' documents: a sealed packet of about 700 KB, under nginx's default 1 MB body limit.
const CLAIM_BYTES: usize = 700_000;
/// A claim with many documents: a sealed packet of about 1.5 MB, over nginx's default body limit, which a
/// one-shot POST could never pass; its resumable upload's chunks each fit.
const LARGE_CLAIM_BYTES: usize = 1_500_000;

/// The nginx binary, or a failure saying how to install it.
fn nginx_binary() -> PathBuf {
    let candidates = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .chain(["/usr/sbin".into(), "/usr/local/sbin".into()]);
    for dir in candidates {
        let binary = dir.join("nginx");
        if binary.is_file() {
            return binary;
        }
    }
    panic!(
        "nginx is not installed; this test needs the Debian package `nginx` (apt-get install nginx, \
         or bash .ci/install-deps)"
    );
}

fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

/// A real nginx in the foreground, with its pid, logs and temporary files in one folder; stopped on drop.
struct Nginx {
    dir: PathBuf,
    child: Child,
}

impl Nginx {
    /// Writes the configuration with `servers` (the `server { … }` blocks) and starts nginx until every
    /// port in `ports` accepts connections.
    fn start(dir: &Path, servers: &str, ports: &[u16]) -> Nginx {
        let binary = nginx_binary();
        std::fs::create_dir_all(dir).expect("nginx folder");
        let d = dir.display();
        // As root the workers would switch to a user that cannot write the temporary folders; stay root.
        let user = if running_as_root() { "user root;" } else { "" };
        let config = format!(
            "{user}\nworker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/error.log info;\n\
             events {{ worker_connections 256; }}\n\
             http {{\n  access_log {d}/access.log;\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n  \
             fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n{servers}\n}}\n"
        );
        let file = dir.join("nginx.conf");
        std::fs::write(&file, config).expect("write nginx.conf");
        let child = Command::new(&binary)
            .arg("-p")
            .arg(dir)
            .arg("-e")
            .arg(dir.join("error.log"))
            .arg("-c")
            .arg(&file)
            .args(["-g", "daemon off;"])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.join("stderr.log")).expect("nginx stderr file"))
            .spawn()
            .expect("start nginx");
        let nginx = Nginx {
            dir: dir.to_owned(),
            child,
        };
        let up = wait_until(Duration::from_secs(10), || {
            ports
                .iter()
                .all(|port| std::net::TcpStream::connect(("127.0.0.1", *port)).is_ok())
        });
        if !up {
            let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap_or_default();
            panic!(
                "nginx did not start: {}; error.log: {}",
                read("stderr.log"),
                read("error.log")
            );
        }
        nginx
    }

    /// Requests nginx passed on (from its access log).
    fn access_log(&self) -> String {
        std::fs::read_to_string(self.dir.join("access.log")).unwrap_or_default()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg("-QUIT")
            .arg(self.child.id().to_string())
            .status();
        for _ in 0..100 {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A kiosk `id` (key `k`) reaching `central` (holding `before` claims of other kiosks) as `config` says:
/// delivers `count` claims of about `bytes`, drains again (nothing is sent twice), checks a status and sends a
/// heartbeat, all through its URL.
fn kiosk_through(
    central: &Central,
    config: &SyncConfig,
    dir: &Path,
    (id, k): (&str, u8),
    (before, count): (u64, u64),
    bytes: usize,
) {
    let key = kiosk_key(k);
    let outbox = outbox(dir, &key);
    let claims = submit_claims(
        &outbox,
        u64::from(k) * 100,
        count,
        id,
        &key,
        &central.recipient,
        bytes,
    );
    let client = CentralClient::new(config, credentials(id, &key)).expect("client");
    let summary = drain_now(&client, &outbox, 3, &mut |_| {}).expect("drain");
    assert_eq!(summary.delivered, count, "{summary:?}");
    assert_eq!(summary.failed_attempts, 0, "{summary:?}");
    let again = drain_now(&client, &outbox, 3, &mut |_| {}).expect("drain again");
    assert_eq!(again.delivered, 0, "nothing left to send: {again:?}");
    let total = (before + count) as i64;
    assert_eq!(
        central.claim_counts(),
        (total, total),
        "each claim stored exactly once"
    );
    let stored: i64 = central
        .db()
        .query_row("SELECT MIN(packet_bytes) FROM claims", [], |r| r.get(0))
        .expect("packet sizes");
    assert!(
        stored as f64 > bytes as f64 * 0.98,
        "claims of about {bytes} bytes: {stored} bytes"
    );
    let first = &claims[0];
    let answer = status::ask_central(
        &client,
        &first.reference,
        &Proof::Nik(first.fields.nik.clone()),
    )
    .expect("status answered");
    assert!(matches!(answer, CentralAnswer::Found(_)), "{answer:?}");
    let beat = heartbeat::collect(&Default::default(), &outbox, dir, None, chrono::Utc::now());
    heartbeat::send(&client, &beat).expect("heartbeat answered");
}

#[test]
fn claims_pass_a_real_nginx_that_mounts_the_api_under_a_prefix() {
    let tmp = tempfile::tempdir().expect("tempdir");
    // Behind a stripping proxy: lapak-central serves at its root.
    let mut stripped = Central::setup(&tmp.path().join("stripped"), "");
    stripped.add_kiosk("K001", &kiosk_key(1));
    stripped.start();
    // Behind a proxy that keeps the prefix: lapak-central is told its base path.
    let mut prefixed = Central::setup(&tmp.path().join("prefixed"), "base_path = \"/lapak\"");
    prefixed.add_kiosk("K002", &kiosk_key(2));
    prefixed.start();

    let (strip_port, keep_port) = (free_port(), free_port());
    let servers = format!(
        "  server {{\n    listen 127.0.0.1:{strip_port};\n    location /lapak/ {{ proxy_pass http://127.0.0.1:{}/; }}\n  }}\n\
         \x20 server {{\n    listen 127.0.0.1:{keep_port};\n    location /lapak/ {{ proxy_pass http://127.0.0.1:{}; }}\n  }}",
        stripped.port, prefixed.port
    );
    let nginx = Nginx::start(
        &tmp.path().join("nginx"),
        &servers,
        &[strip_port, keep_port],
    );

    kiosk_through(
        &stripped,
        &sync_config(&format!("http://127.0.0.1:{strip_port}/lapak/")),
        &tmp.path().join("kiosk1"),
        ("K001", 1),
        (0, 4),
        CLAIM_BYTES,
    );
    kiosk_through(
        &prefixed,
        &sync_config(&format!("http://127.0.0.1:{keep_port}/lapak/")),
        &tmp.path().join("kiosk2"),
        ("K002", 2),
        (0, 4),
        LARGE_CLAIM_BYTES,
    );
    let log = nginx.access_log();
    // Each claim went through nginx as a resumable upload: a creation, then chunks below nginx's body limit.
    assert!(
        log.matches("POST /lapak/v1/uploads ").count() >= 8,
        "the uploads were created through nginx: {log}"
    );
    assert!(
        log.matches("PATCH /lapak/v1/uploads/").count() >= 8,
        "the chunks went through nginx: {log}"
    );
    // The same 1.5 MB in one request is over nginx's default limit: only the chunks got through.
    let one_shot = reqwest::blocking::Client::new()
        .post(format!("http://127.0.0.1:{keep_port}/lapak/v1/claims"))
        .body(vec![0u8; LARGE_CLAIM_BYTES])
        .send()
        .expect("nginx answers");
    assert_eq!(
        one_shot.status().as_u16(),
        413,
        "nginx's default body limit"
    );
    // The prefixed service answers only under its prefix.
    let outside = reqwest::blocking::Client::new()
        .post(format!("http://127.0.0.1:{}/v1/claims", prefixed.port))
        .body("x")
        .send()
        .expect("answered");
    assert_eq!(outside.status().as_u16(), 404);
    drop(nginx);
    stripped.stop();
    prefixed.stop();
}

#[test]
fn behind_a_proxy_with_a_smaller_body_limit_the_kiosk_halves_its_chunks_once_and_delivers_every_claim()
 {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(&tmp.path().join("central"), "");
    central.add_kiosk("K001", &kiosk_key(1));
    central.start();
    // An office proxy that takes no request body over 100 KiB: the kiosk's 256 KiB chunks are refused (413).
    let port = free_port();
    let servers = format!(
        "  server {{\n    listen 127.0.0.1:{port};\n    client_max_body_size 100k;\n    \
         location / {{ proxy_pass http://127.0.0.1:{}; }}\n  }}",
        central.port
    );
    let nginx = Nginx::start(&tmp.path().join("nginx"), &servers, &[port]);
    let config = sync_config(&format!("http://127.0.0.1:{port}/"));
    assert!(config.upload_chunk_bytes > 100 * 1024, "{config:?}");

    // Every claim delivered exactly once, with no failed delivery attempt.
    kiosk_through(
        &central,
        &config,
        &tmp.path().join("kiosk"),
        ("K001", 1),
        (0, 4),
        CLAIM_BYTES,
    );
    let log = nginx.access_log();
    let refused = log
        .lines()
        .filter(|line| line.contains("\"PATCH ") && line.contains("\" 413 "))
        .count();
    // The limit is learnt once: 256 KiB refused, 128 KiB refused, 64 KiB taken from then on.
    assert!(
        (1..=2).contains(&refused),
        "{refused} chunks refused as too large: {log}"
    );
    drop(nginx);
    central.stop();
}

/// Runs `openssl` with `args` in `dir`, failing with its output.
fn openssl(dir: &Path, args: &str) {
    let out = Command::new("openssl")
        .args(args.split_whitespace())
        .current_dir(dir)
        .output()
        .expect("openssl (the Debian package openssl; bash .ci/install-deps)");
    assert!(
        out.status.success(),
        "openssl {args}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// An office's own certificate authority (`ca.pem`) and a certificate it signed for 127.0.0.1
/// (`server.pem`, `server.key`), in `dir`.
fn office_authority(dir: &Path) {
    std::fs::create_dir_all(dir).expect("certificate folder");
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName = IP:127.0.0.1, DNS:localhost\nextendedKeyUsage = serverAuth\n",
    )
    .expect("extensions file");
    openssl(
        dir,
        "req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=Kantor-Cabang-Test-CA",
    );
    openssl(
        dir,
        "req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=127.0.0.1",
    );
    openssl(
        dir,
        "x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile server.ext",
    );
}

#[test]
fn over_https_the_kiosk_refuses_an_unknown_authority_keeping_its_claims_and_delivers_once_it_is_configured()
 {
    let tmp = tempfile::tempdir().expect("tempdir");
    let certs = tmp.path().join("certs");
    office_authority(&certs);
    let mut central = Central::setup(&tmp.path().join("central"), "");
    central.add_kiosk("K001", &kiosk_key(1));
    central.add_kiosk("K002", &kiosk_key(2));
    central.start();
    let port = free_port();
    let c = certs.display();
    let servers = format!(
        "  server {{\n    listen 127.0.0.1:{port} ssl;\n    ssl_certificate {c}/server.pem;\n    \
         ssl_certificate_key {c}/server.key;\n    location /lapak/ {{ proxy_pass http://127.0.0.1:{}/; }}\n  }}",
        central.port
    );
    let nginx = Nginx::start(&tmp.path().join("nginx"), &servers, &[port]);
    let url = format!("https://127.0.0.1:{port}/lapak/");

    // With the system's roots only, the office's certificate is not trusted: nothing passes, nothing is lost.
    let key = kiosk_key(1);
    let dir = tmp.path().join("kiosk1");
    let outbox = outbox(&dir, &key);
    submit_claims(
        &outbox,
        100,
        2,
        "K001",
        &key,
        &central.recipient,
        CLAIM_BYTES,
    );
    let untrusting =
        CentralClient::new(&sync_config(&url), credentials("K001", &key)).expect("client");
    let refused = drain_now(&untrusting, &outbox, 2, &mut |_| {}).expect("drain");
    assert_eq!(refused.delivered, 0, "{refused:?}");
    assert!(refused.failed_attempts >= 1, "{refused:?}");
    let reason = refused.stopped_by.clone().unwrap_or_default();
    assert!(
        reason.contains("invalid peer certificate: UnknownIssuer"),
        "the reason names the certificate: {reason}"
    );
    let pending = outbox
        .list(&ClaimFilter {
            state: Some(ClaimState::Pending),
            limit: 10,
        })
        .expect("list");
    assert_eq!(pending.len(), 2, "both claims are kept to be sent again");
    assert_eq!(central.claim_counts(), (0, 0));
    assert!(
        !nginx.access_log().contains("/lapak/v1/"),
        "no request passed the handshake: {}",
        nginx.access_log()
    );

    // Given the office's authority, the same kiosk delivers both (each when its backoff is over), once.
    let trusting_config = SyncConfig {
        ca_file: Some(certs.join("ca.pem")),
        ..sync_config(&url)
    };
    let trusting = CentralClient::new(&trusting_config, credentials("K001", &key)).expect("client");
    let mut delivered = 0;
    let all = wait_until(Duration::from_secs(20), || {
        let summary = drain_now(&trusting, &outbox, 3, &mut |_| {}).expect("drain");
        assert!(summary.stopped_by.is_none(), "{summary:?}");
        delivered += summary.delivered;
        delivered == 2
    });
    assert!(all, "{delivered} of 2 claims delivered");
    let again = drain_now(&trusting, &outbox, 3, &mut |_| {}).expect("drain again");
    assert_eq!(again.delivered, 0, "{again:?}");
    assert_eq!(central.claim_counts(), (2, 2));

    // Another kiosk sends 700 KB claims, a status check and a heartbeat over it.
    kiosk_through(
        &central,
        &trusting_config,
        &tmp.path().join("kiosk2"),
        ("K002", 2),
        (2, 2),
        CLAIM_BYTES,
    );
    drop(nginx);
    central.stop();
}
