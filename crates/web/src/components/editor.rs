//! The code editor: a monospaced text area with a line-number gutter that scrolls with it.
//!
//! A plain `<textarea>` keeps the browser's own editing, undo, selection and accessibility;
//! the gutter is a second element whose numbers follow the text's line count.

use leptos::prelude::*;

/// The numbers shown in the gutter for `source`: one per line, and at least one.
///
/// ```
/// use streamlab_web::components::editor::gutter_text;
/// assert_eq!(gutter_text(""), "1");
/// assert_eq!(gutter_text("a\nb\n"), "1\n2\n3");
/// ```
pub fn gutter_text(source: &str) -> String {
    let lines = source.split('\n').count();
    (1..=lines).map(|n| n.to_string()).collect::<Vec<_>>().join("\n")
}

/// What a run shortcut asks for once the cell has run (Jupyter's shortcuts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterRun {
    /// Ctrl+Enter (Cmd+Enter on a Mac): run and stay in the cell.
    Stay,
    /// Shift+Enter: run and move to the next cell.
    NextCell,
}

/// The run shortcut a key press is, if any: Enter with Ctrl or Cmd runs in place, Enter with
/// Shift runs and moves on; plain Enter is a new line.
///
/// ```
/// use streamlab_web::components::editor::{run_shortcut, AfterRun};
/// assert_eq!(run_shortcut("Enter", false, true, false), Some(AfterRun::Stay));
/// assert_eq!(run_shortcut("Enter", false, false, true), Some(AfterRun::Stay));
/// assert_eq!(run_shortcut("Enter", true, false, false), Some(AfterRun::NextCell));
/// assert_eq!(run_shortcut("Enter", false, false, false), None);
/// assert_eq!(run_shortcut("a", true, true, false), None);
/// ```
pub fn run_shortcut(key: &str, shift: bool, ctrl: bool, meta: bool) -> Option<AfterRun> {
    if key != "Enter" {
        return None;
    }
    if ctrl || meta {
        Some(AfterRun::Stay)
    } else if shift {
        Some(AfterRun::NextCell)
    } else {
        None
    }
}

/// An editor for `source`. Typing calls `on_change`; Ctrl+Enter and Shift+Enter call `on_run`
/// (Jupyter's shortcuts) with what to do after the run. `label` names the editor for screen
/// readers; the shortcuts are announced with it.
#[component]
pub fn CodeEditor(
    /// The text shown.
    #[prop(into)]
    source: Signal<String>,
    /// Called with the new text on every edit.
    on_change: Callback<String>,
    /// Called on Ctrl+Enter or Shift+Enter.
    on_run: Callback<AfterRun>,
    /// The editor's accessible name.
    #[prop(into)]
    label: String,
) -> impl IntoView {
    let gutter = NodeRef::<leptos::html::Pre>::new();
    let rows = move || source.with(|s| s.split('\n').count()).max(1);
    view! {
        <div class="editor">
            <pre class="gutter" aria-hidden="true" node_ref=gutter>{move || source.with(|s| gutter_text(s))}</pre>
            <textarea
                class="code"
                spellcheck="false"
                autocapitalize="off"
                aria-label=label
                aria-keyshortcuts="Control+Enter Shift+Enter"
                title="Ctrl+Enter runs the cell, Shift+Enter runs it and moves to the next one"
                rows=rows
                prop:value=move || source.get()
                on:input=move |ev| on_change.run(event_target_value(&ev))
                on:keydown=move |ev: web_sys::KeyboardEvent| {
                    if let Some(after) = run_shortcut(&ev.key(), ev.shift_key(), ev.ctrl_key(), ev.meta_key()) {
                        ev.prevent_default();
                        on_run.run(after);
                    }
                }
                on:scroll=move |ev| {
                    if let (Some(g), Some(t)) = (gutter.get(), event_target::<web_sys::HtmlTextAreaElement>(&ev).into()) {
                        g.set_scroll_top(t.scroll_top());
                    }
                }
            ></textarea>
        </div>
    }
}
