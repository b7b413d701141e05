//! The `lapak-kiosk` binary end to end: provision, config check, a headless claim through the real pipeline,
//! the outbox listing and export, and the exported packet opened with the standard `age` and `tar` tools.

#![allow(clippy::unwrap_used)]
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_lapak-kiosk");
const DEMO_IDENTITY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/kiosk-config/demo/central-identity.txt"
);
const CLAIM: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/claim-resign.json"
);

struct Site {
    dir: tempfile::TempDir,
    config: PathBuf,
}

impl Site {
    fn new(extra: &str) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("kiosk.toml");
        let data = dir.path().join("data");
        std::fs::write(
            &config,
            format!(
                "[storage]\ndata_dir = \"{}\"\nmin_free_mb = 1\n{extra}",
                data.display()
            ),
        )
        .unwrap();
        Site { dir, config }
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .arg("--config")
            .arg(&self.config)
            .args(args)
            .env("LAPAK_LOG", "warn")
            .output()
            .unwrap()
    }

    fn photos(&self, kinds: &[&str]) -> PathBuf {
        let dir = self.dir.path().join("photos");
        std::fs::create_dir_all(&dir).unwrap();
        for (i, kind) in kinds.iter().enumerate() {
            std::fs::write(dir.join(format!("{kind}.jpg")), jpeg(64 + i as u16 * 8, 48)).unwrap();
        }
        dir
    }
}

fn jpeg(width: u16, height: u16) -> Vec<u8> {
    let mut rgb = Vec::with_capacity(usize::from(width) * usize::from(height) * 3);
    for y in 0..height {
        for x in 0..width {
            rgb.extend_from_slice(&[(x * 3) as u8, (y * 5) as u8, ((x + y) * 2) as u8]);
        }
    }
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 80)
        .encode(&rgb, width, height, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    out
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

const RESIGN_DOCS: [&str; 6] = [
    "kpj_card",
    "ektp",
    "kartu_keluarga",
    "bank_book",
    "selfie",
    "paklaring",
];

fn submit(site: &Site, claim: &Path, photos: &Path) -> Output {
    site.run(&[
        "claim",
        "submit",
        "--manifest",
        claim.to_str().unwrap(),
        "--photos",
        photos.to_str().unwrap(),
    ])
}

#[test]
fn a_test_claim_is_sealed_stored_exported_and_opens_with_age_and_tar() {
    let site = Site::new("");
    let photos = site.photos(&RESIGN_DOCS);
    let out = submit(&site, Path::new(CLAIM), &photos);
    assert!(out.status.success(), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let digits = stdout
        .lines()
        .find_map(|l| l.strip_prefix("reference digits: "))
        .expect("reference printed")
        .trim()
        .to_owned();
    let reference = lapak_kiosk::claim::reference::ClaimReference::parse(&digits).unwrap();
    assert_eq!(reference.kiosk_number(), 1, "demo kiosk number");

    let list = site.run(&["outbox", "list", "--json"]);
    assert!(list.status.success(), "{}", text(&list));
    let rows: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["reference"], digits.as_str());
    assert_eq!(rows[0]["state"], "pending");
    assert_eq!(rows[0]["test"], true);

    let usb = site.dir.path().join("usb");
    let out = site.run(&["outbox", "export", usb.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    // A new folder per export inside the kiosk's own folder on the drive; the command says which.
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    let export = std::path::PathBuf::from(
        said.trim()
            .strip_prefix("exported 1 sealed packet(s) to ")
            .unwrap_or_else(|| panic!("unexpected output {said:?}")),
    );
    assert_eq!(export.parent().unwrap().parent().unwrap(), usb);
    assert!(
        export
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("KIOSK-")
    );
    let sealed = export.join(format!("{digits}.tar.age"));
    assert!(sealed.is_file(), "{} missing", sealed.display());
    assert!(export.join(format!("{digits}.sig")).is_file());

    let tar = Command::new("age")
        .args(["-d", "-i", DEMO_IDENTITY])
        .arg(&sealed)
        .output()
        .expect("the `age` tool must be installed (Debian package age)");
    assert!(tar.status.success(), "{}", text(&tar));
    let unpacked = site.dir.path().join("unpacked");
    std::fs::create_dir_all(&unpacked).unwrap();
    std::fs::write(site.dir.path().join("claim.tar"), &tar.stdout).unwrap();
    let listing = Command::new("tar")
        .arg("-tf")
        .arg(site.dir.path().join("claim.tar"))
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&listing.stdout).to_string();
    assert!(listing.lines().any(|l| l == "manifest.json"), "{listing}");
    for kind in RESIGN_DOCS {
        assert!(
            listing
                .lines()
                .any(|l| l == format!("documents/{kind}.jpg")),
            "{kind}: {listing}"
        );
    }
    let status = Command::new("tar")
        .arg("-xf")
        .arg(site.dir.path().join("claim.tar"))
        .arg("-C")
        .arg(&unpacked)
        .status()
        .unwrap();
    assert!(status.success());
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(unpacked.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["reference"], digits.as_str());
    assert_eq!(manifest["test"], true);
    assert_eq!(
        manifest["fields"]["phone"], "+6281234567890",
        "phone normalised"
    );
    assert_eq!(
        manifest["fields"]["name"], "BUDI SANTOSO",
        "name normalised"
    );
    assert_eq!(manifest["reason"]["reason"], "resign");
    let photo = std::fs::read(photos.join("ektp.jpg")).unwrap();
    let stored = std::fs::read(unpacked.join("documents/ektp.jpg")).unwrap();
    assert_eq!(stored, photo, "the photo travels unchanged");
}

#[test]
fn a_wrong_nik_is_refused_with_the_field_named_and_nothing_is_stored() {
    let site = Site::new("");
    let photos = site.photos(&RESIGN_DOCS);
    let bad = site.dir.path().join("bad.json");
    let claim = std::fs::read_to_string(CLAIM)
        .unwrap()
        .replace("3273011205750001", "9973011205750001");
    std::fs::write(&bad, claim).unwrap();
    let out = submit(&site, &bad, &photos);
    assert!(!out.status.success());
    assert!(text(&out).contains("nik"), "{}", text(&out));
    let list = site.run(&["outbox", "list", "--json"]);
    let rows: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 0);
}

#[test]
fn a_claim_that_is_not_yet_eligible_is_refused() {
    let site = Site::new("");
    let photos = site.photos(&RESIGN_DOCS);
    let soon = site.dir.path().join("soon.json");
    let today = chrono::Utc::now().date_naive();
    let claim = std::fs::read_to_string(CLAIM)
        .unwrap()
        .replace("2025-01-15", &today.to_string());
    std::fs::write(&soon, claim).unwrap();
    let out = submit(&site, &soon, &photos);
    assert!(!out.status.success());
    assert!(text(&out).contains("not eligible"), "{}", text(&out));
}

#[test]
fn a_missing_document_is_named() {
    let site = Site::new("");
    let photos = site.photos(&RESIGN_DOCS[..5]);
    let out = submit(&site, Path::new(CLAIM), &photos);
    assert!(!out.status.success());
    assert!(text(&out).contains("paklaring.jpg"), "{}", text(&out));
}

#[test]
fn provision_prints_the_public_key_and_refuses_twice() {
    let site = Site::new("");
    let out = site.run(&["provision", "--number", "42"]);
    assert!(out.status.success(), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let key = stdout
        .lines()
        .find_map(|l| l.strip_prefix("public key:"))
        .unwrap()
        .trim()
        .to_owned();
    lapak_kiosk::identity::parse_public_key(&key).unwrap();
    let again = site.run(&["provision", "--number", "43"]);
    assert!(!again.status.success());
    assert!(text(&again).contains("exists already"), "{}", text(&again));
}

#[test]
fn the_screens_without_a_display_exit_with_one_clear_error_and_count_no_start() {
    let site = Site::new("");
    let out = Command::new(BIN)
        .arg("--config")
        .arg(&site.config)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("WAYLAND_SOCKET")
        .env("LAPAK_LOG", "warn")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Exit 1 with the reason, not a panic (101) in the window system.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error: no display"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    // Nothing was opened: the data folder was not even made.
    assert!(!site.dir.path().join("data").exists());
}

#[test]
fn broken_configs_each_give_one_clear_error() {
    let cases = [
        ("[storage\nmax_pending = 3\n", "line 1"),
        (
            "[storage]\nmax_pending = \"many\"\n",
            "`storage.max_pending`",
        ),
        (
            "[kiosk]\nmode = \"production\"\n[printer]\nenabled = false\n",
            "`central.recipient`: missing",
        ),
        (
            "[central]\nrecipient = \"age1garbage\"\n",
            "`central.recipient`",
        ),
        (
            "[kiosk]\nmode = \"production\"\n[central]\n\
             recipient = \"age1t429npeqnpd4j979fnz8hsqm807zaknfrk80xrxje8c4xkv42f5qatwkrq\"\n\
             [printer]\nenabled = false\n",
            "`central.recipient`: is the public demo recipient",
        ),
        (
            "[sync]\ncentral_url = \"https://lapak.example.go.id/\"\n",
            "`sync.central_url`",
        ),
    ];
    for (body, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("kiosk.toml");
        std::fs::write(&config, body).unwrap();
        let out = Command::new(BIN)
            .arg("--config")
            .arg(&config)
            .args(["config", "check"])
            .output()
            .unwrap();
        assert!(!out.status.success(), "{body}");
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(
            err.contains(&config.display().to_string()),
            "file named: {err}"
        );
        assert!(err.contains(expected), "expected {expected:?} in {err}");
        assert_eq!(
            err.lines().filter(|l| l.starts_with("error")).count(),
            1,
            "{err}"
        );
    }
}

#[test]
fn a_production_kiosk_with_the_demo_recipient_does_not_start() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("kiosk.toml");
    std::fs::write(
        &config,
        format!(
            "[kiosk]\nmode = \"production\"\n[storage]\ndata_dir = \"{}\"\n[central]\nrecipient = \"{}\"\n",
            dir.path().join("data").display(),
            lapak_kiosk::config::DEMO_RECIPIENT.trim()
        ),
    )
    .unwrap();
    // A display is named (none is there): the configuration is refused before any window is tried.
    let out = Command::new(BIN)
        .arg("--config")
        .arg(&config)
        .env("LAPAK_LOG", "warn")
        .env("WAYLAND_DISPLAY", "lapak-test-no-such-display")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`central.recipient`: is the public demo recipient"),
        "{err}"
    );
    assert!(!dir.path().join("data").exists(), "nothing was made: {err}");
}

#[test]
fn a_lost_outbox_stops_claims_until_staff_run_outbox_init_after_loss() {
    let site = Site::new("");
    let provisioned = site.run(&["provision", "--number", "42"]);
    assert!(provisioned.status.success(), "{}", text(&provisioned));
    let photos = site.photos(&RESIGN_DOCS);
    let first = submit(&site, Path::new(CLAIM), &photos);
    assert!(first.status.success(), "{}", text(&first));
    assert!(
        text(&first).contains("reference digits: 000420000001"),
        "{}",
        text(&first)
    );

    let outbox = site
        .dir
        .path()
        .join("data")
        .join(lapak_kiosk::kiosk::OUTBOX_FILE);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", outbox.display()));
    }
    let refused = submit(&site, Path::new(CLAIM), &photos);
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("lapak-kiosk outbox init --after-loss"),
        "{}",
        text(&refused)
    );
    assert!(
        !outbox.exists(),
        "a fresh outbox was made: {}",
        text(&refused)
    );

    // No central service configured: the kiosk cannot learn the sequence, and says how to give it.
    let unknown = site.run(&["outbox", "init", "--after-loss"]);
    assert!(!unknown.status.success());
    assert!(
        text(&unknown).contains("--sequence-floor N"),
        "{}",
        text(&unknown)
    );
    let without_flag = site.run(&["outbox", "init"]);
    assert!(!without_flag.status.success(), "{}", text(&without_flag));
    assert!(!outbox.exists());

    let init = site.run(&["outbox", "init", "--after-loss", "--sequence-floor", "7"]);
    assert!(init.status.success(), "{}", text(&init));
    assert!(
        text(&init).contains("the next claim takes sequence 8"),
        "{}",
        text(&init)
    );
    let next = submit(&site, Path::new(CLAIM), &photos);
    assert!(next.status.success(), "{}", text(&next));
    assert!(
        text(&next).contains("reference digits: 000420000008"),
        "{}",
        text(&next)
    );
}
