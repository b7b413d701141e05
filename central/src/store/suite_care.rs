//! The remote care tables' part of the store suite, run against both engines like [`super::suite`].

use chrono::Utc;

use super::{Store, StoreError};

// The same two runs per case as the main suite: on SQLite and on a throwaway PostgreSQL cluster.
use super::suite::{cluster, on_both};

type TestResult = Result<(), Box<dyn std::error::Error>>;
type Open<'a> = &'a (dyn Fn() -> Result<Store, StoreError> + Sync);

on_both!(
    pushed_configurations_take_increasing_versions_and_a_kiosk_gets_its_own_or_its_groups_newest,
    a_diagnostics_request_waits_until_its_kiosk_uploads_the_bundle_once,
    a_withdrawn_version_is_listed_once_with_its_newest_reason,
);

fn pushed_configurations_take_increasing_versions_and_a_kiosk_gets_its_own_or_its_groups_newest(
    open: Open<'_>,
) -> TestResult {
    let store = open()?;
    let now = Utc::now();
    store.add_kiosk("K1", 1, "key1", now)?;
    store.add_kiosk("K2", 2, "key2", now)?;
    assert_eq!(store.config_for("K1")?, None);
    assert!(store.join_group("K1", "jakarta")?);
    assert!(
        store.join_group("K1", "jakarta")?,
        "joining twice is harmless"
    );
    assert!(!store.join_group("K9", "jakarta")?);
    assert_eq!(store.group_members("jakarta")?, vec!["K1".to_owned()]);
    let sign = |v: u64| format!("sig{v}");
    assert_eq!(store.push_config("kiosk:K1", "a = 1", &sign, now)?, 1);
    assert_eq!(store.push_config("group:jakarta", "b = 2", &sign, now)?, 2);
    assert_eq!(store.push_config("kiosk:K2", "c = 3", &sign, now)?, 3);
    let k1 = store.config_for("K1")?.ok_or("K1 has a configuration")?;
    assert_eq!(
        (
            k1.version,
            k1.target.as_str(),
            k1.toml.as_str(),
            k1.signature.as_str()
        ),
        (2, "group:jakarta", "b = 2", "sig2")
    );
    assert_eq!(store.config_for("K2")?.map(|c| c.version), Some(3));
    drop(store);
    let again = open()?;
    assert_eq!(again.push_config("kiosk:K1", "d = 4", &sign, now)?, 4);
    assert_eq!(again.config_for("K1")?.map(|c| c.version), Some(4));
    Ok(())
}

fn a_diagnostics_request_waits_until_its_kiosk_uploads_the_bundle_once(
    open: Open<'_>,
) -> TestResult {
    let store = open()?;
    let now = Utc::now();
    store.add_kiosk("K1", 1, "key1", now)?;
    store.add_kiosk("K2", 2, "key2", now)?;
    assert_eq!(store.pending_diagnostics("K1")?, None);
    store.request_diagnostics("K1", "r1", now)?;
    assert_eq!(store.pending_diagnostics("K1")?.as_deref(), Some("r1"));
    assert_eq!(store.pending_diagnostics("K2")?, None);
    assert!(!store.store_diagnostics("K2", "r1", "{}", now)?, "not K2's");
    assert!(store.store_diagnostics("K1", "r1", "{\"x\":1}", now)?);
    assert!(
        !store.store_diagnostics("K1", "r1", "{}", now)?,
        "only once"
    );
    assert_eq!(store.pending_diagnostics("K1")?, None);
    let row = store.diagnostics("r1")?.ok_or("stored")?;
    assert_eq!(row.kiosk_id, "K1");
    assert_eq!(row.bundle.as_deref(), Some("{\"x\":1}"));
    assert!(row.uploaded_at.is_some());
    assert_eq!(store.diagnostics("nope")?, None);
    Ok(())
}

fn a_withdrawn_version_is_listed_once_with_its_newest_reason(open: Open<'_>) -> TestResult {
    let store = open()?;
    let now = Utc::now();
    assert!(store.withdrawn_versions()?.is_empty());
    store.withdraw_version("0.1.0", "prints no QR", now)?;
    store.withdraw_version("0.1.0", "prints no QR code", now)?;
    store.withdraw_version("0.0.9", "old", now)?;
    let list = store.withdrawn_versions()?;
    assert_eq!(
        list.iter()
            .map(|w| (w.version.as_str(), w.reason.as_str()))
            .collect::<Vec<_>>(),
        vec![("0.0.9", "old"), ("0.1.0", "prints no QR code")]
    );
    Ok(())
}
