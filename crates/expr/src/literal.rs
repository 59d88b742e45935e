//! Constants: their Spark type, their text in column names, and their Arrow value.

use std::sync::Arc;

use arrow::array::{
    new_null_array, ArrayRef, BinaryArray, BooleanArray, Date32Array, Decimal128Array, Float32Array,
    Float64Array, Int16Array, Int32Array, Int64Array, Int8Array, StringArray, TimestampMicrosecondArray,
};
use arrow::datatypes::DataType;
use streamlab_types::java::{double_to_string, float_to_string};
use streamlab_types::time::{format_date, format_timestamp};

use crate::types;

/// A constant value, typed the way Spark types it.
///
/// Why: `lit(1)` is an `int`, `lit(2**40)` a `bigint`, SQL `1.5` a `decimal(2,1)` and `1e9` a
/// `double`; the type decides coercions and the literal's text decides column names
/// (`(x / 1.0E9)`).
///
/// ```
/// use arrow::datatypes::DataType;
/// use streamlab_expr::Literal;
/// assert_eq!(Literal::from(1).data_type(), DataType::Int32);
/// assert_eq!(Literal::from(1e9).pretty(), "1.0E9");
/// assert_eq!(Literal::from("a").pretty(), "a");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// `NULL` / `lit(None)`: type `void`.
    Null,
    /// `true` / `false`.
    Boolean(bool),
    /// `tinyint` (SQL `1Y`).
    Byte(i8),
    /// `smallint` (SQL `1S`).
    Short(i16),
    /// `int`.
    Int(i32),
    /// `bigint` (SQL `1L`, or an integer too big for `int`).
    Long(i64),
    /// `float` (SQL `1.5F`).
    Float(f32),
    /// `double` (SQL `1e9`, `1.5D`; Python floats).
    Double(f64),
    /// `decimal(precision, scale)` with its unscaled value (SQL `1.5` = `Decimal(15, 2, 1)`).
    Decimal(i128, u8, i8),
    /// `string`.
    String(String),
    /// `binary` (SQL `X'01'`).
    Binary(Vec<u8>),
    /// `date`, days since 1970-01-01 (SQL `DATE '2020-01-01'`).
    Date(i32),
    /// `timestamp`, microseconds since the epoch (SQL `TIMESTAMP '2020-01-01 00:00:00'`).
    Timestamp(i64),
    /// A type passed as an argument, e.g. `from_json(col, StructType(...))`. Not a value.
    DataType(DataType),
}

impl Literal {
    /// The Spark type of the constant, as Arrow (`void` is `Null`).
    ///
    /// ```
    /// use arrow::datatypes::DataType;
    /// use streamlab_expr::Literal;
    /// assert_eq!(Literal::Decimal(15, 2, 1).data_type(), DataType::Decimal128(2, 1));
    /// ```
    pub fn data_type(&self) -> DataType {
        match self {
            Literal::Null => DataType::Null,
            Literal::Boolean(_) => DataType::Boolean,
            Literal::Byte(_) => DataType::Int8,
            Literal::Short(_) => DataType::Int16,
            Literal::Int(_) => DataType::Int32,
            Literal::Long(_) => DataType::Int64,
            Literal::Float(_) => DataType::Float32,
            Literal::Double(_) => DataType::Float64,
            Literal::Decimal(_, p, s) => DataType::Decimal128(*p, *s),
            Literal::String(_) => DataType::Utf8,
            Literal::Binary(_) => DataType::Binary,
            Literal::Date(_) => DataType::Date32,
            Literal::Timestamp(_) => types::timestamp_type(),
            Literal::DataType(t) => t.clone(),
        }
    }

    /// The literal's text inside an auto-generated column name (Spark's `toPrettySQL`): numbers
    /// and strings bare (`1.0E9`, `a`), `NULL`, `true`, `DATE '…'`, `TIMESTAMP '…'`, `X'…'`.
    ///
    /// ```
    /// use streamlab_expr::Literal;
    /// assert_eq!(Literal::Long(1 << 40).pretty(), "1099511627776");
    /// assert_eq!(Literal::Null.pretty(), "NULL");
    /// assert_eq!(Literal::Date(0).pretty(), "DATE '1970-01-01'");
    /// ```
    pub fn pretty(&self) -> String {
        match self {
            Literal::Null => "NULL".to_string(),
            Literal::Boolean(b) => b.to_string(),
            Literal::Byte(v) => v.to_string(),
            Literal::Short(v) => v.to_string(),
            Literal::Int(v) => v.to_string(),
            Literal::Long(v) => v.to_string(),
            Literal::Float(v) => float_to_string(*v),
            Literal::Double(v) => double_to_string(*v),
            Literal::Decimal(v, _, s) => crate::decimal::to_string(*v, *s),
            Literal::String(s) => s.clone(),
            Literal::Binary(b) => {
                let hex: String = b.iter().map(|x| format!("{:02X}", x)).collect();
                format!("X'{}'", hex)
            }
            Literal::Date(d) => format!("DATE '{}'", format_date(*d)),
            Literal::Timestamp(t) => format!("TIMESTAMP '{}'", format_timestamp(*t)),
            Literal::DataType(t) => types::simple_string(t),
        }
    }

    /// A one-row Arrow array holding the value.
    ///
    /// ```
    /// use arrow::array::Array;
    /// use streamlab_expr::Literal;
    /// let a = Literal::from("x").to_array();
    /// assert_eq!(a.len(), 1);
    /// assert_eq!(Literal::Null.to_array().logical_null_count(), 1);
    /// ```
    pub fn to_array(&self) -> ArrayRef {
        match self {
            Literal::Null => new_null_array(&DataType::Null, 1),
            Literal::Boolean(b) => Arc::new(BooleanArray::from(vec![*b])),
            Literal::Byte(v) => Arc::new(Int8Array::from(vec![*v])),
            Literal::Short(v) => Arc::new(Int16Array::from(vec![*v])),
            Literal::Int(v) => Arc::new(Int32Array::from(vec![*v])),
            Literal::Long(v) => Arc::new(Int64Array::from(vec![*v])),
            Literal::Float(v) => Arc::new(Float32Array::from(vec![*v])),
            Literal::Double(v) => Arc::new(Float64Array::from(vec![*v])),
            Literal::Decimal(v, p, s) => {
                match Decimal128Array::from(vec![*v]).with_precision_and_scale(*p, *s) {
                    Ok(a) => Arc::new(a),
                    Err(_) => new_null_array(&DataType::Decimal128(38, 0), 1),
                }
            }
            Literal::String(s) => Arc::new(StringArray::from(vec![s.as_str()])),
            Literal::Binary(b) => Arc::new(BinaryArray::from(vec![b.as_slice()])),
            Literal::Date(d) => Arc::new(Date32Array::from(vec![*d])),
            Literal::Timestamp(t) => Arc::new(TimestampMicrosecondArray::from(vec![*t]).with_timezone("UTC")),
            Literal::DataType(t) => new_null_array(t, 1),
        }
    }

    /// The value as a string, for arguments that must be constant text (formats, JSON options).
    ///
    /// ```
    /// use streamlab_expr::Literal;
    /// assert_eq!(Literal::from("yyyy").as_str(), Some("yyyy"));
    /// assert_eq!(Literal::Int(1).as_str(), None);
    /// ```
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Literal::String(s) => Some(s),
            _ => None,
        }
    }
}

impl From<bool> for Literal {
    fn from(v: bool) -> Self {
        Literal::Boolean(v)
    }
}
impl From<i8> for Literal {
    fn from(v: i8) -> Self {
        Literal::Byte(v)
    }
}
impl From<i16> for Literal {
    fn from(v: i16) -> Self {
        Literal::Short(v)
    }
}
impl From<i32> for Literal {
    fn from(v: i32) -> Self {
        Literal::Int(v)
    }
}
impl From<i64> for Literal {
    fn from(v: i64) -> Self {
        Literal::Long(v)
    }
}
impl From<f32> for Literal {
    fn from(v: f32) -> Self {
        Literal::Float(v)
    }
}
impl From<f64> for Literal {
    fn from(v: f64) -> Self {
        Literal::Double(v)
    }
}
impl From<&str> for Literal {
    fn from(v: &str) -> Self {
        Literal::String(v.to_string())
    }
}
impl From<String> for Literal {
    fn from(v: String) -> Self {
        Literal::String(v)
    }
}
impl<T: Into<Literal>> From<Option<T>> for Literal {
    fn from(v: Option<T>) -> Self {
        match v {
            Some(x) => x.into(),
            None => Literal::Null,
        }
    }
}
