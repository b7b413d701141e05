//! What the printer says about itself: the DLE EOT real-time status replies and the 4-byte
//! automatic status back (ASB), decoded into one [`PrinterStatus`].

use serde::{Deserialize, Serialize};

/// XON flow-control byte; a printer may send it at any time. Never a status reply.
pub const XON: u8 = 0x11;
/// XOFF flow-control byte; a printer may send it at any time. Never a status reply.
pub const XOFF: u8 = 0x13;

/// Which real-time status a DLE EOT query asks for (`10 04 n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusQuery {
    /// n = 1: printer status (offline bit).
    Printer = 1,
    /// n = 2: why the printer is offline (cover, paper end, error).
    OfflineCause = 2,
    /// n = 3: which error (cutter, unrecoverable, auto-recoverable).
    ErrorCause = 3,
    /// n = 4: roll paper sensor (near end, end).
    PaperSensor = 4,
}

impl StatusQuery {
    /// All four queries, in the order of the `raw` array of [`PrinterStatus`].
    pub const ALL: [StatusQuery; 4] = [
        StatusQuery::Printer,
        StatusQuery::OfflineCause,
        StatusQuery::ErrorCause,
        StatusQuery::PaperSensor,
    ];

    /// The `n` byte of the command.
    pub fn n(self) -> u8 {
        self as u8
    }

    /// Index of this query's reply in [`PrinterStatus::raw`].
    pub fn index(self) -> usize {
        usize::from(self.n() - 1)
    }

    /// The exact three command bytes `10 04 n` (no trailing `00`).
    pub fn command(self) -> [u8; 3] {
        [0x10, 0x04, self.n()]
    }
}

/// Whether a byte read from the printer is a DLE EOT reply: every reply matches `0xx1xx10`.
///
/// ASB bytes, XON (`0x11`), XOFF (`0x13`) and line noise do not match and must be skipped.
pub fn is_status_reply(byte: u8) -> bool {
    byte & 0x93 == 0x12
}

/// The first DLE EOT reply among bytes read from the printer, skipping everything else.
pub fn first_status_reply(bytes: &[u8]) -> Option<u8> {
    bytes.iter().copied().find(|&b| is_status_reply(b))
}

/// The overall state of the printer, most serious cause first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrinterState {
    /// Online with paper: a receipt will print.
    Ready,
    /// Online, but the roll is nearly finished: prints, staff should change the roll soon.
    PaperLow,
    /// The roll has run out: nothing prints until a new roll is loaded.
    PaperOut,
    /// The cover is open: nothing prints until it is closed.
    CoverOpen,
    /// The auto-cutter is jammed or failed.
    CutterError,
    /// An unrecoverable error: the printer needs a power cycle or service.
    Unrecoverable,
    /// Offline for another reason (mechanical or auto-recoverable error, feed button held).
    Offline,
    /// The port opened but nothing valid came back: switched off, wrong baud rate, or a one-way printer.
    NoResponse,
    /// The port could not be opened or was lost (cable out, device missing).
    Disconnected,
}

impl PrinterState {
    /// A short, stable identifier for logs, heartbeats and the fleet view.
    pub fn id(self) -> &'static str {
        match self {
            PrinterState::Ready => "ready",
            PrinterState::PaperLow => "paper_low",
            PrinterState::PaperOut => "paper_out",
            PrinterState::CoverOpen => "cover_open",
            PrinterState::CutterError => "cutter_error",
            PrinterState::Unrecoverable => "unrecoverable",
            PrinterState::Offline => "offline",
            PrinterState::NoResponse => "no_response",
            PrinterState::Disconnected => "disconnected",
        }
    }

    /// What field staff should do about this state (shown by `doctor` and the staff screens).
    pub fn fix_hint(self) -> &'static str {
        match self {
            PrinterState::Ready => "printer ready: nothing to do",
            PrinterState::PaperLow => "printer paper nearly finished: load a new roll soon",
            PrinterState::PaperOut => "printer out of paper: load a new roll and close the cover",
            PrinterState::CoverOpen => "printer cover open: close the cover",
            PrinterState::CutterError => {
                "printer cutter error: open the cover, remove jammed paper, close the cover"
            }
            PrinterState::Unrecoverable => {
                "printer unrecoverable error: switch the printer off and on; call service if it stays"
            }
            PrinterState::Offline => {
                "printer offline: check the feed button is not held and the printer is switched on"
            }
            PrinterState::NoResponse => {
                "printer not answering: check it is switched on and the baud rate matches its settings \
                 (a one-way printer never answers)"
            }
            PrinterState::Disconnected => {
                "printer disconnected: check the cable and the configured port path"
            }
        }
    }

    /// Whether a receipt sent now would come out (or, for [`PrinterState::NoResponse`], might).
    ///
    /// A one-way printer never answers, so `NoResponse` prints when configured to allow it.
    pub fn can_print(self, one_way_ok: bool) -> bool {
        match self {
            PrinterState::Ready | PrinterState::PaperLow => true,
            PrinterState::NoResponse => one_way_ok,
            PrinterState::PaperOut
            | PrinterState::CoverOpen
            | PrinterState::CutterError
            | PrinterState::Unrecoverable
            | PrinterState::Offline
            | PrinterState::Disconnected => false,
        }
    }
}

impl std::fmt::Display for PrinterState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// The printer's status as last read, with the raw replies behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PrinterStatus {
    /// The overall state.
    pub state: PrinterState,
    /// Paper near end: `None` when the model has no near-end sensor (or it could not be read).
    pub near_end: Option<bool>,
    /// The DLE EOT replies for n = 1..4 (`None` = not asked or not answered).
    pub raw: [Option<u8>; 4],
}

impl PrinterStatus {
    /// A status with no replies behind it (disconnected, no response).
    pub fn without_replies(state: PrinterState) -> Self {
        PrinterStatus {
            state,
            near_end: None,
            raw: [None; 4],
        }
    }

    /// What field staff should do (see [`PrinterState::fix_hint`]).
    pub fn fix_hint(&self) -> &'static str {
        self.state.fix_hint()
    }

    /// Decodes the DLE EOT replies (indexed by [`StatusQuery::index`]) into a status.
    ///
    /// No reply to n = 1 means [`PrinterState::NoResponse`]. Otherwise the most serious cause wins:
    /// unrecoverable, cutter, cover open, paper out, offline, paper low, ready. Paper end reported by
    /// the roll sensor counts even when the printer stays online (not every model goes offline).
    pub fn from_replies(raw: [Option<u8>; 4], has_near_end_sensor: bool) -> Self {
        let Some(printer) = raw[0] else {
            return PrinterStatus::without_replies(PrinterState::NoResponse);
        };
        let offline = printer & 0x08 != 0;
        let cause = raw[1].unwrap_or(0);
        let error = raw[2].unwrap_or(0);
        let sensor = raw[3];

        let cover_open = cause & 0x04 != 0;
        let paper_stop = cause & 0x20 != 0;
        let cutter = error & 0x08 != 0;
        let unrecoverable = error & 0x20 != 0;
        let sensor_paper_end = sensor.is_some_and(|b| b & 0x60 == 0x60);
        let near_end = if has_near_end_sensor {
            sensor.map(|b| b & 0x0C == 0x0C)
        } else {
            None
        };

        let state = if unrecoverable {
            PrinterState::Unrecoverable
        } else if cutter {
            PrinterState::CutterError
        } else if cover_open {
            PrinterState::CoverOpen
        } else if paper_stop || sensor_paper_end {
            PrinterState::PaperOut
        } else if offline {
            PrinterState::Offline
        } else if near_end == Some(true) {
            PrinterState::PaperLow
        } else {
            PrinterState::Ready
        };
        PrinterStatus {
            state,
            near_end,
            raw,
        }
    }
}

/// The 4-byte automatic status back (ASB) a printer sends after `GS a n` and at every change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AsbStatus {
    /// Byte 1, 0x04: drawer kick-out connector pin 3 high.
    pub drawer_high: bool,
    /// Byte 1, 0x08: offline.
    pub offline: bool,
    /// Byte 1, 0x20: cover open.
    pub cover_open: bool,
    /// Byte 1, 0x40: paper being fed by the feed button.
    pub feeding: bool,
    /// Byte 2, 0x04: mechanical error.
    pub mechanical_error: bool,
    /// Byte 2, 0x08: auto-cutter error.
    pub cutter_error: bool,
    /// Byte 2, 0x20: unrecoverable error.
    pub unrecoverable: bool,
    /// Byte 2, 0x40: auto-recoverable error.
    pub auto_recoverable: bool,
    /// Byte 3, 0x03: roll paper near end.
    pub near_end: bool,
    /// Byte 3, 0x0C: roll paper end.
    pub paper_end: bool,
}

impl AsbStatus {
    /// Decodes one ASB block; `None` unless the four bytes have the ASB shape
    /// (byte 1 `0xx1xx00`, bytes 2 and 4 `0xx0xx00`, byte 3 `0000xxxx`).
    pub fn decode(bytes: [u8; 4]) -> Option<Self> {
        let [b1, b2, b3, b4] = bytes;
        if b1 & 0x93 != 0x10 || b2 & 0x93 != 0 || b3 & 0xF0 != 0 || b4 & 0x93 != 0 {
            return None;
        }
        Some(AsbStatus {
            drawer_high: b1 & 0x04 != 0,
            offline: b1 & 0x08 != 0,
            cover_open: b1 & 0x20 != 0,
            feeding: b1 & 0x40 != 0,
            mechanical_error: b2 & 0x04 != 0,
            cutter_error: b2 & 0x08 != 0,
            unrecoverable: b2 & 0x20 != 0,
            auto_recoverable: b2 & 0x40 != 0,
            near_end: b3 & 0x03 != 0,
            paper_end: b3 & 0x0C != 0,
        })
    }

    /// The first ASB block in bytes read from the printer, skipping XON/XOFF, DLE EOT replies and noise.
    pub fn find(bytes: &[u8]) -> Option<Self> {
        bytes
            .windows(4)
            .find_map(|w| AsbStatus::decode([w[0], w[1], w[2], w[3]]))
    }

    /// The overall state this block reports (same priority as [`PrinterStatus::from_replies`]).
    pub fn state(&self) -> PrinterState {
        if self.unrecoverable {
            PrinterState::Unrecoverable
        } else if self.cutter_error {
            PrinterState::CutterError
        } else if self.cover_open {
            PrinterState::CoverOpen
        } else if self.paper_end {
            PrinterState::PaperOut
        } else if self.offline || self.mechanical_error || self.auto_recoverable {
            PrinterState::Offline
        } else if self.near_end {
            PrinterState::PaperLow
        } else {
            PrinterState::Ready
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(raw: [Option<u8>; 4]) -> PrinterStatus {
        PrinterStatus::from_replies(raw, true)
    }

    #[test]
    fn reply_pattern_accepts_only_0xx1xx10() {
        for b in 0..=255u8 {
            let expected = b & 0x80 == 0 && b & 0x10 != 0 && b & 0x02 != 0 && b & 0x01 == 0;
            assert_eq!(is_status_reply(b), expected, "byte {b:#04x}");
        }
        assert!(!is_status_reply(XON));
        assert!(!is_status_reply(XOFF));
        assert!(!is_status_reply(0x10), "ASB first byte");
        assert!(!is_status_reply(0x00));
        assert!(!is_status_reply(0xFF));
    }

    #[test]
    fn first_reply_skips_flow_control_asb_and_garbage() {
        assert_eq!(
            first_status_reply(&[XON, 0x10, 0x00, 0x00, 0x00, XOFF, 0xFF, 0x1A, 0x12]),
            Some(0x1A)
        );
        assert_eq!(first_status_reply(&[XON, XOFF, 0x00, 0xFF]), None);
    }

    #[test]
    fn seen_in_the_wild_idle_is_ready() {
        let s = decode([Some(0x12), Some(0x12), Some(0x12), Some(0x12)]);
        assert_eq!(s.state, PrinterState::Ready);
        assert_eq!(s.near_end, Some(false));
    }

    #[test]
    fn seen_in_the_wild_drawer_pin_high_is_still_ready() {
        let s = decode([Some(0x16), None, None, Some(0x12)]);
        assert_eq!(s.state, PrinterState::Ready);
    }

    #[test]
    fn seen_in_the_wild_offline_without_cause_is_offline() {
        let s = decode([Some(0x1A), Some(0x12), Some(0x12), Some(0x12)]);
        assert_eq!(s.state, PrinterState::Offline);
    }

    #[test]
    fn seen_in_the_wild_paper_end_from_offline_cause() {
        let s = decode([Some(0x1A), Some(0x32), Some(0x12), Some(0x12)]);
        assert_eq!(s.state, PrinterState::PaperOut);
    }

    #[test]
    fn seen_in_the_wild_sensor_near_end_and_end() {
        let s = decode([Some(0x1A), Some(0x32), Some(0x12), Some(0x7E)]);
        assert_eq!(s.state, PrinterState::PaperOut);
        assert_eq!(s.near_end, Some(true));
        // Even a printer that stays online reports paper out from the sensor.
        let s = decode([Some(0x12), None, None, Some(0x7E)]);
        assert_eq!(s.state, PrinterState::PaperOut);
    }

    #[test]
    fn seen_in_the_wild_0x72_means_no_paper() {
        let s = decode([Some(0x12), None, None, Some(0x72)]);
        assert_eq!(s.state, PrinterState::PaperOut);
        assert_eq!(s.near_end, Some(false));
    }

    #[test]
    fn n1_bits() {
        // 0x04 drawer, 0x20 waiting for recovery, 0x40 feed button: none of them is a fault alone.
        for bit in [0x04, 0x20, 0x40] {
            assert_eq!(
                decode([Some(0x12 | bit), None, None, Some(0x12)]).state,
                PrinterState::Ready
            );
        }
        assert_eq!(
            decode([Some(0x12 | 0x08), None, None, None]).state,
            PrinterState::Offline
        );
    }

    #[test]
    fn n2_bits() {
        let off = Some(0x1A);
        assert_eq!(
            decode([off, Some(0x16), Some(0x12), None]).state,
            PrinterState::CoverOpen
        );
        // 0x08 paper fed by button: offline, no more specific cause.
        assert_eq!(
            decode([off, Some(0x1A), Some(0x12), None]).state,
            PrinterState::Offline
        );
        assert_eq!(
            decode([off, Some(0x32), Some(0x12), None]).state,
            PrinterState::PaperOut
        );
        // 0x40 error: the cause comes from n = 3; without one it stays offline.
        assert_eq!(
            decode([off, Some(0x52), Some(0x12), None]).state,
            PrinterState::Offline
        );
    }

    #[test]
    fn n3_bits() {
        let off = Some(0x1A);
        let err = Some(0x52);
        // 0x04 mechanical and 0x40 auto-recoverable: offline until recovered.
        assert_eq!(
            decode([off, err, Some(0x16), None]).state,
            PrinterState::Offline
        );
        assert_eq!(
            decode([off, err, Some(0x1A), None]).state,
            PrinterState::CutterError
        );
        assert_eq!(
            decode([off, err, Some(0x32), None]).state,
            PrinterState::Unrecoverable
        );
        assert_eq!(
            decode([off, err, Some(0x52), None]).state,
            PrinterState::Offline
        );
    }

    #[test]
    fn n4_bits() {
        let s = decode([Some(0x12), None, None, Some(0x1E)]);
        assert_eq!((s.state, s.near_end), (PrinterState::PaperLow, Some(true)));
        // Only one of the two near-end bits is not near end.
        let s = decode([Some(0x12), None, None, Some(0x16)]);
        assert_eq!((s.state, s.near_end), (PrinterState::Ready, Some(false)));
        let s = decode([Some(0x12), None, None, Some(0x32)]);
        assert_eq!(s.state, PrinterState::Ready);
        let s = decode([Some(0x12), None, None, Some(0x72)]);
        assert_eq!(s.state, PrinterState::PaperOut);
    }

    #[test]
    fn model_without_near_end_sensor_reports_unknown() {
        let s = PrinterStatus::from_replies([Some(0x12), None, None, Some(0x1E)], false);
        assert_eq!((s.state, s.near_end), (PrinterState::Ready, None));
    }

    #[test]
    fn no_reply_is_no_response() {
        let s = decode([None, Some(0x12), Some(0x12), Some(0x12)]);
        assert_eq!(s.state, PrinterState::NoResponse);
        assert_eq!(s.near_end, None);
    }

    #[test]
    fn most_serious_cause_wins() {
        // Cover open with paper end: close the cover first.
        let s = decode([Some(0x1A), Some(0x36), Some(0x12), Some(0x7E)]);
        assert_eq!(s.state, PrinterState::CoverOpen);
        let s = decode([Some(0x1A), Some(0x76), Some(0x3A), Some(0x7E)]);
        assert_eq!(s.state, PrinterState::Unrecoverable);
    }

    #[test]
    fn printable_states() {
        assert!(PrinterState::Ready.can_print(false));
        assert!(PrinterState::PaperLow.can_print(false));
        assert!(PrinterState::NoResponse.can_print(true));
        assert!(!PrinterState::NoResponse.can_print(false));
        for s in [
            PrinterState::PaperOut,
            PrinterState::CoverOpen,
            PrinterState::CutterError,
            PrinterState::Unrecoverable,
            PrinterState::Offline,
            PrinterState::Disconnected,
        ] {
            assert!(!s.can_print(true), "{s}");
        }
    }

    #[test]
    fn fix_hints_name_the_fault() {
        assert_eq!(
            PrinterState::CoverOpen.fix_hint(),
            "printer cover open: close the cover"
        );
        assert!(PrinterState::PaperOut.fix_hint().contains("paper"));
        assert!(PrinterState::Disconnected.fix_hint().contains("cable"));
    }

    #[test]
    fn asb_decoding() {
        assert_eq!(
            AsbStatus::decode([0x10, 0, 0, 0]).map(|a| a.state()),
            Some(PrinterState::Ready)
        );
        let a = AsbStatus::decode([0x18 | 0x20, 0x00, 0x0C, 0x00]);
        assert_eq!(
            a.map(|a| (a.offline, a.cover_open, a.paper_end)),
            Some((true, true, true))
        );
        assert_eq!(a.map(|a| a.state()), Some(PrinterState::CoverOpen));
        assert_eq!(
            AsbStatus::decode([0x18, 0x08, 0, 0]).map(|a| a.state()),
            Some(PrinterState::CutterError)
        );
        assert_eq!(
            AsbStatus::decode([0x18, 0x20, 0, 0]).map(|a| a.state()),
            Some(PrinterState::Unrecoverable)
        );
        assert_eq!(
            AsbStatus::decode([0x18, 0x44, 0, 0]).map(|a| a.state()),
            Some(PrinterState::Offline)
        );
        assert_eq!(
            AsbStatus::decode([0x10, 0, 0x03, 0]).map(|a| a.state()),
            Some(PrinterState::PaperLow)
        );
        assert_eq!(
            AsbStatus::decode([0x14 | 0x40, 0, 0, 0]).map(|a| (a.drawer_high, a.feeding)),
            Some((true, true))
        );
        // A DLE EOT reply or XON is not the first byte of an ASB block.
        assert_eq!(AsbStatus::decode([0x12, 0, 0, 0]), None);
        assert_eq!(AsbStatus::decode([XON, 0, 0, 0]), None);
        assert_eq!(
            AsbStatus::find(&[XON, 0xFF, 0x18, 0, 0x0C, 0]).map(|a| a.state()),
            Some(PrinterState::PaperOut)
        );
    }
}
