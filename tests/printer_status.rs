//! Every printer state read over a pseudo-terminal from the simulated printer, the way the worker and
//! `doctor` read it: real serial port code, real DLE EOT bytes.
#![allow(clippy::unwrap_used)] // a failed set-up step should stop the test right there

use std::time::Duration;

use lapak_kiosk::printer::port::{PrinterPort, SerialPrinterPort, read_status};
use lapak_kiosk::printer::simulator::{Paper, SimulatedPrinter, SimulatorOptions};
use lapak_kiosk::printer::{FlowControl, PrinterConfig, PrinterState, PrinterStatus, probe};

const REPLY: Duration = Duration::from_millis(150);

fn printer() -> (SimulatedPrinter, SerialPrinterPort) {
    printer_with(SimulatorOptions::default())
}

fn printer_with(options: SimulatorOptions) -> (SimulatedPrinter, SerialPrinterPort) {
    let sim = SimulatedPrinter::start(options).unwrap();
    let port = SerialPrinterPort::open(&sim.port_path().to_string_lossy(), 9600, FlowControl::None)
        .unwrap();
    (sim, port)
}

fn status(port: &mut SerialPrinterPort) -> PrinterStatus {
    read_status(port, REPLY, true).unwrap()
}

#[test]
fn ready_printer_is_ready() {
    let (sim, mut port) = printer();
    let s = status(&mut port);
    assert_eq!(s.state, PrinterState::Ready);
    assert_eq!(s.near_end, Some(false));
    assert_eq!(s.raw, [Some(0x12), None, None, Some(0x12)]);
    // Online: only n = 1 and n = 4 are asked.
    assert_eq!(sim.status_queries(), 2);
}

/// Sets (true) or clears (false) one fault on the simulated printer.
type SetFault = dyn Fn(&SimulatedPrinter, bool);

#[test]
fn every_fault_state_is_decoded() {
    let (sim, mut port) = printer();
    let cases: Vec<(&str, Box<SetFault>, PrinterState)> = vec![
        (
            "paper low",
            Box::new(|s, on| s.set_paper(if on { Paper::Low } else { Paper::Ok })),
            PrinterState::PaperLow,
        ),
        (
            "paper out",
            Box::new(|s, on| s.set_paper(if on { Paper::Out } else { Paper::Ok })),
            PrinterState::PaperOut,
        ),
        (
            "cover open",
            Box::new(|s, on| s.set_cover_open(on)),
            PrinterState::CoverOpen,
        ),
        (
            "cutter",
            Box::new(|s, on| s.set_cutter_error(on)),
            PrinterState::CutterError,
        ),
        (
            "unrecoverable",
            Box::new(|s, on| s.set_unrecoverable(on)),
            PrinterState::Unrecoverable,
        ),
        (
            "offline",
            Box::new(|s, on| s.set_offline(on)),
            PrinterState::Offline,
        ),
    ];
    for (name, set, expected) in cases {
        set(&sim, true);
        let s = status(&mut port);
        assert_eq!(s.state, expected, "{name}: {s:?}");
        assert_eq!(s.fix_hint(), expected.fix_hint());
        set(&sim, false);
        assert_eq!(
            status(&mut port).state,
            PrinterState::Ready,
            "{name} cleared"
        );
    }
}

#[test]
fn paper_out_replies_match_the_bytes_seen_in_the_wild() {
    let (sim, mut port) = printer();
    sim.set_paper(Paper::Out);
    let s = status(&mut port);
    assert_eq!(s.raw, [Some(0x1A), Some(0x32), Some(0x12), Some(0x7E)]);
    assert_eq!(s.near_end, Some(true));
    assert_eq!(s.fix_hint(), PrinterState::PaperOut.fix_hint());
}

#[test]
fn drawer_pin_high_is_not_a_fault() {
    let (sim, mut port) = printer();
    sim.set_drawer_high(true);
    let s = status(&mut port);
    assert_eq!(s.raw[0], Some(0x16));
    assert_eq!(s.state, PrinterState::Ready);
}

#[test]
fn model_without_near_end_sensor_reports_unknown() {
    let (sim, mut port) = printer_with(SimulatorOptions {
        near_end_sensor: false,
        ..SimulatorOptions::default()
    });
    sim.set_paper(Paper::Low);
    let s = read_status(&mut port, REPLY, false).unwrap();
    assert_eq!((s.state, s.near_end), (PrinterState::Ready, None));
    sim.set_paper(Paper::Out);
    assert_eq!(
        read_status(&mut port, REPLY, false).unwrap().state,
        PrinterState::PaperOut
    );
}

#[test]
fn one_way_printer_is_no_response() {
    let (sim, mut port) = printer();
    sim.set_one_way(true);
    let s = status(&mut port);
    assert_eq!(s.state, PrinterState::NoResponse);
    assert_eq!(s.raw, [None; 4]);
    // Asked more than once before giving up, and nothing else asked.
    assert_eq!(sim.status_queries(), 2);
}

#[test]
fn garbage_and_xon_xoff_around_replies_are_ignored() {
    let (sim, mut port) = printer();
    sim.set_noisy(true);
    // The noise is really on the line: XON, XOFF, garbage and an ASB-shaped block before the reply.
    port.write_all(&[0x10, 0x04, 0x01]).unwrap();
    let mut raw = Vec::new();
    let mut buf = [0u8; 64];
    while !raw.contains(&0x12) {
        let n = port.read_timeout(&mut buf, REPLY).unwrap();
        assert!(n > 0, "no reply in {raw:02x?}");
        raw.extend_from_slice(&buf[..n]);
    }
    assert!(
        raw.contains(&0x11) && raw.contains(&0x13) && raw.contains(&0xFF),
        "{raw:02x?}"
    );
    assert_ne!(raw[0], 0x12);
    assert_eq!(status(&mut port).state, PrinterState::Ready);
    sim.set_cover_open(true);
    let s = status(&mut port);
    assert_eq!(s.state, PrinterState::CoverOpen);
    assert_eq!(s.raw[0], Some(0x1A));
    sim.set_cover_open(false);
    sim.set_paper(Paper::Out);
    assert_eq!(status(&mut port).state, PrinterState::PaperOut);
}

#[test]
fn probe_reports_disconnected_for_a_missing_port_and_reads_a_present_one() {
    let missing = PrinterConfig {
        port: "/nonexistent/serial/by-id/usb-printer".into(),
        ..PrinterConfig::default()
    };
    assert_eq!(probe(&missing, REPLY).state, PrinterState::Disconnected);

    let sim = SimulatedPrinter::start(SimulatorOptions::default()).unwrap();
    sim.set_cover_open(true);
    let present = PrinterConfig {
        port: sim.port_path().to_string_lossy().into_owned(),
        ..PrinterConfig::default()
    };
    assert_eq!(probe(&present, REPLY).state, PrinterState::CoverOpen);
}
