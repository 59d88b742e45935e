//! The browser's `localStorage`, where the page keeps the notebook, the chosen language and
//! quiz progress so that a reload loses nothing.
//!
//! Storage can be missing (a sandboxed frame) or full; the page then works without saving, so
//! every call here degrades to "nothing saved" instead of failing.

/// The key of the notebook being edited (its `.ipynb` text).
pub const NOTEBOOK_KEY: &str = "streamlab.notebook";
/// The key of the lesson language (`fr` or `en`).
pub const LANGUAGE_KEY: &str = "streamlab.language";
/// The key of the code tasks' progress (JSON: task id → [last answer, solved]).
pub const TASKS_KEY: &str = "streamlab.tasks";
/// The key of the quiz progress (JSON: question index → chosen answer index).
pub const QUIZ_KEY: &str = "streamlab.quiz";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The text saved under `key`, if any.
pub fn load(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Saves `value` under `key`; false when the browser refused (no storage, quota exceeded).
pub fn save(key: &str, value: &str) -> bool {
    storage().is_some_and(|s| s.set_item(key, value).is_ok())
}

/// Forgets `key`.
pub fn forget(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}
