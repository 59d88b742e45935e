//! DDL strings (`"a long, b string"`) to Arrow schemas, and Spark's names for types.
//!
//! Parsing follows Spark 3.5's `StructType.fromDDL` / `DataType` parser (the `singleTableSchema`
//! and `singleDataType` grammar rules) including its error texts, so a student's typo produces the
//! same `ParseException` as in PySpark.

mod build;
mod lexer;
mod names;
mod parser;

use crate::error::{ErrorKind, Result, SparkError};
use arrow::datatypes::{DataType, Schema};
use build::CharMode;

pub use build::{list_of, map_of};
pub use names::{list_item, map_key_value};

/// Parses a DDL schema string as `spark.readStream.schema(ddl)` does (`StructType.fromDDL`).
///
/// Why: every streaming file source needs a user schema, usually given as DDL.
///
/// Types: every type of the crate's mapping (`long`/`bigint`, `int`/`integer`, `short`/`smallint`,
/// `byte`/`tinyint`, `double`, `float`/`real`, `string`, `boolean`, `timestamp`/`timestamp_ltz`,
/// `timestamp_ntz`, `date`, `binary`, `decimal`/`dec`/`numeric[(p[,s])]`, `array<T>`, `map<K,V>`,
/// `struct<a:T, b T>`, `void`, `interval`), case-insensitive; back-quoted names; `NOT NULL`
/// (accepted, but the field stays nullable as in a streaming source); `COMMENT 'x'` (kept in the
/// field metadata under `comment`). Duplicate names are accepted.
///
/// Errors (Spark's texts): `[PARSE_SYNTAX_ERROR] Syntax error at or near ':'.(line 1, pos 1)`,
/// `[UNSUPPORTED_DATATYPE] Unsupported data type "LNG".(line 1, pos 2)`, … as `ParseException`s;
/// `char`/`varchar` give the `AnalysisException` `[UNSUPPORTED_CHAR_OR_VARCHAR_AS_STRING] …`.
/// PySpark also prints the `== SQL ==` block; see [`with_sql_context`].
///
/// ```
/// use streamlab_types::ddl::{parse_schema, simple_string};
/// use arrow::datatypes::DataType;
/// let s = parse_schema("Arrival_Time long, Device string, x double, `my col` array<int>").unwrap();
/// assert_eq!(s.field(0).name(), "Arrival_Time");
/// assert_eq!(s.field(0).data_type(), &DataType::Int64);
/// assert_eq!(simple_string(s.field(3).data_type()), "array<int>");
/// assert_eq!(
///     parse_schema("a: long").unwrap_err().to_string(),
///     "[PARSE_SYNTAX_ERROR] Syntax error at or near ':'.(line 1, pos 1)"
/// );
/// ```
pub fn parse_schema(ddl: &str) -> Result<Schema> {
    let nodes = parser::parse_table_schema(ddl)?;
    let mut saw_char = false;
    let mut fields = Vec::with_capacity(nodes.len());
    for n in &nodes {
        fields.push(build::field(n, CharMode::Reject, &mut saw_char)?);
    }
    if saw_char {
        return Err(SparkError::analysis(
            "The char/varchar type can't be used in the table schema. If you want Spark treat them as string type as same as Spark 3.0 and earlier, please set \"spark.sql.legacy.charVarcharAsString\" to \"true\".",
        )
        .with_class("UNSUPPORTED_CHAR_OR_VARCHAR_AS_STRING"));
    }
    Ok(Schema::new(fields))
}

/// Parses one data type as `Column.cast("…")` does: `"bigint"`, `"array<string>"`,
/// `"struct<a:int>"`, `"decimal(10,2)"`. `char(n)`/`varchar(n)` become `string` as in a cast.
///
/// Why: `cast("long")` and `from_json(col, "…")` name types by string.
///
/// ```
/// use streamlab_types::ddl::parse_data_type;
/// use arrow::datatypes::DataType;
/// assert_eq!(parse_data_type("long").unwrap(), DataType::Int64);
/// assert_eq!(parse_data_type(" Decimal(5, 2) ").unwrap(), DataType::Decimal128(5, 2));
/// assert_eq!(
///     parse_data_type("lng").unwrap_err().to_string(),
///     "[UNSUPPORTED_DATATYPE] Unsupported data type \"LNG\".(line 1, pos 0)"
/// );
/// ```
pub fn parse_data_type(text: &str) -> Result<DataType> {
    let node = parser::parse_single_type(text)?;
    let mut saw_char = false;
    build::data_type(&node, CharMode::AsString, &mut saw_char)
}

/// Spark's `DataType.simpleString`: `bigint`, `decimal(10,0)`,
/// `struct<start:timestamp,end:timestamp>`, `array<map<string,int>>`.
///
/// Why: error messages and schema strings (`df.schema.simpleString()`) use it.
///
/// ```
/// use streamlab_types::ddl::{parse_data_type, simple_string};
/// let t = parse_data_type("struct<start:timestamp,end:timestamp>").unwrap();
/// assert_eq!(simple_string(&t), "struct<start:timestamp,end:timestamp>");
/// ```
pub fn simple_string(dt: &DataType) -> String {
    names::simple_string(dt)
}

/// Spark's `DataType.sql`: `BIGINT`, `STRING`, `TIMESTAMP`, `STRUCT<a: BIGINT>`,
/// `MAP<STRING, INT>`.
///
/// Why: analysis errors and cast names (`CAST(x AS BIGINT)`) quote types this way.
///
/// ```
/// use streamlab_types::ddl::{parse_data_type, sql_name};
/// assert_eq!(sql_name(&parse_data_type("struct<a:long,`b c`:array<int>>").unwrap()), "STRUCT<a: BIGINT, `b c`: ARRAY<INT>>");
/// ```
pub fn sql_name(dt: &DataType) -> String {
    names::sql_name(dt)
}

/// Spark's `DataType.typeName` as `printSchema()` shows it: `long`, `integer`, `short`, `byte`,
/// `string`, `double`, `timestamp`, `decimal(10,2)`, `array`, `map`, `struct`.
///
/// Why: `printSchema()` and JSON schemas use these names.
///
/// ```
/// use streamlab_types::ddl::type_name;
/// use arrow::datatypes::DataType;
/// assert_eq!(type_name(&DataType::Int64), "long");
/// assert_eq!(type_name(&DataType::Int32), "integer");
/// ```
pub fn type_name(dt: &DataType) -> String {
    names::type_name(dt)
}

/// The full text PySpark prints for a `ParseException` of `command` (what `str(e)` gives):
/// a leading newline, the message, and the `== SQL ==` block with a `^^^` marker under the
/// error position. Other errors are returned as their plain text.
///
/// Why: notebooks show this block under the error headline.
///
/// ```
/// use streamlab_types::ddl::{parse_schema, with_sql_context};
/// let e = parse_schema("a: long").unwrap_err();
/// assert_eq!(
///     with_sql_context(&e, "a: long"),
///     "\n[PARSE_SYNTAX_ERROR] Syntax error at or near ':'.(line 1, pos 1)\n\n== SQL ==\na: long\n-^^^\n"
/// );
/// ```
pub fn with_sql_context(e: &SparkError, command: &str) -> String {
    if e.kind != ErrorKind::Parse {
        return e.to_string();
    }
    let text = e.to_string();
    let position = text.rfind("(line ").and_then(|at| {
        let tail = text[at + 6..].strip_suffix(')')?;
        let (l, p) = tail.split_once(", pos ")?;
        Some((l.parse::<usize>().ok()?, p.parse::<usize>().ok()?))
    });
    match position {
        Some((line, pos)) => {
            let mut out = format!("\n{text}\n\n== SQL ==\n");
            let lines: Vec<&str> = command.split('\n').collect();
            let split = line.min(lines.len());
            for l in &lines[..split] {
                out.push_str(l);
                out.push('\n');
            }
            out.push_str(&"-".repeat(pos));
            out.push_str("^^^\n");
            for l in &lines[split..] {
                out.push_str(l);
                out.push('\n');
            }
            out
        }
        None => format!("\n{text}\n== SQL ==\n{command}"),
    }
}
