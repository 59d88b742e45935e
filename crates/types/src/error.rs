//! Errors as values, shaped like the JVM exceptions PySpark prints.
//!
//! Spark 3.5 messages carry an optional error class (`[PATH_NOT_FOUND] Path does not exist: …`).
//! Students compare what StreamLab prints with what Spark prints, so the exception name, the
//! class and the text are kept apart and only joined when displayed.

use std::fmt;

/// The JVM exception type a Spark error surfaces as in PySpark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// `pyspark.errors.AnalysisException`: the query is invalid (unknown column, bad mode, …).
    Analysis,
    /// `pyspark.errors.ParseException`: SQL or DDL text that does not parse.
    Parse,
    /// `IllegalArgumentException`: a bad option value or argument.
    IllegalArgument,
    /// `IllegalStateException`: an operation at the wrong time (query already active, …).
    IllegalState,
    /// `StreamingQueryException`: a streaming query terminated with a failure (`[STREAM_FAILED]`).
    StreamingQuery,
    /// `SparkException` / `SparkRuntimeException`: a failure while running a job.
    Runtime,
    /// `UnsupportedOperationException`.
    UnsupportedOperation,
    /// `ArithmeticException` (ANSI overflow, division by zero).
    Arithmetic,
    /// `NumberFormatException` / `SparkNumberFormatException` (ANSI casts).
    NumberFormat,
    /// An I/O failure of the storage under the engine (`java.io.IOException`).
    Io,
    /// A Python-level error raised by the notebook interpreter (`TypeError`, `NameError`, …).
    Python(&'static str),
}

impl ErrorKind {
    /// The exception's simple class name as PySpark prints it.
    pub fn exception_name(self) -> &'static str {
        match self {
            ErrorKind::Analysis => "AnalysisException",
            ErrorKind::Parse => "ParseException",
            ErrorKind::IllegalArgument => "IllegalArgumentException",
            ErrorKind::IllegalState => "IllegalStateException",
            ErrorKind::StreamingQuery => "StreamingQueryException",
            ErrorKind::Runtime => "SparkException",
            ErrorKind::UnsupportedOperation => "UnsupportedOperationException",
            ErrorKind::Arithmetic => "ArithmeticException",
            ErrorKind::NumberFormat => "NumberFormatException",
            ErrorKind::Io => "IOException",
            ErrorKind::Python(name) => name,
        }
    }
}

/// An error with Spark's exception kind, optional error class, message and cause.
///
/// ```
/// use streamlab_types::error::{ErrorKind, SparkError};
/// let e = SparkError::analysis("Path does not exist: file:/nope.").with_class("PATH_NOT_FOUND");
/// assert_eq!(e.to_string(), "[PATH_NOT_FOUND] Path does not exist: file:/nope.");
/// assert_eq!(e.kind, ErrorKind::Analysis);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SparkError {
    /// The exception type.
    pub kind: ErrorKind,
    /// Spark's error class (`PATH_NOT_FOUND`), when the 3.5 message has one.
    pub error_class: Option<Box<str>>,
    /// The message without the `[CLASS] ` prefix.
    pub message: String,
    /// The underlying error, e.g. the cause of a `[STREAM_FAILED]`.
    pub cause: Option<Box<SparkError>>,
    /// The plan an analysis error failed on, which Spark prints after the message and `;`
    /// (`... cannot be resolved. ...;\n'Project ['gtt]\n+- ...`). Boxed strings here and in
    /// `error_class`: errors are returned everywhere, and their text should not make every
    /// `Result` larger.
    pub plan: Option<Box<str>>,
}

/// Result with a [`SparkError`].
pub type Result<T, E = SparkError> = std::result::Result<T, E>;

impl SparkError {
    /// An error of `kind` with `message` and no error class.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        SparkError { kind, error_class: None, message: message.into(), cause: None, plan: None }
    }

    /// An `AnalysisException`.
    pub fn analysis(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Analysis, message)
    }

    /// An `IllegalArgumentException`.
    pub fn illegal_argument(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::IllegalArgument, message)
    }

    /// An `IllegalStateException`.
    pub fn illegal_state(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::IllegalState, message)
    }

    /// A `ParseException`.
    pub fn parse(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Parse, message)
    }

    /// A `SparkException` raised while running.
    pub fn runtime(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Runtime, message)
    }

    /// An `IOException` from the storage.
    pub fn io(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Io, message)
    }

    /// An `UnsupportedOperationException`.
    pub fn unsupported(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::UnsupportedOperation, message)
    }

    /// Sets the error class shown as `[CLASS] ` before the message.
    pub fn with_class(mut self, class: impl Into<String>) -> Self {
        self.error_class = Some(class.into().into_boxed_str());
        self
    }

    /// Sets the plan printed after the message (see [`SparkError::plan`]).
    pub fn with_plan(mut self, plan: impl Into<String>) -> Self {
        self.plan = Some(plan.into().into_boxed_str());
        self
    }

    /// Sets the cause.
    pub fn with_cause(mut self, cause: SparkError) -> Self {
        self.cause = Some(Box::new(cause));
        self
    }

    /// The exception name followed by the message, as the last line of a PySpark traceback:
    /// `AnalysisException: [PATH_NOT_FOUND] Path does not exist: file:/nope.`
    pub fn headline(&self) -> String {
        format!("{}: {}", self.kind.exception_name(), self)
    }
}

impl fmt::Display for SparkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.error_class {
            Some(class) => write!(f, "[{}] {}", class, self.message)?,
            None => f.write_str(&self.message)?,
        }
        match &self.plan {
            Some(plan) => write!(f, ";\n{plan}"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for SparkError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.cause.as_deref().map(|c| c as &(dyn std::error::Error + 'static))
    }
}

impl From<arrow::error::ArrowError> for SparkError {
    fn from(e: arrow::error::ArrowError) -> Self {
        SparkError::runtime(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headline_joins_name_class_and_message() {
        let e = SparkError::illegal_argument("'path' is not specified.");
        assert_eq!(e.headline(), "IllegalArgumentException: 'path' is not specified.");
        let e = SparkError::analysis("x").with_class("C");
        assert_eq!(e.headline(), "AnalysisException: [C] x");
    }

    #[test]
    fn the_plan_follows_the_message() {
        let e = SparkError::analysis("bad.").with_class("C").with_plan("'Project ['x]");
        assert_eq!(e.to_string(), "[C] bad.;\n'Project ['x]");
    }

    #[test]
    fn cause_is_the_error_source() {
        use std::error::Error;
        let e = SparkError::new(ErrorKind::StreamingQuery, "q failed").with_cause(SparkError::io("disk"));
        assert_eq!(e.source().map(|s| s.to_string()), Some("disk".to_string()));
    }
}
