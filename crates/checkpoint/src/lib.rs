//! Spark's checkpoint logs, byte for byte: metadata, offsets, commits, file source and file
//! sink logs, with Hadoop `.crc` side files.
//!
//! A Structured Streaming checkpoint is a handful of write-ahead logs. Writing them exactly as
//! Spark 3.5 does lets students open a StreamLab checkpoint next to a Spark one and find the
//! same files with the same bytes (ids and times aside), and lets the engine restart from
//! either. Everything goes through [`streamlab_storage::Storage`], so the same code runs in the
//! browser (memory) and natively (local disk).
//!
//! | path | type | written |
//! |---|---|---|
//! | `<cp>/metadata` | [`load_or_create_query_id`] | once, at the first start |
//! | `<cp>/offsets/<N>` | [`OffsetSeqLog`] | before batch N runs |
//! | `<cp>/commits/<N>` | [`CommitLog`] | after batch N finished |
//! | `<cp>/sources/<i>/<N>` | [`FileStreamSourceLog`] (file sources), [`MetadataLog`] (others) | when source `i` plans batch N |
//! | `<out>/_spark_metadata/<N>` | [`FileStreamSinkLog`] | when the file sink commits batch N |
//!
//! Log entries name files by URI: [`file_uri`] gives the exact `file:///…` text Spark writes for
//! a path (percent-encoding included), [`path_of_uri`] turns it back into a path.
//!
//! Every file is written atomically, never overwritten, has no final newline and gets a Hadoop
//! checksum side file `.<name>.crc` ([`crc`]). Reading never panics: a truncated or corrupt
//! file is a [`streamlab_types::SparkError`] naming the file
//! (`Failed to read log file file:<path>. <reason>`), with Spark's own reason where Spark has one.
//!
//! ```
//! use std::sync::Arc;
//! use streamlab_checkpoint::*;
//! use streamlab_storage::{MemoryStorage, Storage};
//! let fs = Arc::new(MemoryStorage::new());
//! let id = load_or_create_query_id(fs.as_ref(), "/cp", || "q-1".into()).unwrap();
//! let offsets = OffsetSeqLog::new(fs.clone(), "/cp");
//! let commits = CommitLog::new(fs.clone(), "/cp");
//! let meta = OffsetSeqMetadata { batch_watermark_ms: 0, batch_timestamp_ms: 1, conf: OffsetSeqMetadata::default_conf(200) };
//! offsets.add(0, &OffsetSeq { metadata: meta, offsets: vec![Some(r#"{"logOffset":0}"#.into())] }).unwrap();
//! // … run batch 0 …
//! commits.add(0, &CommitMetadata::default()).unwrap();
//! assert_eq!((id.as_str(), commits.latest_batch_id().unwrap()), ("q-1", Some(0)));
//! ```

#![warn(missing_docs)]

pub mod crc;

mod batch_log;
mod commits;
mod compact;
mod json;
mod metadata_log;
mod offsets;
mod query_id;
mod sink_log;
mod source_log;
mod store;
mod text;
mod uri;

pub use batch_log::{BatchLog, LogRecord};
pub use commits::{CommitLog, CommitMetadata};
pub use compact::CompactionSettings;
pub use crc::write_checksum_file;
pub use metadata_log::MetadataLog;
pub use offsets::{OffsetSeq, OffsetSeqLog, OffsetSeqMetadata, SHUFFLE_PARTITIONS};
pub use query_id::load_or_create_query_id;
pub use sink_log::{FileStreamSinkLog, SinkFileStatus, LOCAL_BLOCK_SIZE};
pub use source_log::{FileStreamSourceLog, SourceFileEntry};
pub use uri::{file_uri, path_of_uri};
