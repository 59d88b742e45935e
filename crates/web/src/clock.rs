//! The page's clock: the browser's wall time, plus a virtual offset that `time.sleep` jumps.
//!
//! Triggers must follow real time (a `processingTime="3 seconds"` query runs every three
//! seconds while the student watches), but a lesson cell that sleeps must not freeze the tab:
//! a sleep moves the clock forward instead of blocking, and the timers pick up from there.

use std::cell::Cell;

use streamlab_engine::clock::Clock;

/// Wall time from `Date.now()` shifted by everything cells slept.
///
/// ```
/// use streamlab_engine::clock::Clock;
/// use streamlab_web::clock::PageClock;
/// let clock = PageClock::with_source(|| 1_000.0);
/// clock.sleep_until(4_000);
/// assert_eq!(clock.now_ms(), 4_000);
/// clock.sleep_until(10); // never backwards
/// assert_eq!(clock.now_ms(), 4_000);
/// ```
pub struct PageClock {
    wall_ms: fn() -> f64,
    skipped_ms: Cell<i64>,
}

impl PageClock {
    /// The browser's clock (`Date.now()`).
    pub fn browser() -> Self {
        Self::with_source(js_sys::Date::now)
    }

    /// A clock reading wall time from `wall_ms` (tests pass a fixed one).
    pub fn with_source(wall_ms: fn() -> f64) -> Self {
        PageClock { wall_ms, skipped_ms: Cell::new(0) }
    }

    /// How far the clock is ahead of wall time because cells slept.
    pub fn skipped_ms(&self) -> i64 {
        self.skipped_ms.get()
    }
}

impl Clock for PageClock {
    fn now_ms(&self) -> i64 {
        ((self.wall_ms)() as i64).saturating_add(self.skipped_ms.get())
    }

    fn sleep_until(&self, deadline_ms: i64) {
        let ahead = deadline_ms.saturating_sub(self.now_ms());
        if ahead > 0 {
            self.skipped_ms.set(self.skipped_ms.get().saturating_add(ahead));
        }
    }
}
