//! `spark.read.json` / the streaming JSON source over one file.

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use streamlab_types::Result;

use super::convert::{Converter, JsonSettings, Record, StructConv};
use super::flat::FlatParser;
use super::lexer::Lexer;
use crate::cell::Val;
use crate::lines::split_lines;
use crate::malformed::RowAssembler;
use crate::options::ReadOptions;

/// The JSON settings a read's options give.
pub fn settings(options: &ReadOptions) -> JsonSettings {
    JsonSettings {
        non_numeric: options.allow_non_numeric_numbers,
        timestamp_format: options.timestamp_format.clone(),
        timestamp_ntz_format: options.timestamp_ntz_format.clone(),
        date_format: options.date_format.clone(),
    }
}

/// Reads one JSON-lines file (or, with `multiLine`, one JSON document) into a batch of `schema`.
///
/// Why: this is the engine's hot path for the file source. Lines that are flat objects of plain
/// values go through [`super::flat`]'s fast path straight into the Arrow builders; every other
/// record is parsed into typed cells by the general converter (no generic JSON tree), which
/// applies Spark's rules for malformed records.
///
/// ```
/// use std::sync::Arc;
/// use arrow::array::{Array, Int64Array};
/// use arrow::datatypes::{DataType, Field, Schema};
/// use streamlab_io::{read_json, ReadOptions};
/// let schema = Arc::new(Schema::new(vec![
///     Field::new("a", DataType::Int64, true),
///     Field::new("_corrupt_record", DataType::Utf8, true),
/// ]));
/// let batch = read_json(b"{\"a\":1}\n\n{\"a\":\"x\"}\n", &schema, &ReadOptions::default()).unwrap();
/// assert_eq!(batch.num_rows(), 2);
/// let a = batch.column(0).as_any().downcast_ref::<Int64Array>().unwrap();
/// assert_eq!(a.value(0), 1);
/// assert!(a.is_null(1));
/// ```
pub fn read_json(data: &[u8], schema: &SchemaRef, options: &ReadOptions) -> Result<RecordBatch> {
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(mid) = parallel_split_point(data, options) {
        return read_halves_in_parallel(data, mid, schema, options);
    }
    read_serially(data, schema, options)
}

/// Files at least this large are parsed by two threads on native builds.
#[cfg(not(target_arch = "wasm32"))]
const PARALLEL_MIN_BYTES: usize = 256 * 1024;

/// Where a JSON-lines file can be cut in two for parallel parsing: just after the first line
/// end at or past the middle. Lines are independent records, so each half parses alone and the
/// rows come out in file order when the halves are joined. `None` for small files, multi-line
/// JSON and custom line separators.
#[cfg(not(target_arch = "wasm32"))]
fn parallel_split_point(data: &[u8], options: &ReadOptions) -> Option<usize> {
    if options.multi_line || options.line_sep_bytes().is_some() || data.len() < PARALLEL_MIN_BYTES {
        return None;
    }
    let half = data.len() / 2;
    let newline = memchr::memchr(b'\n', data.get(half..)?)?;
    let mid = half + newline + 1;
    (mid < data.len()).then_some(mid)
}

/// Parses `data[..mid]` here and `data[mid..]` on a second thread. The first half's error wins,
/// so FAILFAST reports the first malformed record in file order, as a serial read does.
#[cfg(not(target_arch = "wasm32"))]
fn read_halves_in_parallel(data: &[u8], mid: usize, schema: &SchemaRef, options: &ReadOptions) -> Result<RecordBatch> {
    let (first, second) = data.split_at(mid);
    let (head, tail) = std::thread::scope(|scope| {
        let tail = scope.spawn(|| read_serially(second, schema, options));
        (read_serially(first, schema, options), tail.join())
    });
    let head = head?;
    let tail = tail.map_err(|_| streamlab_types::SparkError::runtime("the JSON reader thread stopped unexpectedly"))??;
    Ok(arrow::compute::concat_batches(&head.schema(), [&head, &tail])?)
}

fn read_serially(data: &[u8], schema: &SchemaRef, options: &ReadOptions) -> Result<RecordBatch> {
    let estimate = memchr::memchr_iter(b'\n', data).count() + 1;
    let mut out = RowAssembler::new(schema, &options.corrupt_column, options.mode, estimate)?;
    let sc = StructConv::new(&out.data_fields())?;
    let settings = settings(options);
    let mut conv = Converter::new(&settings);
    let mut lx = Lexer::new(&[], options.json_dialect());
    let mut row: Vec<Val<'_>> = Vec::with_capacity(sc.len());
    if options.multi_line {
        parse_one(data, &mut lx, &mut conv, &sc, &mut row, &mut out)?;
    } else {
        let mut flat = FlatParser::new(&out.data_fields());
        for line in split_lines(data, options.line_sep_bytes()) {
            if flat.is_worth_trying() && flat.parse_into(line, &mut out) {
                continue;
            }
            parse_one(line, &mut lx, &mut conv, &sc, &mut row, &mut out)?;
        }
    }
    if let Some(e) = conv.fatal.take() {
        return Err(e);
    }
    out.finish()
}

#[inline]
fn parse_one<'a>(
    rec: &'a [u8],
    lx: &mut Lexer<'a>,
    conv: &mut Converter<'_>,
    sc: &StructConv,
    row: &mut Vec<Val<'a>>,
    out: &mut RowAssembler,
) -> Result<()> {
    lx.reset(rec);
    match conv.parse_record(lx, sc, true, row) {
        Record::Empty => Ok(()),
        Record::One { bad: false } => {
            out.push(row);
            Ok(())
        }
        Record::One { bad: true } => out.malformed(&[row.as_slice()], rec),
        Record::Many { rows, bad: false } => {
            for r in &rows {
                out.push(r);
            }
            Ok(())
        }
        Record::Many { rows, bad: true } => {
            let refs: Vec<&[Val<'_>]> = rows.iter().map(|r| r.as_slice()).collect();
            out.malformed(&refs, rec)
        }
        Record::Unparseable { .. } => out.malformed(&[], rec),
    }
}
