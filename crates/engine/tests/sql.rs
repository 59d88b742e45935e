//! `spark.sql` behaviour beyond the golden statements: streaming SQL over temp views and
//! memory-sink tables, the catalog commands' effects, StreamLab's refusals, and robustness on
//! arbitrary text (no input may panic: the page would die).

mod common;

use streamlab_engine::{DataFrame, ErrorKind, Trigger};
use streamlab_expr::Expr;

use common::{env, Env, ACTIVITY_DDL};

fn with_events() -> Env {
    let env = env().with_activity(8);
    let events = env.spark.read_stream().schema_ddl(ACTIVITY_DDL).unwrap().json("/data/activity").unwrap();
    events.create_or_replace_temp_view("events");
    env
}

#[test]
fn streaming_select_runs_in_append_mode_and_its_sink_table_is_queryable() {
    let env = with_events();
    let spark = &env.spark;
    let standing = spark.sql("SELECT `User`, Device, Index AS i FROM events WHERE gt = 'stand' AND Index < 100").unwrap();
    assert!(standing.is_streaming());
    assert_eq!(standing.columns(), vec!["User", "Device", "i"]);
    let query = standing.write_stream().unwrap().format("memory").query_name("standing").trigger(Trigger::AvailableNow).start(None).unwrap();
    query.await_termination(None).unwrap();
    let counted = spark.sql("SELECT count(*) AS n, max(i) FROM standing").unwrap();
    assert!(!counted.is_streaming());
    assert_eq!(counted.show_string(20, 20, false).unwrap(), "+---+------+\n|  n|max(i)|\n+---+------+\n|100|    99|\n+---+------+\n");
    assert!(spark.sql("SHOW TABLES").unwrap().show_string(20, 20, false).unwrap().contains("|         | standing|       true|"));
}

#[test]
fn a_view_over_a_memory_table_reads_the_latest_rows() {
    let env = env().with_activity(1);
    let spark = &env.spark;
    spark.read_stream().option("maxFilesPerTrigger", 1).schema_ddl(ACTIVITY_DDL).unwrap().json("/data/activity").unwrap().create_or_replace_temp_view("events");
    let query = spark.sql("SELECT gt, Index FROM events").unwrap().write_stream().unwrap().format("memory").query_name("rows").start(None).unwrap();
    query.process_all_available().unwrap();
    spark.sql("CREATE TEMP VIEW latest AS SELECT count(*) AS n FROM rows").unwrap();
    assert_eq!(spark.sql("SELECT n FROM latest").unwrap().show_string(1, 20, false).unwrap(), "+----+\n|   n|\n+----+\n|5000|\n+----+\n");
    env.add_activity_file(1);
    query.process_all_available().unwrap();
    assert_eq!(spark.sql("SELECT n FROM latest").unwrap().show_string(1, 20, false).unwrap(), "+-----+\n|    n|\n+-----+\n|10000|\n+-----+\n");
    query.stop();
}

/// Runs `df` to a memory sink in `mode` over every file and returns the table's rows as
/// sorted `show()` lines.
fn run_to_memory(df: &DataFrame, name: &str, mode: &str) -> Vec<String> {
    let query = df.write_stream().unwrap().format("memory").query_name(name).output_mode(mode).unwrap().trigger(Trigger::AvailableNow).start(None).unwrap();
    query.await_termination(None).unwrap();
    let shown = df.session().table(name).unwrap().show_string(1000, 0, false).unwrap();
    let mut rows: Vec<String> = shown.lines().map(String::from).collect();
    rows.sort();
    rows
}

#[test]
fn sql_over_a_watermarked_view_runs_like_the_dataframe_api() {
    let env = with_events();
    let spark = &env.spark;
    let timed = spark.sql("SELECT CAST(Creation_Time / 1e9 AS TIMESTAMP) AS ts, gt FROM events").unwrap();
    let watermarked = timed.with_watermark("ts", "10 minutes").unwrap();
    watermarked.create_or_replace_temp_view("timed");
    let window = Expr::call("window", vec![Expr::col("ts"), Expr::lit("10 minutes")]);
    let api = watermarked.group_by(vec![window, Expr::col("gt")]).count().unwrap();
    let sql = spark.sql("SELECT window(ts, '10 minutes') AS window, gt, count(*) AS count FROM timed GROUP BY window(ts, '10 minutes'), gt").unwrap();
    assert_eq!(sql.schema_text(), api.schema_text());
    let (from_sql, from_api) = (run_to_memory(&sql, "by_sql", "append"), run_to_memory(&api, "by_api", "append"));
    assert_eq!(from_sql, from_api);
    // Append mode emits the windows the watermark (latest event 13:38 minus 10 minutes) has
    // passed: the four groups of 13:00 and 13:10, not those of 13:20 and 13:30.
    assert_eq!(from_sql.iter().filter(|r| r.contains("2015-02-23")).count(), 4, "{from_sql:#?}");
}

#[test]
fn sorting_a_streaming_aggregation_needs_complete_mode() {
    let env = with_events();
    let sorted = env.spark.sql("SELECT gt, count(*) AS n FROM events GROUP BY gt ORDER BY n DESC").unwrap();
    let err = sorted.write_stream().unwrap().format("memory").query_name("top").output_mode("update").unwrap().start(None).unwrap_err();
    assert!(err.to_string().starts_with("Sorting is not supported on streaming DataFrames/Datasets"), "{err}");
    let query = sorted.write_stream().unwrap().format("memory").query_name("top").output_mode("complete").unwrap().trigger(Trigger::AvailableNow).start(None).unwrap();
    query.await_termination(None).unwrap();
    let top = env.spark.sql("SELECT * FROM top LIMIT 2").unwrap().show_string(20, 20, false).unwrap();
    assert_eq!(top, "+--------+-----+\n|      gt|    n|\n+--------+-----+\n|   stand|10000|\n|stairsup| 1479|\n+--------+-----+\n");
    assert!(env.spark.sql("SELECT * FROM events").unwrap().count().unwrap_err().to_string().contains("writeStream.start()"));
}

#[test]
fn catalog_commands_change_the_catalog() {
    let env = env().with_activity(2);
    let spark = &env.spark;
    spark.sql("CREATE SCHEMA IF NOT EXISTS lab").unwrap();
    spark.sql("create database if not exists lab;").unwrap();
    spark.register_file_table("lab.events", "json", "/data/activity").unwrap();
    assert_eq!(spark.sql("SELECT count(*) FROM lab.events").unwrap().show_string(1, 20, false).unwrap(), "+--------+\n|count(1)|\n+--------+\n|   10000|\n+--------+\n");
    assert!(spark.sql("DROP DATABASE lab").is_err());
    spark.sql("DROP TABLE lab.events").unwrap();
    assert!(spark.file_table("lab.events").is_none());
    assert_eq!(spark.sql("SHOW TABLES IN lab").unwrap().count().unwrap(), 0);
    spark.sql("DROP SCHEMA lab").unwrap();
    assert_eq!(spark.databases(), vec!["default"]);
    spark.sql("DROP DATABASE IF EXISTS lab CASCADE").unwrap();
    spark.sql("USE default").unwrap();
    spark.sql("CREATE DATABASE other").unwrap();
    assert_eq!(spark.sql("USE other").unwrap_err().kind, ErrorKind::UnsupportedOperation);
    spark.sql("SET streamlab.lesson = one two").unwrap();
    let all = spark.sql("SET").unwrap().show_string(20, 0, false).unwrap();
    assert!(all.contains("|streamlab.lesson|one two|"), "{all}");
    assert_eq!(spark.conf_get("streamlab.lesson").unwrap(), "one two");
    assert_eq!(spark.sql("SET a b").unwrap_err().error_class.as_deref(), Some("INVALID_SET_SYNTAX"));
}

#[test]
fn statements_streamlab_does_not_run_are_named_in_errors() {
    let env = env().with_activity(1);
    let spark = &env.spark;
    spark.read().schema_ddl(ACTIVITY_DDL).unwrap().json("/data/activity").unwrap().create_or_replace_temp_view("t");
    let insert = spark.sql("INSERT INTO t SELECT * FROM t").unwrap_err();
    assert_eq!(insert.kind, ErrorKind::Analysis);
    assert!(insert.to_string().starts_with("The statement `INSERT INTO` is not supported by StreamLab's spark.sql"), "{insert}");
    let table = spark.sql("CREATE TABLE x (a INT) USING parquet").unwrap_err();
    assert!(table.to_string().starts_with("The statement `CREATE TABLE`"), "{table}");
    for (sql, what) in [
        ("SELECT gt FROM t UNION ALL SELECT gt FROM t", "UNION ALL"),
        ("SELECT * FROM t WHERE Index IN (SELECT Index FROM t)", "a subquery in an expression"),
        ("SELECT sum(x) OVER (PARTITION BY gt) FROM t", "a window function (OVER)"),
        ("CREATE VIEW v AS SELECT 1", "a view that is not a TEMPORARY VIEW"),
    ] {
        let err = spark.sql(sql).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Parse, "{sql}");
        assert!(err.to_string().starts_with(&format!("[UNSUPPORTED_FEATURE] The feature is not supported: {what} in StreamLab's SQL.(line 1, pos ")), "{err}");
    }
}

/// Odd inputs a notebook cell may hold: each must give a DataFrame or an error, never a panic.
#[test]
fn no_input_panics() {
    let env = env().with_activity(1).with_activity_view();
    let spark = &env.spark;
    // 20 rows: the engine joins on expressions by testing every pair of rows.
    spark.sql("CREATE TEMPORARY VIEW t AS SELECT * FROM activity LIMIT 20").unwrap();
    let mut corpus: Vec<String> = [
        "", " ", ";", ";;;", "\n\n", "--", "-- only a comment", "/*", "/* open", "*/", "'", "\"", "`", "``", "`a``b`",
        "select", "select from", "select * from", "select *, from t", "select 1,", "select (", "select )", "select 1 +",
        "select 'unterminated", "select \"x", "select `x", "SELECT 1e99999", "SELECT -1e99999D", "SELECT 99999999999999999999999999999999999999999",
        "SELECT 128Y", "SELECT 1BD", "SELECT 0x", "SELECT X'GG'", "SELECT DATE 'nope'", "SELECT TIMESTAMP ''", "SELECT INTERVAL 1 DAY",
        "SELECT CAST(1 AS nope)", "SELECT CAST(1 AS ARRAY<)", "SELECT * FROM t t t", "SELECT t.* FROM t u", "SELECT nope.* FROM t",
        "SELECT *.* FROM t", "SELECT a.b.c.d.e FROM t", "SELECT gt FROM t GROUP BY 0", "SELECT gt FROM t GROUP BY -1", "SELECT gt FROM t GROUP BY 99999999999",
        "SELECT gt FROM t ORDER BY 0", "SELECT gt FROM t ORDER BY 2", "SELECT * FROM t LIMIT -1", "SELECT * FROM t LIMIT 1.5", "SELECT * FROM t LIMIT x",
        "SELECT * FROM t LIMIT 1 OFFSET 1", "SELECT count(*) FROM t HAVING gt = 'a'", "SELECT sum(count(*)) FROM t", "SELECT count(DISTINCT) FROM t",
        "SELECT upper(DISTINCT gt) FROM t", "SELECT x FROM t WHERE count(*) > 1", "SELECT * FROM t JOIN t USING (nope)", "SELECT * FROM t NATURAL JOIN t",
        "SELECT * FROM t a JOIN t b ON a.Index = b.Index JOIN t c ON c.Index = a.Index", "SELECT * FROM t FULL JOIN t u ON 1 = 1 LIMIT 1",
        "SELECT * FROM (SELECT * FROM t) AS s(a, b)", "SELECT * FROM t, t", "WITH RECURSIVE r AS (SELECT 1) SELECT * FROM r", "WITH a AS (SELECT 1) SELECT * FROM a, a",
        "SELECT 1 FROM t WHERE 1", "SELECT * FROM t WHERE gt", "SELECT CASE END", "SELECT CASE WHEN THEN END", "SELECT x IS", "SELECT a.* FROM t AS a",
        "SHOW", "SHOW TABLES LIKE 'x'", "SHOW TABLES IN a.b", "DESCRIBE", "DESCRIBE a.b.c", "DESC TABLE t", "DESCRIBE EXTENDED t",
        "CREATE DATABASE", "CREATE DATABASE a.b", "CREATE DATABASE d LOCATION '/x'", "DROP", "DROP DATABASE", "DROP VIEW a, b", "DROP TABLE a.b.c", "DROP INDEX i",
        "CREATE TEMP VIEW v", "CREATE TEMP VIEW v AS", "CREATE TEMP VIEW v(a) AS SELECT 1", "CREATE GLOBAL TEMP VIEW v AS SELECT 1", "CREATE TEMP VIEW a.b AS SELECT 1",
        "SET", "SET =", "SET a=", "SET =b", "SET a=b;c", "SET -v", "SET TIME ZONE 'UTC'", "set\tx", "USE", "USE a.b", "USE nope",
        "INSERT INTO t VALUES (1)", "DELETE FROM t", "TRUNCATE TABLE t", "ALTER TABLE t ADD COLUMNS (y INT)", "EXPLAIN SELECT 1", "VALUES (1)",
        "SELECT 1; SELECT 2;", "SELECT 1;;SELECT 2", "select 'é', `ü` from t", "select '\u{0}'", "SELECT \u{feff}1", "SELECT x'AB', 2 || 3, 7 DIV 0, 1 / 0",
        "SELECT struct(1 AS a).a, array(1, 2)[5], map('k', 1)['k'], named_struct('a', 1).b", "SELECT current_timestamp, current_date()",
        "SELECT window(Arrival_Time, '10 minutes') FROM t", "SELECT gt FROM t GROUP BY window(CAST(Arrival_Time AS TIMESTAMP), 'nope')",
        "SELECT trim(BOTH 'x' FROM gt), substring(gt FROM 2 FOR 1), position('a' IN gt), ceil(x, 2), floor(x TO DAY) FROM t",
        "SELECT ~Index, +x, -(-x), !true, NOT NOT true, x <=> NULL, Index & 1 | 2 ^ 3 FROM t", "SELECT x FROM t ORDER BY x USING <",
        "SELECT * FROM t TABLESAMPLE (10 PERCENT)", "SELECT * FROM t FOR UPDATE", "SELECT TOP 1 * FROM t", "SELECT * FROM generate_series(1, 3)",
        "SELECT * FROM (VALUES (1)) v", "SELECT * EXCEPT (x) FROM t", "SELECT x AS (a, b) FROM t", "SELECT * FROM t LATERAL VIEW explode(array(1)) e",
        "SELECT gt, count(*) FROM t GROUP BY ROLLUP (gt)", "SELECT gt, count(*) FROM t GROUP BY ALL", "SELECT * FROM t ORDER BY ALL",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    corpus.push(format!("SELECT {}1{}", "(".repeat(500), ")".repeat(500)));
    corpus.push(format!("SELECT {}", vec!["x"; 5000].join(" + ")));
    corpus.push(format!("SELECT * FROM t WHERE {}", vec!["x > 0"; 3000].join(" AND ")));
    corpus.push(format!("SELECT {}1", "NOT ".repeat(3000)));
    corpus.push(format!("SELECT {}1", "- ".repeat(3000)));
    corpus.push(format!("SELECT {} END", "CASE WHEN true THEN ".repeat(300)));
    corpus.push(format!("SELECT {}", vec!["upper("; 400].concat() + "gt" + &")".repeat(400)));
    corpus.push(format!("{} SELECT 1", vec!["SELECT 1 UNION"; 2000].join(" ")));
    corpus.push(format!("SELECT {} FROM t", vec!["x"; 3000].join(", ")));
    corpus.push("SELECT ".to_string() + &"a".repeat(100_000));
    for bytes in [&[0xf0, 0x9f, 0x98, 0x80][..], b"\x01\x02\x7f", b"\t\r\n\x0b\x0c"] {
        corpus.push(format!("SELECT '{}' FROM t", String::from_utf8_lossy(bytes)));
    }
    for sql in &corpus {
        if let Ok(df) = spark.sql(sql) {
            let _ = df.show_string(5, 20, false);
        }
    }
}

#[test]
fn window_fields_and_keywords_after_a_dot_are_field_names() {
    let env = env().with_activity(1).with_activity_view();
    let spark = &env.spark;
    let windows = spark
        .sql("SELECT w.window.start, w.window.end, w.n FROM (SELECT window(CAST(Creation_Time / 1e9 AS TIMESTAMP), '10 minutes'), count(*) AS n FROM activity GROUP BY 1) w ORDER BY 1")
        .unwrap();
    assert_eq!(windows.columns(), vec!["start", "end", "n"]);
    assert_eq!(
        windows.show_string(20, 20, false).unwrap(),
        "+-------------------+-------------------+----+\n|              start|                end|   n|\n+-------------------+-------------------+----+\n|2015-02-23 13:00:00|2015-02-23 13:10:00|5000|\n+-------------------+-------------------+----+\n"
    );
}

#[test]
fn keywords_are_column_names_where_an_expression_starts_as_in_spark() {
    let env = env().with_activity(1).with_activity_view();
    let spark = &env.spark;
    spark.sql("CREATE TEMP VIEW t AS SELECT gt AS `order`, Index AS `end` FROM activity WHERE Index < 2").unwrap();
    let rows = spark.sql("SELECT order, end, order = 'stand' AND end > 0 AS later FROM t ORDER BY end").unwrap();
    assert_eq!(rows.columns(), vec!["order", "end", "later"]);
    assert_eq!(
        rows.show_string(20, 20, false).unwrap(),
        "+-----+---+-----+\n|order|end|later|\n+-----+---+-----+\n|stand|  0|false|\n|stand|  1| true|\n+-----+---+-----+\n"
    );
    // As Spark: `SELECT FROM t` selects a column named FROM, which does not exist.
    let error = spark.sql("SELECT FROM t").unwrap_err();
    assert!(error.headline().contains("A column or function parameter with name `FROM` cannot be resolved"), "{}", error.headline());
}
