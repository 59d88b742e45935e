//! Spark's names for data types: `simpleString`, `sql`, `typeName`.

use arrow::datatypes::{DataType, Field, IntervalUnit};

/// The value field of a map's entries, and the key field.
fn map_fields(dt: &DataType) -> Option<(&Field, &Field)> {
    if let DataType::Map(entries, _) = dt {
        if let DataType::Struct(fields) = entries.data_type() {
            if let (Some(k), Some(v)) = (fields.first(), fields.get(1)) {
                return Some((k, v));
            }
        }
    }
    None
}

/// The element field of any Arrow list-like type (`List`, `LargeList`, `FixedSizeList`, views).
///
/// Why: Spark has one `array` type; code walking types should not care which Arrow list it is.
///
/// ```
/// use streamlab_types::ddl::{list_item, list_of};
/// use arrow::datatypes::DataType;
/// assert_eq!(list_item(&list_of(DataType::Utf8)).map(|f| f.data_type().clone()), Some(DataType::Utf8));
/// assert!(list_item(&DataType::Utf8).is_none());
/// ```
pub fn list_item(dt: &DataType) -> Option<&Field> {
    match dt {
        DataType::List(f) | DataType::LargeList(f) | DataType::FixedSizeList(f, _) | DataType::ListView(f)
        | DataType::LargeListView(f) => Some(f),
        _ => None,
    }
}

/// Key and value fields of an Arrow `Map` type.
///
/// Why: Spark's `MapType(key, value, valueContainsNull)` reads straight off these two fields.
///
/// ```
/// use streamlab_types::ddl::{map_key_value, map_of};
/// use arrow::datatypes::DataType;
/// let m = map_of(DataType::Utf8, DataType::Int32);
/// let (k, v) = map_key_value(&m).unwrap();
/// assert_eq!((k.data_type(), v.is_nullable()), (&DataType::Utf8, true));
/// ```
pub fn map_key_value(dt: &DataType) -> Option<(&Field, &Field)> {
    map_fields(dt)
}

/// Names of leaf types; `None` for nested ones.
fn leaf(dt: &DataType) -> Option<(&'static str, &'static str, &'static str)> {
    // (simpleString, sql, typeName)
    Some(match dt {
        DataType::Null => ("void", "VOID", "void"),
        DataType::Boolean => ("boolean", "BOOLEAN", "boolean"),
        DataType::Int8 => ("tinyint", "TINYINT", "byte"),
        DataType::Int16 | DataType::UInt8 => ("smallint", "SMALLINT", "short"),
        DataType::Int32 | DataType::UInt16 => ("int", "INT", "integer"),
        DataType::Int64 | DataType::UInt32 => ("bigint", "BIGINT", "long"),
        DataType::Float16 | DataType::Float32 => ("float", "FLOAT", "float"),
        DataType::Float64 => ("double", "DOUBLE", "double"),
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => ("string", "STRING", "string"),
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView | DataType::FixedSizeBinary(_) => {
            ("binary", "BINARY", "binary")
        }
        DataType::Date32 | DataType::Date64 => ("date", "DATE", "date"),
        DataType::Timestamp(_, Some(_)) => ("timestamp", "TIMESTAMP", "timestamp"),
        DataType::Timestamp(_, None) => ("timestamp_ntz", "TIMESTAMP_NTZ", "timestamp_ntz"),
        DataType::Interval(IntervalUnit::MonthDayNano) | DataType::Interval(IntervalUnit::DayTime) => {
            ("interval", "INTERVAL", "interval")
        }
        DataType::Interval(IntervalUnit::YearMonth) => {
            ("interval year to month", "INTERVAL YEAR TO MONTH", "interval year to month")
        }
        DataType::Duration(_) => ("interval day to second", "INTERVAL DAY TO SECOND", "interval day to second"),
        _ => return None,
    })
}

fn decimal(dt: &DataType) -> Option<(u8, i8)> {
    match dt {
        DataType::Decimal32(p, s) | DataType::Decimal64(p, s) | DataType::Decimal128(p, s) | DataType::Decimal256(p, s) => {
            Some((*p, *s))
        }
        DataType::UInt64 => Some((20, 0)),
        _ => None,
    }
}

/// `quoteIfNeeded`: back-quotes names that are not plain identifiers.
fn quote_if_needed(name: &str) -> String {
    let plain = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.chars().all(|c| c.is_ascii_digit());
    if plain {
        name.to_string()
    } else {
        format!("`{}`", name.replace('`', "``"))
    }
}

/// See [`crate::ddl::simple_string`].
pub fn simple_string(dt: &DataType) -> String {
    if let Some((s, _, _)) = leaf(dt) {
        return s.to_string();
    }
    if let Some((p, s)) = decimal(dt) {
        return format!("decimal({p},{s})");
    }
    if let Some(item) = list_item(dt) {
        return format!("array<{}>", simple_string(item.data_type()));
    }
    if let Some((k, v)) = map_fields(dt) {
        return format!("map<{},{}>", simple_string(k.data_type()), simple_string(v.data_type()));
    }
    match dt {
        DataType::Struct(fields) => {
            let parts: Vec<String> =
                fields.iter().map(|f| format!("{}:{}", f.name(), simple_string(f.data_type()))).collect();
            format!("struct<{}>", parts.join(","))
        }
        DataType::Dictionary(_, v) => simple_string(v),
        DataType::RunEndEncoded(_, f) => simple_string(f.data_type()),
        other => other.to_string().to_lowercase(),
    }
}

/// See [`crate::ddl::sql_name`].
pub fn sql_name(dt: &DataType) -> String {
    if let Some((_, s, _)) = leaf(dt) {
        return s.to_string();
    }
    if let Some((p, s)) = decimal(dt) {
        return format!("DECIMAL({p},{s})");
    }
    if let Some(item) = list_item(dt) {
        return format!("ARRAY<{}>", sql_name(item.data_type()));
    }
    if let Some((k, v)) = map_fields(dt) {
        return format!("MAP<{}, {}>", sql_name(k.data_type()), sql_name(v.data_type()));
    }
    match dt {
        DataType::Struct(fields) => {
            let parts: Vec<String> = fields
                .iter()
                .map(|f| {
                    let comment = f
                        .metadata()
                        .get("comment")
                        .map(|c| format!(" COMMENT '{}'", c.replace('\\', "\\\\").replace('\'', "\\'")))
                        .unwrap_or_default();
                    format!("{}: {}{comment}", quote_if_needed(f.name()), sql_name(f.data_type()))
                })
                .collect();
            format!("STRUCT<{}>", parts.join(", "))
        }
        DataType::Dictionary(_, v) => sql_name(v),
        DataType::RunEndEncoded(_, f) => sql_name(f.data_type()),
        other => other.to_string().to_uppercase(),
    }
}

/// See [`crate::ddl::type_name`].
pub fn type_name(dt: &DataType) -> String {
    if let Some((_, _, t)) = leaf(dt) {
        return t.to_string();
    }
    if let Some((p, s)) = decimal(dt) {
        return format!("decimal({p},{s})");
    }
    if list_item(dt).is_some() {
        return "array".to_string();
    }
    if map_fields(dt).is_some() {
        return "map".to_string();
    }
    match dt {
        DataType::Struct(_) => "struct".to_string(),
        DataType::Dictionary(_, v) => type_name(v),
        DataType::RunEndEncoded(_, f) => type_name(f.data_type()),
        other => other.to_string().to_lowercase(),
    }
}
