//! The whole page: toolbar on top, the notebook on the left, and on the right the panels
//! (streams and charts, files, review questions, console) behind tabs.

use std::rc::Rc;

use leptos::prelude::*;
use streamlab_notebook::document::Notebook;
use streamlab_notebook::formats::{read_notebook, write_ipynb};
use streamlab_notebook::lessons::{lesson, LessonLanguage};

use crate::clock::PageClock;
use crate::components::charts::ChartsPanel;
use crate::components::file_browser::FileBrowser;
use crate::components::notebook::NotebookView;
use crate::components::outputs::Outputs;
use crate::components::quiz::Quiz;
use crate::components::streams::StreamsPanel;
use crate::components::toolbar::Toolbar;
use crate::lab::Lab;
use crate::local_store::{load, save, LANGUAGE_KEY, NOTEBOOK_KEY};
use crate::state::AppState;

/// The `performance.mark` set when the page is ready for the student.
pub const READY_MARK: &str = "streamlab-ready";

/// The side panels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Streams,
    Files,
    Quiz,
    Console,
}

impl Tab {
    const ALL: [Tab; 4] = [Tab::Streams, Tab::Files, Tab::Quiz, Tab::Console];

    fn title(self) -> &'static str {
        match self {
            Tab::Streams => "Streams & charts",
            Tab::Files => "Files",
            Tab::Quiz => "Questions",
            Tab::Console => "Console",
        }
    }
}

/// The language the page opens in: the saved choice, else the browser's.
fn start_language() -> LessonLanguage {
    let tag = load(LANGUAGE_KEY).or_else(|| web_sys::window().and_then(|w| w.navigator().language())).unwrap_or_default();
    LessonLanguage::from_tag(&tag)
}

/// The notebook the page opens: the one saved by the last visit, else the lesson.
fn start_notebook(language: LessonLanguage) -> Notebook {
    load(NOTEBOOK_KEY)
        .and_then(|text| read_notebook("saved.ipynb", text.as_bytes()).ok())
        .or_else(|| lesson(language).ok())
        .unwrap_or_default()
}

/// The page.
#[component]
pub fn App() -> impl IntoView {
    let language = start_language();
    let state = AppState::new(Lab::new(Rc::new(PageClock::browser())), start_notebook(language), language);
    provide_context(state);
    // `streamlab-ready` marks the moment the lesson can run (notebook shown, sample loaded):
    // scripts/bench-web.sh reads it as the time to interactive.
    state.load_sample(|_| {
        if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
            let _ = performance.mark(READY_MARK);
        }
    });
    Effect::new(move |_| {
        if let Ok(text) = state.notebook.with(write_ipynb) {
            save(NOTEBOOK_KEY, &text);
        }
    });
    Effect::new(move |_| {
        let tag = match state.language.get() {
            LessonLanguage::French => "fr",
            LessonLanguage::English => "en",
        };
        save(LANGUAGE_KEY, tag);
    });
    let tab = RwSignal::new(Tab::Streams);
    Effect::new(move |_| state.files_visible.set(tab.get() == Tab::Files));
    let console = Signal::derive(move || state.console.get());
    view! {
        <Toolbar/>
        <div class="layout">
            <div class="main-column">
                <p class="sample-status" role="status">{move || state.sample_status.get().unwrap_or_else(|| "Loading the sample data…".to_string())}</p>
                <NotebookView/>
            </div>
            <aside class="side">
                <div class="tabs" role="tablist" aria-label="Panels">
                    {Tab::ALL.into_iter().map(|t| view! {
                        <button role="tab" class="tab" aria-selected=move || (tab.get() == t).to_string() on:click=move |_| tab.set(t)>{t.title()}</button>
                    }).collect_view()}
                </div>
                <div role="tabpanel" class="tab-body">
                    <div hidden=move || tab.get() != Tab::Streams><StreamsPanel/><ChartsPanel/></div>
                    <div hidden=move || tab.get() != Tab::Files><FileBrowser/></div>
                    <div hidden=move || tab.get() != Tab::Quiz><Quiz/></div>
                    <div hidden=move || tab.get() != Tab::Console>
                        <section class="panel console" aria-label="Output of triggers between cells">
                            <h2>"Console"</h2>
                            <Outputs outputs=console/>
                        </section>
                    </div>
                </div>
            </aside>
        </div>
    }
}
