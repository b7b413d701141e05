//! Receipt bytes as the printer receives them: the reference, the QR data (native and raster) and
//! the cut, parsed back by the simulated printer.
#![allow(clippy::unwrap_used)] // a failed set-up step should stop the test right there

use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveDateTime};
use lapak_kiosk::printer::escpos::RasterImage;
use lapak_kiosk::printer::port::{PrinterPort, SerialPrinterPort};
use lapak_kiosk::printer::simulator::{SimulatedPrinter, SimulatorOptions, raster_qr_modules};
use lapak_kiosk::printer::{FlowControl, Layout, NotEligibleSlip, QrMode, Receipt};
use qrcode::{Color, EcLevel, QrCode};

fn when() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 28)
        .and_then(|d| d.and_hms_opt(14, 5, 0))
        .unwrap()
}

fn receipt(reference: &str) -> Receipt {
    Receipt {
        header: vec!["BPJS Ketenagakerjaan".into()],
        location: "Kantor Cabang Bandar Lampung".into(),
        when: when(),
        reference_label: "Nomor referensi".into(),
        reference: reference.parse().expect("a claim reference"),
        reference_display: "0012 3456 7890 12".into(),
        next_steps: vec![
            "Pembayaran biasanya dalam 5 hari kerja setelah verifikasi berhasil.".into(),
        ],
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Sends bytes to a simulated printer through a real port and waits until it has taken them all.
fn print_on_simulator(bytes: &[u8]) -> SimulatedPrinter {
    let sim = SimulatedPrinter::start(SimulatorOptions::default()).unwrap();
    let mut port =
        SerialPrinterPort::open(&sim.port_path().to_string_lossy(), 9600, FlowControl::None)
            .unwrap();
    port.write_all(bytes).unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while sim.received().len() < bytes.len() {
        assert!(
            Instant::now() < deadline,
            "simulator did not take the bytes"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    sim
}

fn qr_modules(data: &str) -> Vec<bool> {
    QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M)
        .unwrap()
        .to_colors()
        .into_iter()
        .map(|c| c == Color::Dark)
        .collect()
}

#[test]
fn native_receipt_bytes_hold_reference_qr_and_cut() {
    let layout = Layout {
        width_chars: 42,
        qr: QrMode::Native,
    };
    let bytes = receipt("0012345678906").encode(layout).unwrap();
    assert!(bytes.is_ascii());
    // QR model 2, size 6, EC M, then store 14 + 3 = 17 bytes of the reference, then print.
    let model = find(
        &bytes,
        &[0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00],
    )
    .unwrap();
    let size = find(&bytes, &[0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, 0x06]).unwrap();
    let ec = find(&bytes, &[0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, 0x31]).unwrap();
    let store = find(&bytes, b"\x1d\x28\x6b\x10\x00\x31\x50\x300012345678906").unwrap();
    let print = find(&bytes, &[0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30]).unwrap();
    assert!(model < size && size < ec && ec < store && store < print);
    let cut = find(&bytes, &[0x1D, 0x56, 0x41]).unwrap();
    assert!(print < cut && cut == bytes.len() - 4);

    let sim = print_on_simulator(&bytes);
    let paper = sim.output();
    let lines: Vec<&str> = paper.lines().collect();
    assert_eq!(lines.first(), Some(&"BPJS Ketenagakerjaan"));
    assert!(lines.contains(&"0012 3456 7890 12"), "{paper}");
    assert!(lines.contains(&"[QR: 0012345678906]"), "{paper}");
    assert_eq!(lines.last(), Some(&"--- cut ---"));
    assert!(lines.iter().all(|l| l.len() <= 42), "{paper}");
    assert_eq!(sim.junk_bytes(), 0);
}

#[test]
fn raster_receipt_draws_the_reference_qr() {
    let layout = Layout {
        width_chars: 32,
        qr: QrMode::Raster,
    };
    let bytes = receipt("0012345678906").encode(layout).unwrap();
    assert!(
        find(&bytes, &[0x1D, 0x28, 0x6B]).is_none(),
        "no native QR command"
    );
    let sim = print_on_simulator(&bytes);
    let images: Vec<RasterImage> = sim.images();
    assert_eq!(images.len(), 1);
    let read = raster_qr_modules(&images[0]).unwrap();
    assert_eq!(read.dark, qr_modules("0012345678906"));
    assert_ne!(read.dark, qr_modules("00123456789013"));
    let paper = sim.output();
    assert!(paper.contains("0012 3456 7890 12"), "{paper}");
    assert!(paper.ends_with("--- cut ---"), "{paper}");
    assert!(paper.lines().all(|l| l.len() <= 32), "{paper}");
}

#[test]
fn text_is_transliterated_never_raw_utf8() {
    let mut r = receipt("0012345678906");
    r.location = "Kantor Kelurahan Cipinang Cempedak – “Jakarta Timur”".into();
    r.next_steps = vec!["Hubungi kami • 24 jam…".into()];
    let layout = Layout {
        width_chars: 42,
        qr: QrMode::Native,
    };
    let bytes = r.encode(layout).unwrap();
    assert!(bytes.is_ascii());
    let sim = print_on_simulator(&bytes);
    let paper = sim.output();
    assert!(paper.contains("Cempedak -\n\"Jakarta Timur\""), "{paper}");
    assert!(paper.contains("Hubungi kami - 24 jam..."), "{paper}");
    assert_eq!(sim.junk_bytes(), 0);
}

#[test]
fn not_eligible_slip_prints_its_body_and_a_cut() {
    let slip = NotEligibleSlip {
        header: vec!["BPJS Ketenagakerjaan".into()],
        location: "Kantor Desa Sukamaju".into(),
        when: when(),
        title: "Belum dapat diajukan".into(),
        body: vec!["Klaim JHT dapat diajukan mulai tanggal 28-12-2026, satu bulan setelah tanggal berhenti bekerja.".into()],
    };
    let layout = Layout {
        width_chars: 32,
        qr: QrMode::Native,
    };
    let sim = print_on_simulator(&slip.encode(layout).unwrap());
    let paper = sim.output();
    assert!(paper.contains("Belum dapat diajukan"), "{paper}");
    assert!(paper.contains("28-12-2026"), "{paper}");
    assert!(!paper.contains("[QR:"));
    assert_eq!(sim.cuts(), 1);
    assert!(paper.lines().all(|l| l.len() <= 32), "{paper}");
}
