//! Time windows: `window(timeColumn, windowDuration[, slideDuration[, startTime]])`,
//! `window_time(window)` and (parsing only) `session_window(timeColumn, gapDuration)`, as Spark
//! 3.5 defines them (`TimeWindow.scala`, `ResolveTimeWindows.scala`).
//!
//! A window call is not a row-wise expression: a sliding window maps one input row to several
//! output rows (Spark plans it as `Expand` + `Filter`). So the engine takes the call apart with
//! [`window_spec`] / [`resolve_window`], and assigns rows to windows with [`assign_windows`].
//!
//! ```
//! use streamlab_expr::window::{window_spec, window_starts};
//! use streamlab_expr::Expr;
//! let spec = window_spec(&[Expr::col("t"), Expr::lit("10 minutes"), Expr::lit("5 minutes")]).unwrap();
//! // 12:05 (in µs since midnight of day 0) lies in [12:00, 12:10) and [12:05, 12:15)
//! let t = (12 * 60 + 5) * 60_000_000i64;
//! assert_eq!(window_starts(t, &spec), vec![t, t - 5 * 60_000_000]);
//! ```

use std::collections::HashMap;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, StructArray, TimestampMicrosecondArray, UInt32Array};
use arrow::datatypes::{DataType, Field, Fields, Schema};
use streamlab_types::interval::parse_interval;
use streamlab_types::{Result, SparkError};

use crate::expr::Expr;
use crate::literal::Literal;
use crate::physical::PhysicalExpr;
use crate::resolve::coercion::cast_implicit;
use crate::types::{is_string, sql_name, timestamp_type};

/// The most windows one row may fall into. Spark has no limit (its `Expand` would simply run out
/// of memory); StreamLab refuses instead of panicking.
pub const MAX_WINDOWS_PER_ROW: i64 = 1_000_000;

/// A resolved-enough `window(...)` call: the time column and the three durations in microseconds.
///
/// Why: the engine needs the numbers to assign rows to windows and to compare window ends with
/// the watermark; the time column is still unresolved so the caller resolves it against its
/// schema (or uses [`resolve_window`], which does both).
///
/// ```
/// use streamlab_expr::window::{window_spec, WindowSpec};
/// use streamlab_expr::Expr;
/// let s = window_spec(&[Expr::col("t"), Expr::lit("10 minutes")]).unwrap();
/// assert_eq!(s, WindowSpec { time_column: Expr::col("t"), window_us: 600_000_000, slide_us: 600_000_000, start_us: 0 });
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct WindowSpec {
    /// The event-time column (a timestamp, or a string implicitly cast to one).
    pub time_column: Expr,
    /// `windowDuration` in microseconds.
    pub window_us: i64,
    /// `slideDuration` in microseconds (= `window_us` for a tumbling window).
    pub slide_us: i64,
    /// `startTime` offset in microseconds (may be negative).
    pub start_us: i64,
}

impl WindowSpec {
    /// Whether windows do not overlap (`slide == window`): each row is in exactly one window.
    ///
    /// ```
    /// use streamlab_expr::window::window_spec;
    /// use streamlab_expr::Expr;
    /// assert!(window_spec(&[Expr::col("t"), Expr::lit("1 hour")]).unwrap().is_tumbling());
    /// ```
    pub fn is_tumbling(&self) -> bool {
        self.window_us == self.slide_us
    }

    /// How many windows Spark tries per row: `ceil(window / slide)` (computed in doubles, as
    /// Spark's `math.ceil(windowDuration * 1.0 / slideDuration).toInt` does).
    ///
    /// ```
    /// use streamlab_expr::window::window_spec;
    /// use streamlab_expr::Expr;
    /// let s = window_spec(&[Expr::col("t"), Expr::lit("10 minutes"), Expr::lit("3 minutes")]).unwrap();
    /// assert_eq!(s.windows_per_row(), 4);
    /// ```
    pub fn windows_per_row(&self) -> i64 {
        if self.slide_us <= 0 {
            return 0;
        }
        let n = (self.window_us as f64 / self.slide_us as f64).ceil();
        // Scala `Double.toInt` saturates, like Rust's `as`.
        i64::from(n as i32)
    }

    /// The call's text as Spark prints it in errors, given the time column's SQL text:
    /// `window(t, 600000000, 600000000, 0)`.
    ///
    /// ```
    /// use streamlab_expr::window::window_spec;
    /// use streamlab_expr::Expr;
    /// let s = window_spec(&[Expr::col("t"), Expr::lit("10 minutes")]).unwrap();
    /// assert_eq!(s.sql("t"), "window(t, 600000000, 600000000, 0)");
    /// ```
    pub fn sql(&self, time_sql: &str) -> String {
        format!("window({}, {}, {}, {})", time_sql, self.window_us, self.slide_us, self.start_us)
    }

    /// Spark's `TimeWindow.checkInputDataTypes` value checks, in Spark's order; `time_sql` names
    /// the time column in the message.
    ///
    /// ```
    /// use streamlab_expr::window::WindowSpec;
    /// use streamlab_expr::Expr;
    /// let s = WindowSpec { time_column: Expr::col("t"), window_us: 300_000_000, slide_us: 600_000_000, start_us: 0 };
    /// assert!(s.check("t").unwrap_err().to_string().contains("must be <= the `window_duration`(300000000L)"));
    /// ```
    pub fn check(&self, time_sql: &str) -> Result<()> {
        let sql = self.sql(time_sql);
        let range = |what: &str, v: i64| {
            SparkError::analysis(format!(
                "Cannot resolve \"{sql}\" due to data type mismatch: The `{what}` must be between (0, 9223372036854775807] (current value = {v}L)."
            ))
            .with_class("DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE")
        };
        let constraint = |text: String| {
            SparkError::analysis(format!("Cannot resolve \"{sql}\" due to data type mismatch: {text}"))
                .with_class("DATATYPE_MISMATCH.PARAMETER_CONSTRAINT_VIOLATION")
        };
        if self.window_us <= 0 {
            return Err(range("window_duration", self.window_us));
        }
        if self.slide_us <= 0 {
            return Err(range("slide_duration", self.slide_us));
        }
        if self.slide_us > self.window_us {
            return Err(constraint(format!(
                "The `slide_duration`({}L) must be <= the `window_duration`({}L).",
                self.slide_us, self.window_us
            )));
        }
        // Scala's `Long.abs` (Math.abs: Long.MinValue stays negative).
        let abs_start = self.start_us.wrapping_abs();
        if abs_start >= self.slide_us {
            return Err(constraint(format!(
                "The `abs(start_time)`({}L) must be < the `slide_duration`({}L).",
                abs_start, self.slide_us
            )));
        }
        if self.windows_per_row() > MAX_WINDOWS_PER_ROW {
            return Err(SparkError::unsupported(format!(
                "StreamLab supports at most {} windows per row; `{}` needs {}.",
                MAX_WINDOWS_PER_ROW,
                sql,
                self.windows_per_row()
            )));
        }
        Ok(())
    }
}

/// Spark's `TimeWindow.getIntervalInMicroSeconds`: an interval string in microseconds, months
/// refused.
///
/// Why: window, slide and start are all given this way, with the same errors.
///
/// ```
/// use streamlab_expr::window::duration_us;
/// assert_eq!(duration_us("1 day 2 hours").unwrap(), 93_600_000_000);
/// assert_eq!(duration_us("1 month").unwrap_err().to_string(), "Intervals greater than a month is not supported (1 month).");
/// assert!(duration_us("10 minuts").unwrap_err().to_string().starts_with("[CANNOT_PARSE_INTERVAL] Unable to parse '10 minuts'."));
/// ```
pub fn duration_us(text: &str) -> Result<i64> {
    let cal = parse_interval(text).map_err(|_| cannot_parse_interval(text))?;
    if cal.months != 0 {
        return Err(SparkError::illegal_argument(format!("Intervals greater than a month is not supported ({text}).")));
    }
    i64::from(cal.days)
        .checked_mul(86_400_000_000)
        .and_then(|d| d.checked_add(cal.microseconds))
        .ok_or_else(|| SparkError::runtime("long overflow"))
}

fn cannot_parse_interval(text: &str) -> SparkError {
    SparkError::analysis(format!(
        "Unable to parse '{text}'. Please ensure that the value provided is in a valid format for defining an interval. You can reference the documentation for the correct format. If the issue persists, please double check that the input value is not null or empty and try again."
    ))
    .with_class("CANNOT_PARSE_INTERVAL")
}

/// Argument `i` of a window call as a duration string literal.
fn duration_arg(fname: &str, args: &[Expr], i: usize, what: &str) -> Result<i64> {
    let text = match args.get(i) {
        Some(Expr::Literal(Literal::String(s))) => s.clone(),
        Some(Expr::Alias(inner, _)) => return duration_arg(fname, std::slice::from_ref(inner.as_ref()), 0, what),
        Some(Expr::Literal(Literal::Null)) | None => {
            return Err(SparkError::analysis(format!("The `{what}` of `{fname}` must be a non-null interval string.")))
        }
        Some(other) => {
            return Err(SparkError::analysis(format!(
                "The `{what}` of `{fname}` must be an interval string literal such as '10 minutes', not {other:?}."
            )))
        }
    };
    duration_us(&text)
}

/// Takes a `window(...)` call's arguments apart, as `TimeWindow.apply` does: durations parsed
/// in order (window, slide, start), then Spark's value checks (the time column's type is checked
/// by [`resolve_window`], which needs a schema).
///
/// Why: the engine plans a window aggregation from these numbers.
///
/// ```
/// use streamlab_expr::window::window_spec;
/// use streamlab_expr::Expr;
/// let s = window_spec(&[Expr::col("t"), Expr::lit("10 minutes"), Expr::lit("5 minutes"), Expr::lit("2 minutes")]).unwrap();
/// assert_eq!((s.window_us, s.slide_us, s.start_us), (600_000_000, 300_000_000, 120_000_000));
/// let e = window_spec(&[Expr::col("t"), Expr::lit("0 minutes")]).unwrap_err();
/// assert_eq!(e.error_class.as_deref(), Some("DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE"));
/// ```
pub fn window_spec(args: &[Expr]) -> Result<WindowSpec> {
    let spec = parse_window_args(args)?;
    spec.check(&expr_sql_guess(&spec.time_column))?;
    Ok(spec)
}

fn parse_window_args(args: &[Expr]) -> Result<WindowSpec> {
    if !(2..=4).contains(&args.len()) {
        return Err(SparkError::analysis(format!(
            "The `window` requires [2, 3, 4] parameters but the actual number is {}. Please, refer to 'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix.",
            args.len()
        ))
        .with_class("WRONG_NUM_ARGS.WITHOUT_SUGGESTION"));
    }
    let window_us = duration_arg("window", args, 1, "windowDuration")?;
    let slide_us = if args.len() > 2 { duration_arg("window", args, 2, "slideDuration")? } else { window_us };
    let start_us = if args.len() > 3 { duration_arg("window", args, 3, "startTime")? } else { 0 };
    Ok(WindowSpec { time_column: args[0].clone(), window_us, slide_us, start_us })
}

/// A best-effort SQL text for an unresolved time column (its name when it is a column).
fn expr_sql_guess(e: &Expr) -> String {
    match e {
        Expr::Column(c) => c.clone(),
        Expr::Alias(_, n) => n.clone(),
        other => format!("{other:?}"),
    }
}

/// Resolves a `window(...)` call against `schema`: the spec (as [`window_spec`]) and the time
/// column as a timestamp expression (a string column is implicitly cast). Errors in Spark's
/// order: duration parsing, then the column type (`UNEXPECTED_INPUT_TYPE`), then the values.
///
/// Why: the engine evaluates the returned expression per batch and feeds the values to
/// [`assign_windows`].
///
/// ```
/// use arrow::datatypes::{DataType, Field, Schema};
/// use streamlab_expr::window::resolve_window;
/// use streamlab_expr::Expr;
/// let schema = Schema::new(vec![Field::new("l", DataType::Int64, true), Field::new("s", DataType::Utf8, true)]);
/// let (spec, t) = resolve_window(&[Expr::col("s"), Expr::lit("10 minutes")], &schema).unwrap();
/// assert_eq!((spec.window_us, t.data_type().clone()), (600_000_000, streamlab_expr::types::timestamp_type()));
/// let e = resolve_window(&[Expr::col("l"), Expr::lit("10 minutes")], &schema).unwrap_err();
/// assert!(e.to_string().starts_with("[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve \"window(l, 600000000, 600000000, 0)\""));
/// ```
pub fn resolve_window(args: &[Expr], schema: &Schema) -> Result<(WindowSpec, PhysicalExpr)> {
    let spec = parse_window_args(args)?;
    let time = crate::resolve::resolve(&spec.time_column, schema)?;
    let time = match time.data_type() {
        DataType::Timestamp(..) => time,
        t if is_string(t) || *t == DataType::Null => cast_implicit(time, &timestamp_type()),
        _ => {
            return Err(SparkError::analysis(format!(
                "Cannot resolve \"{}\" due to data type mismatch: Parameter 1 requires the (\"(TIMESTAMP OR TIMESTAMP WITHOUT TIME ZONE)\" or \"STRUCT<start: TIMESTAMP, end: TIMESTAMP>\" or \"STRUCT<start: TIMESTAMP_NTZ, end: TIMESTAMP_NTZ>\") type, however \"{}\" has the type \"{}\".",
                spec.sql(time.sql()),
                time.sql(),
                sql_name(time.data_type())
            ))
            .with_class("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE"))
        }
    };
    spec.check(time.sql())?;
    Ok((spec, time))
}

/// The start of every window containing event time `t_us`, latest first, by Spark's formula:
/// `remainder = (t − start) % slide` (Java `%`), `lastStart = t − (remainder < 0 ? remainder + slide
/// : remainder)`, then `lastStart − i·slide` for `i` in `0..ceil(window/slide)`, keeping windows
/// with `start <= t < start + window` (a tumbling window is kept unfiltered, as in Spark).
/// Arithmetic wraps like Java's `long`. An invalid spec (non-positive slide) gives no windows.
///
/// Why: the same numbers Spark computes decide which state group an event updates.
///
/// ```
/// use streamlab_expr::window::{window_spec, window_starts};
/// use streamlab_expr::Expr;
/// let w10 = window_spec(&[Expr::col("t"), Expr::lit("10 minutes")]).unwrap();
/// assert_eq!(window_starts(-1_000_000, &w10), vec![-600_000_000]); // 1969-12-31 23:59:59 → [23:50, 00:00)
/// ```
pub fn window_starts(t_us: i64, spec: &WindowSpec) -> Vec<i64> {
    let mut out = Vec::new();
    for_each_window(t_us, spec, |s| out.push(s));
    out
}

fn for_each_window(t: i64, spec: &WindowSpec, mut f: impl FnMut(i64)) {
    let (w, s, o) = (spec.window_us, spec.slide_us, spec.start_us);
    if s <= 0 || w <= 0 {
        return;
    }
    let remainder = t.wrapping_sub(o).wrapping_rem(s);
    let last_start = t.wrapping_sub(if remainder < 0 { remainder.wrapping_add(s) } else { remainder });
    if spec.is_tumbling() {
        f(last_start);
        return;
    }
    let n = spec.windows_per_row().min(MAX_WINDOWS_PER_ROW);
    for i in 0..n {
        let start = last_start.wrapping_sub(i.wrapping_mul(s));
        let end = start.wrapping_add(w);
        if start <= t && t < end {
            f(start);
        }
    }
}

/// Spark's window column type: `struct<start:timestamp,end:timestamp>`.
///
/// ```
/// use streamlab_expr::window::window_type;
/// assert_eq!(streamlab_expr::types::simple_string(&window_type()), "struct<start:timestamp,end:timestamp>");
/// ```
pub fn window_type() -> DataType {
    DataType::Struct(window_fields())
}

fn window_fields() -> Fields {
    Fields::from(vec![Field::new("start", timestamp_type(), true), Field::new("end", timestamp_type(), true)])
}

/// The window output field: name `window` (or an alias), type [`window_type`], metadata
/// `{"spark.timeWindow": "true"}` (what Spark attaches and `watermark` logic looks for).
///
/// ```
/// use streamlab_expr::window::window_field;
/// let f = window_field("window");
/// assert_eq!(f.metadata().get("spark.timeWindow").map(String::as_str), Some("true"));
/// assert!(!f.is_nullable());
/// ```
pub fn window_field(name: &str) -> Field {
    Field::new(name, window_type(), false)
        .with_metadata(HashMap::from([("spark.timeWindow".to_string(), "true".to_string())]))
}

/// Assigns every row to its windows: for each output row, the input row index and the window
/// `struct<start, end>`. Rows with a null time are dropped (Spark filters `isnotnull(t)`).
/// Output rows are ordered by input row, then latest window first (Spark's `Expand` order).
///
/// Why: the engine `take`s the other columns with the indices and groups by the window.
///
/// ```
/// use arrow::array::{Array, AsArray, TimestampMicrosecondArray};
/// use arrow::datatypes::TimestampMicrosecondType;
/// use streamlab_expr::window::{assign_windows, window_spec};
/// use streamlab_expr::Expr;
/// let spec = window_spec(&[Expr::col("t"), Expr::lit("10 seconds"), Expr::lit("5 seconds")]).unwrap();
/// let times = TimestampMicrosecondArray::from(vec![Some(7_000_000), None]);
/// let (rows, win) = assign_windows(&times, &spec);
/// assert_eq!(rows.values().to_vec(), vec![0, 0]);
/// let starts = win.column(0).as_primitive::<TimestampMicrosecondType>();
/// assert_eq!(starts.values().to_vec(), vec![5_000_000, 0]);
/// ```
pub fn assign_windows(times: &TimestampMicrosecondArray, spec: &WindowSpec) -> (UInt32Array, StructArray) {
    let mut rows: Vec<u32> = Vec::with_capacity(times.len());
    let mut starts: Vec<i64> = Vec::with_capacity(times.len());
    let mut ends: Vec<i64> = Vec::with_capacity(times.len());
    for i in 0..times.len() {
        if times.is_null(i) {
            continue;
        }
        let Ok(row) = u32::try_from(i) else { break };
        for_each_window(times.value(i), spec, |s| {
            rows.push(row);
            starts.push(s);
            ends.push(s.wrapping_add(spec.window_us));
        });
    }
    (UInt32Array::from(rows), window_struct(starts, ends))
}

/// A window struct array from starts and ends (µs), never null.
fn window_struct(starts: Vec<i64>, ends: Vec<i64>) -> StructArray {
    let s: ArrayRef = Arc::new(TimestampMicrosecondArray::from(starts).with_timezone("UTC"));
    let e: ArrayRef = Arc::new(TimestampMicrosecondArray::from(ends).with_timezone("UTC"));
    StructArray::new(window_fields(), vec![s, e], None)
}

/// `window_time(window)`: the window's event time, `window.end − 1` µs, null where the window
/// is null. Errors unless the column is a `struct<start:timestamp, end:timestamp>`.
///
/// Why: chaining a second windowed aggregation on the output of a first needs an event time.
///
/// ```
/// use arrow::array::{Array, TimestampMicrosecondArray};
/// use streamlab_expr::window::{assign_windows, window_spec, window_time};
/// use streamlab_expr::Expr;
/// let spec = window_spec(&[Expr::col("t"), Expr::lit("10 seconds")]).unwrap();
/// let (_, win) = assign_windows(&TimestampMicrosecondArray::from(vec![3_000_000]), &spec);
/// assert_eq!(window_time(&win).unwrap().value(0), 9_999_999);
/// ```
pub fn window_time(window: &StructArray) -> Result<TimestampMicrosecondArray> {
    let end = window
        .column_by_name("end")
        .and_then(|c| c.as_any().downcast_ref::<TimestampMicrosecondArray>())
        .ok_or_else(|| SparkError::analysis("The input is not a correct window column: window_time needs struct<start:timestamp,end:timestamp>."))?;
    let out: TimestampMicrosecondArray = (0..end.len())
        .map(|i| if end.is_null(i) || window.is_null(i) { None } else { Some(end.value(i).wrapping_sub(1)) })
        .collect();
    Ok(out.with_timezone("UTC"))
}

/// A parsed `session_window(timeColumn, gapDuration)` call.
///
/// Why: the engine can recognise session windows (and their streaming restrictions) before it
/// supports them.
///
/// ```
/// use streamlab_expr::window::parse_session_window;
/// use streamlab_expr::Expr;
/// let s = parse_session_window(&[Expr::col("t"), Expr::lit("5 minutes")]).unwrap();
/// assert_eq!(s.gap_us, 300_000_000);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SessionWindowSpec {
    /// The event-time column.
    pub time_column: Expr,
    /// The static gap in microseconds.
    pub gap_us: i64,
}

/// Parses `session_window(t, gap)` arguments (a literal gap string; dynamic gaps are not
/// recognised).
///
/// ```
/// use streamlab_expr::window::parse_session_window;
/// use streamlab_expr::Expr;
/// assert!(parse_session_window(&[Expr::col("t"), Expr::lit("5 minuts")]).is_err());
/// ```
pub fn parse_session_window(args: &[Expr]) -> Result<SessionWindowSpec> {
    if args.len() != 2 {
        return Err(SparkError::analysis(format!(
            "The `session_window` requires 2 parameters but the actual number is {}. Please, refer to 'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix.",
            args.len()
        ))
        .with_class("WRONG_NUM_ARGS.WITHOUT_SUGGESTION"));
    }
    let gap_us = duration_arg("session_window", args, 1, "gapDuration")?;
    Ok(SessionWindowSpec { time_column: args[0].clone(), gap_us })
}

/// `session_window(...)` for the engine: parses the call (so argument errors are reported) and
/// then refuses it, since StreamLab does not run session windows yet.
///
/// ```
/// use streamlab_expr::window::session_window_spec;
/// use streamlab_expr::Expr;
/// let e = session_window_spec(&[Expr::col("t"), Expr::lit("5 minutes")]).unwrap_err();
/// assert!(e.to_string().contains("not supported yet"));
/// ```
pub fn session_window_spec(args: &[Expr]) -> Result<SessionWindowSpec> {
    let spec = parse_session_window(args)?;
    Err(SparkError::unsupported(format!(
        "session_window is not supported yet in StreamLab (gap {} µs); use window() instead.",
        spec.gap_us
    )))
}
