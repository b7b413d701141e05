//! Probing the status check: a scripted guesser on a kiosk, cycling NIKs that encode every birth date of one
//! year against one reference, gets 429 long before it covers the year and never the claim; requests sent
//! all at once do not slip past the limit; the rightful participant of another reference is unaffected.

mod common;

use chrono::{Datelike as _, NaiveDate};
use common::*;
use lapak_kiosk::sync::client::RequestBody;
use lapak_kiosk::sync::{CentralClient, drain_now};

/// Failed proofs allowed per reference (the shipped default).
const FAILURES: usize = 5;

/// Asks for `reference` (any text, as a prober would send it) with `nik`; returns the HTTP status and the
/// `Retry-After` seconds.
fn ask(client: &CentralClient, reference: &str, nik: &str) -> (u16, Option<u64>) {
    let body = serde_json::to_vec(&serde_json::json!({ "reference": reference, "nik": nik }))
        .expect("json");
    let response = client
        .post(
            "v1/claims/status",
            &uuid::Uuid::new_v4().to_string(),
            RequestBody::Json(body),
        )
        .expect("answered");
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    (response.status().as_u16(), retry_after)
}

/// The NIK of the fixture's claim `n` with its birth date replaced by `date` (DDMMYY at digits 7-12).
fn nik_born_on(n: u64, date: NaiveDate) -> String {
    let real = nik(n);
    format!(
        "{}{:02}{:02}{:02}{}",
        &real[..6],
        date.day(),
        date.month(),
        date.year() % 100,
        &real[12..]
    )
}

#[test]
fn a_guesser_cycling_birth_dates_gets_429_long_before_covering_a_year() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(
        &tmp.path().join("central"),
        &format!(
            "status_failures_per_reference = {FAILURES}\nstatus_requests_per_kiosk_per_minute = 1000"
        ),
    );
    let office = kiosk_key(2);
    central.add_kiosk("K001", &kiosk_key(1));
    central.add_kiosk("K002", &office);
    central.add_kiosk("K003", &kiosk_key(3));
    central.start();
    let client = |id: &str, k: u8| {
        CentralClient::new(&sync_config(&central.url()), credentials(id, &kiosk_key(k)))
            .expect("client")
    };

    // Three participants' claims, delivered from the office kiosk.
    let outbox = outbox(&tmp.path().join("kiosk"), &office);
    let claims = submit_claims(&outbox, 1, 3, "K002", &office, &central.recipient, 5_000);
    let summary = drain_now(&client("K002", 2), &outbox, 3, &mut |_| {}).expect("drain");
    assert_eq!(summary.delivered, 3, "{summary:?}");
    let (victim, rightful, raced) = (&claims[0], &claims[1], &claims[2]);
    let born = victim.fields.date_of_birth.expect("birth date");
    assert_eq!(
        nik_born_on(1, born),
        victim.fields.nik,
        "the guesses cover the victim's real NIK"
    );

    // The guesser: every birth date of the victim's year, in order, against the victim's reference.
    let guesser = client("K001", 1);
    let year: Vec<NaiveDate> = NaiveDate::from_ymd_opt(born.year(), 1, 1)
        .expect("1 January")
        .iter_days()
        .take(365)
        .collect();
    let mut answers = Vec::new();
    for day in &year {
        answers.push(ask(
            &guesser,
            victim.reference.digits(),
            &nik_born_on(1, *day),
        ));
    }
    let not_429 = answers.iter().filter(|(code, _)| *code != 429).count();
    assert_eq!(not_429, FAILURES, "{answers:?}");
    assert!(
        answers.iter().all(|(code, _)| *code == 404 || *code == 429),
        "the guesser never sees the claim: {answers:?}"
    );
    let first_429 = answers
        .iter()
        .position(|(code, _)| *code == 429)
        .expect("a 429");
    assert_eq!(first_429, FAILURES);
    assert!(
        year.iter().position(|d| *d == born).expect("in the year") > first_429,
        "the guesser was stopped before reaching the real birth date"
    );
    let (_, retry_after) = answers[first_429];
    let retry_after = retry_after.expect("429 carries Retry-After");
    assert!(
        retry_after > 3_000 && retry_after <= 3_601,
        "until the first failure is an hour old: {retry_after}"
    );

    // The reference stays closed for now, even with the right NIK from another kiosk.
    let office_client = client("K002", 2);
    assert_eq!(
        ask(
            &office_client,
            victim.reference.digits(),
            &victim.fields.nik
        )
        .0,
        429
    );
    // The rightful participant of another reference is unaffected, on the guesser's kiosk too.
    assert_eq!(
        ask(
            &office_client,
            rightful.reference.digits(),
            &rightful.fields.nik
        )
        .0,
        200
    );
    assert_eq!(
        ask(&guesser, rightful.reference.digits(), &rightful.fields.nik).0,
        200
    );

    // Twenty guesses sent at the same moment from another kiosk: no more than the limit are checked.
    let racer = client("K003", 3);
    let codes: Vec<u16> = std::thread::scope(|scope| {
        let handles: Vec<_> = year[100..120]
            .iter()
            .map(|day| {
                let racer = racer.clone();
                let reference = raced.reference.digits().to_owned();
                scope.spawn(move || ask(&racer, &reference, &nik_born_on(3, *day)).0)
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("guess thread"))
            .collect()
    });
    let checked = codes.iter().filter(|code| **code != 429).count();
    assert!(
        checked <= FAILURES && codes.iter().all(|c| *c == 404 || *c == 429),
        "{codes:?}"
    );
    central.stop();
}

#[test]
fn a_kiosk_asking_past_its_allowance_gets_429_with_retry_after() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(
        &tmp.path().join("central"),
        "status_requests_per_kiosk_per_minute = 10",
    );
    central.add_kiosk("K001", &kiosk_key(1));
    central.add_kiosk("K002", &kiosk_key(2));
    central.start();
    let client = |id: &str, k: u8| {
        CentralClient::new(&sync_config(&central.url()), credentials(id, &kiosk_key(k)))
            .expect("client")
    };
    let busy = client("K001", 1);
    // A different reference each time: only the kiosk's allowance can stop these.
    let answers: Vec<(u16, Option<u64>)> = (0..15)
        .map(|i| ask(&busy, &format!("9{i:08}"), &nik(i)))
        .collect();
    let codes: Vec<u16> = answers.iter().map(|(code, _)| *code).collect();
    assert_eq!(&codes[..10], &[404; 10], "{codes:?}");
    assert_eq!(&codes[10..], &[429; 5], "{codes:?}");
    let retry_after = answers[10].1.expect("Retry-After");
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    // Another kiosk is not held back.
    assert_eq!(ask(&client("K002", 2), "900000001", &nik(1)).0, 404);
    central.stop();
}
