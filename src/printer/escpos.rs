//! ESC/POS command encoding: the exact bytes sent to the printer.
//!
//! Text is always transliterated to printable ASCII first ([`to_printer_text`]): the printer's code page
//! differs per model and raw UTF-8 prints as junk, and control bytes in caller text could otherwise
//! smuggle commands into the stream.

use qrcode::{Color, EcLevel, QrCode};

use super::PrinterError;

/// `ESC @`: initialise the printer (clears its print buffer and resets every style).
pub const INITIALISE: [u8; 2] = [0x1B, 0x40];
/// `DLE ENQ 2`: real-time "recover from a recoverable error after clearing the receive and print buffers".
pub const RECOVER_CLEARING_BUFFERS: [u8; 3] = [0x10, 0x05, 0x02];
/// `GS ( k` QR model 2.
pub const QR_MODEL_2: [u8; 9] = [0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00];
/// `GS ( k` QR module size 6 dots.
pub const QR_MODULE_SIZE_6: [u8; 8] = [0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, 0x06];
/// `GS ( k` QR error correction level M.
pub const QR_ERROR_CORRECTION_M: [u8; 8] = [0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, 0x31];
/// `GS ( k` print the stored QR symbol.
pub const QR_PRINT: [u8; 8] = [0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30];
/// Dots per QR module in the raster fallback (same size as the native QR's module size 6).
pub const RASTER_QR_MODULE_DOTS: usize = 6;
/// Light modules around a raster QR (the quiet zone the QR standard asks for).
pub const RASTER_QR_QUIET_MODULES: usize = 4;
/// Largest payload the native `GS ( k` store command accepts (k + 3 must fit in pL/pH).
pub const QR_MAX_NATIVE_BYTES: usize = 7089;

/// Horizontal alignment (`ESC a n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// n = 0.
    Left = 0,
    /// n = 1.
    Centre = 1,
    /// n = 2.
    Right = 2,
}

/// Character size (`GS ! n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextSize {
    /// n = 0x00.
    Normal = 0x00,
    /// n = 0x01: double height, normal width (as many characters per line as normal).
    DoubleHeight = 0x01,
    /// n = 0x11: double width and height (half the characters per line).
    Double = 0x11,
}

/// Builds an ESC/POS byte stream.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EscPos {
    bytes: Vec<u8>,
}

impl EscPos {
    /// An empty stream.
    pub fn new() -> Self {
        EscPos::default()
    }

    /// Appends `ESC @` (initialise).
    pub fn initialise(&mut self) -> &mut Self {
        self.bytes.extend_from_slice(&INITIALISE);
        self
    }

    /// Appends `ESC a n`.
    pub fn align(&mut self, align: Align) -> &mut Self {
        self.bytes.extend_from_slice(&[0x1B, 0x61, align as u8]);
        self
    }

    /// Appends `ESC E n` (bold on or off).
    pub fn bold(&mut self, on: bool) -> &mut Self {
        self.bytes.extend_from_slice(&[0x1B, 0x45, u8::from(on)]);
        self
    }

    /// Appends `GS ! n` with the given character size.
    pub fn size(&mut self, size: TextSize) -> &mut Self {
        self.bytes.extend_from_slice(&[0x1D, 0x21, size as u8]);
        self
    }

    /// Appends `GS ! n`: double width and height (`0x11`) or normal (`0x00`).
    pub fn double_size(&mut self, on: bool) -> &mut Self {
        self.size(if on {
            TextSize::Double
        } else {
            TextSize::Normal
        })
    }

    /// Appends one line of text (transliterated to printable ASCII) and a line feed.
    pub fn line(&mut self, text: &str) -> &mut Self {
        self.bytes
            .extend_from_slice(to_printer_text(text).as_bytes());
        self.bytes.push(b'\n');
        self
    }

    /// Appends `n` empty lines.
    pub fn feed_lines(&mut self, n: usize) -> &mut Self {
        self.bytes.extend(std::iter::repeat_n(b'\n', n));
        self
    }

    /// Appends a native QR code (`GS ( k`): model 2, module size 6, error correction M, store, print.
    pub fn qr_native(&mut self, data: &str) -> Result<&mut Self, PrinterError> {
        let data = data.as_bytes();
        if data.is_empty() || data.len() > QR_MAX_NATIVE_BYTES {
            return Err(PrinterError::QrCode {
                reason: format!("{} bytes (1 to {QR_MAX_NATIVE_BYTES} fit)", data.len()),
            });
        }
        let len = data.len() + 3;
        // Both fit in a byte: len <= 7092 < 256 * 256.
        let [p_l, p_h] = [(len % 256) as u8, (len / 256) as u8];
        self.bytes.extend_from_slice(&QR_MODEL_2);
        self.bytes.extend_from_slice(&QR_MODULE_SIZE_6);
        self.bytes.extend_from_slice(&QR_ERROR_CORRECTION_M);
        self.bytes
            .extend_from_slice(&[0x1D, 0x28, 0x6B, p_l, p_h, 0x31, 0x50, 0x30]);
        self.bytes.extend_from_slice(data);
        self.bytes.extend_from_slice(&QR_PRINT);
        Ok(self)
    }

    /// Appends a QR code rendered here (error correction M) as a `GS v 0` raster image, for printers
    /// whose native QR is missing or prints junk.
    pub fn qr_raster(&mut self, data: &str) -> Result<&mut Self, PrinterError> {
        let image = RasterImage::qr(data)?;
        self.raster(&image);
        Ok(self)
    }

    /// Appends `GS v 0 0 xL xH yL yH d...` for a 1-bit image.
    pub fn raster(&mut self, image: &RasterImage) -> &mut Self {
        let x = image.bytes_per_row;
        let y = image.height;
        self.bytes.extend_from_slice(&[
            0x1D,
            0x76,
            0x30,
            0x00,
            (x % 256) as u8,
            (x / 256) as u8,
            (y % 256) as u8,
            (y / 256) as u8,
        ]);
        self.bytes.extend_from_slice(&image.data);
        self
    }

    /// Appends `GS V A n`: feed to the cutter plus `n` dots, then cut.
    pub fn feed_and_cut(&mut self, n: u8) -> &mut Self {
        self.bytes.extend_from_slice(&[0x1D, 0x56, 0x41, n]);
        self
    }

    /// The bytes built so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The finished stream.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

/// A 1-bit image in the `GS v 0` layout: rows top to bottom, 8 dots per byte, most significant bit left,
/// 1 = black.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RasterImage {
    /// Bytes in each row.
    pub bytes_per_row: usize,
    /// Rows (dots).
    pub height: usize,
    /// `bytes_per_row * height` bytes.
    pub data: Vec<u8>,
}

impl RasterImage {
    /// The QR code of `data` (error correction M) with a 4-module quiet zone, 6 dots per module.
    pub fn qr(data: &str) -> Result<Self, PrinterError> {
        let code =
            QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).map_err(|e| {
                PrinterError::QrCode {
                    reason: e.to_string(),
                }
            })?;
        let modules = code.width();
        let colors = code.to_colors();
        let side = (modules + 2 * RASTER_QR_QUIET_MODULES) * RASTER_QR_MODULE_DOTS;
        let bytes_per_row = side.div_ceil(8);
        let mut image = RasterImage {
            bytes_per_row,
            height: side,
            data: vec![0; bytes_per_row * side],
        };
        for y in 0..side {
            for x in 0..side {
                let mx = (x / RASTER_QR_MODULE_DOTS).checked_sub(RASTER_QR_QUIET_MODULES);
                let my = (y / RASTER_QR_MODULE_DOTS).checked_sub(RASTER_QR_QUIET_MODULES);
                if let (Some(mx), Some(my)) = (mx, my)
                    && mx < modules
                    && my < modules
                    && colors.get(my * modules + mx) == Some(&Color::Dark)
                {
                    image.set(x, y);
                }
            }
        }
        Ok(image)
    }

    /// Width in dots (a multiple of 8).
    pub fn width(&self) -> usize {
        self.bytes_per_row * 8
    }

    /// Whether the dot at (x, y) is black; dots outside the image are white.
    pub fn dot(&self, x: usize, y: usize) -> bool {
        if x >= self.width() || y >= self.height {
            return false;
        }
        self.data
            .get(y * self.bytes_per_row + x / 8)
            .is_some_and(|b| b & (0x80 >> (x % 8)) != 0)
    }

    fn set(&mut self, x: usize, y: usize) {
        if let Some(b) = self.data.get_mut(y * self.bytes_per_row + x / 8) {
            *b |= 0x80 >> (x % 8);
        }
    }
}

/// Transliterates text to printable ASCII, the subset every code page agrees on.
///
/// Accented Latin letters lose their accents, typographic quotes and dashes become plain ones, any other
/// non-ASCII character becomes `?`, and control characters (which would be commands) become spaces.
pub fn to_printer_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            ' '..='~' => out.push(c),
            '\t' | '\n' | '\r' | '\u{a0}' | '\u{2002}'..='\u{200a}' => out.push(' '),
            c if c.is_control() => out.push(' '),
            c => out.push_str(ascii_for(c)),
        }
    }
    out
}

fn ascii_for(c: char) -> &'static str {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' => "A",
        'è' | 'é' | 'ê' | 'ë' | 'ē' => "e",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' => "E",
        'ì' | 'í' | 'î' | 'ï' | 'ī' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' => "I",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' => "O",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' => "U",
        'ç' => "c",
        'Ç' => "C",
        'ñ' => "n",
        'Ñ' => "N",
        'ß' => "ss",
        '‘' | '’' | '′' => "'",
        '“' | '”' | '″' => "\"",
        '–' | '—' | '−' | '‐' => "-",
        '…' => "...",
        '•' | '·' => "-",
        '×' => "x",
        '°' => "o",
        _ => "?",
    }
}

/// Splits text into lines of at most `width` characters, breaking at spaces (a longer word is cut).
///
/// The text is transliterated first, so the width counts what the printer prints.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let text = to_printer_text(text);
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let mut word = word;
        while word.len() > width {
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            let (head, tail) = word.split_at(width);
            lines.push(head.to_string());
            word = tail;
        }
        if word.is_empty() {
            continue;
        }
        if current.is_empty() {
            current.push_str(word);
        } else if current.len() + 1 + word.len() <= width {
            current.push(' ');
            current.push_str(word);
        } else {
            lines.push(std::mem::replace(&mut current, word.to_string()));
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn native_qr_has_the_exact_documented_bytes() {
        let mut e = EscPos::new();
        e.qr_native("1234").unwrap();
        let expected: Vec<u8> = [
            0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00, // model 2
            0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, 0x06, // module size 6
            0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, 0x31, // error correction M
            0x1D, 0x28, 0x6B, 0x07, 0x00, 0x31, 0x50, 0x30, b'1', b'2', b'3', b'4', // store
            0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30, // print
        ]
        .to_vec();
        assert_eq!(e.as_bytes(), &expected[..]);
    }

    #[test]
    fn native_qr_length_uses_the_high_byte() {
        let data = "7".repeat(300);
        let mut e = EscPos::new();
        e.qr_native(&data).unwrap();
        // 303 = 0x012F
        let head = [0x1D, 0x28, 0x6B, 0x2F, 0x01, 0x31, 0x50, 0x30];
        assert!(e.as_bytes().windows(8).any(|w| w == head));
        assert!(EscPos::new().qr_native("").is_err());
        assert!(
            EscPos::new()
                .qr_native(&"1".repeat(QR_MAX_NATIVE_BYTES + 1))
                .is_err()
        );
    }

    #[test]
    fn raster_qr_header_matches_the_image() {
        let image = RasterImage::qr("0012345678901234").unwrap();
        // Version 1 (21 modules) plus quiet zones, 6 dots per module.
        assert_eq!(image.height, (21 + 8) * 6);
        assert_eq!(image.bytes_per_row, ((21 + 8) * 6usize).div_ceil(8));
        let mut e = EscPos::new();
        e.raster(&image);
        let b = e.as_bytes();
        assert_eq!(&b[..4], &[0x1D, 0x76, 0x30, 0x00]);
        assert_eq!(
            usize::from(b[4]) + 256 * usize::from(b[5]),
            image.bytes_per_row
        );
        assert_eq!(usize::from(b[6]) + 256 * usize::from(b[7]), image.height);
        assert_eq!(b.len(), 8 + image.bytes_per_row * image.height);
        // Quiet zone white, top-left finder pattern corner black.
        assert!(!image.dot(0, 0));
        assert!(image.dot(4 * 6, 4 * 6));
        assert!(image.dot(4 * 6 + 6 * 7 - 1, 4 * 6));
        assert!(!image.dot(4 * 6 + 6 * 7, 4 * 6));
    }

    #[test]
    fn transliteration_never_sends_utf8_or_control_bytes() {
        assert_eq!(
            to_printer_text("Sélamat “pagi” – Rp 5.000…"),
            "Selamat \"pagi\" - Rp 5.000..."
        );
        assert_eq!(to_printer_text("a\x1b@b\x10\x04\x01"), "a @b   ");
        let out = to_printer_text("日本 \u{1F600} ok");
        assert_eq!(out, "?? ? ok");
        assert!(
            to_printer_text("x\u{1b}\u{7f}é")
                .bytes()
                .all(|b| (0x20..0x7f).contains(&b))
        );
    }

    #[test]
    fn wrap_keeps_words_and_width() {
        let lines = wrap(
            "Petugas akan menghubungi Anda melalui telepon atau WhatsApp",
            20,
        );
        assert_eq!(
            lines,
            vec![
                "Petugas akan",
                "menghubungi Anda",
                "melalui telepon atau",
                "WhatsApp"
            ]
        );
        assert!(lines.iter().all(|l| l.len() <= 20));
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 10), vec![""]);
    }
}
