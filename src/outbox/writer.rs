//! The writer thread: the only owner of the read-write connection. Callers send it jobs over a channel and
//! wait for the answer on a reply channel, so writes are serialised without a lock around the connection.

use std::sync::mpsc;
use std::thread::JoinHandle;

use rusqlite::Connection;

use super::OutboxError;

type Job = Box<dyn FnOnce(&mut Connection) + Send>;

/// Handle to the writer thread; dropping it lets the thread finish its queue and close the connection.
pub(crate) struct Writer {
    jobs: Option<mpsc::Sender<Job>>,
    thread: Option<JoinHandle<()>>,
}

impl Writer {
    /// Moves the connection to a new thread that runs jobs in the order they arrive.
    pub(crate) fn start(mut conn: Connection) -> Result<Writer, OutboxError> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("outbox-writer".to_owned())
            .spawn(move || {
                for job in queue {
                    job(&mut conn);
                }
            })
            .map_err(|err| OutboxError::Database {
                action: "start the writer thread",
                reason: err.to_string(),
            })?;
        Ok(Writer {
            jobs: Some(jobs),
            thread: Some(thread),
        })
    }

    /// Runs `job` on the writer thread and waits for its result.
    pub(crate) fn call<T, F>(&self, job: F) -> Result<T, OutboxError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, OutboxError> + Send + 'static,
    {
        let (reply, answer) = mpsc::sync_channel(1);
        let jobs = self.jobs.as_ref().ok_or(OutboxError::WriterStopped)?;
        jobs.send(Box::new(move |conn| {
            // The caller may have gone away; nothing to do then.
            let _ = reply.send(job(conn));
        }))
        .map_err(|_| OutboxError::WriterStopped)?;
        answer.recv().map_err(|_| OutboxError::WriterStopped)?
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.jobs.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
