//! Streaming formats plugged in from outside the engine.
//!
//! The engine stays pure (it runs in the browser), so connectors that need sockets or an async
//! runtime — Kafka, the `deltalake` crate — live in native crates and register themselves on a
//! session by format name. A registered provider takes precedence over a built-in format of the
//! same name, which lets a native build write `format("delta")` with `deltalake` while the
//! browser keeps the engine's own Delta writer.
//!
//! ```
//! use std::rc::Rc;
//! use std::sync::Arc;
//! use arrow::array::Int64Array;
//! use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
//! use arrow::record_batch::RecordBatch;
//! use streamlab_engine::connector::SourceProvider;
//! use streamlab_engine::source::{Source, SourceContext, SourceSpec, MemoryStream};
//! use streamlab_engine::{clock::ManualClock, output::BufferedOutput, SparkSession, Trigger, Result};
//! use streamlab_storage::MemoryStorage;
//!
//! /// A source that replays a fixed memory stream under the name `numbers`.
//! struct Numbers(MemoryStream);
//! impl SourceProvider for Numbers {
//!     fn schema(&self, _options: &[(String, String)], _user: Option<&SchemaRef>) -> Result<SchemaRef> {
//!         Ok(Arc::new(Schema::new(vec![Field::new("n", DataType::Int64, false)])))
//!     }
//!     fn create(&self, _spec: &SourceSpec, _ctx: SourceContext) -> Result<Box<dyn Source>> {
//!         Ok(Box::new(self.0.clone()))
//!     }
//! }
//!
//! let spark = SparkSession::new(Arc::new(MemoryStorage::new()), Rc::new(ManualClock::new(0)), Rc::new(BufferedOutput::default()));
//! let schema = Arc::new(Schema::new(vec![Field::new("n", DataType::Int64, false)]));
//! let stream = MemoryStream::new(schema.clone());
//! stream.add_data(RecordBatch::try_new(schema, vec![Arc::new(Int64Array::from(vec![1, 2]))]).unwrap()).unwrap();
//! spark.register_source_provider("numbers", Rc::new(Numbers(stream)));
//! let df = spark.read_stream().format("numbers").load(None).unwrap();
//! let q = df.write_stream().unwrap().format("memory").query_name("out").trigger(Trigger::AvailableNow).start(None).unwrap();
//! q.await_termination(None).unwrap();
//! assert_eq!(spark.table("out").unwrap().count().unwrap(), 2);
//! ```

use std::collections::BTreeMap;
use std::rc::Rc;

use arrow::datatypes::SchemaRef;
use streamlab_types::Result;

use crate::session::SparkSession;
use crate::sink::{OutputMode, Sink};
use crate::source::{Source, SourceContext, SourceSpec};

/// A streaming source format: `spark.readStream.format(name)`.
pub trait SourceProvider {
    /// The schema `load()` gives the DataFrame, from the reader's options and the schema the
    /// user set, if any. Errors here surface at `load()`, as Spark's do for bad options.
    fn schema(&self, options: &[(String, String)], user_schema: Option<&SchemaRef>) -> Result<SchemaRef>;
    /// The live source, created when the query starts.
    fn create(&self, spec: &SourceSpec, ctx: SourceContext) -> Result<Box<dyn Source>>;
}

/// What a sink provider gets when a query starts.
pub struct SinkContext<'a> {
    /// The session running the query.
    pub session: &'a SparkSession,
    /// The writer's options; `path` holds `start(path)`'s argument.
    pub options: &'a [(String, String)],
    /// `partitionBy(...)` columns.
    pub partition_by: &'a [String],
    /// The schema of the rows the query emits.
    pub schema: SchemaRef,
    /// The query's output mode.
    pub output_mode: OutputMode,
}

/// A streaming sink format: `df.writeStream.format(name)`.
pub trait SinkProvider {
    /// Checks the query before it starts (output mode, required columns and options), so a
    /// wrong query fails at `start()` as Spark's do.
    fn validate(&self, ctx: &SinkContext<'_>) -> Result<()>;
    /// The live sink of query `query_id` (the id persisted in the checkpoint, which Delta
    /// uses as its transactions' app id).
    fn create(&self, ctx: &SinkContext<'_>, query_id: &str) -> Result<Box<dyn Sink>>;
}

/// The providers registered on a session, by lowercase format name.
#[derive(Default)]
pub(crate) struct Connectors {
    sources: BTreeMap<String, Rc<dyn SourceProvider>>,
    sinks: BTreeMap<String, Rc<dyn SinkProvider>>,
}

impl Connectors {
    pub(crate) fn add_source(&mut self, format: &str, provider: Rc<dyn SourceProvider>) {
        self.sources.insert(format.to_ascii_lowercase(), provider);
    }

    pub(crate) fn add_sink(&mut self, format: &str, provider: Rc<dyn SinkProvider>) {
        self.sinks.insert(format.to_ascii_lowercase(), provider);
    }

    pub(crate) fn source(&self, format: &str) -> Option<Rc<dyn SourceProvider>> {
        self.sources.get(format).cloned()
    }

    pub(crate) fn sink(&self, format: &str) -> Option<Rc<dyn SinkProvider>> {
        self.sinks.get(format).cloned()
    }
}
