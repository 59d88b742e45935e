//! The queries the crash tests kill: the activity stream (one file per trigger) into each
//! sink (Parquet, Delta, Kafka), and a windowed count in complete and update mode.

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
    /// The activity lines as they are (`readStream.text`) into a Kafka topic
    /// ([`KafkaTarget`]), keyed by their `Index`.
    Kafka,
}

impl Scenario {
    /// The scenario named `parquet`, `delta`, `window-complete`, `window-update` or `kafka`.
    ///
    /// ```
    /// use streamlab_crashtest::scenario::Scenario;
    /// assert_eq!(Scenario::parse("window-update"), Some(Scenario::WindowUpdate));
    /// assert_eq!(Scenario::parse("kafka"), Some(Scenario::Kafka));
    /// ```
    pub fn parse(name: &str) -> Option<Scenario> {
        match name {
            "parquet" => Some(Scenario::Parquet),
            "delta" => Some(Scenario::Delta),
            "window-complete" => Some(Scenario::WindowComplete),
            "window-update" => Some(Scenario::WindowUpdate),
            "kafka" => Some(Scenario::Kafka),
            _ => None,
        }
    }
}

/// The broker and topic the [`Scenario::Kafka`] query writes to. The driver starts the broker
/// and creates one topic per run directory, so the worker learns both from its environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KafkaTarget {
    /// `host:port` for `kafka.bootstrap.servers`.
    pub bootstrap: String,
    /// The topic every record goes to.
    pub topic: String,
}

impl KafkaTarget {
    /// The variable holding the bootstrap servers.
    pub const BOOTSTRAP_VAR: &'static str = "STREAMLAB_CRASH_KAFKA_BOOTSTRAP";
    /// The variable holding the topic.
    pub const TOPIC_VAR: &'static str = "STREAMLAB_CRASH_KAFKA_TOPIC";

    /// The target named by [`Self::BOOTSTRAP_VAR`] and [`Self::TOPIC_VAR`], when both are set.
    pub fn from_env() -> Option<KafkaTarget> {
        Some(KafkaTarget { bootstrap: std::env::var(Self::BOOTSTRAP_VAR).ok()?, topic: std::env::var(Self::TOPIC_VAR).ok()? })
    }
}

/// A session whose working directory is `dir`, writing through `storage`, with the native
/// Delta and Kafka connectors registered.
pub fn session(storage: Arc<dyn Storage>) -> SparkSession {
    let spark = SparkSession::new(storage, Rc::new(SystemClock), Rc::new(BufferedOutput::default()));
    spark.conf_set("spark.sql.session.timeZone", "UTC");
    streamlab_delta::register(&spark);
    streamlab_kafka::register(&spark);
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

/// The activity lines, one file per trigger, as `value` with their `Index` as `key`: the
/// records carry the input bytes unchanged, so the topic compares line for line with it.
fn activity_records(spark: &SparkSession) -> Result<DataFrame> {
    let lines = spark.read_stream().option("maxFilesPerTrigger", 1).text("in")?;
    lines.select_expr(&[r#"regexp_extract(value, '"Index":([0-9]+)', 1) AS key"#, "value"])
}

/// Runs `scenario` on `spark` until every input file is processed; `kafka` is where
/// [`Scenario::Kafka`] writes (the other scenarios write to `out/`).
pub fn run(spark: &SparkSession, scenario: Scenario, kafka: Option<&KafkaTarget>) -> Result<()> {
    let mut path = Some("out");
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
        Scenario::Kafka => {
            let target = kafka.ok_or_else(|| {
                SparkError::illegal_argument(format!(
                    "the kafka scenario needs {} and {}",
                    KafkaTarget::BOOTSTRAP_VAR,
                    KafkaTarget::TOPIC_VAR
                ))
            })?;
            path = None;
            activity_records(spark)?
                .write_stream()?
                .format("kafka")
                .option("kafka.bootstrap.servers", &target.bootstrap)
                .option("topic", &target.topic)
        }
    };
    let query = writer.option("checkpointLocation", "cp").trigger(Trigger::AvailableNow).start(path)?;
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
