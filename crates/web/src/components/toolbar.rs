//! The top bar: language, Run all, Stop all, import and export.

use leptos::prelude::*;
use leptos::task::spawn_local;
use streamlab_notebook::formats::{read_notebook, write_databricks, write_ipynb};
use streamlab_notebook::lessons::LessonLanguage;

use crate::download::{download, file_bytes};
use crate::state::AppState;

/// The page's main actions.
#[component]
pub fn Toolbar() -> impl IntoView {
    let state = expect_context::<AppState>();
    let message = RwSignal::new(None::<String>);
    let export = move |databricks: bool| {
        let result = state.notebook.with_untracked(|nb| if databricks { write_databricks(nb) } else { write_ipynb(nb) });
        let name = if databricks { "streamlab.py" } else { "streamlab.ipynb" };
        let outcome = result.map_err(|e| e.to_string()).and_then(|text| download(name, text.as_bytes(), "text/plain"));
        message.set(outcome.err());
    };
    let import = move |ev| {
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        let Some(file) = input.files().and_then(|l| l.get(0)) else { return };
        spawn_local(async move {
            let name = file.name();
            let parsed = file_bytes(&file).await.and_then(|bytes| read_notebook(&name, &bytes).map_err(|e| e.to_string()));
            match parsed {
                Ok(nb) => {
                    state.notebook.set(nb);
                    message.set(Some(format!("Opened {name}")));
                }
                Err(e) => message.set(Some(e)),
            }
        });
    };
    let language = move || match state.language.get() {
        LessonLanguage::French => "fr",
        LessonLanguage::English => "en",
    };
    view! {
        <header class="toolbar" role="banner">
            <h1>"StreamLab"</h1>
            <label>"Lesson "
                <select aria-label="Lesson language" prop:value=language on:change=move |ev| {
                    state.open_lesson(LessonLanguage::from_tag(&event_target_value(&ev)));
                }>
                    <option value="fr">"Français"</option>
                    <option value="en">"English"</option>
                </select>
            </label>
            <button class="run-all" aria-label="Run all cells" on:click=move |_| state.run_all()>"▶▶ Run all"</button>
            <button class="stop-all" aria-label="Stop all streams" on:click=move |_| state.stop_all()>"■ Stop all"</button>
            <button class="clear-outputs" on:click=move |_| state.notebook.update(|nb| nb.clear_outputs())>"Clear outputs"</button>
            <label class="import">"Open .ipynb / .py "
                <input type="file" accept=".ipynb,.py" on:change=import aria-label="Open a notebook file"/>
            </label>
            <button class="save-ipynb" aria-label="Save the notebook as .ipynb" on:click=move |_| export(false)>"Save .ipynb"</button>
            <button class="save-py" aria-label="Save the notebook as a Databricks .py file" on:click=move |_| export(true)>"Save Databricks .py"</button>
            {move || message.get().map(|m| view! { <span class="toolbar-message" role="status">{m}</span> })}
        </header>
    }
}
