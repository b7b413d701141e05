//! The `lapak-kiosk` binary for held claims and status checks: `outbox requeue REF | --held` sends held
//! claims again (and names an unknown reference or a claim that is not held), and `status REF` reads the NIK
//! from standard input, never from the command line.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use lapak_kiosk::outbox::{NikHashKey, Outbox, OutboxLimits};

const BIN: &str = env!("CARGO_BIN_EXE_lapak-kiosk");
const CLAIM: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/claim-resign.json"
);
/// The NIK in the claim fixture.
const NIK: &str = "3273011205750001";
const RESIGN_DOCS: [&str; 6] = [
    "kpj_card",
    "ektp",
    "kartu_keluarga",
    "bank_book",
    "selfie",
    "paklaring",
];

/// An offline kiosk (no central service) in a temporary folder.
struct Site {
    dir: tempfile::TempDir,
    config: PathBuf,
}

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = dir.path().join("kiosk.toml");
        std::fs::write(
            &config,
            format!(
                "[storage]\ndata_dir = \"{}\"\nmin_free_mb = 1\n",
                dir.path().join("data").display()
            ),
        )
        .expect("config");
        Site { dir, config }
    }

    /// Runs the binary with `stdin` as its standard input.
    fn run_with_input(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = Command::new(BIN)
            .arg("--config")
            .arg(&self.config)
            .args(args)
            .env("LAPAK_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start lapak-kiosk");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(stdin.as_bytes())
            .expect("write stdin");
        child.wait_with_output().expect("wait")
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_with_input(args, "")
    }

    /// Stores a test claim through the CLI and returns its reference digits.
    fn submit(&self) -> String {
        let photos = self.dir.path().join("photos");
        std::fs::create_dir_all(&photos).expect("photos");
        for kind in RESIGN_DOCS {
            std::fs::write(photos.join(format!("{kind}.jpg")), jpeg()).expect("photo");
        }
        let out = self.run(&[
            "claim",
            "submit",
            "--manifest",
            CLAIM,
            "--photos",
            photos.to_str().expect("utf-8 path"),
        ]);
        assert!(out.status.success(), "{}", text(&out));
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .find_map(|l| l.strip_prefix("reference digits: "))
            .expect("reference printed")
            .trim()
            .to_owned()
    }

    /// Holds the oldest pending claim, as the uploader does after a claim-level refusal.
    fn hold_next(&self, reason: &str) {
        let outbox = Outbox::open(
            &self
                .dir
                .path()
                .join("data")
                .join(lapak_kiosk::kiosk::OUTBOX_FILE),
            OutboxLimits::default(),
            NikHashKey::derive(&ed25519_dalek::SigningKey::from_bytes(&[9; 32])),
        )
        .expect("open outbox");
        let now = chrono::Utc::now();
        let claim = outbox.next_due(now).expect("next").expect("a due claim");
        outbox.mark_held(claim.id, reason, now).expect("hold");
    }

    fn states(&self) -> Vec<(String, String)> {
        let out = self.run(&["outbox", "list", "--json"]);
        assert!(out.status.success(), "{}", text(&out));
        let rows: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        rows.as_array()
            .expect("array")
            .iter()
            .map(|r| {
                (
                    r["reference"].as_str().unwrap_or_default().to_owned(),
                    r["state"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    }
}

fn jpeg() -> Vec<u8> {
    let (width, height) = (64u16, 48u16);
    let mut rgb = Vec::with_capacity(usize::from(width) * usize::from(height) * 3);
    for y in 0..height {
        for x in 0..width {
            rgb.extend_from_slice(&[(x * 3) as u8, (y * 5) as u8, ((x + y) * 2) as u8]);
        }
    }
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 80)
        .encode(&rgb, width, height, jpeg_encoder::ColorType::Rgb)
        .expect("jpeg");
    out
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn requeue_sends_held_claims_again_and_names_unknown_or_not_held_references() {
    let site = Site::new();
    let first = site.submit();
    let second = site.submit();

    let out = site.run(&["outbox", "requeue", &first]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("is pending, not held"),
        "{}",
        text(&out)
    );
    let unknown =
        lapak_kiosk::claim::reference::ClaimReference::new(1, 999_999).expect("reference");
    let out = site.run(&["outbox", "requeue", unknown.digits()]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains(&format!("no claim with reference {}", unknown.digits())),
        "{}",
        text(&out)
    );
    let out = site.run(&["outbox", "requeue", "12345"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("reference:"), "{}", text(&out));
    let out = site.run(&["outbox", "requeue"]);
    assert!(!out.status.success(), "a reference or --held is required");

    site.hold_next("422 bad_manifest: test");
    site.hold_next("409 reference_taken: test");
    let listed = site.run(&["outbox", "list", "--state", "held"]);
    assert!(listed.status.success(), "{}", text(&listed));
    let listing = String::from_utf8_lossy(&listed.stdout).to_string();
    assert!(
        listing.contains("422 bad_manifest: test")
            && listing.contains("0 pending, 0 sending, 0 delivered, 2 held"),
        "{listing}"
    );

    let out = site.run(&["outbox", "requeue", &first]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("back in the queue"), "{}", text(&out));
    let states = site.states();
    assert!(
        states.contains(&(first.clone(), "pending".into())),
        "{states:?}"
    );
    assert!(
        states.contains(&(second.clone(), "held".into())),
        "{states:?}"
    );

    let out = site.run(&["outbox", "requeue", "--held"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("1 held claim(s) back in the queue"),
        "{}",
        text(&out)
    );
    let states = site.states();
    assert_eq!(states.len(), 2, "nothing is deleted: {states:?}");
    assert!(states.iter().all(|(_, s)| s == "pending"), "{states:?}");
}

#[test]
fn status_reads_the_nik_from_standard_input_and_not_from_the_command_line() {
    let site = Site::new();
    let reference = site.submit();

    let out = site.run_with_input(&["status", &reference], &format!("{NIK}\n"));
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("saved on this kiosk"), "{}", text(&out));
    let out = site.run_with_input(&["status", &reference], "3273011205750002\n");
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("not found"), "{}", text(&out));

    let out = site.run_with_input(&["status", &reference], "");
    assert!(!out.status.success());
    assert!(
        text(&out).contains("no NIK on standard input"),
        "{}",
        text(&out)
    );
    // No prompt when standard input is not a terminal.
    assert!(!String::from_utf8_lossy(&out.stderr).contains("NIK: "));

    let out = site.run(&["status", &reference, "--nik", NIK]);
    assert!(
        !out.status.success(),
        "the NIK is refused on the command line"
    );
    assert!(!text(&out).contains("saved on this kiosk"));
}
