//! `from_json(col, schema[, options])` for struct schemas.

use arrow::array::{Array, StringArray, StructArray};
use arrow::buffer::NullBuffer;
use arrow::datatypes::{DataType, Fields};
use streamlab_types::{Result, SparkError};

use super::convert::{Converter, JsonSettings, Record, StructConv};
use super::lexer::{Dialect, Lexer};
use crate::cell::{render_row, ColumnBuilder, Val};
use crate::malformed::failfast_error;
use crate::options::ParseMode;

/// The column `from_json` reads its corrupt-record text into, when the schema has it.
const CORRUPT: &str = "_corrupt_record";

/// Parses each string of `values` into a struct of `fields` (Spark's `JsonToStructs`).
///
/// Why: streaming queries over Kafka or text parse JSON payloads with `from_json`. A null or
/// blank input gives a null struct; a malformed one gives, in PERMISSIVE mode, a struct with the
/// fields that parsed (all null when the text is not JSON) and, if the schema has a
/// `_corrupt_record` string field, the raw text there. FAILFAST raises Spark's error;
/// DROPMALFORMED is rejected as Spark rejects it.
///
/// ```
/// use arrow::array::{Array, Int64Array, StringArray};
/// use arrow::datatypes::{DataType, Field, Fields};
/// use streamlab_io::{json_to_struct, ParseMode};
/// let input = StringArray::from(vec![Some(r#"{"a":7}"#), Some("oops"), None]);
/// let fields = Fields::from(vec![Field::new("a", DataType::Int64, true)]);
/// let s = json_to_struct(&input, &fields, ParseMode::Permissive).unwrap();
/// let a = s.column(0).as_any().downcast_ref::<Int64Array>().unwrap();
/// assert_eq!(a.value(0), 7);
/// assert!(s.is_valid(1) && a.is_null(1));
/// assert!(s.is_null(2));
/// assert!(json_to_struct(&input, &fields, ParseMode::DropMalformed).is_err());
/// ```
pub fn json_to_struct(values: &StringArray, fields: &Fields, mode: ParseMode) -> Result<StructArray> {
    if mode == ParseMode::DropMalformed {
        return Err(SparkError::analysis(
            "from_json() doesn't support the DROPMALFORMED mode. Acceptable modes are PERMISSIVE and FAILFAST.",
        ));
    }
    let corrupt = fields.iter().rposition(|f| f.name() == CORRUPT);
    if let Some(i) = corrupt {
        if fields[i].data_type() != &DataType::Utf8 || !fields[i].is_nullable() {
            return Err(SparkError::analysis("The field for corrupt records must be string type and nullable."));
        }
    }
    let data_idx: Vec<usize> = (0..fields.len()).filter(|i| Some(*i) != corrupt).collect();
    let data_fields: Fields = data_idx.iter().map(|i| fields[*i].clone()).collect();
    let sc = StructConv::new(&data_fields)?;
    let settings = JsonSettings { non_numeric: true, ..JsonSettings::default() };
    let mut conv = Converter::new(&settings);
    let mut builders =
        fields.iter().map(|f| ColumnBuilder::new(f.data_type(), values.len())).collect::<Result<Vec<_>>>()?;
    let mut valid = Vec::with_capacity(values.len());
    let mut lx = Lexer::new(&[], Dialect::default());
    let mut row: Vec<Val<'_>> = Vec::new();
    let types: Vec<&DataType> = fields.iter().map(|f| f.data_type()).collect();
    for i in 0..values.len() {
        if values.is_null(i) || values.value(i).trim_matches(|c: char| c <= ' ').is_empty() {
            for b in builders.iter_mut() {
                b.append_null();
            }
            valid.push(false);
            continue;
        }
        let text = values.value(i);
        lx.reset(text.as_bytes());
        let rec = conv.parse_record(&mut lx, &sc, false, &mut row);
        let (bad, array_error) = match rec {
            Record::One { bad } => (bad, false),
            Record::Empty => (true, false),
            Record::Many { .. } => (true, false),
            Record::Unparseable { array_as_struct } => {
                row.iter_mut().for_each(|v| *v = Val::Null);
                (true, array_as_struct)
            }
        };
        let mut full: Vec<Val<'_>> = vec![Val::Null; fields.len()];
        for (j, &fi) in data_idx.iter().enumerate() {
            if let (Some(slot), Some(v)) = (full.get_mut(fi), row.get(j)) {
                *slot = v.clone();
            }
        }
        if bad {
            if let Some(c) = corrupt {
                if let Some(slot) = full.get_mut(c) {
                    *slot = Val::Str(text.into());
                }
            }
            if mode == ParseMode::FailFast {
                if array_error {
                    return Err(SparkError::runtime(format!(
                        "Malformed records are detected in record parsing: {text}.\nParse Mode: FAILFAST. To process malformed records as null result, try setting the option 'mode' as 'PERMISSIVE'. Parsing JSON arrays as structs is forbidden."
                    ))
                    .with_class("MALFORMED_RECORD_IN_PARSING.CANNOT_PARSE_JSON_ARRAYS_AS_STRUCTS"));
                }
                return Err(failfast_error(&render_row(&full, &types)));
            }
        }
        for (b, v) in builders.iter_mut().zip(full.iter()) {
            b.append(v);
        }
        valid.push(true);
    }
    if let Some(e) = conv.fatal.take() {
        return Err(e);
    }
    let cols = builders.iter_mut().map(|b| b.finish()).collect::<Result<Vec<_>>>()?;
    let nulls = if valid.iter().all(|v| *v) { None } else { Some(NullBuffer::from(valid)) };
    if fields.is_empty() {
        return Ok(StructArray::new_empty_fields(values.len(), nulls));
    }
    Ok(StructArray::try_new(fields.clone(), cols, nulls)?)
}
