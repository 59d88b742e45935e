//! The rate sources: `rate` (rows per second of wall-clock time) and `rate-micro-batch`
//! (a fixed number of rows per batch), both with schema `timestamp timestamp, value bigint`.

use std::sync::Arc;

use arrow::array::{Int64Array, TimestampMicrosecondArray};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use arrow::record_batch::RecordBatch;
use streamlab_checkpoint::MetadataLog;
use streamlab_types::interval::parse_time_string_ms;
use streamlab_types::{Result, SparkError};

use super::{option, ReadLimit, Source, SourceContext, SourceSpec};
use crate::clock::Clock;

/// The rate sources' fixed schema.
pub fn rate_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("timestamp", DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())), true),
        Field::new("value", DataType::Int64, true),
    ]))
}

fn positive_long(spec: &SourceSpec, name: &str, default: i64) -> Result<i64> {
    match spec.option(name) {
        None => Ok(default),
        Some(v) => match v.trim().parse::<i64>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(SparkError::illegal_argument(format!(
                "Invalid value '{v}'. The option '{name}' must be positive"
            ))),
        },
    }
}

fn rate_batch(timestamps_ms: Vec<i64>, values: Vec<i64>) -> Result<RecordBatch> {
    let ts: Vec<i64> = timestamps_ms.into_iter().map(|ms| ms.saturating_mul(1000)).collect();
    Ok(RecordBatch::try_new(
        rate_schema(),
        vec![
            Arc::new(TimestampMicrosecondArray::from(ts).with_timezone("UTC")),
            Arc::new(Int64Array::from(values)),
        ],
    )?)
}

/// `format("rate")`: `rowsPerSecond` rows each second since the query first started, with an
/// optional linear ramp-up. Offsets are whole seconds since the start time, which is kept in
/// `sources/<i>/0` so a restart continues the same sequence.
pub struct RateSource {
    rows_per_second: i64,
    ramp_up_seconds: i64,
    num_partitions: Option<String>,
    creation_time_ms: i64,
    last_time_ms: i64,
    clock: std::rc::Rc<dyn Clock>,
}

impl RateSource {
    /// Validates the options and loads or records the start time.
    pub fn new(spec: &SourceSpec, ctx: SourceContext) -> Result<Self> {
        let rows_per_second = positive_long(spec, "rowsPerSecond", 1)?;
        let ramp_up_seconds = parse_time_string_ms(spec.option("rampUpTime").unwrap_or("0s"))? / 1000;
        if ramp_up_seconds < 0 {
            return Err(SparkError::illegal_argument(format!(
                "Invalid value '{ramp_up_seconds}'. The option 'rampUpTime' must not be negative"
            )));
        }
        let num_partitions = match spec.option("numPartitions") {
            None => None,
            Some(_) => Some(positive_long(spec, "numPartitions", 1)?.to_string()),
        };
        let log = MetadataLog::new(ctx.storage.clone(), &ctx.metadata_dir);
        let creation_time_ms = match log.get(0)? {
            Some(text) => text.trim().parse().map_err(|_| {
                SparkError::illegal_state(format!("Invalid rate source start time: {text}"))
            })?,
            None => {
                let now = ctx.clock.now_ms();
                log.add(0, &now.to_string())?;
                now
            }
        };
        Ok(RateSource {
            rows_per_second,
            ramp_up_seconds,
            num_partitions,
            creation_time_ms,
            last_time_ms: creation_time_ms,
            clock: ctx.clock,
        })
    }

    /// Rows produced by the end of second `seconds` (`RateStreamProvider.valueAtSecond`).
    fn value_at_second(&self, seconds: i64) -> i64 {
        let ramp = self.ramp_up_seconds;
        let delta = self.rows_per_second / (ramp + 1);
        if seconds <= ramp {
            if seconds % 2 == 1 {
                (seconds + 1) / 2 * delta * seconds
            } else {
                seconds / 2 * delta * (seconds + 1)
            }
        } else {
            self.value_at_second(ramp) + (seconds - ramp) * self.rows_per_second
        }
    }
}

fn seconds_offset(text: Option<&str>) -> Result<i64> {
    match text {
        None => Ok(0),
        Some(t) => t.trim().parse().map_err(|_| SparkError::illegal_state(format!("Invalid rate offset: {t}"))),
    }
}

impl Source for RateSource {
    fn description(&self) -> String {
        format!(
            "RateStreamV2[rowsPerSecond={}, rampUpTimeSeconds={}, numPartitions={}",
            self.rows_per_second,
            self.ramp_up_seconds,
            self.num_partitions.as_deref().unwrap_or("default")
        )
    }

    fn latest_offset(&mut self, _start: Option<&str>, _limit: ReadLimit) -> Result<Option<String>> {
        self.last_time_ms = self.last_time_ms.max(self.clock.now_ms());
        Ok(Some(((self.last_time_ms - self.creation_time_ms) / 1000).to_string()))
    }

    fn reported_latest_offset(&self) -> Option<String> {
        Some(((self.last_time_ms - self.creation_time_ms) / 1000).to_string())
    }

    fn get_batch(&mut self, start: Option<&str>, end: &str) -> Result<Vec<RecordBatch>> {
        let (start_s, end_s) = (seconds_offset(start)?, seconds_offset(Some(end))?);
        if end_s < start_s {
            return Err(SparkError::illegal_argument(format!(
                "requirement failed: startSeconds({start_s}) > endSeconds({end_s})"
            )));
        }
        self.last_time_ms = self.last_time_ms.max(self.creation_time_ms + end_s * 1000);
        let (range_start, range_end) = (self.value_at_second(start_s), self.value_at_second(end_s));
        if range_start == range_end {
            return Ok(Vec::new());
        }
        let local_start_ms = self.creation_time_ms + start_s * 1000;
        let ms_per_value = ((end_s - start_s) * 1000) as f64 / (range_end - range_start) as f64;
        let values: Vec<i64> = (range_start..range_end).collect();
        let times: Vec<i64> = values
            .iter()
            .map(|v| local_start_ms + ((v - range_start) as f64 * ms_per_value).round() as i64)
            .collect();
        Ok(vec![rate_batch(times, values)?])
    }
}

/// `format("rate-micro-batch")`: `rowsPerBatch` rows per batch whatever the time, batch k
/// stamped `startTimestamp + k·advanceMillisPerBatch`: deterministic, for lessons and tests.
pub struct RateMicroBatchSource {
    rows_per_batch: i64,
    start_timestamp: i64,
    advance_ms: i64,
}

impl RateMicroBatchSource {
    /// Validates the options.
    pub fn new(spec: &SourceSpec) -> Result<Self> {
        let rows_per_batch = positive_long(spec, "rowsPerBatch", 0).and_then(|n| {
            if n <= 0 {
                Err(SparkError::illegal_argument("Invalid value '0'. The option 'rowsPerBatch' must be positive"))
            } else {
                Ok(n)
            }
        })?;
        let non_negative = |name: &str, default: i64| -> Result<i64> {
            match option(&spec.options, name) {
                None => Ok(default),
                Some(v) => match v.trim().parse::<i64>() {
                    Ok(n) if n >= 0 => Ok(n),
                    _ => Err(SparkError::illegal_argument(format!(
                        "Invalid value '{v}'. The option '{name}' must be non-negative"
                    ))),
                },
            }
        };
        Ok(RateMicroBatchSource {
            rows_per_batch,
            start_timestamp: non_negative("startTimestamp", 0)?,
            advance_ms: non_negative("advanceMillisPerBatch", 1000)?,
        })
    }

    fn parse(&self, text: Option<&str>) -> Result<(i64, i64)> {
        let Some(text) = text else { return Ok((0, self.start_timestamp)) };
        let v: serde_json::Value = serde_json::from_str(text)
            .map_err(|_| SparkError::illegal_state(format!("Invalid rate offset: {text}")))?;
        match (v.get("offset").and_then(|o| o.as_i64()), v.get("timestamp").and_then(|t| t.as_i64())) {
            (Some(o), Some(t)) => Ok((o, t)),
            _ => Err(SparkError::illegal_state(format!("Invalid rate offset: {text}"))),
        }
    }
}

impl Source for RateMicroBatchSource {
    fn description(&self) -> String {
        format!(
            "RatePerMicroBatchStream[rowsPerBatch={}, numPartitions=default, startTimestamp={}, advanceMsPerBatch={}]",
            self.rows_per_batch, self.start_timestamp, self.advance_ms
        )
    }

    fn latest_offset(&mut self, start: Option<&str>, _limit: ReadLimit) -> Result<Option<String>> {
        let (offset, ts) = self.parse(start)?;
        Ok(Some(format!(
            "{{\"offset\":{},\"timestamp\":{}}}",
            offset + self.rows_per_batch,
            ts + self.advance_ms
        )))
    }

    fn get_batch(&mut self, start: Option<&str>, end: &str) -> Result<Vec<RecordBatch>> {
        let (from, ts) = self.parse(start)?;
        let (to, _) = self.parse(Some(end))?;
        let values: Vec<i64> = (from..to).collect();
        let times = vec![ts; values.len()];
        Ok(vec![rate_batch(times, values)?])
    }
}
