//! One notebook cell: its toolbar (kind, run, delete, add below), its editor (or, for a
//! markdown cell not being edited, the rendered text) and its outputs.

use leptos::prelude::*;
use streamlab_notebook::document::{CellId, CellKind};
use streamlab_notebook::markdown::render_markdown;

use crate::components::editor::{AfterRun, CodeEditor};
use crate::components::outputs::Outputs;
use crate::lesson_html::localize_images;
use crate::state::AppState;

fn kind_name(kind: CellKind) -> &'static str {
    match kind {
        CellKind::Code => "python",
        CellKind::Sql => "sql",
        CellKind::Markdown => "markdown",
    }
}

fn kind_from_name(name: &str) -> CellKind {
    match name {
        "sql" => CellKind::Sql,
        "markdown" => CellKind::Markdown,
        _ => CellKind::Code,
    }
}

/// Moves the keyboard focus to the cell after the one whose element id is `dom_id` (its editor,
/// or its first button when it shows rendered markdown), as Jupyter's Shift+Enter does.
fn focus_next_cell(dom_id: &str) {
    use wasm_bindgen::JsCast;
    let next = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(dom_id))
        .and_then(|cell| cell.next_element_sibling())
        .and_then(|next| next.query_selector("textarea").ok().flatten().or_else(|| next.query_selector("button").ok().flatten()))
        .and_then(|target| target.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(target) = next {
        let _ = target.focus();
    }
}

/// The cell with `id`; it reads and writes the notebook signal, so it stays right while other
/// cells are added, moved or deleted.
#[component]
pub fn CellView(id: CellId, position: Signal<usize>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let nb = state.notebook;
    let cell_id = id.clone();
    let kind = Memo::new(move |_| nb.with(|n| n.cell(&cell_id).map_or(CellKind::Code, |c| c.kind)));
    let cell_id = id.clone();
    let source = Memo::new(move |_| nb.with(|n| n.cell(&cell_id).map(|c| c.source.clone()).unwrap_or_default()));
    let cell_id = id.clone();
    let outputs = Memo::new(move |_| nb.with(|n| n.cell(&cell_id).map(|c| c.outputs.clone()).unwrap_or_default()));
    let cell_id = id.clone();
    let count = Memo::new(move |_| nb.with(|n| n.cell(&cell_id).and_then(|c| c.execution_count)));
    let editing = RwSignal::new(false);

    let cell_id = id.clone();
    let on_change = Callback::new(move |text: String| {
        nb.update(|n| {
            if let Some(cell) = n.cell_mut(&cell_id) {
                cell.source = text;
            }
        })
    });
    let cell_id = id.clone();
    let run = Callback::new(move |after: AfterRun| {
        if kind.get_untracked() == CellKind::Markdown {
            editing.set(false);
        }
        state.run_cell(&cell_id);
        if after == AfterRun::NextCell {
            focus_next_cell(&cell_id.to_string());
        }
    });
    let cell_id = id.clone();
    let delete = move |_| {
        nb.update(|n| {
            n.remove_cell(&cell_id);
        })
    };
    let add_below = move |_| {
        let at = position.get_untracked() + 1;
        nb.update(|n| {
            n.insert_cell(at, CellKind::Code, "");
        })
    };
    let cell_id = id.clone();
    let set_kind = move |ev| {
        let new_kind = kind_from_name(&event_target_value(&ev));
        nb.update(|n| {
            if let Some(cell) = n.cell_mut(&cell_id) {
                cell.kind = new_kind;
                cell.outputs.clear();
            }
        })
    };
    let cell_id = id.clone();
    let is_running = move || state.running.with(|r| r.as_ref() == Some(&cell_id));
    let label = move || format!("Cell {}", position.get() + 1);
    let named = move |what: &str| format!("{what} cell {}", position.get() + 1);
    let dom_id = id.to_string();

    view! {
        <section class=move || format!("cell cell-{}", kind_name(kind.get())) class:running=is_running id=dom_id aria-label=label>
            <div class="cell-bar">
                <span class="count" aria-hidden="true">{move || match (kind.get(), count.get()) {
                    (CellKind::Markdown, _) => String::new(),
                    (_, Some(n)) => format!("[{n}]"),
                    (_, None) => "[ ]".to_string(),
                }}</span>
                <button class="run" title="Run cell (Ctrl+Enter in the editor)" aria-label=move || named("Run") on:click=move |_| run.run(AfterRun::Stay)>"▶ Run"</button>
                <select aria-label=move || format!("Type of cell {}", position.get() + 1) on:change=set_kind prop:value=move || kind_name(kind.get())>
                    <option value="python">"Python"</option>
                    <option value="sql">"SQL"</option>
                    <option value="markdown">"Markdown"</option>
                </select>
                {move || (kind.get() == CellKind::Markdown).then(|| view! {
                    <button class="edit" aria-pressed=move || editing.get().to_string() aria-label=move || named("Edit") on:click=move |_| editing.update(|e| *e = !*e)>{move || if editing.get() { "Preview" } else { "Edit" }}</button>
                })}
                <span class="spacer"></span>
                <button class="add" title="Add a cell below" aria-label=move || format!("Add a cell below cell {}", position.get() + 1) on:click=add_below>"+ Cell"</button>
                <button class="delete" title="Delete this cell" aria-label=move || named("Delete") on:click=delete>"Delete"</button>
            </div>
            {move || if kind.get() == CellKind::Markdown && !editing.get() {
                let html = localize_images(&render_markdown(&source.get()));
                view! { <div class="markdown" inner_html=html on:dblclick=move |_| editing.set(true)></div> }.into_any()
            } else {
                view! { <CodeEditor source=source on_change on_run=run label=format!("Cell {} source", position.get_untracked() + 1)/> }.into_any()
            }}
            {move || (kind.get() != CellKind::Markdown).then(|| view! { <Outputs outputs=outputs/> })}
        </section>
    }
}
