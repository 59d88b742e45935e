//! Jupyter notebooks (nbformat 4), read and written.
//!
//! Written files are what Jupyter itself saves (nbformat 4.5: sorted keys, one-space indent,
//! sources as lists of lines, a final newline), so a notebook saved by StreamLab and re-saved
//! by Jupyter has no diff. Cell outputs map to [`CellOutput`] as Jupyter shows them: `stream`
//! for printed text, `execute_result` for a cell's value, `display_data` for tables and HTML,
//! `error` for exceptions. Tables and live views also carry their data under StreamLab's own
//! MIME types so they read back exactly.
//!
//! What does not survive a trip through StreamLab: cell metadata other than a Databricks title,
//! attachments, outputs with no text form (images), raw cells (read as markdown cells) and the
//! rendered HTML of markdown cells (rendered again when shown).

use std::sync::Arc;

use arrow::array::{ArrayRef, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use serde::Serialize;
use serde_json::{json, Map, Value};
use streamlab_types::show::show_string;

use crate::document::{split_magic, unnumbered_cell, Cell, CellKind, Notebook, NotebookMetadata};
use crate::formats::{FormatError, NotebookFormat};
use crate::output::{CellError, CellOutput, TableOutput};

/// MIME type of a [`TableOutput`] as JSON (`columns`, `types`, `rows`, `truncated`).
pub const TABLE_MIME: &str = "application/vnd.streamlab.table+json";
/// MIME type of a live view of a streaming query (`query_id`, `table`).
pub const LIVE_TABLE_MIME: &str = "application/vnd.streamlab.live-table+json";
/// Where Databricks keeps a cell's title in the `.ipynb` files it exports.
const DATABRICKS_CELL_METADATA: &str = "application/vnd.databricks.v1+cell";
/// StreamLab's own notebook metadata key (holds the notebook's human `language`).
const STREAMLAB_METADATA: &str = "streamlab";
/// The traceback line that records where in the cell an error happened.
const LOCATION_PREFIX: &str = "Cell line ";

fn invalid(message: impl Into<String>) -> FormatError {
    FormatError::new(NotebookFormat::Ipynb, message)
}

/// Reads a Jupyter notebook from its JSON text.
pub(crate) fn read_ipynb(text: &str) -> Result<Notebook, FormatError> {
    let root: Value = serde_json::from_str(text).map_err(|e| invalid(format!("not JSON: {e}")))?;
    let root = root.as_object().ok_or_else(|| invalid("the top level must be a JSON object"))?;
    match root.get("nbformat") {
        None => return Err(invalid("missing \"nbformat\"")),
        Some(Value::Number(n)) if n.as_u64() == Some(4) => {}
        Some(other) => {
            return Err(invalid(format!(
                "nbformat {other} is not supported: StreamLab reads nbformat 4 (open and save the file in a recent Jupyter to upgrade it)"
            )))
        }
    }
    let metadata = match root.get("metadata") {
        None => NotebookMetadata::default(),
        Some(Value::Object(map)) => read_metadata(map.clone()),
        Some(_) => return Err(invalid("metadata: expected an object")),
    };
    let cells = root.get("cells").ok_or_else(|| invalid("missing \"cells\""))?;
    let cells = cells.as_array().ok_or_else(|| invalid("cells: expected a list"))?;
    let mut read = Vec::with_capacity(cells.len());
    for (index, cell) in cells.iter().enumerate() {
        read.push(read_cell(cell, &format!("cells[{index}]"))?);
    }
    Ok(Notebook::from_read_cells(metadata, read))
}

/// Title and language out of the notebook metadata; the rest is kept as it is.
fn read_metadata(mut extra: Map<String, Value>) -> NotebookMetadata {
    let title = match extra.remove("title") {
        Some(Value::String(title)) => Some(title),
        Some(other) => {
            extra.insert("title".into(), other);
            None
        }
        None => None,
    };
    let mut language = None;
    if let Some(Value::Object(ours)) = extra.get_mut(STREAMLAB_METADATA) {
        match ours.remove("language") {
            Some(Value::String(tag)) => language = Some(tag),
            Some(other) => {
                ours.insert("language".into(), other);
            }
            None => {}
        }
        if ours.is_empty() {
            extra.remove(STREAMLAB_METADATA);
        }
    }
    NotebookMetadata { title, language, extra }
}

/// One cell and the id it had in the file.
fn read_cell(value: &Value, at: &str) -> Result<(Option<String>, Cell), FormatError> {
    let cell = value.as_object().ok_or_else(|| invalid(format!("{at}: expected an object")))?;
    let source = multiline(cell.get("source").ok_or_else(|| invalid(format!("{at}: missing \"source\"")))?, &format!("{at}.source"))?;
    let cell_type = cell.get("cell_type").and_then(Value::as_str).ok_or_else(|| invalid(format!("{at}: missing \"cell_type\"")))?;
    let mut read = match cell_type {
        "markdown" | "raw" => unnumbered_cell(CellKind::Markdown, source),
        "code" => {
            let (kind, body) = split_magic(&source);
            let mut code = unnumbered_cell(kind, body);
            code.execution_count = execution_count(cell.get("execution_count"), &format!("{at}.execution_count"))?;
            if let Some(outputs) = cell.get("outputs") {
                let outputs = outputs.as_array().ok_or_else(|| invalid(format!("{at}.outputs: expected a list")))?;
                for (index, output) in outputs.iter().enumerate() {
                    code.outputs.extend(read_output(output, &format!("{at}.outputs[{index}]"))?);
                }
            }
            code
        }
        other => return Err(invalid(format!("{at}.cell_type: unknown cell type \"{other}\" (expected code, markdown or raw)"))),
    };
    read.title = cell
        .get("metadata")
        .and_then(|m| m.get(DATABRICKS_CELL_METADATA))
        .and_then(|m| m.get("title"))
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .map(String::from);
    let id = cell.get("id").and_then(Value::as_str).map(String::from);
    Ok((id, read))
}

fn execution_count(value: Option<&Value>, at: &str) -> Result<Option<u32>, FormatError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_u64().and_then(|n| u32::try_from(n).ok()) {
            Some(count) => Ok(Some(count)),
            None => Err(invalid(format!("{at}: expected a count or null, found {n}"))),
        },
        Some(_) => Err(invalid(format!("{at}: expected a count or null"))),
    }
}

/// nbformat's multiline strings: one string, or a list of strings to concatenate.
fn multiline(value: &Value, at: &str) -> Result<String, FormatError> {
    match value {
        Value::String(text) => Ok(text.clone()),
        Value::Array(parts) => {
            let mut text = String::new();
            for part in parts {
                text.push_str(part.as_str().ok_or_else(|| invalid(format!("{at}: expected a string or a list of strings")))?);
            }
            Ok(text)
        }
        _ => Err(invalid(format!("{at}: expected a string or a list of strings"))),
    }
}

fn string_field<'a>(output: &'a Map<String, Value>, key: &str, at: &str) -> Result<&'a str, FormatError> {
    output.get(key).and_then(Value::as_str).ok_or_else(|| invalid(format!("{at}: missing string \"{key}\"")))
}

/// One output; `None` for a display without any form StreamLab shows (an image alone).
fn read_output(value: &Value, at: &str) -> Result<Option<CellOutput>, FormatError> {
    let output = value.as_object().ok_or_else(|| invalid(format!("{at}: expected an object")))?;
    match string_field(output, "output_type", at)? {
        "stream" => {
            let text = multiline(output.get("text").ok_or_else(|| invalid(format!("{at}: missing \"text\"")))?, &format!("{at}.text"))?;
            Ok(Some(if string_field(output, "name", at)? == "stderr" { CellOutput::Stderr(text) } else { CellOutput::Stdout(text) }))
        }
        "execute_result" | "display_data" => {
            let data = output.get("data").and_then(Value::as_object).ok_or_else(|| invalid(format!("{at}: missing object \"data\"")))?;
            read_display(data, &format!("{at}.data"))
        }
        "error" => {
            let traceback = match output.get("traceback") {
                Some(Value::Array(lines)) => lines.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            Ok(Some(CellOutput::Error(CellError {
                ename: string_field(output, "ename", at)?.to_string(),
                message: string_field(output, "evalue", at)?.to_string(),
                location: traceback.iter().find_map(|line| parse_location(line)),
            })))
        }
        other => Err(invalid(format!("{at}.output_type: unknown output type \"{other}\""))),
    }
}

/// The richest form of a display StreamLab knows: its own table or live view, then HTML, then text.
fn read_display(data: &Map<String, Value>, at: &str) -> Result<Option<CellOutput>, FormatError> {
    if let Some(table) = data.get(TABLE_MIME) {
        return read_table(table, &format!("{at}[\"{TABLE_MIME}\"]")).map(|t| Some(CellOutput::Table(t)));
    }
    if let Some(live) = data.get(LIVE_TABLE_MIME) {
        let field = |key: &str| live.get(key).and_then(Value::as_str).map(String::from);
        return match (field("query_id"), field("table")) {
            (Some(query_id), Some(table)) => Ok(Some(CellOutput::LiveTable { query_id, table })),
            _ => Err(invalid(format!("{at}[\"{LIVE_TABLE_MIME}\"]: expected strings \"query_id\" and \"table\""))),
        };
    }
    if let Some(html) = data.get("text/html") {
        return multiline(html, &format!("{at}[\"text/html\"]")).map(|h| Some(CellOutput::Html(h)));
    }
    if let Some(text) = data.get("text/plain") {
        return multiline(text, &format!("{at}[\"text/plain\"]")).map(|t| Some(CellOutput::Result(t)));
    }
    Ok(None)
}

fn read_table(value: &Value, at: &str) -> Result<TableOutput, FormatError> {
    let strings = |v: &Value| -> Option<Vec<String>> { v.as_array()?.iter().map(|s| s.as_str().map(String::from)).collect() };
    let bad = || invalid(format!("{at}: expected lists of strings \"columns\", \"types\", \"rows\" and a boolean \"truncated\""));
    let columns = value.get("columns").and_then(strings).ok_or_else(bad)?;
    let types = value.get("types").and_then(strings).ok_or_else(bad)?;
    let rows = value.get("rows").and_then(Value::as_array).ok_or_else(bad)?;
    let rows = rows.iter().map(strings).collect::<Option<Vec<_>>>().ok_or_else(bad)?;
    let truncated = value.get("truncated").and_then(Value::as_bool).ok_or_else(bad)?;
    Ok(TableOutput { columns, types, rows, truncated })
}

/// `(line, column)` from a `Cell line L, column C` traceback line.
fn parse_location(line: &str) -> Option<(usize, usize)> {
    let (l, c) = line.strip_prefix(LOCATION_PREFIX)?.split_once(", column ")?;
    Some((l.parse().ok()?, c.trim_end().parse().ok()?))
}

/// Writes `notebook` as a Jupyter notebook (nbformat 4.5), byte for byte as Jupyter saves it.
///
/// SQL cells become code cells starting with `%sql`; a notebook without a `kernelspec` gets
/// Python 3's, so Jupyter opens it with PySpark's language.
///
/// ```
/// use streamlab_notebook::document::{CellKind, Notebook, NotebookMetadata};
/// use streamlab_notebook::formats::{read_notebook, write_ipynb};
/// let mut nb = Notebook::new(NotebookMetadata { title: Some("Demo".into()), ..Default::default() });
/// nb.push_cell(CellKind::Sql, "SELECT 1");
/// let text = write_ipynb(&nb).unwrap();
/// assert!(text.contains("\"source\": [\n    \"%sql\\n\",\n    \"SELECT 1\"\n   ]"));
/// let back = read_notebook("demo.ipynb", text.as_bytes()).unwrap();
/// assert_eq!(back.cells()[0].kind, CellKind::Sql);
/// assert_eq!(back.metadata.title.as_deref(), Some("Demo"));
/// ```
pub fn write_ipynb(notebook: &Notebook) -> Result<String, FormatError> {
    let cells: Vec<Value> = notebook.cells().iter().map(cell_json).collect();
    let root = json!({
        "cells": cells,
        "metadata": metadata_json(&notebook.metadata),
        "nbformat": 4,
        "nbformat_minor": 5,
    });
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, serde_json::ser::PrettyFormatter::with_indent(b" "));
    sorted(root).serialize(&mut serializer).map_err(|e| invalid(format!("cannot write JSON: {e}")))?;
    let mut text = String::from_utf8(out).map_err(|e| invalid(format!("cannot write JSON: {e}")))?;
    text.push('\n');
    Ok(text)
}

fn metadata_json(metadata: &NotebookMetadata) -> Value {
    let mut map = metadata.extra.clone();
    map.entry("kernelspec").or_insert_with(|| json!({"display_name": "Python 3", "language": "python", "name": "python3"}));
    map.entry("language_info").or_insert_with(|| json!({"name": "python"}));
    if let Some(title) = &metadata.title {
        map.insert("title".into(), Value::String(title.clone()));
    }
    if let Some(language) = &metadata.language {
        let ours = map.entry(STREAMLAB_METADATA).or_insert_with(|| Value::Object(Map::new()));
        if !ours.is_object() {
            *ours = Value::Object(Map::new());
        }
        if let Value::Object(ours) = ours {
            ours.insert("language".into(), Value::String(language.clone()));
        }
    }
    Value::Object(map)
}

fn cell_json(cell: &Cell) -> Value {
    let metadata = match &cell.title {
        Some(title) => json!({ DATABRICKS_CELL_METADATA: { "title": title } }),
        None => json!({}),
    };
    let id = cell.id().as_str();
    match cell.kind {
        CellKind::Markdown => json!({"cell_type": "markdown", "id": id, "metadata": metadata, "source": lines(&cell.source)}),
        CellKind::Code | CellKind::Sql => {
            let source = if cell.kind == CellKind::Sql { format!("%sql\n{}", cell.source) } else { cell.source.clone() };
            let outputs: Vec<Value> = cell.outputs.iter().map(|o| output_json(o, cell.execution_count)).collect();
            json!({
                "cell_type": "code",
                "execution_count": cell.execution_count,
                "id": id,
                "metadata": metadata,
                "outputs": outputs,
                "source": lines(&source),
            })
        }
    }
}

fn output_json(output: &CellOutput, execution_count: Option<u32>) -> Value {
    let display = |data: Value| json!({"data": data, "metadata": {}, "output_type": "display_data"});
    match output {
        CellOutput::Stdout(text) => json!({"name": "stdout", "output_type": "stream", "text": lines(text)}),
        CellOutput::Stderr(text) => json!({"name": "stderr", "output_type": "stream", "text": lines(text)}),
        CellOutput::Result(text) => json!({
            "data": {"text/plain": lines(text)},
            "execution_count": execution_count,
            "metadata": {},
            "output_type": "execute_result",
        }),
        CellOutput::Table(table) => display(json!({
            TABLE_MIME: {"columns": table.columns, "types": table.types, "rows": table.rows, "truncated": table.truncated},
            "text/html": lines(&table_html(table)),
            "text/plain": lines(&table_text(table)),
        })),
        CellOutput::LiveTable { query_id, table } => display(json!({
            LIVE_TABLE_MIME: {"query_id": query_id, "table": table},
            "text/plain": lines(&format!("Live view of streaming query {query_id} (memory table {table})")),
        })),
        CellOutput::Html(html) => display(json!({"text/html": lines(html)})),
        CellOutput::Error(error) => {
            let mut traceback: Vec<String> = error.location.map(|(l, c)| format!("{LOCATION_PREFIX}{l}, column {c}")).into_iter().collect();
            traceback.push(error.headline());
            json!({"ename": error.ename, "evalue": error.message, "output_type": "error", "traceback": traceback})
        }
    }
}

/// The table as `show(truncate=False)` prints it, for viewers that only show text.
fn table_text(table: &TableOutput) -> String {
    let columns: Vec<ArrayRef> = (0..table.columns.len())
        .map(|i| Arc::new(table.rows.iter().map(|row| row.get(i).map(String::as_str)).collect::<StringArray>()) as ArrayRef)
        .collect();
    let schema = Schema::new(table.columns.iter().map(|name| Field::new(name, DataType::Utf8, true)).collect::<Vec<_>>());
    let mut text = match RecordBatch::try_new(Arc::new(schema), columns) {
        Ok(batch) => show_string(&batch, table.rows.len(), 0, false),
        Err(_) => String::new(),
    };
    if table.truncated {
        let noun = if table.rows.len() == 1 { "row" } else { "rows" };
        text.push_str(&format!("only showing top {} {noun}\n", table.rows.len()));
    }
    text
}

/// The table as an HTML `<table>`, for Jupyter and Databricks viewers.
fn table_html(table: &TableOutput) -> String {
    let mut html = String::from("<table>\n<thead><tr>");
    for column in &table.columns {
        html.push_str(&format!("<th>{}</th>", escape_html(column)));
    }
    html.push_str("</tr></thead>\n<tbody>\n");
    for row in &table.rows {
        html.push_str("<tr>");
        for cell in row {
            html.push_str(&format!("<td>{}</td>", escape_html(cell)));
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</tbody>\n</table>\n");
    html
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// nbformat's multiline string on disk: the text cut after each newline (`[]` when empty).
fn lines(text: &str) -> Value {
    Value::Array(text.split_inclusive('\n').map(|l| Value::String(l.to_string())).collect())
}

/// `value` with every object's keys in order, as Jupyter writes them (`sort_keys=True`).
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Notebook, String> {
        read_ipynb(text).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_sources_as_strings_or_lists_and_magics_as_kinds() {
        let text = r#"{"nbformat": 4, "nbformat_minor": 2, "metadata": {}, "cells": [
            {"cell_type": "code", "source": ["%sql\n", "SELECT 1"], "metadata": {}, "outputs": [], "execution_count": null},
            {"cell_type": "code", "source": "%md\n# Hi", "metadata": {}, "outputs": []},
            {"cell_type": "raw", "source": "plain", "metadata": {}},
            {"cell_type": "markdown", "source": [], "metadata": {}}
        ]}"#;
        let nb = read(text).unwrap_or_else(|e| panic!("{e}"));
        let summary: Vec<(CellKind, &str)> = nb.cells().iter().map(|c| (c.kind, c.source.as_str())).collect();
        assert_eq!(summary, [(CellKind::Sql, "SELECT 1"), (CellKind::Markdown, "# Hi"), (CellKind::Markdown, "plain"), (CellKind::Markdown, "")]);
        let ids: Vec<&str> = nb.cells().iter().map(|c| c.id().as_str()).collect();
        assert_eq!(ids, ["cell-1", "cell-2", "cell-3", "cell-4"]);
    }

    #[test]
    fn outputs_map_to_cell_outputs() {
        let text = r#"{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
            {"cell_type": "code", "id": "abc", "source": "x", "metadata": {}, "execution_count": 7, "outputs": [
                {"output_type": "stream", "name": "stdout", "text": ["a\n", "b\n"]},
                {"output_type": "stream", "name": "stderr", "text": "WARN x\n"},
                {"output_type": "execute_result", "execution_count": 7, "metadata": {}, "data": {"text/plain": "DataFrame[]"}},
                {"output_type": "display_data", "metadata": {}, "data": {"text/html": "<b>t</b>", "text/plain": "t"}},
                {"output_type": "display_data", "metadata": {}, "data": {"image/png": "iVBOR"}},
                {"output_type": "error", "ename": "NameError", "evalue": "name 'y' is not defined", "traceback": ["\u001b[0;31mNameError\u001b[0m"]}
            ]}
        ]}"#;
        let nb = read(text).unwrap_or_else(|e| panic!("{e}"));
        let cell = &nb.cells()[0];
        assert_eq!(cell.id().as_str(), "abc");
        assert_eq!(cell.execution_count, Some(7));
        assert_eq!(
            cell.outputs,
            [
                CellOutput::Stdout("a\nb\n".into()),
                CellOutput::Stderr("WARN x\n".into()),
                CellOutput::Result("DataFrame[]".into()),
                CellOutput::Html("<b>t</b>".into()),
                CellOutput::Error(CellError { ename: "NameError".into(), message: "name 'y' is not defined".into(), location: None }),
            ]
        );
    }

    #[test]
    fn tables_are_written_as_text_html_and_data() {
        let table = TableOutput {
            columns: vec!["k".into(), "n".into()],
            types: vec!["string".into(), "bigint".into()],
            rows: vec![vec!["<a>".into(), "1".into()], vec!["b".into(), "22".into()]],
            truncated: true,
        };
        assert_eq!(table_text(&table), "+---+---+\n|k  |n  |\n+---+---+\n|<a>|1  |\n|b  |22 |\n+---+---+\nonly showing top 2 rows\n");
        assert!(table_html(&table).contains("<td>&lt;a&gt;</td>"));
        let ragged = TableOutput { columns: vec!["k".into()], types: vec![], rows: vec![vec![], vec!["a".into(), "extra".into()]], truncated: false };
        assert_eq!(table_text(&ragged), "+----+\n|k   |\n+----+\n|NULL|\n|a   |\n+----+\n");
        assert_eq!(table_text(&TableOutput::default()), "");
    }

    #[test]
    fn error_locations_survive_the_traceback() {
        assert_eq!(parse_location("Cell line 3, column 14"), Some((3, 14)));
        assert_eq!(parse_location("Cell In[3], line 5"), None);
        assert_eq!(parse_location("Cell line x, column 1"), None);
    }

    #[test]
    fn malformed_notebooks_say_where() {
        let cases = [
            ("", "not JSON: EOF while parsing a value at line 1 column 0"),
            ("[]", "the top level must be a JSON object"),
            (r#"{"nbformat": 3, "cells": []}"#, "nbformat 3 is not supported"),
            (r#"{"nbformat": "4", "cells": []}"#, "nbformat \"4\" is not supported"),
            (r#"{"nbformat": 4}"#, "missing \"cells\""),
            (r#"{"nbformat": 4, "cells": {}}"#, "cells: expected a list"),
            (r#"{"nbformat": 4, "metadata": [], "cells": []}"#, "metadata: expected an object"),
            (r#"{"nbformat": 4, "cells": [1]}"#, "cells[0]: expected an object"),
            (r#"{"nbformat": 4, "cells": [{"cell_type": "code"}]}"#, "cells[0]: missing \"source\""),
            (r#"{"nbformat": 4, "cells": [{"source": ""}]}"#, "cells[0]: missing \"cell_type\""),
            (r#"{"nbformat": 4, "cells": [{"cell_type": "heading", "source": ""}]}"#, "cells[0].cell_type: unknown cell type \"heading\""),
            (r#"{"nbformat": 4, "cells": [{"cell_type": "code", "source": ["a", 1]}]}"#, "cells[0].source: expected a string or a list of strings"),
            (r#"{"nbformat": 4, "cells": [{"cell_type": "code", "source": "", "execution_count": -1}]}"#, "cells[0].execution_count: expected a count or null, found -1"),
            (r#"{"nbformat": 4, "cells": [{"cell_type": "code", "source": "", "outputs": {}}]}"#, "cells[0].outputs: expected a list"),
            (r#"{"nbformat": 4, "cells": [{"cell_type": "code", "source": "", "outputs": [{"output_type": "stream", "name": "stdout"}]}]}"#, "cells[0].outputs[0]: missing \"text\""),
            (r#"{"nbformat": 4, "cells": [{"cell_type": "code", "source": "", "outputs": [{"output_type": "pager"}]}]}"#, "unknown output type \"pager\""),
            (r#"{"nbformat": 4, "cells": [{"cell_type": "code", "source": "", "outputs": [{"output_type": "error", "ename": "E"}]}]}"#, "cells[0].outputs[0]: missing string \"evalue\""),
            (r#"{"nbformat": 4, "cells": [{"cell_type": "code", "source": "", "outputs": [{"output_type": "display_data", "data": {"application/vnd.streamlab.table+json": {"columns": [1]}}}]}]}"#, "expected lists of strings"),
            (r#"{"nbformat": 4, "cells": [{"cell_type": "code", "source": "", "outputs": [{"output_type": "display_data", "data": {"application/vnd.streamlab.live-table+json": {}}}]}]}"#, "expected strings \"query_id\" and \"table\""),
        ];
        for (text, expected) in cases {
            match read(text) {
                Ok(_) => panic!("{text} was accepted"),
                Err(message) => assert!(message.contains(expected), "{text}: {message}"),
            }
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let text = format!("{{\"nbformat\": 4, \"cells\": {}{}}}", "[".repeat(100_000), "]".repeat(100_000));
        let message = read(&text).err().unwrap_or_default();
        assert!(message.contains("recursion limit"), "{message}");
    }

    #[test]
    fn metadata_keeps_unknown_keys_and_reads_title_and_language() {
        let text = r#"{"nbformat": 4, "cells": [], "metadata": {"title": "T", "streamlab": {"language": "fr", "theme": "dark"}, "colab": {"x": 1}}}"#;
        let nb = read(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(nb.metadata.title.as_deref(), Some("T"));
        assert_eq!(nb.metadata.language.as_deref(), Some("fr"));
        assert_eq!(Value::Object(nb.metadata.extra.clone()), json!({"streamlab": {"theme": "dark"}, "colab": {"x": 1}}));
        let written = write_ipynb(&nb).unwrap_or_default();
        let back = read(&written).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((back.metadata.title.as_deref(), back.metadata.language.as_deref()), (Some("T"), Some("fr")));
        assert_eq!(back.metadata.extra.get("colab"), Some(&json!({"x": 1})));
        assert_eq!(back.metadata.extra.get("kernelspec").and_then(|k| k.get("name")), Some(&json!("python3")));
        assert_eq!(write_ipynb(&back).ok(), Some(written));
    }
}
