//! The "windowed counts per key" chart's numbers, read from a windowed aggregation's memory
//! table (`groupBy(window(ts, "10 minutes"), gt).count()` written with `format("memory")`).
//!
//! The table is the query's result after each batch (complete mode: every window; update or
//! append: what the sink has collected), so the chart shows counts growing window by window.

use arrow::array::{Array, Int64Array, RecordBatch, StructArray, TimestampMicrosecondArray};
use streamlab_types::show::cell_to_string;

/// Counts per window and key, ready to plot.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WindowCounts {
    /// The key column's name (`gt`).
    pub key_name: String,
    /// The distinct keys, sorted (`NULL` for a null key).
    pub keys: Vec<String>,
    /// The distinct window starts, ms since the epoch, ascending.
    pub windows: Vec<i64>,
    /// `(window index, key index, count)` for every row of the table.
    pub counts: Vec<(usize, usize, i64)>,
}

/// The counts of a table with a `window` struct column (with a `start` timestamp), one key
/// column and a `count` column; `None` for any other table (the chart then says so).
///
/// ```
/// use std::sync::Arc;
/// use arrow::array::{ArrayRef, Int64Array, RecordBatch, StringArray, StructArray, TimestampMicrosecondArray};
/// use arrow::datatypes::{DataType, Field, Fields, TimeUnit};
/// use streamlab_web::windows::window_counts;
/// let ts = || DataType::Timestamp(TimeUnit::Microsecond, None);
/// let starts: ArrayRef = Arc::new(TimestampMicrosecondArray::from(vec![600_000_000, 0, 0]));
/// let ends: ArrayRef = Arc::new(TimestampMicrosecondArray::from(vec![1_200_000_000, 600_000_000, 600_000_000]));
/// let window = StructArray::from(vec![(Arc::new(Field::new("start", ts(), true)), starts), (Arc::new(Field::new("end", ts(), true)), ends)]);
/// let batch = RecordBatch::try_from_iter(vec![
///     ("window", Arc::new(window) as ArrayRef),
///     ("gt", Arc::new(StringArray::from(vec!["walk", "walk", "sit"])) as ArrayRef),
///     ("count", Arc::new(Int64Array::from(vec![3, 5, 7])) as ArrayRef),
/// ]).unwrap();
/// let counts = window_counts(&batch).unwrap();
/// assert_eq!(counts.key_name, "gt");
/// assert_eq!(counts.keys, ["sit", "walk"]);
/// assert_eq!(counts.windows, [0, 600_000]);
/// assert_eq!(counts.counts, [(1, 1, 3), (0, 1, 5), (0, 0, 7)]);
/// ```
pub fn window_counts(batch: &RecordBatch) -> Option<WindowCounts> {
    let schema = batch.schema();
    let window = batch.column_by_name("window")?.as_any().downcast_ref::<StructArray>()?;
    let starts = window.column_by_name("start")?.as_any().downcast_ref::<TimestampMicrosecondArray>()?;
    let counts = batch.column_by_name("count")?.as_any().downcast_ref::<Int64Array>()?;
    let key_index = schema.fields().iter().position(|f| f.name() != "window" && f.name() != "count")?;
    let key_name = schema.field(key_index).name().clone();
    let key_column = batch.column(key_index);
    let row_keys: Vec<String> = (0..batch.num_rows()).map(|row| cell_to_string(key_column.as_ref(), row)).collect();
    let mut keys = row_keys.clone();
    keys.sort();
    keys.dedup();
    let row_starts: Vec<Option<i64>> = (0..batch.num_rows()).map(|row| (!starts.is_null(row)).then(|| starts.value(row).div_euclid(1000))).collect();
    let mut windows: Vec<i64> = row_starts.iter().flatten().copied().collect();
    windows.sort_unstable();
    windows.dedup();
    let rows = row_keys.iter().zip(&row_starts).enumerate().filter_map(|(row, (key, start))| {
        let window = windows.binary_search(&(*start)?).ok()?;
        let key = keys.binary_search(key).ok()?;
        (!counts.is_null(row)).then(|| (window, key, counts.value(row)))
    });
    Some(WindowCounts { counts: rows.collect(), key_name, keys, windows })
}

impl WindowCounts {
    /// The largest count (the chart's y range).
    pub fn max_count(&self) -> i64 {
        self.counts.iter().map(|c| c.2).max().unwrap_or(0)
    }

    /// The points of key `key` (window start in ms, count), in window order.
    pub fn series(&self, key: usize) -> Vec<(i64, i64)> {
        let mut points: Vec<(usize, i64)> = self.counts.iter().filter(|c| c.1 == key).map(|c| (c.0, c.2)).collect();
        points.sort_unstable();
        points.into_iter().filter_map(|(w, n)| self.windows.get(w).map(|start| (*start, n))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use arrow::array::{ArrayRef, StringArray};

    #[test]
    fn a_table_without_windows_is_not_charted() {
        let batch = RecordBatch::try_from_iter(vec![
            ("gt", Arc::new(StringArray::from(vec!["walk"])) as ArrayRef),
            ("count", Arc::new(Int64Array::from(vec![1])) as ArrayRef),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(window_counts(&batch), None);
    }
}
