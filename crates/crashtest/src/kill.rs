//! Which write the process dies at.

use std::sync::atomic::{AtomicUsize, Ordering};

/// When, relative to the chosen write, the process dies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Before the write: nothing of it reaches the disk.
    Before,
    /// After the write completed.
    After,
    /// Halfway: the first half of the bytes is on disk under the final name (only for plain,
    /// non-atomic writes such as data files; atomic writes die `Before` instead).
    Torn,
}

impl When {
    /// Parses `before`, `after` or `torn`.
    ///
    /// ```
    /// use streamlab_crashtest::When;
    /// assert_eq!(When::parse("torn"), Some(When::Torn));
    /// assert_eq!(When::parse("later"), None);
    /// ```
    pub fn parse(text: &str) -> Option<When> {
        match text {
            "before" => Some(When::Before),
            "after" => Some(When::After),
            "torn" => Some(When::Torn),
            _ => None,
        }
    }
}

/// Counts the writes whose path contains `pattern` and fires at the `nth` (1-based).
#[derive(Debug)]
pub struct KillSwitch {
    pattern: String,
    nth: usize,
    when: When,
    seen: AtomicUsize,
}

impl KillSwitch {
    /// A switch firing at the `nth` write matching `pattern`.
    pub fn new(pattern: &str, nth: usize, when: When) -> KillSwitch {
        KillSwitch { pattern: pattern.to_string(), nth, when, seen: AtomicUsize::new(0) }
    }

    /// Records a write to `path`; `Some(when)` when this is the write to die at.
    pub fn on_write(&self, path: &str) -> Option<When> {
        if !path.contains(&self.pattern) {
            return None;
        }
        let seen = self.seen.fetch_add(1, Ordering::SeqCst) + 1;
        (seen == self.nth).then_some(self.when)
    }
}

/// Kills this process with SIGKILL: no destructor, no flush, no unwinding — as a machine
/// losing power looks to the files.
pub fn die() -> ! {
    // SAFETY: kill(2) on our own pid has no memory-safety preconditions.
    unsafe {
        libc::kill(libc::getpid(), libc::SIGKILL);
    }
    // SIGKILL cannot be caught; the process is gone before this line.
    std::process::abort()
}
