//! The function registry: one table per family, one small entry per function.
//!
//! Adding a function = writing a `fn(Call) -> Result<PhysicalExpr>` that checks arity, coerces
//! arguments (see [`Call::coerce`]), names the result (see [`Call::sql`]) and returns a kernel,
//! then adding `def("name", that_fn)` to its family's `FUNCTIONS` table.

pub(crate) mod collection;
pub(crate) mod conditional;
pub(crate) mod datetime;
pub(crate) mod json;
pub(crate) mod math;
pub(crate) mod misc;
pub(crate) mod string;

use std::sync::Arc;

use arrow::array::ArrayRef;
use arrow::datatypes::DataType;
use streamlab_types::{Result, SparkError};

use crate::physical::{KernelFn, PhysicalExpr};
use crate::resolve::coercion::{coerce_arg, Expected};

/// A function call whose arguments are resolved.
pub(crate) struct Call {
    /// The name, lowercase, as called (`pow` and `power` are both registered).
    pub name: String,
    /// Resolved arguments.
    pub args: Vec<PhysicalExpr>,
}

/// How a function resolves.
pub(crate) type ResolveFn = fn(Call) -> Result<PhysicalExpr>;

/// A registry entry.
pub(crate) struct FunctionDef {
    pub name: &'static str,
    pub resolve: ResolveFn,
}

/// Shorthand for table entries.
pub(crate) const fn def(name: &'static str, resolve: ResolveFn) -> FunctionDef {
    FunctionDef { name, resolve }
}

const TABLES: [&[FunctionDef]; 7] = [
    math::FUNCTIONS,
    string::FUNCTIONS,
    datetime::FUNCTIONS,
    conditional::FUNCTIONS,
    collection::FUNCTIONS,
    json::FUNCTIONS,
    misc::FUNCTIONS,
];

/// The entry for `name` (lowercase).
pub(crate) fn lookup(name: &str) -> Option<&'static FunctionDef> {
    TABLES.iter().flat_map(|t| t.iter()).find(|d| d.name == name)
}

/// Every registered function name, sorted.
///
/// Why: the notebook's completion and the docs list what StreamLab can call.
///
/// ```
/// let names = streamlab_expr::function_names();
/// assert!(names.contains(&"to_timestamp") && names.contains(&"from_json"));
/// ```
pub fn function_names() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = TABLES.iter().flat_map(|t| t.iter()).map(|d| d.name).collect();
    v.sort_unstable();
    v
}

impl Call {
    /// `name(arg, …)` with the arguments' SQL text, as Spark names most function calls.
    pub fn sql(&self) -> String {
        self.sql_as(&self.name)
    }

    /// Like [`Call::sql`] with another displayed name (`POWER`, `CEIL`).
    pub fn sql_as(&self, display: &str) -> String {
        let args: Vec<&str> = self.args.iter().map(|a| a.sql.as_str()).collect();
        format!("{}({})", display, args.join(", "))
    }

    /// Fails with Spark's `WRONG_NUM_ARGS` unless the argument count is one of `allowed`.
    pub fn arity(&self, allowed: &[usize]) -> Result<()> {
        if allowed.contains(&self.args.len()) {
            return Ok(());
        }
        let expected = match allowed {
            [n] => n.to_string(),
            many => format!("[{}]", many.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", ")),
        };
        Err(SparkError::analysis(format!(
            "The `{}` requires {} parameters but the actual number is {}. Please, refer to 'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix.",
            self.name,
            expected,
            self.args.len()
        ))
        .with_class("WRONG_NUM_ARGS.WITHOUT_SUGGESTION"))
    }

    /// Fails unless there are at least `min` arguments.
    pub fn at_least(&self, min: usize) -> Result<()> {
        if self.args.len() >= min {
            return Ok(());
        }
        Err(SparkError::analysis(format!(
            "The `{}` requires at least {} parameters but the actual number is {}. Please, refer to 'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix.",
            self.name,
            min,
            self.args.len()
        ))
        .with_class("WRONG_NUM_ARGS.WITHOUT_SUGGESTION"))
    }

    /// Implicitly casts every argument to its expected type (`ImplicitCastInputTypes`); the
    /// error names the call as `sql`.
    pub fn coerce(self, expected: &[Expected], sql: &str) -> Result<Vec<PhysicalExpr>> {
        self.args
            .into_iter()
            .enumerate()
            .map(|(i, a)| {
                let exp = expected.get(i).or(expected.last()).cloned().unwrap_or(Expected::Any);
                coerce_arg(a, &exp, i + 1, sql)
            })
            .collect()
    }
}

/// A result: `sql`-named, typed, with `kernel` over `args`.
pub(crate) fn make(
    sql: String,
    data_type: DataType,
    nullable: bool,
    args: Vec<PhysicalExpr>,
    kernel: impl Fn(&[ArrayRef], &crate::physical::EvalContext, usize) -> Result<ArrayRef> + Send + Sync + 'static,
) -> PhysicalExpr {
    let k: Arc<KernelFn> = Arc::new(kernel);
    PhysicalExpr::kernel(sql, data_type, nullable, args, k)
}

/// Argument `i` of a kernel, or an internal error.
pub(crate) fn arg(args: &[ArrayRef], i: usize) -> Result<&ArrayRef> {
    args.get(i).ok_or_else(|| SparkError::runtime(format!("internal error: missing argument {}", i + 1)))
}
