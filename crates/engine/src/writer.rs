//! `df.writeStream`: where and how a streaming query writes, checked as Spark checks it in
//! `start()`.

use std::cell::RefCell;
use std::rc::Rc;

use streamlab_checkpoint::load_or_create_query_id;
use streamlab_io::FileFormat;
use streamlab_storage::join;
use streamlab_types::{Result, SparkError};

use crate::catalog::{CatalogEntry, MemoryTable};
use crate::connector::SinkContext;
use crate::dataframe::DataFrame;
use crate::output::Level;
use crate::plan::LogicalPlan;
use crate::query::execution::{MicroBatchExecution, QueryConfig, QueryState};
use crate::query::progress::QueryStatus;
use crate::query::StreamingQuery;
use crate::delta::writer::create_table;
use crate::delta::DeltaLog;
use crate::sink::{ConsoleSink, DeltaSink, FileSink, ForeachBatchFn, ForeachBatchSink, MemorySink, OutputMode, Sink};
use crate::source::option;
use crate::{SparkSession, Trigger};

/// Functions Spark refuses in streaming queries (`UnsupportedOperationChecker`).
const NOT_STREAMABLE_FUNCTIONS: &[&str] = &["monotonically_increasing_id"];

/// `DataStreamWriter`.
pub struct DataStreamWriter {
    df: DataFrame,
    format: String,
    output_mode: Option<OutputMode>,
    trigger: Trigger,
    options: Vec<(String, String)>,
    query_name: Option<String>,
    partition_by: Vec<String>,
    foreach_batch: Option<ForeachBatchFn>,
}

impl DataStreamWriter {
    pub(crate) fn new(df: DataFrame) -> Self {
        DataStreamWriter {
            df,
            format: "parquet".into(),
            output_mode: None,
            trigger: Trigger::default(),
            options: Vec::new(),
            query_name: None,
            partition_by: Vec::new(),
            foreach_batch: None,
        }
    }

    /// `format(name)`.
    pub fn format(mut self, name: &str) -> Self {
        self.format = name.to_ascii_lowercase();
        self
    }

    /// `outputMode(mode)`.
    pub fn output_mode(mut self, mode: &str) -> Result<Self> {
        self.output_mode = Some(OutputMode::parse(mode)?);
        Ok(self)
    }

    /// `trigger(...)`.
    pub fn trigger(mut self, trigger: Trigger) -> Self {
        self.trigger = trigger;
        self
    }

    /// `option(key, value)`.
    pub fn option(mut self, key: &str, value: impl ToString) -> Self {
        self.options.push((key.to_string(), value.to_string()));
        self
    }

    /// `queryName(name)`.
    pub fn query_name(mut self, name: &str) -> Self {
        self.query_name = Some(name.to_string());
        self
    }

    /// `partitionBy(*cols)`.
    pub fn partition_by(mut self, columns: &[&str]) -> Self {
        self.partition_by = columns.iter().map(|c| c.to_string()).collect();
        self
    }

    /// `foreachBatch(f)`.
    pub fn foreach_batch(mut self, function: ForeachBatchFn) -> Self {
        self.foreach_batch = Some(function);
        self.format = "foreachbatch".into();
        self
    }

    /// `toTable(name)`: starts the query writing into the catalog table `name` (`db.table`
    /// or `table`), as Spark 3.5 does: a table that does not exist yet is created first, at
    /// the managed location `<warehouse>/<db>.db/<table>` (for Delta: a version 0 holding the
    /// query's schema), then the query writes there as `format(...).start(location)` would.
    ///
    /// Formats: `delta` and the file formats write the table; `console` prints as `start()`
    /// does; `memory` and `foreachBatch` are not table providers (Spark's
    /// `DATA_SOURCE_NOT_FOUND`).
    ///
    /// ```
    /// use std::rc::Rc;
    /// use std::sync::Arc;
    /// use streamlab_engine::{SparkSession, Trigger, clock::ManualClock, output::BufferedOutput};
    /// use streamlab_storage::{MemoryStorage, Storage};
    /// let fs = Arc::new(MemoryStorage::new());
    /// fs.write("/in/a.json", b"{\"n\":1}\n").unwrap();
    /// let spark = SparkSession::new(fs, Rc::new(ManualClock::new(0)), Rc::new(BufferedOutput::default()));
    /// let df = spark.read_stream().schema_ddl("n long").unwrap().json("/in").unwrap();
    /// let writer = || df.write_stream().unwrap().format("delta").option("checkpointLocation", "/cp").trigger(Trigger::AvailableNow);
    /// assert!(writer().to_table("db.t").unwrap_err().to_string().starts_with("[SCHEMA_NOT_FOUND]"));
    /// spark.create_database("db", true).unwrap();
    /// writer().to_table("db.t").unwrap().await_termination(None).unwrap();
    /// assert_eq!(spark.table("db.t").unwrap().count().unwrap(), 1);
    /// ```
    pub fn to_table(self, name: &str) -> Result<StreamingQuery> {
        let session = self.df.session().clone();
        if session.catalog_mut().lookup(name).is_some() {
            return Err(SparkError::analysis(format!("Temporary view {name} doesn't support streaming write.")));
        }
        match self.format.as_str() {
            "console" => return self.start(None),
            "delta" => {}
            other if FileFormat::from_name(other).is_some() => {}
            "foreachbatch" => return Err(crate::source::file::unknown_format("foreachBatch")),
            other => return Err(crate::source::file::unknown_format(other)),
        }
        let location = match session.file_table(name) {
            Some(table) if table.format != self.format => {
                return Err(SparkError::analysis(format!(
                    "The input source({}) is different from the table {name}'s data source provider({}).",
                    self.format, table.format
                )));
            }
            Some(table) => table.path,
            None => {
                let location = session.storage().absolute(&session.managed_table_path(name));
                session.register_file_table(name, &self.format, &location)?;
                location
            }
        };
        if self.format == "delta" {
            let schema = self.df.schema();
            let log = DeltaLog::new(session.storage().clone(), &location);
            let ids = session.clone();
            create_table(&log, &schema, &self.partition_by, session.clock().now_ms(), &move || ids.new_uuid())?;
        } else {
            session.storage().mkdirs(&location)?;
        }
        self.start(Some(&location))
    }

    /// `start(path)`: checks the query, resolves the checkpoint, and registers the query as
    /// active. Its first trigger is due at once.
    pub fn start(mut self, path: Option<&str>) -> Result<StreamingQuery> {
        let session = self.df.session().clone();
        if let Some(p) = path {
            self.options.push(("path".into(), p.to_string()));
        }
        let mode = self.output_mode.unwrap_or(OutputMode::Append);
        let plan = self.df.plan().clone();
        if self.format == "foreachbatch" && matches!(self.trigger, Trigger::Continuous(_)) {
            return Err(SparkError::illegal_argument("'foreachBatch' is not supported with continuous trigger."));
        }
        if self.format == "memory" && self.query_name.is_none() {
            return Err(SparkError::analysis("queryName must be specified for memory sink."));
        }
        let provider = session.sink_provider(&self.format);
        let file_format = match self.format.as_str() {
            _ if provider.is_some() => None,
            "memory" | "console" | "foreachbatch" | "delta" => None,
            other => Some(FileFormat::from_name(other).ok_or_else(|| crate::source::file::unknown_format(other))?),
        };
        if self.format == "delta" {
            if mode == OutputMode::Update {
                // delta-spark's DeltaDataSource.createSink text (its class name, no final period).
                return Err(SparkError::analysis(
                    "Data source org.apache.spark.sql.delta.sources.DeltaDataSource does not support Update output mode",
                )
                .with_class("DELTA_UNSUPPORTED_OUTPUT_MODE"));
            }
            FileSink::validate_partition_columns(&self.partition_by, &plan.schema())?;
        }
        if let Some(format) = file_format {
            if mode != OutputMode::Append {
                return Err(SparkError::analysis(format!(
                    "Data source {} does not support {} output mode.",
                    format.name(),
                    mode.name()
                )));
            }
            FileSink::validate_partition_columns(&self.partition_by, &plan.schema())?;
        }
        self.check_plan(mode)?;
        if let Some(provider) = &provider {
            provider.validate(&self.sink_context(&session, mode))?;
        }
        let allows_temporary = matches!(self.format.as_str(), "memory" | "console" | "foreachbatch");
        let (checkpoint, temporary) = self.resolve_checkpoint(allows_temporary)?;
        let storage = session.storage().clone();
        if self.format == "memory" && mode != OutputMode::Complete && !temporary && storage.exists(&join(&checkpoint, "offsets"))? {
            return Err(SparkError::analysis(format!(
                "This query does not support recovering from checkpoint location. Delete {}/offsets to start over.",
                checkpoint
            )));
        }
        self.check_active_queries()?;
        let id = load_or_create_query_id(storage.as_ref(), &checkpoint, || session.new_uuid())?;
        self.stop_previous_run(&id)?;
        let sink = match &provider {
            Some(provider) => provider.create(&self.sink_context(&session, mode), &id)?,
            None => self.create_sink(file_format, &id)?,
        };
        let state = Rc::new(RefCell::new(QueryState {
            status: QueryStatus::default(),
            active: true,
            next_trigger_ms: Some(session.clock().now_ms()),
            ..QueryState::default()
        }));
        let config = QueryConfig {
            id,
            run_id: session.new_uuid(),
            name: self.query_name.clone(),
            checkpoint,
            delete_checkpoint_on_stop: temporary,
            plan,
            sink,
            output_mode: mode,
            trigger: self.trigger,
        };
        let execution = MicroBatchExecution::new(session.clone(), config, state.clone());
        let query = StreamingQuery::new(&session, execution, state, self.query_name.clone());
        session.inner.queries.borrow_mut().add(query.clone());
        for listener in session.inner.queries.borrow().listeners() {
            listener.on_query_started(&query);
        }
        Ok(query)
    }

    fn sink_context<'a>(&'a self, session: &'a SparkSession, output_mode: OutputMode) -> SinkContext<'a> {
        SinkContext {
            session,
            options: &self.options,
            partition_by: &self.partition_by,
            schema: self.df.schema(),
            output_mode,
        }
    }

    /// The parts of `UnsupportedOperationChecker` that apply to stateless queries.
    fn check_plan(&self, mode: OutputMode) -> Result<()> {
        let plan = self.df.plan();
        let aggregate = plan.aggregate();
        if mode == OutputMode::Complete && aggregate.is_none() {
            return Err(SparkError::analysis(
                "Complete output mode not supported when there are no streaming aggregations on streaming DataFrames/Datasets",
            ));
        }
        if let Some(LogicalPlan::Aggregate { aggregates, watermark_key, .. }) = aggregate {
            if aggregates.iter().any(|a| a.is_distinct()) {
                return Err(SparkError::analysis(
                    "Distinct aggregations are not supported on streaming DataFrames/Datasets. Consider using approx_count_distinct() instead.",
                ));
            }
            if mode == OutputMode::Append && watermark_key.is_none() {
                return Err(SparkError::analysis(
                    "Append output mode not supported when there are streaming aggregations on streaming DataFrames/DataSets without watermark",
                ));
            }
        }
        crate::sort::check_streaming(plan, mode == OutputMode::Complete, mode == OutputMode::Update)?;
        let functions = plan.function_names();
        for f in NOT_STREAMABLE_FUNCTIONS {
            if functions.iter().any(|g| g == f) {
                return Err(SparkError::analysis(format!(
                    "Expression(s): {f}() is not supported with streaming DataFrames/Datasets"
                )));
            }
        }
        if let Trigger::Continuous(ms) = self.trigger {
            let specs = plan.stream_sources();
            if specs.iter().any(|s| FileFormat::from_name(&s.format).is_some()) {
                return Err(SparkError::analysis("Continuous processing does not support StreamingRelation operations."));
            }
            if functions.iter().any(|f| f == "current_timestamp" || f == "current_date" || f == "now") {
                return Err(SparkError::analysis("Continuous processing does not support current time operations."));
            }
            if FileFormat::from_name(&self.format).is_some() {
                return Err(SparkError::illegal_state(format!("Unknown type of trigger: ContinuousTrigger({ms})")));
            }
            return Err(SparkError::unsupported(
                "StreamLab runs micro-batch queries only: use trigger(processingTime=...) instead of continuous.",
            ));
        }
        Ok(())
    }

    /// Spark's checkpoint resolution: the option, else the session conf plus the query name
    /// (or a UUID), else a temporary directory for sinks that allow one. Returns
    /// `(absolute dir, temporary)`.
    fn resolve_checkpoint(&self, allows_temporary: bool) -> Result<(String, bool)> {
        let session = self.df.session();
        let storage = session.storage();
        if let Some(dir) = option(&self.options, "checkpointLocation") {
            return Ok((storage.absolute(dir), false));
        }
        let root = session.conf().get("spark.sql.streaming.checkpointLocation").unwrap_or_default();
        if !root.is_empty() {
            let leaf = self.query_name.clone().unwrap_or_else(|| session.new_uuid());
            return Ok((storage.absolute(&join(&root, &leaf)), false));
        }
        if allows_temporary {
            let dir = storage.absolute(&format!("/tmp/temporary-{}", session.new_uuid()));
            session.output().log(
                Level::Warn,
                "ResolveWriteToStream",
                &format!("Temporary checkpoint location created which is deleted normally when the query didn't fail: {dir}. If it's required to delete it under any circumstances, please set spark.sql.streaming.forceDeleteTempCheckpointLocation to true. Important to know deleting temp checkpoint folder is best effort."),
            );
            return Ok((dir, true));
        }
        Err(SparkError::analysis(
            "checkpointLocation must be specified either through option(\"checkpointLocation\", ...) or SparkSession.conf.set(\"spark.sql.streaming.checkpointLocation\", ...).",
        ))
    }

    fn check_active_queries(&self) -> Result<()> {
        let Some(name) = &self.query_name else { return Ok(()) };
        let active = self.df.session().streams().active();
        if active.iter().any(|q| q.name() == Some(name.as_str())) {
            return Err(SparkError::illegal_argument(format!(
                "Cannot start query with name {name} as a query with that name is already active in this SparkSession"
            )));
        }
        Ok(())
    }

    /// A run of the same checkpoint is already active: stop it (default) or refuse.
    fn stop_previous_run(&self, id: &str) -> Result<()> {
        let session = self.df.session();
        let Some(previous) = session.streams().get(id) else { return Ok(()) };
        if session.conf().get_bool("spark.sql.streaming.stopActiveRunOnRestart").unwrap_or(true) {
            session.output().log(
                Level::Warn,
                "StreamingQueryManager",
                &format!("Stopping existing streaming query [id={id}, runId={}], as a new run is being started.", previous.run_id()),
            );
            previous.stop();
            return Ok(());
        }
        Err(SparkError::illegal_state(format!(
            "Cannot start query with id {id} as another query with same id is already active. Perhaps you are attempting to restart a query from checkpoint that is already active. You may stop the old query by setting the SQL configuration: spark.conf.set(\"spark.sql.streaming.stopActiveRunOnRestart\", true) and retry."
        )))
    }

    fn create_sink(&mut self, file_format: Option<FileFormat>, query_id: &str) -> Result<Box<dyn Sink>> {
        let session = self.df.session().clone();
        if let Some(format) = file_format {
            let path = option(&self.options, "path")
                .ok_or_else(|| SparkError::illegal_argument("'path' is not specified."))?;
            let abs = session.storage().absolute(path);
            let compact = session.conf().get_i64("spark.sql.streaming.fileSink.log.compactInterval").unwrap_or(10);
            let ids = session.clone();
            return Ok(Box::new(FileSink::new(
                session.storage().clone(),
                session.output().clone(),
                &abs,
                format,
                self.partition_by.clone(),
                compact,
                Box::new(move || ids.new_uuid()),
            )));
        }
        match self.format.as_str() {
            "memory" => {
                let name = self.query_name.clone().unwrap_or_default();
                let table = Rc::new(RefCell::new(MemoryTable::new(self.df.schema())));
                session.catalog_mut().register(&name, CatalogEntry::Memory(table.clone()));
                Ok(Box::new(MemorySink::new(table)))
            }
            "delta" => {
                let path = option(&self.options, "path")
                    .ok_or_else(|| SparkError::illegal_argument("'path' is not specified."))?;
                let log = DeltaLog::new(session.storage().clone(), path);
                let ids = session.clone();
                Ok(Box::new(DeltaSink::new(
                    log,
                    session.output().clone(),
                    session.clock().clone(),
                    query_id,
                    self.partition_by.clone(),
                    Box::new(move || ids.new_uuid()),
                )))
            }
            "console" => {
                let hash: String = session.new_uuid().chars().take(8).collect();
                Ok(Box::new(ConsoleSink::new(&self.options, session.output().clone(), hash)?))
            }
            _ => {
                let function = self.foreach_batch.take().ok_or_else(|| {
                    SparkError::illegal_argument("foreachBatch function is not set")
                })?;
                Ok(Box::new(ForeachBatchSink::new(session, function)))
            }
        }
    }
}
