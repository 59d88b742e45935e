//! Spark's view of Arrow types: names in messages and column names, and type classes.

use arrow::datatypes::{DataType, Field, TimeUnit};

/// Spark's type names, from the one place that defines them.
pub use streamlab_types::ddl::{simple_string, sql_name};

/// Spark's `timestamp`: microseconds, session time zone UTC.
///
/// Why: every timestamp the engine produces must carry the same Arrow type so batches union.
///
/// ```
/// use arrow::datatypes::{DataType, TimeUnit};
/// assert_eq!(streamlab_expr::types::timestamp_type(), DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())));
/// ```
pub fn timestamp_type() -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
}

/// Spark's `array<T>` as Arrow: a list whose item field is `element`, nullable.
///
/// ```
/// use arrow::datatypes::DataType;
/// let t = streamlab_expr::types::array_type(DataType::Utf8);
/// assert_eq!(streamlab_expr::types::simple_string(&t), "array<string>");
/// ```
pub fn array_type(element: DataType) -> DataType {
    DataType::List(std::sync::Arc::new(Field::new("element", element, true)))
}


/// Quotes a name with back-quotes when Spark would (`a b` → `` `a b` ``); plain words stay bare.
///
/// ```
/// assert_eq!(streamlab_expr::types::quote_if_needed("a_1"), "a_1");
/// assert_eq!(streamlab_expr::types::quote_if_needed("a.b"), "`a.b`");
/// ```
pub fn quote_if_needed(name: &str) -> String {
    let plain = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.chars().all(|c| c.is_ascii_digit());
    if plain {
        name.to_string()
    } else {
        quote(name)
    }
}

/// Back-quotes a name, doubling inner back-quotes (Spark's `quoteIdentifier`).
///
/// ```
/// assert_eq!(streamlab_expr::types::quote("nope"), "`nope`");
/// ```
pub fn quote(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}


/// Whether Spark counts the type as numeric (integral, fractional or decimal).
///
/// ```
/// use arrow::datatypes::DataType;
/// assert!(streamlab_expr::types::is_numeric(&DataType::Decimal128(2, 1)));
/// assert!(!streamlab_expr::types::is_numeric(&DataType::Utf8));
/// ```
pub fn is_numeric(t: &DataType) -> bool {
    is_integral(t) || is_floating(t) || matches!(t, DataType::Decimal128(..))
}

/// `tinyint`, `smallint`, `int`, `bigint`.
///
/// ```
/// use arrow::datatypes::DataType;
/// assert!(streamlab_expr::types::is_integral(&DataType::Int16));
/// ```
pub fn is_integral(t: &DataType) -> bool {
    matches!(t, DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64)
}

/// `float`, `double`.
///
/// ```
/// use arrow::datatypes::DataType;
/// assert!(streamlab_expr::types::is_floating(&DataType::Float32));
/// ```
pub fn is_floating(t: &DataType) -> bool {
    matches!(t, DataType::Float32 | DataType::Float64)
}

/// `string`.
///
/// ```
/// use arrow::datatypes::DataType;
/// assert!(streamlab_expr::types::is_string(&DataType::Utf8));
/// ```
pub fn is_string(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}

/// `timestamp` (with the session zone) or `timestamp_ntz`.
///
/// ```
/// assert!(streamlab_expr::types::is_timestamp(&streamlab_expr::types::timestamp_type()));
/// ```
pub fn is_timestamp(t: &DataType) -> bool {
    matches!(t, DataType::Timestamp(..))
}

/// Spark's "atomic" types: everything but arrays, maps, structs and `void`.
///
/// ```
/// use arrow::datatypes::DataType;
/// assert!(streamlab_expr::types::is_atomic(&DataType::Boolean));
/// assert!(!streamlab_expr::types::is_atomic(&DataType::Null));
/// ```
pub fn is_atomic(t: &DataType) -> bool {
    !matches!(
        t,
        DataType::Null | DataType::List(_) | DataType::LargeList(_) | DataType::Struct(_) | DataType::Map(..)
    )
}

/// Position in Spark's numeric widening order `tinyint < smallint < int < bigint < float < double`.
///
/// ```
/// use arrow::datatypes::DataType;
/// assert!(streamlab_expr::types::numeric_rank(&DataType::Int64) > streamlab_expr::types::numeric_rank(&DataType::Int32));
/// ```
pub fn numeric_rank(t: &DataType) -> Option<usize> {
    match t {
        DataType::Int8 => Some(0),
        DataType::Int16 => Some(1),
        DataType::Int32 => Some(2),
        DataType::Int64 => Some(3),
        DataType::Float32 => Some(4),
        DataType::Float64 => Some(5),
        _ => None,
    }
}

/// Types equal for Spark (ignoring nullability flags and Arrow field names/metadata).
///
/// ```
/// use arrow::datatypes::DataType;
/// use streamlab_expr::types::{array_type, same_type};
/// assert!(same_type(&array_type(DataType::Int32), &array_type(DataType::Int32)));
/// ```
pub fn same_type(a: &DataType, b: &DataType) -> bool {
    match (a, b) {
        (DataType::List(x), DataType::List(y)) => same_type(x.data_type(), y.data_type()),
        (DataType::Struct(x), DataType::Struct(y)) => {
            x.len() == y.len()
                && x.iter().zip(y.iter()).all(|(f, g)| f.name() == g.name() && same_type(f.data_type(), g.data_type()))
        }
        (DataType::Map(x, _), DataType::Map(y, _)) => same_type(x.data_type(), y.data_type()),
        (DataType::Timestamp(_, x), DataType::Timestamp(_, y)) => x.is_some() == y.is_some(),
        _ => a == b,
    }
}
