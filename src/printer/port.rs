//! The cable to the printer: a [`PrinterPort`] trait and its serial-port implementation, plus the status
//! query recipe that runs over any port.

use std::io::{self, Read, Write};
use std::time::{Duration, Instant};

use super::status::{PrinterStatus, StatusQuery, first_status_reply};
use super::{FlowControl, PrinterConfig, PrinterError};

/// How many times DLE EOT 1 is sent before the printer counts as not answering.
pub const PRINTER_QUERY_TRIES: usize = 2;

/// A byte link to a printer.
pub trait PrinterPort: Send {
    /// Writes every byte (or fails).
    fn write_all(&mut self, bytes: &[u8]) -> Result<(), PrinterError>;
    /// Reads what has arrived, waiting at most `timeout`; `Ok(0)` when nothing came.
    fn read_timeout(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, PrinterError>;
    /// Discards bytes received but not yet read (stale replies, ASB, XON/XOFF).
    fn clear_input(&mut self) -> Result<(), PrinterError>;
    /// Closes the link if open and opens it again.
    fn reopen(&mut self) -> Result<(), PrinterError>;
    /// Closes the link (the next write or read fails as disconnected until [`PrinterPort::reopen`]).
    fn close(&mut self);
}

/// A printer on a serial device (or a pseudo-terminal standing in for one).
pub struct SerialPrinterPort {
    path: String,
    baud: u32,
    flow_control: FlowControl,
    port: Option<Box<dyn serialport::SerialPort>>,
}

impl std::fmt::Debug for SerialPrinterPort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SerialPrinterPort")
            .field("path", &self.path)
            .field("baud", &self.baud)
            .field("open", &self.port.is_some())
            .finish()
    }
}

impl SerialPrinterPort {
    /// A port for `path`, not yet opened (call [`PrinterPort::reopen`]).
    pub fn new(path: &str, baud: u32, flow_control: FlowControl) -> Self {
        SerialPrinterPort {
            path: path.to_string(),
            baud,
            flow_control,
            port: None,
        }
    }

    /// A port with the settings of `config`, not yet opened.
    pub fn from_config(config: &PrinterConfig) -> Self {
        SerialPrinterPort::new(config.port.trim(), config.baud, config.flow_control)
    }

    /// Opens `path` now.
    pub fn open(path: &str, baud: u32, flow_control: FlowControl) -> Result<Self, PrinterError> {
        let mut port = SerialPrinterPort::new(path, baud, flow_control);
        port.reopen()?;
        Ok(port)
    }

    fn disconnected(&self, reason: impl std::fmt::Display) -> PrinterError {
        PrinterError::Disconnected {
            port: self.path.clone(),
            reason: reason.to_string(),
        }
    }

    fn lost(&mut self, error: &io::Error) -> PrinterError {
        self.port = None;
        self.disconnected(error)
    }

    fn open_port(&mut self) -> Result<&mut Box<dyn serialport::SerialPort>, PrinterError> {
        let path = self.path.clone();
        self.port
            .as_mut()
            .ok_or_else(|| PrinterError::Disconnected {
                port: path,
                reason: "port is closed".to_string(),
            })
    }
}

/// Maps an open failure: a missing device (ENOENT) or one that went away (EIO, ENXIO, ENODEV) is a
/// disconnection; anything else (permissions, in use) is an open error to fix.
fn open_error(path: &str, error: &serialport::Error) -> PrinterError {
    let gone = match error.kind() {
        serialport::ErrorKind::Io(io::ErrorKind::NotFound) => true,
        serialport::ErrorKind::Io(_) | serialport::ErrorKind::Unknown => {
            let d = error.description.to_ascii_lowercase();
            d.contains("no such file")
                || d.contains("input/output")
                || d.contains("no such device")
                || d.contains("eio")
        }
        serialport::ErrorKind::NoDevice | serialport::ErrorKind::InvalidInput => false,
    };
    if gone {
        PrinterError::Disconnected {
            port: path.to_string(),
            reason: error.description.clone(),
        }
    } else {
        PrinterError::Open {
            port: path.to_string(),
            reason: error.description.clone(),
        }
    }
}

impl PrinterPort for SerialPrinterPort {
    fn write_all(&mut self, bytes: &[u8]) -> Result<(), PrinterError> {
        let port = self.open_port()?;
        match port.write_all(bytes) {
            Ok(()) => Ok(()),
            Err(e) => Err(self.lost(&e)),
        }
    }

    fn read_timeout(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, PrinterError> {
        let port = self.open_port()?;
        if let Err(e) = port.set_timeout(timeout) {
            return Err(self.disconnected(e));
        }
        match port.read(buf) {
            Ok(0) => Err(self.lost(&io::Error::new(io::ErrorKind::UnexpectedEof, "port closed"))),
            Ok(n) => Ok(n),
            Err(e)
                if e.kind() == io::ErrorKind::TimedOut || e.kind() == io::ErrorKind::WouldBlock =>
            {
                Ok(0)
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Ok(0),
            Err(e) => Err(self.lost(&e)),
        }
    }

    fn clear_input(&mut self) -> Result<(), PrinterError> {
        let port = self.open_port()?;
        match port.clear(serialport::ClearBuffer::Input) {
            Ok(()) => Ok(()),
            Err(e) => {
                self.port = None;
                Err(self.disconnected(e))
            }
        }
    }

    fn reopen(&mut self) -> Result<(), PrinterError> {
        self.port = None;
        let port = serialport::new(&self.path, self.baud)
            .data_bits(serialport::DataBits::Eight)
            .parity(serialport::Parity::None)
            .stop_bits(serialport::StopBits::One)
            .flow_control(self.flow_control.to_serialport())
            .timeout(Duration::from_millis(500))
            .open()
            .map_err(|e| open_error(&self.path, &e))?;
        self.port = Some(port);
        Ok(())
    }

    fn close(&mut self) {
        self.port = None;
    }
}

/// Asks one DLE EOT question: clears stale input, sends exactly `10 04 n`, and reads until a valid
/// reply arrives or `timeout` passes, skipping ASB bytes, XON/XOFF and noise. `Ok(None)` = no reply.
pub fn query_status(
    port: &mut dyn PrinterPort,
    query: StatusQuery,
    timeout: Duration,
) -> Result<Option<u8>, PrinterError> {
    port.clear_input()?;
    port.write_all(&query.command())?;
    let deadline = Instant::now() + timeout;
    let mut buf = [0u8; 64];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(None);
        }
        let n = port.read_timeout(&mut buf, left)?;
        if let Some(reply) = buf.get(..n).and_then(first_status_reply) {
            return Ok(Some(reply));
        }
    }
}

/// Reads the printer's full status: DLE EOT 1 (up to [`PRINTER_QUERY_TRIES`] times; no valid reply =
/// no response), then 2 and 3 when offline, then 4 for the paper sensor.
///
/// Call only between jobs: a query in the middle of a command or raster data is misread by the printer.
pub fn read_status(
    port: &mut dyn PrinterPort,
    timeout: Duration,
    has_near_end_sensor: bool,
) -> Result<PrinterStatus, PrinterError> {
    let mut raw = [None; 4];
    for _ in 0..PRINTER_QUERY_TRIES {
        raw[0] = query_status(port, StatusQuery::Printer, timeout)?;
        if raw[0].is_some() {
            break;
        }
    }
    let Some(printer) = raw[0] else {
        return Ok(PrinterStatus::from_replies(raw, has_near_end_sensor));
    };
    if printer & 0x08 != 0 {
        raw[1] = query_status(port, StatusQuery::OfflineCause, timeout)?;
        raw[2] = query_status(port, StatusQuery::ErrorCause, timeout)?;
    }
    raw[3] = query_status(port, StatusQuery::PaperSensor, timeout)?;
    Ok(PrinterStatus::from_replies(raw, has_near_end_sensor))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_device_is_disconnected() {
        let err = SerialPrinterPort::open("/nonexistent/lapak-printer", 9600, FlowControl::None)
            .unwrap_err();
        assert!(matches!(err, PrinterError::Disconnected { .. }), "{err:?}");
    }
}
