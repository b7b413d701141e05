//! `doctor` against the simulated printer on a pseudo-terminal, the simulated camera and real files, in each
//! fault state: the right verdict, the right fix line and the right exit code.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use lapak_kiosk::config::{ConfigOrigin, KioskConfig};
use lapak_kiosk::doctor::{self, DoctorOptions, Report, Verdict};
use lapak_kiosk::printer::simulator::{Paper, SimulatedPrinter, SimulatorOptions};

const BIN: &str = env!("CARGO_BIN_EXE_lapak-kiosk");

fn config_text(data: &Path, printer_port: &str, camera: &str) -> String {
    format!(
        "[storage]\ndata_dir = \"{}\"\nmin_free_mb = 1\n\
         [camera]\nsource = \"{camera}\"\nwidth = 320\nheight = 240\ndrop_first_frames = 0\n\
         [printer]\nport = \"{printer_port}\"\nreply_timeout_ms = 200\n",
        data.display()
    )
}

fn run(text: &str) -> Report {
    run_for(text, Duration::from_millis(1500))
}

/// `doctor` watching the camera for `camera_time`.
fn run_for(text: &str, camera_time: Duration) -> Report {
    let loaded = KioskConfig::parse(text, ConfigOrigin::File("kiosk.toml".into()));
    doctor::run(
        loaded,
        DoctorOptions {
            camera_time,
            printer_timeout: Duration::from_secs(2),
        },
    )
}

fn line<'a>(report: &'a Report, part: &str) -> &'a doctor::Check {
    report.checks.iter().find(|c| c.part == part).unwrap()
}

#[test]
fn every_printer_state_gives_its_verdict_and_fix() {
    let dir = tempfile::tempdir().unwrap();
    let sim = SimulatedPrinter::start(SimulatorOptions::default()).unwrap();
    let port = sim.port_path().display().to_string();
    let text = config_text(&dir.path().join("data"), &port, "simulated:pattern");

    let ready = run(&text);
    assert_eq!(
        line(&ready, "printer").verdict,
        Verdict::Ok,
        "{}",
        ready.to_table()
    );
    assert_ne!(
        line(&ready, "camera").verdict,
        Verdict::Fault,
        "{}",
        ready.to_table()
    );
    assert_eq!(ready.exit_code(), 0, "{}", ready.to_table());

    type Set = fn(&SimulatedPrinter, bool);
    let faults: [(Set, Verdict, &str, u8); 5] = [
        (
            |s, on| s.set_paper(if on { Paper::Out } else { Paper::Ok }),
            Verdict::Fault,
            "load a new roll",
            1,
        ),
        (
            |s, on| s.set_cover_open(on),
            Verdict::Fault,
            "close the cover",
            1,
        ),
        (
            |s, on| s.set_cutter_error(on),
            Verdict::Fault,
            "remove jammed paper",
            1,
        ),
        (
            |s, on| s.set_paper(if on { Paper::Low } else { Paper::Ok }),
            Verdict::Warning,
            "load a new roll soon",
            0,
        ),
        (
            |s, on| s.set_one_way(on),
            Verdict::Warning,
            "not answering",
            0,
        ),
    ];
    for (set, verdict, fix, code) in faults {
        set(&sim, true);
        let report = run(&text);
        let printer = line(&report, "printer");
        assert_eq!(printer.verdict, verdict, "{}", report.to_table());
        assert!(printer.fix.contains(fix), "{fix}: {}", report.to_table());
        assert!(report.to_table().contains(&format!("fix: {}", printer.fix)));
        assert_eq!(report.exit_code(), code, "{}", report.to_table());
        set(&sim, false);
    }
}

#[test]
fn an_unplugged_printer_and_a_missing_camera_are_faults() {
    let dir = tempfile::tempdir().unwrap();
    let text = config_text(
        &dir.path().join("data"),
        "/dev/serial/by-id/no-such-printer",
        "/dev/video-lapak-none",
    );
    let report = run(&text);
    let printer = line(&report, "printer");
    assert_eq!(printer.verdict, Verdict::Fault, "{}", report.to_table());
    assert!(
        printer.fix.contains("check the cable"),
        "{}",
        report.to_table()
    );
    let camera = line(&report, "camera");
    assert_eq!(camera.verdict, Verdict::Fault, "{}", report.to_table());
    assert!(camera.fix.contains("USB cable"), "{}", report.to_table());
    assert_eq!(report.exit_code(), 1);
}

#[test]
fn a_broken_config_is_the_first_fault_and_the_rest_is_still_checked() {
    let report = run("[storage]\nmax_pending = \"lots\"\n");
    assert_eq!(report.checks[0].part, "config");
    assert_eq!(report.checks[0].verdict, Verdict::Fault);
    assert!(report.checks[0].detail.contains("storage.max_pending"));
    assert!(report.checks.iter().any(|c| c.part == "printer"));
    assert_eq!(report.exit_code(), 1);
}

#[test]
fn the_binary_prints_a_table_or_json_and_sets_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let sim = SimulatedPrinter::start(SimulatorOptions::default()).unwrap();
    let config = dir.path().join("kiosk.toml");
    let port = sim.port_path().display().to_string();
    std::fs::write(
        &config,
        config_text(&dir.path().join("data"), &port, "simulated:card"),
    )
    .unwrap();
    let doctor = |json: bool| {
        let mut cmd = Command::new(BIN);
        cmd.arg("--config")
            .arg(&config)
            .arg("doctor")
            .env("LAPAK_LOG", "error");
        if json {
            cmd.arg("--json");
        }
        cmd.output().unwrap()
    };

    sim.set_cover_open(true);
    let out = doctor(false);
    let table = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(1), "{table}");
    assert!(table.contains("printer  FAULT"), "{table}");
    assert!(
        table.contains("fix: printer cover open: close the cover"),
        "{table}"
    );

    sim.set_cover_open(false);
    let out = doctor(true);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let printer = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["part"] == "printer")
        .unwrap();
    assert_eq!(printer["verdict"], "ok");
}

/// The config line for a production kiosk with `extra` TOML after a good base (its own recipient, real devices).
fn production_config_line(extra: &str) -> doctor::Check {
    let text = format!(
        "[kiosk]\nmode = \"production\"\n[central]\nrecipient = \"{}\"\n{extra}",
        "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"
    );
    let report = doctor::run(
        KioskConfig::parse(&text, ConfigOrigin::File("kiosk.toml".into())),
        DoctorOptions {
            camera_time: Duration::from_millis(100),
            printer_timeout: Duration::from_millis(100),
        },
    );
    report.checks[0].clone()
}

#[test]
fn each_production_refusal_is_a_config_fault_with_its_fix() {
    let demo_recipient = lapak_kiosk::config::DEMO_RECIPIENT.trim();
    let cases = [
        (
            format!("[central]\nrecipient = \"{demo_recipient}\"\n"),
            "central.recipient",
            "lapak-central init",
        ),
        (
            format!(
                "[camera]\nsource = \"auto\"\n[printer]\nport = \"/dev/ttyUSB0\"\n[maintenance]\npin_hash = \"{}\"\n",
                lapak_kiosk::config::production::DEMO_PIN_HASH
            ),
            "maintenance.pin_hash",
            "lapak-kiosk pin-hash",
        ),
        (
            "[camera]\nsource = \"simulated:card\"\n".to_owned(),
            "camera.source",
            "real camera",
        ),
        (
            "[camera]\nsource = \"auto\"\n[printer]\nport = \"simulated\"\n".to_owned(),
            "printer.port",
            "real printer",
        ),
        (
            "[camera]\nsource = \"auto\"\n[printer]\nport = \"/dev/ttyUSB0\"\n[sync]\ncentral_url = \"http://10.0.0.5/\"\n"
                .to_owned(),
            "sync.central_url",
            "https://",
        ),
    ];
    for (extra, key, fix) in cases {
        // A later [central] table replaces nothing: the demo recipient case puts it first.
        let check = if key == "central.recipient" {
            let text = format!(
                "[kiosk]\nmode = \"production\"\n{extra}[camera]\nsource = \"auto\"\n[printer]\nport = \"/dev/ttyUSB0\"\n"
            );
            doctor::run(
                KioskConfig::parse(&text, ConfigOrigin::File("kiosk.toml".into())),
                DoctorOptions {
                    camera_time: Duration::from_millis(100),
                    printer_timeout: Duration::from_millis(100),
                },
            )
            .checks[0]
                .clone()
        } else {
            production_config_line(&extra)
        };
        assert_eq!(check.verdict, Verdict::Fault, "{key}: {check:?}");
        assert!(check.detail.contains(key), "{key}: {check:?}");
        assert!(check.fix.contains(fix), "{key}: {check:?}");
    }
}

#[test]
fn demo_with_a_remote_service_and_the_demo_recipient_is_a_config_fault() {
    let report = run("[sync]\ncentral_url = \"https://lapak.example.go.id/\"\n");
    let check = &report.checks[0];
    assert_eq!(check.verdict, Verdict::Fault, "{check:?}");
    assert!(check.detail.contains("sync.central_url"), "{check:?}");
    assert!(check.fix.contains("loopback"), "{check:?}");
}

#[test]
fn a_missing_outbox_beside_the_key_is_a_fault_naming_the_staff_command() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    lapak_kiosk::identity::KioskIdentity::generate(None, 3)
        .unwrap()
        .save_new(&data.join(lapak_kiosk::identity::KEY_FILE))
        .unwrap();
    let report = run(&config_text(&data, "simulated", "simulated:pattern"));
    let outbox = line(&report, "outbox");
    assert_eq!(outbox.verdict, Verdict::Fault, "{outbox:?}");
    assert!(
        outbox.fix.contains("lapak-kiosk outbox init --after-loss"),
        "{outbox:?}"
    );
    assert!(
        !data.join(lapak_kiosk::kiosk::OUTBOX_FILE).exists(),
        "the doctor made an outbox"
    );
}

/// The number `doctor` printed after `label` on the camera line.
fn reading(report: &Report, label: &str) -> f64 {
    let detail = &line(report, "camera").detail;
    let at = detail
        .find(label)
        .unwrap_or_else(|| panic!("no {label:?} in {detail:?}"));
    detail[at + label.len()..]
        .split([' ', ','])
        .find(|word| !word.is_empty())
        .and_then(|word| word.parse().ok())
        .unwrap_or_else(|| panic!("no number after {label:?} in {detail:?}"))
}

#[test]
fn the_camera_line_reads_a_still_card_as_steady_beside_the_limit_and_finds_it() {
    let dir = tempfile::tempdir().unwrap();
    let sim = SimulatedPrinter::start(SimulatorOptions::default()).unwrap();
    let port = sim.port_path().display().to_string();
    let limit = lapak_kiosk::camera::QualityThresholds::default().steady_motion_max;
    // At the shipped frame size: the simulated card wobbles by a pixel, as a card on a stand would. (How
    // the reading separates a moving picture from a still one is tested in `camera::steady`; the simulated
    // pattern repeats every 16 frames, so two frames a check apart may show the same picture.)
    let text = config_text(&dir.path().join("data"), &port, "simulated:card")
        .replace("width = 320\nheight = 240", "width = 1280\nheight = 720");
    // The simulator renders and encodes its cycle of 1280x720 frames when it opens: give it time.
    let report = run_for(&text, Duration::from_secs(8));
    let motion = reading(&report, "motion");
    assert!(motion <= limit, "a card on a desk read as moving: {motion}");
    // The simulated card fills the guide box: 70 % of the picture's width.
    let width = reading(&report, "card found (");
    assert!((width - 70.0).abs() <= 2.0, "{}", report.to_table());
    assert!(
        line(&report, "camera")
            .detail
            .contains(&format!("(steady at most {limit:.1})")),
        "{}",
        report.to_table()
    );
}

#[cfg(feature = "sound")]
#[test]
fn the_sound_line_counts_the_voice_clips_per_language_and_warns_when_they_are_missing_or_broken() {
    let dir = tempfile::tempdir().unwrap();
    let base = config_text(&dir.path().join("data"), "simulated", "simulated:card");
    let shipped = run(&format!("{base}[sound]\ndevice = \"null\"\n"));
    let sound = line(&shipped, "sound");
    let clips = |lang: &str| {
        std::fs::read_dir(format!(
            "{}/assets/voice/{lang}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
        .count()
    };
    let expected = format!(
        "voice clips {} id, {} en, all playable",
        clips("id"),
        clips("en")
    );
    assert_eq!(sound.verdict, Verdict::Ok, "{}", shipped.to_table());
    assert!(
        sound.detail.contains(&expected),
        "{} / {expected}",
        sound.detail
    );

    let empty = dir.path().join("no-voice");
    let none = run(&format!(
        "{base}[sound]\ndevice = \"null\"\nvoice = \"{}\"\n",
        empty.display()
    ));
    let sound = line(&none, "sound");
    assert_eq!(sound.verdict, Verdict::Warning, "{}", none.to_table());
    assert!(
        sound.detail.contains("voice clips missing"),
        "{}",
        sound.detail
    );

    let broken = dir.path().join("broken");
    for lang in ["id", "en"] {
        std::fs::create_dir_all(broken.join(lang)).unwrap();
        std::fs::write(broken.join(lang).join("ui-home-welcome.ogg"), b"noise").unwrap();
    }
    let bad = run(&format!(
        "{base}[sound]\ndevice = \"null\"\nvoice = \"{}\"\n",
        broken.display()
    ));
    let sound = line(&bad, "sound");
    assert_eq!(sound.verdict, Verdict::Warning, "{}", bad.to_table());
    assert!(
        sound.detail.contains("ui-home-welcome.ogg"),
        "{}",
        sound.detail
    );
}

#[cfg(feature = "sound")]
#[test]
fn the_sound_line_names_the_device_and_format_or_warns_that_the_kiosk_is_silent() {
    let dir = tempfile::tempdir().unwrap();
    let base = config_text(&dir.path().join("data"), "simulated", "simulated:card");

    let null = run(&format!("{base}[sound]\ndevice = \"null\"\n"));
    let sound = line(&null, "sound");
    assert_eq!(sound.verdict, Verdict::Ok, "{}", null.to_table());
    assert!(
        sound.detail.starts_with("null: ") && sound.detail.contains(" Hz, "),
        "{}",
        null.to_table()
    );

    let missing = run(&format!(
        "{base}[sound]\ndevice = \"lapak-no-such-device\"\n"
    ));
    let sound = line(&missing, "sound");
    assert_eq!(sound.verdict, Verdict::Warning, "{}", missing.to_table());
    assert!(
        sound.detail.contains("no output device"),
        "{}",
        sound.detail
    );
    assert!(
        sound.detail.contains("lapak-no-such-device"),
        "{}",
        sound.detail
    );
    assert!(
        sound.fix.contains("speaker") && sound.fix.contains("aplay -L"),
        "{}",
        sound.fix
    );
    assert!(
        !missing
            .checks
            .iter()
            .any(|c| c.part == "sound" && c.verdict == Verdict::Fault),
        "a silent kiosk still works"
    );

    let off = run(&format!("{base}[sound]\nenabled = false\n"));
    let sound = line(&off, "sound");
    assert_eq!(sound.verdict, Verdict::Warning);
    assert!(sound.detail.contains("disabled"), "{}", sound.detail);
}
