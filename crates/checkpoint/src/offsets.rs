//! The offset log (`<checkpoint>/offsets/<batchId>`): what each batch will read, written before
//! the batch runs (`OffsetSeqLog`, `OffsetSeq`, `OffsetSeqMetadata`).

use crate::batch_log::{BatchLog, LogRecord};

use serde::Deserialize;
use streamlab_types::{Result, SparkError};

use crate::json::{ordered_string_map, push_str};
use crate::text::{lines, read_error, validate_version};

/// The batch's watermark, its processing time and the SQL confs frozen into the checkpoint.
///
/// Spark records these so that a restarted query replays a batch exactly (same
/// `current_timestamp()`, same watermark) and keeps the confs that shape its state
/// (`spark.sql.shuffle.partitions` can never change for a checkpoint). Serialized as
/// `{"batchWatermarkMs":…,"batchTimestampMs":…,"conf":{…}}` with the confs in the stored order.
///
/// ```
/// use streamlab_checkpoint::OffsetSeqMetadata;
/// let m = OffsetSeqMetadata { batch_watermark_ms: 0, batch_timestamp_ms: 5, conf: vec![("a".into(), "1".into())] };
/// assert_eq!(m.to_json(), r#"{"batchWatermarkMs":0,"batchTimestampMs":5,"conf":{"a":"1"}}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OffsetSeqMetadata {
    /// The event-time watermark in effect for the batch (ms).
    pub batch_watermark_ms: i64,
    /// The batch's processing time (ms since the epoch): `current_timestamp()` of the batch.
    pub batch_timestamp_ms: i64,
    /// The recorded SQL confs, in serialization order.
    pub conf: Vec<(String, String)>,
}

/// The confs Spark 3.5.9 records, with their default values, in the order its (hash) map
/// writes them; `spark.sql.shuffle.partitions` comes last and is filled in by `default_conf`.
const DEFAULT_CONFS: [(&str, &str); 9] = [
    (
        "spark.sql.streaming.stateStore.providerClass",
        "org.apache.spark.sql.execution.streaming.state.HDFSBackedStateStoreProvider",
    ),
    ("spark.sql.streaming.join.stateFormatVersion", "2"),
    ("spark.sql.streaming.stateStore.compression.codec", "lz4"),
    ("spark.sql.optimizer.pruneFiltersCanPruneStreamingSubplan", "false"),
    ("spark.sql.streaming.stateStore.rocksdb.formatVersion", "5"),
    ("spark.sql.streaming.statefulOperator.useStrictDistribution", "true"),
    ("spark.sql.streaming.flatMapGroupsWithState.stateFormatVersion", "2"),
    ("spark.sql.streaming.multipleWatermarkPolicy", "min"),
    ("spark.sql.streaming.aggregation.stateFormatVersion", "2"),
];

/// The conf key of the shuffle partition count, which a checkpoint pins forever.
///
/// ```
/// use streamlab_checkpoint::{OffsetSeqMetadata, SHUFFLE_PARTITIONS};
/// let m = OffsetSeqMetadata { conf: OffsetSeqMetadata::default_conf(5), ..Default::default() };
/// assert_eq!(m.conf_value(SHUFFLE_PARTITIONS), Some("5"));
/// ```
pub const SHUFFLE_PARTITIONS: &str = "spark.sql.shuffle.partitions";

impl OffsetSeqMetadata {
    /// The ten confs a fresh Spark 3.5.9 session records, in Spark's order, with
    /// `spark.sql.shuffle.partitions` = `shuffle_partitions` (default 200).
    ///
    /// ```
    /// use streamlab_checkpoint::OffsetSeqMetadata;
    /// let conf = OffsetSeqMetadata::default_conf(5);
    /// assert_eq!(conf.len(), 10);
    /// assert_eq!(conf[0].0, "spark.sql.streaming.stateStore.providerClass");
    /// assert_eq!(conf[9], ("spark.sql.shuffle.partitions".to_string(), "5".to_string()));
    /// ```
    pub fn default_conf(shuffle_partitions: i64) -> Vec<(String, String)> {
        let mut conf: Vec<(String, String)> =
            DEFAULT_CONFS.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        conf.push((SHUFFLE_PARTITIONS.to_string(), shuffle_partitions.to_string()));
        conf
    }

    /// The value recorded for conf `key`, if any (what a restart re-applies to the session).
    ///
    /// ```
    /// use streamlab_checkpoint::OffsetSeqMetadata;
    /// let m = OffsetSeqMetadata { conf: OffsetSeqMetadata::default_conf(7), ..Default::default() };
    /// assert_eq!(m.conf_value("spark.sql.shuffle.partitions"), Some("7"));
    /// assert_eq!(m.conf_value("nope"), None);
    /// ```
    pub fn conf_value(&self, key: &str) -> Option<&str> {
        self.conf.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// The JSON line Spark writes (json4s: no spaces, fields in declaration order).
    ///
    /// ```
    /// use streamlab_checkpoint::OffsetSeqMetadata;
    /// assert_eq!(OffsetSeqMetadata::default().to_json(), r#"{"batchWatermarkMs":0,"batchTimestampMs":0,"conf":{}}"#);
    /// ```
    pub fn to_json(&self) -> String {
        let mut out = format!(
            "{{\"batchWatermarkMs\":{},\"batchTimestampMs\":{},\"conf\":{{",
            self.batch_watermark_ms, self.batch_timestamp_ms
        );
        for (i, (k, v)) in self.conf.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_str(&mut out, k);
            out.push(':');
            push_str(&mut out, v);
        }
        out.push_str("}}");
        out
    }

    /// Parses the metadata line; missing fields take Spark's defaults (0, 0, no confs), unknown
    /// fields are ignored, the confs keep the file's order.
    ///
    /// ```
    /// use streamlab_checkpoint::OffsetSeqMetadata;
    /// let m = OffsetSeqMetadata::from_json(r#"{"batchTimestampMs":9,"conf":{"b":"2","a":"1"}}"#).unwrap();
    /// assert_eq!((m.batch_watermark_ms, m.batch_timestamp_ms), (0, 9));
    /// assert_eq!(m.conf[0].0, "b");
    /// assert!(OffsetSeqMetadata::from_json(r#"{"batchWatermarkMs":"#).is_err());
    /// ```
    pub fn from_json(json: &str) -> Result<Self> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Wire {
            #[serde(default)]
            batch_watermark_ms: i64,
            #[serde(default)]
            batch_timestamp_ms: i64,
            #[serde(default, deserialize_with = "ordered_string_map")]
            conf: Vec<(String, String)>,
        }
        let w: Wire = serde_json::from_str(json)
            .map_err(|e| SparkError::illegal_state(format!("Invalid offset log metadata {json}: {e}")))?;
        Ok(OffsetSeqMetadata {
            batch_watermark_ms: w.batch_watermark_ms,
            batch_timestamp_ms: w.batch_timestamp_ms,
            conf: w.conf,
        })
    }
}

/// One batch's entry in the offset log: the metadata and the end offset of every source.
///
/// The offsets are the sources' own JSON (`{"logOffset":3}` for a file source), one per source
/// in plan order; `None` is a source with no data yet, written `-`. On restart Spark checks
/// that the query has as many sources as the checkpoint.
///
/// ```
/// use streamlab_checkpoint::{OffsetSeq, OffsetSeqMetadata};
/// let seq = OffsetSeq { metadata: OffsetSeqMetadata::default(), offsets: vec![Some(r#"{"logOffset":0}"#.into()), None] };
/// assert_eq!(seq.to_log_text().unwrap(), "v1\n{\"batchWatermarkMs\":0,\"batchTimestampMs\":0,\"conf\":{}}\n{\"logOffset\":0}\n-");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OffsetSeq {
    /// Watermark, batch time and confs.
    pub metadata: OffsetSeqMetadata,
    /// One JSON offset per source; `None` => `-`.
    pub offsets: Vec<Option<String>>,
}

impl OffsetSeq {
    /// The whole file Spark writes: `v1`, the metadata line, one line per source, no final
    /// newline. An offset that is `-` or spans lines could not be read back, so it is refused.
    ///
    /// ```
    /// use streamlab_checkpoint::OffsetSeq;
    /// let bad = OffsetSeq { offsets: vec![Some("{\n}".into())], ..Default::default() };
    /// assert!(bad.to_log_text().is_err());
    /// ```
    pub fn to_log_text(&self) -> Result<String> {
        let mut out = format!("v1\n{}", self.metadata.to_json());
        for offset in &self.offsets {
            out.push('\n');
            match offset {
                None => out.push('-'),
                Some(json) if json == "-" || json.contains(['\n', '\r']) => {
                    return Err(SparkError::illegal_argument(format!(
                        "A source offset must be one line of JSON, not {json:?}"
                    )))
                }
                Some(json) => out.push_str(json),
            }
        }
        Ok(out)
    }

    /// Parses a whole offset-log file (`path` only names it in errors).
    ///
    /// ```
    /// use streamlab_checkpoint::OffsetSeq;
    /// let seq = OffsetSeq::from_log_text("/cp/offsets/0", "v1\n{}\n-\n{\"logOffset\":2}").unwrap();
    /// assert_eq!(seq.offsets, vec![None, Some("{\"logOffset\":2}".to_string())]);
    /// let e = OffsetSeq::from_log_text("/cp/offsets/0", "").unwrap_err();
    /// assert_eq!(e.to_string(), "Failed to read log file file:/cp/offsets/0. Incomplete log file");
    /// ```
    pub fn from_log_text(path: &str, text: &str) -> Result<Self> {
        let lines = lines(text);
        let Some(version) = lines.first() else { return Err(read_error(path, "Incomplete log file")) };
        validate_version(version, 1).map_err(|m| read_error(path, m))?;
        let meta = match lines.get(1).map(|l| l.trim()) {
            None => return Err(read_error(path, "Incomplete log file: the metadata line is missing")),
            Some("") => return Err(read_error(path, "The metadata line is empty (a Spark 2.0 offset log is not supported)")),
            Some(m) => m,
        };
        let metadata = OffsetSeqMetadata::from_json(meta).map_err(|e| read_error(path, e.message))?;
        let offsets = lines[2..].iter().map(|l| (*l != "-").then(|| l.to_string())).collect();
        Ok(OffsetSeq { metadata, offsets })
    }
}

impl LogRecord for OffsetSeq {
    const DIR: &'static str = "offsets";

    fn to_log_text(&self) -> Result<String> {
        OffsetSeq::to_log_text(self)
    }

    fn from_log_text(path: &str, text: &str) -> Result<Self> {
        OffsetSeq::from_log_text(path, text)
    }
}

/// `<checkpoint>/offsets`: the write-ahead log of batch offsets (Spark's `OffsetSeqLog`).
///
/// Batch N's offsets are written before batch N runs; on restart, the latest offsets without a
/// commit are replayed exactly.
///
/// ```
/// use std::sync::Arc;
/// use streamlab_checkpoint::{OffsetSeq, OffsetSeqLog, OffsetSeqMetadata};
/// use streamlab_storage::{MemoryStorage, Storage};
/// let fs = Arc::new(MemoryStorage::new());
/// let log = OffsetSeqLog::new(fs.clone(), "/cp");
/// let meta = OffsetSeqMetadata { batch_watermark_ms: 0, batch_timestamp_ms: 1, conf: OffsetSeqMetadata::default_conf(200) };
/// let seq = OffsetSeq { metadata: meta, offsets: vec![Some(r#"{"logOffset":0}"#.into())] };
/// assert!(log.add(0, &seq).unwrap());
/// assert_eq!(log.latest().unwrap(), Some((0, seq)));
/// assert!(fs.exists("/cp/offsets/.0.crc").unwrap());
/// ```
pub type OffsetSeqLog = BatchLog<OffsetSeq>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use streamlab_storage::{MemoryStorage, Storage};

    #[test]
    fn offsets_errors() {
        let fs = Arc::new(MemoryStorage::new());
        let log = OffsetSeqLog::new(fs.clone(), "/cp");
        for (text, msg) in [
            ("v1", "Incomplete log file: the metadata line is missing"),
            ("v1\n\n{\"logOffset\":7}", "The metadata line is empty"),
            ("v9\n{}\n{\"logOffset\":7}", "UnsupportedLogVersion: maximum supported log version is v1, but encountered v9."),
            ("v1\n{\"batchWatermarkMs\":0,\n{\"logOffset\":7}", "Invalid offset log metadata"),
            ("v1\n{\"batchWatermarkMs\":1.5}", "Invalid offset log metadata"),
            ("v1\n{\"conf\":{\"a\":1}}", "Invalid offset log metadata"),
        ] {
            fs.write("/cp/offsets/7", text.as_bytes()).unwrap();
            let e = log.get(7).unwrap_err();
            assert!(e.to_string().starts_with(&format!("Failed to read log file file:/cp/offsets/7. {msg}")), "{e}");
        }
    }

    #[test]
    fn empty_metadata_object_takes_defaults() {
        let seq = OffsetSeq::from_log_text("p", "v1\n{}\n{\"logOffset\":7}\n").unwrap();
        assert_eq!(seq.metadata, OffsetSeqMetadata::default());
        assert_eq!(seq.offsets, vec![Some("{\"logOffset\":7}".to_string())]);
    }

    #[test]
    fn round_trip_keeps_conf_order_and_escapes() {
        let meta = OffsetSeqMetadata {
            batch_watermark_ms: -3,
            batch_timestamp_ms: i64::MAX,
            conf: vec![("z".into(), "q\"\n".into()), ("a".into(), "é".into())],
        };
        let seq = OffsetSeq { metadata: meta, offsets: vec![None, Some("{}".into())] };
        let text = seq.to_log_text().unwrap();
        assert_eq!(OffsetSeq::from_log_text("p", &text).unwrap(), seq);
    }

    #[test]
    fn dash_offset_is_refused() {
        let seq = OffsetSeq { offsets: vec![Some("-".into())], ..Default::default() };
        assert!(seq.to_log_text().is_err());
    }
}
