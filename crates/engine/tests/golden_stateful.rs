//! Differential tests of stateful queries against real PySpark 3.5.9 (`tests/golden/`):
//! every micro-batch's output rows, the output schema, and the progress reports, including
//! `eventTime` and `stateOperators`.

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use arrow::array::{Array, AsArray, RecordBatch};
use arrow::datatypes::{DataType, Float64Type, Int64Type, TimestampMicrosecondType};
use common::golden::{copy_input, golden, replace_value, Normalizer, TMP};
use common::{env_ticking as env, ACTIVITY_DDL};
use streamlab_engine::{DataFrame, Trigger};
use streamlab_expr::{parse_expression, Expr};
use streamlab_types::time::format_timestamp;

/// The activity stream with the lesson's event time.
fn activity(e: &common::Env) -> DataFrame {
    e.spark
        .read_stream()
        .schema_ddl(ACTIVITY_DDL)
        .unwrap()
        .option("maxFilesPerTrigger", 1)
        .json(&format!("{TMP}/in"))
        .unwrap()
        .with_column("event_time", parse_expression("CAST(Creation_Time / 1e9 AS TIMESTAMP)").unwrap())
        .unwrap()
}

fn window(duration: &str) -> Expr {
    Expr::call("window", vec![Expr::col("event_time"), Expr::lit(duration)])
}

/// One output row as the generator prints it: window bounds, then the other columns.
fn row_text(batch: &RecordBatch, i: usize) -> String {
    let mut parts = Vec::new();
    for column in batch.columns() {
        match column.data_type() {
            DataType::Struct(_) => {
                for bound in column.as_struct().columns() {
                    parts.push(format_timestamp(bound.as_primitive::<TimestampMicrosecondType>().value(i)));
                }
            }
            DataType::Utf8 => parts.push(column.as_string::<i32>().value(i).to_string()),
            DataType::Int64 => parts.push(column.as_primitive::<Int64Type>().value(i).to_string()),
            DataType::Float64 => parts.push(column.as_primitive::<Float64Type>().value(i).to_string()),
            other => panic!("unexpected column type {other}"),
        }
    }
    parts.join(" ")
}

/// Runs `df` to completion through foreachBatch, printing each batch as `batches.txt` does.
fn run(df: DataFrame, mode: &str, trigger: Trigger, project: fn(&DataFrame) -> DataFrame) -> (String, String) {
    let text = Rc::new(RefCell::new(String::new()));
    let sink = text.clone();
    let q = df
        .write_stream()
        .unwrap()
        .foreach_batch(Box::new(move |batch, id| {
            let batch = project(&batch).collect()?;
            let mut rows: Vec<String> = (0..batch.num_rows()).map(|i| row_text(&batch, i)).collect();
            rows.sort();
            let mut out = sink.borrow_mut();
            out.push_str(&format!("batch {id}\n"));
            for r in rows {
                out.push_str(&r);
                out.push('\n');
            }
            Ok(())
        }))
        .output_mode(mode)
        .unwrap()
        .option("checkpointLocation", format!("{TMP}/cp"))
        .trigger(trigger)
        .start(None)
        .unwrap();
    q.await_termination(None).unwrap();
    let mut norm = Normalizer::new(q.id(), q.run_id(), Vec::new());
    let progress: Vec<String> = q
        .recent_progress()
        .iter()
        .map(|p| {
            let mut s = norm.progress(&p.json());
            for key in ["allUpdatesTimeMs", "allRemovalsTimeMs", "commitTimeMs", "memoryUsedBytes", "loadedMapCacheHitCount", "loadedMapCacheMissCount", "stateOnCurrentVersionSizeBytes", "numDroppedDuplicateRows"] {
                s = replace_value(&s, key, "<N>");
            }
            s
        })
        .collect();
    let out = text.borrow().clone();
    (out, progress.join("\n"))
}

fn same(projected: &DataFrame) -> DataFrame {
    projected.clone()
}

/// Equal texts, except that numbers may differ in the last bits: Spark adds doubles in another
/// order (partial aggregates per partition), so an average can differ by an ulp or two.
fn same_values(ours: &str, spark: &str) -> bool {
    let (a, b): (Vec<&str>, Vec<&str>) = (ours.split_whitespace().collect(), spark.split_whitespace().collect());
    a.len() == b.len()
        && a.iter().zip(&b).all(|(x, y)| {
            x == y
                || match (x.parse::<f64>(), y.parse::<f64>()) {
                    (Ok(p), Ok(q)) => (p - q).abs() <= 1e-12 * p.abs().max(q.abs()),
                    _ => false,
                }
        })
}

fn check(scenario: &str, df: DataFrame, mode: &str, trigger: Trigger, project: fn(&DataFrame) -> DataFrame) {
    let schema = format!("struct<{}>", df.schema_text().replace(": ", ":").replace(", ", ","));
    assert_eq!(schema, golden(&format!("{scenario}/schema.txt")).trim_end(), "{scenario} schema");
    let (batches, progress) = run(df, mode, trigger, project);
    let expected = golden(&format!("{scenario}/batches.txt"));
    assert!(same_values(batches.trim_end(), expected.trim_end()), "{scenario} batches:\n{batches}\n--- Spark:\n{expected}");
    assert_eq!(progress, golden(&format!("{scenario}/progress.txt")).trim_end(), "{scenario} progress");
}

#[test]
fn windowed_counts_in_complete_mode() {
    let e = env();
    copy_input(&e, "activity");
    let df = activity(&e).group_by(vec![window("10 minutes"), Expr::col("gt")]).count().unwrap();
    check("windowed_complete", df, "complete", Trigger::AvailableNow, same);
}

/// 5-minute windowed counts per activity behind a 1-minute watermark.
fn watermarked_counts(e: &common::Env) -> DataFrame {
    activity(e)
        .with_watermark("event_time", "1 minute")
        .unwrap()
        .group_by(vec![window("5 minutes"), Expr::col("gt")])
        .count()
        .unwrap()
}

#[test]
fn windowed_counts_in_update_mode_with_a_watermark() {
    let e = env();
    copy_input(&e, "activity");
    check("windowed_update", watermarked_counts(&e), "update", Trigger::AvailableNow, same);
}

#[test]
fn windowed_counts_in_append_mode_with_a_watermark() {
    let e = env();
    copy_input(&e, "activity");
    check("windowed_append", watermarked_counts(&e), "append", Trigger::AvailableNow, same);
}

#[test]
fn sliding_windows_with_several_aggregates() {
    let e = env();
    copy_input(&e, "activity");
    let df = activity(&e)
        .group_by(vec![Expr::call("window", vec![Expr::col("event_time"), Expr::lit("10 minutes"), Expr::lit("5 minutes")])])
        .agg(vec![
            Expr::call("count", vec![Expr::col("*")]).alias("n"),
            Expr::call("avg", vec![Expr::col("x")]).alias("avg_x"),
            Expr::call("max", vec![Expr::col("Index")]).alias("max_index"),
        ])
        .unwrap();
    check("sliding_complete", df, "complete", Trigger::Once, same);
}

fn gt_and_index(batch: &DataFrame) -> DataFrame {
    batch.select_expr(&["gt", "Index"]).unwrap()
}

#[test]
fn drop_duplicates_by_activity() {
    let e = env();
    copy_input(&e, "activity");
    let df = activity(&e).drop_duplicates(Some(&["gt"])).unwrap();
    check("dedup", df, "append", Trigger::AvailableNow, gt_and_index);
}
