//! The fleet view under load: it needs the staff token, and with 1,000 claims in the database a client asking
//! for `/v1/fleet` up to 200 times a second while four kiosks deliver at once leaves every claim delivered
//! exactly once (how much it slows intake is measured by `cargo bench -p lapak-central --bench fleet_load`).
//! The token `lapak-central fleet-token` prints opens the view; without one configured it is closed.

mod common;

use common::fleet_load::*;
use common::*;

#[test]
fn fleet_requests_need_the_staff_token_and_every_claim_is_delivered_once_while_the_view_is_asked() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = loaded_central(&tmp.path().join("central"));
    let url = central.url();

    // Staff only: no token and a wrong token are refused (401, with a Basic challenge); the token opens it.
    let anonymous = reqwest::blocking::get(format!("{url}v1/fleet")).expect("answered");
    assert_eq!(anonymous.status().as_u16(), 401);
    assert!(anonymous.headers().contains_key("www-authenticate"));
    let page = reqwest::blocking::get(format!("{url}fleet")).expect("answered");
    assert_eq!(page.status().as_u16(), 401);
    let wrong = reqwest::blocking::Client::new()
        .get(format!("{url}v1/fleet"))
        .bearer_auth("not-the-token")
        .send()
        .expect("answered");
    assert_eq!(wrong.status().as_u16(), 401);
    let basic = reqwest::blocking::Client::new()
        .get(format!("{url}fleet"))
        .basic_auth("staff", Some(FLEET_TOKEN))
        .send()
        .expect("answered");
    assert_eq!(basic.status().as_u16(), 200);
    let fleet: serde_json::Value = fleet_get(&url, "v1/fleet").json().expect("json");
    let counted: u64 = fleet["kiosks"]
        .as_array()
        .expect("kiosks")
        .iter()
        .map(|k| k["claims_received"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(counted, STORED);

    // Four kiosks deliver while a client asks for the fleet view again and again: each round checks that
    // every claim of every kiosk is delivered, and the count below that none is stored twice.
    let hammer = Hammer::start(&url);
    let _ = round(&central, &tmp.path().join("hammered"), 200_000);
    let fleet_answers = hammer.stop();
    assert!(fleet_answers >= 10, "the fleet was asked: {fleet_answers}");
    assert_eq!(central.claim_count(), (STORED + PER_ROUND) as i64);
    central.stop();
}

#[test]
fn a_token_made_by_fleet_token_opens_the_fleet_view_and_none_keeps_it_closed() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = std::process::Command::new(CENTRAL)
        .arg("fleet-token")
        .output()
        .expect("run fleet-token");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let token = text
        .lines()
        .find_map(|l| l.strip_prefix("token: "))
        .expect("the token line")
        .to_owned();
    let config_line = text
        .lines()
        .find(|l| l.starts_with("fleet_token_sha256 = "))
        .expect("the central.toml line")
        .to_owned();
    assert!(token.len() >= 64, "a long random token: {token}");

    // Without a configured token the fleet routes do not exist, whatever is presented.
    let mut closed = Central::setup(&tmp.path().join("closed"), "");
    closed.start();
    let asked = reqwest::blocking::Client::new()
        .get(format!("{}v1/fleet", closed.url()))
        .bearer_auth(&token)
        .send()
        .expect("answered");
    assert_eq!(asked.status().as_u16(), 404);
    closed.stop();

    // With the printed line in central.toml, the printed token opens it; central.toml holds only the hash.
    let mut open = Central::setup(&tmp.path().join("open"), &config_line);
    open.start();
    let config = std::fs::read_to_string(&open.config).expect("config");
    assert!(!config.contains(&token));
    let asked = reqwest::blocking::Client::new()
        .get(format!("{}v1/fleet", open.url()))
        .bearer_auth(&token)
        .send()
        .expect("answered");
    assert_eq!(asked.status().as_u16(), 200);
    open.stop();
}
