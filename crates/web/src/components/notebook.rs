//! The notebook: its cells in order, each a [`CellView`] keyed by its id.

use leptos::prelude::*;
use streamlab_notebook::document::CellKind;

use crate::components::cell::CellView;
use crate::state::AppState;

/// Every cell of the notebook, and a button to add one at the end.
#[component]
pub fn NotebookView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let nb = state.notebook;
    let ids = move || nb.with(|n| n.cells().iter().map(|c| c.id().clone()).collect::<Vec<_>>());
    let add = move |_| {
        nb.update(|n| {
            n.push_cell(CellKind::Code, "");
        })
    };
    view! {
        <main class="notebook" id="notebook" tabindex="-1" aria-label="Notebook">
            <For each=ids key=|id| id.clone() children=move |id| {
                let key = id.clone();
                let position = Signal::derive(move || nb.with(|n| n.position(&key).unwrap_or(0)));
                view! { <CellView id position/> }
            }/>
            <button class="add-end" on:click=add>"+ Add a code cell"</button>
        </main>
    }
}
