//! `spark.conf`: the session's SQL configuration, with Spark 3.5's defaults for what the
//! streaming engine reads.

use std::collections::BTreeMap;

use streamlab_types::{Result, SparkError};

/// Spark 3.5 defaults of the confs the engine reads, by key.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("spark.sql.shuffle.partitions", "200"),
    ("spark.sql.session.timeZone", "UTC"),
    ("spark.sql.streaming.checkpointLocation", ""),
    ("spark.sql.streaming.schemaInference", "false"),
    ("spark.sql.streaming.noDataMicroBatches.enabled", "true"),
    ("spark.sql.streaming.minBatchesToRetain", "100"),
    ("spark.sql.streaming.numRecentProgressUpdates", "100"),
    ("spark.sql.streaming.noDataProgressEventInterval", "10000ms"),
    ("spark.sql.streaming.pollingDelay", "10ms"),
    ("spark.sql.streaming.fileSource.log.compactInterval", "10"),
    ("spark.sql.streaming.fileSink.log.compactInterval", "10"),
    ("spark.sql.streaming.stopActiveRunOnRestart", "true"),
    ("spark.sql.streaming.forceDeleteTempCheckpointLocation", "false"),
    ("spark.sql.streaming.multipleWatermarkPolicy", "min"),
    ("spark.sql.columnNameOfCorruptRecord", "_corrupt_record"),
    ("spark.sql.caseSensitive", "false"),
    ("spark.sql.warehouse.dir", "spark-warehouse"),
];

/// The session's configuration: what `spark.conf.set` stored over Spark's defaults.
///
/// ```
/// use streamlab_engine::conf::RuntimeConf;
/// let mut conf = RuntimeConf::default();
/// assert_eq!(conf.get("spark.sql.shuffle.partitions").as_deref(), Some("200"));
/// conf.set("spark.sql.shuffle.partitions", "5");
/// assert_eq!(conf.get_i64("spark.sql.shuffle.partitions").unwrap(), 5);
/// ```
#[derive(Debug, Clone, Default)]
pub struct RuntimeConf {
    values: BTreeMap<String, String>,
}

impl RuntimeConf {
    /// Stores `value` under `key` (`spark.conf.set`).
    pub fn set(&mut self, key: &str, value: &str) {
        self.values.insert(key.to_string(), value.to_string());
    }

    /// Removes a setting (`spark.conf.unset`), restoring the default.
    pub fn unset(&mut self, key: &str) {
        self.values.remove(key);
    }

    /// The value set, else Spark's default, else `None` (`spark.conf.get` raises then).
    pub fn get(&self, key: &str) -> Option<String> {
        self.values
            .get(key)
            .cloned()
            .or_else(|| DEFAULTS.iter().find(|(k, _)| *k == key).map(|(_, v)| v.to_string()))
    }

    /// The value, or Spark's error for an unknown key with no default.
    pub fn get_required(&self, key: &str) -> Result<String> {
        self.get(key).ok_or_else(|| {
            SparkError::new(streamlab_types::ErrorKind::Runtime, format!("The SQL config \"{key}\" cannot be found. Please verify that the config exists."))
                .with_class("SQL_CONF_NOT_FOUND")
        })
    }

    /// An integer conf.
    pub fn get_i64(&self, key: &str) -> Result<i64> {
        let v = self.get_required(key)?;
        v.trim().parse().map_err(|_| {
            SparkError::illegal_argument(format!("{key} should be long, but was {v}"))
        })
    }

    /// A boolean conf.
    pub fn get_bool(&self, key: &str) -> Result<bool> {
        let v = self.get_required(key)?;
        match v.trim().to_ascii_lowercase().as_str() {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(SparkError::illegal_argument(format!("{key} should be boolean, but was {v}"))),
        }
    }

    /// A time conf in milliseconds (`"10ms"`, `"10s"`, a bare number = ms).
    pub fn get_ms(&self, key: &str) -> Result<i64> {
        let v = self.get_required(key)?;
        streamlab_types::interval::parse_time_string_ms(&v)
    }

    /// Every conf that was set, sorted by key.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}
