//! What running a cell produces, as data: printed text, tables, live stream views, rendered
//! markdown and errors. The browser renders these as HTML; the CLI prints them as PySpark would.

use streamlab_types::SparkError;

/// One output of a cell, in the order it was produced.
#[derive(Debug, Clone, PartialEq)]
pub enum CellOutput {
    /// Text written to standard output: `print`, `show()`, `printSchema()`, the console sink.
    Stdout(String),
    /// Text written to standard error: Spark's log lines (`WARN ...`), Python warnings.
    Stderr(String),
    /// The value of a cell's last expression, as Jupyter shows it (`DataFrame[...]`, `True`).
    Result(String),
    /// `display(df)` of a static DataFrame: rows formatted as `show()` formats cells.
    Table(TableOutput),
    /// `display(df)` of a streaming DataFrame: a live view that follows the memory-sink query
    /// started for it; the host re-reads the query's table after each batch.
    LiveTable {
        /// The query's id (`StreamingQuery.id`).
        query_id: String,
        /// The memory table the query writes (queryable with `spark.table`).
        table: String,
    },
    /// A markdown cell rendered to sanitized HTML.
    Html(String),
    /// The error that stopped the cell.
    Error(CellError),
}

/// A table as data: column names and types, and each cell as `show()` would print it.
///
/// ```
/// use streamlab_notebook::output::TableOutput;
/// let t = TableOutput { columns: vec!["n".into()], types: vec!["bigint".into()], rows: vec![vec!["1".into()]], truncated: false };
/// assert_eq!(t.rows[0][0], "1");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TableOutput {
    /// Column names.
    pub columns: Vec<String>,
    /// Spark's simple type names (`bigint`, `string`, `struct<start:timestamp,end:timestamp>`).
    pub types: Vec<String>,
    /// Rows of formatted cells (`NULL` as `null`, as `show()` prints it).
    pub rows: Vec<Vec<String>>,
    /// Whether more rows exist than were kept.
    pub truncated: bool,
}

impl TableOutput {
    /// The table as `show()` prints it (cells cut at 20 characters, right-aligned), for hosts
    /// that print text, such as the CLI.
    ///
    /// ```
    /// use streamlab_notebook::output::TableOutput;
    /// let t = TableOutput { columns: vec!["n".into()], types: vec!["bigint".into()], rows: vec![vec!["1".into()]], truncated: false };
    /// assert_eq!(t.to_show_text(), "+---+\n|  n|\n+---+\n|  1|\n+---+\n");
    /// ```
    pub fn to_show_text(&self) -> String {
        streamlab_types::show::show_rows(&self.columns, &self.rows, 20, self.truncated)
    }
}

/// An error raised by a cell, with where it happened.
///
/// ```
/// use streamlab_notebook::output::CellError;
/// use streamlab_types::SparkError;
/// let e = CellError::from_spark(&SparkError::analysis("x").with_class("C"), Some((3, 5)));
/// assert_eq!(e.ename, "AnalysisException");
/// assert_eq!(e.headline(), "AnalysisException: [C] x");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    /// The exception's name as PySpark prints it (`AnalysisException`, `NameError`, ...).
    pub ename: String,
    /// The message (with Spark's `[ERROR_CLASS]` prefix when it has one).
    pub message: String,
    /// 1-based line and column in the cell's source where the failing statement starts.
    pub location: Option<(usize, usize)>,
}

impl CellError {
    /// A cell error from an engine error raised at `location`.
    pub fn from_spark(error: &SparkError, location: Option<(usize, usize)>) -> Self {
        CellError { ename: error.kind.exception_name().to_string(), message: error.to_string(), location }
    }

    /// The traceback's last line: `AnalysisException: [PATH_NOT_FOUND] Path does not exist: ...`.
    pub fn headline(&self) -> String {
        format!("{}: {}", self.ename, self.message)
    }
}
