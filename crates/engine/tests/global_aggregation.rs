//! Aggregations without grouping columns (`groupBy().agg(...)`, `SELECT count(*) FROM t`): one
//! row, as Spark gives, over data, over no data, and across a streaming restart.

mod common;

use common::{env, ACTIVITY_DDL};
use streamlab_engine::Trigger;
use streamlab_expr::Expr;

/// `sum(Index)` over `part-00000.json` and `part-00001.json` (computed from the files).
const SUM_OF_TWO_FILES: i64 = 49_995_000;

fn totals() -> Vec<Expr> {
    vec![Expr::call("count", vec![Expr::col("Index")]), Expr::call("sum", vec![Expr::col("Index")])]
}

#[test]
fn a_batch_global_aggregation_has_one_row() {
    let e = env().with_activity(8);
    let df = e.spark.read().schema_ddl(ACTIVITY_DDL).unwrap().json("/data/activity").unwrap();
    let shown = df.group_by(vec![]).agg(totals()).unwrap().show_string(20, 20, false).unwrap();
    assert_eq!(
        shown,
        "+------------+----------+\n|count(Index)|sum(Index)|\n+------------+----------+\n|       16006|1068513501|\n+------------+----------+\n"
    );
    // Over no rows: count 0, sum null.
    let none = df.filter(Expr::col("Index").lt(Expr::lit(0))).unwrap().group_by(vec![]).agg(totals()).unwrap();
    assert_eq!(
        none.show_string(20, 20, false).unwrap(),
        "+------------+----------+\n|count(Index)|sum(Index)|\n+------------+----------+\n|           0|      NULL|\n+------------+----------+\n"
    );
}

#[test]
fn a_streaming_global_count_survives_a_restart() {
    let e = env().with_activity(1);
    let start = || {
        let df = e.spark.read_stream().schema_ddl(ACTIVITY_DDL).unwrap().option("maxFilesPerTrigger", 1).json("/data/activity").unwrap();
        let q = df.group_by(vec![]).agg(totals()).unwrap().write_stream().unwrap().format("memory").query_name("totals")
            .output_mode("complete").unwrap().option("checkpointLocation", "/cp").trigger(Trigger::AvailableNow).start(None).unwrap();
        q.await_termination(None).unwrap();
        assert!(q.exception().is_none());
        e.spark.table("totals").unwrap().show_string(20, 20, false).unwrap()
    };
    assert!(start().contains("|        5000|  12497500|"));
    e.add_activity_file(1);
    // The restart reads the one-group state back and adds the second file (5,000 rows).
    assert!(start().contains(&format!("|       10000|{SUM_OF_TWO_FILES:>10}|")));
}
