//! Stream-static joins: enriching the activity stream with a static device table.

mod common;

use std::sync::Arc;

use arrow::array::{AsArray, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use common::{env, ACTIVITY_DDL};
use streamlab_engine::join::JoinCondition;
use streamlab_engine::{DataFrame, ErrorKind, Trigger};
use streamlab_expr::Expr;

fn activities(e: &common::Env) -> DataFrame {
    e.spark.read_stream().schema_ddl(ACTIVITY_DDL).unwrap().option("maxFilesPerTrigger", 1).json("/data/activity").unwrap()
        .select_expr(&["gt", "Index"]).unwrap()
}

fn labels(e: &common::Env) -> DataFrame {
    let schema = Arc::new(Schema::new(vec![Field::new("gt", DataType::Utf8, true), Field::new("label", DataType::Utf8, true)]));
    let batch = RecordBatch::try_new(
        schema.clone(),
        vec![
            Arc::new(StringArray::from(vec!["stand", "sit", "walk", "unused"])),
            Arc::new(StringArray::from(vec!["debout", "assis", "marche", "jamais"])),
        ],
    )
    .unwrap();
    e.spark.create_dataframe(schema, vec![batch])
}

fn run(e: &common::Env, df: &DataFrame) -> RecordBatch {
    let q = df.write_stream().unwrap().format("memory").query_name("joined").trigger(Trigger::AvailableNow).start(None).unwrap();
    q.await_termination(None).unwrap();
    e.spark.table("joined").unwrap().collect().unwrap()
}

/// Rows per label value (`None` for null), sorted.
fn label_counts(batch: &RecordBatch, column: &str) -> Vec<(Option<String>, usize)> {
    let col = batch.column_by_name(column).unwrap().as_string::<i32>();
    let mut counts = std::collections::BTreeMap::new();
    for v in col.iter() {
        *counts.entry(v.map(str::to_string)).or_insert(0) += 1;
    }
    counts.into_iter().collect()
}

#[test]
fn inner_join_using_a_column() {
    let e = env().with_activity(8);
    let joined = activities(&e).join(&labels(&e), JoinCondition::Using(vec!["gt".into()]), "inner").unwrap();
    assert_eq!(joined.columns(), ["gt", "Index", "label"]);
    let out = run(&e, &joined);
    assert_eq!(
        label_counts(&out, "label"),
        [(Some("assis".into()), 1001), (Some("debout".into()), 10_000), (Some("marche".into()), 1001)]
    );
}

#[test]
fn left_outer_keeps_unmatched_stream_rows() {
    let e = env().with_activity(8);
    let joined = activities(&e).join(&labels(&e), JoinCondition::Using(vec!["gt".into()]), "left_outer").unwrap();
    let out = run(&e, &joined);
    assert_eq!(out.num_rows(), 16_006);
    assert_eq!(label_counts(&out, "label")[0], (None, 16_006 - 12_002));
}

#[test]
fn semi_and_anti_joins_keep_left_columns() {
    let e = env().with_activity(8);
    let anti = activities(&e).join(&labels(&e), JoinCondition::Using(vec!["gt".into()]), "left_anti").unwrap();
    assert_eq!(anti.columns(), ["gt", "Index"]);
    let out = run(&e, &anti);
    assert_eq!(
        label_counts(&out, "gt"),
        [(Some("bike".into()), 1001), (Some("null".into()), 1001), (Some("stairsdown".into()), 523), (Some("stairsup".into()), 1479)]
    );
}

#[test]
fn join_on_an_expression() {
    let e = env().with_activity(3);
    let renamed = labels(&e).with_column_renamed("gt", "activity").unwrap();
    let joined = activities(&e)
        .join(&renamed, JoinCondition::Expr(Expr::col("gt").eq(Expr::col("activity"))), "inner")
        .unwrap();
    assert_eq!(joined.columns(), ["gt", "Index", "activity", "label"]);
    let out = run(&e, &joined);
    assert_eq!(out.num_rows(), 11_001);
}

#[test]
fn unsupported_stream_static_joins_are_refused() {
    let e = env().with_activity(1);
    let on = || JoinCondition::Using(vec!["gt".into()]);
    let err = activities(&e).join(&labels(&e), on(), "right").err().unwrap();
    assert_eq!(err.to_string(), "RightOuter join with a streaming DataFrame/Dataset on the left and a static DataFrame/DataSet on the right not supported");
    let err = activities(&e).join(&labels(&e), on(), "full").err().unwrap();
    assert_eq!(err.to_string(), "FullOuter joins with streaming DataFrames/Datasets on the left and a static DataFrame/Dataset on the right is not supported");
    let err = labels(&e).join(&activities(&e), on(), "left").err().unwrap();
    assert_eq!(err.to_string(), "LeftOuter join with a streaming DataFrame/Dataset on the right and a static DataFrame/Dataset on the left is not supported");
    let err = activities(&e).join(&labels(&e), on(), "sideways").err().unwrap();
    assert_eq!(err.kind, ErrorKind::Analysis);
    let err = activities(&e).join(&labels(&e), JoinCondition::Using(vec!["nope".into()]), "inner").err().unwrap();
    assert_eq!(err.error_class.as_deref(), Some("UNRESOLVED_USING_COLUMN_FOR_JOIN"));
}

#[test]
fn right_and_full_outer_joins_keep_the_rows_only_one_side_has() {
    // Static joins (PySpark): `labels` right/full-joined to a small static table of activities.
    let e = env();
    let schema = Arc::new(Schema::new(vec![Field::new("gt", DataType::Utf8, true), Field::new("n", DataType::Utf8, true)]));
    let batch = RecordBatch::try_new(
        schema.clone(),
        vec![Arc::new(StringArray::from(vec![Some("stand"), Some("bike"), None])), Arc::new(StringArray::from(vec!["1", "2", "3"]))],
    )
    .unwrap();
    let seen = e.spark.create_dataframe(schema, vec![batch]);
    let rows = |df: DataFrame| -> Vec<String> {
        let b = df.collect().unwrap();
        let mut rows: Vec<String> = (0..b.num_rows())
            .map(|r| b.columns().iter().map(|c| streamlab_types::show::cell_to_string(c.as_ref(), r)).collect::<Vec<_>>().join(","))
            .collect();
        rows.sort();
        rows
    };
    let using = || JoinCondition::Using(vec!["gt".into()]);
    // USING: the key comes from whichever side has the row.
    assert_eq!(rows(seen.join(&labels(&e), using(), "right").unwrap()), ["sit,NULL,assis", "stand,1,debout", "unused,NULL,jamais", "walk,NULL,marche"]);
    assert_eq!(
        rows(seen.join(&labels(&e), using(), "full").unwrap()),
        ["NULL,3,NULL", "bike,2,NULL", "sit,NULL,assis", "stand,1,debout", "unused,NULL,jamais", "walk,NULL,marche"]
    );
    // A condition: row n=2 matches every label but `jamais` (3 rows), rows 1 and 3 match none
    // (null labels), and `unused` is a right-only row (null n).
    let on = JoinCondition::Expr(streamlab_expr::parse_expression("n = '2' AND label <> 'jamais'").unwrap());
    assert_eq!(
        rows(seen.select_expr(&["n"]).unwrap().join(&labels(&e), on, "full").unwrap()),
        ["1,NULL,NULL", "2,sit,assis", "2,stand,debout", "2,walk,marche", "3,NULL,NULL", "NULL,unused,jamais"]
    );
}
