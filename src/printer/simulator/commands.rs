//! The ESC/POS command stream as the simulated printer reads it: one command at a time from the front of its
//! buffer.

use super::RasterImage;

/// One parsed command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Op {
    /// `10 04 n`.
    StatusQuery(u8),
    /// `10 05 n`.
    Recover(u8),
    /// `1B 40`.
    Initialise,
    /// Printable bytes (0x20..=0x7E) and, counted as junk, bytes above 0x7F.
    Text(Vec<u8>),
    /// `0A`.
    LineFeed,
    /// `1B 64 n`: print and feed n lines.
    FeedLines(u8),
    /// `1B 45 n`.
    Bold(bool),
    /// `GS ( k` store.
    QrStore(Vec<u8>),
    /// `GS ( k` print.
    QrPrint,
    /// `GS v 0`.
    Raster(RasterImage),
    /// `GS V`.
    Cut,
    /// A known command without visible effect here (alignment, size, QR settings, code page, ASB).
    Setting,
    /// A byte that starts no known command.
    Unknown(u8),
}

/// Parses one command from the front of `buf`: the command and how many bytes it took, or `None` when
/// more bytes are needed.
pub(super) fn parse(buf: &[u8]) -> Option<(Op, usize)> {
    let first = *buf.first()?;
    let at = |i: usize| buf.get(i).copied();
    match first {
        0x10 => {
            let second = at(1)?;
            match second {
                0x04 => Some((Op::StatusQuery(at(2)?), 3)),
                0x05 => Some((Op::Recover(at(2)?), 3)),
                _ => Some((Op::Unknown(first), 1)),
            }
        }
        0x1B => match at(1)? {
            0x40 => Some((Op::Initialise, 2)),
            0x45 => Some((Op::Bold(at(2)? & 1 == 1), 3)),
            0x64 => Some((Op::FeedLines(at(2)?), 3)),
            0x61 | 0x74 | 0x21 | 0x4D => {
                at(2)?;
                Some((Op::Setting, 3))
            }
            _ => Some((Op::Unknown(first), 1)),
        },
        0x1D => match at(1)? {
            0x21 | 0x61 => {
                at(2)?;
                Some((Op::Setting, 3))
            }
            0x56 => match at(2)? {
                0x41 | 0x42 | 0x61 | 0x62 => {
                    at(3)?;
                    Some((Op::Cut, 4))
                }
                _ => Some((Op::Cut, 3)),
            },
            0x28 if at(2)? == 0x6B => {
                let len = usize::from(at(3)?) + 256 * usize::from(at(4)?);
                let body = buf.get(5..5 + len)?;
                let op = match body {
                    [0x31, 0x50, 0x30, data @ ..] => Op::QrStore(data.to_vec()),
                    [0x31, 0x51, ..] => Op::QrPrint,
                    _ => Op::Setting,
                };
                Some((op, 5 + len))
            }
            0x76 if at(2)? == 0x30 => {
                let header = buf.get(3..8)?;
                let x = usize::from(header[1]) + 256 * usize::from(header[2]);
                let y = usize::from(header[3]) + 256 * usize::from(header[4]);
                let data = buf.get(8..8 + x * y)?;
                let image = RasterImage {
                    bytes_per_row: x,
                    height: y,
                    data: data.to_vec(),
                };
                Some((Op::Raster(image), 8 + x * y))
            }
            _ => Some((Op::Unknown(first), 1)),
        },
        0x0A => Some((Op::LineFeed, 1)),
        0x0D => Some((Op::Setting, 1)),
        0x20..=0x7E | 0x80..=0xFF => {
            let len = buf
                .iter()
                .take_while(|&&b| (0x20..=0x7E).contains(&b) || b >= 0x80)
                .count();
            Some((Op::Text(buf[..len].to_vec()), len))
        }
        _ => Some((Op::Unknown(first), 1)),
    }
}
