//! The actions of a Delta commit file (`_delta_log/<20-digit version>.json`): one JSON object
//! per line, each with a single key naming the action, as the Delta transaction protocol
//! defines them.
//!
//! Fields are declared in the order Delta Lake writes them, so our commit files read like
//! Spark's. Unknown actions and fields written by other engines are ignored when reading.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use streamlab_types::{Result, SparkError};

/// `protocol`: the reader and writer versions (and table features) a client needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Protocol {
    /// Lowest reader protocol version able to read the table.
    pub min_reader_version: i32,
    /// Lowest writer protocol version able to write it.
    pub min_writer_version: i32,
    /// Reader table features (reader version 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reader_features: Option<Vec<String>>,
    /// Writer table features (writer version 7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub writer_features: Option<Vec<String>>,
}

/// `metaData.format`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Format {
    /// Always `parquet`.
    pub provider: String,
    /// Format options (none).
    #[serde(default)]
    pub options: BTreeMap<String, String>,
}

/// `metaData`: the table's identity, schema and partitioning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    /// The table id (a UUID), fixed at creation.
    pub id: String,
    /// The data files' format.
    pub format: Format,
    /// Spark's `StructType` JSON of the table's columns.
    pub schema_string: String,
    /// Names of the partition columns, in directory order.
    pub partition_columns: Vec<String>,
    /// Table properties (`delta.*`).
    #[serde(default)]
    pub configuration: BTreeMap<String, Option<String>>,
    /// When the table was created, ms since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_time: Option<i64>,
}

/// `add`: a data file that is part of the table from this version on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddFile {
    /// Path relative to the table root, URI-encoded (or an absolute URI).
    pub path: String,
    /// Partition column → value as text (`None` for null).
    pub partition_values: BTreeMap<String, Option<String>>,
    /// File size in bytes.
    pub size: i64,
    /// File modification time, ms since the epoch.
    pub modification_time: i64,
    /// Whether the file adds data (false for compaction rewrites).
    pub data_change: bool,
    /// Column statistics as a JSON string (numRecords, minValues, maxValues, nullCount).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stats: Option<String>,
}

/// `remove`: a data file that is no longer part of the table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RemoveFile {
    /// The removed file's path, as its `add` wrote it.
    pub path: String,
    /// When it was removed, ms since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_timestamp: Option<i64>,
    /// Whether the removal changes data.
    pub data_change: bool,
    /// Whether the fields below are present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extended_file_metadata: Option<bool>,
    /// The file's partition values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_values: Option<BTreeMap<String, Option<String>>>,
    /// The file's size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
}

/// `txn`: the latest version an application committed (a streaming query's batch id), which
/// makes streaming writes idempotent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Txn {
    /// The application: the streaming query id.
    pub app_id: String,
    /// Its version: the micro-batch id.
    pub version: i64,
    /// When it was committed, ms since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated: Option<i64>,
}

/// One line of a commit file.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// `commitInfo`: provenance, free-form (readers ignore it).
    CommitInfo(Value),
    /// `protocol`.
    Protocol(Protocol),
    /// `metaData`.
    Metadata(Metadata),
    /// `txn`.
    Txn(Txn),
    /// `remove`.
    Remove(RemoveFile),
    /// `add`.
    Add(AddFile),
}

impl Action {
    /// The action as its commit-file line (no newline).
    ///
    /// ```
    /// use streamlab_engine::delta::log::{Action, Txn};
    /// let a = Action::Txn(Txn { app_id: "q".into(), version: 3, last_updated: Some(7) });
    /// assert_eq!(a.to_line().unwrap(), r#"{"txn":{"appId":"q","version":3,"lastUpdated":7}}"#);
    /// ```
    pub fn to_line(&self) -> Result<String> {
        let (key, value) = match self {
            Action::CommitInfo(v) => ("commitInfo", Ok(v.clone())),
            Action::Protocol(p) => ("protocol", serde_json::to_value(p)),
            Action::Metadata(m) => ("metaData", serde_json::to_value(m)),
            Action::Txn(t) => ("txn", serde_json::to_value(t)),
            Action::Remove(r) => ("remove", serde_json::to_value(r)),
            Action::Add(a) => ("add", serde_json::to_value(a)),
        };
        let value = value.map_err(|e| SparkError::runtime(format!("Cannot serialize a Delta action: {e}")))?;
        let mut line = serde_json::Map::new();
        line.insert(key.to_string(), value);
        serde_json::to_string(&Value::Object(line)).map_err(|e| SparkError::runtime(format!("Cannot serialize a Delta action: {e}")))
    }

    /// Parses one commit-file line; `None` for actions StreamLab does not need (`cdc`,
    /// `domainMetadata`, …). `file` names the commit file in errors.
    pub fn parse_line(line: &str, file: &str) -> Result<Option<Action>> {
        let corrupt = |detail: String| SparkError::runtime(format!("Cannot parse the Delta log file {file}: {detail}"));
        let value: Value = serde_json::from_str(line).map_err(|e| corrupt(e.to_string()))?;
        let Value::Object(object) = value else { return Err(corrupt("a line is not a JSON object".into())) };
        let Some((key, body)) = object.into_iter().next() else { return Ok(None) };
        let typed = |e: serde_json::Error| corrupt(format!("bad {key} action: {e}"));
        Ok(Some(match key.as_str() {
            "commitInfo" => Action::CommitInfo(body),
            "protocol" => Action::Protocol(serde_json::from_value(body).map_err(typed)?),
            "metaData" => Action::Metadata(serde_json::from_value(body).map_err(typed)?),
            "txn" => Action::Txn(serde_json::from_value(body).map_err(typed)?),
            "remove" => Action::Remove(serde_json::from_value(body).map_err(typed)?),
            "add" => Action::Add(serde_json::from_value(body).map_err(typed)?),
            _ => return Ok(None),
        }))
    }
}

/// A commit file's text: one line per action, each ending with a newline.
pub fn commit_text(actions: &[Action]) -> Result<String> {
    let mut text = String::new();
    for action in actions {
        text.push_str(&action.to_line()?);
        text.push('\n');
    }
    Ok(text)
}

/// Parses a commit file's text into its actions (blank lines skipped).
pub fn parse_commit(text: &str, file: &str) -> Result<Vec<Action>> {
    let mut actions = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        if let Some(action) = Action::parse_line(line, file)? {
            actions.push(action);
        }
    }
    Ok(actions)
}

/// The commit file name of `version`: 20 digits, zero-padded.
///
/// ```
/// assert_eq!(streamlab_engine::delta::log::commit_file_name(7), "00000000000000000007.json");
/// ```
pub fn commit_file_name(version: i64) -> String {
    format!("{version:020}.json")
}

/// The version a commit file name stands for, if it is one.
pub fn commit_version(name: &str) -> Option<i64> {
    let digits = name.strip_suffix(".json")?;
    if digits.len() != 20 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_round_trip_and_ignore_unknown_actions() {
        let add = AddFile {
            path: "gt=sit/part-00000-x-c000.snappy.parquet".into(),
            partition_values: [("gt".to_string(), Some("sit".to_string()))].into(),
            size: 10,
            modification_time: 5,
            data_change: true,
            stats: Some("{\"numRecords\":1}".into()),
        };
        let line = Action::Add(add.clone()).to_line().unwrap();
        assert_eq!(
            line,
            r#"{"add":{"path":"gt=sit/part-00000-x-c000.snappy.parquet","partitionValues":{"gt":"sit"},"size":10,"modificationTime":5,"dataChange":true,"stats":"{\"numRecords\":1}"}}"#
        );
        let text = format!("{line}\n{{\"cdc\":{{\"path\":\"c\"}}}}\n");
        assert_eq!(parse_commit(&text, "f").unwrap(), vec![Action::Add(add)]);
        assert!(parse_commit("{oops", "f").unwrap_err().to_string().starts_with("Cannot parse the Delta log file f"));
    }

    #[test]
    fn version_names() {
        assert_eq!(commit_version("00000000000000000012.json"), Some(12));
        assert_eq!(commit_version("00000000000000000012.checkpoint.parquet"), None);
        assert_eq!(commit_version("12.json"), None);
    }
}
