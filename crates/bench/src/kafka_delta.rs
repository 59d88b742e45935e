//! The kafka-delta case: the scaled activity set's lines produced as Kafka record values, then
//! read by an `AvailableNow` Kafka stream that parses them with `from_json` and appends them to
//! a Delta table through delta-rs. Only the query is timed; producing is recorded apart.
//!
//! Why: it is the pipeline the Kafka and Delta lessons build, on the connectors a native
//! StreamLab uses (librdkafka against a real broker, delta-rs commits), at the scale of the
//! file benchmarks, so their figures compare.

use std::error::Error;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use arrow::array::{Array, Int64Array};
use arrow::datatypes::DataType;
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::producer::{BaseProducer, BaseRecord, DeliveryResult, Producer, ProducerContext};
use rdkafka::{ClientConfig, ClientContext};
use streamlab_engine::{DataFrame, SparkSession, Trigger};
use streamlab_expr::Expr;

use crate::broker::Broker;
use crate::report::KafkaDeltaResult;

/// The topic the records go to.
const TOPIC: &str = "activity";
/// Partitions of [`TOPIC`]; records are spread round-robin so each holds a quarter.
const PARTITIONS: u32 = 4;
/// The query's `maxOffsetsPerTrigger`: 1,280,480 records make 13 micro-batches.
pub const MAX_OFFSETS_PER_TRIGGER: u64 = 100_000;

/// Runs the case `runs` times against one broker holding every line of `data` (the scaled
/// set's folder), the query of run `i` writing under `work(i)`; fails unless each run's table
/// holds exactly the input's rows.
pub fn bench(data: &str, runs: usize, work: impl Fn(usize) -> String) -> Result<KafkaDeltaResult, Box<dyn Error>> {
    let broker = Broker::start()?;
    broker.create_topic(TOPIC, PARTITIONS)?;
    let (records, produce_seconds) = produce(&broker.bootstrap, Path::new(data))?;
    eprintln!("bench: kafka-delta: produced {records} records in {produce_seconds:.2} s");
    let expected = Totals::of(&streamlab_native::local_session()?.read().schema_ddl(crate::SCHEMA)?.json(data)?)?;
    if expected.rows != records as i64 {
        return Err(format!("kafka-delta: produced {records} records but the input has {} rows", expected.rows).into());
    }
    let load = crate::report::load_average();
    let mut timings = Vec::new();
    let mut batches = Vec::new();
    for run in 0..runs {
        let (seconds, batch_count, written) = run_query(&broker.bootstrap, &work(run))?;
        if written != expected {
            return Err(format!("kafka-delta run {run}: the Delta table holds {written:?}, the input {expected:?}").into());
        }
        eprintln!("bench: kafka-delta run {run}: {seconds:.2} s, {batch_count} batches, {:.0} rows/s", records as f64 / seconds);
        timings.push(seconds);
        batches.push(batch_count);
    }
    Ok(KafkaDeltaResult {
        records,
        partitions: PARTITIONS,
        max_offsets_per_trigger: MAX_OFFSETS_PER_TRIGGER,
        produce_seconds,
        timings,
        batches,
        load,
    })
}

/// Counts the records the broker did not acknowledge, so a lost record fails the bench before
/// the query runs rather than as a short table after it.
#[derive(Default)]
struct DeliveryCheck {
    failed: AtomicUsize,
    first_error: Mutex<Option<String>>,
}

impl ClientContext for DeliveryCheck {}

impl ProducerContext for DeliveryCheck {
    type DeliveryOpaque = ();

    fn delivery(&self, result: &DeliveryResult<'_>, _: ()) {
        if let Err((error, _)) = result {
            self.failed.fetch_add(1, Ordering::Relaxed);
            if let Ok(mut first) = self.first_error.lock() {
                first.get_or_insert_with(|| error.to_string());
            }
        }
    }
}

/// The `part-*.json` files of `data`, in name order (the order the file benches read them).
fn input_files(data: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(data)? {
        let path = entry?.path();
        if path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("part-") && n.ends_with(".json")) {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// The partition of the `index`-th record: round-robin, so partitions hold equal shares and
/// `maxOffsetsPerTrigger` splits evenly between them.
fn partition_of(index: usize) -> i32 {
    (index % PARTITIONS as usize) as i32
}

/// Produces every non-empty line of `data`'s files as one record value (no key) to [`TOPIC`],
/// batched (`linger.ms`), and waits until the broker acknowledged them all. Returns the record
/// count and the seconds it took.
fn produce(bootstrap: &str, data: &Path) -> Result<(usize, f64), Box<dyn Error>> {
    let producer: BaseProducer<DeliveryCheck> = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .set("linger.ms", "20")
        .set("batch.num.messages", "10000")
        .set("batch.size", "1000000")
        .set("queue.buffering.max.messages", "1000000")
        .create_with_context(DeliveryCheck::default())?;
    let start = Instant::now();
    let mut records = 0;
    for file in input_files(data)? {
        let text = std::fs::read_to_string(&file)?;
        for line in text.lines().filter(|l| !l.is_empty()) {
            let mut record = BaseRecord::<(), str>::to(TOPIC).payload(line).partition(partition_of(records));
            loop {
                match producer.send(record) {
                    Ok(()) => break,
                    Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), back)) => {
                        producer.poll(Duration::from_millis(10));
                        record = back;
                    }
                    Err((error, _)) => return Err(format!("producing record {records}: {error}").into()),
                }
            }
            records += 1;
        }
        // Serves delivery reports, which otherwise pile up until the final flush.
        producer.poll(Duration::ZERO);
    }
    producer.flush(Duration::from_secs(300))?;
    let seconds = start.elapsed().as_secs_f64();
    let failed = producer.context().failed.load(Ordering::Relaxed);
    if failed > 0 {
        let first = producer.context().first_error.lock().ok().and_then(|e| e.clone()).unwrap_or_default();
        return Err(format!("{failed} of {records} records were not delivered: {first}").into());
    }
    Ok((records, seconds))
}

/// What verifies a table against the input: rows, non-null `Index` values and their sum (a row
/// `from_json` could not parse would have a null `Index`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Totals {
    rows: i64,
    indexed: i64,
    index_sum: i64,
}

impl Totals {
    /// Read from the `Index` column of `df`'s rows. Summed here rather than with
    /// `groupBy().agg(...)`: the engine's aggregation makes no group without a key.
    fn of(df: &DataFrame) -> Result<Totals, Box<dyn Error>> {
        let batch = df.select(vec![Expr::col("Index")])?.collect()?;
        let index = batch
            .column(0)
            .as_any()
            .downcast_ref::<Int64Array>()
            .ok_or_else(|| format!("Index is {}, not a long", batch.schema().field(0).data_type()))?;
        let sum = index.iter().flatten().try_fold(0i64, i64::checked_add).ok_or("sum(Index) overflows")?;
        Ok(Totals { rows: batch.num_rows() as i64, indexed: (index.len() - index.null_count()) as i64, index_sum: sum })
    }
}

/// One timed run: the Kafka → `from_json` → Delta query under `work`, with a fresh checkpoint
/// and table. Returns its seconds, its batch count and the totals of the table it wrote.
fn run_query(bootstrap: &str, work: &str) -> Result<(f64, i64, Totals), Box<dyn Error>> {
    let spark = streamlab_native::local_session()?;
    streamlab_kafka::register(&spark);
    streamlab_delta::register(&spark);
    let parsed = kafka_rows(&spark, bootstrap)?;
    let table = format!("{work}/table");
    let start = Instant::now();
    let query = parsed
        .write_stream()?
        .format("delta")
        .option("checkpointLocation", format!("{work}/checkpoint"))
        .trigger(Trigger::AvailableNow)
        .start(Some(&table))?;
    query.await_termination(None)?;
    let seconds = start.elapsed().as_secs_f64();
    let batches = query.last_progress().map_or(0, |p| p.batch_id + 1);
    let written = Totals::of(&spark.read().format("delta").load(Some(&table))?)?;
    Ok((seconds, batches, written))
}

/// `spark.readStream.format("kafka")…load().select(from_json(col("value").cast("string"),
/// schema).alias("r")).select("r.*")`: the records' values as activity rows.
fn kafka_rows(spark: &SparkSession, bootstrap: &str) -> Result<DataFrame, Box<dyn Error>> {
    let json = Expr::call("from_json", vec![Expr::col("value").cast(DataType::Utf8), Expr::lit(crate::SCHEMA)]);
    let rows = spark
        .read_stream()
        .format("kafka")
        .option("kafka.bootstrap.servers", bootstrap)
        .option("subscribe", TOPIC)
        .option("startingOffsets", "earliest")
        .option("maxOffsetsPerTrigger", MAX_OFFSETS_PER_TRIGGER)
        .load(None)?
        .select(vec![json.alias("r")])?
        .select(vec![Expr::col("r.*")])?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_parses_record_values_into_the_activity_columns() {
        // Analysis only: the Kafka source's schema needs no broker.
        let spark = streamlab_native::local_session().unwrap();
        streamlab_kafka::register(&spark);
        let rows = kafka_rows(&spark, "127.0.0.1:9").unwrap();
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/activity");
        let files = spark.read().schema_ddl(crate::SCHEMA).unwrap().json(data.to_str().unwrap()).unwrap();
        assert_eq!(rows.schema(), files.schema());
    }

    #[test]
    fn records_go_round_robin_over_the_partitions() {
        let shares = (0..1_280_480).fold([0usize; PARTITIONS as usize], |mut shares, i| {
            shares[partition_of(i) as usize] += 1;
            shares
        });
        assert_eq!(shares, [320_120; 4]);
    }

    #[test]
    fn the_input_files_are_the_sample_parts_in_name_order() {
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/activity");
        let names: Vec<String> =
            input_files(&data).unwrap().iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(names, (0..8).map(|i| format!("part-{i:05}.json")).collect::<Vec<_>>());
    }

    #[test]
    fn totals_count_rows_and_parsed_indexes_of_the_sample() {
        // The sample's rows, read as the query's from_json reads them: every line parses.
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/activity");
        let spark = streamlab_native::local_session().unwrap();
        let df = spark.read().schema_ddl(crate::SCHEMA).unwrap().json(data.to_str().unwrap()).unwrap();
        let totals = Totals::of(&df).unwrap();
        assert_eq!(totals.rows, 16_006);
        assert_eq!(totals.indexed, 16_006);
        let by_hand: i64 = input_files(&data)
            .unwrap()
            .iter()
            .flat_map(|f| std::fs::read_to_string(f).unwrap().lines().map(index_of).collect::<Vec<_>>())
            .sum();
        assert_eq!(totals.index_sum, by_hand);
    }

    /// The `Index` value of one sample line, read without the engine.
    fn index_of(line: &str) -> i64 {
        let rest = &line[line.find("\"Index\":").unwrap() + 8..];
        rest[..rest.find(',').unwrap()].parse().unwrap()
    }
}
