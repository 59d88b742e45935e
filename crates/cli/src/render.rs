//! Cell outputs as a terminal shows them: what `python3 script.py` with PySpark prints on
//! stdout and stderr.

use std::io::Write;

use streamlab_notebook::output::{CellError, CellOutput};

/// How outputs are printed: a plain script prints only what Python prints; a notebook also
/// shows each cell's value and tables, as a notebook front end would.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// A `.py` script run as `python3 FILE`.
    Script,
    /// An `.ipynb` or Databricks notebook.
    Notebook,
}

/// Prints one output. Errors are printed by [`print_error`] once the cell has stopped.
pub fn print_output(output: &CellOutput, style: Style) {
    match output {
        CellOutput::Stdout(text) => write_flush(&mut std::io::stdout().lock(), text),
        CellOutput::Stderr(text) => write_flush(&mut std::io::stderr().lock(), text),
        CellOutput::Result(value) if style == Style::Notebook => {
            write_flush(&mut std::io::stdout().lock(), &format!("{value}\n"))
        }
        CellOutput::Table(table) => write_flush(&mut std::io::stdout().lock(), &table.to_show_text()),
        CellOutput::LiveTable { query_id, table } => write_flush(
            &mut std::io::stderr().lock(),
            &format!("display: streaming into the memory table `{table}` (query id {query_id})\n"),
        ),
        CellOutput::Result(_) | CellOutput::Html(_) | CellOutput::Error(_) => {}
    }
}

/// Prints a cell's error the way Python ends a traceback, with where it happened.
pub fn print_error(error: &CellError, file: &str, cell: Option<usize>) {
    let place = match (cell, error.location) {
        (Some(cell), Some((line, _))) => format!("  File \"{file}\", cell {cell}, line {line}\n"),
        (Some(cell), None) => format!("  File \"{file}\", cell {cell}\n"),
        (None, Some((line, _))) => format!("  File \"{file}\", line {line}, in <module>\n"),
        (None, None) => format!("  File \"{file}\"\n"),
    };
    write_flush(
        &mut std::io::stderr().lock(),
        &format!("Traceback (most recent call last):\n{place}{}\n", error.headline()),
    );
}

fn write_flush(out: &mut dyn Write, text: &str) {
    // A closed pipe (`streamlab run x | head`) is not an error worth reporting.
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}
