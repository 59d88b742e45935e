//! Where the engine's printed text goes: the console sink's batches and Spark's WARN lines.
//!
//! Spark prints console batches on stdout and warnings through log4j on stderr. The notebook
//! shows both under the cell that caused them; the CLI prints them. So the engine writes to an
//! [`Output`] and never to the process's streams.

use std::cell::RefCell;

/// Log levels Spark uses for the messages StreamLab reproduces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// `WARN`: e.g. "Current batch is falling behind".
    Warn,
    /// `INFO`.
    Info,
}

/// A destination for printed text.
pub trait Output {
    /// Text Spark prints on stdout (console sink), already newline-terminated.
    fn print(&self, text: &str);
    /// A log line from `logger` (a simple class name such as `ProcessingTimeExecutor`).
    fn log(&self, level: Level, logger: &str, message: &str);
}

/// One captured piece of output, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputEvent {
    /// Printed text.
    Stdout(String),
    /// A log line.
    Log { level: Level, logger: String, message: String },
}

/// Keeps everything printed, for the notebook to drain after each cell and for tests to read.
///
/// ```
/// use streamlab_engine::output::{BufferedOutput, Output, Level};
/// let out = BufferedOutput::default();
/// out.print("Batch: 0\n");
/// out.log(Level::Warn, "ProcessingTimeExecutor", "Current batch is falling behind.");
/// assert_eq!(out.stdout(), "Batch: 0\n");
/// assert_eq!(out.take().len(), 2);
/// assert!(out.take().is_empty());
/// ```
#[derive(Debug, Default)]
pub struct BufferedOutput {
    events: RefCell<Vec<OutputEvent>>,
}

impl BufferedOutput {
    /// Removes and returns everything captured so far.
    pub fn take(&self) -> Vec<OutputEvent> {
        std::mem::take(&mut *self.events.borrow_mut())
    }

    /// All stdout text captured so far (without removing it).
    pub fn stdout(&self) -> String {
        self.events
            .borrow()
            .iter()
            .filter_map(|e| match e {
                OutputEvent::Stdout(s) => Some(s.as_str()),
                OutputEvent::Log { .. } => None,
            })
            .collect()
    }

    /// The messages of the captured log lines at `level`.
    pub fn logs(&self, level: Level) -> Vec<String> {
        self.events
            .borrow()
            .iter()
            .filter_map(|e| match e {
                OutputEvent::Log { level: l, message, .. } if *l == level => Some(message.clone()),
                _ => None,
            })
            .collect()
    }
}

impl Output for BufferedOutput {
    fn print(&self, text: &str) {
        self.events.borrow_mut().push(OutputEvent::Stdout(text.to_string()));
    }

    fn log(&self, level: Level, logger: &str, message: &str) {
        self.events.borrow_mut().push(OutputEvent::Log {
            level,
            logger: logger.to_string(),
            message: message.to_string(),
        });
    }
}
