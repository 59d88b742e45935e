//! `spark.sql` against what real PySpark 3.5.9 answered (tests/golden/sql/generate.py):
//! results (column names, types, nullability and `show()` text) and errors (exception, error
//! class, message) of each statement in order, and the lesson's streaming SQL end to end.

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use arrow::array::StringArray;
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use serde_json::Value;
use streamlab_engine::{DataFrame, SparkSession, Trigger};
use streamlab_types::ddl::simple_string;

use common::{env, ACTIVITY_DDL};

fn golden(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/sql").join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn columns(df: &DataFrame) -> Value {
    let fields = df.schema().fields().iter().map(|f| serde_json::json!([f.name(), simple_string(f.data_type()), f.is_nullable()])).collect();
    Value::Array(fields)
}

/// `show()` text with the data rows sorted, for results whose row order Spark leaves open.
fn sorted_rows(show: &str) -> String {
    let lines: Vec<&str> = show.lines().collect();
    if lines.len() < 4 {
        return show.to_string();
    }
    let (head, rest) = lines.split_at(3);
    let (rows, tail) = rest.split_at(rest.len() - 1);
    let mut rows = rows.to_vec();
    rows.sort_unstable();
    [head, &rows, tail].concat().join("\n")
}

/// The golden set-up: the activity files as the static view `activity`, the `models` view,
/// and database `lab` with the JSON table `lab.events`.
fn session() -> SparkSession {
    let env = env().with_activity(8).with_activity_view();
    let spark = env.spark;
    let schema = Arc::new(Schema::new(vec![Field::new("Model", DataType::Utf8, true), Field::new("Maker", DataType::Utf8, true)]));
    let batch = RecordBatch::try_new(
        schema.clone(),
        vec![Arc::new(StringArray::from(vec!["nexus4", "s3"])), Arc::new(StringArray::from(vec!["LG", "Samsung"]))],
    )
    .unwrap();
    spark.create_dataframe(schema, vec![batch]).create_or_replace_temp_view("models");
    spark.create_database("lab", false).unwrap();
    spark.register_file_table("lab.events", "json", "/data/activity").unwrap();
    spark
}

#[test]
fn statements_match_spark() {
    let spark = session();
    let golden = golden("cases.json");
    let mut failures = Vec::new();
    for case in golden["cases"].as_array().unwrap() {
        let sql = case["sql"].as_str().unwrap();
        let ordered = case["ordered"].as_bool().unwrap();
        let got = spark.sql(sql).and_then(|df| Ok((columns(&df), df.show_string(100, 20, false)?)));
        match (&case["error"], got) {
            (Value::Null, Ok((cols, show))) => {
                let want = case["show"].as_str().unwrap();
                let (show, want) = if ordered { (show, want.to_string()) } else { (sorted_rows(&show), sorted_rows(want)) };
                if cols != case["columns"] || show != want {
                    failures.push(format!("{sql}\n  columns: {cols}\n     want: {}\n{show}\nwant:\n{want}", case["columns"]));
                }
            }
            (Value::Null, Err(e)) => failures.push(format!("{sql}\n  unexpected error: {}", e.headline())),
            (want, Ok(_)) => failures.push(format!("{sql}\n  expected error {want}")),
            (want, Err(e)) => {
                let got = serde_json::json!({"exception": e.kind.exception_name(), "class": e.error_class, "message": without_plan(&e.to_string())});
                if &got != want {
                    failures.push(format!("{sql}\n  got  {got}\n  want {want}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} of {} statements differ from Spark:\n\n{}", failures.len(), golden["cases"].as_array().unwrap().len(), failures.join("\n\n"));
}

#[test]
fn streaming_sql_matches_spark() {
    let env = env().with_activity(8);
    let spark = &env.spark;
    let stream = spark.read_stream().schema_ddl(ACTIVITY_DDL).unwrap().json("/data/activity").unwrap();
    stream.create_or_replace_temp_view("events");
    for q in golden("streaming.json")["queries"].as_array().unwrap() {
        let sql = q["sql"].as_str().unwrap();
        let df = spark.sql(sql).unwrap();
        assert_eq!(Value::Bool(df.is_streaming()), q["is_streaming"], "{sql}");
        assert_eq!(columns(&df), q["columns"], "{sql}");
        let query = df
            .write_stream()
            .unwrap()
            .format("memory")
            .query_name(q["query_name"].as_str().unwrap())
            .output_mode("complete")
            .unwrap()
            .trigger(Trigger::AvailableNow)
            .start(None)
            .unwrap();
        query.await_termination(None).unwrap();
        let read_back = spark.sql(q["read_back"].as_str().unwrap()).unwrap();
        assert!(!read_back.is_streaming());
        assert_eq!(read_back.show_string(100, 20, false).unwrap(), q["show"].as_str().unwrap(), "{sql}");
    }
}

/// An analysis error's message without the plan after its `;\n`, cut as the generator cuts
/// Spark's (StreamLab's plan text has no expression ids to compare).
fn without_plan(message: &str) -> String {
    message.split(";\n").next().unwrap_or(message).to_string()
}
