//! `lapak-central serve` refuses the public demo identity unless started with `--demo`.

mod common;

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};

use common::*;

const DEMO_IDENTITY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../kiosk-config/demo/central-identity.txt"
);

#[test]
fn serve_refuses_the_demo_identity_without_the_demo_flag() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let config = tmp.path().join("central.toml");
    std::fs::write(
        &config,
        format!(
            "listen = \"127.0.0.1:{port}\"\ndatabase = \"central.sqlite\"\nidentity_file = \"{DEMO_IDENTITY}\"\n"
        ),
    )
    .expect("config");

    let refused = Command::new(CENTRAL)
        .arg("--config")
        .arg(&config)
        .arg("serve")
        .output()
        .expect("run serve");
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("public demo identity"), "{err}");
    assert!(err.contains("serve --demo"), "{err}");
    assert!(
        refused.stdout.is_empty(),
        "it listened: {:?}",
        refused.stdout
    );

    let mut demo = Command::new(CENTRAL)
        .arg("--config")
        .arg(&config)
        .args(["serve", "--demo"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start serve --demo");
    let mut line = String::new();
    BufReader::new(demo.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the listening line");
    let _ = demo.kill();
    let _ = demo.wait();
    assert!(line.contains("listening on"), "{line:?}");
}

#[test]
fn serve_starts_with_its_own_identity() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(&tmp.path().join("central"), "");
    central.start();
    central.stop();
}
