//! Type names inside SQL text (`CAST(x AS BIGINT)`) and DDL schema strings (`a INT, b STRING`),
//! as Spark's `CatalystSqlParser` reads them.

use std::sync::Arc;

use arrow::datatypes::{DataType, Field, Fields};
use streamlab_types::{Result, SparkError};

use super::error::{parse_error, syntax_error};
use super::lexer::{tokenize, Tok, Token};
use crate::types;

/// A cursor over tokens that reads types.
pub(crate) struct TypeReader<'a> {
    pub sql: &'a str,
    pub toks: &'a [Token],
    pub pos: usize,
}

impl<'a> TypeReader<'a> {
    fn peek(&self) -> &Token {
        let last = self.toks.len().saturating_sub(1);
        &self.toks[self.pos.min(last)]
    }

    fn bump(&mut self) -> Token {
        let t = self.peek().clone();
        if self.pos < self.toks.len() {
            self.pos += 1;
        }
        t
    }

    fn unexpected(&self) -> SparkError {
        let t = self.peek();
        let near = if t.tok == Tok::Eof { "end of input".to_string() } else { format!("'{}'", t.text) };
        syntax_error(self.sql, t.start, &near)
    }

    fn expect_sym(&mut self, s: &str) -> Result<()> {
        if self.peek().is_sym(s) {
            self.bump();
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    fn int_arg(&mut self) -> Result<i64> {
        match &self.peek().tok {
            Tok::Number(n) => {
                let v = n.parse::<i64>().map_err(|_| self.unexpected())?;
                self.bump();
                Ok(v)
            }
            _ => Err(self.unexpected()),
        }
    }

    /// Reads one type at the cursor.
    pub fn data_type(&mut self) -> Result<DataType> {
        let t = self.peek().clone();
        let name = match &t.tok {
            Tok::Ident { text, .. } => text.to_ascii_lowercase(),
            _ => return Err(self.unexpected()),
        };
        self.bump();
        let dt = match name.as_str() {
            "boolean" => DataType::Boolean,
            "tinyint" | "byte" => DataType::Int8,
            "smallint" | "short" => DataType::Int16,
            "int" | "integer" => DataType::Int32,
            "bigint" | "long" => DataType::Int64,
            "float" | "real" => DataType::Float32,
            "double" => DataType::Float64,
            "date" => DataType::Date32,
            "timestamp" | "timestamp_ltz" => types::timestamp_type(),
            "timestamp_ntz" => DataType::Timestamp(arrow::datatypes::TimeUnit::Microsecond, None),
            "string" => DataType::Utf8,
            "binary" => DataType::Binary,
            "void" => DataType::Null,
            "char" | "character" | "varchar" => {
                if self.peek().is_sym("(") {
                    self.bump();
                    self.int_arg()?;
                    self.expect_sym(")")?;
                }
                DataType::Utf8
            }
            "decimal" | "dec" | "numeric" => {
                let (mut p, mut s) = (10i64, 0i64);
                if self.peek().is_sym("(") {
                    self.bump();
                    p = self.int_arg()?;
                    s = 0;
                    if self.peek().is_sym(",") {
                        self.bump();
                        s = self.int_arg()?;
                    }
                    self.expect_sym(")")?;
                }
                if !(1..=38).contains(&p) || s < 0 || s > p {
                    let msg = if !(1..=38).contains(&p) {
                        format!("Decimal precision {} exceeds max precision 38.", p)
                    } else {
                        format!("Decimal scale ({}) cannot be greater than precision ({}).", s, p)
                    };
                    return Err(parse_error(self.sql, t.start, "_LEGACY_ERROR_TEMP_0060", &msg));
                }
                DataType::Decimal128(p as u8, s as i8)
            }
            "array" => {
                self.expect_sym("<")?;
                let inner = self.data_type()?;
                self.expect_sym(">")?;
                types::array_type(inner)
            }
            "map" => {
                self.expect_sym("<")?;
                let k = self.data_type()?;
                self.expect_sym(",")?;
                let v = self.data_type()?;
                self.expect_sym(">")?;
                map_type(k, v)
            }
            "struct" => {
                self.expect_sym("<")?;
                let mut fields = Vec::new();
                if !self.peek().is_sym(">") {
                    loop {
                        fields.push(self.field(true)?);
                        if self.peek().is_sym(",") {
                            self.bump();
                            continue;
                        }
                        break;
                    }
                }
                self.expect_sym(">")?;
                DataType::Struct(Fields::from(fields))
            }
            _ => {
                return Err(parse_error(
                    self.sql,
                    t.start,
                    "UNSUPPORTED_DATATYPE",
                    &format!("Unsupported data type \"{}\".", t.text.to_uppercase()),
                ))
            }
        };
        Ok(dt)
    }

    /// Reads `name[:] type [NOT NULL] [COMMENT 'text']`; the colon only inside `struct<…>`.
    fn field(&mut self, colon_allowed: bool) -> Result<Field> {
        let name = match &self.peek().tok {
            Tok::Ident { text, .. } => text.clone(),
            _ => return Err(self.unexpected()),
        };
        self.bump();
        if colon_allowed && self.peek().is_sym(":") {
            self.bump();
        }
        let dt = self.data_type()?;
        if self.peek().is_kw("NOT") {
            self.bump();
            if !self.peek().is_kw("NULL") {
                return Err(self.unexpected());
            }
            self.bump();
        }
        if self.peek().is_kw("COMMENT") {
            self.bump();
            match &self.peek().tok {
                Tok::Str(_) => {
                    self.bump();
                }
                _ => return Err(self.unexpected()),
            }
        }
        Ok(Field::new(name, dt, true))
    }
}

/// Spark's `map<K,V>` as Arrow: entries `key` (not null) and `value`.
pub(crate) fn map_type(k: DataType, v: DataType) -> DataType {
    let entries = DataType::Struct(Fields::from(vec![Field::new("key", k, false), Field::new("value", v, true)]));
    DataType::Map(Arc::new(Field::new("entries", entries, false)), false)
}

fn type_tokens(sql: &str) -> Result<Vec<Token>> {
    tokenize(sql)
}

/// Parses one type name (`bigint`, `decimal(10,2)`, `array<string>`, `struct<a:int>`), as
/// `DataType.fromDDL` / `Column.cast("…")` accept it.
///
/// ```
/// use arrow::datatypes::DataType;
/// use streamlab_expr::parse_data_type;
/// assert_eq!(parse_data_type("long").unwrap(), DataType::Int64);
/// assert!(parse_data_type("lng").unwrap_err().to_string().starts_with("[UNSUPPORTED_DATATYPE]"));
/// ```
pub fn parse_data_type(sql: &str) -> Result<DataType> {
    let toks = type_tokens(sql)?;
    let mut r = TypeReader { sql, toks: &toks, pos: 0 };
    let dt = r.data_type()?;
    if r.peek().tok != Tok::Eof {
        return Err(r.unexpected());
    }
    Ok(dt)
}

/// Parses a DDL schema (`a INT, b STRING`) or a single struct type (`struct<a:int>`) into
/// fields, as `from_json` and `DataStreamReader.schema` take them.
///
/// ```
/// use streamlab_expr::parse_schema;
/// let f = parse_schema("a INT, `b c` string").unwrap();
/// assert_eq!(f.len(), 2);
/// assert_eq!(f[1].name(), "b c");
/// ```
pub fn parse_schema(sql: &str) -> Result<Fields> {
    let toks = type_tokens(sql)?;
    let mut r = TypeReader { sql, toks: &toks, pos: 0 };
    let mut fields = Vec::new();
    let first = r.field(false);
    match first {
        Ok(f) => fields.push(f),
        Err(e) => {
            // `struct<…>` alone is a schema too.
            if let Ok(DataType::Struct(fs)) = parse_data_type(sql) {
                return Ok(fs);
            }
            return Err(e);
        }
    }
    while r.peek().is_sym(",") {
        r.bump();
        fields.push(r.field(false)?);
    }
    if r.peek().tok != Tok::Eof {
        if let Ok(DataType::Struct(fs)) = parse_data_type(sql) {
            return Ok(fs);
        }
        let t = r.peek().clone();
        return Err(parse_error(
            sql,
            t.start,
            "PARSE_SYNTAX_ERROR",
            &format!("Syntax error at or near '{}': extra input '{}'.", t.text, t.text),
        ));
    }
    Ok(Fields::from(fields))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_types() {
        let t = parse_data_type("struct<a:int,b: array<string>, c map<string,double>>").unwrap();
        assert_eq!(types::simple_string(&t), "struct<a:int,b:array<string>,c:map<string,double>>");
        assert_eq!(parse_data_type("DECIMAL(5, 2)").unwrap(), DataType::Decimal128(5, 2));
        assert_eq!(parse_data_type("decimal").unwrap(), DataType::Decimal128(10, 0));
    }

    #[test]
    fn schema_ddl() {
        let f = parse_schema("Arrival_Time long, Creation_Time long, Device string NOT NULL COMMENT 'x'").unwrap();
        assert_eq!(f.len(), 3);
        assert_eq!(f[0].data_type(), &DataType::Int64);
        assert!(parse_schema("a lng").is_err());
        assert_eq!(parse_schema("struct<a:int>").unwrap().len(), 1);
    }
}
