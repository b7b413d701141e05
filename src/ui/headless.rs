//! The kiosk's screens without a window: the work the screens start (photo capture, sealing and storing
//! the claim, the status check, the export) runs as it does in the kiosk, as iced tasks on a tokio runtime,
//! and every message it produces goes back into [`App::update`]. The journey tests and the benchmarks drive
//! the app through this instead of handing results over by hand.

use std::collections::VecDeque;
use std::time::Duration;

use iced::Task;
use iced::futures::StreamExt;

use super::{App, Message};

/// How long one task may run before the run is given up as hung.
const TASK_LIMIT: Duration = Duration::from_secs(60);

/// Why a headless run stopped early.
#[derive(Debug, thiserror::Error)]
pub enum HeadlessError {
    /// The tokio runtime could not be started.
    #[error("cannot start the task runtime: {0}")]
    Runtime(#[from] std::io::Error),
    /// A task did not finish within the limit.
    #[error("a task was still running after {} s", TASK_LIMIT.as_secs())]
    Hung,
}

/// What a headless run ended with.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Ran {
    /// Messages the tasks produced and the app handled.
    pub messages: usize,
    /// The app asked to close (e.g. "exit to desktop" in maintenance mode).
    pub exit: bool,
}

/// A runtime for the app's tasks: the same tokio executor the kiosk window uses.
#[derive(Debug)]
pub struct Headless {
    runtime: tokio::runtime::Runtime,
}

impl Headless {
    /// A runtime with a worker thread and the blocking pool the tasks use.
    pub fn new() -> Result<Headless, HeadlessError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()?;
        Ok(Headless { runtime })
    }

    /// Hands `message` to the app and runs every task that follows from it to the end.
    pub fn update(&self, app: &mut App, message: Message) -> Result<Ran, HeadlessError> {
        let task = app.update(message);
        self.run(app, task)
    }

    /// Runs one task to its end and gives the messages it produced (a screen's own work, in its tests).
    pub fn outputs<M: Send + 'static>(&self, task: Task<M>) -> Result<Vec<M>, HeadlessError> {
        let Some(stream) = iced_runtime::task::into_stream(task) else {
            return Ok(Vec::new());
        };
        let actions = self
            .runtime
            .block_on(async { tokio::time::timeout(TASK_LIMIT, stream.collect::<Vec<_>>()).await })
            .map_err(|_| HeadlessError::Hung)?;
        Ok(actions
            .into_iter()
            .filter_map(|action| match action {
                iced_runtime::Action::Output(message) => Some(message),
                _ => None,
            })
            .collect())
    }

    /// Runs `task` and the tasks its messages lead to, in the order they were started, until none is left.
    pub fn run(&self, app: &mut App, task: Task<Message>) -> Result<Ran, HeadlessError> {
        let mut ran = Ran::default();
        let mut queue = VecDeque::from([task]);
        while let Some(task) = queue.pop_front() {
            let Some(stream) = iced_runtime::task::into_stream(task) else {
                continue;
            };
            let actions = self
                .runtime
                .block_on(async {
                    tokio::time::timeout(TASK_LIMIT, stream.collect::<Vec<_>>()).await
                })
                .map_err(|_| HeadlessError::Hung)?;
            for action in actions {
                match action {
                    iced_runtime::Action::Output(message) => {
                        ran.messages += 1;
                        queue.push_back(app.update(message));
                    }
                    iced_runtime::Action::Exit => ran.exit = true,
                    // Window, widget, clipboard and font actions need a window; there is none here.
                    _ => {}
                }
            }
        }
        Ok(ran)
    }
}
