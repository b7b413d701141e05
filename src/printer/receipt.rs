//! What gets printed: the claim receipt, the "not yet eligible" slip and the staff test page, laid out
//! for the configured paper width and QR method and encoded as ESC/POS.
//!
//! Every text on a printout is supplied by the caller (in the participant's language); this module adds
//! no words of its own except on the staff test page.

use crate::claim::reference::ClaimReference;
use chrono::NaiveDateTime;

use super::escpos::{Align, EscPos, TextSize, wrap};
use super::{PrinterConfig, PrinterError, QrMode};

/// Dots fed past the cutter before the cut (`GS V A n`), so the last line clears the blade.
const CUT_FEED_DOTS: u8 = 3;
/// The format of the date and time line: day-month-year as read in Indonesia.
const WHEN_FORMAT: &str = "%d-%m-%Y %H:%M";

/// How printouts are laid out on this printer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Characters per line in the normal font (42 on 80 mm paper, 32 on 58 mm).
    pub width_chars: usize,
    /// How QR codes are printed.
    pub qr: QrMode,
}

impl From<&PrinterConfig> for Layout {
    fn from(config: &PrinterConfig) -> Self {
        Layout {
            width_chars: config.width_chars,
            qr: config.qr,
        }
    }
}

/// The receipt a participant takes home after a claim is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// Lines at the top, centred and bold (office or programme name).
    pub header: Vec<String>,
    /// Where the kiosk stands.
    pub location: String,
    /// When the claim was stored (local time, passed in).
    pub when: NaiveDateTime,
    /// The label printed above the reference (e.g. "Nomor referensi klaim").
    pub reference_label: String,
    /// The claim reference: its digits are what the QR code holds.
    pub reference: ClaimReference,
    /// The reference as it is read aloud, grouped (e.g. "0012 3456 7890 12").
    pub reference_display: String,
    /// What happens next, one paragraph per entry; wrapped to the paper width.
    pub next_steps: Vec<String>,
}

/// The slip for a participant who is not yet eligible: what they can do and from when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotEligibleSlip {
    /// Lines at the top, centred and bold.
    pub header: Vec<String>,
    /// Where the kiosk stands.
    pub location: String,
    /// When the slip was printed (local time, passed in).
    pub when: NaiveDateTime,
    /// The headline, printed bold (e.g. "Belum dapat diajukan").
    pub title: String,
    /// The explanation and the date the claim becomes possible, one paragraph per entry.
    pub body: Vec<String>,
}

/// A slip for a participant who cannot go on now (the help slip, or a question they cannot answer yet):
/// what to do or bring, and where to ask, with a QR code when there is something to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdviceSlip {
    /// Lines at the top, centred and bold.
    pub header: Vec<String>,
    /// Where the kiosk stands.
    pub location: String,
    /// When the slip was printed (local time, passed in).
    pub when: NaiveDateTime,
    /// The headline, printed bold (e.g. "Minta bantuan").
    pub title: String,
    /// What to do or bring, one paragraph per entry.
    pub body: Vec<String>,
    /// What the QR code under the text holds (a `https://wa.me/…` or `tel:` link); `None`: no QR code.
    pub qr: Option<String>,
}

/// Anything the printer worker can print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Printout {
    /// A claim receipt.
    Receipt(Receipt),
    /// A "not yet eligible" slip.
    NotEligible(NotEligibleSlip),
    /// A help or "what to bring" slip.
    Advice(AdviceSlip),
    /// The staff test page.
    TestPage(TestPage),
}

impl From<Receipt> for Printout {
    fn from(receipt: Receipt) -> Self {
        Printout::Receipt(receipt)
    }
}

impl From<NotEligibleSlip> for Printout {
    fn from(slip: NotEligibleSlip) -> Self {
        Printout::NotEligible(slip)
    }
}

impl From<AdviceSlip> for Printout {
    fn from(slip: AdviceSlip) -> Self {
        Printout::Advice(slip)
    }
}

impl From<TestPage> for Printout {
    fn from(page: TestPage) -> Self {
        Printout::TestPage(page)
    }
}

impl Printout {
    /// The ESC/POS bytes of this printout for the given layout.
    pub fn encode(&self, layout: Layout) -> Result<Vec<u8>, PrinterError> {
        match self {
            Printout::Receipt(r) => r.encode(layout),
            Printout::NotEligible(s) => s.encode(layout),
            Printout::Advice(s) => s.encode(layout),
            Printout::TestPage(p) => p.encode(layout),
        }
    }
}

/// The staff test page: the printer's settings, a ruler of the configured width, a QR code and a cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestPage {
    /// The printer model from configuration.
    pub model: String,
    /// When it was printed (local time, passed in).
    pub when: NaiveDateTime,
}

/// What the test page's QR code holds.
pub const TEST_PAGE_QR: &str = "LAPAK-KIOSK-TEST";

fn heading(out: &mut EscPos, header: &[String], location: &str, when: NaiveDateTime, width: usize) {
    out.initialise().align(Align::Centre).bold(true);
    for line in header {
        for part in wrap(line, width) {
            out.line(&part);
        }
    }
    out.bold(false);
    for part in wrap(location, width) {
        out.line(&part);
    }
    out.line(&when.format(WHEN_FORMAT).to_string())
        .feed_lines(1);
}

fn paragraphs(out: &mut EscPos, paragraphs: &[String], width: usize) {
    out.align(Align::Left);
    for paragraph in paragraphs {
        for line in wrap(paragraph, width) {
            out.line(&line);
        }
    }
}

fn qr(out: &mut EscPos, data: &str, mode: QrMode) -> Result<(), PrinterError> {
    out.align(Align::Centre);
    match mode {
        QrMode::Native => out.qr_native(data)?,
        QrMode::Raster => out.qr_raster(data)?,
    };
    out.feed_lines(1);
    Ok(())
}

fn finish(mut out: EscPos) -> Vec<u8> {
    out.feed_lines(1).feed_and_cut(CUT_FEED_DOTS);
    out.into_bytes()
}

impl Receipt {
    /// The ESC/POS bytes: initialise, centred header, location, date and time, the reference in double
    /// size bold, its QR code, the next steps wrapped to the paper width, feed and cut.
    pub fn encode(&self, layout: Layout) -> Result<Vec<u8>, PrinterError> {
        let width = layout.width_chars;
        let mut out = EscPos::new();
        heading(&mut out, &self.header, &self.location, self.when, width);
        for line in wrap(&self.reference_label, width) {
            out.line(&line);
        }
        let display = if self.reference_display.trim().is_empty() {
            self.reference.digits()
        } else {
            self.reference_display.as_str()
        };
        // Double width halves the characters per line: a reference too long for that is printed
        // double height only, so it stays on one line.
        let size = if display.chars().count() <= width / 2 {
            TextSize::Double
        } else {
            TextSize::DoubleHeight
        };
        out.bold(true).size(size);
        for line in wrap(display, width) {
            out.line(&line);
        }
        out.double_size(false).bold(false).feed_lines(1);
        qr(&mut out, self.reference.digits(), layout.qr)?;
        paragraphs(&mut out, &self.next_steps, width);
        Ok(finish(out))
    }
}

impl NotEligibleSlip {
    /// The ESC/POS bytes: the same heading as a receipt, the title in bold, the body wrapped, feed and
    /// cut. No reference and no QR code: nothing was stored.
    pub fn encode(&self, layout: Layout) -> Result<Vec<u8>, PrinterError> {
        let width = layout.width_chars;
        let mut out = EscPos::new();
        heading(&mut out, &self.header, &self.location, self.when, width);
        out.bold(true);
        for line in wrap(&self.title, width) {
            out.line(&line);
        }
        out.bold(false).feed_lines(1);
        paragraphs(&mut out, &self.body, width);
        Ok(finish(out))
    }
}

impl AdviceSlip {
    /// The ESC/POS bytes: the same heading as a receipt, the title in bold, the body wrapped, the QR code
    /// if any, feed and cut.
    pub fn encode(&self, layout: Layout) -> Result<Vec<u8>, PrinterError> {
        let width = layout.width_chars;
        let mut out = EscPos::new();
        heading(&mut out, &self.header, &self.location, self.when, width);
        out.bold(true);
        for line in wrap(&self.title, width) {
            out.line(&line);
        }
        out.bold(false).feed_lines(1);
        paragraphs(&mut out, &self.body, width);
        if let Some(data) = &self.qr {
            out.feed_lines(1);
            qr(&mut out, data, layout.qr)?;
        }
        Ok(finish(out))
    }
}

impl TestPage {
    /// The ESC/POS bytes of the test page.
    pub fn encode(&self, layout: Layout) -> Result<Vec<u8>, PrinterError> {
        let width = layout.width_chars;
        let mut out = EscPos::new();
        let header = [
            "HALAMAN UJI PRINTER".to_string(),
            "PRINTER TEST PAGE".to_string(),
        ];
        heading(&mut out, &header, &self.model, self.when, width);
        out.align(Align::Left);
        let ruler: String = (1..=width)
            .map(|i| char::from(b'0' + (i % 10) as u8))
            .collect();
        out.line(&ruler);
        out.line(&format!("width_chars = {width}"));
        out.line(&format!("qr = {}", layout.qr.id()));
        out.bold(true).line("BOLD").bold(false);
        out.double_size(true)
            .line("2x")
            .double_size(false)
            .feed_lines(1);
        qr(&mut out, TEST_PAGE_QR, layout.qr)?;
        Ok(finish(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn when() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 28)
            .and_then(|d| d.and_hms_opt(9, 5, 0))
            .unwrap()
    }

    fn receipt() -> Receipt {
        Receipt {
            header: vec!["BPJS Ketenagakerjaan".into(), "Klaim JHT".into()],
            location: "Kantor Desa Sukamaju".into(),
            when: when(),
            reference_label: "Nomor referensi".into(),
            reference: "0012345678906".parse().unwrap(),
            reference_display: "0012 3456 7890 12".into(),
            next_steps: vec![
                "Petugas akan menghubungi Anda melalui telepon atau WhatsApp dalam 5 hari kerja."
                    .into(),
            ],
        }
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn receipt_has_reference_in_double_bold_qr_and_cut() {
        let layout = Layout {
            width_chars: 42,
            qr: QrMode::Native,
        };
        let bytes = receipt().encode(layout).unwrap();
        assert!(bytes.starts_with(&[0x1B, 0x40]));
        assert!(contains(
            &bytes,
            b"\x1b\x45\x01\x1d\x21\x110012 3456 7890 12\n"
        ));
        // On 58 mm paper 17 characters do not fit in double width: double height keeps one line.
        let narrow = Layout {
            width_chars: 32,
            qr: QrMode::Native,
        };
        let narrow_bytes = receipt().encode(narrow).unwrap();
        assert!(contains(
            &narrow_bytes,
            b"\x1b\x45\x01\x1d\x21\x010012 3456 7890 12\n"
        ));
        assert!(contains(
            &bytes,
            b"\x1d\x28\x6b\x10\x00\x31\x50\x300012345678906"
        ));
        assert!(contains(&bytes, b"28-11-2026 09:05\n"));
        assert!(bytes.ends_with(&[0x1D, 0x56, 0x41, CUT_FEED_DOTS]));
        assert!(bytes.is_ascii(), "no raw UTF-8 reaches the printer");
    }

    #[test]
    fn next_steps_are_wrapped_to_the_width() {
        for width in [32usize, 42] {
            let layout = Layout {
                width_chars: width,
                qr: QrMode::Native,
            };
            let bytes = receipt().encode(layout).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            let tail = text.rsplit("\x1b\x61\x00").next().unwrap();
            let lines: Vec<&str> = tail.lines().filter(|l| !l.contains('\x1d')).collect();
            assert!(lines.len() >= 2, "{lines:?}");
            assert!(lines.iter().all(|l| l.len() <= width), "{lines:?}");
        }
    }

    #[test]
    fn raster_receipt_has_no_native_qr() {
        let layout = Layout {
            width_chars: 42,
            qr: QrMode::Raster,
        };
        let bytes = receipt().encode(layout).unwrap();
        assert!(contains(&bytes, &[0x1D, 0x76, 0x30, 0x00]));
        assert!(!contains(&bytes, &[0x1D, 0x28, 0x6B]));
    }

    #[test]
    fn not_eligible_slip_has_title_and_no_qr() {
        let slip = NotEligibleSlip {
            header: vec!["BPJS Ketenagakerjaan".into()],
            location: "Kantor Desa Sukamaju".into(),
            when: when(),
            title: "Belum dapat diajukan".into(),
            body: vec!["Klaim dapat diajukan mulai 28-12-2026.".into()],
        };
        let layout = Layout {
            width_chars: 42,
            qr: QrMode::Native,
        };
        let bytes = slip.encode(layout).unwrap();
        assert!(contains(&bytes, b"\x1b\x45\x01Belum dapat diajukan\n"));
        assert!(contains(&bytes, b"28-12-2026"));
        assert!(!contains(&bytes, &[0x1D, 0x28, 0x6B]));
        assert!(bytes.ends_with(&[0x1D, 0x56, 0x41, CUT_FEED_DOTS]));
    }

    #[test]
    fn advice_slip_prints_title_body_and_the_qr_code_it_carries() {
        let slip = AdviceSlip {
            header: vec!["BPJS Ketenagakerjaan".into()],
            location: "Kantor Desa Sukamaju".into(),
            when: when(),
            title: "Minta bantuan".into(),
            body: vec!["WhatsApp kantor: 0812 3456 7890".into()],
            qr: Some("https://wa.me/6281234567890".into()),
        };
        let layout = Layout {
            width_chars: 42,
            qr: QrMode::Native,
        };
        let bytes = slip.encode(layout).unwrap();
        assert!(contains(&bytes, b"\x1b\x45\x01Minta bantuan\n"));
        assert!(contains(&bytes, b"0812 3456 7890"));
        assert!(contains(&bytes, b"https://wa.me/6281234567890"));
        assert!(bytes.ends_with(&[0x1D, 0x56, 0x41, CUT_FEED_DOTS]));
        let without = AdviceSlip { qr: None, ..slip };
        assert!(!contains(
            &without.encode(layout).unwrap(),
            &[0x1D, 0x28, 0x6B]
        ));
    }
}
