//! `MicroBatchExecution`: one streaming query's trigger loop, step by step as Spark 3.5 runs it
//! (construct the next batch, write `offsets/N`, run it, write `commits/N`, report progress).
//!
//! The loop is driven from outside, one trigger per [`MicroBatchExecution::run_trigger`] call,
//! because the browser has no threads; the session's scheduler calls it when
//! [`MicroBatchExecution::next_trigger_ms`] is due.

use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;

use serde_json::Value;
use streamlab_checkpoint::{CommitLog, CommitMetadata, OffsetSeq, OffsetSeqLog, OffsetSeqMetadata};
use streamlab_expr::EvalContext;
use streamlab_types::time::format_iso8601_millis;
use streamlab_types::{ErrorKind, Result, SparkError};

use super::listener::StreamingQueryListener;
use super::step::MicroBatchReport;
use super::progress::{QueryStatus, SinkProgress, SourceProgress, StateOperatorProgress, StreamingQueryProgress};
use super::trigger::Trigger;
use crate::exec::{execute, row_count, BatchInput};
use crate::output::Level;
use crate::plan::LogicalPlan;
use crate::sink::{OutputMode, Sink};
use crate::stateful::{self, ExecState};
use crate::source::{instantiate, ReadLimit, Source, SourceContext, SourceSpec};
use crate::SparkSession;

/// What the outside world can see of a query; borrowed only briefly, so it can be read even
/// while the query runs a batch (from a foreachBatch function, say).
#[derive(Debug, Default)]
pub(crate) struct QueryState {
    pub(crate) status: QueryStatus,
    pub(crate) progress: VecDeque<StreamingQueryProgress>,
    pub(crate) active: bool,
    pub(crate) exception: Option<SparkError>,
    pub(crate) stop_requested: bool,
    /// Set when a trigger found nothing to run (Spark's `noNewData`), for processAllAvailable.
    pub(crate) no_new_data: bool,
    /// When the next trigger may run; `None` once the query has terminated.
    pub(crate) next_trigger_ms: Option<i64>,
    /// What the last micro-batch did (files, offsets, state and output rows).
    pub(crate) last_batch: Option<MicroBatchReport>,
}

/// How a query was configured by `writeStream`.
pub(crate) struct QueryConfig {
    pub(crate) id: String,
    pub(crate) run_id: String,
    pub(crate) name: Option<String>,
    pub(crate) checkpoint: String,
    pub(crate) delete_checkpoint_on_stop: bool,
    pub(crate) plan: Rc<LogicalPlan>,
    pub(crate) sink: Box<dyn Sink>,
    pub(crate) output_mode: OutputMode,
    pub(crate) trigger: Trigger,
}

/// Durations of a trigger's phases, in ms, by Spark's names.
type Durations = BTreeMap<String, i64>;

pub(crate) struct MicroBatchExecution {
    session: SparkSession,
    config: QueryConfig,
    state: Rc<RefCell<QueryState>>,
    specs: Vec<Rc<SourceSpec>>,
    sources: Vec<Box<dyn Source>>,
    limits: Vec<ReadLimit>,
    offset_log: OffsetSeqLog,
    commit_log: CommitLog,
    started: bool,
    batch_id: i64,
    batch_constructed: bool,
    committed: Vec<Option<String>>,
    available: Vec<Option<String>>,
    metadata: OffsetSeqMetadata,
    watermark_ms: i64,
    last_trigger_start_ms: Option<i64>,
    last_idle_progress_ms: Option<i64>,
    last_sink_rows: Option<i64>,
    /// The aggregation state, event-time statistics and per-batch state metrics.
    exec_state: ExecState,
    /// Size of the last state snapshot written (reported as the state's memory).
    state_bytes: u64,
    /// `batchWatermarkMs` of the batch before the current one: Spark 3.5 drops late rows by it.
    previous_batch_watermark_ms: i64,
}

/// The `withWatermark` delay under `plan`, if it has one.
fn watermark_delay(plan: &LogicalPlan) -> Option<i64> {
    match plan {
        LogicalPlan::Watermark { delay_ms, .. } => Some(*delay_ms),
        LogicalPlan::Project { input, .. }
        | LogicalPlan::Filter { input, .. }
        | LogicalPlan::Aggregate { input, .. }
        | LogicalPlan::Deduplicate { input, .. }
        | LogicalPlan::Sort { input, .. }
        | LogicalPlan::Limit { input, .. } => watermark_delay(input),
        LogicalPlan::Join { left, .. } => watermark_delay(left),
        LogicalPlan::StreamSource { .. } | LogicalPlan::Relation { .. } | LogicalPlan::Table { .. } => None,
    }
}

fn offset_value(offset: &Option<String>) -> Value {
    match offset {
        Some(text) => serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.clone())),
        None => Value::Null,
    }
}

impl MicroBatchExecution {
    pub(crate) fn new(session: SparkSession, config: QueryConfig, state: Rc<RefCell<QueryState>>) -> Self {
        let storage = session.storage().clone();
        let specs = config.plan.stream_sources();
        let offset_log = OffsetSeqLog::new(storage.clone(), &config.checkpoint);
        let commit_log = CommitLog::new(storage, &config.checkpoint);
        let partitions = session.conf().get_i64("spark.sql.shuffle.partitions").unwrap_or(200);
        let n = specs.len();
        let mode = config.output_mode;
        MicroBatchExecution {
            session,
            config,
            state,
            specs,
            sources: Vec::new(),
            limits: Vec::new(),
            offset_log,
            commit_log,
            started: false,
            batch_id: 0,
            batch_constructed: false,
            committed: vec![None; n],
            available: vec![None; n],
            metadata: OffsetSeqMetadata {
                batch_watermark_ms: 0,
                batch_timestamp_ms: 0,
                conf: OffsetSeqMetadata::default_conf(partitions),
            },
            watermark_ms: 0,
            last_trigger_start_ms: None,
            last_idle_progress_ms: None,
            last_sink_rows: None,
            exec_state: ExecState::new(mode),
            state_bytes: 0,
            previous_batch_watermark_ms: 0,
        }
    }

    /// `<checkpoint>/state/0/0`: the one state store of the query's aggregation.
    fn state_dir(&self) -> String {
        streamlab_storage::join(&self.config.checkpoint, "state/0/0")
    }

    /// Whether the aggregation evicts by watermark, so a batch may be due without new data.
    fn evicts_by_watermark(&self) -> bool {
        self.config.output_mode != OutputMode::Complete
            && matches!(
                self.config.plan.stateful_operator(),
                Some(LogicalPlan::Aggregate { watermark_key: Some(_), .. } | LogicalPlan::Deduplicate { watermark_key: Some(_), .. })
            )
    }

    /// Loads the state the next batch starts from (the snapshot of batch `batch_id - 1`).
    fn load_state(&mut self) -> Result<()> {
        let (keys, aggregates) = match self.config.plan.stateful_operator() {
            Some(LogicalPlan::Aggregate { keys, aggregates, .. }) => (keys, aggregates.as_slice()),
            Some(LogicalPlan::Deduplicate { keys, .. }) => (keys, &[][..]),
            _ => return Ok(()),
        };
        let storage = self.session.storage().clone();
        let state = stateful::load(storage.as_ref(), &self.state_dir(), self.batch_id, keys, aggregates)?;
        self.exec_state.keyed = Some(state);
        Ok(())
    }

    pub(crate) fn id(&self) -> &str {
        &self.config.id
    }

    pub(crate) fn run_id(&self) -> &str {
        &self.config.run_id
    }

    pub(crate) fn plan(&self) -> &Rc<LogicalPlan> {
        &self.config.plan
    }

    fn now(&self) -> i64 {
        self.session.clock().now_ms()
    }

    fn set_status(&self, update: impl FnOnce(&mut QueryStatus)) {
        update(&mut self.state.borrow_mut().status);
    }

    fn set_message(&self, message: &str) {
        self.set_status(|s| s.message = message.to_string());
    }

    fn conf_i64(&self, key: &str, default: i64) -> i64 {
        self.session.conf().get_i64(key).unwrap_or(default)
    }

    /// Runs `f`, adding the time it took to the phase `key` of this trigger's durations.
    fn timed<T>(&mut self, durations: &mut Durations, key: &str, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        let start = self.now();
        let result = f(self);
        let spent = self.now() - start;
        *durations.entry(key.to_string()).or_insert(0) += spent;
        result
    }

    /// Runs one trigger; on failure the query terminates with `[STREAM_FAILED]`.
    pub(crate) fn run_trigger(&mut self) {
        if !self.state.borrow().active {
            return;
        }
        let trigger_start = self.now();
        match self.trigger(trigger_start) {
            Ok(ran_batch) => self.schedule_next(trigger_start, ran_batch),
            Err(cause) => self.fail(cause),
        }
        if self.state.borrow().stop_requested {
            self.stop();
        }
    }

    /// One trigger (`runActivatedStream`'s batch runner); returns whether a batch ran.
    fn trigger(&mut self, trigger_start: i64) -> Result<bool> {
        self.set_status(|s| s.is_trigger_active = true);
        let previous_start = self.last_trigger_start_ms.replace(trigger_start);
        let mut durations = Durations::new();
        let mut input_rows = vec![0usize; self.specs.len()];
        let mut output_rows = 0usize;
        let start_offsets;
        let has_new_data;
        {
            if !self.started {
                self.set_message("Initializing sources");
                self.start_sources()?;
                self.populate_start_offsets()?;
                self.started = true;
            }
            if !self.batch_constructed {
                self.batch_constructed = self.construct_next_batch(&mut durations)?;
            }
            start_offsets = self.committed.clone();
            has_new_data = self.is_new_data_available();
            self.set_status(|s| s.is_data_available = has_new_data);
            if self.batch_constructed {
                self.set_message(if has_new_data { "Processing new data" } else { "No new data but cleaning up state" });
                self.run_batch(&mut durations, &mut input_rows, &mut output_rows)?;
            } else {
                self.set_message("Waiting for data to arrive");
            }
        }
        let trigger_end = self.now();
        durations.insert("triggerExecution".into(), trigger_end - trigger_start);
        let ran = self.batch_constructed;
        if ran {
            let report = self.batch_report(&start_offsets, &input_rows)?;
            self.state.borrow_mut().last_batch = Some(report);
        }
        self.finish_trigger(ran, trigger_start, previous_start, trigger_end, durations, start_offsets, &input_rows);
        if ran {
            self.batch_id += 1;
            self.batch_constructed = false;
        } else {
            self.state.borrow_mut().no_new_data = true;
        }
        self.set_message("Waiting for next trigger");
        self.set_status(|s| s.is_trigger_active = false);
        Ok(ran)
    }

    /// The report of the batch that just ran (see [`MicroBatchReport`]): the offset log entry
    /// as written, and the files each source says the batch read (a file source answers from
    /// its log, so they are the files a restart would replay).
    fn batch_report(&mut self, start_offsets: &[Option<String>], input_rows: &[usize]) -> Result<MicroBatchReport> {
        let storage = self.session.storage().clone();
        let offsets_path = streamlab_storage::join(&self.config.checkpoint, &format!("offsets/{}", self.batch_id));
        let offsets_text = String::from_utf8_lossy(&storage.read(&offsets_path)?).into_owned();
        let mut files_read = Vec::new();
        for (source, (start, end)) in self.sources.iter_mut().zip(start_offsets.iter().zip(&self.available)) {
            files_read.extend(source.files_between(start.as_deref(), end.as_deref())?);
        }
        Ok(MicroBatchReport {
            batch_id: self.batch_id,
            offsets_path,
            offsets_text,
            files_read,
            input_rows: input_rows.iter().sum::<usize>() as i64,
            output_rows: self.last_sink_rows.unwrap_or(-1),
            state_rows: self.exec_state.keyed.as_ref().map(|state| state.len() as i64),
        })
    }

    /// Where the query keeps its checkpoint (`checkpointLocation`, or the temporary one).
    pub(crate) fn checkpoint(&self) -> &str {
        &self.config.checkpoint
    }

    fn start_sources(&mut self) -> Result<()> {
        let conf = self.session.conf().clone();
        let compact = conf.get_i64("spark.sql.streaming.fileSource.log.compactInterval").unwrap_or(10);
        let corrupt = conf.get("spark.sql.columnNameOfCorruptRecord").unwrap_or_else(|| "_corrupt_record".into());
        for (i, spec) in self.specs.iter().enumerate() {
            let ctx = SourceContext {
                storage: self.session.storage().clone(),
                clock: self.session.clock().clone(),
                output: self.session.output().clone(),
                metadata_dir: streamlab_storage::join(&self.config.checkpoint, &format!("sources/{i}")),
                compact_interval: compact,
                corrupt_column: corrupt.clone(),
            };
            let mut source = match self.session.source_provider(&spec.format) {
                Some(provider) => provider.create(spec, ctx)?,
                None => instantiate(spec, ctx)?,
            };
            let limit = match self.config.trigger {
                Trigger::Once => {
                    if let Some(text) = source.read_limit_text() {
                        self.session.output().log(
                            Level::Warn,
                            "MicroBatchExecution",
                            &format!("The read limit {text} for {} is ignored when Trigger.Once is used.", source.description()),
                        );
                    }
                    ReadLimit::AllAvailable
                }
                Trigger::AvailableNow => {
                    source.prepare_for_available_now()?;
                    source.default_read_limit()
                }
                _ => source.default_read_limit(),
            };
            self.sources.push(source);
            self.limits.push(limit);
        }
        Ok(())
    }

    /// Offsets of a logged batch, one per current source, with Spark's check on their number.
    fn offsets_for_sources(&self, seq: &OffsetSeq) -> Result<Vec<Option<String>>> {
        if seq.offsets.len() != self.sources.len() {
            return Err(SparkError::new(
                ErrorKind::Runtime,
                format!(
                    "assertion failed: There are [{}] sources in the checkpoint offsets and now there are [{}] sources requested by the query. Cannot continue.",
                    seq.offsets.len(),
                    self.sources.len()
                ),
            ));
        }
        Ok(seq.offsets.clone())
    }

    /// Restart logic (`populateStartOffsets`): resume after the last committed batch, or re-run
    /// the last logged batch with exactly its offsets if it never committed.
    fn populate_start_offsets(&mut self) -> Result<()> {
        let Some((latest_id, latest)) = self.offset_log.latest()? else {
            self.batch_id = 0;
            return self.load_state();
        };
        self.batch_id = latest_id;
        self.batch_constructed = true;
        self.available = self.offsets_for_sources(&latest)?;
        if latest_id != 0 {
            let previous = self.offset_log.get(latest_id - 1)?.ok_or_else(|| {
                SparkError::illegal_state(format!("batch {} doesn't exist", latest_id - 1))
            })?;
            self.committed = self.offsets_for_sources(&previous)?;
            self.previous_batch_watermark_ms = previous.metadata.batch_watermark_ms;
        }
        self.metadata = latest.metadata.clone();
        for (key, value) in &latest.metadata.conf {
            self.session.conf_set(key, value);
        }
        self.watermark_ms = latest.metadata.batch_watermark_ms;
        if let Some((committed_id, commit)) = self.commit_log.latest()? {
            if committed_id == latest_id {
                self.batch_id = committed_id + 1;
                self.batch_constructed = false;
                self.committed = self.available.clone();
                self.previous_batch_watermark_ms = latest.metadata.batch_watermark_ms;
                self.watermark_ms = self.watermark_ms.max(commit.next_batch_watermark_ms);
            } else if committed_id < latest_id - 1 {
                self.session.output().log(
                    Level::Warn,
                    "MicroBatchExecution",
                    &format!("Batch completion log latest batch id is {committed_id}, which is not trailing batchid {latest_id} by one"),
                );
            }
        }
        self.load_state()
    }

    fn is_new_data_available(&self) -> bool {
        self.available.iter().zip(&self.committed).any(|(a, c)| a.is_some() && a != c)
    }

    /// `constructNextBatch`: asks every source for its next end offset and, if anything is new,
    /// writes `offsets/N`.
    fn construct_next_batch(&mut self, durations: &mut Durations) -> Result<bool> {
        for i in 0..self.sources.len() {
            let description = self.sources[i].description();
            self.set_message(&format!("Getting offsets from {description}"));
            let start = self.available[i].clone();
            let limit = self.limits[i];
            let next = self.timed(durations, "latestOffset", |me| me.sources[i].latest_offset(start.as_deref(), limit))?;
            if next.is_some() {
                self.available[i] = next;
            }
        }
        let no_data_batch_due = self.evicts_by_watermark()
            && self.session.conf().get_bool("spark.sql.streaming.noDataMicroBatches.enabled").unwrap_or(true)
            && self.watermark_ms > self.metadata.batch_watermark_ms;
        if !self.is_new_data_available() && !no_data_batch_due {
            return Ok(false);
        }
        self.previous_batch_watermark_ms = self.metadata.batch_watermark_ms;
        self.metadata.batch_watermark_ms = self.watermark_ms;
        self.metadata.batch_timestamp_ms = self.now();
        self.set_message("Writing offsets to log");
        let seq = OffsetSeq { metadata: self.metadata.clone(), offsets: self.available.clone() };
        let batch_id = self.batch_id;
        self.timed(durations, "walCommit", |me| {
            if !me.offset_log.add(batch_id, &seq)? {
                return Err(SparkError::new(
                    ErrorKind::Runtime,
                    format!("assertion failed: Concurrent update to the log. Multiple streaming jobs detected for {batch_id}"),
                ));
            }
            if batch_id != 0 {
                let previous = me.offset_log.get(batch_id - 1)?.ok_or_else(|| {
                    SparkError::illegal_state(format!("batch {} doesn't exist", batch_id - 1))
                })?;
                for (source, offset) in me.sources.iter_mut().zip(&previous.offsets) {
                    if let Some(offset) = offset {
                        source.commit(offset)?;
                    }
                }
            }
            let retain = me.conf_i64("spark.sql.streaming.minBatchesToRetain", 100);
            if retain < batch_id {
                me.offset_log.purge(batch_id - retain)?;
                me.commit_log.purge(batch_id - retain)?;
            }
            Ok(())
        })?;
        Ok(true)
    }

    /// `runBatch`: reads each source's new rows, runs the plan, writes the sink, then
    /// `commits/N`.
    fn run_batch(&mut self, durations: &mut Durations, input_rows: &mut [usize], output_rows: &mut usize) -> Result<()> {
        let mut per_source = Vec::with_capacity(self.sources.len());
        for i in 0..self.sources.len() {
            let (start, end) = (self.committed[i].clone(), self.available[i].clone());
            let batches = match end {
                Some(end) if Some(&end) != start.as_ref() => {
                    self.timed(durations, "getBatch", |me| me.sources[i].get_batch(start.as_deref(), &end))?
                }
                _ => Vec::new(),
            };
            per_source.push(batches);
        }
        durations.entry("getBatch".into()).or_insert(0);
        let ctx = EvalContext { batch_timestamp_ms: self.metadata.batch_timestamp_ms };
        let plan = self.config.plan.clone();
        // Plans are resolved when DataFrames are built: planning a batch takes no time.
        durations.insert("queryPlanning".into(), 0);
        let mut input = BatchInput::new(per_source);
        let schema = plan.schema();
        let batch_id = self.batch_id;
        let mode = self.config.output_mode;
        self.exec_state.start_batch(self.metadata.batch_watermark_ms, self.previous_batch_watermark_ms);
        self.timed(durations, "addBatch", |me| {
            let rows = execute(&plan, &mut input, &ctx, &mut me.exec_state)?;
            *output_rows = row_count(&rows);
            // Spark's write-ahead rule: `offsets/N` must be on the disk before a sink makes the
            // batch visible elsewhere (a store that writes behind may still hold it).
            if !me.config.sink.only_writes_through_storage() {
                me.session.storage().flush()?;
            }
            me.config.sink.add_batch(batch_id, &rows, &schema, mode)
        })?;
        self.advance_watermark();
        self.save_state()?;
        for (slot, rows) in input_rows.iter_mut().zip(input.scanned_rows()) {
            *slot = *rows;
        }
        self.last_sink_rows = Some(self.config.sink.reported_output_rows(*output_rows));
        let watermark = self.watermark_ms;
        self.timed(durations, "commitOffsets", |me| {
            me.commit_log.add(batch_id, &CommitMetadata { next_batch_watermark_ms: watermark })?;
            Ok(())
        })?;
        self.committed = self.available.clone();
        Ok(())
    }

    /// Moves the watermark to the batch's max event time minus the delay, never backwards; the
    /// new value is used from the next batch on.
    fn advance_watermark(&mut self) {
        let stats = self.exec_state.event_time;
        if let (Some(delay), true) = (watermark_delay(&self.config.plan), stats.count > 0) {
            let candidate = stats.max_ms - delay;
            self.watermark_ms = self.watermark_ms.max(candidate);
        }
    }

    /// Writes the aggregation state as version `batch_id + 1` and drops versions older than
    /// `minBatchesToRetain`.
    fn save_state(&mut self) -> Result<()> {
        let Some(agg) = &self.exec_state.keyed else { return Ok(()) };
        let storage = self.session.storage().clone();
        let dir = self.state_dir();
        let version = self.batch_id + 1;
        self.state_bytes = stateful::save(storage.as_ref(), &dir, version, agg)?;
        let retain = self.conf_i64("spark.sql.streaming.minBatchesToRetain", 100);
        stateful::purge(storage.as_ref(), &dir, version - retain)
    }

    /// `progress.eventTime` and `progress.stateOperators`.
    /// An idle trigger reports only the watermark, as Spark's does.
    fn state_progress(&self, ran: bool) -> (BTreeMap<String, String>, Vec<StateOperatorProgress>) {
        let mut event_time = BTreeMap::new();
        if watermark_delay(&self.config.plan).is_some() {
            let stats = self.exec_state.event_time;
            event_time.insert("watermark".into(), format_iso8601_millis(self.metadata.batch_watermark_ms));
            if ran && stats.count > 0 {
                event_time.insert("avg".into(), format_iso8601_millis(stats.avg_ms as i64));
                event_time.insert("max".into(), format_iso8601_millis(stats.max_ms));
                event_time.insert("min".into(), format_iso8601_millis(stats.min_ms));
            }
        }
        let mut operators = Vec::new();
        if let (true, Some(agg)) = (ran, &self.exec_state.keyed) {
            let m = self.exec_state.metrics;
            let partitions = self.conf_i64("spark.sql.shuffle.partitions", 200);
            operators.push(StateOperatorProgress {
                operator_name: self.exec_state.operator_name.into(),
                num_rows_total: agg.len() as i64,
                num_rows_updated: m.rows_updated,
                all_updates_time_ms: 0,
                num_rows_removed: m.rows_removed,
                all_removals_time_ms: 0,
                commit_time_ms: 0,
                memory_used_bytes: self.state_bytes as i64,
                num_rows_dropped_by_watermark: m.rows_dropped_by_watermark,
                num_shuffle_partitions: partitions,
                num_state_store_instances: partitions,
                custom_metrics: {
                    let mut metrics = BTreeMap::from([
                        ("loadedMapCacheHitCount".to_string(), 0),
                        ("loadedMapCacheMissCount".to_string(), 0),
                        ("stateOnCurrentVersionSizeBytes".to_string(), self.state_bytes as i64),
                    ]);
                    if self.exec_state.operator_name == "dedupe" {
                        metrics.insert("numDroppedDuplicateRows".to_string(), m.duplicates_dropped);
                    }
                    metrics
                },
            });
        }
        (event_time, operators)
    }

    /// `finishTrigger`: builds the progress report. Idle triggers report at most once per
    /// `spark.sql.streaming.noDataProgressEventInterval`.
    #[allow(clippy::too_many_arguments)]
    fn finish_trigger(
        &mut self,
        ran: bool,
        start: i64,
        previous_start: Option<i64>,
        end: i64,
        mut durations: Durations,
        start_offsets: Vec<Option<String>>,
        input_rows: &[usize],
    ) {
        if !ran {
            durations.retain(|k, _| k == "latestOffset" || k == "triggerExecution");
            durations.entry("latestOffset".into()).or_insert(0);
        }
        let processing_secs = (end - start).max(1) as f64 / 1000.0;
        let input_secs = match previous_start {
            Some(p) => (start - p) as f64 / 1000.0,
            None => f64::INFINITY,
        };
        let sources: Vec<SourceProgress> = self
            .sources
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let rows = input_rows.get(i).copied().unwrap_or(0) as f64;
                SourceProgress {
                    description: s.description(),
                    start_offset: offset_value(&start_offsets[i]),
                    end_offset: offset_value(&self.available[i]),
                    latest_offset: offset_value(&s.reported_latest_offset()),
                    num_input_rows: rows as i64,
                    input_rows_per_second: rows / input_secs,
                    processed_rows_per_second: rows / processing_secs,
                    metrics: BTreeMap::new(),
                }
            })
            .collect();
        let (event_time, state_operators) = self.state_progress(ran);
        let sink_rows = match (ran, self.last_sink_rows) {
            (true, Some(n)) => n,
            (false, Some(_)) => 0,
            (_, None) => -1,
        };
        let progress = StreamingQueryProgress {
            id: self.config.id.clone(),
            run_id: self.config.run_id.clone(),
            name: self.config.name.clone(),
            timestamp: format_iso8601_millis(start),
            batch_id: self.batch_id,
            num_input_rows: sources.iter().map(|s| s.num_input_rows).sum(),
            input_rows_per_second: sources.iter().map(|s| s.input_rows_per_second).sum(),
            processed_rows_per_second: sources.iter().map(|s| s.processed_rows_per_second).sum(),
            duration_ms: durations,
            event_time,
            state_operators,
            sources,
            sink: SinkProgress { description: self.config.sink.description(), num_output_rows: sink_rows, metrics: BTreeMap::new() },
        };
        let interval = self.conf_i64("spark.sql.streaming.noDataProgressEventInterval", 10_000);
        let report = ran || self.last_idle_progress_ms.is_none_or(|last| end - interval >= last);
        if ran || report {
            self.last_idle_progress_ms = Some(end);
        }
        if report {
            let keep = self.conf_i64("spark.sql.streaming.numRecentProgressUpdates", 100).max(1) as usize;
            let mut state = self.state.borrow_mut();
            state.progress.push_back(progress.clone());
            while state.progress.len() >= keep {
                state.progress.pop_front();
            }
            drop(state);
            for listener in self.listeners() {
                listener.on_query_progress(&progress);
            }
        }
    }

    /// The session's query listeners (none while the registry is being changed, which only
    /// happens outside triggers).
    fn listeners(&self) -> Vec<Rc<dyn StreamingQueryListener>> {
        self.session.inner.queries.try_borrow().map(|q| q.listeners()).unwrap_or_default()
    }

    fn schedule_next(&mut self, trigger_start: i64, ran: bool) {
        let now = self.now();
        let next = match self.config.trigger {
            Trigger::Once => None,
            Trigger::AvailableNow if !ran => None,
            Trigger::AvailableNow => Some(now),
            Trigger::ProcessingTime(interval) => {
                let elapsed = now - trigger_start;
                if interval > 0 && elapsed > interval {
                    self.session.output().log(
                        Level::Warn,
                        "ProcessingTimeExecutor",
                        &format!("Current batch is falling behind. The trigger interval is {interval} milliseconds, but spent {elapsed} milliseconds"),
                    );
                }
                if interval > 0 {
                    Some(self.config.trigger.next_batch_time(trigger_start).max(now))
                } else if ran {
                    Some(now)
                } else {
                    Some(now + self.session.conf().get_ms("spark.sql.streaming.pollingDelay").unwrap_or(10))
                }
            }
            Trigger::Continuous(_) => None,
        };
        match next {
            Some(t) => self.state.borrow_mut().next_trigger_ms = Some(t),
            None => self.terminate(None),
        }
    }

    /// Ends the run: normally (`None`) or with a failure.
    fn terminate(&mut self, failure: Option<SparkError>) {
        // Whoever waits for the end (awaitTermination, stop, another process) finds every file
        // of the run on the disk.
        let failure = match self.session.storage().flush() {
            Err(e) if failure.is_none() => Some(e),
            _ => failure,
        };
        let mut state = self.state.borrow_mut();
        state.active = false;
        state.next_trigger_ms = None;
        state.status.is_trigger_active = false;
        state.status.is_data_available = false;
        match failure {
            Some(e) => {
                state.status.message = format!("Terminated with exception: {}", e.cause.as_deref().map_or(e.to_string(), |c| c.to_string()));
                state.exception = Some(e);
            }
            None => state.status.message = "Stopped".into(),
        }
        drop(state);
        if self.config.delete_checkpoint_on_stop && self.state.borrow().exception.is_none() {
            let _ = self.session.storage().delete(&self.config.checkpoint);
        }
        let exception = self.state.borrow().exception.clone();
        for listener in self.listeners() {
            listener.on_query_terminated(&self.config.id, &self.config.run_id, exception.as_ref());
        }
    }

    fn fail(&mut self, cause: SparkError) {
        let error = SparkError::new(
            ErrorKind::StreamingQuery,
            format!(
                "Query {}[id = {}, runId = {}] terminated with exception: {}",
                self.config.name.as_ref().map(|n| format!("{n} ")).unwrap_or_default(),
                self.config.id,
                self.config.run_id,
                cause
            ),
        )
        .with_class("STREAM_FAILED")
        .with_cause(cause);
        self.terminate(Some(error));
    }

    /// `query.stop()`.
    pub(crate) fn stop(&mut self) {
        if self.state.borrow().active {
            self.terminate(None);
        }
    }
}
