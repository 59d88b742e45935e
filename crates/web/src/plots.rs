//! The live charts, drawn with plotters on any backend (the page uses a `<canvas>`).
//!
//! Each chart is one function from batch numbers to a drawing, with a title, axis labels and
//! a legend a beginner can read. Batches are on the x axis by id, the way the streams panel and
//! the checkpoint folders number them.

use plotters::coord::Shift;
use plotters::prelude::*;

use streamlab_types::time::format_iso8601_millis;

use crate::metrics::{BatchMetrics, PHASES};
use crate::windows::WindowCounts;

/// Drawing errors are the backend's (a canvas without a 2D context, say), reported as text.
pub type PlotResult = Result<(), String>;

const COLORS: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
];

/// One line or bar series: legend label, color index, and the value it plots per batch.
type Series<T> = (&'static str, usize, fn(&BatchMetrics) -> T);

/// Batch ids are whole numbers: only whole ticks get a label.
fn batch_label(x: &f64) -> String {
    if (x - x.round()).abs() < 1e-6 && *x >= 0.0 {
        format!("{x:.0}")
    } else {
        String::new()
    }
}

/// Axis amounts without decimals, thousands as `k` and millions as `M`, so labels stay short.
fn amount_label(v: &f64) -> String {
    let a = v.abs();
    if a >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if a >= 1e4 {
        format!("{:.0}k", v / 1e3)
    } else if a >= 10.0 || *v == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

/// The x range covering the batches' ids (one unit of margin on each side).
fn batch_range(batches: &[BatchMetrics]) -> std::ops::Range<f64> {
    let first = batches.first().map_or(0, |b| b.batch_id) as f64;
    let last = batches.last().map_or(0, |b| b.batch_id) as f64;
    (first - 0.5)..(last + 0.5).max(first + 0.5)
}

fn upper(values: impl Iterator<Item = f64>) -> f64 {
    values.fold(0.0_f64, f64::max).max(1.0) * 1.1
}

/// Input rate (rows/s arriving) against processing rate (rows/s the engine handled): when the
/// second stays below the first, the query falls behind. The two differ by orders of
/// magnitude (a file every few seconds against a batch processed in milliseconds), so each has
/// its own axis, colored like its line: input on the left, processing on the right.
pub fn draw_rates<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, batches: &[BatchMetrics]) -> PlotResult {
    area.fill(&WHITE).map_err(err)?;
    let (input, processed) = (COLORS[0], COLORS[1]);
    let mut chart = ChartBuilder::on(area)
        .caption("Input rate vs processing rate", ("sans-serif", 16))
        .margin(8)
        .x_label_area_size(32)
        .y_label_area_size(56)
        .right_y_label_area_size(56)
        .build_cartesian_2d(batch_range(batches), 0.0..upper(batches.iter().map(|b| b.input_rate)))
        .map_err(err)?
        .set_secondary_coord(batch_range(batches), 0.0..upper(batches.iter().map(|b| b.processing_rate)));
    chart
        .configure_mesh()
        .x_desc("batch id")
        .y_desc("input rows / s (left)")
        .x_label_formatter(&batch_label)
        .y_label_formatter(&amount_label)
        .axis_desc_style(("sans-serif", 13).into_font().color(&input))
        .draw()
        .map_err(err)?;
    chart
        .configure_secondary_axes()
        .y_desc("processed rows / s (right)")
        .y_label_formatter(&amount_label)
        .axis_desc_style(("sans-serif", 13).into_font().color(&processed))
        .draw()
        .map_err(err)?;
    let points = |value: fn(&BatchMetrics) -> f64| batches.iter().map(move |b| (b.batch_id as f64, value(b))).collect::<Vec<_>>();
    chart
        .draw_series(LineSeries::new(points(|b| b.input_rate), input.stroke_width(2)).point_size(3))
        .map_err(err)?
        .label("input rows/s (left axis)")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], input.stroke_width(2)));
    chart
        .draw_secondary_series(LineSeries::new(points(|b| b.processing_rate), processed.stroke_width(2)).point_size(3))
        .map_err(err)?
        .label("processed rows/s (right axis)")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], processed.stroke_width(2)));
    chart.configure_series_labels().position(SeriesLabelPosition::LowerLeft).background_style(WHITE.mix(0.8)).border_style(BLACK).draw().map_err(err)?;
    area.present().map_err(err)
}

/// Counts per window (x: window start, UTC) with one line per key, from a windowed
/// aggregation's memory table: how many rows of each activity fell in each 10-minute window.
pub fn draw_window_counts<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, counts: Option<&WindowCounts>) -> PlotResult {
    area.fill(&WHITE).map_err(err)?;
    let empty = WindowCounts::default();
    let (caption, counts) = match counts {
        Some(c) if !c.windows.is_empty() => (format!("Windowed counts per {}", c.key_name), c),
        _ => ("Windowed counts (no windowed count in a memory table yet)".to_string(), &empty),
    };
    let first = counts.windows.first().copied().unwrap_or(0);
    let last = counts.windows.last().copied().unwrap_or(0);
    let step = counts.windows.windows(2).map(|w| w[1] - w[0]).min().unwrap_or(60_000).max(1);
    let minutes = |ms: i64| (ms - first) as f64 / 60_000.0;
    let x_range = (minutes(first - step / 2))..(minutes(last + step / 2).max(1.0));
    let label_time = move |x: &f64| {
        let ms = first + (x * 60_000.0).round() as i64;
        let text = format_iso8601_millis(ms);
        text.get(11..16).unwrap_or(&text).to_string()
    };
    let mut chart = ChartBuilder::on(area)
        .caption(caption, ("sans-serif", 16))
        .margin(8)
        .x_label_area_size(32)
        .y_label_area_size(56)
        .build_cartesian_2d(x_range, 0.0..upper(std::iter::once(counts.max_count() as f64)))
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc("window start (UTC)")
        .y_desc("rows in the window")
        .x_labels(6)
        .x_label_formatter(&label_time)
        .y_label_formatter(&amount_label)
        .draw()
        .map_err(err)?;
    for (index, key) in counts.keys.iter().enumerate() {
        let style = COLORS[index % COLORS.len()];
        let points: Vec<(f64, f64)> = counts.series(index).into_iter().map(|(start, n)| (minutes(start), n as f64)).collect();
        chart
            .draw_series(LineSeries::new(points, style.stroke_width(2)).point_size(3))
            .map_err(err)?
            .label(key.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], style.stroke_width(2)));
    }
    if !counts.keys.is_empty() {
        chart.configure_series_labels().position(SeriesLabelPosition::UpperRight).background_style(WHITE.mix(0.8)).border_style(BLACK).draw().map_err(err)?;
    }
    area.present().map_err(err)
}

/// How long each batch took, phase by phase (stacked), so students see where the time goes.
pub fn draw_durations<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, batches: &[BatchMetrics]) -> PlotResult {
    area.fill(&WHITE).map_err(err)?;
    let top = upper(batches.iter().map(|b| b.phase_ms.iter().sum::<i64>().max(b.trigger_ms) as f64));
    let mut chart = ChartBuilder::on(area)
        .caption("Batch duration by phase (durationMs)", ("sans-serif", 16))
        .margin(8)
        .x_label_area_size(32)
        .y_label_area_size(56)
        .build_cartesian_2d(batch_range(batches), 0.0..top)
        .map_err(err)?;
    chart.configure_mesh().x_desc("batch id").y_desc("milliseconds").x_label_formatter(&batch_label).y_label_formatter(&amount_label).draw().map_err(err)?;
    for (phase, (_, label)) in PHASES.iter().enumerate() {
        let style = COLORS[phase % COLORS.len()];
        let bars = batches.iter().map(|b| {
            let below: i64 = b.phase_ms.iter().take(phase).sum();
            let x = b.batch_id as f64;
            Rectangle::new([(x - 0.35, below as f64), (x + 0.35, (below + b.phase_ms[phase]) as f64)], style.filled())
        });
        chart
            .draw_series(bars)
            .map_err(err)?
            .label(*label)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], style.filled()));
    }
    chart.configure_series_labels().position(SeriesLabelPosition::UpperLeft).background_style(WHITE.mix(0.8)).border_style(BLACK).draw().map_err(err)?;
    area.present().map_err(err)
}

/// Rows read and rows written per batch.
pub fn draw_rows<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, batches: &[BatchMetrics]) -> PlotResult {
    area.fill(&WHITE).map_err(err)?;
    let top = upper(batches.iter().flat_map(|b| [b.input_rows as f64, b.output_rows as f64]));
    let mut chart = ChartBuilder::on(area)
        .caption("Rows in and out per batch", ("sans-serif", 16))
        .margin(8)
        .x_label_area_size(32)
        .y_label_area_size(56)
        .build_cartesian_2d(batch_range(batches), 0.0..top)
        .map_err(err)?;
    chart.configure_mesh().x_desc("batch id").y_desc("rows").x_label_formatter(&batch_label).y_label_formatter(&amount_label).draw().map_err(err)?;
    let series: [(Series<i64>, f64); 2] = [(("rows read (numInputRows)", 0, |b| b.input_rows), -0.2), (("rows written (sink numOutputRows)", 2, |b| b.output_rows), 0.2)];
    for ((label, color, value), shift) in series {
        let style = COLORS[color];
        let bars = batches.iter().filter(|b| value(b) >= 0).map(move |b| {
            let x = b.batch_id as f64 + shift;
            Rectangle::new([(x - 0.18, 0.0), (x + 0.18, value(b) as f64)], style.filled())
        });
        chart
            .draw_series(bars)
            .map_err(err)?
            .label(label)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], style.filled()));
    }
    chart.configure_series_labels().background_style(WHITE.mix(0.8)).border_style(BLACK).draw().map_err(err)?;
    area.present().map_err(err)
}

/// The watermark against the latest event time seen, in seconds after the first event time:
/// the gap is how late a row may be and still count.
pub fn draw_watermark<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, batches: &[BatchMetrics]) -> PlotResult {
    area.fill(&WHITE).map_err(err)?;
    let with_times: Vec<&BatchMetrics> = batches.iter().filter(|b| b.max_event_time_ms.is_some() || b.watermark_ms.is_some()).collect();
    let origin = with_times.iter().filter_map(|b| b.max_event_time_ms.or(b.watermark_ms)).min().unwrap_or(0);
    let seconds = |ms: i64| (ms - origin) as f64 / 1000.0;
    let top = upper(with_times.iter().flat_map(|b| [b.max_event_time_ms, b.watermark_ms]).flatten().map(seconds));
    let caption = if with_times.is_empty() { "Watermark vs event time (no withWatermark query yet)" } else { "Watermark vs event time" };
    let mut chart = ChartBuilder::on(area)
        .caption(caption, ("sans-serif", 16))
        .margin(8)
        .x_label_area_size(32)
        .y_label_area_size(56)
        .build_cartesian_2d(batch_range(batches), 0.0..top)
        .map_err(err)?;
    chart.configure_mesh().x_desc("batch id").y_desc("seconds after first event").x_label_formatter(&batch_label).y_label_formatter(&amount_label).draw().map_err(err)?;
    let series: [Series<Option<i64>>; 2] = [("max event time", 1, |b| b.max_event_time_ms), ("watermark", 4, |b| b.watermark_ms)];
    for (label, color, value) in series {
        let style = COLORS[color];
        let points: Vec<(f64, f64)> = with_times.iter().filter_map(|b| value(b).map(|ms| (b.batch_id as f64, seconds(ms)))).collect();
        chart
            .draw_series(LineSeries::new(points, style.stroke_width(2)))
            .map_err(err)?
            .label(label)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], style.stroke_width(2)));
    }
    chart.configure_series_labels().position(SeriesLabelPosition::UpperLeft).background_style(WHITE.mix(0.8)).border_style(BLACK).draw().map_err(err)?;
    area.present().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_stay_short_and_whole() {
        assert_eq!([0.0, 2.0, 2.5, -0.4].map(|x| batch_label(&x)), ["0", "2", "", ""]);
        assert_eq!([0.0, 0.5, 42.0, 350_000.0, 2_500_000.0].map(|v| amount_label(&v)), ["0", "0.5", "42", "350k", "2.5M"]);
    }
}
