//! Call arguments: positional values and keywords, with Python's binding checks.

use super::error::{type_error, PyResult};
use super::value::Value;

/// The arguments of one call.
#[derive(Default, Clone)]
pub struct Args {
    /// Positional arguments, in order (`*list` already expanded).
    pub positional: Vec<Value>,
    /// Keyword arguments, in order (`**dict` already expanded).
    pub keywords: Vec<(String, Value)>,
}

impl Args {
    /// Positional arguments only.
    pub fn positional(values: Vec<Value>) -> Self {
        Args { positional: values, keywords: Vec::new() }
    }

    /// Takes the argument at position `index` or called `name`, leaving it out of later checks.
    pub fn take(&mut self, index: usize, name: &str) -> Option<Value> {
        if let Some(i) = self.keywords.iter().position(|(k, _)| k == name) {
            return Some(self.keywords.remove(i).1);
        }
        self.positional.get_mut(index).map(|v| std::mem::replace(v, Value::None))
    }

    /// Takes the keyword `name` only.
    pub fn keyword(&mut self, name: &str) -> Option<Value> {
        self.keywords.iter().position(|(k, _)| k == name).map(|i| self.keywords.remove(i).1)
    }

    /// Like [`Args::take`], but a missing argument is `TypeError: f() missing ... 'name'`.
    pub fn required(&mut self, function: &str, index: usize, name: &str) -> PyResult<Value> {
        self.take(index, name).ok_or_else(|| {
            type_error(format!("{function}() missing 1 required positional argument: '{name}'"))
        })
    }

    /// Fails on keywords not taken and on more than `max` positional arguments.
    pub fn finish(&self, function: &str, max: usize) -> PyResult<()> {
        if let Some((k, _)) = self.keywords.first() {
            return Err(type_error(format!("{function}() got an unexpected keyword argument '{k}'")));
        }
        if self.positional.len() > max {
            return Err(type_error(format!(
                "{function}() takes {max} positional argument{} but {} were given",
                if max == 1 { "" } else { "s" },
                self.positional.len()
            )));
        }
        Ok(())
    }

    /// All positional arguments, flattening one list or tuple argument (`select(["a", "b"])`).
    pub fn flat_positional(&self) -> Vec<Value> {
        match self.positional.as_slice() {
            [Value::List(l)] => l.borrow().clone(),
            [Value::Tuple(t)] => t.as_ref().clone(),
            other => other.to_vec(),
        }
    }
}
