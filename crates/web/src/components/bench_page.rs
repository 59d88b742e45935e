//! The hidden benchmark page (`?bench=seed&copies=N`): the seed pipeline over `N` in-memory
//! copies of the sample, run [`SEED_RUNS`] times, with the results written into the page for
//! `scripts/bench-web.sh` (through `tests/e2e/tests/bench.rs`) to read.

use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;

use crate::clock::PageClock;
use crate::sample::fetch_sample;
use crate::seed_bench::{run_seed_pipeline, scaled_up, SeedRun, DEFAULT_COPIES, MAX_COPIES};
use crate::state::now_ms;

/// Runs of the pipeline per page load (the first one also pays for compiling the engine).
pub const SEED_RUNS: usize = 5;

/// The number of copies a `copies` URL value asks for: [`DEFAULT_COPIES`] when absent or not
/// a number, at least 1, at most [`MAX_COPIES`].
///
/// ```
/// use streamlab_web::components::bench_page::copies_from;
/// assert_eq!(copies_from(Some("4")), 4);
/// assert_eq!(copies_from(Some("1000")), 80);
/// assert_eq!(copies_from(Some("0")), 1);
/// assert_eq!(copies_from(Some("many")), 10);
/// assert_eq!(copies_from(None), 10);
/// ```
pub fn copies_from(value: Option<&str>) -> usize {
    value.and_then(|v| v.parse::<usize>().ok()).unwrap_or(DEFAULT_COPIES).clamp(1, MAX_COPIES)
}

/// What the benchmark found: every run, or why it could not run.
type Outcome = Result<(usize, Vec<SeedRun>), String>;

/// Fetches the sample, builds `copies` copies of it, and runs the pipeline [`SEED_RUNS`] times.
async fn measure(copies: usize) -> Outcome {
    let sample = fetch_sample().await?;
    let (files, rows) = scaled_up(&sample, copies).map_err(|e| e.headline())?;
    let mut runs = Vec::with_capacity(SEED_RUNS);
    for _ in 0..SEED_RUNS {
        runs.push(run_seed_pipeline(&files, Rc::new(PageClock::browser()), now_ms).map_err(|e| e.headline())?);
    }
    Ok((rows, runs))
}

/// The benchmark page: a status line while it runs, then the runs and their median.
#[component]
pub fn BenchPage(copies: usize) -> impl IntoView {
    let outcome = RwSignal::new(None::<Outcome>);
    // After a first paint of the status line; the runs then hold the page, as a benchmark may.
    set_timeout(
        move || leptos::task::spawn_local(async move { outcome.set(Some(measure(copies).await)) }),
        Duration::from_millis(50),
    );
    view! {
        <main class="bench" aria-labelledby="bench-title">
            <h1 id="bench-title">"Seed pipeline in this browser"</h1>
            <p>{format!("JSON file stream → withColumnRenamed → drop → Parquet sink, maxFilesPerTrigger 1, AvailableNow, in memory, on {copies} time-shifted copies of the sample.")}</p>
            {move || match outcome.get() {
                None => view! { <p id="bench-status" role="status">"Running…"</p> }.into_any(),
                Some(Err(error)) => view! { <p id="bench-error" class="error" role="alert">{error}</p> }.into_any(),
                Some(Ok((rows, runs))) => {
                    let mut rates: Vec<f64> = runs.iter().map(SeedRun::rows_per_second).collect();
                    rates.sort_by(f64::total_cmp);
                    let median = rates.get(rates.len() / 2).copied().unwrap_or(0.0);
                    let seconds = runs.iter().map(|r| format!("{:.3}", r.seconds)).collect::<Vec<_>>().join(",");
                    let written = runs.iter().map(|r| r.rows.to_string()).collect::<Vec<_>>().join(",");
                    let files = runs.first().map_or(0, |r| r.files);
                    view! {
                        <output id="bench-result" data-copies=copies.to_string() data-files=files.to_string() data-rows=rows.to_string() data-rows-written=written
                            data-seconds=seconds data-rows-per-sec=format!("{median:.0}")>
                            {format!("{rows} rows in {files} files: median {median:.0} rows/s over {SEED_RUNS} runs")}
                        </output>
                    }.into_any()
                }
            }}
        </main>
    }
}
