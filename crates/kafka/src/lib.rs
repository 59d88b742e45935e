//! Kafka for StreamLab's native builds: `spark.readStream.format("kafka")` and
//! `df.writeStream.format("kafka")`, behaving as Spark 3.5's Kafka connector does (options,
//! errors, offsets in the checkpoint, progress), over librdkafka.
//!
//! The engine is pure and runs in the browser, where there are no sockets; this crate plugs
//! into a native session by format name ([`register`]). Reading uses a `BaseConsumer` with
//! assigned partitions and explicit offsets, no consumer group, like Spark's source
//! ([`client`]); writing tags records so that a batch replayed after a crash is not written
//! twice ([`sink`]).
//!
//! ```no_run
//! let spark = streamlab_native::local_session().unwrap();
//! streamlab_kafka::register(&spark);
//! let df = spark.read_stream().format("kafka")
//!     .option("kafka.bootstrap.servers", "127.0.0.1:9092")
//!     .option("subscribe", "activity")
//!     .option("startingOffsets", "earliest")
//!     .load(None).unwrap();
//! assert_eq!(df.columns(), ["key", "value", "topic", "partition", "offset", "timestamp", "timestampType"]);
//! ```

#![warn(missing_docs)]

pub mod client;
pub mod offsets;
pub mod options;
pub mod scala_order;
pub mod schema;
pub mod sink;
pub mod source;

use std::rc::Rc;

use streamlab_engine::SparkSession;

pub use sink::KafkaSinkProvider;
pub use source::KafkaSourceProvider;

/// Makes `format("kafka")` work on `session`, for reading and writing streams.
pub fn register(session: &SparkSession) {
    session.register_source_provider("kafka", Rc::new(KafkaSourceProvider));
    session.register_sink_provider("kafka", Rc::new(KafkaSinkProvider));
}
