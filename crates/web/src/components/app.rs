//! The whole page: toolbar on top, the notebook on the left, and on the right the panels
//! (streams and charts, files, review questions, console) behind tabs.

use std::rc::Rc;
use std::time::Duration;

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
use crate::url_params::page_param;

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

    /// The stem of the tab's and its panel's element ids.
    fn slug(self) -> &'static str {
        match self {
            Tab::Streams => "streams",
            Tab::Files => "files",
            Tab::Quiz => "quiz",
            Tab::Console => "console",
        }
    }

    /// The tab an arrow, Home or End key moves to from this one (WAI-ARIA's tabs pattern).
    fn moved_by(self, key: &str) -> Option<Tab> {
        let at = Tab::ALL.iter().position(|t| *t == self)?;
        let last = Tab::ALL.len() - 1;
        let to = match key {
            "ArrowRight" => if at == last { 0 } else { at + 1 },
            "ArrowLeft" => if at == 0 { last } else { at - 1 },
            "Home" => 0,
            "End" => last,
            _ => return None,
        };
        Tab::ALL.get(to).copied()
    }

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
    // Then, in a task of its own, the warm-up (`?warmup=off` skips it, for measuring).
    state.load_sample(move |_| {
        if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
            let _ = performance.mark(READY_MARK);
        }
        if page_param("warmup").as_deref() != Some("off") {
            set_timeout(move || log_warm_up(state.warm_up()), Duration::ZERO);
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
    let on_tab_key = move |ev: web_sys::KeyboardEvent| {
        if let Some(next) = tab.get_untracked().moved_by(&ev.key()) {
            ev.prevent_default();
            tab.set(next);
            focus_element(&format!("tab-{}", next.slug()));
        }
    };
    let panel = move |t: Tab| {
        view! {
            <div role="tabpanel" id=format!("panel-{}", t.slug()) aria-labelledby=format!("tab-{}", t.slug()) class="tab-body" hidden=move || tab.get() != t>
                {match t {
                    Tab::Streams => view! { <StreamsPanel/><ChartsPanel/> }.into_any(),
                    Tab::Files => view! { <FileBrowser/> }.into_any(),
                    Tab::Quiz => view! { <Quiz/> }.into_any(),
                    Tab::Console => view! {
                        <section class="panel console" aria-labelledby="console-title">
                            <h2 id="console-title">"Console"</h2>
                            <p class="hint">"What queries print between cells (console sink batches, warnings)."</p>
                            <Outputs outputs=console/>
                        </section>
                    }.into_any(),
                }}
            </div>
        }
    };
    view! {
        <a class="skip-link" href="#notebook">"Skip to the notebook"</a>
        <Toolbar/>
        <div class="layout">
            <div class="main-column">
                <p class="sample-status" role="status">{move || state.sample_status.get().unwrap_or_else(|| "Loading the sample data…".to_string())}</p>
                <NotebookView/>
            </div>
            <aside class="side" aria-label="Streams, files, questions and console">
                <div class="tabs" role="tablist" aria-label="Panels" on:keydown=on_tab_key>
                    {Tab::ALL.into_iter().map(|t| view! {
                        <button role="tab" class="tab" id=format!("tab-{}", t.slug()) aria-controls=format!("panel-{}", t.slug())
                            aria-selected=move || (tab.get() == t).to_string() tabindex=move || if tab.get() == t { "0" } else { "-1" }
                            on:click=move |_| tab.set(t)>{t.title()}</button>
                    }).collect_view()}
                </div>
                {Tab::ALL.into_iter().map(panel).collect_view()}
            </aside>
        </div>
    }
}

/// Tells the console how the warm-up went (nothing the student needs to see).
fn log_warm_up(outcome: Result<f64, String>) {
    let line = match outcome {
        Ok(ms) => format!("StreamLab: engine warmed up in {ms:.0} ms"),
        Err(why) => format!("StreamLab: the warm-up failed: {why}"),
    };
    web_sys::console::log_1(&line.into());
}

/// Moves the keyboard focus to the element with `id`, if there is one.
fn focus_element(id: &str) {
    use wasm_bindgen::JsCast;
    let element = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id));
    if let Some(element) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

#[cfg(test)]
mod tests {
    use super::Tab;

    #[test]
    fn arrows_home_and_end_move_between_the_tabs_and_wrap_around() {
        assert_eq!(Tab::Streams.moved_by("ArrowRight"), Some(Tab::Files));
        assert_eq!(Tab::Console.moved_by("ArrowRight"), Some(Tab::Streams));
        assert_eq!(Tab::Streams.moved_by("ArrowLeft"), Some(Tab::Console));
        assert_eq!(Tab::Quiz.moved_by("Home"), Some(Tab::Streams));
        assert_eq!(Tab::Files.moved_by("End"), Some(Tab::Console));
        assert_eq!(Tab::Files.moved_by("Enter"), None);
    }
}
