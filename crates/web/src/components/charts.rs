//! The live charts: one canvas per chart, redrawn after every batch of the chosen query.

use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;

use crate::metrics::BatchMetrics;
use crate::plots::{draw_durations, draw_rates, draw_rows, draw_watermark, draw_window_counts, PlotResult};
use crate::state::{now_ms, AppState};
use crate::windows::{window_counts, WindowCounts};

/// How a chart draws its data on a canvas.
type Draw<T> = fn(&DrawingArea<CanvasBackend, Shift>, &T) -> PlotResult;

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
    let charts: [(&str, Draw<Vec<BatchMetrics>>); 4] = [
        ("Input rate vs processing rate", |area, b| draw_rates(area, b)),
        ("Batch duration by phase", |area, b| draw_durations(area, b)),
        ("Rows in and out per batch", |area, b| draw_rows(area, b)),
        ("Watermark vs event time", |area, b| draw_watermark(area, b)),
    ];
    // The followed query's memory table, when it holds windowed counts (re-read per batch).
    let windowed = Memo::new(move |_| {
        let label = queries.with(|qs| qs.iter().find(|(id, _)| Some(id) == followed.get().as_ref()).map(|(_, label)| label.clone()))?;
        batches.track();
        state.lab.with_value(|lab| {
            let table = lab.session().table(&label).ok()?;
            let schema = table.schema();
            let has_window = schema.fields().iter().any(|f| f.name() == "window") && schema.fields().iter().any(|f| f.name() == "count");
            has_window.then(|| table.collect().ok().as_ref().and_then(window_counts)).flatten()
        })
    });
    let draw_windowed: Draw<Option<WindowCounts>> = |area, counts| draw_window_counts(area, counts.as_ref());
    view! {
        <section class="panel charts" aria-labelledby="charts-title">
            <h2 id="charts-title">"Live charts"</h2>
            <label class="chart-pick">"Query: "
                <select aria-label="Query the charts follow" on:change=move |ev| chosen.set(event_target_value(&ev))>
                    {move || queries.get().into_iter().map(|(id, label)| {
                        let selected = followed.get().as_deref() == Some(id.as_str());
                        view! { <option value=id selected=selected>{label}</option> }
                    }).collect_view()}
                </select>
            </label>
            <p class="batch-count">{move || format!("{} batches reported", batches.with(Vec::len))}</p>
            {charts.into_iter().map(|(title, draw)| view! { <Chart title draw data=batches/> }).collect_view()}
            <Chart title="Windowed counts per key" draw=draw_windowed data=windowed/>
        </section>
    }
}

/// One chart's canvas, redrawn when `data` changes, at the next animation frame: a burst of
/// batches costs one drawing per frame, and the batch itself never waits for a chart. The
/// drawing time goes to the page's timer runs.
#[component]
fn Chart<T>(title: &'static str, draw: Draw<T>, data: Memo<T>) -> impl IntoView
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    let state = use_context::<AppState>();
    let canvas = NodeRef::<Canvas>::new();
    let problem = RwSignal::new(None::<String>);
    let pending = StoredValue::new(false);
    Effect::new(move |_| {
        data.track();
        if pending.get_value() {
            return;
        }
        pending.set_value(true);
        request_animation_frame(move || {
            pending.set_value(false);
            let Some(element) = canvas.get_untracked() else { return };
            let started = now_ms();
            let result = match CanvasBackend::with_canvas_object(element) {
                Some(backend) => data.with_untracked(|d| draw(&backend.into_drawing_area(), d)),
                None => Err("this browser gives no 2D canvas".to_string()),
            };
            problem.set(result.err());
            if let Some(state) = state {
                state.chart_draw_ms.update_value(|ms| *ms += now_ms() - started);
            }
        });
    });
    view! {
        <figure class="chart">
            <canvas node_ref=canvas width="440" height="250" role="img" aria-label=title></canvas>
            {move || problem.get().map(|p| view! { <figcaption class="error">{p}</figcaption> })}
        </figure>
    }
}
