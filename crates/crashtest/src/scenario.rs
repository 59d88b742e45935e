//! The queries the crash tests kill: the activity stream (one file per trigger) into each
//! sink, and a windowed count in complete and update mode.

use std::rc::Rc;
use std::sync::Arc;

use arrow::array::{Array, AsArray};
use arrow::datatypes::{Int64Type, TimestampMicrosecondType};
use streamlab_engine::output::BufferedOutput;
use streamlab_engine::{DataFrame, SparkSession, Trigger};
use streamlab_expr::{parse_expression, Expr};
use streamlab_native::{LocalStorage, SystemClock};
use streamlab_storage::Storage;
use streamlab_types::{Result, SparkError};

/// The activity files' schema.
const ACTIVITY_DDL: &str = "Arrival_Time long, Creation_Time long, Device string, Index long, Model string, User string, gt string, x double, y double, z double";

/// A query to run to completion in `<dir>`: input in `in/`, checkpoint in `cp/`, output in
/// `out/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    /// The rows into the Parquet file sink.
    Parquet,
    /// The rows into the Delta sink (delta-rs).
    Delta,
    /// Counts per 10-minute window and activity, complete mode, into the Delta sink.
    WindowComplete,
    /// The same counts in update mode, each batch's changed rows to `out/updates/<batch>.txt`
    /// through `foreachBatch`.
    WindowUpdate,
}

impl Scenario {
    /// The scenario named `parquet`, `delta`, `window-complete` or `window-update`.
    ///
    /// ```
    /// use streamlab_crashtest::scenario::Scenario;
    /// assert_eq!(Scenario::parse("window-update"), Some(Scenario::WindowUpdate));
    /// ```
    pub fn parse(name: &str) -> Option<Scenario> {
        match name {
            "parquet" => Some(Scenario::Parquet),
            "delta" => Some(Scenario::Delta),
            "window-complete" => Some(Scenario::WindowComplete),
            "window-update" => Some(Scenario::WindowUpdate),
            _ => None,
        }
    }
}

/// A session whose working directory is `dir`, writing through `storage`, with the native
/// Delta sink registered.
pub fn session(storage: Arc<dyn Storage>) -> SparkSession {
    let spark = SparkSession::new(storage, Rc::new(SystemClock), Rc::new(BufferedOutput::default()));
    spark.conf_set("spark.sql.session.timeZone", "UTC");
    streamlab_delta::register(&spark);
    spark
}

/// The local disk at `dir`.
pub fn local(dir: &str) -> Arc<dyn Storage> {
    Arc::new(LocalStorage::new(dir))
}

fn activity(spark: &SparkSession) -> Result<DataFrame> {
    spark.read_stream().schema_ddl(ACTIVITY_DDL)?.option("maxFilesPerTrigger", 1).json("in")
}

/// Counts per 10-minute window (of whole seconds of `Arrival_Time`, ms) and `gt`.
fn windowed_counts(spark: &SparkSession) -> Result<DataFrame> {
    let timed = activity(spark)?.with_column("event_time", parse_expression("CAST(FLOOR(Arrival_Time / 1000) AS TIMESTAMP)")?)?;
    let window = Expr::call("window", vec![Expr::col("event_time"), Expr::lit("10 minutes")]);
    timed.group_by(vec![window, Expr::col("gt")]).count()
}

/// Runs `scenario` on `spark` until every input file is processed.
pub fn run(spark: &SparkSession, scenario: Scenario) -> Result<()> {
    let writer = match scenario {
        Scenario::Parquet => activity(spark)?.write_stream()?.format("parquet"),
        Scenario::Delta => activity(spark)?.write_stream()?.format("delta"),
        Scenario::WindowComplete => windowed_counts(spark)?.write_stream()?.format("delta").output_mode("complete")?,
        Scenario::WindowUpdate => {
            let storage = spark.storage().clone();
            windowed_counts(spark)?.write_stream()?.output_mode("update")?.foreach_batch(Box::new(move |df, id| {
                let text = update_lines(&df)?;
                storage.write_atomic(&format!("out/updates/{id:05}.txt"), text.as_bytes())
            }))
        }
    };
    let query = writer.option("checkpointLocation", "cp").trigger(Trigger::AvailableNow).start(Some("out"))?;
    query.await_termination(None)?;
    match query.exception() {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// One line per row: `<window start, µs>|<gt>|<count>`.
fn update_lines(df: &DataFrame) -> Result<String> {
    let batch = df.collect()?;
    let invalid = || SparkError::runtime("unexpected columns in the windowed counts");
    let window = batch.column(0).as_struct_opt().ok_or_else(invalid)?;
    let starts = window.column(0).as_primitive_opt::<TimestampMicrosecondType>().ok_or_else(invalid)?;
    let gt = batch.column(1).as_string_opt::<i32>().ok_or_else(invalid)?;
    let counts = batch.column(2).as_primitive_opt::<Int64Type>().ok_or_else(invalid)?;
    let mut text = String::new();
    for i in 0..batch.num_rows() {
        let activity = if gt.is_null(i) { "null" } else { gt.value(i) };
        text.push_str(&format!("{}|{activity}|{}\n", starts.value(i), counts.value(i)));
    }
    Ok(text)
}
