//! Python exceptions as values: an engine [`SparkError`] (whose kind is a Python exception name
//! for interpreter errors) plus where in the cell it was raised.
//!
//! Spark errors keep their JVM exception name and error class, so a cell fails with the same
//! headline PySpark prints (`AnalysisException: [UNRESOLVED_COLUMN.WITH_SUGGESTION] ...`), and
//! interpreter errors read like CPython's (`NameError: name 'x' is not defined`).

use streamlab_types::{ErrorKind, SparkError};

/// A raised exception and the 1-based (line, column) of the statement that raised it.
#[derive(Debug, Clone, PartialEq)]
pub struct PyErr {
    /// The exception: its kind names the Python or JVM exception class.
    pub error: SparkError,
    /// Where the innermost failing statement starts, once known.
    pub location: Option<(usize, usize)>,
    /// Whether `except` must let it through (loop limit, interrupt).
    pub fatal: bool,
}

/// The result of evaluating Python.
pub type PyResult<T> = Result<T, PyErr>;

impl From<SparkError> for PyErr {
    fn from(error: SparkError) -> Self {
        PyErr { error, location: None, fatal: false }
    }
}

impl PyErr {
    /// A Python exception `name` (`TypeError`, `KeyError`, ...) with `message`.
    ///
    /// ```
    /// use streamlab_notebook::python::PyErr;
    /// let e = PyErr::new("NameError", "name 'x' is not defined");
    /// assert_eq!(e.headline(), "NameError: name 'x' is not defined");
    /// ```
    pub fn new(name: &'static str, message: impl Into<String>) -> Self {
        PyErr { error: SparkError::new(ErrorKind::Python(name), message), location: None, fatal: false }
    }

    /// The exception's class name as Python prints it.
    pub fn name(&self) -> &'static str {
        self.error.kind.exception_name()
    }

    /// `Name: message`, the last line of a traceback.
    pub fn headline(&self) -> String {
        let message = self.error.to_string();
        if message.is_empty() {
            self.name().to_string()
        } else {
            format!("{}: {}", self.name(), message)
        }
    }

    /// Sets the location unless an inner statement already did.
    pub fn at(mut self, location: (usize, usize)) -> Self {
        self.location.get_or_insert(location);
        self
    }
}

/// `TypeError(message)`.
pub fn type_error(message: impl Into<String>) -> PyErr {
    PyErr::new("TypeError", message)
}

/// `ValueError(message)`.
pub fn value_error(message: impl Into<String>) -> PyErr {
    PyErr::new("ValueError", message)
}

/// `AttributeError: '<type>' object has no attribute '<name>'`.
pub fn attribute_error(type_name: &str, name: &str) -> PyErr {
    PyErr::new("AttributeError", format!("'{type_name}' object has no attribute '{name}'"))
}

/// `NotImplementedError(message)`: Python that StreamLab does not run.
pub fn not_supported(message: impl Into<String>) -> PyErr {
    PyErr::new("NotImplementedError", message)
}

/// A PySpark-side error (`PySparkValueError`, `PySparkTypeError`) with its error class.
pub fn pyspark_error(name: &'static str, class: &str, message: impl Into<String>) -> PyErr {
    PyErr::from(SparkError::new(ErrorKind::Python(name), message).with_class(class))
}
