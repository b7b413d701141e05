//! The printer worker: one thread owns the port, so status queries never interleave with a job.
//!
//! Between jobs it polls the status (DLE EOT 1, then 2 and 3 when offline, 4 for the paper sensor),
//! reopens a lost port on a timer, and logs and reports a state change once. For each job it checks the
//! status first, refuses when the receipt would not come out, sends the job, and checks again for
//! `print_settle_ms` (a printer answers status at once, before it has printed what it received).
//!
//! After a failed or interrupted job it sends a buffer clear, because a printer that stopped (paper
//! out, cover open) keeps the rest of the job and prints it when the fault is fixed, handing the next
//! participant someone else's receipt. The clear is `10 05 02` (DLE ENQ 2, a real-time command acted on
//! at once even while offline: recover and discard the receive and print buffers) followed by `1B 40`
//! (ESC @, initialise: clears the print buffer and resets styles on printers that ignore DLE ENQ).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;

use super::escpos::{INITIALISE, RECOVER_CLEARING_BUFFERS};
use super::port::{PrinterPort, SerialPrinterPort, read_status};
use super::receipt::{Layout, Printout, TestPage};
use super::simulator::{SimulatedPrinter, SimulatorOptions};
use super::status::{PrinterState, PrinterStatus};
use super::{PrinterConfig, PrinterError};
use crate::worker::{Inbox, Next, Worker};

/// How long after a job a printer that stops is assumed to have stopped on that job (its buffer is
/// then cleared as after a failed job).
const JOB_SETTLE: Duration = Duration::from_secs(15);

/// How often the status is read while a job settles.
const SETTLE_STEP: Duration = Duration::from_millis(100);

/// Identifies one print job; increasing from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobId(pub u64);

impl std::fmt::Display for JobId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "job {}", self.0)
    }
}

/// What the worker reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrinterEvent {
    /// The printer's state (or its near-end reading) changed.
    StatusChanged(PrinterStatus),
    /// The job was sent and the printer reported no fault afterwards.
    Printed {
        /// Which job.
        job: JobId,
    },
    /// The job was refused or failed; the receipt will not come out.
    PrintFailed {
        /// Which job.
        job: JobId,
        /// Why, with what to do.
        reason: PrinterError,
    },
}

/// Orders for the worker.
#[derive(Debug)]
enum Command {
    /// Print a printout.
    Print { job: JobId, printout: Box<Printout> },
    /// Print the staff test page.
    PrintTest { job: JobId, when: NaiveDateTime },
}

/// Who hears the events, and the last status change told (what a late subscriber hears first). One lock for
/// both, so a subscriber never misses a change nor hears one twice.
#[derive(Default)]
struct Listeners {
    senders: Vec<Sender<PrinterEvent>>,
    last_status: Option<PrinterStatus>,
}

type Subscribers = Arc<Mutex<Listeners>>;

/// The kiosk's side of the printer worker: send jobs, read the latest status, receive events.
///
/// Dropping the handle stops the worker (the "printer" [`Worker`], first), then the simulated printer in demo
/// mode.
pub struct PrinterHandle {
    worker: Worker<Command>,
    status: Arc<Mutex<PrinterStatus>>,
    subscribers: Subscribers,
    next_job: AtomicU64,
    simulator: Option<SimulatedPrinter>,
}

impl std::fmt::Debug for PrinterHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PrinterHandle")
            .field("status", &self.status())
            .finish_non_exhaustive()
    }
}

impl PrinterHandle {
    /// The latest status the worker read (starts as disconnected until the first read).
    pub fn status(&self) -> PrinterStatus {
        *self.status.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues a printout (a [`super::Receipt`], a [`super::NotEligibleSlip`]...); the outcome arrives as
    /// [`PrinterEvent::Printed`] or [`PrinterEvent::PrintFailed`] with the returned id.
    pub fn print(&self, printout: impl Into<Printout>) -> JobId {
        let job = self.job_id();
        let printout = Box::new(printout.into());
        if !self.worker.send(Command::Print { job, printout }) {
            self.report_stopped(job);
        }
        job
    }

    /// Queues the staff test page.
    pub fn print_test(&self, when: NaiveDateTime) -> JobId {
        let job = self.job_id();
        if !self.worker.send(Command::PrintTest { job, when }) {
            self.report_stopped(job);
        }
        job
    }

    /// A receiver of every event from now on, starting with the printer's status as last reported (once the
    /// worker has read it), so a subscriber that arrives after a change still hears where the printer stands.
    pub fn subscribe(&self) -> Receiver<PrinterEvent> {
        let (tx, rx) = mpsc::channel();
        let mut listeners = self
            .subscribers
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(status) = listeners.last_status {
            // The receiver is still held here, so the send cannot fail.
            let _ = tx.send(PrinterEvent::StatusChanged(status));
        }
        listeners.senders.push(tx);
        rx
    }

    /// The simulated printer behind this handle in demo mode.
    pub fn simulator(&self) -> Option<&SimulatedPrinter> {
        self.simulator.as_ref()
    }

    /// Stops the worker and waits for it (a job being sent is finished first); dropping the handle does the
    /// same.
    pub fn stop(mut self) {
        self.worker.stop();
    }

    fn job_id(&self) -> JobId {
        JobId(self.next_job.fetch_add(1, Ordering::Relaxed))
    }

    fn report_stopped(&self, job: JobId) {
        publish(
            &self.subscribers,
            PrinterEvent::PrintFailed {
                job,
                reason: PrinterError::WorkerStopped,
            },
        );
    }
}

fn publish(subscribers: &Subscribers, event: PrinterEvent) {
    let mut listeners = subscribers.lock().unwrap_or_else(PoisonError::into_inner);
    if let PrinterEvent::StatusChanged(status) = &event {
        listeners.last_status = Some(*status);
    }
    listeners
        .senders
        .retain(|tx| tx.send(event.clone()).is_ok());
}

/// Starts the printer worker for `config` (with an in-process simulated printer when the port is
/// `"simulated"` or empty). The worker starts even when the printer is missing: it reports
/// [`PrinterState::Disconnected`] and keeps trying. Callers skip this when `config.enabled` is false.
pub fn spawn(config: &PrinterConfig) -> Result<PrinterHandle, PrinterError> {
    config.validate()?;
    let (simulator, port) = open_port(config)?;
    spawn_with_port(config, port, simulator)
}

/// Starts the worker on a port of the caller's choosing (tests, other transports).
pub fn spawn_with_port(
    config: &PrinterConfig,
    port: Box<dyn PrinterPort>,
    simulator: Option<SimulatedPrinter>,
) -> Result<PrinterHandle, PrinterError> {
    let status = Arc::new(Mutex::new(PrinterStatus::without_replies(
        PrinterState::Disconnected,
    )));
    let subscribers: Subscribers = Arc::new(Mutex::new(Listeners::default()));
    let printing = Printing {
        port,
        connected: false,
        config: config.clone(),
        layout: config.layout(),
        status: None,
        shared_status: Arc::clone(&status),
        subscribers: Arc::clone(&subscribers),
        needs_clear: false,
        last_job_sent: None,
    };
    let worker = Worker::spawn("printer", move |inbox| printing.run(inbox)).map_err(|e| {
        PrinterError::Simulator {
            reason: format!("cannot start the printer thread: {e}"),
        }
    })?;
    Ok(PrinterHandle {
        worker,
        status,
        subscribers,
        next_job: AtomicU64::new(1),
        simulator,
    })
}

fn open_port(
    config: &PrinterConfig,
) -> Result<(Option<SimulatedPrinter>, Box<dyn PrinterPort>), PrinterError> {
    if config.is_simulated() {
        let output = config.simulator_output.trim();
        let options = SimulatorOptions {
            output_file: (!output.is_empty()).then(|| output.into()),
            near_end_sensor: config.has_near_end_sensor,
            ..SimulatorOptions::default()
        };
        let simulator = SimulatedPrinter::start(options)?;
        let port = SerialPrinterPort::new(
            &simulator.port_path().to_string_lossy(),
            config.baud,
            config.flow_control,
        );
        Ok((Some(simulator), Box::new(port)))
    } else {
        Ok((None, Box::new(SerialPrinterPort::from_config(config))))
    }
}

/// Reads the printer's status once, blocking (for `doctor`): opens the port, asks, closes.
///
/// Each reply is awaited at most `timeout` (or the configured reply timeout if shorter).
pub fn probe(config: &PrinterConfig, timeout: Duration) -> PrinterStatus {
    let reply_timeout = timeout.min(config.reply_timeout());
    let (_simulator, mut port) = match open_port(config) {
        Ok(opened) => opened,
        Err(_) => return PrinterStatus::without_replies(PrinterState::Disconnected),
    };
    if port.reopen().is_err() {
        return PrinterStatus::without_replies(PrinterState::Disconnected);
    }
    read_status(port.as_mut(), reply_timeout, config.has_near_end_sensor)
        .unwrap_or_else(|_| PrinterStatus::without_replies(PrinterState::Disconnected))
}

/// Prints the test page and waits for the outcome (for `doctor` and the staff screen's test print).
pub fn print_test(
    config: &PrinterConfig,
    when: NaiveDateTime,
    timeout: Duration,
) -> Result<PrinterStatus, PrinterError> {
    let handle = spawn(config)?;
    let events = handle.subscribe();
    let job = handle.print_test(when);
    let deadline = Instant::now() + timeout;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match events.recv_timeout(left) {
            Ok(PrinterEvent::Printed { job: done }) if done == job => return Ok(handle.status()),
            Ok(PrinterEvent::PrintFailed { job: done, reason }) if done == job => {
                return Err(reason);
            }
            Ok(_) => {}
            Err(_) => {
                return Err(PrinterError::NotReady {
                    status: handle.status(),
                });
            }
        }
    }
}

/// The printer thread's state: the port, the last status read, and what a stuck job left to clear.
struct Printing {
    port: Box<dyn PrinterPort>,
    connected: bool,
    config: PrinterConfig,
    layout: Layout,
    status: Option<PrinterStatus>,
    shared_status: Arc<Mutex<PrinterStatus>>,
    subscribers: Subscribers,
    /// A job may be stuck in the printer: clear its buffer as soon as it can be reached.
    needs_clear: bool,
    /// When the last job was sent, to catch a printer that stops on it after it was reported printed.
    last_job_sent: Option<Instant>,
}

impl Printing {
    fn run(mut self, mut inbox: Inbox<Command>) {
        self.connect();
        let mut next_check = Instant::now() + self.check_interval();
        loop {
            let wait = next_check.saturating_duration_since(Instant::now());
            match inbox.wait(wait) {
                Next::Command(Command::Print { job, printout }) => self.print(job, &printout),
                Next::Command(Command::PrintTest { job, when }) => {
                    let page = TestPage {
                        model: self.config.model.clone(),
                        when,
                    };
                    self.print(job, &Printout::TestPage(page));
                }
                Next::Stop => break,
                Next::Idle => {
                    if self.connected {
                        self.poll();
                    } else {
                        self.connect();
                    }
                    next_check = Instant::now() + self.check_interval();
                    continue;
                }
            }
            // After a job, the next poll comes a full interval later (never queried mid-job anyway).
            if Instant::now() >= next_check {
                next_check = Instant::now() + self.check_interval();
            }
        }
        self.port.close();
    }

    fn check_interval(&self) -> Duration {
        if self.connected {
            Duration::from_millis(self.config.poll_interval_ms)
        } else {
            Duration::from_millis(self.config.reconnect_interval_ms)
        }
    }

    fn connect(&mut self) {
        match self.port.reopen() {
            Ok(()) => {
                self.connected = true;
                if self.needs_clear {
                    self.clear_buffer();
                }
                self.poll();
            }
            Err(error) => self.lost(&error),
        }
    }

    fn lost(&mut self, error: &PrinterError) {
        if self.connected
            || self
                .status
                .is_none_or(|s| s.state != PrinterState::Disconnected)
        {
            tracing::warn!(%error, "printer port lost or not available");
        }
        self.connected = false;
        self.port.close();
        self.set_status(PrinterStatus::without_replies(PrinterState::Disconnected));
    }

    fn read(&mut self) -> Result<PrinterStatus, PrinterError> {
        let result = read_status(
            self.port.as_mut(),
            self.config.reply_timeout(),
            self.config.has_near_end_sensor,
        );
        match result {
            Ok(status) => {
                self.set_status(status);
                Ok(status)
            }
            Err(error) => {
                self.lost(&error);
                Err(error)
            }
        }
    }

    fn poll(&mut self) {
        let Ok(status) = self.read() else {
            return;
        };
        let stopped = !status.state.can_print(true);
        let recent_job = self.last_job_sent.is_some_and(|t| t.elapsed() < JOB_SETTLE);
        if stopped && recent_job {
            tracing::warn!(state = %status.state, "printer stopped right after a job: clearing its buffer");
            self.last_job_sent = None;
            self.clear_buffer();
        } else if !recent_job {
            self.last_job_sent = None;
        }
    }

    fn set_status(&mut self, status: PrinterStatus) {
        *self
            .shared_status
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = status;
        let changed = self
            .status
            .is_none_or(|old| old.state != status.state || old.near_end != status.near_end);
        self.status = Some(status);
        if !changed {
            return;
        }
        match status.state {
            PrinterState::Ready => tracing::info!(state = %status.state, "printer status changed"),
            _ => tracing::warn!(
                state = %status.state,
                near_end = ?status.near_end,
                hint = status.fix_hint(),
                "printer status changed"
            ),
        }
        publish(&self.subscribers, PrinterEvent::StatusChanged(status));
    }

    /// Sends `10 05 02` then `1B 40` (see the module documentation for why both).
    fn clear_buffer(&mut self) {
        let mut clear = RECOVER_CLEARING_BUFFERS.to_vec();
        clear.extend_from_slice(&INITIALISE);
        match self.port.write_all(&clear) {
            Ok(()) => {
                self.needs_clear = false;
                tracing::info!("printer buffer cleared");
            }
            Err(error) => {
                self.needs_clear = true;
                self.lost(&error);
            }
        }
    }

    fn fail(&self, job: JobId, reason: PrinterError) {
        tracing::warn!(%job, %reason, "receipt not printed");
        publish(&self.subscribers, PrinterEvent::PrintFailed { job, reason });
    }

    fn print(&mut self, job: JobId, printout: &Printout) {
        let bytes = match printout.encode(self.layout) {
            Ok(bytes) => bytes,
            Err(reason) => return self.fail(job, reason),
        };
        if !self.connected {
            self.connect();
        }
        if !self.connected {
            let status = self
                .status
                .unwrap_or(PrinterStatus::without_replies(PrinterState::Disconnected));
            return self.fail(job, PrinterError::NotReady { status });
        }
        let before = match self.read() {
            Ok(status) => status,
            Err(reason) => return self.fail(job, reason),
        };
        if !before.state.can_print(self.config.one_way_ok) {
            return self.fail(job, PrinterError::NotReady { status: before });
        }
        if let Err(reason) = self.port.write_all(&bytes) {
            // Part of the job may sit in the printer: clear it once it is back.
            self.needs_clear = true;
            self.lost(&reason);
            return self.fail(job, reason);
        }
        self.last_job_sent = Some(Instant::now());
        if before.state == PrinterState::NoResponse {
            // A one-way printer cannot tell us more.
            tracing::info!(%job, "receipt sent to a printer that does not answer");
            return publish(&self.subscribers, PrinterEvent::Printed { job });
        }
        // Check at once and again until the settle time has passed: the job may stop part-way.
        let settle_until = Instant::now() + Duration::from_millis(self.config.print_settle_ms);
        loop {
            let after = match self.read() {
                Ok(status) => status,
                Err(reason) => {
                    self.needs_clear = true;
                    return self.fail(job, reason);
                }
            };
            if !after.state.can_print(self.config.one_way_ok) {
                self.last_job_sent = None;
                self.clear_buffer();
                return self.fail(job, PrinterError::Interrupted { status: after });
            }
            let left = settle_until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            std::thread::sleep(left.min(SETTLE_STEP));
        }
        tracing::info!(%job, "receipt printed");
        publish(&self.subscribers, PrinterEvent::Printed { job });
    }
}
