//! The stateful part of a streaming query: the aggregation's groups kept between micro-batches,
//! event-time statistics for the watermark, and the state's checkpoint files.
//!
//! Spark keeps aggregation state in a state store per shuffle partition
//! (`state/<operator>/<partition>/<version>.delta`). StreamLab runs one partition, so it keeps
//! one store, `state/0/0/`, with one snapshot per batch (version = batch id + 1). The files
//! hold the group keys and each aggregate's buffer exactly, so a restart resumes the same
//! totals; their bytes are StreamLab's own (Spark writes LZ4-compressed UnsafeRows).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, BinaryArray, StructArray, TimestampMicrosecondArray, UInt32Array};
use arrow::compute::{filter, take};
use arrow::datatypes::{DataType, SchemaRef, TimestampMicrosecondType};
use arrow::record_batch::RecordBatch;
use arrow::row::{OwnedRow, Row, RowConverter, Rows, SortField};
use streamlab_expr::aggregate::{decode_state, encode_state, literal_at, literals_to_array, Accumulator, AggregateExpr};
use streamlab_expr::window::{assign_windows, window_type};
use streamlab_expr::{EvalContext, Literal};
use streamlab_storage::{join, Storage};
use streamlab_types::{Result, SparkError};

use crate::plan::GroupKey;
use crate::sink::OutputMode;

/// Min, max and mean of the event times (ms) that entered the watermark operator in one batch,
/// computed as Spark's `EventTimeStats` does: times truncated to ms, a running mean.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct EventTimeStats {
    pub(crate) min_ms: i64,
    pub(crate) max_ms: i64,
    pub(crate) avg_ms: f64,
    pub(crate) count: u64,
}

impl EventTimeStats {
    pub(crate) fn add(&mut self, times: &TimestampMicrosecondArray) {
        for micros in times.iter().flatten() {
            // Java's long division, as Spark's `getEventTime(row) / 1000`.
            let t = micros / 1000;
            if self.count == 0 {
                self.min_ms = t;
                self.max_ms = t;
            } else {
                self.min_ms = self.min_ms.min(t);
                self.max_ms = self.max_ms.max(t);
            }
            self.count += 1;
            self.avg_ms += (t as f64 - self.avg_ms) / self.count as f64;
        }
    }
}

/// What one batch did to the state, for `stateOperators` in the progress report.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct StateMetrics {
    pub(crate) rows_updated: i64,
    pub(crate) rows_removed: i64,
    pub(crate) rows_dropped_by_watermark: i64,
    /// Rows a deduplication dropped as duplicates (`numDroppedDuplicateRows`).
    pub(crate) duplicates_dropped: i64,
}

/// Everything a batch's execution reads and changes besides its input rows.
pub(crate) struct ExecState {
    pub(crate) mode: OutputMode,
    /// The watermark this batch evicts by (`batchWatermarkMs` of `offsets/N`).
    pub(crate) watermark_ms: i64,
    /// The watermark late rows are judged by: the previous batch's (Spark 3.5's rule).
    pub(crate) late_watermark_ms: i64,
    pub(crate) keyed: Option<KeyedState>,
    /// The stateful operator's name in progress reports (`stateStoreSave`, `dedupe`).
    pub(crate) operator_name: &'static str,
    pub(crate) event_time: EventTimeStats,
    pub(crate) metrics: StateMetrics,
}

impl ExecState {
    /// State for a one-off run of a static plan: everything is one complete batch.
    pub(crate) fn for_batch_query() -> Self {
        Self::new(OutputMode::Complete)
    }

    pub(crate) fn new(mode: OutputMode) -> Self {
        ExecState {
            mode,
            watermark_ms: 0,
            late_watermark_ms: 0,
            keyed: None,
            operator_name: "stateStoreSave",
            event_time: EventTimeStats::default(),
            metrics: StateMetrics::default(),
        }
    }

    /// Clears the per-batch statistics before a batch runs.
    pub(crate) fn start_batch(&mut self, watermark_ms: i64, late_watermark_ms: i64) {
        self.watermark_ms = watermark_ms;
        self.late_watermark_ms = late_watermark_ms;
        self.event_time = EventTimeStats::default();
        self.metrics = StateMetrics::default();
    }
}

/// One group's aggregation buffers (none for deduplication), and when the watermark may evict
/// it (window end or event time, µs).
struct Group {
    accumulators: Vec<Box<dyn Accumulator>>,
    expires_at_us: Option<i64>,
}

/// The keys a stateful operator remembers (an aggregation's groups, a deduplication's seen
/// keys), ordered by key.
pub(crate) struct KeyedState {
    converter: RowConverter,
    groups: BTreeMap<OwnedRow, Group>,
}

fn key_type(key: &GroupKey) -> DataType {
    match key {
        GroupKey::Expr(e) => e.data_type().clone(),
        GroupKey::Window { .. } => window_type(),
    }
}

impl KeyedState {
    pub(crate) fn new(keys: &[GroupKey]) -> Result<Self> {
        let fields = keys.iter().map(|k| SortField::new(key_type(k))).collect();
        Ok(KeyedState { converter: RowConverter::new(fields)?, groups: BTreeMap::new() })
    }

    /// Groups held.
    pub(crate) fn len(&self) -> usize {
        self.groups.len()
    }
}

/// The window ends of a `window` struct column, in µs.
fn window_ends(windows: &StructArray) -> Result<&TimestampMicrosecondArray> {
    windows
        .column(1)
        .as_primitive_opt::<TimestampMicrosecondType>()
        .ok_or_else(|| SparkError::illegal_state("window end is not a timestamp"))
}

/// Hashes group keys in the row format for a batch's grouping: a multiply-rotate hash over
/// eight bytes at a time (FxHash's mixing step). Why not the standard SipHash: the map lives
/// for one batch and its keys are a few dozen bytes, where SipHash's setup and rounds cost
/// more than the grouping itself; flooding protection buys nothing there.
#[derive(Default, Clone, Copy)]
struct KeyBytesHash;

impl std::hash::BuildHasher for KeyBytesHash {
    type Hasher = KeyBytesHasher;

    fn build_hasher(&self) -> KeyBytesHasher {
        KeyBytesHasher(0)
    }
}

/// The hasher of [`KeyBytesHash`].
struct KeyBytesHasher(u64);

impl KeyBytesHasher {
    #[inline]
    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl std::hash::Hasher for KeyBytesHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.mix(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        let mut word = [0u8; 8];
        if let Some(head) = word.get_mut(..rest.len()) {
            head.copy_from_slice(rest);
        }
        self.mix(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 56));
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.mix(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// One input batch with its rows expanded to (group key columns, aggregate arguments, expiry).
struct Keyed {
    keys: Vec<ArrayRef>,
    args: Vec<Vec<ArrayRef>>,
    expires: Option<TimestampMicrosecondArray>,
}

fn key_rows(
    batch: &RecordBatch,
    keys: &[GroupKey],
    aggregates: &[AggregateExpr],
    watermark_key: Option<usize>,
    ctx: &EvalContext,
) -> Result<Keyed> {
    let mut expansion: Option<(usize, UInt32Array, StructArray)> = None;
    for (i, key) in keys.iter().enumerate() {
        if let GroupKey::Window { spec, time, .. } = key {
            if expansion.is_some() {
                return Err(SparkError::analysis("Multiple time/session window expressions would result in a cartesian product of rows, therefore they are currently not supported."));
            }
            let times = time.evaluate(batch, ctx)?;
            let times = times
                .as_primitive_opt::<TimestampMicrosecondType>()
                .ok_or_else(|| SparkError::illegal_state("window time is not a timestamp"))?;
            let (rows, windows) = assign_windows(times, spec);
            expansion = Some((i, rows, windows));
        }
    }
    let expand = |a: ArrayRef| -> Result<ArrayRef> {
        match &expansion {
            Some((_, rows, _)) => Ok(take(a.as_ref(), rows, None)?),
            None => Ok(a),
        }
    };
    let mut key_arrays = Vec::with_capacity(keys.len());
    for (i, key) in keys.iter().enumerate() {
        match (key, &expansion) {
            (GroupKey::Window { .. }, Some((w, _, windows))) if *w == i => key_arrays.push(Arc::new(windows.clone()) as ArrayRef),
            (GroupKey::Expr(e), _) => key_arrays.push(expand(e.evaluate(batch, ctx)?)?),
            (GroupKey::Window { .. }, _) => return Err(SparkError::illegal_state("window key without windows")),
        }
    }
    let args = aggregates
        .iter()
        .map(|a| a.evaluate_args(batch, ctx)?.into_iter().map(expand).collect::<Result<Vec<_>>>())
        .collect::<Result<Vec<_>>>()?;
    let expires = match watermark_key.and_then(|k| key_arrays.get(k)) {
        Some(key) => match key.data_type() {
            DataType::Struct(_) => Some(window_ends(key.as_struct())?.clone()),
            DataType::Timestamp(_, _) => key.as_primitive_opt::<TimestampMicrosecondType>().cloned(),
            _ => None,
        },
        None => None,
    };
    Ok(Keyed { keys: key_arrays, args, expires })
}

/// Keeps the rows of `keyed` whose expiry is after `limit_us`; returns the kept rows and how
/// many distinct groups were dropped (Spark counts late rows after partial aggregation).
fn drop_late(keyed: Keyed, limit_us: i64, converter: &RowConverter) -> Result<(Keyed, i64)> {
    let Some(expires) = &keyed.expires else { return Ok((keyed, 0)) };
    let keep: arrow::array::BooleanArray = expires.iter().map(|t| Some(t.is_some_and(|t| t > limit_us))).collect();
    if keep.true_count() == keep.len() {
        return Ok((keyed, 0));
    }
    let rows = converter.convert_columns(&keyed.keys)?;
    let dropped: BTreeSet<&[u8]> =
        (0..rows.num_rows()).filter(|i| !keep.value(*i)).map(|i| rows.row(i).data()).collect();
    let dropped = dropped.len() as i64;
    let keys = keyed.keys.iter().map(|a| filter(a.as_ref(), &keep)).collect::<std::result::Result<Vec<_>, _>>()?;
    let args = keyed
        .args
        .iter()
        .map(|args| args.iter().map(|a| filter(a.as_ref(), &keep)).collect::<std::result::Result<Vec<_>, _>>())
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let expires = filter(expires, &keep)?.as_primitive::<TimestampMicrosecondType>().clone();
    Ok((Keyed { keys, args, expires: Some(expires) }, dropped))
}

/// The group keys of `rows` rows whose key columns are `columns`. With no key columns (a
/// global aggregation) every row has the one empty key: Arrow cannot tell a row count from zero
/// columns, so those keys are made from bytes.
fn group_rows(converter: &RowConverter, columns: &[ArrayRef], rows: usize) -> Result<Rows> {
    if columns.is_empty() {
        return Ok(converter.from_binary(BinaryArray::from_iter_values(std::iter::repeat_n(b"", rows))));
    }
    Ok(converter.convert_columns(columns)?)
}

/// Runs the aggregation for one micro-batch: folds `batches` into the state and returns the
/// rows the output mode emits (complete: every group; update: groups changed now; append:
/// groups the watermark has closed), evicting what the watermark allows.
#[allow(clippy::too_many_arguments)]
pub(crate) fn aggregate_batch(
    batches: &[RecordBatch],
    keys: &[GroupKey],
    aggregates: &[AggregateExpr],
    watermark_key: Option<usize>,
    schema: &SchemaRef,
    state: &mut ExecState,
    ctx: &EvalContext,
) -> Result<Vec<RecordBatch>> {
    if state.keyed.is_none() {
        state.keyed = Some(KeyedState::new(keys)?);
    }
    let mode = state.mode;
    let evicts = watermark_key.is_some() && mode != OutputMode::Complete;
    let (late_limit, evict_limit) = (state.late_watermark_ms * 1000, state.watermark_ms * 1000);
    let Some(agg) = state.keyed.as_mut() else { return Ok(Vec::new()) };
    let mut updated: BTreeSet<OwnedRow> = BTreeSet::new();
    for batch in batches {
        let keyed = key_rows(batch, keys, aggregates, watermark_key, ctx)?;
        let keyed = if evicts {
            let (kept, dropped) = drop_late(keyed, late_limit, &agg.converter)?;
            state.metrics.rows_dropped_by_watermark += dropped;
            kept
        } else {
            keyed
        };
        let rows = group_rows(&agg.converter, &keyed.keys, batch.num_rows())?;
        // Rows are grouped by their borrowed key bytes: a key is copied once per group, not
        // once per row.
        let mut by_group: HashMap<Row<'_>, Vec<u32>, KeyBytesHash> = HashMap::default();
        for i in 0..rows.num_rows() {
            by_group.entry(rows.row(i)).or_default().push(i as u32);
        }
        for (key, indices) in by_group {
            let key = key.owned();
            let first = indices.first().copied().unwrap_or(0) as usize;
            let expires_at_us = keyed.expires.as_ref().filter(|e| first < e.len() && e.is_valid(first)).map(|e| e.value(first));
            let group = agg.groups.entry(key.clone()).or_insert_with(|| Group {
                accumulators: aggregates.iter().map(|a| a.new_accumulator()).collect(),
                expires_at_us,
            });
            for (acc, args) in group.accumulators.iter_mut().zip(&keyed.args) {
                acc.update(args, &indices)?;
            }
            updated.insert(key);
        }
    }
    if keys.is_empty() && agg.groups.is_empty() {
        // Spark's global aggregation has its one row even over no input (`count` 0, `sum` null).
        let empty = group_rows(&agg.converter, &[], 1)?;
        agg.groups.insert(empty.row(0).owned(), Group { accumulators: aggregates.iter().map(|a| a.new_accumulator()).collect(), expires_at_us: None });
    }
    state.metrics.rows_updated = updated.len() as i64;
    let expired = |g: &Group| evicts && g.expires_at_us.is_some_and(|t| t <= evict_limit);
    let emitted: Vec<OwnedRow> = match mode {
        OutputMode::Complete => agg.groups.keys().cloned().collect(),
        OutputMode::Update => updated.iter().cloned().collect(),
        OutputMode::Append => agg.groups.iter().filter(|(_, g)| expired(g)).map(|(k, _)| k.clone()).collect(),
    };
    let output = build_output(agg, &emitted, aggregates, schema)?;
    let before = agg.groups.len();
    agg.groups.retain(|_, g| !expired(g));
    state.metrics.rows_removed = (before - agg.groups.len()) as i64;
    Ok(output.into_iter().collect())
}

/// Runs `dropDuplicates` for one micro-batch: passes the first row of every key not seen
/// before, drops late rows, and forgets keys the watermark has passed.
pub(crate) fn deduplicate_batch(
    batches: &[RecordBatch],
    keys: &[GroupKey],
    watermark_key: Option<usize>,
    state: &mut ExecState,
    ctx: &EvalContext,
) -> Result<Vec<RecordBatch>> {
    if state.keyed.is_none() {
        state.keyed = Some(KeyedState::new(keys)?);
    }
    state.operator_name = "dedupe";
    let (late_limit, evict_limit) = (state.late_watermark_ms * 1000, state.watermark_ms * 1000);
    let Some(seen) = state.keyed.as_mut() else { return Ok(Vec::new()) };
    let mut output = Vec::with_capacity(batches.len());
    for batch in batches {
        let keyed = key_rows(batch, keys, &[], watermark_key, ctx)?;
        let rows = seen.converter.convert_columns(&keyed.keys)?;
        let mut keep = Vec::with_capacity(rows.num_rows());
        for i in 0..rows.num_rows() {
            let expires_at_us = keyed.expires.as_ref().filter(|e| e.is_valid(i)).map(|e| e.value(i));
            if watermark_key.is_some() && expires_at_us.is_none_or(|t| t <= late_limit) {
                state.metrics.rows_dropped_by_watermark += 1;
                keep.push(false);
                continue;
            }
            let key = rows.row(i).owned();
            let new = !seen.groups.contains_key(&key);
            if new {
                seen.groups.insert(key, Group { accumulators: Vec::new(), expires_at_us });
                state.metrics.rows_updated += 1;
            } else {
                state.metrics.duplicates_dropped += 1;
            }
            keep.push(new);
        }
        output.push(arrow::compute::filter_record_batch(batch, &arrow::array::BooleanArray::from(keep))?);
    }
    if watermark_key.is_some() {
        let before = seen.groups.len();
        seen.groups.retain(|_, g| g.expires_at_us.is_none_or(|t| t > evict_limit));
        state.metrics.rows_removed = (before - seen.groups.len()) as i64;
    }
    Ok(output)
}

fn build_output(
    agg: &KeyedState,
    keys: &[OwnedRow],
    aggregates: &[AggregateExpr],
    schema: &SchemaRef,
) -> Result<Option<RecordBatch>> {
    if keys.is_empty() {
        return Ok(None);
    }
    let mut columns = agg.converter.convert_rows(keys.iter().map(|k| k.row()))?;
    for (j, aggregate) in aggregates.iter().enumerate() {
        let values = keys
            .iter()
            .map(|k| match agg.groups.get(k).and_then(|g| g.accumulators.get(j)) {
                Some(acc) => acc.evaluate(),
                None => Ok(Literal::Null),
            })
            .collect::<Result<Vec<_>>>()?;
        columns.push(literals_to_array(&values, aggregate.data_type())?);
    }
    // Key columns come back from the row format without field metadata; the schema has it.
    Ok(Some(RecordBatch::try_new(schema.clone(), columns)?))
}

const MAGIC: &[u8; 6] = b"SLSS1\n";

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
    out.extend_from_slice(bytes);
}

/// A cursor over a state file, failing cleanly on truncation.
struct Reader<'a> {
    data: &'a [u8],
    path: &'a str,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if self.data.len() < n {
            return Err(SparkError::illegal_state(format!("The state file {} is truncated", self.path)));
        }
        let (head, rest) = self.data.split_at(n);
        self.data = rest;
        Ok(head)
    }

    fn bytes(&mut self) -> Result<&'a [u8]> {
        let len = self.take(4)?;
        let len = u32::from_be_bytes([len[0], len[1], len[2], len[3]]) as usize;
        self.take(len)
    }
}

/// The key of every group as literals (a window as its start and end), in group order.
fn key_literals(agg: &KeyedState) -> Result<Vec<Vec<Literal>>> {
    let rows: Vec<&OwnedRow> = agg.groups.keys().collect();
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let columns = agg.converter.convert_rows(rows.iter().map(|r| r.row()))?;
    let mut out = vec![Vec::new(); rows.len()];
    for column in &columns {
        for (i, key) in out.iter_mut().enumerate() {
            match column.data_type() {
                DataType::Struct(_) => {
                    let s = column.as_struct();
                    key.push(literal_at(s.column(0), i)?);
                    key.push(literal_at(s.column(1), i)?);
                }
                _ => key.push(literal_at(column, i)?),
            }
        }
    }
    Ok(out)
}

/// Writes the state after batch `version - 1` to `<dir>/<version>.snapshot`.
pub(crate) fn save(storage: &dyn Storage, dir: &str, version: i64, agg: &KeyedState) -> Result<u64> {
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&(agg.groups.len() as u32).to_be_bytes());
    for (key, group) in key_literals(agg)?.iter().zip(agg.groups.values()) {
        put_bytes(&mut out, &encode_state(key)?);
        let expiry = group.expires_at_us.map_or(Literal::Null, Literal::Timestamp);
        put_bytes(&mut out, &encode_state(&[expiry])?);
        out.extend_from_slice(&(group.accumulators.len() as u32).to_be_bytes());
        for acc in &group.accumulators {
            put_bytes(&mut out, &encode_state(&acc.state())?);
        }
    }
    let path = join(dir, &format!("{version}.snapshot"));
    storage.write_atomic(&path, &out)?;
    streamlab_checkpoint::write_checksum_file(storage, &path, &out)?;
    Ok(out.len() as u64)
}

/// Rebuilds one key column from the saved literals of column `index`.
fn key_column(keys: &[Vec<Literal>], index: usize, data_type: &DataType) -> Result<ArrayRef> {
    let values: Vec<Literal> = keys.iter().map(|k| k.get(index).cloned().unwrap_or(Literal::Null)).collect();
    literals_to_array(&values, data_type)
}

/// Reads the state a batch starts from (`<dir>/<version>.snapshot`); version 0 is empty.
pub(crate) fn load(
    storage: &dyn Storage,
    dir: &str,
    version: i64,
    keys: &[GroupKey],
    aggregates: &[AggregateExpr],
) -> Result<KeyedState> {
    let mut agg = KeyedState::new(keys)?;
    if version == 0 {
        return Ok(agg);
    }
    let path = join(dir, &format!("{version}.snapshot"));
    if !storage.exists(&path)? {
        return Err(SparkError::illegal_state(format!(
            "Error reading streaming state file of HDFSStateStoreProvider[id = (op=0,part=0),dir = {dir}]: {path} does not exist. If the stream job is restarted with a new or updated state operation, please create a new checkpoint location or clear the existing checkpoint location."
        ))
        .with_class("CANNOT_LOAD_STATE_STORE.UNCATEGORIZED"));
    }
    let data = storage.read(&path)?;
    let mut r = Reader { data: &data, path: &path };
    if r.take(MAGIC.len())? != MAGIC {
        return Err(SparkError::illegal_state(format!("{path} is not a StreamLab state file")));
    }
    let count = r.take(4)?;
    let count = u32::from_be_bytes([count[0], count[1], count[2], count[3]]) as usize;
    let mut saved_keys = Vec::with_capacity(count.min(1 << 20));
    let mut groups = Vec::with_capacity(count.min(1 << 20));
    for _ in 0..count {
        saved_keys.push(decode_state(r.bytes()?)?);
        let expires_at_us = match decode_state(r.bytes()?)?.first() {
            Some(Literal::Timestamp(t)) => Some(*t),
            _ => None,
        };
        let n = r.take(4)?;
        let n = u32::from_be_bytes([n[0], n[1], n[2], n[3]]) as usize;
        if n != aggregates.len() {
            return Err(SparkError::illegal_state(format!(
                "{path} holds {n} aggregates, the query has {}: the query changed since the checkpoint was written",
                aggregates.len()
            )));
        }
        let accumulators = aggregates
            .iter()
            .map(|a| a.accumulator_from_state(&decode_state(r.bytes()?)?))
            .collect::<Result<Vec<_>>>()?;
        groups.push(Group { accumulators, expires_at_us });
    }
    let mut columns = Vec::with_capacity(keys.len());
    let mut index = 0;
    for key in keys {
        match key {
            GroupKey::Expr(e) => {
                columns.push(key_column(&saved_keys, index, e.data_type())?);
                index += 1;
            }
            GroupKey::Window { .. } => {
                let DataType::Struct(fields) = window_type() else {
                    return Err(SparkError::illegal_state("window type is not a struct"));
                };
                let start = key_column(&saved_keys, index, fields[0].data_type())?;
                let end = key_column(&saved_keys, index + 1, fields[1].data_type())?;
                columns.push(Arc::new(StructArray::try_new(fields, vec![start, end], None)?) as ArrayRef);
                index += 2;
            }
        }
    }
    let rows = group_rows(&agg.converter, &columns, groups.len())?;
    for (i, group) in groups.into_iter().enumerate() {
        agg.groups.insert(rows.row(i).owned(), group);
    }
    Ok(agg)
}

/// Deletes snapshots older than `min_version`.
pub(crate) fn purge(storage: &dyn Storage, dir: &str, min_version: i64) -> Result<()> {
    if !storage.exists(dir)? {
        return Ok(());
    }
    for name in storage.list_file_names(dir)? {
        let version = name.trim_start_matches('.').split('.').next().and_then(|v| v.parse::<i64>().ok());
        if version.is_some_and(|v| v < min_version) {
            storage.delete(&join(dir, &name))?;
        }
    }
    Ok(())
}


#[cfg(test)]
mod tests {
    use std::hash::BuildHasher;

    use super::*;

    #[test]
    fn key_hash_tells_padding_and_length_apart() {
        let hash = |bytes: &[u8]| KeyBytesHash.hash_one(bytes);
        assert_eq!(hash(b"window-and-key"), hash(b"window-and-key"));
        assert_ne!(hash(b"a"), hash(b"a\0"));
        assert_ne!(hash(b"12345678"), hash(b"12345678\0"));
        assert_ne!(hash(b"walk"), hash(b"bike"));
    }
}
