//! The page's state, shared by every component through Leptos context: the [`Lab`] (engine
//! side, not `Send`, kept in a local stored value) and the signals the views follow.
//!
//! All engine calls go through the actions here, so the order is always the same: run the
//! engine, then publish what changed (outputs, progress, a new `version` for views that re-read
//! the engine), then schedule the next trigger timer.

use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use streamlab_engine::query::listener::StreamingQueryListener;
use streamlab_engine::query::progress::StreamingQueryProgress;
use streamlab_engine::query::StreamingQuery;
use streamlab_notebook::document::{CellId, CellKind, Notebook};
use streamlab_notebook::lessons::{lesson, LessonLanguage};
use streamlab_engine::query::step::MicroBatchReport;
use streamlab_notebook::output::{CellError, CellOutput};
use streamlab_types::SparkError;

use crate::frame_budget::{TriggerTiming, TIMER_RUN_HISTORY};
use crate::lab::Lab;
use crate::metrics::{push_bounded, BatchMetrics};
use crate::clock::PageClock;
use crate::sample::{fetch_sample, write_sample, SAMPLE_DIR};
use crate::seed_bench::{run_seed_pipeline, warm_up_slice, WARM_UP_LINES};

/// Batches the charts remember, over all queries.
pub const PROGRESS_HISTORY: usize = 300;
/// Lines of background output (trigger output between cells) the console keeps.
pub const CONSOLE_HISTORY: usize = 200;

/// Everything the components share. `Copy`: each field is a handle.
#[derive(Clone, Copy)]
pub struct AppState {
    /// The engine side.
    pub lab: StoredValue<Lab, LocalStorage>,
    /// The notebook being edited, with each cell's last outputs.
    pub notebook: RwSignal<Notebook>,
    /// The lesson language (what the language switch shows).
    pub language: RwSignal<LessonLanguage>,
    /// Each batch's numbers, oldest first, all queries.
    pub progress: RwSignal<Vec<BatchMetrics>>,
    /// Bumped whenever the engine's state may have changed (a cell ran, a trigger ran, a query
    /// stopped): views that re-read the engine (streams, files, live tables) follow it.
    pub version: RwSignal<u64>,
    /// What triggers printed between cells (console sink batches, warnings).
    pub console: RwSignal<Vec<CellOutput>>,
    /// The cell running now, if any.
    pub running: RwSignal<Option<CellId>>,
    /// Jupyter's execution counter.
    pub executions: RwSignal<u32>,
    /// The last query that died, and why (the Crash button's result, or a real failure).
    pub last_failure: RwSignal<Option<String>>,
    /// What the last sample load said (`None` while the first one runs).
    pub sample_status: RwSignal<Option<String>>,
    /// The Step button's last result, shown in the streams panel.
    pub step: RwSignal<Option<StepView>>,
    /// The timer runs that ran a batch, oldest first (at most [`TIMER_RUN_HISTORY`]), with how
    /// long each of their three tasks held the page, so the student (and `scripts/bench-web.sh`)
    /// can see a batch fits in a frame.
    pub timer_runs: RwSignal<Vec<TriggerTiming>>,
    /// Whether the Files tab is showing: the file browser re-lists the file system after a
    /// batch only then, so a batch does not pay for a listing nobody sees.
    pub files_visible: RwSignal<bool>,
    /// Time the charts spent drawing since the last timer run recorded it, ms (the charts add
    /// to it; see [`crate::frame_budget`]).
    pub chart_draw_ms: StoredValue<f64, LocalStorage>,
    /// The pending trigger timer.
    timer: StoredValue<Option<TimeoutHandle>, LocalStorage>,
    /// Batch reports heard while the engine ran, not yet published to `progress`: the listener
    /// runs inside the engine's task, and the views must update in a later one.
    arrived: StoredValue<Vec<BatchMetrics>, LocalStorage>,
}

impl AppState {
    /// The state of a fresh page: `lab`, and `notebook` in `language`.
    pub fn new(lab: Lab, notebook: Notebook, language: LessonLanguage) -> Self {
        let state = AppState {
            lab: StoredValue::new_local(lab),
            notebook: RwSignal::new(notebook),
            language: RwSignal::new(language),
            progress: RwSignal::new(Vec::new()),
            version: RwSignal::new(0),
            console: RwSignal::new(Vec::new()),
            running: RwSignal::new(None),
            executions: RwSignal::new(0),
            sample_status: RwSignal::new(None),
            last_failure: RwSignal::new(None),
            step: RwSignal::new(None),
            timer_runs: RwSignal::new(Vec::new()),
            files_visible: RwSignal::new(false),
            chart_draw_ms: StoredValue::new_local(0.0),
            timer: StoredValue::new_local(None),
            arrived: StoredValue::new_local(Vec::new()),
        };
        let feed: Rc<dyn StreamingQueryListener> = Rc::new(ProgressFeed { state });
        state.lab.with_value(|lab| lab.add_listener(feed));
        state
    }

    /// Tells the views that re-read the engine to do so.
    pub fn touch(&self) {
        self.version.update(|v| *v = v.wrapping_add(1));
    }

    /// Runs the cell `id` and stores its outputs; false when there is no such cell or the cell
    /// ended with an error (Run all stops there, as Jupyter does).
    pub fn run_cell(&self, id: &CellId) -> bool {
        let Some((kind, source)) = self.notebook.with_untracked(|nb| nb.cell(id).map(|c| (c.kind, c.source.clone()))) else {
            return false;
        };
        self.running.set(Some(id.clone()));
        let outputs = self.lab.try_update_value(|lab| lab.run(kind, &source)).unwrap_or_default();
        let failed = outputs.iter().any(|o| matches!(o, CellOutput::Error(_)));
        let count = (kind != CellKind::Markdown).then(|| {
            self.executions.update(|n| *n += 1);
            self.executions.get_untracked()
        });
        self.notebook.update(|nb| {
            if let Some(cell) = nb.cell_mut(id) {
                cell.outputs = outputs;
                cell.execution_count = count;
            }
        });
        self.running.set(None);
        self.publish_progress();
        self.touch();
        self.schedule_triggers(0);
        !failed
    }

    /// Runs every cell from the first, one per browser task so the page repaints between
    /// cells, stopping at the first error.
    pub fn run_all(&self) {
        let ids: Vec<CellId> = self.notebook.with_untracked(|nb| nb.cells().iter().map(|c| c.id().clone()).collect());
        self.run_from(ids, 0);
    }

    fn run_from(&self, ids: Vec<CellId>, index: usize) {
        let Some(id) = ids.get(index).cloned() else { return };
        let state = *self;
        self.running.set(Some(id.clone()));
        set_timeout(
            move || {
                if state.run_cell(&id) {
                    state.run_from(ids, index + 1);
                }
            },
            Duration::ZERO,
        );
    }

    /// Fetches the bundled sample and writes it to `data/activity`; `on_done` gets what to
    /// tell the student.
    pub fn load_sample(&self, on_done: impl Fn(String) + 'static) {
        let state = *self;
        leptos::task::spawn_local(async move {
            let message = match fetch_sample().await {
                Ok(files) => match state.lab.with_value(|lab| write_sample(lab.storage().as_ref(), &files)) {
                    Ok(n) => format!("Loaded {n} sample files into {SAMPLE_DIR}"),
                    Err(e) => e.headline(),
                },
                Err(e) => e,
            };
            state.sample_status.set(Some(message.clone()));
            state.touch();
            on_done(message);
        });
    }

    /// Runs the lesson's first pipeline once over a slice of the sample, in a scratch session
    /// the student never sees, so the browser compiles the engine's batch code before the
    /// student's first batch needs it (see [`warm_up_slice`]). Returns how long it took, ms,
    /// or why it failed.
    pub fn warm_up(&self) -> Result<f64, String> {
        let sample = self.lab.with_value(|lab| lab.sample_files());
        let slice = warm_up_slice(&sample, WARM_UP_LINES);
        let started = now_ms();
        run_seed_pipeline(&slice, Rc::new(PageClock::browser()), now_ms).map_err(|e| e.headline())?;
        Ok(now_ms() - started)
    }

    /// Stops every active query.
    pub fn stop_all(&self) {
        self.lab.with_value(|lab| lab.stop_all());
        self.touch();
    }

    /// Makes the next micro-batch die just before its commit (see [`crate::crash`]).
    pub fn crash_next_batch(&self) {
        self.lab.with_value(|lab| lab.crash_next_batch());
    }

    /// Runs exactly one micro-batch of query `id` now (the Step button) and publishes what it
    /// did, with the time it held the page.
    pub fn step(&self, id: &str, name: &str) {
        let started = now_ms();
        let Some((outcome, printed)) = self.lab.try_update_value(|lab| (lab.step(id), lab.drain_output())) else { return };
        let elapsed_ms = now_ms() - started;
        self.publish_console(printed);
        self.publish_progress();
        self.step.set(Some(StepView { query: name.to_string(), outcome, elapsed_ms }));
        self.touch();
    }

    /// Moves the batch reports heard since the last call into `progress` and returns the last
    /// batch id among them.
    fn publish_progress(&self) -> Option<i64> {
        let arrived = self.arrived.try_update_value(std::mem::take).unwrap_or_default();
        let last = arrived.last().map(|b| b.batch_id);
        if !arrived.is_empty() {
            self.progress.update(|history| {
                for metrics in arrived {
                    push_bounded(history, metrics, PROGRESS_HISTORY);
                }
            });
        }
        last
    }

    fn publish_console(&self, printed: Vec<CellOutput>) {
        if !printed.is_empty() {
            self.console.update(|lines| {
                for output in printed {
                    push_bounded(lines, output, CONSOLE_HISTORY);
                }
            });
        }
    }

    /// Stops one query.
    pub fn stop(&self, id: &str) {
        self.lab.with_value(|lab| lab.stop(id));
        self.touch();
    }

    /// Replaces the notebook by the lesson in `language`.
    pub fn open_lesson(&self, language: LessonLanguage) {
        if let Ok(nb) = lesson(language) {
            self.language.set(language);
            self.notebook.set(nb);
        }
    }

    /// (Re)arms the trigger timer to fire in `delay_ms`: it runs the due triggers, publishes
    /// their output and arms itself for the next one while a query is active.
    pub fn schedule_triggers(&self, delay_ms: i64) {
        let state = *self;
        let handle = set_timeout_with_handle(move || state.tick(), Duration::from_millis(delay_ms.max(0) as u64)).ok();
        self.timer.update_value(|timer| {
            if let Some(old) = std::mem::replace(timer, handle) {
                old.clear();
            }
        });
    }

    /// The trigger task: the engine runs the due triggers, the next timer is armed, and the
    /// page update waits for the next animation frame, so a batch and the views' re-render
    /// never share one task (see [`crate::frame_budget`]).
    fn tick(&self) {
        self.timer.set_value(None);
        let started = now_ms();
        let Some((next, printed)) = self.lab.try_update_value(|lab| lab.run_due_triggers()) else { return };
        let engine_ms = now_ms() - started;
        if let Some(delay) = next {
            self.schedule_triggers(delay);
        }
        let state = *self;
        request_animation_frame(move || state.publish_timer_run(engine_ms, printed));
    }

    /// The page update of a timer run: publishes its batches and output; once the frame has
    /// rendered (a zero timeout runs after it), and once the charts have drawn in the frame
    /// after, records how long the three tasks took.
    fn publish_timer_run(&self, engine_ms: f64, printed: Vec<CellOutput>) {
        let started = now_ms();
        let batch = self.publish_progress();
        self.publish_console(printed);
        self.touch();
        if batch.is_none() {
            return;
        }
        let state = *self;
        state.chart_draw_ms.set_value(0.0);
        set_timeout(
            move || {
                let update_ms = now_ms() - started;
                // The charts asked for the next frame while the update ran: this frame comes after.
                request_animation_frame(move || {
                    set_timeout(move || state.record_timer_run(TriggerTiming { batch, engine_ms, update_ms, charts_ms: 0.0 }), Duration::ZERO)
                });
            },
            Duration::ZERO,
        );
    }

    fn record_timer_run(&self, timing: TriggerTiming) {
        let charts_ms = self.chart_draw_ms.try_update_value(std::mem::take).unwrap_or(0.0);
        let timing = TriggerTiming { charts_ms, ..timing };
        if !timing.fits_in_a_frame() {
            web_sys::console::log_1(&format!("StreamLab: {}", timing.describe()).into());
        }
        self.timer_runs.update(|runs| push_bounded(runs, timing, TIMER_RUN_HISTORY));
    }
}

/// What the Step button did: which query, the batch report (or why there was none), and how
/// long the page was busy.
#[derive(Debug, Clone, PartialEq)]
pub struct StepView {
    /// The query's name (or id).
    pub query: String,
    /// The batch's report; `Ok(None)` when there was nothing new to process.
    pub outcome: Result<Option<MicroBatchReport>, CellError>,
    /// Time the page was busy running the batch, ms.
    pub elapsed_ms: f64,
}

/// `performance.now()` (sub-millisecond), or `Date.now()` where there is no `performance`.
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or_else(js_sys::Date::now, |p| p.now())
}

/// The listener that feeds the charts and tells the views that queries changed.
struct ProgressFeed {
    state: AppState,
}

impl StreamingQueryListener for ProgressFeed {
    fn on_query_started(&self, _query: &StreamingQuery) {
        self.state.touch();
    }

    fn on_query_progress(&self, progress: &StreamingQueryProgress) {
        let metrics = BatchMetrics::from_progress(progress);
        self.state.arrived.update_value(|arrived| arrived.push(metrics));
    }

    fn on_query_terminated(&self, id: &str, _run_id: &str, exception: Option<&SparkError>) {
        if let Some(error) = exception {
            let cause = error.cause.as_deref().unwrap_or(error);
            self.state.last_failure.set(Some(format!("Query {id} died: {}", cause.headline())));
        }
        self.state.touch();
    }
}
