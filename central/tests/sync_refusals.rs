//! Refusals that are not about the claim never stop it: a fault proxy on loopback answers, in phases, the real
//! 401 `unknown_kiosk` of a lapak-central that does not know the kiosk, a proxy's 403, 404, 407 and 413, and a
//! captive portal's login page (200 text/html, then a 302 to it); then it passes requests through. Every claim
//! is delivered exactly once afterwards, none is held, and the delivery alert is raised during the faults (on
//! the uploader's status and, through the heartbeat, on the fleet page) and cleared after. The README's own
//! sequence (claims taken before `kiosk add`) delivers everything. A claim-level refusal holds the claim;
//! `requeue` sends it again and it is held again, never lost.

mod common;

use std::io::Write as _;
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::raw_http::{forward, read_message};
use common::*;
use lapak_kiosk::outbox::{ClaimFilter, ClaimState, NewClaim};
use lapak_kiosk::sync::api::DeviceHealth;
use lapak_kiosk::sync::heartbeat::{HeartbeatSources, HeartbeatWorker};
use lapak_kiosk::sync::uploader::Uploader;
use lapak_kiosk::sync::{CentralClient, drain_now};

/// One fault phase of the proxy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Forward to a real lapak-central that does not know the kiosk: its own 401 `unknown_kiosk`.
    NotRegistered,
    Forbidden,
    NotFound,
    ProxyAuthentication,
    TooLarge,
    PortalPage,
    PortalRedirect,
    /// Forward to the real service that knows the kiosk.
    Pass,
}

const FAULTS: [Phase; 7] = [
    Phase::NotRegistered,
    Phase::Forbidden,
    Phase::NotFound,
    Phase::ProxyAuthentication,
    Phase::TooLarge,
    Phase::PortalPage,
    Phase::PortalRedirect,
];

/// Requests each fault phase answers before the next one starts (the last one lasts until released).
const PER_PHASE: usize = 4;

const PORTAL: &str = "<!DOCTYPE html><html><head><title>WiFi Desa - Login</title></head><body>\
    <form method=\"post\" action=\"/login\"><input name=\"voucher\"><button>Masuk</button></form></body></html>";

fn http(status: &str, headers: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\n{headers}content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

fn answer(phase: Phase) -> Option<String> {
    let html = "content-type: text/html\r\n";
    Some(match phase {
        Phase::Forbidden => http(
            "403 Forbidden",
            html,
            "<html><body><h1>403 Forbidden</h1>Request blocked by the web application firewall.</body></html>",
        ),
        Phase::NotFound => http(
            "404 Not Found",
            html,
            "<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center>\
             <hr><center>nginx</center></body></html>",
        ),
        Phase::ProxyAuthentication => http(
            "407 Proxy Authentication Required",
            "proxy-authenticate: Basic realm=\"kantor\"\r\ncontent-type: text/html\r\n",
            "<html><body>Proxy authentication required</body></html>",
        ),
        Phase::TooLarge => http(
            "413 Request Entity Too Large",
            html,
            "<html><head><title>413 Request Entity Too Large</title></head><body><center>\
             <h1>413 Request Entity Too Large</h1></center><hr><center>nginx</center></body></html>",
        ),
        Phase::PortalPage => http("200 OK", html, PORTAL),
        Phase::PortalRedirect => http(
            "302 Found",
            "location: http://127.0.0.1:9/login?next=%2Fv1%2Fclaims\r\ncontent-type: text/html\r\n",
            PORTAL,
        ),
        Phase::NotRegistered | Phase::Pass => return None,
    })
}

/// The fault proxy: counts requests per phase, moves through [`FAULTS`], and passes everything once released.
struct Proxy {
    port: u16,
    release: Arc<AtomicBool>,
    seen: Arc<Mutex<Vec<Phase>>>,
}

impl Proxy {
    fn start(known: u16, unknown: u16) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("proxy");
        let port = listener.local_addr().expect("address").port();
        let release = Arc::new(AtomicBool::new(false));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let index = Arc::new(AtomicUsize::new(0));
        {
            let (release, seen) = (release.clone(), seen.clone());
            std::thread::spawn(move || {
                for stream in listener.incoming().flatten() {
                    let n = index.fetch_add(1, Ordering::SeqCst);
                    let current = if release.load(Ordering::SeqCst) {
                        Phase::Pass
                    } else {
                        FAULTS[(n / PER_PHASE).min(FAULTS.len() - 1)]
                    };
                    seen.lock().expect("seen").push(current);
                    std::thread::spawn(move || serve(stream, current, known, unknown));
                }
            });
        }
        Proxy {
            port,
            release,
            seen,
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// How many requests `phase` has answered.
    fn served(&self, phase: Phase) -> usize {
        self.seen
            .lock()
            .expect("seen")
            .iter()
            .filter(|p| **p == phase)
            .count()
    }
}

fn serve(mut client: TcpStream, phase: Phase, known: u16, unknown: u16) {
    let _ = client.set_read_timeout(Some(Duration::from_secs(10)));
    let Some(request) = read_message(&mut client) else {
        return;
    };
    let reply = match (phase, answer(phase)) {
        (_, Some(text)) => Some(text.into_bytes()),
        (Phase::NotRegistered, None) => forward(unknown, &request),
        (_, None) => forward(known, &request),
    };
    if let Some(reply) = reply {
        let _ = client.write_all(&reply);
    }
    let _ = client.shutdown(std::net::Shutdown::Both);
}

fn fleet_alerts(central: &Central, kiosk: &str) -> Vec<String> {
    let fleet: serde_json::Value = fleet_get(&central.url(), "v1/fleet")
        .json()
        .expect("fleet json");
    fleet["kiosks"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|k| k["id"] == kiosk)
        .flat_map(|k| k["alerts"].as_array().cloned().unwrap_or_default())
        .filter_map(|a| a.as_str().map(str::to_owned))
        .collect()
}

#[test]
fn proxy_portal_and_unknown_kiosk_refusals_deliver_every_claim_once_hold_none_and_raise_then_clear_the_alert()
 {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(&tmp.path().join("central"), &fleet_token_config());
    let key = kiosk_key(3);
    central.add_kiosk("K003", &key);
    central.start();
    // A second real service that has never heard of the kiosk: its 401 is the real one.
    let mut stranger = Central::setup(&tmp.path().join("stranger"), "");
    stranger.start();
    let proxy = Proxy::start(central.port, stranger.port);

    let outbox = Arc::new(outbox(&tmp.path().join("kiosk"), &key));
    let claims = 6;
    submit_claims(&outbox, 1, claims, "K003", &key, &central.recipient, 20_000);
    let mut config = sync_config(&proxy.url());
    config.backoff_base_ms = 20;
    config.backoff_cap_secs = 1;
    config.alert_after_attempts = 3;
    let client = CentralClient::new(&config, credentials("K003", &key)).expect("client");
    let errors = Arc::new(Mutex::new(Vec::<String>::new()));
    let uploader = {
        let errors = errors.clone();
        Arc::new(
            Uploader::spawn(
                client,
                outbox.clone(),
                Box::new(move |event| {
                    if let lapak_kiosk::sync::uploader::UploadEvent::Retrying { error, .. } = event
                    {
                        errors.lock().expect("errors").push(error.clone());
                    }
                }),
            )
            .expect("uploader"),
        )
    };
    // The heartbeat goes straight to the service, carrying the uploader's alert to the fleet page.
    let direct = CentralClient::new(&sync_config(&central.url()), credentials("K003", &key))
        .expect("direct client");
    let beat_uploader = uploader.clone();
    let heartbeat = HeartbeatWorker::spawn(
        direct,
        HeartbeatSources {
            devices: Box::new(DeviceHealth::default),
            last_upload_error: Box::new(|| None),
            delivery_alert: Box::new(move || beat_uploader.status().alert),
            queue: outbox.clone(),
            data_dir: tmp.path().join("kiosk"),
            care: None,
        },
    )
    .expect("heartbeat");

    // Every fault phase is served, and the alert is raised, while nothing gets through.
    let raised = wait_until(Duration::from_secs(90), || {
        proxy.served(Phase::PortalRedirect) >= PER_PHASE && uploader.status().alert.is_some()
    });
    let status = uploader.status();
    assert!(raised, "the alert was not raised: {status:?}");
    let alert = status.alert.clone().expect("alert");
    assert!(alert.attempts >= 3, "{alert:?}");
    assert_eq!(central.claim_count(), 0, "nothing passed the faults");
    assert!(
        wait_until(Duration::from_secs(10), || fleet_alerts(&central, "K003")
            .contains(&"delivery_failing".to_owned())),
        "the fleet page shows the delivery alert: {:?}",
        fleet_alerts(&central, "K003")
    );
    proxy.release.store(true, Ordering::SeqCst);

    let done = wait_until(Duration::from_secs(60), || {
        uploader.status().delivered >= claims
    });
    let status = uploader.status();
    assert!(done, "not every claim was delivered: {status:?}");
    assert_eq!(status.held, 0, "no claim may be held: {status:?}");
    assert_eq!(
        status.alert, None,
        "the alert clears once all are delivered"
    );
    assert_eq!(central.claim_counts(), (claims as i64, claims as i64));
    let stats = outbox.stats(chrono::Utc::now()).expect("stats");
    assert_eq!((stats.delivered, stats.pending, stats.held), (claims, 0, 0));
    assert!(
        wait_until(Duration::from_secs(10), || !fleet_alerts(&central, "K003")
            .contains(&"delivery_failing".to_owned())),
        "the fleet page clears the alert: {:?}",
        fleet_alerts(&central, "K003")
    );
    heartbeat.stop();
    drop(uploader);

    // Each phase answered the kiosk, and the kiosk read each answer for what it is.
    for phase in FAULTS {
        assert!(
            proxy.served(phase) >= PER_PHASE,
            "{phase:?} served fewer than {PER_PHASE} requests"
        );
    }
    let errors = errors.lock().expect("errors").join("\n");
    for expected in [
        "401: unknown_kiosk",
        "403: <html>",
        "404: <html>",
        "407: <html>",
        "413: <html>",
        "unreadable receipt (200)",
        "302: <!DOCTYPE html>",
    ] {
        assert!(
            errors.contains(expected),
            "no error {expected:?} in:\n{errors}"
        );
    }
    central.stop();
    stranger.stop();
}

#[test]
fn claims_taken_before_kiosk_add_are_all_delivered_once_it_is_registered() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(&tmp.path().join("central"), "");
    central.start();
    let key = kiosk_key(4);
    let outbox = Arc::new(outbox(&tmp.path().join("kiosk"), &key));
    let claims = 5;
    submit_claims(&outbox, 1, claims, "K004", &key, &central.recipient, 20_000);
    let client = CentralClient::new(&sync_config(&central.url()), credentials("K004", &key))
        .expect("client");
    let uploader = Uploader::spawn(client, outbox.clone(), Box::new(|_| {})).expect("uploader");

    // The real service refuses the unregistered kiosk again and again; nothing is held.
    let refused = wait_until(Duration::from_secs(30), || {
        let s = uploader.status();
        s.failures_in_a_row >= 3
            && s.last_error
                .as_deref()
                .is_some_and(|e| e.contains("unknown_kiosk"))
    });
    assert!(refused, "{:?}", uploader.status());
    assert_eq!(outbox.stats(chrono::Utc::now()).expect("stats").held, 0);

    central.add_kiosk("K004", &key);
    let done = wait_until(Duration::from_secs(30), || {
        uploader.status().delivered >= claims
    });
    let status = uploader.status();
    uploader.stop();
    assert!(done, "{status:?}");
    assert_eq!(status.held, 0);
    assert_eq!(central.claim_counts(), (claims as i64, claims as i64));
    let stats = outbox.stats(chrono::Utc::now()).expect("stats");
    assert_eq!((stats.delivered, stats.pending, stats.held), (claims, 0, 0));
    central.stop();
}

#[test]
fn a_claim_sealed_to_the_wrong_recipient_is_held_requeued_and_held_again_never_deleted() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(&tmp.path().join("central"), "");
    let key = kiosk_key(5);
    central.add_kiosk("K005", &key);
    central.start();
    let outbox = outbox(&tmp.path().join("kiosk"), &key);
    submit_claims(&outbox, 1, 1, "K005", &key, &central.recipient, 20_000);
    let stranger = age::x25519::Identity::generate().to_public();
    let (wrong, sealed) = sealed_claim(2, "K005", &key, &stranger, 20_000);
    outbox
        .submit(NewClaim {
            claim_id: wrong.claim_id,
            reference: &wrong.reference,
            created_at: wrong.created_at,
            nik: &wrong.fields.nik,
            test: true,
            sealed: &sealed,
        })
        .expect("submit");
    let client = CentralClient::new(&sync_config(&central.url()), credentials("K005", &key))
        .expect("client");

    let summary = drain_now(&client, &outbox, 3, &mut |_| {}).expect("drain");
    assert_eq!((summary.delivered, summary.held), (1, 1));
    let held = outbox
        .lookup_by_reference(&wrong.reference)
        .expect("lookup")
        .expect("the held claim is kept");
    assert_eq!(held.state, ClaimState::Held);
    let reason = held.last_error.clone().unwrap_or_default();
    assert!(reason.contains("422 wrong_recipient"), "{reason}");

    // Sent again: refused again for the same reason, and still kept. (Sent within the same second as the
    // first try, the identical signed request is refused as `replayed`: a transient, retried until it is not.)
    outbox
        .requeue(&wrong.reference, chrono::Utc::now())
        .expect("requeue");
    let summary = drain_now(&client, &outbox, 20, &mut |_| {}).expect("drain");
    assert_eq!((summary.delivered, summary.held), (0, 1), "{summary:?}");
    let again = outbox
        .lookup_by_reference(&wrong.reference)
        .expect("lookup")
        .expect("still kept");
    assert_eq!(again.state, ClaimState::Held);
    assert!(again.attempts >= 2, "{again:?}");
    assert_eq!(again.claim_id, wrong.claim_id);
    let held_list = outbox
        .list(&ClaimFilter {
            state: Some(ClaimState::Held),
            limit: 10,
        })
        .expect("list");
    assert_eq!(held_list.len(), 1);
    // The packet itself is unchanged: it can still be exported for the central operator.
    let exported = outbox
        .export(&tmp.path().join("usb"), "K005", chrono::Utc::now())
        .expect("export");
    assert_eq!(exported.count, 1);
    assert_eq!(
        std::fs::read(
            exported
                .folder
                .join(format!("{}.tar.age", wrong.reference.digits()))
        )
        .expect("exported packet"),
        sealed.ciphertext
    );
    assert_eq!(central.claim_counts(), (1, 1));
    central.stop();
}
