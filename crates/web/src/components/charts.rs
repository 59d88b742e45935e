//! The live charts: one canvas per chart, redrawn after every batch of the chosen query.

use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;

use crate::metrics::BatchMetrics;
use crate::plots::{draw_durations, draw_rates, draw_rows, draw_watermark, PlotResult};
use crate::state::AppState;

type Draw = fn(&DrawingArea<CanvasBackend, Shift>, &[BatchMetrics]) -> PlotResult;

/// The charts, with a picker for the query they follow (the latest query to report, until the
/// student picks one).
#[component]
pub fn ChartsPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let chosen = RwSignal::new(String::new());
    let queries = Memo::new(move |_| {
        state.progress.with(|history| {
            let mut seen: Vec<(String, String)> = Vec::new();
            for b in history.iter().rev() {
                if !seen.iter().any(|(id, _)| id == &b.query_id) {
                    seen.push((b.query_id.clone(), b.label.clone()));
                }
            }
            seen
        })
    });
    let followed = Memo::new(move |_| {
        let wanted = chosen.get();
        queries.with(|qs| qs.iter().find(|(id, _)| *id == wanted).or(qs.first()).map(|(id, _)| id.clone()))
    });
    let batches = Memo::new(move |_| {
        let Some(id) = followed.get() else { return Vec::new() };
        state.progress.with(|history| history.iter().filter(|b| b.query_id == id).cloned().collect::<Vec<_>>())
    });
    let charts: [(&str, Draw); 4] = [
        ("Input rate vs processing rate", draw_rates),
        ("Batch duration by phase", draw_durations),
        ("Rows in and out per batch", draw_rows),
        ("Watermark vs event time", draw_watermark),
    ];
    view! {
        <section class="panel charts" aria-labelledby="charts-title">
            <h2 id="charts-title">"Live charts"</h2>
            <label class="chart-pick">"Query: "
                <select on:change=move |ev| chosen.set(event_target_value(&ev))>
                    {move || queries.get().into_iter().map(|(id, label)| {
                        let selected = followed.get().as_deref() == Some(id.as_str());
                        view! { <option value=id selected=selected>{label}</option> }
                    }).collect_view()}
                </select>
            </label>
            <p class="batch-count">{move || format!("{} batches reported", batches.with(Vec::len))}</p>
            {charts.into_iter().map(|(title, draw)| view! { <Chart title draw batches/> }).collect_view()}
        </section>
    }
}

/// One chart's canvas, redrawn whenever `batches` changes.
#[component]
fn Chart(title: &'static str, draw: Draw, batches: Memo<Vec<BatchMetrics>>) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let problem = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let batches = batches.get();
        let Some(element) = canvas.get() else { return };
        let result = match CanvasBackend::with_canvas_object(element) {
            Some(backend) => draw(&backend.into_drawing_area(), &batches),
            None => Err("this browser gives no 2D canvas".to_string()),
        };
        problem.set(result.err());
    });
    view! {
        <figure class="chart">
            <canvas node_ref=canvas width="440" height="250" role="img" aria-label=title></canvas>
            {move || problem.get().map(|p| view! { <figcaption class="error">{p}</figcaption> })}
        </figure>
    }
}
