//! Databricks notebooks exported as source (`.py`), and plain Python scripts.
//!
//! The layout is the one Databricks' "Export → Source file" writes:
//!
//! ```text
//! # Databricks notebook source
//! x = 1
//!
//! # COMMAND ----------
//!
//! # MAGIC %md
//! # MAGIC ## A title
//! # MAGIC
//! # MAGIC Some text
//! ```
//!
//! Cells are separated by a `# COMMAND ----------` line with one blank line on each side; a cell
//! in another language than Python has every line commented as `# MAGIC <line>` (an empty line
//! as `# MAGIC`), its first line being the magic (`%md`, `%sql`, `%fs`, ...); a cell title is a
//! `# DBTITLE 1,<title>` line before the cell. The file ends with one newline. Outputs are not
//! part of the format.

use crate::document::{split_magic, unnumbered_cell, Cell, CellKind, Notebook, NotebookMetadata};
use crate::formats::{FormatError, NotebookFormat};

/// The first line of every Databricks Python source export.
const HEADER: &str = "# Databricks notebook source";
/// The line between two cells.
const SEPARATOR: &str = "# COMMAND ----------";
/// The prefix of each line of a magic cell.
const MAGIC: &str = "# MAGIC";
/// The prefix of a cell title line; `1` is Databricks' "show title" flag.
const TITLE: &str = "# DBTITLE ";

/// Whether `text` starts with the Databricks source header line.
pub(crate) fn has_header(text: &[u8]) -> bool {
    let first_line = text.split(|&b| b == b'\n').next().unwrap_or_default();
    first_line.trim_ascii_end() == HEADER.as_bytes()
}

/// Reads a Databricks source notebook; `title` (the file's name) becomes the notebook's title,
/// as Databricks names a notebook by its file.
pub(crate) fn read_databricks(text: &str, title: &str) -> Result<Notebook, FormatError> {
    let text = text.replace("\r\n", "\n");
    let mut lines = text.split('\n');
    match lines.next() {
        Some(first) if first.trim_end() == HEADER => {}
        _ => return Err(FormatError::new(NotebookFormat::Databricks, format!("the first line must be \"{HEADER}\""))),
    }
    let body: Vec<&str> = lines.collect();
    let chunks = split_cells(&body);
    let cells = chunks.into_iter().map(|chunk| (None, read_cell(&chunk))).collect();
    Ok(Notebook::from_read_cells(metadata_titled(title), cells))
}

/// Reads a plain Python script as a notebook of one code cell.
pub(crate) fn read_script(text: &str, title: &str) -> Notebook {
    let text = text.replace("\r\n", "\n");
    let source = text.strip_suffix('\n').unwrap_or(&text).to_string();
    Notebook::from_read_cells(metadata_titled(title), vec![(None, unnumbered_cell(CellKind::Code, source))])
}

fn metadata_titled(title: &str) -> NotebookMetadata {
    NotebookMetadata { title: Some(title.to_string()), ..NotebookMetadata::default() }
}

/// The lines of each cell: the body split at separator lines, less the blank line Databricks
/// writes on each side of a separator and the file's final newline.
fn split_cells<'a>(body: &[&'a str]) -> Vec<Vec<&'a str>> {
    let mut chunks: Vec<Vec<&str>> = vec![Vec::new()];
    for line in body {
        if line.trim_end() == SEPARATOR {
            chunks.push(Vec::new());
        } else if let Some(chunk) = chunks.last_mut() {
            chunk.push(line);
        }
    }
    let count = chunks.len();
    for (index, chunk) in chunks.iter_mut().enumerate() {
        if index > 0 && chunk.first().is_some_and(|l| l.trim().is_empty()) {
            chunk.remove(0);
        }
        // Before a separator: the blank line Databricks adds; at the end: the final newline.
        if chunk.last().is_some_and(|l| l.trim().is_empty()) && (index + 1 < count || body.last() == Some(&"")) {
            chunk.pop();
        }
    }
    chunks
}

/// One cell from its lines: an optional title line, then either `# MAGIC` lines or Python.
fn read_cell(lines: &[&str]) -> Cell {
    let (title, lines) = match lines.split_first() {
        Some((first, rest)) if first.starts_with(TITLE) => {
            let title = first.split_once(',').map(|(_, t)| t.trim_end().to_string()).unwrap_or_default();
            (Some(title), rest)
        }
        _ => (None, lines),
    };
    let unmagicked: Option<Vec<&str>> = if lines.is_empty() { None } else { lines.iter().map(|l| strip_magic(l)).collect() };
    let mut cell = match unmagicked {
        Some(inner) => {
            let (kind, source) = split_magic(&inner.join("\n"));
            unnumbered_cell(kind, source)
        }
        None => unnumbered_cell(CellKind::Code, lines.join("\n")),
    };
    cell.title = title;
    cell
}

/// The content of one `# MAGIC` line, or `None` if the line is not one.
fn strip_magic(line: &str) -> Option<&str> {
    let rest = line.strip_prefix(MAGIC)?;
    if rest.is_empty() {
        Some("")
    } else {
        rest.strip_prefix(' ')
    }
}

/// Writes `notebook` as a Databricks source notebook (`.py`), as Databricks exports it.
///
/// Outputs, ids and metadata are not part of the format and are not written. A code cell that
/// the format cannot hold, because reading it back would give other cells (it contains a
/// `# COMMAND ----------` line, starts with `# DBTITLE`, or is all `# MAGIC` lines), is an error.
///
/// ```
/// use streamlab_notebook::document::{CellKind, Notebook, NotebookMetadata};
/// use streamlab_notebook::formats::write_databricks;
/// let mut nb = Notebook::new(NotebookMetadata::default());
/// nb.push_cell(CellKind::Markdown, "## Titre\n\nTexte");
/// nb.push_cell(CellKind::Code, "x = 1");
/// assert_eq!(
///     write_databricks(&nb).unwrap(),
///     "# Databricks notebook source\n# MAGIC %md\n# MAGIC ## Titre\n# MAGIC\n# MAGIC Texte\n\n# COMMAND ----------\n\nx = 1\n"
/// );
/// ```
pub fn write_databricks(notebook: &Notebook) -> Result<String, FormatError> {
    let mut cells = Vec::with_capacity(notebook.cells().len());
    for (index, cell) in notebook.cells().iter().enumerate() {
        cells.push(write_cell(index, cell)?);
    }
    Ok(format!("{HEADER}\n{}\n", cells.join(&format!("\n\n{SEPARATOR}\n\n"))))
}

fn write_cell(index: usize, cell: &Cell) -> Result<String, FormatError> {
    let unwritable = |why: &str| FormatError::new(NotebookFormat::Databricks, format!("cell {} ({}) {why}", index + 1, cell.id()));
    let mut out = String::new();
    if let Some(title) = &cell.title {
        if title.contains(['\n', '\r']) {
            return Err(unwritable("has a title on several lines"));
        }
        out.push_str(&format!("{TITLE}1,{title}\n"));
    }
    let body = match cell.kind {
        CellKind::Markdown => magic_lines(&format!("%md\n{}", cell.source)),
        CellKind::Sql => magic_lines(&format!("%sql\n{}", cell.source)),
        CellKind::Code if cell.source.starts_with('%') => magic_lines(&cell.source),
        CellKind::Code => {
            let lines: Vec<&str> = cell.source.split('\n').collect();
            if lines.iter().any(|l| l.trim_end() == SEPARATOR) {
                return Err(unwritable("contains the cell separator line \"# COMMAND ----------\""));
            }
            if cell.title.is_none() && cell.source.starts_with(TITLE) {
                return Err(unwritable("starts with \"# DBTITLE\", which would be read as a cell title"));
            }
            if lines.iter().all(|l| strip_magic(l).is_some()) {
                return Err(unwritable("has only \"# MAGIC\" lines, which would be read as a magic cell"));
            }
            cell.source.clone()
        }
    };
    out.push_str(&body);
    Ok(out)
}

/// `source` with every line commented as Databricks comments the lines of a magic cell.
fn magic_lines(source: &str) -> String {
    let lines: Vec<String> = source.split('\n').map(|l| if l.is_empty() { MAGIC.to_string() } else { format!("{MAGIC} {l}") }).collect();
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Notebook {
        match read_databricks(text, "t") {
            Ok(nb) => nb,
            Err(e) => panic!("{e}"),
        }
    }

    fn summary(nb: &Notebook) -> Vec<(CellKind, &str)> {
        nb.cells().iter().map(|c| (c.kind, c.source.as_str())).collect()
    }

    #[test]
    fn reads_a_databricks_export() {
        let text = "# Databricks notebook source\n# MAGIC %md\n# MAGIC\n# MAGIC # Ingest\n\n# COMMAND ----------\n\ndisplay(df)\n\n# COMMAND ----------\n\n# MAGIC %fs\n# MAGIC\n# MAGIC ls /mnt\n\n# COMMAND ----------\n\n\n\nfrom x import y\n";
        let nb = read(text);
        assert_eq!(summary(&nb), [(CellKind::Markdown, "\n# Ingest"), (CellKind::Code, "display(df)"), (CellKind::Code, "%fs\n\nls /mnt"), (CellKind::Code, "\n\nfrom x import y")]);
        assert_eq!(nb.metadata.title.as_deref(), Some("t"));
    }

    #[test]
    fn old_exports_with_trailing_spaces_and_crlf_read_the_same() {
        let text = "# Databricks notebook source\r\n# MAGIC %sql \r\n# MAGIC SELECT 1\r\n# MAGIC \r\n\r\n# COMMAND ---------- \r\n\r\nx = 1\r\n";
        assert_eq!(summary(&read(text)), [(CellKind::Sql, "SELECT 1\n"), (CellKind::Code, "x = 1")]);
    }

    #[test]
    fn titles_are_read_and_written() {
        let text = "# Databricks notebook source\n# DBTITLE 1,Load, then show\n# MAGIC %md hello\n";
        let nb = read(text);
        assert_eq!(summary(&nb), [(CellKind::Markdown, "hello")]);
        assert_eq!(nb.cells()[0].title.as_deref(), Some("Load, then show"));
        assert_eq!(write_databricks(&nb).ok().as_deref(), Some("# Databricks notebook source\n# DBTITLE 1,Load, then show\n# MAGIC %md\n# MAGIC hello\n"));
    }

    #[test]
    fn an_empty_first_cell_and_a_file_without_final_newline() {
        let text = "# Databricks notebook source\n\n# COMMAND ----------\n\nx = 1";
        assert_eq!(summary(&read(text)), [(CellKind::Code, ""), (CellKind::Code, "x = 1")]);
        assert_eq!(summary(&read("# Databricks notebook source")), [(CellKind::Code, "")]);
    }

    #[test]
    fn mixed_magic_and_python_lines_are_python() {
        let text = "# Databricks notebook source\n# MAGIC %md\nx = 1\n";
        assert_eq!(summary(&read(text)), [(CellKind::Code, "# MAGIC %md\nx = 1")]);
    }

    #[test]
    fn the_header_is_required() {
        let err = read_databricks("x = 1\n", "t").unwrap_err();
        assert_eq!(err.to_string(), "Invalid Databricks source notebook (.py): the first line must be \"# Databricks notebook source\"");
    }

    #[test]
    fn cells_the_format_cannot_hold_are_refused() {
        for source in ["a\n# COMMAND ----------\nb", "# DBTITLE 1,x\ny", "# MAGIC %md\n# MAGIC", "# MAGIC"] {
            let mut nb = Notebook::new(NotebookMetadata::default());
            nb.push_cell(CellKind::Code, source);
            assert!(write_databricks(&nb).is_err(), "{source:?}");
        }
        let mut nb = Notebook::new(NotebookMetadata::default());
        let id = nb.push_cell(CellKind::Code, "x");
        if let Some(cell) = nb.cell_mut(&id) {
            cell.title = Some("two\nlines".into());
        }
        assert!(write_databricks(&nb).is_err());
    }

    #[test]
    fn plain_scripts_are_one_code_cell() {
        let nb = read_script("import os\r\nprint(1)\n", "script");
        assert_eq!(summary(&nb), [(CellKind::Code, "import os\nprint(1)")]);
    }
}
