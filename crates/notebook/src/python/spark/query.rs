//! `StreamingQuery`: identity, status and progress as Python dicts, and the waits that drive
//! the session's triggers.

use streamlab_engine::StreamingQuery;

use super::session::timeout_ms;
use crate::python::args::Args;
use crate::python::error::{attribute_error, PyResult};
use crate::python::json::json_to_value;
use crate::python::value::Value;
use crate::python::Interpreter;

pub(crate) const METHODS: &[&str] = &["stop", "awaitTermination", "processAllAvailable", "exception", "explain"];

/// Properties of a query.
pub(crate) fn attr(q: &StreamingQuery, name: &str) -> Option<Value> {
    Some(match name {
        "id" => Value::str(q.id()),
        "runId" => Value::str(q.run_id()),
        "name" => q.name().map(Value::str).unwrap_or(Value::None),
        "isActive" => Value::Bool(q.is_active()),
        "status" => {
            let s = q.status();
            Value::dict(vec![
                ("message".into(), Value::str(&s.message)),
                ("isDataAvailable".into(), Value::Bool(s.is_data_available)),
                ("isTriggerActive".into(), Value::Bool(s.is_trigger_active)),
            ])
        }
        "lastProgress" => q.last_progress().map(|p| json_to_value(&p.to_value())).unwrap_or(Value::None),
        "recentProgress" => Value::list(q.recent_progress().iter().map(|p| json_to_value(&p.to_value())).collect()),
        _ => return None,
    })
}

/// `query.name(args)`.
pub(crate) fn call(py: &Interpreter, q: &StreamingQuery, name: &str, mut args: Args) -> PyResult<Value> {
    match name {
        "stop" => {
            q.stop();
            Ok(Value::None)
        }
        "awaitTermination" => {
            let timeout = timeout_ms(args.take(0, "timeout"))?;
            let ended = q.await_termination(timeout)?;
            Ok(if timeout.is_some() { Value::Bool(ended) } else { Value::None })
        }
        "processAllAvailable" => {
            q.process_all_available()?;
            Ok(Value::None)
        }
        "exception" => Ok(q.exception().map(|e| Value::Exception(std::rc::Rc::new(e))).unwrap_or(Value::None)),
        "explain" => {
            py.print(q.explain() + "\n");
            Ok(Value::None)
        }
        _ => Err(attribute_error("StreamingQuery", name)),
    }
}
