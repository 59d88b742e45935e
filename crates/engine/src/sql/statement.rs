//! SQL commands: databases, temp views, tables in the catalog, `SHOW`, `DESCRIBE`, `SET`, `USE`,
//! and Spark's refusals of statements StreamLab does not run. Commands return Spark's result
//! DataFrame (an empty one, printed `DataFrame[]`, for DDL).

use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanArray, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use streamlab_expr::types::quote;
use streamlab_types::ddl::simple_string;
use streamlab_types::{Result, SparkError};

use crate::catalog::{split_table_name, DEFAULT_DATABASE};
use crate::dataframe::DataFrame;
use crate::SparkSession;

use super::ast::{DropKind, Name, Statement};
use super::context::Context;
use super::from::{named_table, table_not_found};
use super::query::query;
use super::text::Pos;

/// Runs one parsed statement.
pub(crate) fn run(ctx: &mut Context, statement: &Statement) -> Result<DataFrame> {
    match statement {
        Statement::Query(q) => query(ctx, q),
        Statement::CreateDatabase { name, if_not_exists } => {
            let name = single_name(ctx, name)?;
            ctx.session.create_database(&name, *if_not_exists)?;
            Ok(empty(ctx.session))
        }
        Statement::Drop { kind, name, if_exists, cascade } => {
            drop(ctx, *kind, name, *if_exists, *cascade)?;
            Ok(empty(ctx.session))
        }
        Statement::CreateTempView { name, or_replace, if_not_exists, query: q } => {
            let name = single_name(ctx, name)?;
            let exists = ctx.session.catalog_mut().lookup(&name).is_some();
            if exists && *if_not_exists {
                return Ok(empty(ctx.session));
            }
            if exists && !or_replace {
                return Err(SparkError::analysis(format!(
                    "Cannot create the temporary view {} because it already exists.\nChoose a different name, drop or replace the existing view,  or add the IF NOT EXISTS clause to tolerate pre-existing views.",
                    quote(&name)
                ))
                .with_class("TEMP_TABLE_OR_VIEW_ALREADY_EXISTS"));
            }
            query(ctx, q)?.create_or_replace_temp_view(&name);
            Ok(empty(ctx.session))
        }
        Statement::ShowDatabases => {
            let names = ctx.session.databases();
            strings(ctx.session, &[("namespace", false)], names.into_iter().map(|n| vec![Some(n)]).collect())
        }
        Statement::ShowTables { database } => {
            let db = match database {
                Some(name) => single_name(ctx, name)?,
                None => DEFAULT_DATABASE.to_string(),
            };
            show_tables(ctx.session, &db)
        }
        Statement::Describe { table } => describe(ctx, table),
        Statement::Use { database } => {
            let db = single_name(ctx, database)?;
            if !ctx.session.databases().iter().any(|d| d.eq_ignore_ascii_case(&db)) {
                return Err(schema_not_found(&db));
            }
            if !db.eq_ignore_ascii_case(DEFAULT_DATABASE) {
                return Err(SparkError::unsupported(format!(
                    "StreamLab keeps `default` as the current database: qualify table names instead (`{db}.table`)."
                )));
            }
            Ok(empty(ctx.session))
        }
        Statement::Update => Err(SparkError::unsupported("UPDATE TABLE is not supported temporarily.")),
        Statement::Merge => Err(SparkError::unsupported("MERGE INTO TABLE is not supported temporarily.")),
        Statement::NotRun(name) => Err(SparkError::analysis(format!(
            "The statement `{name}` is not supported by StreamLab's spark.sql, which runs queries, temporary views, databases, DROP TABLE, SHOW, DESCRIBE, SET and USE."
        ))),
    }
}

/// A one-part name (`db`, `v`), or StreamLab's refusal of a qualified one.
fn single_name(ctx: &Context, name: &Name) -> Result<String> {
    match name.parts.as_slice() {
        [one] => Ok(one.value.clone()),
        _ => Err(ctx.sql.unsupported(name.start, &format!("the qualified name {} here", name.dotted()))),
    }
}

/// The empty result of a command: `DataFrame[]`.
fn empty(session: &SparkSession) -> DataFrame {
    session.create_dataframe(Arc::new(Schema::empty()), Vec::new())
}

/// A static DataFrame of string columns `(name, nullable)`.
fn strings(session: &SparkSession, columns: &[(&str, bool)], rows: Vec<Vec<Option<String>>>) -> Result<DataFrame> {
    let schema = Arc::new(Schema::new(columns.iter().map(|(n, nullable)| Field::new(*n, DataType::Utf8, *nullable)).collect::<Vec<_>>()));
    let arrays: Vec<ArrayRef> = (0..columns.len())
        .map(|i| Arc::new(rows.iter().map(|r| r.get(i).cloned().flatten()).collect::<StringArray>()) as ArrayRef)
        .collect();
    let batch = RecordBatch::try_new(schema.clone(), arrays)?;
    Ok(session.create_dataframe(schema, vec![batch]))
}

/// Spark's `SCHEMA_NOT_FOUND`.
fn schema_not_found(name: &str) -> SparkError {
    SparkError::analysis(format!(
        "The schema `{}` cannot be found. Verify the spelling and correctness of the schema and catalog.\nIf you did not qualify the name with a catalog, verify the current_schema() output, or qualify the name with the correct catalog.\nTo tolerate the error on drop use DROP SCHEMA IF EXISTS.",
        name.to_ascii_lowercase()
    ))
    .with_class("SCHEMA_NOT_FOUND")
}

/// `SHOW TABLES [IN db]`: the database's tables, then the session's temp views and memory
/// tables (namespace empty, `isTemporary` true), each sorted, names lower-cased as Spark
/// stores them.
fn show_tables(session: &SparkSession, db: &str) -> Result<DataFrame> {
    if !session.databases().iter().any(|d| d.eq_ignore_ascii_case(db)) {
        return Err(schema_not_found(db));
    }
    let mut rows: Vec<(String, String, bool)> =
        session.file_tables(db).into_iter().map(|t| (db.to_ascii_lowercase(), t, false)).collect();
    let mut temporary: Vec<String> = session.table_names().iter().map(|n| n.to_ascii_lowercase()).collect();
    temporary.sort();
    rows.extend(temporary.into_iter().map(|t| (String::new(), t, true)));
    let schema = Arc::new(Schema::new(vec![
        Field::new("namespace", DataType::Utf8, false),
        Field::new("tableName", DataType::Utf8, false),
        Field::new("isTemporary", DataType::Boolean, false),
    ]));
    let columns: Vec<ArrayRef> = vec![
        Arc::new(rows.iter().map(|r| Some(r.0.as_str())).collect::<StringArray>()),
        Arc::new(rows.iter().map(|r| Some(r.1.as_str())).collect::<StringArray>()),
        Arc::new(rows.iter().map(|r| Some(r.2)).collect::<BooleanArray>()),
    ];
    let batch = RecordBatch::try_new(schema.clone(), columns)?;
    Ok(session.create_dataframe(schema, vec![batch]))
}

/// `DESCRIBE [TABLE] name`: one row per column.
fn describe(ctx: &Context, name: &Name) -> Result<DataFrame> {
    let (df, _) = named_table(ctx, name)?;
    let rows = df
        .schema()
        .fields()
        .iter()
        .map(|f| vec![Some(f.name().clone()), Some(simple_string(f.data_type())), None])
        .collect();
    strings(ctx.session, &[("col_name", false), ("data_type", false), ("comment", true)], rows)
}

/// `DROP DATABASE|SCHEMA|VIEW|TABLE`.
fn drop(ctx: &Context, kind: DropKind, name: &Name, if_exists: bool, cascade: bool) -> Result<()> {
    let session = ctx.session;
    if kind == DropKind::Database {
        let db = single_name(ctx, name)?;
        if db.eq_ignore_ascii_case(DEFAULT_DATABASE) {
            return Err(SparkError::analysis("The feature is not supported: Drop the default database `default`.")
                .with_class("UNSUPPORTED_FEATURE.DROP_DATABASE"));
        }
        if !cascade && !session.file_tables(&db).is_empty() {
            return Err(SparkError::analysis(format!(
                "Cannot drop a schema `{}` because it contains objects.\nUse DROP SCHEMA ... CASCADE to drop the schema and all its objects.",
                db.to_ascii_lowercase()
            ))
            .with_class("SCHEMA_NOT_EMPTY"));
        }
        return session.drop_database(&db, if_exists);
    }
    let parts: Vec<String> = name.parts.iter().map(|p| p.value.clone()).collect();
    let joined = parts.join(".");
    if parts.len() == 1 && session.catalog_mut().drop(&joined) {
        return Ok(());
    }
    if kind == DropKind::Table {
        let (db, table) = split_table_name(&joined);
        if session.catalog_mut().drop_file_table(&db, &table) {
            return Ok(());
        }
    }
    if if_exists {
        return Ok(());
    }
    let (db, table) = split_table_name(&joined);
    Err(table_not_found(&format!("`spark_catalog`.{}.{}", quote(&db), quote(&table))))
}

/// What `SET ...` asks, read the way Spark reads it (by pattern, not by the SQL grammar).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum SetCommand {
    /// `SET`: every configuration set in this session.
    List,
    /// `SET key`.
    Get(String),
    /// `SET key=value`.
    Put(String, String),
    /// Anything else after `SET`.
    Invalid,
}

/// `Some` when `text` is a `SET` command.
pub(crate) fn set_command(text: &str) -> Option<SetCommand> {
    let text = text.trim();
    let rest = text.get(..3).filter(|w| w.eq_ignore_ascii_case("set")).and(text.get(3..))?;
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
        return None;
    }
    let body = rest.trim().trim_end_matches(';').trim();
    let is_key = |k: &str| !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':'));
    Some(match body.split_once('=') {
        None if body.is_empty() => SetCommand::List,
        None if is_key(body) => SetCommand::Get(body.to_string()),
        Some((key, value)) if is_key(key.trim_end()) && !value.contains(';') => {
            SetCommand::Put(key.trim_end().to_string(), value.trim().to_string())
        }
        _ => SetCommand::Invalid,
    })
}

/// Runs a `SET` command: its result has columns `key` and `value`.
pub(crate) fn set(session: &SparkSession, text: &str, command: SetCommand) -> Result<DataFrame> {
    let columns = [("key", false), ("value", false)];
    let rows = match command {
        SetCommand::List => session.conf().entries().map(|(k, v)| vec![Some(k.to_string()), Some(v.to_string())]).collect(),
        SetCommand::Get(key) => {
            let value = session.conf().get(&key).unwrap_or_else(|| "<undefined>".into());
            vec![vec![Some(key), Some(value)]]
        }
        SetCommand::Put(key, value) => {
            session.conf_set(&key, &value);
            vec![vec![Some(key), Some(value)]]
        }
        SetCommand::Invalid => {
            let sql = super::text::SqlText::new(text);
            return Err(sql.parse_error(
                Pos { line: 1, col: 0 },
                "INVALID_SET_SYNTAX",
                "Expected format is 'SET', 'SET key', or 'SET key=value'. If you want to include special characters in key, or include semicolon in value, please use backquotes, e.g., SET `key`=`value`.",
            ));
        }
    };
    strings(session, &columns, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_commands() {
        assert_eq!(set_command(" SET ; "), Some(SetCommand::List));
        assert_eq!(set_command("set spark.sql.shuffle.partitions"), Some(SetCommand::Get("spark.sql.shuffle.partitions".into())));
        assert_eq!(set_command("SET a.b = x y ;"), Some(SetCommand::Put("a.b".into(), "x y".into())));
        assert_eq!(set_command("set a b"), Some(SetCommand::Invalid));
        assert_eq!(set_command("settings"), None);
        assert_eq!(set_command("select 1"), None);
    }
}
