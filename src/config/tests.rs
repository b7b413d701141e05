use super::*;

fn parse(text: &str) -> Result<LoadedConfig, ConfigError> {
    KioskConfig::parse(text, ConfigOrigin::File(PathBuf::from("test.toml")))
}

#[test]
fn embedded_config_loads_without_warnings_and_is_demo() {
    let loaded = KioskConfig::parse(EMBEDDED_KIOSK_TOML, ConfigOrigin::Embedded).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.config.kiosk.mode, Mode::Demo);
    assert!(loaded.config.recipient().is_ok());
    assert!(loaded.config.uses_demo_recipient());
}

#[test]
fn sound_is_on_at_80_percent_on_the_default_device_in_the_shipped_file() {
    let loaded = KioskConfig::parse(EMBEDDED_KIOSK_TOML, ConfigOrigin::Embedded).unwrap();
    assert_eq!(loaded.config.sound, crate::sound::SoundConfig::default());
    assert_eq!(
        (
            loaded.config.sound.enabled,
            loaded.config.sound.device.as_str(),
            loaded.config.sound.volume
        ),
        (true, "default", 80)
    );
}

#[test]
fn a_sound_volume_of_101_is_refused_naming_file_and_key() {
    let err = parse("[sound]\nvolume = 101\n").unwrap_err();
    assert_eq!(err.key, "sound.volume");
    assert!(err.to_string().starts_with("test.toml"), "{err}");
    assert!(err.reason.contains("0 to 100"), "{err}");
}

#[test]
fn sound_can_be_switched_off() {
    let loaded = parse("[sound]\nenabled = false\n").unwrap();
    assert!(!loaded.config.sound.enabled);
}

#[test]
fn empty_file_gives_defaults() {
    let loaded = parse("").unwrap();
    assert_eq!(loaded.config, KioskConfig::default());
}

#[test]
fn syntax_error_names_file_and_line() {
    let err = parse("[storage]\nmax_pending = 10\nretention_days = = 3\n").unwrap_err();
    assert_eq!(err.file, "test.toml");
    assert_eq!(err.line, Some(3));
    assert!(err.to_string().starts_with("test.toml line 3"), "{err}");
}

#[test]
fn time_zone_is_wib_by_default_and_sets_the_kiosks_today() {
    use chrono::{NaiveDate, TimeZone, Utc};
    assert_eq!(
        parse("").unwrap().config.kiosk.time_zone,
        KioskTimeZone::Wib
    );
    let config = parse("[kiosk]\ntime_zone = \"WITA\"\n").unwrap().config;
    assert_eq!(config.kiosk.time_zone, KioskTimeZone::Wita);
    // 16:30 UTC is 23:30 WIB, 00:30 WITA and 01:30 WIT the next day.
    let now = Utc.with_ymd_and_hms(2026, 11, 27, 16, 30, 0).unwrap();
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    assert_eq!(KioskTimeZone::Wib.today(now), day(27));
    assert_eq!(config.today(now), day(28));
    assert_eq!(KioskTimeZone::Wit.today(now), day(28));
    let err = parse("[kiosk]\n\ntime_zone = \"UTC\"\n").unwrap_err();
    assert_eq!(err.key, "kiosk.time_zone");
    assert_eq!(err.line, Some(3));
    assert!(err.reason.contains("WIB"), "{}", err.reason);
}

#[test]
fn wrong_type_names_key_and_line() {
    let err = parse("[storage]\n\nmax_pending = \"a lot\"\n").unwrap_err();
    assert_eq!(err.key, "storage.max_pending");
    assert_eq!(err.line, Some(3));
    assert!(err.reason.contains("u32"), "{}", err.reason);
}

#[test]
fn production_without_recipient_is_refused() {
    let err = parse("[kiosk]\nmode = \"production\"\n").unwrap_err();
    assert_eq!(err.key, "central.recipient");
    assert!(err.reason.contains("missing"), "{}", err.reason);
}

#[test]
fn garbage_recipient_is_refused() {
    let err = parse("[central]\nrecipient = \"age1notakey\"\n").unwrap_err();
    assert_eq!(err.key, "central.recipient");
    assert!(
        err.reason.contains("age X25519 recipient"),
        "{}",
        err.reason
    );
}

#[test]
fn unknown_keys_are_warned_not_fatal() {
    let loaded = parse("[storage]\nmax_pendng = 3\n[camera2]\nx = 1\n").unwrap();
    let keys: Vec<_> = loaded.warnings.iter().map(|w| w.key.as_str()).collect();
    assert!(keys.contains(&"storage.max_pendng"), "{keys:?}");
    assert!(keys.contains(&"camera2"), "{keys:?}");
}

#[test]
fn the_retired_saved_return_secs_is_ignored_with_a_warning_that_says_so() {
    let loaded = parse("[session]\nsaved_return_secs = 30\n").unwrap();
    let warning = loaded
        .warnings
        .iter()
        .find(|w| w.key == "session.saved_return_secs")
        .expect("a warning for the retired key");
    assert!(warning.reason.starts_with("retired"), "{warning:?}");
}

#[test]
fn impossible_values_are_refused() {
    assert_eq!(
        parse("[claim]\nkpj_min_len = 14\n").unwrap_err().key,
        "claim.kpj_min_len"
    );
    assert_eq!(
        parse("[kiosk]\nlanguage = \"fr\"\n").unwrap_err().key,
        "kiosk.language"
    );
    assert_eq!(
        parse("[storage]\nmax_pending = 0\n").unwrap_err().key,
        "storage.max_pending"
    );
}

#[test]
fn a_named_missing_file_is_an_error() {
    let err = KioskConfig::load(Some(Path::new("/nonexistent/kiosk.toml"))).unwrap_err();
    assert!(err.reason.contains("cannot read"), "{err}");
}

#[test]
fn a_help_whatsapp_number_that_is_not_mobile_stops_loading_naming_file_and_key() {
    let err = parse("[help]\nwhatsapp = \"021 555 1234\"\n").unwrap_err();
    assert_eq!(err.key, "help.whatsapp");
    assert!(err.to_string().starts_with("test.toml"), "{err}");
    let shipped = KioskConfig::parse(EMBEDDED_KIOSK_TOML, ConfigOrigin::Embedded).unwrap();
    assert_eq!(shipped.config.help, help::HelpSection::default());
}

#[test]
fn a_reading_switch_that_is_not_true_or_false_stops_loading_naming_the_key() {
    let err = parse("[reading]\nenabled = \"yes\"\n").unwrap_err();
    assert_eq!(err.key, "reading.enabled");
    let shipped = KioskConfig::parse(EMBEDDED_KIOSK_TOML, ConfigOrigin::Embedded).unwrap();
    assert_eq!(shipped.config.reading, reading::ReadingSection::default());
    assert!(shipped.config.reading.enabled);
}

#[test]
fn a_load_sets_the_pushed_overlay_over_the_file_and_leaves_out_one_that_no_longer_fits() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("kiosk.toml");
    std::fs::write(
        &file,
        format!(
            "[kiosk]\nlocation = \"Kantor A\"\n[storage]\ndata_dir = \"{}\"\n",
            data.display()
        ),
    )
    .unwrap();
    assert_eq!(
        KioskConfig::load(Some(&file))
            .unwrap()
            .config
            .kiosk
            .location,
        "Kantor A"
    );
    let pushed = overlay::remote_dir(&data);
    std::fs::create_dir_all(&pushed).unwrap();
    std::fs::write(
        pushed.join(overlay::APPLIED_FILE),
        "[kiosk]\nlocation = \"Kantor B\"\n",
    )
    .unwrap();
    let loaded = KioskConfig::load(Some(&file)).unwrap();
    assert_eq!(loaded.config.kiosk.location, "Kantor B");
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(
        KioskConfig::load_local(&file)
            .unwrap()
            .config
            .kiosk
            .location,
        "Kantor A"
    );
    // An overlay that fails the checks over today's file (edited since): the file as written runs, warned.
    std::fs::write(
        pushed.join(overlay::APPLIED_FILE),
        "[storage]\nmax_pending = 0\n",
    )
    .unwrap();
    let loaded = KioskConfig::load(Some(&file)).unwrap();
    assert_eq!(loaded.config.kiosk.location, "Kantor A");
    assert_eq!(loaded.config.storage.max_pending, 5000);
    assert!(
        loaded.warnings[0]
            .reason
            .starts_with("the pushed configuration is left out: "),
        "{:?}",
        loaded.warnings
    );
}
