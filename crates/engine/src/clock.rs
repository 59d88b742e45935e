//! Time, behind a trait: the engine never reads the system clock itself.
//!
//! Triggers, batch timestamps (`current_timestamp()`), progress timestamps and durations all come
//! from a [`Clock`]. Tests use a [`ManualClock`] and get the same progress JSON on every run; the
//! browser uses a clock whose sleeps jump virtual time, so `time.sleep(10)` in a lesson cell does
//! not freeze the page; the native CLI uses the real clock.

use std::cell::Cell;
use std::rc::Rc;

/// A source of "now" that can also wait.
pub trait Clock {
    /// Milliseconds since the epoch.
    fn now_ms(&self) -> i64;
    /// Returns once `now_ms() >= deadline_ms`: a real clock sleeps, a virtual one jumps.
    fn sleep_until(&self, deadline_ms: i64);
}

/// A clock that moves only when told to (Spark's `StreamManualClock`).
///
/// ```
/// use streamlab_engine::clock::{Clock, ManualClock};
/// let clock = ManualClock::new(1_000);
/// clock.advance(500);
/// clock.sleep_until(2_000);
/// assert_eq!(clock.now_ms(), 2_000);
/// ```
#[derive(Debug, Clone, Default)]
pub struct ManualClock {
    now: Rc<Cell<i64>>,
}

impl ManualClock {
    /// A clock standing at `start_ms`.
    pub fn new(start_ms: i64) -> Self {
        ManualClock { now: Rc::new(Cell::new(start_ms)) }
    }

    /// Moves time forward by `ms`.
    pub fn advance(&self, ms: i64) {
        self.now.set(self.now.get().saturating_add(ms.max(0)));
    }

    /// Sets the time (never backwards: time in Spark's progress never goes down).
    pub fn set(&self, ms: i64) {
        self.now.set(self.now.get().max(ms));
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.now.get()
    }

    fn sleep_until(&self, deadline_ms: i64) {
        self.set(deadline_ms);
    }
}
