//! Notebook files: Jupyter `.ipynb` and Databricks source `.py`, read into a
//! [`Notebook`](crate::document::Notebook) and written back.
//!
//! Students bring notebooks from Jupyter and from Databricks, and take their work back there,
//! so both formats are read and written. Reading never panics: malformed files give a
//! [`FormatError`] that says what is wrong and where.

pub mod databricks;
pub mod ipynb;

use std::fmt;

use streamlab_types::SparkError;

use crate::document::Notebook;

pub use databricks::write_databricks;
pub use ipynb::write_ipynb;

/// The file formats StreamLab reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotebookFormat {
    /// Jupyter's nbformat 4 JSON (`.ipynb`).
    Ipynb,
    /// A Databricks notebook exported as source (`# Databricks notebook source` header).
    Databricks,
    /// A plain Python script: the whole file is one code cell.
    PythonScript,
}

impl NotebookFormat {
    /// What the format is called in error messages.
    pub fn describe(self) -> &'static str {
        match self {
            NotebookFormat::Ipynb => "Jupyter notebook (.ipynb)",
            NotebookFormat::Databricks => "Databricks source notebook (.py)",
            NotebookFormat::PythonScript => "Python script (.py)",
        }
    }
}

/// Why a file could not be read or written as a notebook.
///
/// ```
/// use streamlab_notebook::formats::{read_notebook, NotebookFormat};
/// let err = read_notebook("broken.ipynb", b"{\"cells\": 3}").unwrap_err();
/// assert_eq!(err.format, Some(NotebookFormat::Ipynb));
/// assert_eq!(err.to_string(), "Invalid Jupyter notebook (.ipynb): missing \"nbformat\"");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    /// The format the file was read or written as, when one was chosen.
    pub format: Option<NotebookFormat>,
    /// What is wrong, with the place in the file (`cells[2].source: ...`).
    pub message: String,
}

impl FormatError {
    /// An error in a file of `format`.
    pub fn new(format: NotebookFormat, message: impl Into<String>) -> Self {
        FormatError { format: Some(format), message: message.into() }
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.format {
            Some(format) => write!(f, "Invalid {}: {}", format.describe(), self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for FormatError {}

/// A notebook file that cannot be read is a bad argument to the call that opened it, so it
/// surfaces to cells as an `IllegalArgumentException`.
///
/// ```
/// use streamlab_notebook::formats::read_notebook;
/// use streamlab_types::SparkError;
/// let err: SparkError = read_notebook("x.ipynb", b"").unwrap_err().into();
/// assert_eq!(err.headline(), "IllegalArgumentException: Invalid Jupyter notebook (.ipynb): not JSON: EOF while parsing a value at line 1 column 0");
/// ```
impl From<FormatError> for SparkError {
    fn from(error: FormatError) -> Self {
        SparkError::illegal_argument(error.to_string())
    }
}

/// Which format a file named `name` with content `bytes` is: by extension first (`.ipynb`;
/// `.py` with or without the Databricks header), then by content for other names.
///
/// ```
/// use streamlab_notebook::formats::{detect_format, NotebookFormat};
/// assert_eq!(detect_format("a.py", b"print(1)"), Some(NotebookFormat::PythonScript));
/// assert_eq!(detect_format("a.py", b"# Databricks notebook source\nx = 1"), Some(NotebookFormat::Databricks));
/// assert_eq!(detect_format("download", b" {\"cells\": []}"), Some(NotebookFormat::Ipynb));
/// assert_eq!(detect_format("notes.txt", b"hello"), None);
/// ```
pub fn detect_format(name: &str, bytes: &[u8]) -> Option<NotebookFormat> {
    let file_name = name.rsplit(['/', '\\']).next().unwrap_or(name).to_ascii_lowercase();
    let text = strip_bom(bytes);
    let databricks_header = databricks::has_header(text);
    if file_name.ends_with(".ipynb") {
        Some(NotebookFormat::Ipynb)
    } else if databricks_header {
        Some(NotebookFormat::Databricks)
    } else if file_name.ends_with(".py") {
        Some(NotebookFormat::PythonScript)
    } else if text.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
        Some(NotebookFormat::Ipynb)
    } else {
        None
    }
}

/// Reads the notebook file `name` (a path or a bare file name: only its extension is used)
/// with content `bytes`, in the format [`detect_format`] finds.
///
/// ```
/// use streamlab_notebook::formats::read_notebook;
/// use streamlab_notebook::document::CellKind;
/// let nb = read_notebook("demo.py", b"# Databricks notebook source\nx = 1\n\n# COMMAND ----------\n\n# MAGIC %sql\n# MAGIC SELECT 1\n").unwrap();
/// let kinds: Vec<CellKind> = nb.cells().iter().map(|c| c.kind).collect();
/// assert_eq!(kinds, [CellKind::Code, CellKind::Sql]);
/// assert_eq!(nb.cells()[1].source, "SELECT 1");
/// ```
pub fn read_notebook(name: &str, bytes: &[u8]) -> Result<Notebook, FormatError> {
    let Some(format) = detect_format(name, bytes) else {
        return Err(FormatError {
            format: None,
            message: format!("{name} is not a notebook StreamLab can read: expected a Jupyter .ipynb file, a Databricks source .py file or a Python script"),
        });
    };
    let text = std::str::from_utf8(strip_bom(bytes)).map_err(|e| FormatError::new(format, format!("not UTF-8 text: {e}")))?;
    match format {
        NotebookFormat::Ipynb => ipynb::read_ipynb(text),
        NotebookFormat::Databricks => databricks::read_databricks(text, file_stem(name)),
        NotebookFormat::PythonScript => Ok(databricks::read_script(text, file_stem(name))),
    }
}

/// The file name without folders and without its last extension: `notebooks/lesson.fr.py` →
/// `lesson.fr`, the title a Databricks notebook has in its workspace.
fn file_stem(name: &str) -> &str {
    let file_name = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match file_name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => file_name,
    }
}

/// `bytes` without a leading UTF-8 byte order mark, which Windows editors add.
fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_stems_drop_folders_and_the_last_extension() {
        assert_eq!(file_stem("notebooks/lesson.fr.py"), "lesson.fr");
        assert_eq!(file_stem("C:\\work\\demo.py"), "demo");
        assert_eq!(file_stem(".py"), ".py");
        assert_eq!(file_stem("noext"), "noext");
    }

    #[test]
    fn extension_wins_over_content_and_case_is_ignored() {
        assert_eq!(detect_format("A.IPYNB", b"# Databricks notebook source\n"), Some(NotebookFormat::Ipynb));
        assert_eq!(detect_format("dir.ipynb/x.PY", b"x"), Some(NotebookFormat::PythonScript));
        assert_eq!(detect_format("x", b"\xEF\xBB\xBF# Databricks notebook source\n"), Some(NotebookFormat::Databricks));
        assert_eq!(detect_format("x", b""), None);
    }

    #[test]
    fn unknown_files_are_refused_with_the_name() {
        let err = read_notebook("notes.txt", b"hello").unwrap_err();
        assert_eq!(err.format, None);
        assert!(err.message.starts_with("notes.txt is not a notebook"));
    }

    #[test]
    fn non_utf8_is_an_error_not_a_panic() {
        let err = read_notebook("a.py", b"x = '\xff'").unwrap_err();
        assert_eq!(err.format, Some(NotebookFormat::PythonScript));
        assert!(err.to_string().contains("not UTF-8"), "{err}");
    }
}
