//! A tree-walking interpreter for the PySpark subset lessons use.
//!
//! Cells are parsed by Ruff's Python parser ([`parse`]) and evaluated statement by statement
//! ([`Interpreter::run`]). Plain Python values live in [`value`]; the engine's objects
//! (session, DataFrame, Column, queries, types) are bound in [`spark`]. Output goes to a
//! [`Host`] as [`CellOutput`]s the moment it is produced. Anything outside the subset raises
//! `NotImplementedError` naming the construct and where it is, never a panic.
//!
//! ```
//! use std::rc::Rc;
//! use std::sync::Arc;
//! use streamlab_engine::{SparkSession, clock::ManualClock, output::BufferedOutput};
//! use streamlab_notebook::python::{CollectingHost, Interpreter, Limits};
//! use streamlab_storage::MemoryStorage;
//! let spark = SparkSession::new(Arc::new(MemoryStorage::new()), Rc::new(ManualClock::new(0)), Rc::new(BufferedOutput::default()));
//! let host = Rc::new(CollectingHost::default());
//! let py = Interpreter::new(spark, host.clone(), Vec::new(), Limits::default());
//! let last = py.run("x = [1, 2]\nprint(f'{len(x)} items')\nx").unwrap();
//! assert_eq!(host.stdout(), "2 items\n");
//! assert_eq!(last.map(|v| streamlab_notebook::python::repr::repr(&v)).as_deref(), Some("[1, 2]"));
//! ```

pub mod args;
mod builtins;
pub mod error;
mod eval;
pub mod format;
pub mod json;
mod methods;
mod modules;
mod ops;
pub mod parse;
pub mod repr;
pub mod spark;
pub mod value;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use streamlab_engine::SparkSession;
use streamlab_types::SparkError;

use crate::output::CellOutput;

pub use args::Args;
pub use error::{PyErr, PyResult};
pub use value::Value;

/// Where the interpreter's output goes, and the host settings Python can change.
pub trait Host {
    /// Receives each output as soon as it is produced (`print`, `show()`, `display`).
    fn emit(&self, output: CellOutput);
    /// `spark.sparkContext.setLogLevel(level)`: which Spark log lines the host shows.
    fn set_log_level(&self, level: &str) -> Result<(), SparkError>;
}

/// A [`Host`] that keeps outputs in memory (tests, doc examples).
///
/// ```
/// use streamlab_notebook::python::{CollectingHost, Host};
/// use streamlab_notebook::output::CellOutput;
/// let host = CollectingHost::default();
/// host.emit(CellOutput::Stdout("hi\n".into()));
/// assert_eq!(host.stdout(), "hi\n");
/// ```
#[derive(Debug, Default)]
pub struct CollectingHost {
    outputs: RefCell<Vec<CellOutput>>,
    level: RefCell<String>,
}

impl CollectingHost {
    /// Everything printed to stdout so far, concatenated.
    pub fn stdout(&self) -> String {
        self.outputs
            .borrow()
            .iter()
            .filter_map(|o| match o {
                CellOutput::Stdout(s) => Some(s.as_str()),
                _ => None,
            })
            .collect()
    }

    /// Removes and returns the outputs so far.
    pub fn take(&self) -> Vec<CellOutput> {
        std::mem::take(&mut *self.outputs.borrow_mut())
    }

    /// The last level passed to `setLogLevel`.
    pub fn log_level(&self) -> String {
        self.level.borrow().clone()
    }
}

impl Host for CollectingHost {
    fn emit(&self, output: CellOutput) {
        self.outputs.borrow_mut().push(output);
    }

    fn set_log_level(&self, level: &str) -> Result<(), SparkError> {
        *self.level.borrow_mut() = level.to_string();
        Ok(())
    }
}

/// Bounds that keep a runaway cell from freezing the browser tab.
///
/// Why: the page has one thread; `while True:` must end with an error, not hang.
#[derive(Clone)]
pub struct Limits {
    /// Loop iterations (`for` and `while` bodies, comprehensions) allowed per cell or per
    /// `foreachBatch` call; past it the cell fails with `RuntimeError`.
    pub max_loop_iterations: u64,
    /// Nested Python calls allowed (`RecursionError` past it).
    pub max_call_depth: usize,
    /// Polled at every loop iteration: returning `true` stops the cell with
    /// `KeyboardInterrupt` (the page's Stop button).
    pub interrupt: Option<Rc<dyn Fn() -> bool>>,
}

impl Default for Limits {
    /// 1,000,000 loop iterations per cell and 32 nested calls: deep enough for lesson code, shallow enough for a 1 MiB stack even in debug builds (a tree-walking call takes up to 40 KiB of Rust stack there).
    fn default() -> Self {
        Limits { max_loop_iterations: 1_000_000, max_call_depth: 32, interrupt: None }
    }
}

pub(crate) struct State {
    session: SparkSession,
    host: Rc<dyn Host>,
    globals: RefCell<HashMap<String, Value>>,
    modules: RefCell<HashMap<String, Value>>,
    env: Vec<(String, String)>,
    limits: Limits,
    iterations: Cell<u64>,
    depth: Cell<usize>,
    display_queries: Cell<usize>,
}

/// The interpreter: global variables that persist across cells, the session, the host.
///
/// Cheap to clone; clones share everything (a `foreachBatch` function keeps one).
#[derive(Clone)]
pub struct Interpreter {
    state: Rc<State>,
}

impl Interpreter {
    /// An interpreter over `session`, printing to `host`, with `env` as `os.environ`.
    pub fn new(session: SparkSession, host: Rc<dyn Host>, env: Vec<(String, String)>, limits: Limits) -> Self {
        Interpreter {
            state: Rc::new(State {
                session,
                host,
                globals: RefCell::new(HashMap::new()),
                modules: RefCell::new(HashMap::new()),
                env,
                limits,
                iterations: Cell::new(0),
                depth: Cell::new(0),
                display_queries: Cell::new(0),
            }),
        }
    }

    /// The Spark session cells run against.
    pub fn session(&self) -> &SparkSession {
        &self.state.session
    }

    /// Runs one cell of Python. Returns the value of a last expression statement (what Jupyter
    /// shows as `Out[n]`) unless it is `None`.
    pub fn run(&self, source: &str) -> PyResult<Option<Value>> {
        self.state.iterations.set(0);
        let statements = parse::parse_cell(source)?;
        let index = Rc::new(parse::SourceIndex::new(source));
        eval::run_module(self, &statements, index)
    }

    /// Calls a Python callable (a `def`, a lambda, a builtin) with `args`.
    pub fn call(&self, function: &Value, args: Args) -> PyResult<Value> {
        if self.state.depth.get() == 0 {
            self.state.iterations.set(0);
        }
        eval::call_value(self, function, args)
    }

    /// The global variable `name`, if set.
    pub fn global(&self, name: &str) -> Option<Value> {
        self.state.globals.borrow().get(name).cloned()
    }

    /// Sets a global variable (the host can pre-bind `spark`, for example).
    pub fn set_global(&self, name: &str, value: Value) {
        self.state.globals.borrow_mut().insert(name.to_string(), value);
    }

    pub(crate) fn host(&self) -> &Rc<dyn Host> {
        &self.state.host
    }

    pub(crate) fn print(&self, text: String) {
        self.state.host.emit(CellOutput::Stdout(text));
    }

    pub(crate) fn state(&self) -> &State {
        &self.state
    }

    /// Counts one loop iteration against the limits.
    pub(crate) fn step(&self) -> PyResult<()> {
        let n = self.state.iterations.get() + 1;
        self.state.iterations.set(n);
        if n > self.state.limits.max_loop_iterations {
            let e = PyErr::new(
                "RuntimeError",
                format!(
                    "StreamLab stopped this cell after {} loop iterations (the per-cell limit that keeps the page responsive)",
                    self.state.limits.max_loop_iterations
                ),
            );
            return Err(fatal(e));
        }
        if let Some(interrupt) = &self.state.limits.interrupt {
            if interrupt() {
                return Err(fatal(PyErr::new("KeyboardInterrupt", "")));
            }
        }
        Ok(())
    }

    /// A fresh name for a `display()` query.
    pub(crate) fn next_display_name(&self) -> String {
        let n = self.state.display_queries.get() + 1;
        self.state.display_queries.set(n);
        format!("display_query_{n}")
    }
}

/// Marks an error `except Exception` must not catch (limits, interrupts).
fn fatal(mut e: PyErr) -> PyErr {
    e.fatal = true;
    e
}
