//! lapak-central on PostgreSQL, end to end: the real binary on a throwaway PostgreSQL cluster started by the
//! test (`common::postgres`) takes claims from a real kiosk outbox; a wrong or unreachable database stops the
//! start naming the key; a database gone at run time makes intake answer 503 with Retry-After and loses
//! nothing; two replicas on one database keep exactly-once intake and replay refusal between them, and a
//! replica killed with SIGKILL mid-intake loses and duplicates nothing.

mod common;

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use common::postgres::PgCluster;
use common::*;
use ed25519_dalek::SigningKey;
use lapak_kiosk::packet::SealedPacket;
use lapak_kiosk::sync::signing::{Request, sign};
use lapak_kiosk::sync::{CentralClient, ClaimQueue, drain_now};
use reqwest::blocking::Client;
use sha2::{Digest as _, Sha256};

/// A cluster with an empty database `central`, and its URL.
fn cluster() -> (PgCluster, String) {
    let cluster = PgCluster::start().expect("a PostgreSQL cluster starts");
    let url = cluster
        .create_database("central")
        .expect("the database is created");
    (cluster, url)
}

/// Rows and distinct claim ids in `claims`, in one statement.
fn claim_counts(cluster: &PgCluster) -> (i64, i64) {
    let line = cluster
        .psql(
            "central",
            "SELECT COUNT(*) || ',' || COUNT(DISTINCT claim_id) FROM claims",
        )
        .expect("count claims");
    let (rows, distinct) = line.split_once(',').expect("two counts");
    (
        rows.parse().expect("a count"),
        distinct.parse().expect("a count"),
    )
}

/// One signed `POST /v1/claims` of a sealed packet, sent as is (the same bytes can be sent again: a replay).
struct SignedPost {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl SignedPost {
    fn new(
        kiosk: &str,
        key: &SigningKey,
        claim_id: uuid::Uuid,
        sealed: &SealedPacket,
        at: i64,
    ) -> Self {
        let packet_signature =
            base64::engine::general_purpose::STANDARD.encode(sealed.signature.to_bytes());
        let body = sealed.ciphertext.to_vec();
        let signed = sign(
            key,
            kiosk,
            &Request {
                method: "POST",
                path: "/v1/claims",
                timestamp: at,
                idempotency_key: &claim_id.to_string(),
                body: &body,
                packet_signature: Some(&packet_signature),
            },
        );
        let headers = signed
            .pairs()
            .into_iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect();
        SignedPost { headers, body }
    }

    /// Sends it to `url`; returns the status, the Retry-After header and the JSON body.
    fn send(&self, url: &str) -> (u16, Option<String>, serde_json::Value) {
        let mut request = Client::new()
            .post(format!("{url}v1/claims"))
            .timeout(Duration::from_secs(30))
            .header("content-type", "application/octet-stream");
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        let response = request.body(self.body.clone()).send().expect("answered");
        let status = response.status().as_u16();
        let retry = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        (
            status,
            retry,
            response.json().unwrap_or(serde_json::Value::Null),
        )
    }
}

#[test]
fn claims_drain_from_a_kiosk_outbox_to_central_on_postgres_once() {
    let (cluster, url) = cluster();
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central =
        Central::setup_with_database(&tmp.path().join("central"), &url, &fleet_token_config());
    let key = kiosk_key(1);
    central.add_kiosk("K001", &key);
    assert!(central.cli(&["kiosk", "list"]).contains("K001\tnumber 1"));
    central.start();

    let outbox = outbox(&tmp.path().join("kiosk"), &key);
    let manifests = submit_claims(&outbox, 1, 3, "K001", &key, &central.recipient, 100_000);
    let client = CentralClient::new(&sync_config(&central.url()), credentials("K001", &key))
        .expect("client");
    let summary = drain_now(&client, &outbox, 3, &mut |_| {}).expect("drain");
    assert_eq!((summary.delivered, summary.held), (3, 0), "{summary:?}");
    assert_eq!(claim_counts(&cluster), (3, 3));
    assert_eq!(
        ClaimQueue::depth(&outbox, chrono::Utc::now())
            .expect("depth")
            .pending,
        0
    );

    // The packet exported from PostgreSQL is the one whose hash was stored at intake.
    let reference = manifests[1].reference.digits();
    let file = tmp.path().join("claim.tar.age");
    central.cli(&[
        "claim",
        "export",
        reference,
        "--out",
        file.to_str().expect("utf-8"),
    ]);
    let exported = hex::encode(Sha256::digest(
        std::fs::read(&file).expect("exported packet"),
    ));
    let stored = cluster
        .psql(
            "central",
            &format!("SELECT body_sha256 FROM claims WHERE reference = '{reference}'"),
        )
        .expect("stored hash");
    assert_eq!(exported, stored);

    // The fleet view counts them; after a restart everything is still there.
    let fleet: serde_json::Value = fleet_get(&central.url(), "v1/fleet").json().expect("json");
    assert_eq!(fleet["kiosks"][0]["claims_received"], 3, "{fleet}");
    central.stop();
    central.start();
    let fleet: serde_json::Value = fleet_get(&central.url(), "v1/fleet").json().expect("json");
    assert_eq!(fleet["kiosks"][0]["claims_received"], 3, "{fleet}");
}

#[test]
fn a_wrong_database_url_or_an_unreachable_server_stops_the_start_naming_the_key() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let unused = free_port();
    let central = Central::setup_with_database(
        &tmp.path().join("down"),
        &format!("postgres://lapak@127.0.0.1:{unused}/central"),
        "",
    );
    let out = std::process::Command::new(CENTRAL)
        .arg("--config")
        .arg(&central.config)
        .arg("serve")
        .output()
        .expect("run serve");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "served without a database");
    assert!(
        stderr.contains("central.toml: database") && stderr.contains("connecting to the database"),
        "{stderr}"
    );

    let bad = tmp.path().join("bad.toml");
    std::fs::write(
        &bad,
        "database = \"postgres://lapak@127.0.0.1:notaport/central\"\n",
    )
    .expect("write config");
    let out = std::process::Command::new(CENTRAL)
        .arg("--config")
        .arg(&bad)
        .args(["kiosk", "list"])
        .output()
        .expect("run kiosk list");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("bad.toml: database: not a usable PostgreSQL URL"),
        "{stderr}"
    );
}

#[test]
fn a_database_gone_at_run_time_answers_503_with_retry_after_and_the_claim_arrives_later() {
    let (cluster, url) = cluster();
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup_with_database(&tmp.path().join("central"), &url, "");
    let key = kiosk_key(1);
    central.add_kiosk("K001", &key);
    central.start();
    let (manifest, sealed) = sealed_claim(1, "K001", &key, &central.recipient, 50_000);
    let now = chrono::Utc::now().timestamp();

    cluster.stop().expect("the database goes away");
    let (status, retry, body) =
        SignedPost::new("K001", &key, manifest.claim_id, &sealed, now).send(&central.url());
    assert_eq!(
        (status, body["error"].as_str()),
        (503, Some("storage_unavailable"))
    );
    assert!(retry.is_some_and(|s| s.parse::<u64>().is_ok_and(|s| s > 0)));

    cluster.start_again().expect("the database is back");
    let stored = wait_until(Duration::from_secs(30), || {
        SignedPost::new(
            "K001",
            &key,
            manifest.claim_id,
            &sealed,
            chrono::Utc::now().timestamp(),
        )
        .send(&central.url())
        .0 == 201
    });
    assert!(
        stored,
        "the claim was not stored once the database was back"
    );
    assert_eq!(claim_counts(&cluster), (1, 1));
}

#[test]
fn two_replicas_on_one_database_answer_a_retry_as_a_repeat_and_refuse_a_replay() {
    let (cluster, url) = cluster();
    let tmp = tempfile::tempdir().expect("tempdir");
    let token = fleet_token_config();
    let mut one = Central::setup_with_database(&tmp.path().join("one"), &url, &token);
    let mut two = one.replica(&tmp.path().join("two"), &url, &token);
    let key = kiosk_key(1);
    one.add_kiosk("K001", &key);
    one.start();
    two.start();

    let (manifest, sealed) = sealed_claim(1, "K001", &key, &one.recipient, 50_000);
    let now = chrono::Utc::now().timestamp();
    let first = SignedPost::new("K001", &key, manifest.claim_id, &sealed, now);
    let (status, _, receipt) = first.send(&one.url());
    assert_eq!(status, 201, "{receipt}");
    // The same request replayed to the other replica is refused.
    let (status, _, refused) = first.send(&two.url());
    assert_eq!((status, refused["error"].as_str()), (401, Some("replayed")));
    // The kiosk's retry (a new signature) to the other replica is a repeat with the same receipt.
    let retry = SignedPost::new("K001", &key, manifest.claim_id, &sealed, now + 1);
    let (status, _, again) = retry.send(&two.url());
    assert_eq!((status, &again), (200, &receipt));
    assert_eq!(claim_counts(&cluster), (1, 1));
    // Both replicas show the same fleet.
    for replica in [&one, &two] {
        let fleet: serde_json::Value = fleet_get(&replica.url(), "v1/fleet").json().expect("json");
        assert_eq!(fleet["kiosks"][0]["claims_received"], 1, "{fleet}");
    }
}

#[test]
fn a_replica_killed_mid_intake_loses_and_duplicates_nothing() {
    let (cluster, url) = cluster();
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut one = Central::setup_with_database(&tmp.path().join("one"), &url, "");
    let mut two = one.replica(&tmp.path().join("two"), &url, "");
    let key = kiosk_key(1);
    one.add_kiosk("K001", &key);
    one.start();
    two.start();

    let total = 30;
    let outbox = Arc::new(outbox(&tmp.path().join("kiosk"), &key));
    submit_claims(&outbox, 1, total, "K001", &key, &one.recipient, 100_000);
    let draining = {
        let outbox = Arc::clone(&outbox);
        let client = CentralClient::new(&sync_config(&one.url()), credentials("K001", &key))
            .expect("client");
        std::thread::spawn(move || drain_now(&client, outbox.as_ref(), 3, &mut |_| {}))
    };
    assert!(
        wait_until(Duration::from_secs(60), || claim_counts(&cluster).0 >= 5),
        "replica one stored nothing"
    );
    one.kill();
    let first = draining.join().expect("the drain thread ends");
    assert!(
        claim_counts(&cluster).0 < total as i64,
        "replica one was killed after intake ended: {first:?}"
    );

    // The kiosk goes on with replica two until its outbox is empty.
    let client =
        CentralClient::new(&sync_config(&two.url()), credentials("K001", &key)).expect("client");
    let emptied = wait_until(Duration::from_secs(90), || {
        let _ = drain_now(&client, outbox.as_ref(), 3, &mut |_| {});
        ClaimQueue::depth(outbox.as_ref(), chrono::Utc::now())
            .map(|d| d.pending == 0)
            .unwrap_or(false)
    });
    assert!(emptied, "the outbox did not drain to replica two");
    assert_eq!(claim_counts(&cluster), (total as i64, total as i64));
}
