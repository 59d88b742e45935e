//! What the live charts plot, taken from each batch's `StreamingQueryProgress`.
//!
//! Progress reports are large and stringly (timestamps are ISO text, rates may be missing);
//! the charts need a few numbers per batch. [`BatchMetrics::from_progress`] extracts them once,
//! when the listener hears the report, so redrawing a chart is just plotting numbers.

use streamlab_engine::query::progress::StreamingQueryProgress;
use streamlab_types::time::parse_timestamp;

/// The phases of `durationMs` the "batch duration by phase" chart stacks, in execution order,
/// with the label a beginner reads on the legend.
pub const PHASES: [(&str, &str); 6] = [
    ("latestOffset", "latestOffset (list new files)"),
    ("walCommit", "walCommit (write offsets/N)"),
    ("getBatch", "getBatch (plan the read)"),
    ("queryPlanning", "queryPlanning"),
    ("addBatch", "addBatch (read, transform, write)"),
    ("commitOffsets", "commitOffsets (write commits/N)"),
];

/// One trigger's numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchMetrics {
    /// The query's id (`StreamingQuery.id`).
    pub query_id: String,
    /// The query's name, or its id when it has none.
    pub label: String,
    /// The batch id this trigger ran.
    pub batch_id: i64,
    /// When the trigger started, ms since the epoch.
    pub timestamp_ms: i64,
    /// Rows read by all sources.
    pub input_rows: i64,
    /// Rows the sink reported writing (-1 when the sink cannot tell).
    pub output_rows: i64,
    /// Input rows per second since the previous trigger (0 when Spark leaves it out).
    pub input_rate: f64,
    /// Rows per second of this trigger's execution (0 when Spark leaves it out).
    pub processing_rate: f64,
    /// Milliseconds per phase, in [`PHASES`] order (0 for a phase the trigger skipped).
    pub phase_ms: [i64; 6],
    /// The whole trigger, ms (`triggerExecution`).
    pub trigger_ms: i64,
    /// The watermark after this batch, ms, when the query has one.
    pub watermark_ms: Option<i64>,
    /// The latest event time seen in this batch, ms, when the query has a watermark.
    pub max_event_time_ms: Option<i64>,
    /// State rows kept after the batch, summed over stateful operators.
    pub state_rows: i64,
}

impl BatchMetrics {
    /// The numbers of one progress report.
    ///
    /// ```
    /// use streamlab_engine::query::progress::StreamingQueryProgress;
    /// use streamlab_web::metrics::BatchMetrics;
    /// let mut p = StreamingQueryProgress { id: "q1".into(), batch_id: 3, num_input_rows: 10, ..Default::default() };
    /// p.timestamp = "2024-01-01T00:00:03.000Z".into();
    /// p.duration_ms.insert("addBatch".into(), 40);
    /// p.duration_ms.insert("triggerExecution".into(), 55);
    /// p.event_time.insert("watermark".into(), "2024-01-01T00:00:00.000Z".into());
    /// let m = BatchMetrics::from_progress(&p);
    /// assert_eq!((m.label.as_str(), m.batch_id, m.input_rows, m.trigger_ms), ("q1", 3, 10, 55));
    /// assert_eq!(m.phase_ms[4], 40);
    /// assert_eq!(m.watermark_ms, Some(1_704_067_200_000));
    /// ```
    pub fn from_progress(progress: &StreamingQueryProgress) -> Self {
        let phase = |key: &str| progress.duration_ms.get(key).copied().unwrap_or(0);
        let event_ms = |key: &str| progress.event_time.get(key).and_then(|t| parse_timestamp(t)).map(|us| us.div_euclid(1000));
        let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
        BatchMetrics {
            query_id: progress.id.clone(),
            label: progress.name.clone().unwrap_or_else(|| progress.id.clone()),
            batch_id: progress.batch_id,
            timestamp_ms: parse_timestamp(&progress.timestamp).map_or(0, |us| us.div_euclid(1000)),
            input_rows: progress.num_input_rows,
            output_rows: progress.sink.num_output_rows,
            input_rate: finite(progress.input_rows_per_second),
            processing_rate: finite(progress.processed_rows_per_second),
            phase_ms: PHASES.map(|(key, _)| phase(key)),
            trigger_ms: phase("triggerExecution"),
            watermark_ms: event_ms("watermark"),
            max_event_time_ms: event_ms("max"),
            state_rows: progress.state_operators.iter().map(|op| op.num_rows_total).sum(),
        }
    }
}

/// The batches of one query, oldest first, keeping only the last `limit` (charts show a
/// window of recent batches; a query left running for an hour must not grow the page).
///
/// ```
/// use streamlab_web::metrics::push_bounded;
/// let mut v = vec![1, 2, 3];
/// push_bounded(&mut v, 4, 3);
/// assert_eq!(v, [2, 3, 4]);
/// ```
pub fn push_bounded<T>(history: &mut Vec<T>, item: T, limit: usize) {
    history.push(item);
    if history.len() > limit {
        let extra = history.len() - limit;
        history.drain(..extra);
    }
}
