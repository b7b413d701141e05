//! The printer worker against the simulated printer on a pseudo-terminal: printing, refusing,
//! one-way printers, unplug and replug, and the buffer clear after a failed print.
#![allow(clippy::unwrap_used)] // a failed set-up step should stop the test right there

use std::path::PathBuf;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveDateTime};
use lapak_kiosk::printer::port::{PrinterPort, SerialPrinterPort};
use lapak_kiosk::printer::simulator::{Paper, SimulatedPrinter, SimulatorOptions};
use lapak_kiosk::printer::{
    FlowControl, JobId, PrinterConfig, PrinterError, PrinterEvent, PrinterHandle, PrinterState,
    QrMode, Receipt, spawn,
};

const WAIT: Duration = Duration::from_secs(5);

fn when() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 28)
        .and_then(|d| d.and_hms_opt(10, 30, 0))
        .unwrap()
}

fn receipt(reference: &str) -> Receipt {
    let display = reference
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    Receipt {
        header: vec!["BPJS Ketenagakerjaan".into(), "Klaim JHT".into()],
        location: "Kantor Desa Sukamaju".into(),
        when: when(),
        reference_label: "Nomor referensi".into(),
        reference: reference.parse().expect("a claim reference"),
        reference_display: display,
        next_steps: vec![
            "Petugas akan menghubungi Anda melalui telepon atau WhatsApp.".into(),
            "Simpan struk ini.".into(),
        ],
    }
}

fn config(port: &str) -> PrinterConfig {
    PrinterConfig {
        port: port.into(),
        poll_interval_ms: 100,
        reply_timeout_ms: 250,
        reconnect_interval_ms: 100,
        print_settle_ms: 300,
        width_chars: 42,
        ..PrinterConfig::default()
    }
}

struct Rig {
    _dir: tempfile::TempDir,
    link: PathBuf,
    sim: SimulatedPrinter,
}

/// A simulated printer behind a symlink, as `/dev/serial/by-id/...` would be.
fn rig() -> Rig {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("usb-printer");
    let sim = SimulatedPrinter::start(SimulatorOptions {
        link: Some(link.clone()),
        ..SimulatorOptions::default()
    })
    .unwrap();
    Rig {
        _dir: dir,
        link,
        sim,
    }
}

impl Rig {
    fn config(&self) -> PrinterConfig {
        config(&self.link.to_string_lossy())
    }
}

fn wait_for(events: &Receiver<PrinterEvent>, what: impl Fn(&PrinterEvent) -> bool) -> PrinterEvent {
    let deadline = Instant::now() + WAIT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match events.recv_timeout(left) {
            Ok(event) if what(&event) => return event,
            Ok(_) => {}
            Err(e) => panic!("event not seen within {WAIT:?}: {e}"),
        }
    }
}

fn outcome(events: &Receiver<PrinterEvent>, job: JobId) -> Result<(), PrinterError> {
    match wait_for(
        events,
        |e| matches!(e, PrinterEvent::Printed { job: j } | PrinterEvent::PrintFailed { job: j, .. } if *j == job),
    ) {
        PrinterEvent::PrintFailed { reason, .. } => Err(reason),
        _ => Ok(()),
    }
}

fn wait_state(events: &Receiver<PrinterEvent>, state: PrinterState) {
    wait_for(
        events,
        |e| matches!(e, PrinterEvent::StatusChanged(s) if s.state == state),
    );
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn eventually(condition: impl Fn() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !condition() {
        assert!(
            Instant::now() < deadline,
            "condition not met within {WAIT:?}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn started(config: &PrinterConfig) -> (PrinterHandle, Receiver<PrinterEvent>) {
    let handle = spawn(config).unwrap();
    let events = handle.subscribe();
    (handle, events)
}

#[test]
fn receipt_prints_with_reference_qr_and_cut() {
    let rig = rig();
    let (printer, events) = started(&rig.config());
    let job = printer.print(receipt("0012345678906"));
    outcome(&events, job).unwrap();
    let pieces = rig.sim.printouts();
    assert_eq!(pieces.len(), 1, "{}", rig.sim.output());
    let paper = &pieces[0];
    assert!(paper.contains("0012 3456 7890 6"), "{paper}");
    assert!(paper.contains("[QR: 0012345678906]"), "{paper}");
    assert!(paper.contains("28-11-2026 10:30"), "{paper}");
    assert!(paper.ends_with("--- cut ---"), "{paper}");
    assert_eq!(rig.sim.junk_bytes(), 0);
    assert_eq!(printer.status().state, PrinterState::Ready);
}

#[test]
fn a_subscriber_that_arrives_after_the_printer_is_ready_first_hears_that_it_is_ready() {
    let rig = rig();
    let printer = spawn(&rig.config()).unwrap();
    eventually(|| printer.status().state == PrinterState::Ready);
    // The change to "ready" was told before this subscriber came; it still hears where the printer stands.
    let events = printer.subscribe();
    match events.recv_timeout(WAIT) {
        Ok(PrinterEvent::StatusChanged(status)) => assert_eq!(status.state, PrinterState::Ready),
        other => panic!("{other:?}"),
    }
}

#[test]
fn state_changes_are_reported_once() {
    let rig = rig();
    let (printer, events) = started(&rig.config());
    wait_state(&events, PrinterState::Ready);
    rig.sim.set_cover_open(true);
    wait_state(&events, PrinterState::CoverOpen);
    assert_eq!(printer.status().state, PrinterState::CoverOpen);
    // Several polls later there is still only the one change.
    std::thread::sleep(Duration::from_millis(400));
    let repeats = events
        .try_iter()
        .filter(|e| matches!(e, PrinterEvent::StatusChanged(_)))
        .count();
    assert_eq!(repeats, 0);
    rig.sim.set_cover_open(false);
    wait_state(&events, PrinterState::Ready);
}

#[test]
fn refuses_to_print_when_the_receipt_would_not_come_out() {
    let rig = rig();
    let (printer, events) = started(&rig.config());
    rig.sim.set_cover_open(true);
    let job = printer.print(receipt("0012345678906"));
    match outcome(&events, job) {
        Err(PrinterError::NotReady { status }) => assert_eq!(status.state, PrinterState::CoverOpen),
        other => panic!("{other:?}"),
    }
    // Nothing of the job was sent, so nothing can come out when the cover is closed.
    assert!(!rig.sim.received().windows(4).any(|w| w == b"0012"));
    rig.sim.set_cover_open(false);
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(rig.sim.output(), "");
}

#[test]
fn one_way_printer_still_prints() {
    let rig = rig();
    rig.sim.set_one_way(true);
    let (printer, events) = started(&rig.config());
    let job = printer.print(receipt("0012345678906"));
    outcome(&events, job).unwrap();
    assert_eq!(printer.status().state, PrinterState::NoResponse);
    // Nothing confirms the print: wait for the simulated paper.
    eventually(|| rig.sim.cuts() == 1);
    assert!(rig.sim.output().contains("[QR: 0012345678906]"));
}

#[test]
fn one_way_printer_is_refused_when_configured_so() {
    let rig = rig();
    rig.sim.set_one_way(true);
    let config = PrinterConfig {
        one_way_ok: false,
        ..rig.config()
    };
    let (printer, events) = started(&config);
    let job = printer.print(receipt("0012345678906"));
    assert!(matches!(
        outcome(&events, job),
        Err(PrinterError::NotReady { .. })
    ));
    assert_eq!(rig.sim.cuts(), 0);
}

#[test]
fn noisy_line_still_prints() {
    let rig = rig();
    rig.sim.set_noisy(true);
    let (printer, events) = started(&rig.config());
    let job = printer.print(receipt("0012345678906"));
    outcome(&events, job).unwrap();
    assert_eq!(printer.status().state, PrinterState::Ready);
    assert_eq!(rig.sim.cuts(), 1);
}

#[test]
fn unplug_mid_job_fails_cleanly_then_reconnects_and_prints() {
    let rig = rig();
    let (printer, events) = started(&rig.config());
    wait_state(&events, PrinterState::Ready);

    // The cable comes out 60 bytes into the job.
    let before = rig.sim.received().len();
    rig.sim.unplug_after_bytes(3 + 3 + 60);
    let job = printer.print(receipt("0012345678906"));
    match outcome(&events, job) {
        Err(PrinterError::Disconnected { .. }) => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(rig.sim.cuts(), 0);
    assert!(rig.sim.received().len() <= before + 66);
    assert!(!rig.link.exists());
    assert_eq!(printer.status().state, PrinterState::Disconnected);

    // While unplugged a job fails at once with the reason.
    let job = printer.print(receipt("0012345678906"));
    match outcome(&events, job) {
        Err(PrinterError::NotReady { status }) => {
            assert_eq!(status.state, PrinterState::Disconnected)
        }
        other => panic!("{other:?}"),
    }

    assert!(rig.sim.replug());
    wait_state(&events, PrinterState::Ready);
    // The port was reopened by its path: the reconnect sent the buffer clear first.
    let job = printer.print(receipt("9988776655446"));
    outcome(&events, job).unwrap();
    let pieces = rig.sim.printouts();
    assert_eq!(pieces.len(), 1, "{}", rig.sim.output());
    assert!(pieces[0].contains("[QR: 9988776655446]"));
    assert!(!pieces[0].contains("0012345678906"));
}

#[test]
fn idle_unplug_is_seen_and_replug_recovers() {
    let rig = rig();
    let (printer, events) = started(&rig.config());
    wait_state(&events, PrinterState::Ready);
    assert!(rig.sim.unplug());
    wait_state(&events, PrinterState::Disconnected);
    assert!(rig.sim.replug());
    wait_state(&events, PrinterState::Ready);
    let job = printer.print(receipt("0012345678906"));
    outcome(&events, job).unwrap();
}

#[test]
fn held_job_prints_after_paper_is_loaded_unless_the_buffer_is_cleared() {
    // The quirk itself, with a plain port: a job sent at paper end comes out when paper returns.
    let rig = rig();
    let mut port =
        SerialPrinterPort::open(&rig.link.to_string_lossy(), 9600, FlowControl::None).unwrap();
    rig.sim.set_paper(Paper::Out);
    let bytes = receipt("0012345678906")
        .encode(rig.config().layout())
        .unwrap();
    port.write_all(&bytes).unwrap();
    let deadline = Instant::now() + WAIT;
    while rig.sim.received().len() < bytes.len() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(rig.sim.held_commands() > 0);
    assert_eq!(rig.sim.output(), "");
    rig.sim.set_paper(Paper::Ok);
    assert!(
        rig.sim.output().contains("[QR: 0012345678906]"),
        "the stale receipt prints"
    );
}

#[test]
fn paper_out_mid_job_fails_and_clears_so_the_stale_receipt_never_prints() {
    let rig = rig();
    let (printer, events) = started(&rig.config());
    wait_state(&events, PrinterState::Ready);
    rig.sim.run_out_of_paper_after_lines(3);
    let job = printer.print(receipt("0012345678906"));
    match outcome(&events, job) {
        Err(PrinterError::Interrupted { status }) => {
            assert_eq!(status.state, PrinterState::PaperOut)
        }
        other => panic!("{other:?}"),
    }
    // The worker sent DLE ENQ 2 and ESC @ after the job.
    eventually(|| {
        let received = rig.sim.received();
        find(&received, &[0x1D, 0x56, 0x41])
            .is_some_and(|cut| find(&received[cut..], &[0x10, 0x05, 0x02, 0x1B, 0x40]).is_some())
    });
    assert_eq!(rig.sim.held_commands(), 0);

    rig.sim.set_paper(Paper::Ok);
    wait_state(&events, PrinterState::Ready);
    let output = rig.sim.output();
    assert!(
        !output.contains("0012 3456"),
        "stale receipt printed: {output}"
    );
    assert!(!output.contains("[QR:"), "stale receipt printed: {output}");
    assert_eq!(rig.sim.cuts(), 0);

    // The next participant gets exactly their own receipt.
    let job = printer.print(receipt("9988776655446"));
    outcome(&events, job).unwrap();
    let pieces = rig.sim.printouts();
    assert_eq!(pieces.len(), 1);
    assert!(pieces[0].contains("[QR: 9988776655446]"));
    assert!(!pieces[0].contains("0012345678906"));
}

#[test]
fn raster_qr_printer_prints_an_image() {
    let rig = rig();
    let config = PrinterConfig {
        qr: QrMode::Raster,
        ..rig.config()
    };
    let (printer, events) = started(&config);
    let job = printer.print(receipt("0012345678906"));
    outcome(&events, job).unwrap();
    assert_eq!(rig.sim.images().len(), 1);
    assert!(rig.sim.output().contains("[RASTER QR 21x21 modules]"));
    assert!(!rig.sim.output().contains("[QR:"));
}

#[test]
fn test_page_and_demo_mode_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("printer.txt");
    let config = PrinterConfig {
        port: "simulated".into(),
        simulator_output: out.to_string_lossy().into_owned(),
        model: "Epson TM-T20II".into(),
        ..config("simulated")
    };
    let (printer, events) = started(&config);
    assert!(printer.simulator().is_some());
    let job = printer.print_test(when());
    outcome(&events, job).unwrap();
    let job = printer.print(receipt("0012345678906"));
    outcome(&events, job).unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("Epson TM-T20II"), "{text}");
    assert!(text.contains("[QR: LAPAK-KIOSK-TEST]"), "{text}");
    assert!(text.contains("[QR: 0012345678906]"), "{text}");
    assert_eq!(text.matches("--- cut ---").count(), 2);
}

#[test]
fn paper_running_out_after_the_status_said_ready_is_still_caught() {
    // A real printer answers DLE EOT before it has printed what it received: here the paper moves one
    // line per 20 ms, so the first check after sending still says ready.
    let rig = rig();
    let (printer, events) = started(&rig.config());
    wait_state(&events, PrinterState::Ready);
    rig.sim.set_slow(Some(Duration::from_millis(20)));
    rig.sim.run_out_of_paper_after_lines(4);
    let job = printer.print(receipt("0012345678906"));
    match outcome(&events, job) {
        Err(PrinterError::Interrupted { status }) => {
            assert_eq!(status.state, PrinterState::PaperOut)
        }
        other => panic!("{other:?}"),
    }
    eventually(|| rig.sim.held_commands() == 0);
    rig.sim.set_paper(Paper::Ok);
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(
        rig.sim.cuts(),
        0,
        "stale receipt printed: {}",
        rig.sim.output()
    );
    assert!(!rig.sim.output().contains("[QR:"));
}
