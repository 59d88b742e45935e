//! The table schema as Delta stores it: `metaData.schemaString`, Spark's `StructType.json`.
//!
//! Every Delta reader (Spark, delta-rs, polars) parses this JSON to learn the table's columns,
//! so it must be Spark's form exactly: `{"type":"struct","fields":[{"name":…,"type":…,
//! "nullable":…,"metadata":{}}]}` with Spark's type names (`long`, `integer`, `timestamp`, …).

use std::sync::Arc;

use arrow::datatypes::{DataType, Field, Fields, Schema, SchemaRef, TimeUnit};
use serde_json::{json, Map, Value};
use streamlab_types::ddl::{list_item, list_of, map_key_value, map_of, type_name};
use streamlab_types::{Result, SparkError};

/// Spark's `StructType.json` for `schema`, every field nullable (Delta relaxes nullability of
/// written data: `schema.asNullable`).
///
/// Why: `metaData.schemaString` must be what Spark writes, or other readers misread the table.
///
/// ```
/// use streamlab_engine::delta::schema::{schema_string, parse_schema_string};
/// use streamlab_types::ddl::parse_schema;
/// let s = parse_schema("id long, tags array<string>, at timestamp").unwrap();
/// let text = schema_string(&s).unwrap();
/// assert!(text.starts_with(r#"{"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}}"#));
/// assert_eq!(parse_schema_string(&text).unwrap().as_ref(), &s);
/// ```
pub fn schema_string(schema: &Schema) -> Result<String> {
    let value = struct_json(schema.fields())?;
    serde_json::to_string(&value).map_err(|e| SparkError::runtime(format!("Cannot serialize the Delta schema: {e}")))
}

/// Parses a `schemaString` into the Arrow schema StreamLab reads the table with (all fields
/// nullable, Spark's Arrow types).
///
/// Why: a batch read of a Delta table takes its schema from the latest `metaData`, not from
/// the data files (which may lack columns added later).
pub fn parse_schema_string(text: &str) -> Result<SchemaRef> {
    let value: Value = serde_json::from_str(text).map_err(|e| bad_schema(&e.to_string()))?;
    let DataType::Struct(fields) = data_type(&value)? else {
        return Err(bad_schema("the schema is not a struct"));
    };
    Ok(Arc::new(Schema::new(fields)))
}

fn bad_schema(detail: &str) -> SparkError {
    SparkError::runtime(format!("Cannot parse the Delta table's schemaString: {detail}"))
}

fn struct_json(fields: &Fields) -> Result<Value> {
    let fields: Vec<Value> = fields.iter().map(|f| field_json(f)).collect::<Result<_>>()?;
    Ok(json!({"type": "struct", "fields": fields}))
}

fn field_json(field: &Field) -> Result<Value> {
    let mut metadata = Map::new();
    if let Some(comment) = field.metadata().get("comment") {
        metadata.insert("comment".into(), Value::String(comment.clone()));
    }
    let mut out = Map::new();
    out.insert("name".into(), Value::String(field.name().clone()));
    out.insert("type".into(), type_json(field.data_type(), field.name())?);
    out.insert("nullable".into(), Value::Bool(true));
    out.insert("metadata".into(), Value::Object(metadata));
    Ok(Value::Object(out))
}

fn type_json(dt: &DataType, column: &str) -> Result<Value> {
    if let Some(item) = list_item(dt) {
        return Ok(json!({"type": "array", "elementType": type_json(item.data_type(), column)?, "containsNull": true}));
    }
    if let Some((key, value)) = map_key_value(dt) {
        return Ok(json!({
            "type": "map",
            "keyType": type_json(key.data_type(), column)?,
            "valueType": type_json(value.data_type(), column)?,
            "valueContainsNull": true
        }));
    }
    match dt {
        DataType::Struct(fields) => struct_json(fields),
        DataType::Dictionary(_, value) => type_json(value, column),
        DataType::Null => Err(SparkError::analysis("Delta doesn't accept NullTypes in the schema for streaming writes.")
            .with_class("DELTA_NULL_SCHEMA_IN_STREAMING_WRITE")),
        DataType::Interval(_) | DataType::Duration(_) => Err(SparkError::analysis(format!(
            "Found columns using unsupported data types: [{column}: {}].",
            streamlab_types::ddl::simple_string(dt)
        ))
        .with_class("DELTA_UNSUPPORTED_DATA_TYPES")),
        _ => Ok(Value::String(type_name(dt))),
    }
}

fn data_type(value: &Value) -> Result<DataType> {
    match value {
        Value::String(name) => primitive(name),
        Value::Object(object) => match object.get("type").and_then(Value::as_str) {
            Some("struct") => {
                let fields = object.get("fields").and_then(Value::as_array).ok_or_else(|| bad_schema("a struct without fields"))?;
                let fields: Vec<Field> = fields.iter().map(field).collect::<Result<_>>()?;
                Ok(DataType::Struct(Fields::from(fields)))
            }
            Some("array") => {
                let element = object.get("elementType").ok_or_else(|| bad_schema("an array without elementType"))?;
                Ok(list_of(data_type(element)?))
            }
            Some("map") => {
                let key = object.get("keyType").ok_or_else(|| bad_schema("a map without keyType"))?;
                let value = object.get("valueType").ok_or_else(|| bad_schema("a map without valueType"))?;
                Ok(map_of(data_type(key)?, data_type(value)?))
            }
            other => Err(bad_schema(&format!("unknown type {}", other.unwrap_or("(none)")))),
        },
        other => Err(bad_schema(&format!("unexpected {other}"))),
    }
}

fn field(value: &Value) -> Result<Field> {
    let name = value.get("name").and_then(Value::as_str).ok_or_else(|| bad_schema("a field without a name"))?;
    let dt = data_type(value.get("type").ok_or_else(|| bad_schema("a field without a type"))?)?;
    let mut field = Field::new(name, dt, true);
    if let Some(comment) = value.pointer("/metadata/comment").and_then(Value::as_str) {
        field = field.with_metadata([("comment".to_string(), comment.to_string())].into());
    }
    Ok(field)
}

fn primitive(name: &str) -> Result<DataType> {
    Ok(match name {
        "string" => DataType::Utf8,
        "long" => DataType::Int64,
        "integer" => DataType::Int32,
        "short" => DataType::Int16,
        "byte" => DataType::Int8,
        "float" => DataType::Float32,
        "double" => DataType::Float64,
        "boolean" => DataType::Boolean,
        "binary" => DataType::Binary,
        "date" => DataType::Date32,
        "timestamp" => DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
        "timestamp_ntz" => DataType::Timestamp(TimeUnit::Microsecond, None),
        other => return decimal(other).ok_or_else(|| bad_schema(&format!("unsupported type {other}"))),
    })
}

/// `decimal(p,s)` (spaces allowed, as Spark's parser accepts them).
fn decimal(name: &str) -> Option<DataType> {
    let inner = name.strip_prefix("decimal(")?.strip_suffix(')')?;
    let (p, s) = inner.split_once(',')?;
    Some(DataType::Decimal128(p.trim().parse().ok()?, s.trim().parse().ok()?))
}

/// Whether any column (at any depth) is `timestamp_ntz`, which needs Delta's `timestampNtz`
/// table feature.
pub(crate) fn has_timestamp_ntz(fields: &Fields) -> bool {
    fields.iter().any(|f| type_has_ntz(f.data_type()))
}

fn type_has_ntz(dt: &DataType) -> bool {
    if let Some(item) = list_item(dt) {
        return type_has_ntz(item.data_type());
    }
    if let Some((k, v)) = map_key_value(dt) {
        return type_has_ntz(k.data_type()) || type_has_ntz(v.data_type());
    }
    match dt {
        DataType::Timestamp(_, None) => true,
        DataType::Struct(fields) => has_timestamp_ntz(fields),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use streamlab_types::ddl::parse_schema;

    #[test]
    fn spark_json_form_round_trips() {
        let s = parse_schema(
            "a byte, b short, c int, d long, e float, f double, g decimal(10,2), h string, i binary, \
             j boolean, k date, l timestamp, m timestamp_ntz, n array<int>, o map<string,double>, p struct<q:long>",
        )
        .unwrap();
        let text = schema_string(&s).unwrap();
        assert!(text.contains(r#"{"name":"g","type":"decimal(10,2)","nullable":true,"metadata":{}}"#));
        assert!(text.contains(
            r#"{"name":"o","type":{"type":"map","keyType":"string","valueType":"double","valueContainsNull":true},"nullable":true,"metadata":{}}"#
        ));
        assert!(text.contains(r#""type":{"type":"array","elementType":"integer","containsNull":true}"#));
        assert_eq!(parse_schema_string(&text).unwrap().as_ref(), &s);
        assert!(has_timestamp_ntz(s.fields()));
    }

    #[test]
    fn rejects_types_delta_cannot_store() {
        let s = Schema::new(vec![Field::new("n", DataType::Null, true)]);
        assert_eq!(
            schema_string(&s).unwrap_err().to_string(),
            "[DELTA_NULL_SCHEMA_IN_STREAMING_WRITE] Delta doesn't accept NullTypes in the schema for streaming writes."
        );
        assert!(parse_schema_string(r#"{"type":"struct","fields":[{"name":"x","type":"variant"}]}"#).is_err());
        assert!(parse_schema_string("not json").is_err());
    }
}
