//! Notebooks survive a save and a load in both formats, and odd files give errors, never panics.

use streamlab_notebook::document::{CellKind, Notebook, NotebookMetadata};
use streamlab_notebook::formats::{read_notebook, write_databricks, write_ipynb, NotebookFormat};
use streamlab_notebook::output::{CellError, CellOutput, TableOutput};

/// Sources that stress line handling: empty, blank lines at either end, indentation, unicode,
/// text that looks like the formats' own markers inside markdown.
const SOURCES: [&str; 10] = [
    "",
    "x = 1",
    "x = 1\n",
    "\n\nleading blank lines",
    "trailing blank lines\n\n\n",
    "    indented\n\tand tabbed",
    "Numéro de port, 日本語, emoji 🚀",
    "# COMMAND ----------\n# MAGIC %md\n# DBTITLE 1,x",
    "   \n  \n",
    "%md inside markdown stays text",
];

fn corpus() -> Notebook {
    let mut nb = Notebook::new(NotebookMetadata { title: Some("Corpus".into()), language: Some("en".into()), ..Default::default() });
    for source in SOURCES {
        nb.push_cell(CellKind::Markdown, source);
        nb.push_cell(CellKind::Sql, source);
        if !source.starts_with('#') && !source.starts_with('%') && !source.trim().is_empty() {
            nb.push_cell(CellKind::Code, source);
        }
    }
    nb.push_cell(CellKind::Code, "");
    nb.push_cell(CellKind::Code, "%fs ls /tmp\n%sh echo");
    nb.push_cell(CellKind::Code, "%pip install x");
    nb
}

fn with_outputs() -> Notebook {
    let mut nb = corpus();
    let id = nb.push_cell(CellKind::Code, "df.show()");
    let table = TableOutput {
        columns: vec!["gt".into(), "count".into()],
        types: vec!["string".into(), "bigint".into()],
        rows: vec![vec!["stand".into(), "1205".into()], vec!["null".into(), "7".into()]],
        truncated: true,
    };
    let outputs = vec![
        CellOutput::Stdout("+---+\n|  a|\n+---+\n".into()),
        CellOutput::Stderr("25/12/15 13:20:26 WARN ResolveWriteToStream: ...\n".into()),
        CellOutput::Result("DataFrame[]".into()),
        CellOutput::Table(table),
        CellOutput::LiveTable { query_id: "6b5e0c9e-2d4c-4a0b-9f4e-0e7d1f2a3b4c".into(), table: "display_query_1".into() },
        CellOutput::Html("<p>rendered</p>".into()),
        CellOutput::Error(CellError { ename: "AnalysisException".into(), message: "[PATH_NOT_FOUND] Path does not exist: file:/nope.".into(), location: Some((3, 5)) }),
        CellOutput::Error(CellError { ename: "NameError".into(), message: "name 'x' is not defined".into(), location: None }),
    ];
    if let Some(cell) = nb.cell_mut(&id) {
        cell.outputs = outputs;
        cell.execution_count = Some(12);
        cell.title = Some("Show, then count".into());
    }
    nb
}

fn kinds_and_sources(nb: &Notebook) -> Vec<(CellKind, String, Option<String>)> {
    nb.cells().iter().map(|c| (c.kind, c.source.clone(), c.title.clone())).collect()
}

#[test]
fn ipynb_round_trip_keeps_cells_ids_outputs_and_metadata() {
    let nb = with_outputs();
    let text = write_ipynb(&nb).unwrap_or_else(|e| panic!("{e}"));
    let back = read_notebook("corpus.ipynb", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back.cells(), nb.cells());
    assert_eq!(back.metadata.title, nb.metadata.title);
    assert_eq!(back.metadata.language, nb.metadata.language);
    assert_eq!(write_ipynb(&back).ok(), Some(text), "writing is stable");
}

#[test]
fn databricks_round_trip_keeps_kinds_sources_and_titles() {
    let nb = with_outputs();
    let text = write_databricks(&nb).unwrap_or_else(|e| panic!("{e}"));
    assert!(text.starts_with("# Databricks notebook source\n"));
    assert!(text.ends_with('\n') && !text.ends_with("\n\n"));
    let back = read_notebook("corpus.py", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(kinds_and_sources(&back), kinds_and_sources(&nb));
    assert_eq!(write_databricks(&back).ok(), Some(text), "writing is stable");
}

#[test]
fn ipynb_to_databricks_to_ipynb_keeps_the_cells() {
    let nb = corpus();
    let via_py = write_databricks(&nb).and_then(|py| read_notebook("x.py", py.as_bytes())).unwrap_or_else(|e| panic!("{e}"));
    let via_both = write_ipynb(&via_py).and_then(|json| read_notebook("x.ipynb", json.as_bytes())).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(kinds_and_sources(&via_both), kinds_and_sources(&nb));
}

#[test]
fn ids_survive_edits_and_a_save() {
    let mut nb = corpus();
    let first = nb.cells()[0].id().clone();
    let added = nb.insert_cell(1, CellKind::Code, "added = True");
    nb.move_cell(&first, 5);
    let text = write_ipynb(&nb).unwrap_or_else(|e| panic!("{e}"));
    let back = read_notebook("x.ipynb", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back.position(&first), Some(5));
    assert_eq!(back.cell(&added).map(|c| c.source.as_str()), Some("added = True"));
}

/// Files that are odd in every way the readers must survive: each gives a notebook or an
/// error, and the error names the format it was read as.
#[test]
fn odd_inputs_give_errors_or_notebooks_never_panics() {
    let deep = format!("{}{}", "[".repeat(50_000), "]".repeat(50_000));
    let long_line = format!("# Databricks notebook source\n{}", "# MAGIC ".repeat(10_000));
    // (file name, content, whether it is a valid notebook)
    let inputs: Vec<(&str, Vec<u8>, bool)> = vec![
        ("a.ipynb", b"".to_vec(), false),
        ("a.ipynb", b"null".to_vec(), false),
        ("a.ipynb", b"{".to_vec(), false),
        ("a.ipynb", b"{\"nbformat\": 4.0, \"cells\": []}".to_vec(), false),
        ("a.ipynb", b"{\"nbformat\": 4, \"cells\": [], \"metadata\": {\"title\": 5, \"streamlab\": 3}}".to_vec(), true),
        ("a.ipynb", b"{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"code\", \"source\": \"\", \"outputs\": [null]}]}".to_vec(), false),
        ("a.ipynb", b"{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"code\", \"source\": \"\", \"outputs\": [{\"output_type\": \"execute_result\", \"data\": {}}]}]}".to_vec(), true),
        ("a.ipynb", b"{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"code\", \"source\": \"\", \"execution_count\": 1e400}]}".to_vec(), false),
        ("a.ipynb", b"{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"markdown\", \"id\": \"\\u0000\", \"source\": \"\\ud800\"}]}".to_vec(), false),
        ("a.ipynb", b"{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"markdown\", \"id\": \"\\u0000\", \"source\": \"\\u0000\"}]}".to_vec(), true),
        ("a.ipynb", deep.into_bytes(), false),
        ("a.ipynb", vec![0xEF, 0xBB, 0xBF, b'{', b'}'], false),
        ("a.ipynb", vec![0xFF, 0xFE, b'{', 0], false),
        ("a.py", b"".to_vec(), true),
        ("a.py", b"# Databricks notebook source".to_vec(), true),
        ("a.py", b"# Databricks notebook source\n# COMMAND ----------\n# COMMAND ----------".to_vec(), true),
        ("a.py", b"# Databricks notebook source\n# DBTITLE\n# DBTITLE 1\n# MAGIC\n".to_vec(), true),
        ("a.py", b"# Databricks notebook source\r\r\n\r\n# MAGIC %sql\r".to_vec(), true),
        ("a.py", long_line.into_bytes(), true),
        ("a.py", vec![b'#', 0xC3], false),
        ("noext", b"# Databricks notebook source\n\n\n".to_vec(), true),
        ("", b"{}".to_vec(), false),
        ("/", b"".to_vec(), false),
        ("x.IPYNB", b"[]".to_vec(), false),
    ];
    for (name, bytes, valid) in &inputs {
        match read_notebook(name, bytes) {
            Ok(nb) => {
                assert!(valid, "{name}: {:?} was accepted", String::from_utf8_lossy(&bytes[..bytes.len().min(80)]));
                // Whatever was read can be written again.
                assert!(write_ipynb(&nb).is_ok(), "{name}");
            }
            Err(e) => {
                assert!(!valid, "{name}: {e}");
                assert!(!e.to_string().is_empty());
                if name.to_ascii_lowercase().ends_with(".ipynb") {
                    assert_eq!(e.format, Some(NotebookFormat::Ipynb), "{name}: {e}");
                }
            }
        }
    }
}
