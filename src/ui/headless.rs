//! The kiosk's screens without a window: the work the screens start (photo capture, sealing and storing
//! the claim, the status check, the export) runs as it does in the kiosk, as iced tasks on a tokio runtime,
//! and every message it produces goes back into [`App::update`]. The app's [feeds](App::feeds) (camera and
//! printer events, the screens' own clocks) run as iced subscriptions too, while a test waits for what they
//! bring ([`Headless::wait_for`]). The journey tests and the benchmarks drive the app through this instead of
//! handing results over by hand.

use std::collections::VecDeque;
use std::time::Duration;

use iced::Task;
use iced::futures::StreamExt;
use iced::futures::channel::mpsc;
use iced_runtime::futures::subscription::{Tracker, into_recipes};

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

/// The app's feeds running as subscriptions, and where their messages wait to be handled. Dropping it stops
/// them.
pub struct Feeds {
    tracker: Tracker,
    sender: mpsc::Sender<Message>,
    receiver: mpsc::Receiver<Message>,
}

impl std::fmt::Debug for Feeds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Feeds").finish_non_exhaustive()
    }
}

impl Feeds {
    /// No feed runs yet: they start with the first [`Headless::wait_for`].
    pub fn new() -> Feeds {
        let (sender, receiver) = mpsc::channel(64);
        Feeds {
            tracker: Tracker::new(),
            sender,
            receiver,
        }
    }
}

impl Default for Feeds {
    fn default() -> Self {
        Feeds::new()
    }
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

    /// Starts the feeds the app's current screen wants and stops the ones it no longer wants.
    fn follow(&self, feeds: &mut Feeds, app: &App) {
        // The clocks' streams are made here and need the runtime.
        let _inside = self.runtime.enter();
        let started = feeds
            .tracker
            .update(into_recipes(app.feeds()).into_iter(), feeds.sender.clone());
        for feed in started {
            let _running = self.runtime.spawn(feed);
        }
    }

    /// Runs the app's feeds and hands their messages to the app (with the tasks that follow) until `until`
    /// holds or `limit` has passed; `Ok(false)` when it never held.
    pub fn wait_for(
        &self,
        feeds: &mut Feeds,
        app: &mut App,
        until: impl Fn(&App) -> bool,
        limit: Duration,
    ) -> Result<bool, HeadlessError> {
        let deadline = std::time::Instant::now() + limit;
        loop {
            self.follow(feeds, app);
            if until(app) {
                return Ok(true);
            }
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return Ok(false);
            }
            let wait = left.min(Duration::from_millis(100));
            let next = self
                .runtime
                .block_on(async { tokio::time::timeout(wait, feeds.receiver.next()).await });
            if let Ok(Some(message)) = next {
                self.update(app, message)?;
            }
        }
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
