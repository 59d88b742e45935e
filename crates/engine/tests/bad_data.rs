//! The corrupt corpus (`data/activity-bad`) through the file source in each parse mode.

mod common;

#[allow(unused_imports)]
use streamlab_storage::Storage;

use arrow::array::{Array, Float64Array, Int64Array, StringArray};
use common::{data_dir, env, ACTIVITY_DDL};
use streamlab_engine::{ErrorKind, Trigger};

fn run(mode: &str, with_corrupt_column: bool) -> (common::Env, streamlab_engine::StreamingQuery) {
    let e = env();
    let bytes = std::fs::read(data_dir().join("activity-bad/part-00000.json")).unwrap();
    e.fs.write("/bad/part-00000.json", &bytes).unwrap();
    let ddl = if with_corrupt_column { format!("{ACTIVITY_DDL}, _corrupt_record string") } else { ACTIVITY_DDL.to_string() };
    let df = e.spark.read_stream().schema_ddl(&ddl).unwrap().option("mode", mode).json("/bad").unwrap();
    let q = df.write_stream().unwrap().format("memory").query_name("bad").trigger(Trigger::AvailableNow).start(None).unwrap();
    (e, q)
}

#[test]
fn permissive_keeps_every_line_and_the_raw_text() {
    let (e, q) = run("PERMISSIVE", true);
    q.await_termination(None).unwrap();
    let all = e.spark.table("bad").unwrap().collect().unwrap();
    assert_eq!(all.num_rows(), 39);
    let corrupt = all.column_by_name("_corrupt_record").unwrap().as_any().downcast_ref::<StringArray>().unwrap();
    let bad_rows: Vec<usize> = (0..all.num_rows()).filter(|i| corrupt.is_valid(*i)).collect();
    // Lines 5, 10, 20, 25; the empty line 15 gives no row, so later rows shift up by one.
    assert_eq!(bad_rows, [4, 9, 18, 23]);
    let index = all.column_by_name("Index").unwrap().as_any().downcast_ref::<Int64Array>().unwrap();
    let x = all.column_by_name("x").unwrap().as_any().downcast_ref::<Float64Array>().unwrap();
    // Truncated line: every data column null.
    assert!(index.is_null(4) && x.is_null(4));
    // Wrong type for x: only x is null.
    assert_eq!(index.value(9), 66509);
    assert!(x.is_null(9));
    // Non-UTF-8 byte: all null, raw text with U+FFFD.
    assert!(index.is_null(18));
    assert!(corrupt.value(18).contains("nexus4\u{FFFD}1"));
    // Wrong type for Index: only Index is null.
    assert!(index.is_null(23) && x.is_valid(23));
    // Missing gt is not corrupt.
    let gt = all.column_by_name("gt").unwrap().as_any().downcast_ref::<StringArray>().unwrap();
    assert!(gt.is_null(28) && corrupt.is_null(28));
}

#[test]
fn permissive_without_the_column_keeps_the_same_rows() {
    let (e, q) = run("PERMISSIVE", false);
    q.await_termination(None).unwrap();
    assert_eq!(e.spark.table("bad").unwrap().count().unwrap(), 39);
}

#[test]
fn dropmalformed_drops_the_four_corrupt_lines() {
    let (e, q) = run("DROPMALFORMED", true);
    q.await_termination(None).unwrap();
    assert_eq!(e.spark.table("bad").unwrap().count().unwrap(), 35);
}

#[test]
fn failfast_fails_the_query_with_sparks_error() {
    let (e, q) = run("FAILFAST", true);
    let err = q.await_termination(None).unwrap_err();
    assert_eq!(err.kind, ErrorKind::StreamingQuery);
    assert_eq!(err.error_class.as_deref(), Some("STREAM_FAILED"));
    let cause = err.cause.as_deref().unwrap();
    assert_eq!(cause.error_class.as_deref(), Some("MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION"));
    assert!(cause.message.starts_with("Malformed records are detected in record parsing: "));
    assert!(cause.message.contains("Parse Mode: FAILFAST. To process malformed records as null result, try setting the option 'mode' as 'PERMISSIVE'."), "{}", cause.message);
    assert_eq!(q.exception(), Some(err));
    assert_eq!(e.spark.table("bad").unwrap().count().unwrap(), 0);
}
