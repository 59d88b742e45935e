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

/// An editor for `source`. Typing calls `on_change`; Shift+Enter calls `on_run` (Jupyter's
/// shortcut). `label` names the editor for screen readers.
#[component]
pub fn CodeEditor(
    /// The text shown.
    #[prop(into)]
    source: Signal<String>,
    /// Called with the new text on every edit.
    on_change: Callback<String>,
    /// Called on Shift+Enter.
    on_run: Callback<()>,
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
                rows=rows
                prop:value=move || source.get()
                on:input=move |ev| on_change.run(event_target_value(&ev))
                on:keydown=move |ev: web_sys::KeyboardEvent| {
                    if ev.key() == "Enter" && ev.shift_key() {
                        ev.prevent_default();
                        on_run.run(());
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
