//! SQL commands: databases, temp views, tables in the catalog, `SHOW`, `DESCRIBE`, `SET`, `USE`,
//! and Spark's refusals of statements StreamLab does not run. Commands return Spark's result
//! DataFrame (an empty one, printed `DataFrame[]`, for DDL).

use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanArray, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use sqlparser::ast::{self, ObjectName, ObjectType, SchemaName, ShowStatementOptions, Statement, Use};
use streamlab_expr::types::quote;
use streamlab_types::ddl::simple_string;
use streamlab_types::{Result, SparkError};

use crate::catalog::{split_table_name, DEFAULT_DATABASE};
use crate::dataframe::DataFrame;
use crate::SparkSession;

use super::context::Context;
use super::expr::{object_parts, unsupported};
use super::from::{named_table, table_not_found};
use super::query::query;
use super::start::{name_start, UNKNOWN};
use super::text::Pos;

/// Runs one parsed statement.
pub(crate) fn run(ctx: &mut Context, statement: &Statement) -> Result<DataFrame> {
    match statement {
        Statement::Query(q) => query(ctx, q),
        Statement::CreateDatabase { db_name, if_not_exists, location: None, managed_location: None, .. } => {
            let name = single_name(ctx, db_name)?;
            ctx.session.create_database(&name, *if_not_exists)?;
            Ok(empty(ctx.session))
        }
        Statement::CreateSchema { schema_name: SchemaName::Simple(name), if_not_exists, .. } => {
            let name = single_name(ctx, name)?;
            ctx.session.create_database(&name, *if_not_exists)?;
            Ok(empty(ctx.session))
        }
        Statement::Drop { object_type, if_exists, names, cascade, table: None, .. } => {
            let [name] = names.as_slice() else {
                let at = names.first().map_or(UNKNOWN, name_start);
                return Err(unsupported(ctx, at, "dropping several objects at once"));
            };
            drop(ctx, *object_type, name, *if_exists, *cascade)?;
            Ok(empty(ctx.session))
        }
        Statement::CreateView(view) if view.temporary && view.columns.is_empty() && !view.materialized => {
            let name = single_name(ctx, &view.name)?;
            let exists = ctx.session.catalog_mut().lookup(&name).is_some();
            if exists && view.if_not_exists {
                return Ok(empty(ctx.session));
            }
            if exists && !view.or_replace {
                return Err(SparkError::analysis(format!(
                    "Cannot create the temporary view {} because it already exists.\nChoose a different name, drop or replace the existing view,  or add the IF NOT EXISTS clause to tolerate pre-existing views.",
                    quote(&name)
                ))
                .with_class("TEMP_TABLE_OR_VIEW_ALREADY_EXISTS"));
            }
            query(ctx, &view.query)?.create_or_replace_temp_view(&name);
            Ok(empty(ctx.session))
        }
        Statement::CreateView(view) => Err(unsupported(ctx, name_start(&view.name), "a view that is not a TEMPORARY VIEW")),
        Statement::ShowDatabases { show_options, .. } | Statement::ShowSchemas { show_options, .. } if no_filter(show_options) => {
            let names = ctx.session.databases();
            strings(ctx.session, &[("namespace", false)], names.into_iter().map(|n| vec![Some(n)]).collect())
        }
        Statement::ShowTables { show_options, terse: false, history: false, extended: false, full: false, external: false }
            if no_filter(show_options) =>
        {
            let db = match show_options.show_in.as_ref().and_then(|i| i.parent_name.as_ref()) {
                Some(name) => single_name(ctx, name)?,
                None => DEFAULT_DATABASE.to_string(),
            };
            show_tables(ctx.session, &db)
        }
        Statement::ExplainTable { describe_alias: ast::DescribeAlias::Describe | ast::DescribeAlias::Desc, hive_format: None, table_name, .. } => {
            describe(ctx, table_name)
        }
        Statement::Use(Use::Object(name) | Use::Database(name) | Use::Schema(name)) => {
            let db = single_name(ctx, name)?;
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
        Statement::Update(_) => Err(SparkError::unsupported("UPDATE TABLE is not supported temporarily.")),
        Statement::Merge(_) => Err(SparkError::unsupported("MERGE INTO TABLE is not supported temporarily.")),
        _ => Err(SparkError::analysis(format!(
            "The statement `{}` is not supported by StreamLab's spark.sql, which runs queries, temporary views, databases, DROP TABLE, SHOW, DESCRIBE, SET and USE.",
            statement_name(ctx)
        ))),
    }
}

/// The first words of the statement (`INSERT INTO`, `CREATE TABLE`), to name it in errors.
fn statement_name(ctx: &Context) -> String {
    let words: Vec<&str> = ctx.sql.text().split_whitespace().take(2).collect();
    let verb = words.first().map(|w| w.to_ascii_uppercase()).unwrap_or_default();
    match (verb.as_str(), words.get(1)) {
        ("CREATE" | "ALTER" | "DROP" | "INSERT" | "SHOW" | "TRUNCATE" | "DELETE", Some(next)) => {
            format!("{verb} {}", next.to_ascii_uppercase())
        }
        _ => verb,
    }
}

fn no_filter(options: &ShowStatementOptions) -> bool {
    options.starts_with.is_none() && options.limit.is_none() && options.limit_from.is_none() && options.filter_position.is_none()
}

/// A one-part name (`db`, `v`), or StreamLab's refusal of a qualified one.
fn single_name(ctx: &Context, name: &ObjectName) -> Result<String> {
    match object_parts(name).as_deref() {
        Some([one]) => Ok(one.value.clone()),
        _ => Err(unsupported(ctx, name_start(name), &format!("the qualified name {name} here"))),
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
fn describe(ctx: &Context, name: &ObjectName) -> Result<DataFrame> {
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
fn drop(ctx: &Context, kind: ObjectType, name: &ObjectName, if_exists: bool, cascade: bool) -> Result<()> {
    let session = ctx.session;
    match kind {
        ObjectType::Database | ObjectType::Schema => {
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
            session.drop_database(&db, if_exists)
        }
        ObjectType::View | ObjectType::Table => {
            let parts: Vec<String> = object_parts(name)
                .ok_or_else(|| unsupported(ctx, name_start(name), "this name"))?
                .iter()
                .map(|p| p.value.clone())
                .collect();
            let joined = parts.join(".");
            if parts.len() == 1 && session.catalog_mut().drop(&joined) {
                return Ok(());
            }
            if kind == ObjectType::Table {
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
        _ => Err(unsupported(ctx, name_start(name), &format!("DROP {kind}"))),
    }
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
