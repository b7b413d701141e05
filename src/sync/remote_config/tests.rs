use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use ed25519_dalek::SigningKey;

use super::*;

const BASE: &str = "# the kiosk\n[kiosk]\n# where it stands\nlocation = \"Kantor A\"\n\n[storage]\ndata_dir = \"var/k\"\n";

/// A kiosk.toml in `dir` whose data folder is `dir/data`: returns its text.
fn write_kiosk_toml(dir: &Path) -> Result<String, std::io::Error> {
    let text = BASE.replace("var/k", &dir.join("data").display().to_string());
    std::fs::write(dir.join("kiosk.toml"), &text)?;
    Ok(text)
}

/// Where the kiosk in `dir` stands, as a load of its kiosk.toml sees it.
fn location(dir: &Path) -> Result<String, Box<dyn std::error::Error>> {
    Ok(KioskConfig::load(Some(&dir.join("kiosk.toml")))?
        .config
        .kiosk
        .location)
}

fn key() -> SigningKey {
    SigningKey::from_bytes(&[9u8; 32])
}

fn remote(version: u64, toml: &str) -> RemoteConfig {
    let target = "kiosk:K1";
    RemoteConfig {
        version,
        target: target.into(),
        toml: toml.into(),
        signature: lapak_core::care::sign_config(&key(), target, version, toml),
    }
}

fn care(dir: &Path, healthy: bool, applied: Arc<AtomicUsize>) -> RemoteCare {
    let public = lapak_core::signing::public_key_text(&key().verifying_key());
    RemoteCare::new(
        Some(dir.join("kiosk.toml")),
        &public,
        Box::new(move |_| {
            if healthy {
                Ok(())
            } else {
                Err("printer.port /dev/nowhere does not exist".into())
            }
        }),
        Box::new(move |_| {
            applied.fetch_add(1, Ordering::SeqCst);
        }),
    )
}

#[test]
fn merging_sets_the_pushed_keys_and_keeps_comments_and_other_keys() -> Result<(), String> {
    let merged = merge(
        BASE,
        "[kiosk]\nlocation = \"Kantor B\"\n[help]\nphone = \"021 555\"\n",
    )?;
    assert!(
        merged.contains("# where it stands\nlocation = \"Kantor B\""),
        "{merged}"
    );
    assert!(merged.contains("data_dir = \"var/k\""));
    assert!(merged.contains("phone = \"021 555\""));
    Ok(())
}

#[test]
fn a_valid_configuration_is_kept_under_the_data_folder_with_the_old_one_as_last_good_and_applied()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let base = write_kiosk_toml(dir.path())?;
    let applied = Arc::new(AtomicUsize::new(0));
    let care = care(dir.path(), true, applied.clone());
    care.apply_remote("K1", &remote(4, "[kiosk]\nlocation = \"Kantor B\"\n"))
        .map_err(|f| f.reason)?;
    assert_eq!(location(dir.path())?, "Kantor B");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("kiosk.toml"))?,
        base,
        "kiosk.toml itself is never written"
    );
    let files = ConfigFiles::new(dir.path().join("kiosk.toml"), &dir.path().join("data"));
    assert_eq!(std::fs::read_to_string(files.last_good())?, "");
    // A second version adds to the first: both keys are in force, the first one's overlay is the last good.
    care.apply_remote("K1", &remote(5, "[help]\nphone = \"021 555\"\n"))
        .map_err(|f| f.reason)?;
    let loaded = KioskConfig::load(Some(&dir.path().join("kiosk.toml")))?;
    assert_eq!(
        (
            loaded.config.kiosk.location.as_str(),
            loaded.config.help.phone.as_str()
        ),
        ("Kantor B", "021 555")
    );
    assert!(std::fs::read_to_string(files.last_good())?.contains("Kantor B"));
    assert_eq!(care.state().version, Some(5));
    assert_eq!(care.state().last_good_version, Some(4));
    assert_eq!(care.state().failed, None);
    assert_eq!(applied.load(Ordering::SeqCst), 2);
    Ok(())
}

#[test]
fn a_bad_signature_a_local_only_key_or_an_invalid_value_is_refused_and_nothing_is_written()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let base = write_kiosk_toml(dir.path())?;
    let applied = Arc::new(AtomicUsize::new(0));
    let care = care(dir.path(), true, applied.clone());
    let mut tampered = remote(2, "[kiosk]\nlocation = \"B\"\n");
    tampered.toml = "[kiosk]\nlocation = \"Evil\"\n".into();
    let refused = care.apply_remote("K1", &tampered).err().ok_or("refused")?;
    assert!(refused.reason.contains("signature"), "{}", refused.reason);
    let local = care
        .apply_remote(
            "K1",
            &remote(3, "[sync]\ncentral_url = \"https://evil.example\"\n"),
        )
        .err()
        .ok_or("refused")?;
    assert!(
        local.reason.contains("sync.central_url"),
        "{}",
        local.reason
    );
    let invalid = care
        .apply_remote("K1", &remote(5, "[storage]\nmax_pending = 0\n"))
        .err()
        .ok_or("refused")?;
    assert!(
        invalid.reason.contains("storage.max_pending"),
        "{}",
        invalid.reason
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("kiosk.toml"))?,
        base
    );
    assert_eq!(location(dir.path())?, "Kantor A");
    assert_eq!(care.state().failed.map(|f| f.version), Some(5));
    assert_eq!(care.state().version, None);
    assert_eq!(applied.load(Ordering::SeqCst), 0);
    Ok(())
}

#[test]
fn a_configuration_the_kiosk_is_unhealthy_with_is_rolled_back_to_the_last_good_file()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let base = write_kiosk_toml(dir.path())?;
    let applied = Arc::new(AtomicUsize::new(0));
    let care = care(dir.path(), false, applied.clone());
    let failure = care
        .apply_remote("K1", &remote(6, "[kiosk]\nlocation = \"B\"\n"))
        .err()
        .ok_or("rolled back")?;
    assert!(
        failure.reason.starts_with("not healthy after applying"),
        "{}",
        failure.reason
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("kiosk.toml"))?,
        base
    );
    assert_eq!(location(dir.path())?, "Kantor A");
    let state = care.state();
    assert_eq!(
        (state.version, state.failed.map(|f| f.version)),
        (None, Some(6))
    );
    assert_eq!(
        applied.load(Ordering::SeqCst),
        1,
        "the last good one is applied again"
    );
    Ok(())
}

#[test]
fn starts_without_confirmation_put_the_last_good_file_back_after_the_limit()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let config = dir.path().join("kiosk.toml");
    let base = write_kiosk_toml(dir.path())?;
    let applied = Arc::new(AtomicUsize::new(0));
    care(dir.path(), true, applied)
        .apply_remote("K1", &remote(7, "[kiosk]\nlocation = \"B\"\n"))
        .map_err(|f| f.reason)?;
    // Applied live counts as the first start; the kiosk then crashes and restarts.
    for _ in 1..MAX_UNCONFIRMED_STARTS {
        assert_eq!(note_start(&config), None);
    }
    let rolled = note_start(&config).ok_or("rolled back")?;
    assert!(rolled.contains("version 7"), "{rolled}");
    assert_eq!(std::fs::read_to_string(&config)?, base);
    assert_eq!(
        location(dir.path())?,
        "Kantor A",
        "kiosk.toml alone runs again"
    );
    let state = ConfigFiles::for_config(&config)?.state();
    assert_eq!(
        (state.version, state.failed.map(|f| f.version)),
        (None, Some(7))
    );
    assert_eq!(
        note_start(&config),
        None,
        "the local file runs: nothing counted"
    );
    Ok(())
}

#[test]
fn a_healthy_run_confirms_the_start() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let config = dir.path().join("kiosk.toml");
    write_kiosk_toml(dir.path())?;
    let care =
        care(dir.path(), true, Arc::new(AtomicUsize::new(0))).confirming_after(Duration::ZERO);
    care.apply_remote("K1", &remote(8, "[kiosk]\nlocation = \"B\"\n"))
        .map_err(|f| f.reason)?;
    assert_eq!(care.state().unconfirmed_starts, 1);
    care.confirm_if_healthy();
    assert_eq!(care.state().unconfirmed_starts, 0);
    for _ in 0..MAX_UNCONFIRMED_STARTS {
        assert_eq!(note_start(&config), None);
    }
    Ok(())
}

#[test]
fn a_configuration_applied_live_is_confirmed_only_after_running_healthy_with_it()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    write_kiosk_toml(dir.path())?;
    let care = care(dir.path(), true, Arc::new(AtomicUsize::new(0)))
        .confirming_after(Duration::from_millis(400));
    // The kiosk has run longer than the confirmation time when the configuration arrives.
    std::thread::sleep(Duration::from_millis(600));
    care.apply_remote("K1", &remote(9, "[kiosk]\nlocation = \"B\"\n"))
        .map_err(|f| f.reason)?;
    care.confirm_if_healthy();
    assert_eq!(care.state().unconfirmed_starts, 1, "not yet: just applied");
    std::thread::sleep(Duration::from_millis(600));
    care.confirm_if_healthy();
    assert_eq!(care.state().unconfirmed_starts, 0);
    Ok(())
}

#[test]
fn a_folder_the_kiosk_may_not_write_is_named_in_the_reason() {
    let denied = write_error(
        Path::new("/var/lib/lapak-kiosk/remote-config/applied.toml"),
        &std::io::Error::from(std::io::ErrorKind::ReadOnlyFilesystem),
    );
    assert!(
        denied
            .starts_with("the kiosk program may not write in /var/lib/lapak-kiosk/remote-config ("),
        "{denied}"
    );
    let other = write_error(
        Path::new("/k/kiosk.toml"),
        &std::io::Error::from(std::io::ErrorKind::StorageFull),
    );
    assert!(other.starts_with("cannot write /k/kiosk.toml: "), "{other}");
}

#[test]
fn a_refusal_that_cannot_be_saved_is_still_reported_and_nothing_is_written()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let base = write_kiosk_toml(dir.path())?;
    // Nothing can be written in the pushed configuration's folder (folders stand where the files would go).
    let files = ConfigFiles::for_config(&dir.path().join("kiosk.toml"))?;
    std::fs::create_dir_all(files.last_good())?;
    std::fs::create_dir_all(files.state_file())?;
    let applied = Arc::new(AtomicUsize::new(0));
    let care = care(dir.path(), true, applied.clone());
    let failure = care
        .apply_remote("K1", &remote(5, "[kiosk]\nlocation = \"B\"\n"))
        .err()
        .ok_or("refused")?;
    assert!(
        failure.reason.starts_with("cannot write "),
        "{}",
        failure.reason
    );
    assert_eq!(care.state().failed, Some(failure), "reported from memory");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("kiosk.toml"))?,
        base
    );
    assert_eq!(location(dir.path())?, "Kantor A");
    assert_eq!(applied.load(Ordering::SeqCst), 0);

    let embedded = RemoteCare::new(
        None,
        &lapak_core::signing::public_key_text(&key().verifying_key()),
        Box::new(|_| Ok(())),
        Box::new(|_| {}),
    );
    let failure = embedded
        .apply_remote("K1", &remote(6, "[kiosk]\nlocation = \"B\"\n"))
        .err()
        .ok_or("refused")?;
    assert!(failure.reason.contains("embedded"), "{}", failure.reason);
    assert_eq!(embedded.state().failed.map(|f| f.version), Some(6));
    Ok(())
}
