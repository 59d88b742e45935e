//! The host-facing entry point: a session plus the Python interpreter, running notebook cells
//! (`%md`, `%sql`, `%python` or plain Python) and collecting what they print.
//!
//! The browser page and the native CLI both drive a [`Kernel`]: they hand it cells and get
//! [`CellOutput`]s back, and a listener sees every output the moment it is produced (so the CLI
//! prints the console sink's batches live during `awaitTermination`). Output of triggers that
//! run between cells (the page's timers call `kernel.session().run_due_triggers()`) is kept
//! for [`Kernel::drain_background_output`].

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use streamlab_engine::clock::Clock;
use streamlab_engine::output::{Level, Output};
use streamlab_engine::SparkSession;
use streamlab_storage::Storage;
use streamlab_types::time::civil::civil_from_micros;
use streamlab_types::SparkError;

use crate::document::CellKind;
use crate::output::{CellError, CellOutput};
use crate::python::{Host, Interpreter, Limits};

/// A callback that sees each output as soon as it exists.
pub type Listener = Rc<dyn Fn(&CellOutput)>;

/// log4j levels in increasing severity, as `setLogLevel` accepts them.
const LEVELS: [&str; 8] = ["ALL", "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL", "OFF"];

/// Everything printed, from Python and from the engine, in order.
struct OutputLog {
    clock: Rc<dyn Clock>,
    buffer: RefCell<Vec<CellOutput>>,
    listener: RefCell<Option<Listener>>,
    /// Index in [`LEVELS`] of the lowest level shown (PySpark's shell default: WARN).
    threshold: Cell<usize>,
}

impl OutputLog {
    fn push(&self, output: CellOutput) {
        let listener = self.listener.borrow().clone();
        if let Some(listener) = listener {
            listener(&output);
        }
        self.buffer.borrow_mut().push(output);
    }

    fn take(&self) -> Vec<CellOutput> {
        std::mem::take(&mut *self.buffer.borrow_mut())
    }

    /// `25/12/15 13:20:26`: log4j's `yy/MM/dd HH:mm:ss` on the session clock (UTC).
    fn timestamp(&self) -> String {
        let c = civil_from_micros(self.clock.now_ms().div_euclid(1000).saturating_mul(1_000_000));
        format!("{:02}/{:02}/{:02} {:02}:{:02}:{:02}", c.year.rem_euclid(100), c.month, c.day, c.hour, c.minute, c.second)
    }
}

impl Output for OutputLog {
    fn print(&self, text: &str) {
        self.push(CellOutput::Stdout(text.to_string()));
    }

    fn log(&self, level: Level, logger: &str, message: &str) {
        let (name, rank) = match level {
            Level::Warn => ("WARN", 4),
            Level::Info => ("INFO", 3),
        };
        if rank >= self.threshold.get() {
            self.push(CellOutput::Stderr(format!("{} {name} {logger}: {message}\n", self.timestamp())));
        }
    }
}

impl Host for OutputLog {
    fn emit(&self, output: CellOutput) {
        self.push(output);
    }

    fn set_log_level(&self, level: &str) -> Result<(), SparkError> {
        let upper = level.to_ascii_uppercase();
        let Some(rank) = LEVELS.iter().position(|l| *l == upper) else {
            let mut sorted = LEVELS;
            sorted.sort_unstable();
            return Err(SparkError::illegal_argument(format!(
                "Supplied level {level} did not match one of: {}",
                sorted.join(",")
            )));
        };
        self.threshold.set(rank);
        Ok(())
    }
}

/// A notebook kernel: one session, one interpreter whose variables persist across cells.
///
/// ```
/// use std::rc::Rc;
/// use std::sync::Arc;
/// use streamlab_engine::clock::ManualClock;
/// use streamlab_notebook::kernel::Kernel;
/// use streamlab_notebook::output::CellOutput;
/// use streamlab_storage::MemoryStorage;
/// let mut kernel = Kernel::new(Arc::new(MemoryStorage::new()), Rc::new(ManualClock::new(0)))
///     .with_env(vec![("USER".into(), "ada".into())]);
/// kernel.run_cell("import os\nname = os.environ['USER']");
/// assert_eq!(kernel.run_cell("print(name.upper())"), vec![CellOutput::Stdout("ADA\n".into())]);
/// assert_eq!(kernel.run_cell("%md\n# Hi")[0], CellOutput::Html(streamlab_notebook::markdown::render_markdown("# Hi")));
/// ```
pub struct Kernel {
    session: SparkSession,
    log: Rc<OutputLog>,
    interpreter: Interpreter,
    env: Vec<(String, String)>,
    limits: Limits,
    background: Vec<CellOutput>,
}

impl Kernel {
    /// A kernel whose session reads and writes `storage` and keeps time with `clock`.
    pub fn new(storage: Arc<dyn Storage>, clock: Rc<dyn Clock>) -> Self {
        let log = Rc::new(OutputLog {
            clock: clock.clone(),
            buffer: RefCell::new(Vec::new()),
            listener: RefCell::new(None),
            threshold: Cell::new(4),
        });
        let session = SparkSession::new(storage, clock, log.clone());
        let limits = Limits::default();
        let interpreter = Interpreter::new(session.clone(), log.clone(), Vec::new(), limits.clone());
        Kernel { session, log, interpreter, env: Vec::new(), limits, background: Vec::new() }
    }

    fn rebuild_interpreter(&mut self) {
        self.interpreter = Interpreter::new(self.session.clone(), self.log.clone(), self.env.clone(), self.limits.clone());
    }

    /// Sets the variables `os.environ` holds (empty by default). Call before running cells:
    /// it starts a fresh interpreter.
    pub fn with_env(mut self, env: Vec<(String, String)>) -> Self {
        self.env = env;
        self.rebuild_interpreter();
        self
    }

    /// Sets the loop-iteration and call-depth limits and the interrupt hook. Call before
    /// running cells: it starts a fresh interpreter.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self.rebuild_interpreter();
        self
    }

    /// Calls `listener` with every output as it is produced, during cells and between them.
    pub fn with_listener(self, listener: Listener) -> Self {
        *self.log.listener.borrow_mut() = Some(listener);
        self
    }

    /// The session (the host runs `run_due_triggers` on it from its timers).
    pub fn session(&self) -> &SparkSession {
        &self.session
    }

    /// The interpreter (to pre-bind variables such as `spark`).
    pub fn interpreter(&self) -> &Interpreter {
        &self.interpreter
    }

    /// Output produced outside cells (triggers run by the host's timers), oldest first.
    pub fn drain_background_output(&mut self) -> Vec<CellOutput> {
        let mut out = std::mem::take(&mut self.background);
        out.extend(self.log.take());
        merge_stdout(out)
    }

    /// Runs a cell and returns its outputs in order (adjacent stdout pieces merged). The first
    /// line may be a magic: `%md` (markdown), `%sql` (one SQL statement, shown as a table),
    /// `%python`. An error ends the cell as its last output.
    pub fn run_cell(&mut self, source: &str) -> Vec<CellOutput> {
        self.background.extend(self.log.take());
        let (first, rest) = source.split_once('\n').unwrap_or((source, ""));
        let magic = first.trim();
        match magic.split_whitespace().next() {
            Some("%md") => self.log.push(CellOutput::Html(crate::markdown::render_markdown(rest))),
            Some("%sql") => self.run_sql(rest),
            Some("%python") => self.run_python(&format!("\n{rest}")),
            Some(other) if other.starts_with('%') => self.log.push(CellOutput::Error(CellError {
                ename: "NotImplementedError".into(),
                message: format!("StreamLab does not support the {other} magic (line 1, column 1)"),
                location: Some((1, 1)),
            })),
            _ => self.run_python(source),
        }
        merge_stdout(self.log.take())
    }

    /// Runs a notebook cell by its kind (the document model keeps `%sql` / `%md` cells' text
    /// without the magic line): markdown renders, SQL runs as `%sql`, code as [`run_cell`].
    ///
    /// [`run_cell`]: Kernel::run_cell
    pub fn run_notebook_cell(&mut self, kind: CellKind, source: &str) -> Vec<CellOutput> {
        match kind {
            CellKind::Code => self.run_cell(source),
            CellKind::Markdown => vec![CellOutput::Html(crate::markdown::render_markdown(source))],
            CellKind::Sql => {
                self.background.extend(self.log.take());
                self.run_sql_at(source, 1);
                merge_stdout(self.log.take())
            }
        }
    }

    fn run_sql(&mut self, text: &str) {
        self.run_sql_at(text, 2);
    }

    /// Runs SQL whose first line is line `first_line` of the cell.
    fn run_sql_at(&mut self, text: &str, first_line: usize) {
        let result = self.session.sql(text.trim()).map_err(crate::python::PyErr::from).and_then(|df| {
            crate::python::spark::dataframe::table_output(&df, 1000)
        });
        match result {
            Ok(table) => self.log.push(CellOutput::Table(table)),
            Err(e) => self.log.push(CellOutput::Error(CellError::from_spark(&e.error, Some((first_line, 1))))),
        }
    }

    fn run_python(&mut self, source: &str) {
        match self.interpreter.run(source) {
            Ok(Some(value)) => self.log.push(CellOutput::Result(crate::python::repr::repr(&value))),
            Ok(None) => {}
            Err(e) => self.log.push(CellOutput::Error(CellError::from_spark(&e.error, e.location))),
        }
    }
}

/// Joins adjacent `Stdout` outputs, as a terminal would show them.
fn merge_stdout(outputs: Vec<CellOutput>) -> Vec<CellOutput> {
    let mut merged: Vec<CellOutput> = Vec::with_capacity(outputs.len());
    for o in outputs {
        match (merged.last_mut(), o) {
            (Some(CellOutput::Stdout(prev)), CellOutput::Stdout(next)) => prev.push_str(&next),
            (_, o) => merged.push(o),
        }
    }
    merged
}
