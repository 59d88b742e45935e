//! The streams panel: every active query (what `spark.streams.active` lists) with its name,
//! id, status and last progress, and a button to stop it.

use leptos::prelude::*;

use crate::state::AppState;

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
                                view! {
                                    <li class="stream" data-id=id.clone()>
                                        <div class="stream-head">
                                            <strong class="stream-name">{row.name.clone()}</strong>
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
