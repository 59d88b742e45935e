//! JSON tokens to typed cells, following Spark 3.5's `JacksonParser` converter by converter.
//!
//! Why this shape: Spark's results for malformed records (which fields survive, which row a
//! top-level array gives) fall out of *how* its converters walk the token stream, so each
//! function here mirrors one of `makeConverter`, `convertObject`, `convertArray`, `convertMap`
//! and the root converter, with Spark 3.5's partial results (`spark.sql.json.enablePartialResults`).

use std::borrow::Cow;
use std::collections::HashMap;

use arrow::datatypes::{DataType, Fields, TimeUnit};
use streamlab_types::{Result, SparkError};

use super::lexer::{Lexer, SyntaxError, Token};
use crate::cell::{map_entry_fields, spark_type_name, Val};

/// The converter for one Spark type (`makeConverter`).
#[derive(Debug, Clone)]
pub enum Conv {
    /// `boolean`
    Bool,
    /// `tinyint` (Jackson `getByteValue` accepts -128..=255 and wraps)
    I8,
    /// `smallint`
    I16,
    /// `int`
    I32,
    /// `bigint`
    I64,
    /// `float`
    F32,
    /// `double`
    F64,
    /// `string`
    Str,
    /// `binary` (base64 text)
    Bin,
    /// `date`
    Date,
    /// `timestamp`
    Ts,
    /// `timestamp_ntz`
    TsNtz,
    /// `decimal(p,s)`
    Dec(u8, i8),
    /// `void`
    Null,
    /// `struct<…>`
    Struct(StructConv),
    /// `array<T>`
    List(Box<Conv>),
    /// `map<string,T>`
    Map(Box<Conv>),
}

/// A struct's field converters and name lookup (`schema.getFieldIndex`).
#[derive(Debug, Clone)]
pub struct StructConv {
    /// Field names in schema order.
    pub names: Vec<String>,
    /// Field converters in schema order.
    pub convs: Vec<Conv>,
    index: HashMap<String, usize>,
    /// `unique[i]`: field `i` is the one its name resolves to (no later duplicate).
    unique: Vec<bool>,
}

impl StructConv {
    /// Converters for `fields` (case-sensitive names; with duplicate names the last wins).
    pub fn new(fields: &Fields) -> Result<StructConv> {
        let mut names = Vec::with_capacity(fields.len());
        let mut convs = Vec::with_capacity(fields.len());
        let mut index = HashMap::with_capacity(fields.len());
        for (i, f) in fields.iter().enumerate() {
            names.push(f.name().clone());
            convs.push(Conv::new(f.data_type())?);
            index.insert(f.name().clone(), i);
        }
        let unique = names.iter().enumerate().map(|(i, n)| index.get(n) == Some(&i)).collect();
        Ok(StructConv { names, convs, index, unique })
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when the struct has no fields.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    fn lookup(&self, lx: &Lexer<'_>, hint: Option<(&mut Vec<u32>, usize)>) -> Option<usize> {
        let span = lx.current_name_span()?;
        if Lexer::span_is_plain(span) {
            let bytes = lx.span_bytes(span);
            if let Some((order, k)) = hint {
                if let Some(&guess) = order.get(k) {
                    if let Some(n) = self.names.get(guess as usize) {
                        if n.as_bytes() == bytes && self.unique.get(guess as usize) == Some(&true) {
                            return Some(guess as usize);
                        }
                    }
                }
                let found = std::str::from_utf8(bytes).ok().and_then(|s| self.index.get(s).copied());
                if let Some(i) = found {
                    if order.len() <= k {
                        order.resize(k + 1, u32::MAX);
                    }
                    if let Some(slot) = order.get_mut(k) {
                        *slot = i as u32;
                    }
                }
                return found;
            }
            return std::str::from_utf8(bytes).ok().and_then(|s| self.index.get(s).copied());
        }
        let name = lx.decode(span);
        self.index.get(name.as_ref()).copied()
    }
}

impl Conv {
    /// The converter for a Spark type, or Spark's error for types JSON cannot read.
    pub fn new(dt: &DataType) -> Result<Conv> {
        Ok(match dt {
            DataType::Boolean => Conv::Bool,
            DataType::Int8 => Conv::I8,
            DataType::Int16 => Conv::I16,
            DataType::Int32 => Conv::I32,
            DataType::Int64 => Conv::I64,
            DataType::Float32 => Conv::F32,
            DataType::Float64 => Conv::F64,
            DataType::Utf8 => Conv::Str,
            DataType::Binary => Conv::Bin,
            DataType::Date32 => Conv::Date,
            DataType::Timestamp(TimeUnit::Microsecond, Some(_)) => Conv::Ts,
            DataType::Timestamp(TimeUnit::Microsecond, None) => Conv::TsNtz,
            DataType::Decimal128(p, s) => Conv::Dec(*p, *s),
            DataType::Null => Conv::Null,
            DataType::Struct(fs) => Conv::Struct(StructConv::new(fs)?),
            DataType::List(f) => Conv::List(Box::new(Conv::new(f.data_type())?)),
            DataType::Map(f, _) => {
                let (k, v) = map_entry_fields(f)?;
                if k.data_type() != &DataType::Utf8 {
                    return Err(SparkError::unsupported(format!(
                        "JSON map keys must be strings, not {}.",
                        spark_type_name(k.data_type())
                    )));
                }
                Conv::Map(Box::new(Conv::new(v.data_type())?))
            }
            other => {
                return Err(SparkError::analysis(format!(
                    "[UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE] The JSON datasource doesn't support the column of the type \"{}\".",
                    spark_type_name(other).to_uppercase()
                )))
            }
        })
    }
}

/// Why a conversion failed.
#[derive(Debug)]
pub enum Fail<'a> {
    /// The text is not JSON (Jackson `JsonParseException`).
    Syntax,
    /// A value that does not fit its type (`CannotParseJSONFieldException` and friends).
    Plain,
    /// A struct/array/map that parsed partly (`PartialResultException`): the partial value.
    Partial(Val<'a>),
}

impl From<SyntaxError> for Fail<'_> {
    fn from(_: SyntaxError) -> Self {
        Fail::Syntax
    }
}

/// Date/time parsing settings of a JSON read.
#[derive(Debug, Clone, Default)]
pub struct JsonSettings {
    /// `allowNonNumericNumbers`: `"NaN"`, `"Infinity"`… strings into float/double.
    pub non_numeric: bool,
    /// `timestampFormat`, when set.
    pub timestamp_format: Option<String>,
    /// `timestampNTZFormat`, when set.
    pub timestamp_ntz_format: Option<String>,
    /// `dateFormat`, when set.
    pub date_format: Option<String>,
}

/// What one record gave.
#[derive(Debug)]
pub enum Record<'a> {
    /// Blank input: no row.
    Empty,
    /// One row, in the caller's row buffer; `bad` = malformed with partial values.
    One {
        /// The record is malformed (the buffer holds Spark's partial result).
        bad: bool,
    },
    /// A top-level array: one row per element.
    Many {
        /// The rows (partial when `bad`).
        rows: Vec<Vec<Val<'a>>>,
        /// The record is malformed.
        bad: bool,
    },
    /// Malformed with no partial result: all data columns null.
    Unparseable {
        /// A top-level array where arrays are not allowed (`from_json`).
        array_as_struct: bool,
    },
}

/// Converts tokens into cells.
pub struct Converter<'s> {
    settings: &'s JsonSettings,
    /// Order of field names seen in the previous root object (speeds up lookups).
    hint: Vec<u32>,
    /// An error no record can recover from (unsupported datetime pattern).
    pub fatal: Option<SparkError>,
}

impl<'s> Converter<'s> {
    /// A converter with the read's settings.
    pub fn new(settings: &'s JsonSettings) -> Self {
        Converter { settings, hint: Vec::new(), fatal: None }
    }

    /// Parses one record (Spark `JacksonParser.parse` + the struct root converter). `row` must
    /// hold `sc.len()` cells; it is reset here.
    pub fn parse_record<'a>(
        &mut self,
        lx: &mut Lexer<'a>,
        sc: &StructConv,
        allow_array: bool,
        row: &mut Vec<Val<'a>>,
    ) -> Record<'a> {
        row.clear();
        row.resize(sc.len(), Val::Null);
        let first = match lx.next_token() {
            Ok(None) => return Record::Empty,
            Ok(Some(t)) => t,
            Err(_) => return Record::Unparseable { array_as_struct: false },
        };
        match first {
            Token::StartObject => match self.convert_object(lx, sc, row, true) {
                Ok(bad) => Record::One { bad },
                Err(_) => Record::Unparseable { array_as_struct: false },
            },
            Token::StartArray if allow_array => {
                let mut rows = Vec::new();
                let mut bad = false;
                loop {
                    match lx.next_token() {
                        Ok(None) | Ok(Some(Token::EndArray)) => break,
                        Ok(Some(_)) => {}
                        Err(_) => return Record::Unparseable { array_as_struct: false },
                    }
                    match lx.token() {
                        Some(Token::StartObject) => {
                            let mut r = vec![Val::Null; sc.len()];
                            match self.convert_object(lx, sc, &mut r, false) {
                                Ok(b) => {
                                    bad |= b;
                                    rows.push(r);
                                }
                                Err(_) => return Record::Unparseable { array_as_struct: false },
                            }
                        }
                        // null element: rootConverterReturnNullError; other: cannot convert.
                        _ => return Record::Unparseable { array_as_struct: false },
                    }
                }
                Record::Many { rows, bad }
            }
            Token::StartArray => Record::Unparseable { array_as_struct: true },
            _ => Record::Unparseable { array_as_struct: false },
        }
    }

    /// `convertObject` after `{`: fills `out` (schema order); `Ok(true)` when some field failed
    /// (Spark's partial result), `Err` when the loop itself hit a syntax error.
    fn convert_object<'a>(
        &mut self,
        lx: &mut Lexer<'a>,
        sc: &StructConv,
        out: &mut [Val<'a>],
        root: bool,
    ) -> Result<bool, SyntaxError> {
        let mut bad = false;
        let mut k = 0usize;
        let mut hint = if root { std::mem::take(&mut self.hint) } else { Vec::new() };
        let result = loop {
            match lx.next_token() {
                Ok(None) | Ok(Some(Token::EndObject)) => break Ok(bad),
                Ok(Some(_)) => {}
                Err(e) => break Err(e),
            }
            let idx = if root { sc.lookup(lx, Some((&mut hint, k))) } else { sc.lookup(lx, None) };
            if lx.token() == Some(Token::FieldName) {
                k += 1;
            }
            match idx.and_then(|i| sc.convs.get(i).map(|c| (i, c))) {
                Some((i, conv)) => match self.convert(lx, conv) {
                    Ok(v) => {
                        if let Some(slot) = out.get_mut(i) {
                            *slot = v;
                        }
                    }
                    Err(Fail::Partial(v)) => {
                        bad = true;
                        if let Some(slot) = out.get_mut(i) {
                            *slot = v;
                        }
                    }
                    Err(Fail::Plain) | Err(Fail::Syntax) => {
                        bad = true;
                        if let Err(e) = lx.skip_children() {
                            break Err(e);
                        }
                    }
                },
                None => {
                    if let Err(e) = lx.skip_children() {
                        break Err(e);
                    }
                }
            }
        };
        if root {
            self.hint = hint;
        }
        result
    }

    /// `makeConverter(dt)(parser)` with `parseJsonToken`'s handling of field names and nulls.
    pub fn convert<'a>(&mut self, lx: &mut Lexer<'a>, conv: &Conv) -> Result<Val<'a>, Fail<'a>> {
        let mut tok = lx.token();
        if tok == Some(Token::FieldName) {
            tok = lx.next_token()?;
        }
        let Some(tok) = tok else { return Ok(Val::Null) };
        if tok == Token::Null {
            return Ok(Val::Null);
        }
        match conv {
            Conv::Bool => match tok {
                Token::True => Ok(Val::Bool(true)),
                Token::False => Ok(Val::Bool(false)),
                _ => Err(Fail::Plain),
            },
            Conv::I8 | Conv::I16 | Conv::I32 | Conv::I64 => {
                if tok != Token::Int {
                    return Err(Fail::Plain);
                }
                let v = parse_long(lx.number_text()).ok_or(Fail::Plain)?;
                let ok = match conv {
                    Conv::I8 => (-128..=255).contains(&v),
                    Conv::I16 => i16::try_from(v).is_ok(),
                    Conv::I32 => i32::try_from(v).is_ok(),
                    _ => true,
                };
                if !ok {
                    return Err(Fail::Plain);
                }
                Ok(Val::Int(if matches!(conv, Conv::I8) { i64::from(v as i8) } else { v }))
            }
            Conv::F32 | Conv::F64 => {
                let f32_ = matches!(conv, Conv::F32);
                match tok {
                    Token::Int | Token::Float => {
                        if let Some(v) = lx.special() {
                            return Ok(Val::Float(v));
                        }
                        let t = lx.number_text();
                        let v = if f32_ {
                            t.parse::<f32>().map(f64::from).map_err(|_| Fail::Plain)?
                        } else {
                            t.parse::<f64>().map_err(|_| Fail::Plain)?
                        };
                        Ok(Val::Float(v))
                    }
                    Token::String if lx.text_non_empty() => {
                        if !self.settings.non_numeric {
                            return Err(Fail::Plain);
                        }
                        match lx.text().as_ref() {
                            "NaN" => Ok(Val::Float(f64::NAN)),
                            "+INF" | "+Infinity" | "Infinity" => Ok(Val::Float(f64::INFINITY)),
                            "-INF" | "-Infinity" => Ok(Val::Float(f64::NEG_INFINITY)),
                            _ => Err(Fail::Plain),
                        }
                    }
                    _ => Err(Fail::Plain),
                }
            }
            Conv::Str => match tok {
                Token::String => Ok(Val::Str(lx.text())),
                _ => {
                    let mut s = String::new();
                    lx.copy_current_structure(&mut s)?;
                    Ok(Val::Str(Cow::Owned(s)))
                }
            },
            Conv::Bin => match tok {
                Token::String => crate::base64::decode(lx.text().as_bytes()).map(Val::Bytes).ok_or(Fail::Plain),
                _ => Err(Fail::Plain),
            },
            Conv::Date => match tok {
                Token::String if lx.text_non_empty() => self.parse_date(&lx.text()).map(Val::Int).ok_or(Fail::Plain),
                _ => Err(Fail::Plain),
            },
            Conv::Ts => match tok {
                Token::String if lx.text_non_empty() => self.parse_ts(&lx.text()).map(Val::Int).ok_or(Fail::Plain),
                Token::Int => parse_long(lx.number_text()).map(|s| Val::Int(s.wrapping_mul(1_000_000))).ok_or(Fail::Plain),
                _ => Err(Fail::Plain),
            },
            Conv::TsNtz => match tok {
                Token::String if lx.text_non_empty() => self.parse_ts_ntz(&lx.text()).map(Val::Int).ok_or(Fail::Plain),
                _ => Err(Fail::Plain),
            },
            Conv::Dec(p, s) => match tok {
                Token::Int | Token::Float if lx.special().is_none() => {
                    crate::decimal::parse_decimal(lx.number_text(), *p, *s).map(Val::Dec).ok_or(Fail::Plain)
                }
                Token::String if lx.text_non_empty() => {
                    let t = lx.text().replace(',', "");
                    crate::decimal::parse_decimal(&t, *p, *s).map(Val::Dec).ok_or(Fail::Plain)
                }
                _ => Err(Fail::Plain),
            },
            Conv::Null => Ok(Val::Null),
            Conv::Struct(sc) => {
                if tok != Token::StartObject {
                    return Err(Fail::Plain);
                }
                let mut vals = vec![Val::Null; sc.len()];
                let bad = self.convert_object(lx, sc, &mut vals, false)?;
                if bad {
                    Err(Fail::Partial(Val::Struct(vals)))
                } else {
                    Ok(Val::Struct(vals))
                }
            }
            Conv::List(elem) => {
                if tok != Token::StartArray {
                    return Err(Fail::Plain);
                }
                let mut items = Vec::new();
                let mut bad = false;
                loop {
                    match lx.next_token()? {
                        None | Some(Token::EndArray) => break,
                        Some(_) => {}
                    }
                    match self.convert(lx, elem) {
                        Ok(v) => items.push(v),
                        Err(Fail::Partial(v)) => {
                            bad = true;
                            items.push(v);
                        }
                        Err(e) => return Err(e),
                    }
                }
                if bad {
                    Err(Fail::Partial(Val::List(items)))
                } else {
                    Ok(Val::List(items))
                }
            }
            Conv::Map(value) => {
                if tok != Token::StartObject {
                    return Err(Fail::Plain);
                }
                let mut entries = Vec::new();
                let mut partial = false;
                let mut failed = false;
                loop {
                    match lx.next_token()? {
                        None | Some(Token::EndObject) => break,
                        Some(_) => {}
                    }
                    let key = lx.current_name().unwrap_or(Cow::Borrowed(""));
                    match self.convert(lx, value) {
                        Ok(v) => entries.push((Val::Str(key), v)),
                        Err(Fail::Partial(v)) => {
                            partial = true;
                            entries.push((Val::Str(key), v));
                        }
                        Err(_) => {
                            failed = true;
                            lx.skip_children()?;
                        }
                    }
                }
                if failed {
                    Err(Fail::Plain)
                } else if partial {
                    Err(Fail::Partial(Val::Map(entries)))
                } else {
                    Ok(Val::Map(entries))
                }
            }
        }
    }

    fn parse_ts(&mut self, s: &str) -> Option<i64> {
        match &self.settings.timestamp_format {
            None => streamlab_types::time::parse_timestamp(s),
            Some(p) => self.pattern(s, p),
        }
    }

    fn parse_ts_ntz(&mut self, s: &str) -> Option<i64> {
        match &self.settings.timestamp_ntz_format {
            None => parse_timestamp_ntz(s),
            Some(p) => self.pattern(s, p),
        }
    }

    fn parse_date(&mut self, s: &str) -> Option<i64> {
        match &self.settings.date_format {
            None => streamlab_types::time::parse_date(s)
                .or_else(|| s.parse::<i32>().ok())
                .map(i64::from),
            Some(p) => self.pattern(s, p).map(|us| us.div_euclid(86_400_000_000)),
        }
    }

    fn pattern(&mut self, s: &str, p: &str) -> Option<i64> {
        match streamlab_types::time::parse_pattern(s, p) {
            Ok(v) => v,
            Err(e) => {
                if self.fatal.is_none() {
                    self.fatal = Some(e);
                }
                None
            }
        }
    }
}

/// `timestamp_ntz` text: Spark's timestamp syntax without a zone.
pub fn parse_timestamp_ntz(s: &str) -> Option<i64> {
    let t = s.trim();
    let time_part = t.find(['T', ' ']).map(|i| &t[i + 1..]).unwrap_or("");
    if time_part.bytes().any(|b| b == b'Z' || b == b'+' || b == b'-' || b.is_ascii_alphabetic()) {
        return None;
    }
    streamlab_types::time::parse_timestamp(t)
}

/// `getLongValue` of an integer token: `None` when out of range.
#[inline]
pub fn parse_long(t: &str) -> Option<i64> {
    let b = t.as_bytes();
    if b.len() <= 18 && !b.is_empty() {
        let (neg, digits) = match b.first() {
            Some(b'-') => (true, b.get(1..).unwrap_or(&[])),
            _ => (false, b),
        };
        if digits.is_empty() {
            return None;
        }
        let mut v: i64 = 0;
        for &d in digits {
            if !d.is_ascii_digit() {
                return None;
            }
            v = v * 10 + i64::from(d - b'0');
        }
        return Some(if neg { -v } else { v });
    }
    t.parse::<i64>().ok()
}
