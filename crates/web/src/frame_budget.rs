//! How long a micro-batch holds the page, measured per browser task.
//!
//! A timer run of a query is split in three tasks so none has to fit the whole batch in one
//! frame: the *trigger task* (the engine runs the batch); in the next animation frame, the
//! *page update* (the batch's numbers reach the views, which re-render, then style, layout
//! and paint); in the frame after, the *charts* redraw their canvases. The page stays smooth
//! when each task fits in one frame's budget, so that is what [`TriggerTiming`] records and
//! the streams panel shows.

/// One frame at 60 Hz, ms: a task that holds the page longer makes it stutter.
pub const FRAME_BUDGET_MS: f64 = 1000.0 / 60.0;

/// Timer runs the streams panel lists (the newest ones).
pub const TIMER_RUN_HISTORY: usize = 100;

/// The three tasks of one timer run that ran a batch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TriggerTiming {
    /// The last batch id the run reported.
    pub batch: Option<i64>,
    /// The trigger task: the engine running the due triggers, ms (`performance.now()`).
    pub engine_ms: f64,
    /// The page update in the next animation frame, from publishing the batch to the end of
    /// the frame's rendering, ms.
    pub update_ms: f64,
    /// The charts' redrawing in the frame after the update, ms (0 when none redrew).
    pub charts_ms: f64,
}

impl TriggerTiming {
    /// The longest of the three tasks: what the student feels as a freeze.
    ///
    /// ```
    /// use streamlab_web::frame_budget::TriggerTiming;
    /// let t = TriggerTiming { batch: Some(0), engine_ms: 9.0, update_ms: 4.0, charts_ms: 11.0 };
    /// assert_eq!(t.longest_task_ms(), 11.0);
    /// ```
    pub fn longest_task_ms(&self) -> f64 {
        self.engine_ms.max(self.update_ms).max(self.charts_ms)
    }

    /// Whether each task fit in one frame.
    pub fn fits_in_a_frame(&self) -> bool {
        self.longest_task_ms() <= FRAME_BUDGET_MS
    }

    /// The sentence the streams panel shows.
    ///
    /// ```
    /// use streamlab_web::frame_budget::TriggerTiming;
    /// let t = TriggerTiming { batch: Some(2), engine_ms: 9.5, update_ms: 3.2, charts_ms: 6.0 };
    /// assert_eq!(t.describe(), "batch 2: engine 9.5 ms, page update 3.2 ms, charts 6.0 ms (each within one 16.7 ms frame)");
    /// let t = TriggerTiming { batch: Some(3), engine_ms: 40.0, update_ms: 2.0, charts_ms: 6.0 };
    /// assert_eq!(t.describe(), "batch 3: engine 40.0 ms, page update 2.0 ms, charts 6.0 ms (longer than one 16.7 ms frame)");
    /// ```
    pub fn describe(&self) -> String {
        let batch = self.batch.map_or_else(|| "the trigger".to_string(), |b| format!("batch {b}"));
        let verdict = if self.fits_in_a_frame() { "each within" } else { "longer than" };
        format!(
            "{batch}: engine {:.1} ms, page update {:.1} ms, charts {:.1} ms ({verdict} one {FRAME_BUDGET_MS:.1} ms frame)",
            self.engine_ms, self.update_ms, self.charts_ms
        )
    }
}
