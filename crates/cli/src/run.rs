//! `streamlab run FILE`: a script or notebook, cell by cell, on the local disk and the real
//! clock, printing what PySpark prints.

use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use streamlab_engine::query::listener::StreamingQueryListener;
use streamlab_engine::query::progress::StreamingQueryProgress;
use streamlab_engine::StreamingQuery;
use streamlab_native::{LocalStorage, SystemClock, WriteBehind};
use streamlab_notebook::document::Notebook;
use streamlab_notebook::formats::{detect_format, read_notebook, NotebookFormat};
use streamlab_notebook::kernel::Kernel;
use streamlab_notebook::output::CellOutput;

use crate::render::{print_error, print_output, Style};

/// Runs `file`; `Ok(false)` when a cell failed (its error is printed), `Err` when the file
/// cannot be run at all.
pub fn run(file: &Path, show_progress: bool) -> Result<bool, String> {
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let name = file.to_string_lossy().to_string();
    let style = match detect_format(&name, &bytes) {
        Some(NotebookFormat::PythonScript) => Style::Script,
        _ => Style::Notebook,
    };
    let notebook = read_notebook(&name, &bytes).map_err(|e| e.to_string())?;
    // Writes go to the disk on a second thread while the engine works on (see WriteBehind).
    let storage = WriteBehind::new(Arc::new(LocalStorage::current_dir().map_err(|e| e.to_string())?));
    let progress = Progress::new(show_progress);
    let printer = {
        let progress = progress.clone();
        Rc::new(move |output: &CellOutput| progress.bar.suspend(|| print_output(output, style)))
    };
    let mut kernel =
        Kernel::new(Arc::new(storage), Rc::new(SystemClock)).with_env(std::env::vars().collect()).with_listener(printer);
    kernel.session().streams().add_listener(Rc::new(progress.clone()));
    streamlab_delta::register(kernel.session());
    streamlab_kafka::register(kernel.session());
    let outcome = run_cells(&mut kernel, &notebook, &name, style, &progress);
    // The script is over: like the Python process exiting, that ends every query it started.
    for query in kernel.session().streams().active() {
        query.stop();
    }
    // Batch writes may still be queued: the process must not end before they are on the disk.
    let flushed = kernel.session().storage().flush();
    progress.bar.finish_and_clear();
    match flushed {
        Ok(()) => Ok(outcome),
        Err(e) => Err(format!("writing to the disk failed: {e}")),
    }
}

/// Runs the code and SQL cells in order, stopping at the first error (as a script or
/// `jupyter nbconvert --execute` does).
fn run_cells(kernel: &mut Kernel, notebook: &Notebook, file: &str, style: Style, progress: &Progress) -> bool {
    let cells = notebook.cells();
    for (index, cell) in cells.iter().enumerate() {
        progress.set_cell(index + 1, cells.len());
        let outputs = kernel.run_notebook_cell(cell.kind, &cell.source);
        if let Some(CellOutput::Error(error)) = outputs.last() {
            let cell_number = (style == Style::Notebook).then_some(index + 1);
            progress.bar.suspend(|| print_error(error, file, cell_number));
            return false;
        }
        // Spark runs queries on their own threads, so a query started by this cell makes
        // progress while the script goes on: the triggers due by now run before the next cell.
        // What they print reaches the listener as it happens; the kernel's copy is dropped.
        kernel.session().run_due_triggers();
        kernel.drain_background_output();
    }
    true
}

/// The live progress line on stderr (hidden when stderr is not a terminal): which cell runs,
/// and the last batch of each query, updated as queries report progress.
#[derive(Clone)]
struct Progress {
    bar: ProgressBar,
    cell: Rc<RefCell<String>>,
    queries: Rc<RefCell<Vec<(String, String)>>>,
}

impl Progress {
    fn new(visible: bool) -> Self {
        let bar = if visible { ProgressBar::new_spinner() } else { ProgressBar::hidden() };
        bar.set_style(ProgressStyle::with_template("{spinner} {elapsed} {msg}").unwrap_or_else(|_| ProgressStyle::default_spinner()));
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress { bar, cell: Rc::default(), queries: Rc::default() }
    }

    fn set_cell(&self, number: usize, total: usize) {
        *self.cell.borrow_mut() = format!("cell {number}/{total}");
        self.redraw();
    }

    fn redraw(&self) {
        let queries: Vec<String> = self.queries.borrow().iter().map(|(_, line)| line.clone()).collect();
        let mut message = self.cell.borrow().clone();
        if !queries.is_empty() {
            message.push_str(" · ");
            message.push_str(&queries.join(" · "));
        }
        self.bar.set_message(message);
    }
}

impl StreamingQueryListener for Progress {
    fn on_query_started(&self, query: &StreamingQuery) {
        let label = query.name().map_or_else(|| query.id().chars().take(8).collect(), str::to_string);
        self.queries.borrow_mut().push((query.id().to_string(), format!("{label}: started")));
        self.redraw();
    }

    fn on_query_progress(&self, progress: &StreamingQueryProgress) {
        let label = progress.name.clone().unwrap_or_else(|| progress.id.chars().take(8).collect());
        let line = format!(
            "{label}: batch {} ({} rows, {:.0} rows/s)",
            progress.batch_id, progress.num_input_rows, progress.processed_rows_per_second
        );
        if let Some(entry) = self.queries.borrow_mut().iter_mut().find(|(id, _)| *id == progress.id) {
            entry.1 = line;
        }
        self.redraw();
    }

    fn on_query_terminated(&self, id: &str, _run_id: &str, _exception: Option<&streamlab_engine::SparkError>) {
        self.queries.borrow_mut().retain(|(query, _)| query != id);
        self.redraw();
    }
}
