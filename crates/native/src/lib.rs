//! What only a native build can give the engine: the local disk, the system clock, and the
//! process's stdout/stderr.
//!
//! ```no_run
//! let spark = streamlab_native::local_session().unwrap();
//! let df = spark.read().json("data/activity").unwrap();
//! println!("{}", df.show_string(5, 20, false).unwrap());
//! ```

use std::io::Write;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use streamlab_engine::clock::Clock;
use streamlab_engine::output::{Level, Output};
use streamlab_engine::SparkSession;
pub use streamlab_storage::{LocalStorage, WriteBehind};
use streamlab_types::Result;

/// The system clock; `sleep_until` really sleeps.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => d.as_millis() as i64,
            Err(e) => -(e.duration().as_millis() as i64),
        }
    }

    fn sleep_until(&self, deadline_ms: i64) {
        let wait = deadline_ms - self.now_ms();
        if wait > 0 {
            std::thread::sleep(Duration::from_millis(wait as u64));
        }
    }
}

/// Prints like PySpark does: console batches on stdout, log lines on stderr in log4j's
/// `yy/MM/dd HH:mm:ss LEVEL Logger: message` layout.
#[derive(Debug, Default, Clone, Copy)]
pub struct StdOutput;

impl Output for StdOutput {
    fn print(&self, text: &str) {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
    }

    fn log(&self, level: Level, logger: &str, message: &str) {
        let stamp = streamlab_types::time::format_pattern(SystemClock.now_ms() * 1000, "yy/MM/dd HH:mm:ss").unwrap_or_default();
        let level = match level {
            Level::Warn => "WARN",
            Level::Info => return,
        };
        eprintln!("{stamp} {level} {logger}: {message}");
    }
}

/// A session on the local disk (relative paths from the working directory), the system clock
/// and the process's streams. Files are written behind, on a second thread ([`WriteBehind`]):
/// call `spark.storage().flush()` before another process reads what the session wrote outside
/// a streaming query (queries flush when they end).
pub fn local_session() -> Result<SparkSession> {
    let storage = WriteBehind::new(Arc::new(LocalStorage::current_dir()?));
    Ok(SparkSession::new(Arc::new(storage), Rc::new(SystemClock), Rc::new(StdOutput)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_clock_sleeps_until_the_deadline() {
        let clock = SystemClock;
        let start = clock.now_ms();
        clock.sleep_until(start + 20);
        assert!(clock.now_ms() >= start + 20);
    }
}
