//! Streaming aggregations, windows and watermarks, after Spark's EventTimeWatermarkSuite and
//! StreamingAggregationSuite (spec §10).

mod common;

use std::sync::Arc;

use arrow::array::{AsArray, Int64Array, RecordBatch};
use arrow::datatypes::{DataType, Field, Int64Type, Schema};
use common::{env, env_at};
use streamlab_engine::source::MemoryStream;
use streamlab_engine::{DataFrame, ErrorKind, StreamingQuery, Trigger};
use streamlab_expr::Expr;
#[allow(unused_imports)]
use streamlab_storage::Storage;

fn values_stream() -> MemoryStream {
    MemoryStream::new(Arc::new(Schema::new(vec![Field::new("value", DataType::Int64, true)])))
}

fn add(stream: &MemoryStream, values: &[i64]) {
    let schema = Arc::new(Schema::new(vec![Field::new("value", DataType::Int64, true)]));
    stream.add_data(RecordBatch::try_new(schema, vec![Arc::new(Int64Array::from(values.to_vec()))]).unwrap()).unwrap();
}

/// "wa5": 10 s watermark, 5 s tumbling windows, projected to (window start in seconds, count).
fn wa5(e: &common::Env, stream: &MemoryStream) -> DataFrame {
    stream
        .to_df(&e.spark)
        .with_column("eventTime", Expr::call("timestamp_seconds", vec![Expr::col("value")]))
        .unwrap()
        .with_watermark("eventTime", "10 seconds")
        .unwrap()
        .group_by(vec![Expr::call("window", vec![Expr::col("eventTime"), Expr::lit("5 seconds")])])
        .count()
        .unwrap()
        .select(vec![Expr::col("window.start").cast(DataType::Int64).alias("start"), Expr::col("count")])
        .unwrap()
}

fn start(df: &DataFrame, mode: &str, name: &str) -> StreamingQuery {
    df.write_stream().unwrap().format("memory").query_name(name).output_mode(mode).unwrap().start(None).unwrap()
}

/// All rows of memory table `name` as (i64, i64) pairs.
fn pairs(e: &common::Env, name: &str) -> Vec<(i64, i64)> {
    let b = e.spark.table(name).unwrap().collect().unwrap();
    let (a, c) = (b.column(0).as_primitive::<Int64Type>(), b.column(1).as_primitive::<Int64Type>());
    (0..b.num_rows()).map(|i| (a.value(i), c.value(i))).collect()
}

#[test]
fn append_mode_emits_windows_once_the_watermark_passes() {
    // EventTimeWatermarkSuite "append mode".
    let e = env();
    let stream = values_stream();
    let q = start(&wa5(&e, &stream), "append", "wa");
    add(&stream, &[10, 11, 12, 13, 14, 15]);
    q.process_all_available().unwrap();
    assert_eq!(pairs(&e, "wa"), []);
    add(&stream, &[25]);
    q.process_all_available().unwrap();
    assert_eq!(pairs(&e, "wa"), [(10, 5)]);
    let state = &q.last_progress().unwrap().state_operators[0];
    assert_eq!((state.num_rows_total, state.num_rows_dropped_by_watermark), (2, 0));
    add(&stream, &[10]);
    q.process_all_available().unwrap();
    assert_eq!(pairs(&e, "wa"), [(10, 5)]);
    let progress = q.recent_progress();
    let late = progress.iter().rev().find(|p| p.num_input_rows == 1).unwrap();
    assert_eq!((late.state_operators[0].num_rows_total, late.state_operators[0].num_rows_dropped_by_watermark), (2, 1));
    q.stop();
}

#[test]
fn update_mode_emits_changed_windows_each_batch() {
    // EventTimeWatermarkSuite "update mode".
    let e = env();
    let stream = values_stream();
    let q = start(&wa5(&e, &stream), "update", "wu");
    let mut seen = 0;
    let mut step = |values: &[i64]| {
        add(&stream, values);
        q.process_all_available().unwrap();
        let all = pairs(&e, "wu");
        let new = all[seen..].to_vec();
        seen = all.len();
        new
    };
    assert_eq!(step(&[10, 11, 12, 13, 14, 15]), [(10, 5), (15, 1)]);
    assert_eq!(step(&[25]), [(25, 1)]);
    assert_eq!(step(&[10, 25]), [(25, 2)]);
    assert_eq!(step(&[10]), []);
    q.stop();
}

#[test]
fn complete_mode_keeps_every_window_and_drops_nothing() {
    // EventTimeWatermarkSuite "complete mode".
    let e = env();
    let stream = values_stream();
    let q = start(&wa5(&e, &stream), "complete", "wc");
    let step = |values: &[i64]| {
        add(&stream, values);
        q.process_all_available().unwrap();
        pairs(&e, "wc")
    };
    assert_eq!(step(&[10, 11, 12]), [(10, 3)]);
    assert_eq!(step(&[25]), [(10, 3), (25, 1)]);
    assert_eq!(step(&[25]), [(10, 3), (25, 2)]);
    assert_eq!(step(&[10]), [(10, 4), (25, 2)]);
    assert_eq!(step(&[25]), [(10, 4), (25, 3)]);
    q.stop();
}

#[test]
fn event_time_statistics_in_progress() {
    // EventTimeWatermarkSuite "event time and watermark metrics".
    let e = env();
    let stream = values_stream();
    let q = start(&wa5(&e, &stream), "append", "wm");
    add(&stream, &[15]);
    q.process_all_available().unwrap();
    let p = q.recent_progress()[0].clone();
    assert_eq!(p.event_time["min"], "1970-01-01T00:00:15.000Z");
    assert_eq!(p.event_time["max"], "1970-01-01T00:00:15.000Z");
    assert_eq!(p.event_time["avg"], "1970-01-01T00:00:15.000Z");
    assert_eq!(p.event_time["watermark"], "1970-01-01T00:00:00.000Z");
    add(&stream, &[10, 12, 14]);
    q.process_all_available().unwrap();
    let p = q.recent_progress().into_iter().rev().find(|p| p.num_input_rows == 3).unwrap();
    assert_eq!(p.event_time["min"], "1970-01-01T00:00:10.000Z");
    assert_eq!(p.event_time["max"], "1970-01-01T00:00:14.000Z");
    assert_eq!(p.event_time["avg"], "1970-01-01T00:00:12.000Z");
    assert_eq!(p.event_time["watermark"], "1970-01-01T00:00:05.000Z");
    q.stop();
}

#[test]
fn watermark_and_state_survive_restarts() {
    // EventTimeWatermarkSuite "recovery".
    let e = env();
    let stream = values_stream();
    let df = wa5(&e, &stream);
    let start = || {
        df.write_stream().unwrap().format("parquet").option("checkpointLocation", "/cp").start(Some("/out")).unwrap()
    };
    let rows = || -> Vec<(i64, i64)> {
        let b = e.spark.read().parquet("/out").unwrap().collect().unwrap();
        let (a, c) = (b.column(0).as_primitive::<Int64Type>(), b.column(1).as_primitive::<Int64Type>());
        let mut v: Vec<(i64, i64)> = (0..b.num_rows()).map(|i| (a.value(i), c.value(i))).collect();
        v.sort();
        v
    };
    let q = start();
    add(&stream, &[10, 11, 12, 13, 14, 15, 25]);
    q.process_all_available().unwrap();
    q.stop();
    assert_eq!(rows(), [(10, 5)]);
    let q = start();
    add(&stream, &[10, 27, 30]);
    q.process_all_available().unwrap();
    q.stop();
    assert_eq!(rows(), [(10, 5), (15, 1)]);
    let q = start();
    add(&stream, &[17]);
    q.process_all_available().unwrap();
    assert_eq!(rows(), [(10, 5), (15, 1)], "17 is late: the watermark (20 s) was recovered");
    add(&stream, &[40]);
    q.process_all_available().unwrap();
    q.stop();
    assert_eq!(rows(), [(10, 5), (15, 1), (25, 2)]);
    assert!(e.fs.exists("/cp/state/0/0").unwrap());
}

#[test]
fn counts_by_key_in_update_and_complete_mode_across_restarts() {
    // StreamingAggregationSuite "simple count, update mode" and "complete mode".
    for (mode, expected) in [
        ("update", vec![vec![(3, 1)], vec![(2, 1), (3, 2)], vec![(1, 1), (2, 2), (3, 3)], vec![(4, 4)]]),
        (
            "complete",
            vec![vec![(3, 1)], vec![(2, 1), (3, 2)], vec![(1, 1), (2, 2), (3, 3)], vec![(1, 1), (2, 2), (3, 3), (4, 4)]],
        ),
    ] {
        let e = env();
        let stream = values_stream();
        let df = stream.to_df(&e.spark).group_by(vec![Expr::col("value")]).count().unwrap();
        let mut seen = Vec::new();
        let mut query: Option<StreamingQuery> = None;
        for (i, values) in [&[3][..], &[3, 2], &[3, 2, 1], &[4, 4, 4, 4]].iter().enumerate() {
            if i == 2 {
                if let Some(q) = query.take() {
                    q.stop();
                }
            }
            let q = query.get_or_insert_with(|| {
                df.write_stream().unwrap().foreach_batch(Box::new(|batch, _| {
                    batch.create_or_replace_temp_view("last_batch");
                    Ok(())
                }))
                .output_mode(mode)
                .unwrap()
                .option("checkpointLocation", format!("/cp-{mode}"))
                .start(None)
                .unwrap()
            });
            add(&stream, values);
            q.process_all_available().unwrap();
            let b = e.spark.table("last_batch").unwrap().collect().unwrap();
            let (k, c) = (b.column(0).as_primitive::<Int64Type>(), b.column(1).as_primitive::<Int64Type>());
            let mut last: Vec<(i64, i64)> = (0..b.num_rows()).map(|i| (k.value(i), c.value(i))).collect();
            last.sort();
            seen.push(last);
        }
        assert_eq!(seen, expected, "{mode}");
    }
}

#[test]
fn lesson_windowed_counts_per_activity() {
    let e = env_at(0).with_activity(8);
    let df = e
        .spark
        .read_stream()
        .schema_ddl(common::ACTIVITY_DDL)
        .unwrap()
        .option("maxFilesPerTrigger", 1)
        .json("/data/activity")
        .unwrap()
        .with_column("event_time", streamlab_expr::parse_expression("CAST(Creation_Time / 1e9 AS TIMESTAMP)").unwrap())
        .unwrap()
        .group_by(vec![Expr::call("window", vec![Expr::col("event_time"), Expr::lit("10 minutes")]), Expr::col("gt")])
        .count()
        .unwrap();
    assert_eq!(df.columns(), ["window", "gt", "count"]);
    let q = df.write_stream().unwrap().format("memory").query_name("counts").output_mode("complete").unwrap()
        .trigger(Trigger::AvailableNow).start(None).unwrap();
    q.await_termination(None).unwrap();
    let shown = e.spark.table("counts").unwrap().show_string(20, 0, false).unwrap();
    assert_eq!(
        shown,
        "+------------------------------------------+----------+-----+\n\
         |window                                    |gt        |count|\n\
         +------------------------------------------+----------+-----+\n\
         |{2015-02-23 13:00:00, 2015-02-23 13:10:00}|stand     |10000|\n\
         |{2015-02-23 13:10:00, 2015-02-23 13:20:00}|null      |1001 |\n\
         |{2015-02-23 13:10:00, 2015-02-23 13:20:00}|sit       |1001 |\n\
         |{2015-02-23 13:10:00, 2015-02-23 13:20:00}|walk      |1001 |\n\
         |{2015-02-23 13:20:00, 2015-02-23 13:30:00}|stairsdown|523  |\n\
         |{2015-02-23 13:20:00, 2015-02-23 13:30:00}|stairsup  |1479 |\n\
         |{2015-02-23 13:30:00, 2015-02-23 13:40:00}|bike      |1001 |\n\
         +------------------------------------------+----------+-----+\n"
    );
    let last = q.last_progress().unwrap();
    assert_eq!(last.state_operators[0].num_rows_total, 7);
}

#[test]
fn output_mode_errors_match_spark() {
    let e = env();
    let stream = values_stream();
    let counts = stream.to_df(&e.spark).group_by(vec![Expr::col("value")]).count().unwrap();
    let err = counts.write_stream().unwrap().format("memory").query_name("x").start(None).unwrap_err();
    assert_eq!(err.to_string(), "Append output mode not supported when there are streaming aggregations on streaming DataFrames/DataSets without watermark");
    let err = counts.write_stream().unwrap().format("parquet").output_mode("complete").unwrap()
        .option("checkpointLocation", "/c").start(Some("/o")).unwrap_err();
    assert_eq!(err.to_string(), "Data source parquet does not support Complete output mode.");
    let distinct = stream.to_df(&e.spark).group_by(vec![]).agg(vec![Expr::call("count_distinct", vec![Expr::col("value")])]).unwrap();
    let err = distinct.write_stream().unwrap().format("console").output_mode("complete").unwrap().start(None).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Analysis);
    assert!(err.message.starts_with("Distinct aggregations are not supported on streaming DataFrames/Datasets."));
    let err = stream.to_df(&e.spark).with_watermark("value", "10 seconds").unwrap_err();
    assert_eq!(err.to_string(), "[EVENT_TIME_IS_NOT_ON_TIMESTAMP_TYPE] The event time `value` has the invalid type \"BIGINT\", but expected \"TIMESTAMP\".");
}

/// The lesson's watermarked windowed count on the activity files, into a Parquet sink.
fn windowed_activity(e: &common::Env, trigger: Trigger) -> StreamingQuery {
    e.spark
        .read_stream()
        .schema_ddl(common::ACTIVITY_DDL)
        .unwrap()
        .option("maxFilesPerTrigger", 1)
        .json("/data/activity")
        .unwrap()
        .with_column("event_time", streamlab_expr::parse_expression("CAST(Creation_Time / 1e9 AS TIMESTAMP)").unwrap())
        .unwrap()
        .with_watermark("event_time", "1 minute")
        .unwrap()
        .group_by(vec![Expr::call("window", vec![Expr::col("event_time"), Expr::lit("5 minutes")]), Expr::col("gt")])
        .count()
        .unwrap()
        .select_expr(&["CAST(window.start AS STRING) AS start", "gt", "count"])
        .unwrap()
        .write_stream()
        .unwrap()
        .format("json")
        .option("checkpointLocation", "/cp")
        .trigger(trigger)
        .start(Some("/out"))
        .unwrap()
}

fn sorted_output(e: &common::Env) -> String {
    let df = e.spark.read().schema_ddl("start string, gt string, count long").unwrap().json("/out").unwrap();
    let batch = df.collect().unwrap();
    let (s, g, c) = (batch.column(0).as_string::<i32>(), batch.column(1).as_string::<i32>(), batch.column(2).as_primitive::<Int64Type>());
    let mut rows: Vec<String> = (0..batch.num_rows()).map(|i| format!("{} {} {}", s.value(i), g.value(i), c.value(i))).collect();
    rows.sort();
    rows.join("\n")
}

#[test]
fn available_now_ends_with_the_no_data_batch_that_closes_windows() {
    let e = env().with_activity(8);
    let q = windowed_activity(&e, Trigger::AvailableNow);
    q.await_termination(None).unwrap();
    let progress = q.recent_progress();
    assert_eq!(progress.len(), 9, "8 data batches and the no-data batch 8");
    assert_eq!(progress[8].num_input_rows, 0);
    // The no-data batch runs with the watermark of the last file (13:31:40 - 1 min): it closes
    // the 13:20 windows; the bike window [13:30, 13:35) stays open in the state.
    assert_eq!(progress[8].event_time["watermark"], "2015-02-23T13:30:40.124Z");
    assert_eq!(progress[8].state_operators[0].num_rows_removed, 2);
    assert_eq!(
        sorted_output(&e),
        "2015-02-23 13:00:00 stand 10000\n2015-02-23 13:10:00 null 1001\n2015-02-23 13:10:00 sit 1001\n\
         2015-02-23 13:15:00 walk 1001\n2015-02-23 13:20:00 stairsdown 523\n2015-02-23 13:20:00 stairsup 1479"
    );
}

#[test]
fn stopping_after_every_batch_gives_the_uninterrupted_result() {
    let uninterrupted = {
        let e = env().with_activity(8);
        windowed_activity(&e, Trigger::AvailableNow).await_termination(None).unwrap();
        sorted_output(&e)
    };
    let e = env().with_activity(8);
    for _ in 0..12 {
        let q = windowed_activity(&e, Trigger::Once);
        q.await_termination(None).unwrap();
    }
    assert_eq!(sorted_output(&e), uninterrupted);
    // Crash after the sink wrote but before the commit: the replay changes nothing.
    let e2 = env().with_activity(8);
    for i in 0..12 {
        windowed_activity(&e2, Trigger::Once).await_termination(None).unwrap();
        if i % 3 == 1 {
            let last = e2.names("/cp/commits").into_iter().filter_map(|n| n.parse::<i64>().ok()).max().unwrap();
            e2.fs.delete(&format!("/cp/commits/{last}")).unwrap();
        }
    }
    windowed_activity(&e2, Trigger::AvailableNow).await_termination(None).unwrap();
    assert_eq!(sorted_output(&e2), uninterrupted);
}

#[test]
fn late_rows_are_judged_by_the_previous_batch_watermark() {
    // Spec §4.2 [R35]: 0 s delay, 10 s windows, batches a@100 s, a@200 s, b@150 s.
    let e = env();
    let schema = Arc::new(Schema::new(vec![Field::new("k", DataType::Utf8, true), Field::new("t", DataType::Int64, true)]));
    let stream = MemoryStream::new(schema.clone());
    let push = |k: &str, t: i64| {
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![Arc::new(arrow::array::StringArray::from(vec![k])), Arc::new(Int64Array::from(vec![t]))],
        )
        .unwrap();
        stream.add_data(batch).unwrap();
    };
    let df = stream
        .to_df(&e.spark)
        .with_column("ts", Expr::call("timestamp_seconds", vec![Expr::col("t")]))
        .unwrap()
        .with_watermark("ts", "0 seconds")
        .unwrap()
        .group_by(vec![Expr::call("window", vec![Expr::col("ts"), Expr::lit("10 seconds")]), Expr::col("k")])
        .count()
        .unwrap()
        .select(vec![Expr::col("window.start").cast(DataType::Int64), Expr::col("count"), Expr::col("k")])
        .unwrap();
    let q = df.write_stream().unwrap().format("memory").query_name("late").option("checkpointLocation", "/cpl")
        .output_mode("append").unwrap().trigger(Trigger::Once).start(None).unwrap();
    push("a", 100);
    q.await_termination(None).unwrap();
    let once = || {
        df.write_stream().unwrap().format("foreachBatch").foreach_batch(Box::new(|b, _| {
            b.create_or_replace_temp_view("emitted");
            Ok(())
        })).option("checkpointLocation", "/cpl").output_mode("append").unwrap().trigger(Trigger::Once).start(None).unwrap()
    };
    push("a", 200);
    once().await_termination(None).unwrap();
    push("b", 150);
    once().await_termination(None).unwrap();
    assert_eq!(pairs(&e, "emitted"), [(100, 1), (150, 1)]);
}

/// As Spark's `assertNumStateRows`: numRowsTotal of the last progress, numRowsUpdated and
/// numRowsDroppedByWatermark summed over the progresses after the first `since`.
fn state_rows(q: &StreamingQuery, since: usize) -> (i64, i64, i64) {
    let progress = q.recent_progress();
    let ops: Vec<_> = progress[since..].iter().filter_map(|p| p.state_operators.first().cloned()).collect();
    let total = progress.last().unwrap().state_operators[0].num_rows_total;
    (total, ops.iter().map(|o| o.num_rows_updated).sum(), ops.iter().map(|o| o.num_rows_dropped_by_watermark).sum())
}

fn longs_of(e: &common::Env, name: &str) -> Vec<i64> {
    let b = e.spark.table(name).unwrap().collect().unwrap();
    let a = b.column(0).as_primitive::<Int64Type>();
    (0..b.num_rows()).map(|i| a.value(i)).collect()
}

#[test]
fn deduplicate_with_watermark() {
    // StreamingDeduplicationSuite "deduplicate with watermark".
    let e = env();
    let stream = values_stream();
    let df = stream
        .to_df(&e.spark)
        .with_column("eventTime", Expr::call("timestamp_seconds", vec![Expr::col("value")]))
        .unwrap()
        .with_watermark("eventTime", "10 seconds")
        .unwrap()
        .distinct()
        .unwrap()
        .select(vec![Expr::col("eventTime").cast(DataType::Int64)])
        .unwrap();
    let q = start(&df, "append", "dedup");
    let mut seen = 0;
    let mut checked = 0;
    let mut step = |values: Vec<i64>| {
        checked = q.recent_progress().len();
        add(&stream, &values);
        q.process_all_available().unwrap();
        let all = longs_of(&e, "dedup");
        let mut new = all[seen..].to_vec();
        seen = all.len();
        new.sort();
        (new, state_rows(&q, checked))
    };
    assert_eq!(step((1..=5).flat_map(|_| 10..=15).collect()), ((10..=15).collect::<Vec<_>>(), (6, 6, 0)));
    assert_eq!(step(vec![25]), (vec![25], (1, 1, 0)));
    assert_eq!(step(vec![10]), (vec![], (1, 0, 1)));
    assert_eq!(step(vec![45]), (vec![45], (1, 1, 0)));
    assert_eq!(q.last_progress().unwrap().state_operators[0].operator_name, "dedupe");
    q.stop();
}

#[test]
fn deduplicate_without_watermark_keeps_keys_across_restarts() {
    let e = env();
    let stream = values_stream();
    let df = stream.to_df(&e.spark).drop_duplicates(Some(&["value"])).unwrap();
    let start = || {
        df.write_stream().unwrap().format("parquet").option("checkpointLocation", "/cpd").start(Some("/outd")).unwrap()
    };
    let output = || {
        let b = e.spark.read().parquet("/outd").unwrap().collect().unwrap();
        let a = b.column(0).as_primitive::<Int64Type>();
        let mut v: Vec<i64> = (0..b.num_rows()).map(|i| a.value(i)).collect();
        v.sort();
        v
    };
    let q = start();
    add(&stream, &[1, 2, 2]);
    q.process_all_available().unwrap();
    add(&stream, &[2, 3]);
    q.process_all_available().unwrap();
    q.stop();
    assert_eq!(output(), [1, 2, 3]);
    let q = start();
    add(&stream, &[1, 4, 3, 4]);
    q.process_all_available().unwrap();
    q.stop();
    assert_eq!(output(), [1, 2, 3, 4]);
    let err = stream.to_df(&e.spark).drop_duplicates(Some(&["nope"])).err().unwrap();
    assert_eq!(err.to_string(), "Cannot resolve column name \"nope\" among (value).");
    let err = df.write_stream().unwrap().format("console").output_mode("complete").unwrap().start(None).unwrap_err();
    assert!(err.message.starts_with("Complete output mode not supported when there are no streaming aggregations"));
}

#[test]
fn sort_after_aggregation_in_complete_mode() {
    // StreamingAggregationSuite "sort after aggregate in complete mode".
    let e = env();
    let stream = values_stream();
    let counts = stream.to_df(&e.spark).group_by(vec![Expr::col("value")]).count().unwrap();
    let sorted = counts.order_by(vec![streamlab_engine::sort::SortKey::desc(Expr::col("count"))]).unwrap();
    let q = start(&sorted, "complete", "sorted");
    let step = |values: &[i64]| {
        add(&stream, values);
        q.process_all_available().unwrap();
        pairs(&e, "sorted")
    };
    assert_eq!(step(&[3]), [(3, 1)]);
    assert_eq!(step(&[2, 3]), [(3, 2), (2, 1)]);
    assert_eq!(step(&[3, 2, 1]), [(3, 3), (2, 2), (1, 1)]);
    assert_eq!(step(&[4, 4, 4, 4]), [(4, 4), (3, 3), (2, 2), (1, 1)]);
    q.stop();
    let top = counts.order_by(vec![streamlab_engine::sort::SortKey::desc(Expr::col("count"))]).unwrap().limit(1).unwrap();
    let q = start(&top, "complete", "top");
    q.process_all_available().unwrap();
    assert_eq!(pairs(&e, "top"), [(4, 4)]);
    q.stop();
    let err = stream.to_df(&e.spark).order_by(vec![streamlab_engine::sort::SortKey::asc(Expr::col("value"))]).unwrap()
        .write_stream().unwrap().format("console").start(None).unwrap_err();
    assert_eq!(err.to_string(), "Sorting is not supported on streaming DataFrames/Datasets, unless it is on aggregated DataFrame/Dataset in Complete output mode");
    let err = counts.limit(2).unwrap().write_stream().unwrap().format("console").output_mode("update").unwrap().start(None).unwrap_err();
    assert_eq!(err.to_string(), "Limits are not supported on streaming DataFrames/Datasets in Update output mode");
}

#[test]
fn watermark_with_trigger_once_runs() {
    // EventTimeWatermarkSuite "... with Trigger.Once (SPARK-24699)": each step adds data, then
    // one Trigger.Once run; the watermark of the previous run applies.
    let e = env();
    let stream = values_stream();
    let df = wa5(&e, &stream);
    let mut outputs = Vec::new();
    for values in [&[15][..], &[10, 12, 14], &[25], &[50], &[50]] {
        add(&stream, values);
        let q = df
            .write_stream()
            .unwrap()
            .foreach_batch(Box::new(|b, _| {
                b.create_or_replace_temp_view("once_out");
                Ok(())
            }))
            .option("checkpointLocation", "/cp-once")
            .trigger(Trigger::Once)
            .start(None)
            .unwrap();
        q.await_termination(None).unwrap();
        let p = q.last_progress().unwrap();
        let mut rows = pairs(&e, "once_out");
        rows.sort();
        outputs.push((rows, p.event_time["watermark"].clone()));
    }
    let wm = |s: i64| format!("1970-01-01T00:00:{s:02}.000Z");
    assert_eq!(
        outputs,
        [
            (vec![], wm(0)),
            (vec![], wm(5)),
            (vec![], wm(5)),
            (vec![(10, 3)], wm(15)),
            (vec![(15, 1), (25, 1)], wm(40)),
        ]
    );
}

#[test]
fn agg_takes_expressions_over_aggregates_and_keys() {
    // `agg(round(avg(x), 1), (max(x) - min(x)) + key)`: computed per key over every batch,
    // named as Spark names them.
    let e = env();
    let stream = values_stream();
    let df = stream
        .to_df(&e.spark)
        .with_column("key", Expr::col("value").rem(Expr::lit(2i64)))
        .unwrap()
        .group_by(vec![Expr::col("key")])
        .agg(vec![
            Expr::call("sum", vec![Expr::col("value")]),
            Expr::call("max", vec![Expr::col("value")]).sub(Expr::call("min", vec![Expr::col("value")])).add(Expr::col("key")).alias("spread"),
        ])
        .unwrap();
    assert_eq!(df.columns(), ["key", "sum(value)", "spread"]);
    let q = start(&df.order_by(vec![streamlab_engine::sort::SortKey::asc(Expr::col("key"))]).unwrap(), "complete", "spread");
    add(&stream, &[1, 2, 3, 10]);
    q.process_all_available().unwrap();
    add(&stream, &[7]);
    q.process_all_available().unwrap();
    let b = e.spark.table("spread").unwrap().collect().unwrap();
    let column = |i: usize| b.column(i).as_primitive::<Int64Type>().values().to_vec();
    assert_eq!(column(0), [0, 1]);
    assert_eq!(column(1), [12, 11]);
    assert_eq!(column(2), [8, 7]);

    let err = stream.to_df(&e.spark).group_by(vec![]).agg(vec![Expr::call("max", vec![Expr::col("value")]).add(Expr::col("value"))]).unwrap_err();
    assert_eq!(err.error_class.as_deref(), Some("MISSING_AGGREGATION"));
}
