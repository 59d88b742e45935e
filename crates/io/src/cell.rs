//! Parsed cells and the Arrow column builders they go into.
//!
//! Why: every reader (JSON, CSV, `from_json`) first stages one record as [`Val`]s, so a
//! malformed record can be rolled back, dropped or kept partially (Spark's PERMISSIVE partial
//! results) before anything reaches Arrow; [`ColumnBuilder`] then appends finished rows.
//! Strings borrow from the input whenever they contain no escapes.

use std::borrow::Cow;
use std::sync::Arc;

use arrow::array::{
    ArrayRef, BinaryBuilder, BooleanBuilder, Date32Builder, Decimal128Builder, Float32Builder,
    Float64Builder, Int16Builder, Int32Builder, Int64Builder, Int8Builder, ListArray, MapArray, NullArray,
    StringBuilder, StructArray, TimestampMicrosecondBuilder,
};
use arrow::buffer::{NullBuffer, OffsetBuffer};
use arrow::datatypes::{DataType, Field, FieldRef, Fields, TimeUnit};
use streamlab_types::{Result, SparkError};

/// One parsed value, typed by the column it is meant for.
///
/// Integers of every width, dates (days) and timestamps (microseconds) are `Int`; `float` and
/// `double` are `Float`; decimals are the unscaled `i128`.
#[derive(Debug, Clone, PartialEq)]
pub enum Val<'a> {
    /// SQL null.
    Null,
    /// A boolean.
    Bool(bool),
    /// Any integer-like value.
    Int(i64),
    /// A floating-point value.
    Float(f64),
    /// A string, borrowed from the input when possible.
    Str(Cow<'a, str>),
    /// Binary data.
    Bytes(Vec<u8>),
    /// An unscaled decimal.
    Dec(i128),
    /// Array elements.
    List(Vec<Val<'a>>),
    /// Map entries in input order (duplicates kept, as Spark keeps them).
    Map(Vec<(Val<'a>, Val<'a>)>),
    /// Struct fields in schema order.
    Struct(Vec<Val<'a>>),
}

/// An Arrow builder for one column of a Spark type.
pub enum ColumnBuilder {
    /// `boolean`
    Bool(BooleanBuilder),
    /// `tinyint`
    I8(Int8Builder),
    /// `smallint`
    I16(Int16Builder),
    /// `int`
    I32(Int32Builder),
    /// `bigint`
    I64(Int64Builder),
    /// `float`
    F32(Float32Builder),
    /// `double`
    F64(Float64Builder),
    /// `string`
    Utf8(StringBuilder),
    /// `binary`
    Binary(BinaryBuilder),
    /// `date`
    Date(Date32Builder),
    /// `timestamp` / `timestamp_ntz`
    Ts(TimestampMicrosecondBuilder, Option<Arc<str>>),
    /// `decimal(p,s)`
    Dec(Decimal128Builder, u8, i8),
    /// `void` (Spark `NullType`).
    Null(usize),
    /// `array<T>`
    List {
        /// The element field.
        field: FieldRef,
        /// The elements.
        child: Box<ColumnBuilder>,
        /// Element offsets, one more than rows.
        offsets: Vec<i32>,
        /// Row validity.
        valid: Vec<bool>,
    },
    /// `map<K,V>`
    Map {
        /// The entries field (`struct<key, value>`).
        field: FieldRef,
        /// The keys.
        keys: Box<ColumnBuilder>,
        /// The values.
        values: Box<ColumnBuilder>,
        /// Entry offsets, one more than rows.
        offsets: Vec<i32>,
        /// Row validity.
        valid: Vec<bool>,
    },
    /// `struct<…>`
    Struct {
        /// The struct's fields.
        fields: Fields,
        /// One builder per field.
        children: Vec<ColumnBuilder>,
        /// Row validity.
        valid: Vec<bool>,
    },
}

impl ColumnBuilder {
    /// A builder for `dt`, or Spark's error for a type StreamLab's readers do not support.
    pub fn new(dt: &DataType, capacity: usize) -> Result<ColumnBuilder> {
        Ok(match dt {
            DataType::Boolean => ColumnBuilder::Bool(BooleanBuilder::with_capacity(capacity)),
            DataType::Int8 => ColumnBuilder::I8(Int8Builder::with_capacity(capacity)),
            DataType::Int16 => ColumnBuilder::I16(Int16Builder::with_capacity(capacity)),
            DataType::Int32 => ColumnBuilder::I32(Int32Builder::with_capacity(capacity)),
            DataType::Int64 => ColumnBuilder::I64(Int64Builder::with_capacity(capacity)),
            DataType::Float32 => ColumnBuilder::F32(Float32Builder::with_capacity(capacity)),
            DataType::Float64 => ColumnBuilder::F64(Float64Builder::with_capacity(capacity)),
            DataType::Utf8 => ColumnBuilder::Utf8(StringBuilder::with_capacity(capacity, capacity * 8)),
            DataType::Binary => ColumnBuilder::Binary(BinaryBuilder::with_capacity(capacity, capacity * 8)),
            DataType::Date32 => ColumnBuilder::Date(Date32Builder::with_capacity(capacity)),
            DataType::Timestamp(TimeUnit::Microsecond, tz) => {
                ColumnBuilder::Ts(TimestampMicrosecondBuilder::with_capacity(capacity), tz.clone())
            }
            DataType::Decimal128(p, s) => ColumnBuilder::Dec(Decimal128Builder::with_capacity(capacity), *p, *s),
            DataType::Null => ColumnBuilder::Null(0),
            DataType::List(f) => ColumnBuilder::List {
                field: f.clone(),
                child: Box::new(ColumnBuilder::new(f.data_type(), capacity)?),
                offsets: vec![0],
                valid: Vec::with_capacity(capacity),
            },
            DataType::Map(f, _) => {
                let (kf, vf) = map_entry_fields(f)?;
                ColumnBuilder::Map {
                    field: f.clone(),
                    keys: Box::new(ColumnBuilder::new(kf.data_type(), capacity)?),
                    values: Box::new(ColumnBuilder::new(vf.data_type(), capacity)?),
                    offsets: vec![0],
                    valid: Vec::with_capacity(capacity),
                }
            }
            DataType::Struct(fields) => ColumnBuilder::Struct {
                fields: fields.clone(),
                children: fields.iter().map(|f| ColumnBuilder::new(f.data_type(), capacity)).collect::<Result<_>>()?,
                valid: Vec::with_capacity(capacity),
            },
            other => return Err(unsupported_type(other)),
        })
    }

    /// Appends a null.
    pub fn append_null(&mut self) {
        match self {
            ColumnBuilder::Bool(b) => b.append_null(),
            ColumnBuilder::I8(b) => b.append_null(),
            ColumnBuilder::I16(b) => b.append_null(),
            ColumnBuilder::I32(b) => b.append_null(),
            ColumnBuilder::I64(b) => b.append_null(),
            ColumnBuilder::F32(b) => b.append_null(),
            ColumnBuilder::F64(b) => b.append_null(),
            ColumnBuilder::Utf8(b) => b.append_null(),
            ColumnBuilder::Binary(b) => b.append_null(),
            ColumnBuilder::Date(b) => b.append_null(),
            ColumnBuilder::Ts(b, _) => b.append_null(),
            ColumnBuilder::Dec(b, _, _) => b.append_null(),
            ColumnBuilder::Null(n) => *n += 1,
            ColumnBuilder::List { offsets, valid, .. } | ColumnBuilder::Map { offsets, valid, .. } => {
                let last = offsets.last().copied().unwrap_or(0);
                offsets.push(last);
                valid.push(false);
            }
            ColumnBuilder::Struct { children, valid, .. } => {
                for c in children.iter_mut() {
                    c.append_null();
                }
                valid.push(false);
            }
        }
    }

    /// Appends a string (the hot path of string columns).
    #[inline]
    pub fn append_str(&mut self, s: &str) {
        match self {
            ColumnBuilder::Utf8(b) => b.append_value(s),
            other => other.append(&Val::Str(Cow::Borrowed(s))),
        }
    }

    /// Appends an integer-like value (the hot path of `bigint` columns).
    #[inline]
    pub fn append_int(&mut self, v: i64) {
        match self {
            ColumnBuilder::I64(b) => b.append_value(v),
            other => other.append(&Val::Int(v)),
        }
    }

    /// Appends a floating-point value (the hot path of `double` columns).
    #[inline]
    pub fn append_float(&mut self, v: f64) {
        match self {
            ColumnBuilder::F64(b) => b.append_value(v),
            other => other.append(&Val::Float(v)),
        }
    }

    /// Appends a boolean.
    #[inline]
    pub fn append_bool(&mut self, v: bool) {
        match self {
            ColumnBuilder::Bool(b) => b.append_value(v),
            other => other.append(&Val::Bool(v)),
        }
    }

    /// Appends a value; a value of the wrong shape for the column becomes null.
    pub fn append(&mut self, v: &Val<'_>) {
        match (self, v) {
            (b, Val::Null) => b.append_null(),
            (ColumnBuilder::Bool(b), Val::Bool(x)) => b.append_value(*x),
            (ColumnBuilder::I8(b), Val::Int(x)) => b.append_value(*x as i8),
            (ColumnBuilder::I16(b), Val::Int(x)) => b.append_value(*x as i16),
            (ColumnBuilder::I32(b), Val::Int(x)) => b.append_value(*x as i32),
            (ColumnBuilder::I64(b), Val::Int(x)) => b.append_value(*x),
            (ColumnBuilder::F32(b), Val::Float(x)) => b.append_value(*x as f32),
            (ColumnBuilder::F64(b), Val::Float(x)) => b.append_value(*x),
            (ColumnBuilder::Utf8(b), Val::Str(s)) => b.append_value(s),
            (ColumnBuilder::Binary(b), Val::Bytes(x)) => b.append_value(x),
            (ColumnBuilder::Binary(b), Val::Str(s)) => b.append_value(s.as_bytes()),
            (ColumnBuilder::Date(b), Val::Int(x)) => b.append_value(*x as i32),
            (ColumnBuilder::Ts(b, _), Val::Int(x)) => b.append_value(*x),
            (ColumnBuilder::Dec(b, _, _), Val::Dec(x)) => b.append_value(*x),
            (ColumnBuilder::List { child, offsets, valid, .. }, Val::List(items)) => {
                for it in items {
                    child.append(it);
                }
                let last = offsets.last().copied().unwrap_or(0);
                offsets.push(last.saturating_add(items.len() as i32));
                valid.push(true);
            }
            (ColumnBuilder::Map { keys, values, offsets, valid, .. }, Val::Map(entries)) => {
                for (k, v) in entries {
                    keys.append(k);
                    values.append(v);
                }
                let last = offsets.last().copied().unwrap_or(0);
                offsets.push(last.saturating_add(entries.len() as i32));
                valid.push(true);
            }
            (ColumnBuilder::Struct { children, valid, .. }, Val::Struct(vals)) => {
                for (i, c) in children.iter_mut().enumerate() {
                    match vals.get(i) {
                        Some(v) => c.append(v),
                        None => c.append_null(),
                    }
                }
                valid.push(true);
            }
            (b, _) => b.append_null(),
        }
    }

    /// Finishes the column.
    pub fn finish(&mut self) -> Result<ArrayRef> {
        Ok(match self {
            ColumnBuilder::Bool(b) => Arc::new(b.finish()),
            ColumnBuilder::I8(b) => Arc::new(b.finish()),
            ColumnBuilder::I16(b) => Arc::new(b.finish()),
            ColumnBuilder::I32(b) => Arc::new(b.finish()),
            ColumnBuilder::I64(b) => Arc::new(b.finish()),
            ColumnBuilder::F32(b) => Arc::new(b.finish()),
            ColumnBuilder::F64(b) => Arc::new(b.finish()),
            ColumnBuilder::Utf8(b) => Arc::new(b.finish()),
            ColumnBuilder::Binary(b) => Arc::new(b.finish()),
            ColumnBuilder::Date(b) => Arc::new(b.finish()),
            ColumnBuilder::Ts(b, tz) => Arc::new(b.finish().with_timezone_opt(tz.clone())),
            ColumnBuilder::Dec(b, p, s) => Arc::new(b.finish().with_precision_and_scale(*p, *s)?),
            ColumnBuilder::Null(n) => {
                let len = std::mem::take(n);
                Arc::new(NullArray::new(len))
            }
            ColumnBuilder::List { field, child, offsets, valid } => {
                let values = child.finish()?;
                let offs = OffsetBuffer::new(std::mem::replace(offsets, vec![0]).into());
                let nulls = take_nulls(valid);
                Arc::new(ListArray::try_new(field.clone(), offs, values, nulls)?)
            }
            ColumnBuilder::Map { field, keys, values, offsets, valid } => {
                let DataType::Struct(entry_fields) = field.data_type() else {
                    return Err(unsupported_type(field.data_type()));
                };
                let k = keys.finish()?;
                let v = values.finish()?;
                let entries = StructArray::try_new(entry_fields.clone(), vec![k, v], None)?;
                let offs = OffsetBuffer::new(std::mem::replace(offsets, vec![0]).into());
                let nulls = take_nulls(valid);
                Arc::new(MapArray::try_new(field.clone(), offs, entries, nulls, false)?)
            }
            ColumnBuilder::Struct { fields, children, valid } => {
                let len = valid.len();
                let nulls = take_nulls(valid);
                if fields.is_empty() {
                    Arc::new(StructArray::new_empty_fields(len, nulls))
                } else {
                    let cols = children.iter_mut().map(|c| c.finish()).collect::<Result<Vec<_>>>()?;
                    Arc::new(StructArray::try_new(fields.clone(), cols, nulls)?)
                }
            }
        })
    }
}

fn take_nulls(valid: &mut Vec<bool>) -> Option<NullBuffer> {
    let v = std::mem::take(valid);
    if v.iter().all(|b| *b) {
        None
    } else {
        Some(NullBuffer::from(v))
    }
}

/// The key and value fields of a map's entries field.
pub fn map_entry_fields(entries: &Field) -> Result<(FieldRef, FieldRef)> {
    match entries.data_type() {
        DataType::Struct(f) if f.len() == 2 => Ok((f[0].clone(), f[1].clone())),
        other => Err(unsupported_type(other)),
    }
}

/// Spark's name for a type (`bigint`, `array<string>`), for messages.
pub fn spark_type_name(dt: &DataType) -> String {
    match dt {
        DataType::Boolean => "boolean".into(),
        DataType::Int8 => "tinyint".into(),
        DataType::Int16 => "smallint".into(),
        DataType::Int32 => "int".into(),
        DataType::Int64 => "bigint".into(),
        DataType::Float32 => "float".into(),
        DataType::Float64 => "double".into(),
        DataType::Utf8 | DataType::LargeUtf8 => "string".into(),
        DataType::Binary | DataType::LargeBinary => "binary".into(),
        DataType::Date32 => "date".into(),
        DataType::Timestamp(_, Some(_)) => "timestamp".into(),
        DataType::Timestamp(_, None) => "timestamp_ntz".into(),
        DataType::Decimal128(p, s) => format!("decimal({p},{s})"),
        DataType::Null => "void".into(),
        DataType::List(f) | DataType::LargeList(f) => format!("array<{}>", spark_type_name(f.data_type())),
        DataType::Map(f, _) => match f.data_type() {
            DataType::Struct(kv) if kv.len() == 2 => {
                format!("map<{},{}>", spark_type_name(kv[0].data_type()), spark_type_name(kv[1].data_type()))
            }
            _ => "map".into(),
        },
        DataType::Struct(fs) => format!(
            "struct<{}>",
            fs.iter().map(|f| format!("{}:{}", f.name(), spark_type_name(f.data_type()))).collect::<Vec<_>>().join(",")
        ),
        other => other.to_string().to_lowercase(),
    }
}

fn unsupported_type(dt: &DataType) -> SparkError {
    SparkError::unsupported(format!("Unsupported data type {}.", spark_type_name(dt)))
}

/// Renders a staged row as Spark's `GenericInternalRow.toString` (`[1,null,abc]`), the text of
/// FAILFAST errors. Timestamps show as microseconds and dates as days, as in Spark.
pub fn render_row(vals: &[Val<'_>], types: &[&DataType]) -> String {
    let mut out = String::from("[");
    for (i, v) in vals.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        render_val(v, types.get(i).copied().unwrap_or(&DataType::Null), &mut out);
    }
    out.push(']');
    out
}

fn render_val(v: &Val<'_>, dt: &DataType, out: &mut String) {
    match v {
        Val::Null => out.push_str("null"),
        Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Val::Int(i) => out.push_str(&i.to_string()),
        Val::Float(f) => match dt {
            DataType::Float32 => out.push_str(&streamlab_types::java::float_to_string(*f as f32)),
            _ => out.push_str(&streamlab_types::java::double_to_string(*f)),
        },
        Val::Str(s) => out.push_str(s),
        Val::Bytes(b) => out.push_str(&format!("{b:?}")),
        Val::Dec(d) => {
            let scale = if let DataType::Decimal128(_, s) = dt { *s } else { 0 };
            out.push_str(&crate::decimal::format_decimal(*d, scale));
        }
        Val::Struct(vals) => {
            let types: Vec<&DataType> = match dt {
                DataType::Struct(fs) => fs.iter().map(|f| f.data_type()).collect(),
                _ => vec![],
            };
            out.push_str(&render_row(vals, &types));
        }
        Val::List(items) => {
            let et = match dt {
                DataType::List(f) => f.data_type().clone(),
                _ => DataType::Null,
            };
            let types: Vec<&DataType> = items.iter().map(|_| &et).collect();
            out.push_str(&render_row(items, &types));
        }
        Val::Map(entries) => {
            out.push_str("keys: ");
            let ks: Vec<Val<'_>> = entries.iter().map(|(k, _)| k.clone()).collect();
            let vs: Vec<Val<'_>> = entries.iter().map(|(_, v)| v.clone()).collect();
            let (kt, vt) = match dt {
                DataType::Map(f, _) => match map_entry_fields(f) {
                    Ok((k, v)) => (k.data_type().clone(), v.data_type().clone()),
                    Err(_) => (DataType::Null, DataType::Null),
                },
                _ => (DataType::Null, DataType::Null),
            };
            out.push_str(&render_row(&ks, &ks.iter().map(|_| &kt).collect::<Vec<_>>()));
            out.push_str(", values: ");
            out.push_str(&render_row(&vs, &vs.iter().map(|_| &vt).collect::<Vec<_>>()));
        }
    }
}

