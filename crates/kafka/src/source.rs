//! `spark.readStream.format("kafka")`: Spark's `KafkaMicroBatchStream`, batch by batch.
//!
//! * **Initial offsets** come from `startingOffsets` the first time a query runs and are kept
//!   in `<checkpoint>/sources/<i>/0` in Spark's `KafkaSourceInitialOffsetWriter` form (a zero
//!   byte, `v1\n`, the JSON), so a restart before the first batch starts at the same place.
//! * **End offsets** of a batch are the partitions' latest offsets, cut by
//!   `maxOffsetsPerTrigger` in proportion to what each partition has waiting (Spark's
//!   `rateLimit`); `Trigger.AvailableNow` fixes the latest offsets once, at start.
//! * **Offsets** are JSON in Spark's key order ([`crate::offsets`]); progress reports the
//!   batch's start and end offsets and the latest offsets seen (`latestOffset`).
//! * **Data loss** (partitions deleted, offsets that went backwards because a topic was
//!   recreated, records gone) fails the query with Spark's `IllegalStateException` text when
//!   `failOnDataLoss` is true (the default), and is a WARN line otherwise; the query then goes
//!   on from what is there.

use std::collections::BTreeSet;
use std::rc::Rc;
use std::sync::Arc;

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use streamlab_engine::connector::SourceProvider;
use streamlab_engine::output::{Level, Output};
use streamlab_engine::source::{ReadLimit, Source, SourceContext, SourceSpec};
use streamlab_storage::{join, Storage};
use streamlab_types::{ErrorKind, Result, SparkError};

use crate::client::Reader;
use crate::offsets::{set_text, OffsetsJson, PartitionOffsets, TopicPartition, EARLIEST, LATEST};
use crate::options::{SourceOptions, StartingOffsets};
use crate::schema::{kafka_schema, to_batch};

/// Appended to a data-loss message when `failOnDataLoss` is true (Spark's
/// `INSTRUCTION_FOR_FAIL_ON_DATA_LOSS_TRUE`, a Scala `stripMargin` text).
pub const FAIL_ON_DATA_LOSS_TRUE: &str = "\nSome data may have been lost because they are not available in Kafka any more; either the\n data was aged out by Kafka or the topic may have been deleted before all the data in the\n topic was processed. If you don't want your streaming query to fail on such cases, set the\n source option \"failOnDataLoss\" to \"false\".\n    ";

/// Appended to a data-loss warning when `failOnDataLoss` is false.
pub const FAIL_ON_DATA_LOSS_FALSE: &str = "\nSome data may have been lost because they are not available in Kafka any more; either the\n data was aged out by Kafka or the topic may have been deleted before all the data in the\n topic was processed. If you want your streaming query to fail on such cases, set the source\n option \"failOnDataLoss\" to \"true\".\n    ";

/// Registers as `format("kafka")` for `readStream` ([`crate::register`]).
#[derive(Debug, Default, Clone, Copy)]
pub struct KafkaSourceProvider;

impl SourceProvider for KafkaSourceProvider {
    fn schema(&self, options: &[(String, String)], user_schema: Option<&SchemaRef>) -> Result<SchemaRef> {
        let parsed = SourceOptions::parse(options)?;
        if user_schema.is_some() {
            return Err(SparkError::illegal_argument(
                "requirement failed: Kafka source has a fixed schema and cannot be set with a custom one",
            ));
        }
        Ok(kafka_schema(parsed.include_headers))
    }

    fn create(&self, spec: &SourceSpec, ctx: SourceContext) -> Result<Box<dyn Source>> {
        Ok(Box::new(KafkaSource::new(SourceOptions::parse(&spec.options)?, ctx)?))
    }
}

/// The live source of one query.
pub struct KafkaSource {
    options: SourceOptions,
    reader: Reader,
    storage: Arc<dyn Storage>,
    output: Rc<dyn Output>,
    metadata_dir: String,
    initial: Option<PartitionOffsets>,
    latest: Option<PartitionOffsets>,
    available_now: bool,
    available_now_latest: Option<PartitionOffsets>,
}

impl KafkaSource {
    /// The source for `options`, keeping its initial offsets under `ctx.metadata_dir`.
    pub fn new(options: SourceOptions, ctx: SourceContext) -> Result<KafkaSource> {
        let reader = Reader::new(&options.kafka_params, options.api_timeout)?;
        Ok(KafkaSource {
            options,
            reader,
            storage: ctx.storage,
            output: ctx.output,
            metadata_dir: ctx.metadata_dir,
            initial: None,
            latest: None,
            available_now: false,
            available_now_latest: None,
        })
    }

    /// Spark's `reportDataLoss`: an error, or a warning when `failOnDataLoss` is false.
    fn report_data_loss(fail: bool, output: &dyn Output, message: &str) -> Result<()> {
        if fail {
            Err(SparkError::illegal_state(format!("{message}. {FAIL_ON_DATA_LOSS_TRUE}")))
        } else {
            output.log(Level::Warn, "KafkaMicroBatchStream", &format!("{message}. {FAIL_ON_DATA_LOSS_FALSE}"));
            Ok(())
        }
    }

    fn data_loss(&self, message: &str) -> Result<()> {
        Self::report_data_loss(self.options.fail_on_data_loss, self.output.as_ref(), message)
    }

    /// The partitions the strategy selects now.
    fn partitions(&self) -> Result<BTreeSet<TopicPartition>> {
        self.reader.partitions(&self.options.strategy)
    }

    /// The offsets the query starts from: logged ones, or `startingOffsets` resolved now.
    fn initial_offsets(&mut self) -> Result<PartitionOffsets> {
        if let Some(initial) = &self.initial {
            return Ok(initial.clone());
        }
        let path = join(&self.metadata_dir, "0");
        let offsets = if self.storage.exists(&path)? {
            parse_initial_offsets_file(&self.storage.read(&path)?, &path)?
        } else {
            let offsets = self.resolve_starting_offsets()?;
            let mut bytes = vec![0u8];
            bytes.extend_from_slice(format!("v1\n{}", offsets.to_json()).as_bytes());
            self.storage.mkdirs(&self.metadata_dir)?;
            self.storage.write_atomic(&path, &bytes)?;
            streamlab_checkpoint::write_checksum_file(self.storage.as_ref(), &path, &bytes)?;
            offsets
        };
        self.initial = Some(offsets.clone());
        Ok(offsets)
    }

    /// `startingOffsets` as offsets (Spark's `getOrCreateInitialPartitionOffsets`).
    fn resolve_starting_offsets(&self) -> Result<PartitionOffsets> {
        let partitions = self.partitions()?;
        match &self.options.starting {
            StartingOffsets::Earliest => self.reader.earliest(&partitions),
            StartingOffsets::Latest => self.reader.latest(&partitions),
            StartingOffsets::Specific(specified) => {
                let named: BTreeSet<TopicPartition> = specified.keys().cloned().collect();
                if named != partitions {
                    return Err(SparkError::new(
                        ErrorKind::Runtime,
                        format!(
                            "assertion failed: If startingOffsets contains specific offsets, you must specify all TopicPartitions.\nUse -1 for latest, -2 for earliest, if you don't care.\nSpecified: {} Assigned: {}",
                            set_text(&named),
                            set_text(&partitions)
                        ),
                    ));
                }
                let earliest: Vec<&TopicPartition> = specified.iter().filter(|(_, o)| **o == EARLIEST).map(|(tp, _)| tp).collect();
                let latest: Vec<&TopicPartition> = specified.iter().filter(|(_, o)| **o == LATEST).map(|(tp, _)| tp).collect();
                let mut resolved = specified.clone();
                resolved.extend(self.reader.earliest(earliest)?);
                resolved.extend(self.reader.latest(latest)?);
                Ok(resolved)
            }
        }
    }

    /// Spark's `rateLimit`: at most `limit` records in all, each partition getting its share of
    /// what it has waiting (at least one record).
    fn rate_limit(&self, limit: u64, from: &PartitionOffsets, until: &PartitionOffsets) -> Result<PartitionOffsets> {
        let new_partitions: Vec<&TopicPartition> = until.keys().filter(|tp| !from.contains_key(*tp)).collect();
        let from_new = if new_partitions.is_empty() { PartitionOffsets::new() } else { self.reader.earliest(new_partitions)? };
        let begin_of = |tp: &TopicPartition| from.get(tp).or_else(|| from_new.get(tp)).copied();
        let sizes: Vec<(&TopicPartition, i64)> = until
            .iter()
            .filter_map(|(tp, end)| begin_of(tp).map(|begin| (tp, end - begin)).filter(|(_, size)| *size > 0))
            .collect();
        let total = sizes.iter().map(|(_, s)| *s as f64).sum::<f64>();
        if total < 1.0 {
            return Ok(until.clone());
        }
        Ok(until
            .iter()
            .map(|(tp, end)| {
                let limited = match (sizes.iter().find(|(t, _)| *t == tp), begin_of(tp)) {
                    (Some((_, size)), Some(begin)) => {
                        let prorate = limit as f64 * (*size as f64 / total);
                        let prorate = if prorate < 1.0 { prorate.ceil() } else { prorate.floor() } as i64;
                        begin.saturating_add(prorate).min(*end)
                    }
                    _ => *end,
                };
                (tp.clone(), limited)
            })
            .collect())
    }

    /// The offset ranges of a batch, with Spark's data-loss checks
    /// (`getOffsetRangesFromResolvedOffsets`).
    fn ranges(&self, from: &PartitionOffsets, until: &PartitionOffsets) -> Result<Vec<(TopicPartition, i64, i64)>> {
        let new_partitions: Vec<&TopicPartition> = until.keys().filter(|tp| !from.contains_key(*tp)).collect();
        let known = self.partitions()?;
        let reachable: Vec<&TopicPartition> = new_partitions.iter().copied().filter(|tp| known.contains(*tp)).collect();
        let new_initial = self.reader.earliest(reachable)?;
        let missing: Vec<&TopicPartition> = new_partitions.iter().copied().filter(|tp| !new_initial.contains_key(*tp)).collect();
        if !missing.is_empty() {
            self.data_loss(&format!("Cannot find earliest offsets of {}. Some data may have been missed", set_text(missing)))?;
        }
        for (tp, offset) in &new_initial {
            if *offset != 0 {
                self.data_loss(&format!("Added partition {tp} starts from {offset} instead of 0. Some data may have been missed"))?;
            }
        }
        let deleted: Vec<&TopicPartition> = from.keys().filter(|tp| !until.contains_key(*tp)).collect();
        if !deleted.is_empty() {
            self.data_loss(&format!("{} are gone. Some data may have been missed.", set_text(deleted)))?;
        }
        let mut ranges = Vec::new();
        for (tp, until_offset) in until {
            let Some(from_offset) = from.get(tp).or_else(|| new_initial.get(tp)).copied() else { continue };
            if *until_offset < from_offset {
                self.data_loss(&format!(
                    "Partition {tp}'s offset was changed from {from_offset} to {until_offset}, some data may have been missed"
                ))?;
            }
            ranges.push((tp.clone(), from_offset, *until_offset));
        }
        Ok(ranges)
    }

    fn start_offsets(&mut self, start: Option<&str>) -> Result<PartitionOffsets> {
        match start {
            Some(text) => PartitionOffsets::parse(text),
            None => self.initial_offsets(),
        }
    }
}

/// Reads `sources/<i>/0` as Spark's `KafkaSourceInitialOffsetWriter.deserialize` does.
fn parse_initial_offsets_file(bytes: &[u8], path: &str) -> Result<PartitionOffsets> {
    let content = String::from_utf8_lossy(bytes.strip_prefix(&[0u8]).unwrap_or(bytes)).to_string();
    let body = match content.strip_prefix("v1\n") {
        Some(body) => body,
        None if content.starts_with('v') => {
            return Err(SparkError::illegal_state(format!("Log file was malformed: failed to detect the log file version line in {path}")))
        }
        None => content.as_str(),
    };
    PartitionOffsets::parse(body)
}

impl Source for KafkaSource {
    fn description(&self) -> String {
        format!("KafkaV2[{}]", self.options.strategy)
    }

    fn default_read_limit(&self) -> ReadLimit {
        self.options.max_offsets_per_trigger.map_or(ReadLimit::AllAvailable, ReadLimit::MaxRows)
    }

    fn latest_offset(&mut self, start: Option<&str>, limit: ReadLimit) -> Result<Option<String>> {
        let start = self.start_offsets(start)?;
        let latest = match (&self.available_now_latest, self.available_now) {
            (Some(fixed), true) => fixed.clone(),
            _ => {
                let partitions = self.partitions()?;
                let latest = self.reader.latest(&partitions)?;
                if self.available_now {
                    self.available_now_latest = Some(latest.clone());
                }
                latest
            }
        };
        self.latest = Some(latest.clone());
        let end = match limit {
            ReadLimit::MaxRows(n) => self.rate_limit(n, &start, &latest)?,
            ReadLimit::AllAvailable | ReadLimit::MaxFiles(_) => latest,
        };
        Ok((!end.is_empty()).then(|| end.to_json()))
    }

    fn get_batch(&mut self, start: Option<&str>, end: &str) -> Result<Vec<RecordBatch>> {
        let from = self.start_offsets(start)?;
        let until = PartitionOffsets::parse(end)?;
        let ranges = self.ranges(&from, &until)?;
        let fail = self.options.fail_on_data_loss;
        let output = self.output.clone();
        let mut on_loss = |message: String| Self::report_data_loss(fail, output.as_ref(), &message);
        let records = self.reader.read(&ranges, &mut on_loss)?;
        Ok(vec![to_batch(&records, self.options.include_headers)?])
    }

    fn prepare_for_available_now(&mut self) -> Result<()> {
        self.available_now = true;
        Ok(())
    }

    fn reported_latest_offset(&self) -> Option<String> {
        self.latest.as_ref().filter(|l| !l.is_empty()).map(OffsetsJson::to_json)
    }

    fn read_limit_text(&self) -> Option<String> {
        self.options.max_offsets_per_trigger.map(|n| format!("MaxRows: {n}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sparks_initial_offsets_file() {
        let offsets = parse_initial_offsets_file(b"\0v1\n{\"t\":{\"0\":4}}", "/cp/sources/0/0").unwrap();
        assert_eq!(offsets, PartitionOffsets::from([(TopicPartition::new("t", 0), 4)]));
        let err = parse_initial_offsets_file(b"\0v9\n{}", "/cp/sources/0/0").unwrap_err();
        assert!(err.to_string().contains("malformed"));
    }
}
