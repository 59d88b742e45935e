//! The streams panel: every active query (what `spark.streams.active` lists) with its name,
//! id, status and last progress, and a button to stop it.

use leptos::prelude::*;

use crate::state::{AppState, StepView};
use streamlab_engine::query::step::MicroBatchReport;

/// What the panel shows of one query.
#[derive(Debug, Clone, PartialEq)]
struct QueryRow {
    id: String,
    name: String,
    status: String,
    last_progress: Option<String>,
}

/// The active queries, re-read whenever the engine's state may have changed.
#[component]
pub fn StreamsPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let rows = move || {
        state.version.track();
        state.lab.with_value(|lab| {
            lab.session()
                .streams()
                .active()
                .into_iter()
                .map(|q| QueryRow {
                    id: q.id().to_string(),
                    name: q.name().unwrap_or("(no name)").to_string(),
                    status: q.status().message,
                    last_progress: q.last_progress().map(|p| p.pretty_json()),
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="panel streams" aria-labelledby="streams-title">
            <h2 id="streams-title">"Active streams"</h2>
            <div class="stream-tools">
                <button class="crash" title="The next micro-batch dies after writing its output and before its commit: re-run the query's cell to see Spark replay it without losing or duplicating rows"
                    on:click=move |_| state.crash_next_batch()>"Crash next batch"</button>
            </div>
            {move || state.last_failure.get().map(|f| view! {
                <p class="failure" role="alert">{f}" — re-run the query's cell: it restarts from its checkpoint."</p>
            })}
            <TimerRuns/>
            <StepReport/>
            {move || {
                let rows = rows();
                if rows.is_empty() {
                    view! { <p class="empty">"No active stream. Run a cell that calls start() or toTable()."</p> }.into_any()
                } else {
                    view! {
                        <ul class="stream-list">
                            {rows.into_iter().map(|row| {
                                let id = row.id.clone();
                                let stop_id = row.id.clone();
                                let step_id = row.id.clone();
                                let step_name = row.name.clone();
                                view! {
                                    <li class="stream" data-id=id.clone()>
                                        <div class="stream-head">
                                            <strong class="stream-name">{row.name.clone()}</strong>
                                            <button class="step" aria-label=format!("Run one micro-batch of {}", row.name)
                                                title="Run exactly one micro-batch now and show what it read and wrote"
                                                on:click=move |_| state.step(&step_id, &step_name)>"Step"</button>
                                            <button class="stop" aria-label=format!("Stop {}", row.name) on:click=move |_| state.stop(&stop_id)>"Stop"</button>
                                        </div>
                                        <code class="stream-id">{row.id}</code>
                                        <p class="stream-status">{row.status}</p>
                                        {row.last_progress.map(|json| view! {
                                            <details><summary>"lastProgress"</summary><pre class="progress-json">{json}</pre></details>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </section>
    }
}

/// The last timer run's timing, and every recent one in a collapsed list: each row carries its
/// numbers as data attributes for `scripts/bench-web.sh`.
#[component]
fn TimerRuns() -> impl IntoView {
    let state = expect_context::<AppState>();
    let runs = state.timer_runs;
    view! {
        {move || runs.with(|r| r.last().map(|t| view! { <p class="trigger-timing">{format!("Last timer run: {}", t.describe())}</p> }))}
        <details class="timer-runs" hidden=move || runs.with(Vec::is_empty)>
            <summary>{move || format!("Timer runs ({})", runs.with(Vec::len))}</summary>
            <ol>
                {move || runs.get().into_iter().map(|t| view! {
                    <li data-batch=t.batch.map(|b| b.to_string()) data-engine-ms=t.engine_ms.to_string() data-update-ms=t.update_ms.to_string() data-charts-ms=t.charts_ms.to_string()
                        class:over-budget=!t.fits_in_a_frame()>{t.describe()}</li>
                }).collect_view()}
            </ol>
        </details>
    }
}

/// What the Step button's batch did: files read, the offsets entry, state rows, rows in and
/// out, and how long the page was busy.
#[component]
fn StepReport() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.step.get().map(|StepView { query, outcome, elapsed_ms }| {
            let body = match outcome {
                Ok(Some(report)) => view! { <BatchDetails report/> }.into_any(),
                Ok(None) => view! { <p class="step-idle">"Nothing new to process: no new input file, and no watermark to move."</p> }.into_any(),
                Err(error) => view! { <p class="error" role="alert">{error.headline()}</p> }.into_any(),
            };
            view! {
                <div class="step-report" role="region" aria-label="Last step">
                    <h3>{format!("Step of {query} ({elapsed_ms:.1} ms)")}</h3>
                    {body}
                </div>
            }
        })
    }
}

/// One batch report as a definition list.
#[component]
fn BatchDetails(report: MicroBatchReport) -> impl IntoView {
    let files = if report.files_read.is_empty() {
        view! { <dd class="files-read">"(none: this source does not read files)"</dd> }.into_any()
    } else {
        view! { <dd class="files-read"><ul>{report.files_read.into_iter().map(|f| view! { <li><code>{f}</code></li> }).collect_view()}</ul></dd> }.into_any()
    };
    let state_rows = report.state_rows.map_or_else(|| "none (stateless query)".to_string(), |n| n.to_string());
    let emitted = if report.output_rows < 0 { "unknown (the sink does not count)".to_string() } else { report.output_rows.to_string() };
    view! {
        <dl class="batch-details">
            <dt>"Batch"</dt><dd class="batch-id">{report.batch_id}</dd>
            <dt>"Files read"</dt>{files}
            <dt>"Offsets written"</dt>
            <dd><code class="offsets-path">{report.offsets_path}</code><pre class="offsets-text">{report.offsets_text}</pre></dd>
            <dt>"Rows read"</dt><dd class="rows-read">{report.input_rows}</dd>
            <dt>"State rows after the batch"</dt><dd class="state-rows">{state_rows}</dd>
            <dt>"Rows emitted to the sink"</dt><dd class="rows-emitted">{emitted}</dd>
        </dl>
    }
}
