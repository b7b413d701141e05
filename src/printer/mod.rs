//! The receipt printer: ESC/POS over a serial port, owned by one worker thread.
//!
//! - [`status`] decodes what the printer says about itself (DLE EOT replies, ASB).
//! - [`escpos`] encodes commands; [`receipt`] lays out receipts, slips and the test page.
//! - [`port`] is the [`PrinterPort`] trait with the serial-port implementation.
//! - [`worker`] owns the port: it polls status between jobs, reconnects, prints and reports events.
//! - [`simulator`] is a printer on a pseudo-terminal for tests and demo mode (`port = "simulated"`).
//!
//! Never losing or blocking a claim matters more than the receipt: every failure here is a status or a
//! failed job, never a panic or a hang of the caller.

#![deny(missing_docs)]

pub mod escpos;
pub mod port;
pub mod receipt;
pub mod simulator;
pub mod status;
pub mod worker;

use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use port::{PrinterPort, SerialPrinterPort, read_status};
pub use receipt::{AdviceSlip, Layout, NotEligibleSlip, Printout, Receipt, TestPage};
pub use status::{PrinterState, PrinterStatus};
pub use worker::{JobId, PrinterEvent, PrinterHandle, print_test, probe, spawn};

/// The `port` value that starts an in-process simulated printer (demo mode).
pub const SIMULATED_PORT: &str = "simulated";

/// Serial flow control between the kiosk and the printer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowControl {
    /// No flow control (recommended: a printer whose "busy" includes offline would otherwise block
    /// the status queries that say why it is offline).
    #[default]
    None,
    /// XON/XOFF.
    Software,
    /// RTS/CTS.
    Hardware,
}

impl FlowControl {
    fn to_serialport(self) -> serialport::FlowControl {
        match self {
            FlowControl::None => serialport::FlowControl::None,
            FlowControl::Software => serialport::FlowControl::Software,
            FlowControl::Hardware => serialport::FlowControl::Hardware,
        }
    }
}

/// How QR codes are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QrMode {
    /// The printer's own QR command (`GS ( k`, model 2, module size 6, error correction M).
    #[default]
    Native,
    /// A bitmap rendered by the kiosk (`GS v 0`): for printers without native QR or whose native QR
    /// prints junk (old TM-T88III/IV, many cheap 58 mm printers).
    Raster,
}

impl QrMode {
    /// The configuration value.
    pub fn id(self) -> &'static str {
        match self {
            QrMode::Native => "native",
            QrMode::Raster => "raster",
        }
    }
}

/// The `[printer]` section of `kiosk.toml`. Every field is optional.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PrinterConfig {
    /// Whether the kiosk has a receipt printer at all. Default `true`.
    pub enabled: bool,
    /// The serial device, preferably the stable `/dev/serial/by-id/...` path rather than `/dev/ttyUSB0`.
    /// Empty or `"simulated"` runs a simulated printer in the kiosk (demo mode). Default `"simulated"`.
    pub port: String,
    /// Baud rate; must match the printer's setting (Epson DIP switch default 9600; others use 19200,
    /// 38400 or 115200). Always 8 data bits, no parity, 1 stop bit. Default `9600`.
    pub baud: u32,
    /// `"none"`, `"software"` (XON/XOFF) or `"hardware"` (RTS/CTS). Keep `"none"` unless the cable and
    /// printer need it: with flow control an offline printer cannot be asked why. Default `"none"`.
    pub flow_control: FlowControl,
    /// The printer model, free text, shown to staff and printed on the test page.
    pub model: String,
    /// `"native"` (the printer draws the QR code) or `"raster"` (the kiosk sends it as an image, for
    /// printers whose native QR is missing or junk). Default `"native"`.
    pub qr: QrMode,
    /// Whether the printer has a paper near-end sensor (Epson TM-T20II has none). Without it the status
    /// says "near end: unknown". Default `true`.
    pub has_near_end_sensor: bool,
    /// Print even when the printer never answers status queries (many cheap printers are one-way).
    /// Default `true`.
    pub one_way_ok: bool,
    /// Milliseconds between status polls while idle (never during a job). Default `5000`.
    pub poll_interval_ms: u64,
    /// Milliseconds to wait for each status reply; 300-500 suits real printers. Default `400`.
    pub reply_timeout_ms: u64,
    /// Milliseconds after sending a job during which the status is checked again before the job
    /// counts as printed: a printer answers status at once, before it has printed what it received,
    /// so paper running out part-way shows only a moment later. Default `1000`.
    pub print_settle_ms: u64,
    /// Milliseconds between attempts to reopen a disconnected printer. Default `3000`.
    pub reconnect_interval_ms: u64,
    /// Characters per line in the normal font: 42 for 80 mm paper, 32 for 58 mm. Default `42`.
    pub width_chars: usize,
    /// Demo mode only: a file that receives the simulated printer's output as text. Empty = none.
    pub simulator_output: String,
}

impl Default for PrinterConfig {
    fn default() -> Self {
        PrinterConfig {
            enabled: true,
            port: SIMULATED_PORT.to_string(),
            baud: 9600,
            flow_control: FlowControl::None,
            model: String::new(),
            qr: QrMode::Native,
            has_near_end_sensor: true,
            one_way_ok: true,
            poll_interval_ms: 5000,
            reply_timeout_ms: 400,
            print_settle_ms: 1000,
            reconnect_interval_ms: 3000,
            width_chars: 42,
            simulator_output: String::new(),
        }
    }
}

impl PrinterConfig {
    /// Whether `port` asks for the in-process simulator.
    pub fn is_simulated(&self) -> bool {
        let port = self.port.trim();
        port.is_empty() || port == SIMULATED_PORT
    }

    /// Checks values after loading; the error names the key and the reason.
    pub fn validate(&self) -> Result<(), PrinterError> {
        let bad =
            |key: &'static str, reason: String| Err(PrinterError::InvalidConfig { key, reason });
        if self.baud == 0 {
            return bad(
                "printer.baud",
                "must be above 0 (usually 9600, 19200, 38400 or 115200)".into(),
            );
        }
        if !(24..=64).contains(&self.width_chars) {
            return bad(
                "printer.width_chars",
                format!(
                    "{} is not a paper width: use 42 for 80 mm, 32 for 58 mm",
                    self.width_chars
                ),
            );
        }
        if !(1..=5000).contains(&self.reply_timeout_ms) {
            return bad(
                "printer.reply_timeout_ms",
                "must be 1 to 5000 (300-500 suits real printers)".into(),
            );
        }
        if self.poll_interval_ms == 0 {
            return bad("printer.poll_interval_ms", "must be above 0".into());
        }
        if self.print_settle_ms > 30_000 {
            return bad("printer.print_settle_ms", "must be at most 30000".into());
        }
        if self.reconnect_interval_ms == 0 {
            return bad("printer.reconnect_interval_ms", "must be above 0".into());
        }
        Ok(())
    }

    /// The layout printouts use.
    pub fn layout(&self) -> Layout {
        Layout::from(self)
    }

    fn reply_timeout(&self) -> Duration {
        Duration::from_millis(self.reply_timeout_ms)
    }
}

/// Everything that can go wrong with the printer, with what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrinterError {
    /// The device is missing or went away (ENOENT, EIO, hang-up).
    #[error("printer disconnected at {port}: {reason}; check the cable and the configured port")]
    Disconnected {
        /// The configured port path.
        port: String,
        /// What the system said.
        reason: String,
    },
    /// The device exists but could not be opened (permissions, in use, bad settings).
    #[error("cannot open printer port {port}: {reason}")]
    Open {
        /// The configured port path.
        port: String,
        /// What the system said.
        reason: String,
    },
    /// The printer reports a state in which a receipt would not come out.
    #[error("printer cannot print ({}): {}", status.state, status.fix_hint())]
    NotReady {
        /// The status read just before or just after the job.
        status: PrinterStatus,
    },
    /// The printer stopped during the job; its buffer is cleared so the rest will not come out later.
    #[error("printing stopped part-way ({}); the rest of the receipt was discarded: {}", status.state, status.fix_hint())]
    Interrupted {
        /// The status read after the job.
        status: PrinterStatus,
    },
    /// A QR code could not be made from the data.
    #[error("cannot make a QR code: {reason}")]
    QrCode {
        /// Why.
        reason: String,
    },
    /// The printout itself is invalid.
    #[error("invalid printout: {reason}")]
    InvalidPrintout {
        /// Why.
        reason: String,
    },
    /// A configuration value is wrong.
    #[error("config {key}: {reason}")]
    InvalidConfig {
        /// The key, e.g. `printer.width_chars`.
        key: &'static str,
        /// Why, and what would be right.
        reason: String,
    },
    /// The simulated printer could not start.
    #[error("simulated printer: {reason}")]
    Simulator {
        /// Why.
        reason: String,
    },
    /// The printer worker has stopped; restart the kiosk.
    #[error("the printer worker has stopped")]
    WorkerStopped,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_section_gives_the_defaults() {
        let config: PrinterConfig = toml::from_str("").unwrap();
        assert_eq!(config, PrinterConfig::default());
        assert!(config.is_simulated());
        assert_eq!((config.baud, config.width_chars), (9600, 42));
        assert!(config.validate().is_ok());
    }

    #[test]
    fn values_parse_and_unknown_keys_are_tolerated() {
        let config: PrinterConfig = toml::from_str(
            r#"
            port = "/dev/serial/by-id/usb-EPSON_TM-T20II-if00"
            baud = 38400
            flow_control = "hardware"
            qr = "raster"
            has_near_end_sensor = false
            width_chars = 32
            colour = "red"
            "#,
        )
        .unwrap();
        assert!(!config.is_simulated());
        assert_eq!(config.flow_control, FlowControl::Hardware);
        assert_eq!(config.qr, QrMode::Raster);
        assert_eq!(config.baud, 38400);
        assert!(!config.has_near_end_sensor);
        assert_eq!(config.width_chars, 32);
        assert_eq!(config.reply_timeout_ms, 400);
        assert!(toml::from_str::<PrinterConfig>("flow_control = \"rts\"").is_err());
    }

    #[test]
    fn bad_values_name_their_key() {
        let config = PrinterConfig {
            width_chars: 80,
            ..PrinterConfig::default()
        };
        match config.validate() {
            Err(PrinterError::InvalidConfig { key, reason }) => {
                assert_eq!(key, "printer.width_chars");
                assert!(reason.contains("42"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        let config = PrinterConfig {
            reply_timeout_ms: 0,
            ..PrinterConfig::default()
        };
        assert!(matches!(
            config.validate(),
            Err(PrinterError::InvalidConfig {
                key: "printer.reply_timeout_ms",
                ..
            })
        ));
        let config = PrinterConfig {
            baud: 0,
            ..PrinterConfig::default()
        };
        assert!(matches!(
            config.validate(),
            Err(PrinterError::InvalidConfig {
                key: "printer.baud",
                ..
            })
        ));
    }

    #[test]
    fn error_messages_say_what_to_do() {
        let status = PrinterStatus::without_replies(PrinterState::CoverOpen);
        let message = PrinterError::NotReady { status }.to_string();
        assert!(message.contains("close the cover"), "{message}");
        let message = PrinterError::Disconnected {
            port: "/dev/serial/by-id/x".into(),
            reason: "No such file or directory".into(),
        }
        .to_string();
        assert!(
            message.contains("/dev/serial/by-id/x") && message.contains("cable"),
            "{message}"
        );
    }
}
