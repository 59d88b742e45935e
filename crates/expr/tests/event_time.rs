//! The lesson's event time, `CAST(Creation_Time / 1e9 AS TIMESTAMP)`, on real activity rows.

#![cfg(not(target_arch = "wasm32"))]

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, Int64Array};
use arrow::datatypes::{DataType, Field, Schema, TimestampMicrosecondType};
use arrow::record_batch::RecordBatch;
use streamlab_expr::{parse_expression, resolve, EvalContext, Expr};
use streamlab_types::time::format_timestamp;

fn schema() -> Arc<Schema> {
    Arc::new(Schema::new(vec![Field::new("Creation_Time", DataType::Int64, true)]))
}

fn event_times(values: Vec<Option<i64>>, expr: &Expr) -> (String, Vec<Option<i64>>) {
    let schema = schema();
    let col: ArrayRef = Arc::new(Int64Array::from(values));
    let batch = RecordBatch::try_new(schema.clone(), vec![col]).unwrap();
    let e = resolve(expr, &schema).unwrap();
    let out = e.evaluate(&batch, &EvalContext::default()).unwrap();
    let ts = out.as_primitive::<TimestampMicrosecondType>();
    (e.name().to_string(), (0..ts.len()).map(|i| if ts.is_null(i) { None } else { Some(ts.value(i)) }).collect())
}

#[test]
fn first_activity_row_matches_spark() {
    // Spark 3.5.9 shows 2015-02-23 13:03:51.914042 for Creation_Time 1424696631914042029.
    let sql = parse_expression("CAST(Creation_Time / 1e9 AS TIMESTAMP)").unwrap();
    let (name, ts) = event_times(vec![Some(1424696631914042029), None], &sql);
    assert_eq!(name, "CAST((Creation_Time / 1.0E9) AS TIMESTAMP)");
    assert_eq!(ts[0].map(format_timestamp).as_deref(), Some("2015-02-23 13:03:51.914042"));
    assert_eq!(ts[1], None);

    // The Column API spelling gives the same name and values.
    let api = Expr::col("Creation_Time").div(Expr::lit(1e9)).cast(streamlab_expr::types::timestamp_type());
    assert_eq!(event_times(vec![Some(1424696631914042029)], &api), (name, vec![ts[0]]));

    // The book's spelling divides by an integer literal: same double division.
    let book = parse_expression("cast(Creation_Time/1000000000 as timestamp)").unwrap();
    let (book_name, book_ts) = event_times(vec![Some(1424696631914042029)], &book);
    assert_eq!(book_name, "CAST((Creation_Time / 1000000000) AS TIMESTAMP)");
    assert_eq!(book_ts[0], ts[0]);
}

#[test]
fn last_file_rows_round_like_spark() {
    // Spreadsheet-rounded rows (multiples of 10 µs) from part-00007.
    let sql = parse_expression("CAST(Creation_Time / 1e9 AS TIMESTAMP)").unwrap();
    let (_, ts) = event_times(vec![Some(1424698295088900000), Some(1424698300124660000)], &sql);
    let text: Vec<String> = ts.into_iter().flatten().map(format_timestamp).collect();
    assert_eq!(text, vec!["2015-02-23 13:31:35.0889", "2015-02-23 13:31:40.12466"]);
}

/// Every row of the activity sample bundled in the repository (`data/activity`), checked
/// against the checksum Spark computed (`tests/golden/event_time.json`, `all_rows`).
#[test]
fn all_activity_rows_match_spark_checksum() {
    let dir = std::env::var("ACTIVITY_DIR").unwrap_or_else(|_| format!("{}/../../data/activity", env!("CARGO_MANIFEST_DIR")));
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipped: {} not found", dir);
        return;
    };
    let golden: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{}/tests/golden/event_time.json", env!("CARGO_MANIFEST_DIR"))).unwrap(),
    )
    .unwrap();
    let Some(want) = golden.get("all_rows") else {
        eprintln!("skipped: golden has no all_rows checksum");
        return;
    };
    let mut files: Vec<_> = entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "json")).collect();
    files.sort();
    let mut values = Vec::new();
    for f in files {
        for line in std::fs::read_to_string(&f).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            values.push(v["Creation_Time"].as_i64());
        }
    }
    let sql = parse_expression("CAST(Creation_Time / 1e9 AS TIMESTAMP)").unwrap();
    let (_, ts) = event_times(values, &sql);
    let ts: Vec<i64> = ts.into_iter().flatten().collect();
    // Spark's sum(bigint) wraps around on overflow (non-ANSI); so does this one.
    let sum: i64 = ts.iter().fold(0i64, |acc, &t| acc.wrapping_add(t));
    assert_eq!(ts.len() as u64, want["count"].as_u64().unwrap());
    assert_eq!(sum.to_string(), want["sum_unix_micros"].as_str().unwrap());
    assert_eq!(format_timestamp(*ts.iter().min().unwrap()), want["min"].as_str().unwrap());
    assert_eq!(format_timestamp(*ts.iter().max().unwrap()), want["max"].as_str().unwrap());
}
