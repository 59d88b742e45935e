//! The fast path of the JSON-lines reader: flat records of plain values, parsed straight into
//! copyable cells without the general tokenizer.
//!
//! Why: almost every line of a real stream is one object of scalars with plain keys, and the
//! general path ([`super::convert`] over [`super::lexer`]) pays for everything Spark's Jackson
//! parser can meet (partial results, token-stream positions, dialect options) on every line.
//! This parser accepts only the strict-JSON subset whose result cannot depend on any of that:
//! one object of double-quoted keys and scalar values, no escapes, no nesting, values that fit
//! their column. Every dialect accepts that subset and reads it the same way, so a line the
//! fast path accepts gives exactly the row the general path gives. On anything else it gives up
//! and the line goes to the general path, which then decides (malformed record, partial result,
//! dialect extension…).

use std::collections::HashMap;

use arrow::datatypes::{DataType, Fields};

use crate::cell::ColumnBuilder;
use crate::json::convert::parse_long;
use crate::malformed::RowAssembler;

/// What the fast path does with a field's values, by the field's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bool,
    /// `tinyint`: Jackson's `getByteValue` accepts -128..=255 and wraps.
    I8,
    I16,
    I32,
    I64,
    F32,
    F64,
    Str,
    /// A type the fast path leaves to the general path (any value of it gives up).
    Other,
}

impl Kind {
    fn of(dt: &DataType) -> Kind {
        match dt {
            DataType::Boolean => Kind::Bool,
            DataType::Int8 => Kind::I8,
            DataType::Int16 => Kind::I16,
            DataType::Int32 => Kind::I32,
            DataType::Int64 => Kind::I64,
            DataType::Float32 => Kind::F32,
            DataType::Float64 => Kind::F64,
            DataType::Utf8 => Kind::Str,
            _ => Kind::Other,
        }
    }
}

/// One parsed value: `Copy`, so staging a row allocates and drops nothing. Strings are byte
/// ranges of the line.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Cell {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(usize, usize),
}

/// A number as scanned: its text range, and the decimal digits when few enough to convert
/// without re-reading the text.
struct Number {
    start: usize,
    end: usize,
    negative: bool,
    float: bool,
    /// Significant digits as an integer, when there are at most 19 of them.
    mantissa: Option<u64>,
    /// The power of ten the mantissa is scaled by.
    exponent: i64,
}

/// Powers of ten that are exact in an `f64`.
const EXACT_POWERS: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// Longest number text the fast path reads (Jackson's own limit is far above; longer ones go to
/// the general path, which applies it).
const MAX_NUMBER_TEXT: usize = 64;

/// Parses flat JSON records of one schema's data fields and appends them to a [`RowAssembler`].
///
/// ```
/// use std::sync::Arc;
/// use arrow::array::{Array, Float64Array, StringArray};
/// use arrow::datatypes::{DataType, Field, Schema};
/// use streamlab_io::json::flat::FlatParser;
/// use streamlab_io::malformed::RowAssembler;
/// use streamlab_io::ParseMode;
/// let schema = Arc::new(Schema::new(vec![Field::new("x", DataType::Float64, true), Field::new("s", DataType::Utf8, true)]));
/// let mut out = RowAssembler::new(&schema, "_corrupt_record", ParseMode::Permissive, 2).unwrap();
/// let mut flat = FlatParser::new(&out.data_fields());
/// assert!(flat.parse_into(br#"{"s":"a","x":-6.256103500000001E-4,"other":[1]}"#, &mut out) == false);
/// assert!(flat.parse_into(br#"{"s":"b", "x":0.013748169}"#, &mut out));
/// let batch = out.finish().unwrap();
/// let x = batch.column(0).as_any().downcast_ref::<Float64Array>().unwrap();
/// assert_eq!(x.value(0), 0.013748169);
/// ```
pub struct FlatParser {
    kinds: Vec<Kind>,
    /// Each field's name when it is plain (no quote, backslash or control character), for
    /// comparing keys in place.
    plain_names: Vec<Option<Box<[u8]>>>,
    /// Field name → the field it resolves to (the last of duplicate names, as Spark).
    index: HashMap<Box<[u8]>, usize>,
    /// The field found at each key position of the previous record: the next record usually
    /// has the same keys in the same order, so a byte comparison replaces a hash lookup.
    order: Vec<usize>,
    cells: Vec<Cell>,
    /// Lines taken, and lines left to the general path, so far.
    taken: usize,
    declined: usize,
}

/// Lines the fast path may decline before it checks whether it is paying off.
const TRIAL_LINES: usize = 64;

impl FlatParser {
    /// A parser for the data fields of a read (the schema without the corrupt-record column).
    pub fn new(fields: &Fields) -> FlatParser {
        let names: Vec<Box<[u8]>> = fields.iter().map(|f| f.name().as_bytes().into()).collect();
        let index = names.iter().enumerate().map(|(i, n)| (n.clone(), i)).collect();
        FlatParser {
            kinds: fields.iter().map(|f| Kind::of(f.data_type())).collect(),
            plain_names: names.iter().map(|n| is_plain_name(n).then(|| n.clone())).collect(),
            index,
            order: Vec::new(),
            cells: vec![Cell::Null; fields.len()],
            taken: 0,
            declined: 0,
        }
    }

    /// Whether trying the next line here is likely to pay: not when the schema has no field the
    /// fast path reads, nor once most lines of the file needed the general path anyway (nested
    /// data, escapes…), where trying first would only add a partial parse to every line.
    pub fn is_worth_trying(&self) -> bool {
        self.kinds.iter().any(|k| *k != Kind::Other) && (self.declined < TRIAL_LINES || self.taken >= self.declined)
    }

    /// Parses `line` and appends its row to `out`; `false` (and nothing appended) when the line
    /// needs the general path.
    #[inline]
    pub fn parse_into(&mut self, line: &[u8], out: &mut RowAssembler) -> bool {
        // One validation of the whole line (the standard library's is word-at-a-time over
        // ASCII) lets every string below be sliced without another.
        let parsed = std::str::from_utf8(line).ok().and_then(|text| self.parse(text).map(|()| text));
        let Some(text) = parsed else {
            self.declined += 1;
            return false;
        };
        self.taken += 1;
        let cells = &self.cells;
        out.push_with(|j, builder| append(builder, cells.get(j).copied().unwrap_or(Cell::Null), text));
        true
    }

    /// Stages the line's values in `self.cells`; `None` when the line needs the general path.
    fn parse(&mut self, text: &str) -> Option<()> {
        let line = text.as_bytes();
        self.cells.fill(Cell::Null);
        let mut pos = skip_ws(line, 0);
        if line.get(pos) != Some(&b'{') {
            return None;
        }
        pos = skip_ws(line, pos + 1);
        if line.get(pos) == Some(&b'}') {
            return Some(());
        }
        let mut key_no = 0;
        loop {
            if line.get(pos) != Some(&b'"') {
                return None;
            }
            let (field, key_end) = self.key_at(line, pos + 1, key_no)?;
            key_no += 1;
            pos = skip_ws(line, key_end + 1);
            if line.get(pos) != Some(&b':') {
                return None;
            }
            pos = skip_ws(line, pos + 1);
            let (cell, end) = self.value(line, pos, field)?;
            if let Some(i) = field {
                *self.cells.get_mut(i)? = cell;
            }
            pos = skip_ws(line, end);
            match line.get(pos) {
                Some(b',') => pos = skip_ws(line, pos + 1),
                // Jackson stops at the end of the first value: the rest of the line is not read.
                Some(b'}') => return Some(()),
                _ => return None,
            }
        }
    }

    /// Reads the key whose text starts at `start` (after its quote): the field it names, if
    /// any, and the position of its closing quote. The field at the same position of the
    /// previous record is tried first, by comparing its name with the line's bytes in place.
    #[inline]
    fn key_at(&mut self, line: &[u8], start: usize, key_no: usize) -> Option<(Option<usize>, usize)> {
        if let Some(&guess) = self.order.get(key_no) {
            if let Some(name) = self.plain_names.get(guess).and_then(|n| n.as_deref()) {
                let end = start + name.len();
                // A plain name holds no quote, so the quote right after it closes the key.
                if line.get(end) == Some(&b'"') && line.get(start..end) == Some(name) {
                    return Some((Some(guess), end));
                }
            }
        }
        let (start, end) = scan_string(line, start)?;
        let found = self.index.get(line.get(start..end)?).copied();
        if let Some(i) = found {
            if self.order.len() <= key_no {
                self.order.resize(key_no + 1, usize::MAX);
            }
            if let Some(slot) = self.order.get_mut(key_no) {
                *slot = i;
            }
        }
        Some((found, end))
    }

    /// Reads the value at `pos` for `field` (`None`: a field the schema does not have, whose
    /// value must still be valid). Returns the cell and the position after the value.
    #[inline]
    fn value(&self, line: &[u8], pos: usize, field: Option<usize>) -> Option<(Cell, usize)> {
        let kind = match field {
            Some(i) => *self.kinds.get(i)?,
            None => Kind::Other,
        };
        if kind == Kind::Other && field.is_some() {
            return None;
        }
        match *line.get(pos)? {
            b'"' => {
                let (start, end) = scan_string(line, pos + 1)?;
                match (field, kind) {
                    (None, _) => Some((Cell::Null, end + 1)),
                    (Some(_), Kind::Str) => Some((Cell::Str(start, end), end + 1)),
                    // Strings into numbers or booleans fail to convert (or, for NaN/Infinity
                    // text, depend on options): the general path decides.
                    _ => None,
                }
            }
            b'-' | b'0'..=b'9' => {
                let number = scan_number(line, pos)?;
                let end = number.end;
                let cell = match (field, kind) {
                    (None, _) => Cell::Null,
                    (Some(_), Kind::F64) => Cell::Float(to_f64(line, &number)?),
                    (Some(_), Kind::F32) => Cell::Float(f64::from(number_text(line, &number)?.parse::<f32>().ok()?)),
                    (Some(_), Kind::I8 | Kind::I16 | Kind::I32 | Kind::I64) if !number.float => {
                        let v = to_i64(line, &number)?;
                        let fits = match kind {
                            Kind::I8 => (-128..=255).contains(&v),
                            Kind::I16 => i16::try_from(v).is_ok(),
                            Kind::I32 => i32::try_from(v).is_ok(),
                            _ => true,
                        };
                        if !fits {
                            return None;
                        }
                        Cell::Int(if kind == Kind::I8 { i64::from(v as i8) } else { v })
                    }
                    // A string column gets a number's normalized text, an integer column fails
                    // on a fraction: the general path does both.
                    _ => return None,
                };
                Some((cell, end))
            }
            b't' | b'f' => {
                let (word, value): (&[u8], bool) = if line.get(pos) == Some(&b't') { (b"true", true) } else { (b"false", false) };
                let end = literal(line, pos, word)?;
                let cell = if field.is_some() { bool_cell(kind, value)? } else { Cell::Null };
                Some((cell, end))
            }
            b'n' => literal(line, pos, b"null").map(|end| (Cell::Null, end)),
            _ => None,
        }
    }
}

/// A boolean for a column of `kind`: only boolean columns take one here.
fn bool_cell(kind: Kind, value: bool) -> Option<Cell> {
    (kind == Kind::Bool).then_some(Cell::Bool(value))
}

/// Appends one staged cell to its column.
#[inline]
fn append(builder: &mut ColumnBuilder, cell: Cell, line: &str) {
    match cell {
        Cell::Null => builder.append_null(),
        Cell::Bool(b) => builder.append_bool(b),
        Cell::Int(v) => builder.append_int(v),
        Cell::Float(v) => builder.append_float(v),
        // A string's range lies between two quotes, so on character boundaries.
        Cell::Str(start, end) => match line.get(start..end) {
            Some(s) => builder.append_str(s),
            None => builder.append_null(),
        },
    }
}

/// The text of a scanned number (ASCII, so always a `str`).
fn number_text<'a>(line: &'a [u8], n: &Number) -> Option<&'a str> {
    std::str::from_utf8(line.get(n.start..n.end)?).ok()
}

#[inline]
fn skip_ws(line: &[u8], mut pos: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = line.get(pos) {
        pos += 1;
    }
    pos
}

/// Bytes a string of a valid UTF-8 line may hold without a closer look: anything but a
/// quote, a backslash or a control character.
static PLAIN: [bool; 256] = {
    let mut t = [true; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = false;
        i += 1;
    }
    t[b'"' as usize] = false;
    t[b'\\' as usize] = false;
    t
};

/// Whether a field name, written as is between quotes, is read back as itself.
fn is_plain_name(name: &[u8]) -> bool {
    name.iter().all(|b| PLAIN[*b as usize])
}

/// Scans a double-quoted string of a valid UTF-8 line whose content starts at `start`;
/// returns the content range. `None` for escapes, control characters or a missing closing quote.
#[inline]
fn scan_string(line: &[u8], start: usize) -> Option<(usize, usize)> {
    let mut i = start;
    while let Some(&b) = line.get(i) {
        if !PLAIN[b as usize] {
            return (b == b'"').then_some((start, i));
        }
        i += 1;
    }
    None
}

/// `true`, `false` or `null` at `pos`, not running into an identifier character (Jackson's
/// `_checkMatchEnd`); returns the end.
#[inline]
fn literal(line: &[u8], pos: usize, word: &[u8]) -> Option<usize> {
    let end = pos + word.len();
    if line.get(pos..end)? != word {
        return None;
    }
    match line.get(end) {
        Some(c) if c.is_ascii_alphanumeric() || *c == b'_' || *c == b'$' || *c >= 0x80 => None,
        _ => Some(end),
    }
}

/// Scans a strict JSON number at `pos` (no leading zeros, digits after `.` and `e`).
#[inline]
fn scan_number(line: &[u8], pos: usize) -> Option<Number> {
    let mut i = pos;
    let negative = line.get(i) == Some(&b'-');
    if negative {
        i += 1;
    }
    let mut mantissa: u64 = 0;
    let int_start = i;
    i = digits(line, i, &mut mantissa);
    let int_len = i - int_start;
    if int_len == 0 || (int_len > 1 && line.get(int_start) == Some(&b'0')) {
        return None;
    }
    let mut count = int_len;
    let mut exponent: i64 = 0;
    let mut float = false;
    if line.get(i) == Some(&b'.') {
        float = true;
        let frac_start = i + 1;
        i = digits(line, frac_start, &mut mantissa);
        let frac_len = i - frac_start;
        if frac_len == 0 {
            return None;
        }
        count += frac_len;
        exponent = -(frac_len.min(MAX_NUMBER_TEXT + 1) as i64);
    }
    if let Some(b'e' | b'E') = line.get(i) {
        float = true;
        i += 1;
        let negative_exp = match line.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let exp_start = i;
        let mut e: u64 = 0;
        i = digits(line, i, &mut e);
        if i == exp_start || i - exp_start > 18 {
            return None;
        }
        let e = e as i64;
        exponent += if negative_exp { -e } else { e };
    }
    if i - pos > MAX_NUMBER_TEXT {
        return None;
    }
    // Up to 19 decimal digits always fit a u64 (leading zeros included, which add nothing).
    Some(Number { start: pos, end: i, negative, float, mantissa: (count <= 19).then_some(mantissa), exponent })
}

/// Reads decimal digits from `i` into `value` (wrapping: callers count the digits) and returns
/// the position after them. Eight digits at a time while there are eight (simdjson's SWAR
/// routines), then one at a time.
#[inline(always)]
fn digits(line: &[u8], mut i: usize, value: &mut u64) -> usize {
    while let Some(word) = line.get(i..i + 8).and_then(|c| <[u8; 8]>::try_from(c).ok()).map(u64::from_le_bytes) {
        if !eight_digits(word) {
            break;
        }
        *value = value.wrapping_mul(100_000_000).wrapping_add(eight_digit_value(word));
        i += 8;
    }
    while let Some(&b) = line.get(i) {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        *value = value.wrapping_mul(10).wrapping_add(u64::from(d));
        i += 1;
    }
    i
}

/// Whether the eight bytes of `word` (first byte lowest) are all ASCII digits.
#[inline(always)]
fn eight_digits(word: u64) -> bool {
    const HIGH: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    ((word & HIGH) | ((word.wrapping_add(0x0606_0606_0606_0606) & HIGH) >> 4)) == 0x3333_3333_3333_3333
}

/// The value of eight ASCII digits (first byte most significant).
#[inline(always)]
fn eight_digit_value(word: u64) -> u64 {
    const MASK: u64 = 0x0000_00FF_0000_00FF;
    const MUL1: u64 = 100 + (1_000_000 << 32);
    const MUL2: u64 = 1 + (10_000 << 32);
    let v = word.wrapping_sub(0x3030_3030_3030_3030);
    let v = v.wrapping_mul(10).wrapping_add(v >> 8);
    ((v & MASK).wrapping_mul(MUL1).wrapping_add(((v >> 16) & MASK).wrapping_mul(MUL2))) >> 32
}

/// `getLongValue`: the integer, or `None` when out of range.
#[inline]
fn to_i64(line: &[u8], n: &Number) -> Option<i64> {
    match n.mantissa {
        Some(m) if n.exponent == 0 => {
            if n.negative {
                0i64.checked_sub_unsigned(m)
            } else {
                i64::try_from(m).ok()
            }
        }
        _ => parse_long(number_text(line, n)?),
    }
}

/// `getDoubleValue`: exact when the digits and the power of ten are both exact in an `f64`
/// (one correctly rounded multiplication or division, Clinger's fast path); otherwise the
/// standard library's correctly rounded parse of the text.
#[inline]
fn to_f64(line: &[u8], n: &Number) -> Option<f64> {
    if let Some(m) = n.mantissa {
        if m <= 1 << 53 {
            let power = EXACT_POWERS.get(n.exponent.unsigned_abs() as usize);
            if let Some(&p) = power {
                let v = if n.exponent >= 0 { m as f64 * p } else { m as f64 / p };
                return Some(if n.negative { -v } else { v });
            }
        }
    }
    number_text(line, n)?.parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f64_of(text: &str) -> Option<f64> {
        let n = scan_number(text.as_bytes(), 0)?;
        if n.end != text.len() {
            return None;
        }
        to_f64(text.as_bytes(), &n)
    }

    fn i64_of(text: &str) -> Option<i64> {
        let n = scan_number(text.as_bytes(), 0)?;
        if n.float || n.end != text.len() {
            return None;
        }
        to_i64(text.as_bytes(), &n)
    }

    #[test]
    fn doubles_match_the_standard_parse() {
        for t in [
            "0", "-0", "0.0", "-0.0", "1", "0.013748169", "-6.256103500000001E-4", "1e22", "1e23", "123456789012345678901",
            "9007199254740993", "2.2250738585072014E-308", "1.7976931348623157e308", "1e400", "4.9e-324", "0.1", "1.5e-5",
            "3.0000000000000004", "100E-2", "12345678901234567890.5e-3",
        ] {
            let want: f64 = t.parse().unwrap();
            let got = f64_of(t).unwrap();
            assert_eq!(got.to_bits(), want.to_bits(), "{t}");
        }
    }

    #[test]
    fn digit_runs_of_every_length() {
        let text = b"98765432109876543210x";
        for start in 0..20 {
            for len in 0..=(20 - start) {
                let mut line = text[start..start + len].to_vec();
                line.extend_from_slice(b"-12345678");
                let mut value = 0;
                let end = digits(&line, 0, &mut value);
                let want: u64 = std::str::from_utf8(&line[..len]).unwrap().bytes().fold(0u64, |v, d| v.wrapping_mul(10).wrapping_add(u64::from(d - b'0')));
                assert_eq!((end, value), (len, want), "{}", String::from_utf8_lossy(&line));
            }
        }
        assert!(!eight_digits(u64::from_le_bytes(*b"1234567:")));
        assert!(!eight_digits(u64::from_le_bytes(*b"/1234567")));
    }

    #[test]
    fn longs_and_their_limits() {
        assert_eq!(i64_of("1424696631914042029"), Some(1_424_696_631_914_042_029));
        assert_eq!(i64_of("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(i64_of("9223372036854775807"), Some(i64::MAX));
        assert_eq!(i64_of("9223372036854775808"), None);
        assert_eq!(i64_of("-0"), Some(0));
        assert_eq!(i64_of("100000000000000000000"), None);
    }

    #[test]
    fn non_strict_numbers_are_left_to_the_general_path() {
        for t in ["01", "-", "1.", ".5", "1e", "1e+", "+1", "-x"] {
            let whole = scan_number(t.as_bytes(), 0).is_some_and(|n| n.end == t.len());
            assert!(!whole, "{t}");
        }
    }

    #[test]
    fn only_plain_flat_records_are_taken() {
        use arrow::datatypes::Field;
        let fields: Fields = vec![
            Field::new("a", DataType::Int64, true),
            Field::new("s", DataType::Utf8, true),
            Field::new("b", DataType::Boolean, true),
        ]
        .into();
        let mut p = FlatParser::new(&fields);
        let mut parse = |line: &[u8]| std::str::from_utf8(line).ok().and_then(|text| p.parse(text).map(|()| p.cells.clone()));
        assert_eq!(parse(br#" {"a":1, "s":"x\u00e9", "b":true}"#), None);
        assert_eq!(parse("{\"a\":1,\"s\":\"café\",\"b\":true} trailing".as_bytes()), Some(vec![Cell::Int(1), Cell::Str(12, 17), Cell::Bool(true)]));
        assert_eq!(parse(br#"{"s":"y","a":null,"zz":[1]}"#), None);
        assert_eq!(parse(br#"{"s":"y","a":null,"zz":"q","a":7}"#), Some(vec![Cell::Int(7), Cell::Str(6, 7), Cell::Null]));
        for bad in [
            &br#"{"a":1.5}"#[..],
            br#"{"a":"1"}"#,
            br#"{"s":1}"#,
            br#"{"b":truex}"#,
            br#"{"a":1,}"#,
            br#"{"a":1"#,
            br#"{'a':1}"#,
            b"{\"s\":\"a\tb\"}",
            b"{\"s\":\"caf\xc3\"}",
            br#"[{"a":1}]"#,
            b"",
        ] {
            assert_eq!(parse(bad), None, "{}", String::from_utf8_lossy(bad));
        }
    }

    /// The general path's row for `line`, when it reads it as one well-formed record.
    fn general_row(line: &[u8], schema: &arrow::datatypes::SchemaRef) -> Option<arrow::record_batch::RecordBatch> {
        use crate::json::convert::{Converter, JsonSettings, Record, StructConv};
        use crate::json::lexer::{Dialect, Lexer};
        let mut out = RowAssembler::new(schema, "_corrupt_record", crate::ParseMode::Permissive, 1).ok()?;
        let sc = StructConv::new(&out.data_fields()).ok()?;
        let settings = JsonSettings::default();
        let mut conv = Converter::new(&settings);
        let mut lx = Lexer::new(line, Dialect::default());
        let mut row = Vec::new();
        match conv.parse_record(&mut lx, &sc, true, &mut row) {
            Record::One { bad: false } => out.push(&row),
            _ => return None,
        }
        out.finish().ok()
    }

    #[test]
    fn rows_taken_are_the_rows_the_general_path_reads() {
        use arrow::datatypes::{Field, Schema};
        use std::sync::Arc;
        let schema = Arc::new(Schema::new(vec![
            Field::new("Arrival_Time", DataType::Int64, true),
            Field::new("Creation_Time", DataType::Int64, true),
            Field::new("Device", DataType::Utf8, true),
            Field::new("Index", DataType::Int32, true),
            Field::new("gt", DataType::Utf8, true),
            Field::new("x", DataType::Float64, true),
            Field::new("y", DataType::Float32, true),
            Field::new("t", DataType::Int8, true),
            Field::new("b", DataType::Boolean, true),
            Field::new("gt", DataType::Utf8, true),
            Field::new("_corrupt_record", DataType::Utf8, true),
        ]));
        let sample = include_str!("../../../../data/activity/part-00000.json");
        let crafted = [
            r#"{"x":1e22,"y":1e23,"t":255,"Index":2147483647}"#,
            r#"{"x":-0.0,"y":-0,"t":-128,"Index":-2147483648,"b":false}"#,
            r#"{"x":12345678901234567890123,"t":200,"Index":2147483648}"#,
            r#"{"x":0.1,"x":null,"gt":"a","gt":"b","Device":"é ü 😀"}"#,
            r#"  {  "x" : 1.5e-7 , "b" : true , "unknown" : "z" , "other" : 3 , "no" : null }   trailing"#,
            r#"{"x":2.2250738585072014E-308,"y":3.4028236e38,"Creation_Time":9223372036854775807}"#,
            r#"{"x":4.9e-324,"Creation_Time":-9223372036854775808,"Arrival_Time":1}"#,
            r#"{"x":1,"b":1}"#,
            r#"{"t":256}"#,
            r#"{"Device":"tab	inside"}"#,
            r#"{}"#,
            r#"{"x":NaN}"#,
        ];
        let mut taken = 0;
        for line in sample.lines().take(400).chain(crafted) {
            let mut out = RowAssembler::new(&schema, "_corrupt_record", crate::ParseMode::Permissive, 1).unwrap();
            let mut flat = FlatParser::new(&out.data_fields());
            if !flat.parse_into(line.as_bytes(), &mut out) {
                continue;
            }
            taken += 1;
            let fast = out.finish().unwrap();
            let general = general_row(line.as_bytes(), &schema).unwrap_or_else(|| panic!("general path rejects {line}"));
            assert_eq!(fast, general, "{line}");
        }
        assert!(taken >= 405, "{taken}");
    }
}
