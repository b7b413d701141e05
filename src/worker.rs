//! One shape for the kiosk's background workers (camera, printer, uploader, heartbeat): a named thread, a
//! command channel into it, and `stop`, which asks the thread to end and waits for it.
//!
//! The thread's body receives an [`Inbox`]; it reads commands from it (waiting or not) and ends its loop when
//! the inbox says [`Next::Stop`]. Dropping the [`Worker`] stops it too, so a worker never outlives its owner.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::thread::JoinHandle;
use std::time::Duration;

/// What travels from the handle to the thread.
enum Signal<C> {
    Command(C),
    Stop,
}

/// What the worker's thread finds in its inbox.
#[derive(Debug, PartialEq, Eq)]
pub enum Next<C> {
    /// A command from the handle.
    Command(C),
    /// Nothing arrived in the time waited.
    Idle,
    /// The worker is being stopped (or its handle is gone): finish and return.
    Stop,
}

/// The thread's end of the command channel.
pub struct Inbox<C> {
    receiver: Receiver<Signal<C>>,
    stopped: bool,
}

impl<C> Inbox<C> {
    /// The next command, waiting at most `timeout`.
    pub fn wait(&mut self, timeout: Duration) -> Next<C> {
        if self.stopped {
            return Next::Stop;
        }
        match self.receiver.recv_timeout(timeout) {
            Ok(signal) => self.open(signal),
            Err(RecvTimeoutError::Timeout) => Next::Idle,
            Err(RecvTimeoutError::Disconnected) => self.stop(),
        }
    }

    /// The next command if one is waiting, without waiting.
    pub fn poll(&mut self) -> Next<C> {
        if self.stopped {
            return Next::Stop;
        }
        match self.receiver.try_recv() {
            Ok(signal) => self.open(signal),
            Err(TryRecvError::Empty) => Next::Idle,
            Err(TryRecvError::Disconnected) => self.stop(),
        }
    }

    /// Whether the worker has been told to stop (seen by an earlier `wait` or `poll`).
    pub fn is_stopped(&self) -> bool {
        self.stopped
    }

    fn open(&mut self, signal: Signal<C>) -> Next<C> {
        match signal {
            Signal::Command(command) => Next::Command(command),
            Signal::Stop => self.stop(),
        }
    }

    fn stop(&mut self) -> Next<C> {
        self.stopped = true;
        Next::Stop
    }
}

/// A running worker thread. `stop` (or dropping the handle) ends it and waits for it.
pub struct Worker<C> {
    name: &'static str,
    sender: Sender<Signal<C>>,
    thread: Option<JoinHandle<()>>,
}

impl<C> std::fmt::Debug for Worker<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Worker")
            .field("name", &self.name)
            .field("running", &self.thread.is_some())
            .finish()
    }
}

impl<C: Send + 'static> Worker<C> {
    /// Starts `body` on a thread called `name`; the body reads its commands from the inbox it is given.
    pub fn spawn(
        name: &'static str,
        body: impl FnOnce(Inbox<C>) + Send + 'static,
    ) -> std::io::Result<Worker<C>> {
        let (sender, receiver) = mpsc::channel();
        let inbox = Inbox {
            receiver,
            stopped: false,
        };
        let thread = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || body(inbox))?;
        Ok(Worker {
            name,
            sender,
            thread: Some(thread),
        })
    }
}

impl<C> Worker<C> {
    /// The thread's name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Sends a command; false when the worker has already ended.
    pub fn send(&self, command: C) -> bool {
        self.thread.is_some() && self.sender.send(Signal::Command(command)).is_ok()
    }

    /// Tells the thread to stop and waits until it has. Stopping twice is harmless.
    pub fn stop(&mut self) {
        let Some(thread) = self.thread.take() else {
            return;
        };
        let _ = self.sender.send(Signal::Stop);
        if thread.join().is_err() {
            tracing::error!(worker = self.name, "worker thread panicked");
        }
    }

    /// Whether the thread is still running (it may end by itself, e.g. after a fatal error).
    pub fn is_running(&self) -> bool {
        self.thread
            .as_ref()
            .is_some_and(|thread| !thread.is_finished())
    }
}

impl<C> Drop for Worker<C> {
    fn drop(&mut self) {
        self.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[test]
    fn commands_reach_the_thread_in_order_and_stop_waits_for_its_end() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let finished = Arc::new(Mutex::new(false));
        let (thread_seen, thread_finished) = (Arc::clone(&seen), Arc::clone(&finished));
        let mut worker = Worker::spawn("test-worker", move |mut inbox: Inbox<u32>| {
            loop {
                match inbox.wait(Duration::from_secs(5)) {
                    Next::Command(n) => thread_seen.lock().expect("lock").push(n),
                    Next::Idle => {}
                    Next::Stop => break,
                }
            }
            *thread_finished.lock().expect("lock") = true;
        })
        .expect("spawn");
        assert_eq!(worker.name(), "test-worker");
        for n in 1..=3 {
            assert!(worker.send(n));
        }
        worker.stop();
        assert_eq!(*seen.lock().expect("lock"), vec![1, 2, 3]);
        assert!(
            *finished.lock().expect("lock"),
            "stop returned before the thread ended"
        );
        assert!(!worker.is_running());
        assert!(!worker.send(4), "a stopped worker takes no commands");
        worker.stop();
    }

    #[test]
    fn dropping_the_handle_stops_a_polling_thread() {
        let finished = Arc::new(Mutex::new(false));
        let thread_finished = Arc::clone(&finished);
        let worker = Worker::spawn("poller", move |mut inbox: Inbox<()>| {
            while inbox.poll() != Next::Stop {
                std::thread::sleep(Duration::from_millis(5));
            }
            assert!(inbox.is_stopped());
            assert_eq!(inbox.wait(Duration::from_secs(1)), Next::Stop);
            *thread_finished.lock().expect("lock") = true;
        })
        .expect("spawn");
        assert!(worker.is_running());
        drop(worker);
        assert!(*finished.lock().expect("lock"));
    }

    #[test]
    fn the_thread_carries_the_workers_name() {
        let (tx, rx) = mpsc::channel();
        let mut worker = Worker::spawn("named-worker", move |mut inbox: Inbox<()>| {
            let _ = tx.send(std::thread::current().name().map(str::to_owned));
            while inbox.wait(Duration::from_secs(5)) != Next::Stop {}
        })
        .expect("spawn");
        let name = rx.recv_timeout(Duration::from_secs(5)).expect("name sent");
        worker.stop();
        assert_eq!(name.as_deref(), Some("named-worker"));
    }
}
