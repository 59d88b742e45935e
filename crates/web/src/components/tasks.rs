//! The code tasks of the review: an editor per task, a Check button that runs the answer
//! against the reference on the sample, the verdict with the reference and its explanation,
//! and progress (answers and which are solved) kept in `localStorage`.

use std::collections::BTreeMap;

use leptos::prelude::*;
use streamlab_notebook::markdown::render_markdown;

use crate::local_store::{load, save, TASKS_KEY};
use crate::state::AppState;
use crate::tasks::{check, CodeTask, Verdict, CODE_TASKS};

/// Saved progress: task id → (the last answer typed, whether it was checked right).
type Progress = BTreeMap<String, (String, bool)>;

fn saved_progress() -> Progress {
    load(TASKS_KEY).and_then(|text| serde_json::from_str(&text).ok()).unwrap_or_default()
}

/// Every code task, with the number solved.
#[component]
pub fn CodeTasks() -> impl IntoView {
    let progress = RwSignal::new(saved_progress());
    Effect::new(move |_| {
        if let Ok(text) = serde_json::to_string(&progress.get()) {
            save(TASKS_KEY, &text);
        }
    });
    let solved = move || progress.with(|p| p.values().filter(|(_, right)| *right).count());
    view! {
        <section class="code-tasks" aria-labelledby="tasks-title">
            <h3 id="tasks-title">"Code tasks"</h3>
            <p class="tasks-score" role="status">{move || format!("{} / {} solved", solved(), CODE_TASKS.len())}</p>
            <ol class="tasks">
                {CODE_TASKS.iter().map(|task| view! { <TaskView task=*task progress/> }).collect_view()}
            </ol>
        </section>
    }
}

/// One task: prompt, answer editor, Check, verdict.
#[component]
fn TaskView(task: CodeTask, progress: RwSignal<Progress>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let initial = progress.with_untracked(|p| p.get(task.id).map(|(answer, _)| answer.clone())).unwrap_or_default();
    let answer = RwSignal::new(initial);
    let verdict = RwSignal::new(None::<Verdict>);
    let run_check = move || {
        let sample = state.lab.with_value(|lab| lab.sample_files());
        let text = answer.get_untracked();
        let outcome = check(&task, &text, &sample);
        let right = outcome == Verdict::Right;
        progress.update(|p| {
            let was_right = p.get(task.id).is_some_and(|(_, r)| *r);
            p.insert(task.id.to_string(), (text, right || was_right));
        });
        verdict.set(Some(outcome));
    };
    let editor_id = format!("task-{}-answer", task.id);
    let solved = move || progress.with(|p| p.get(task.id).is_some_and(|(_, right)| *right));
    view! {
        <li class="task" data-task=task.id>
            <p class="task-section">{task.section}{move || solved().then_some(" · solved")}</p>
            <div class="prompt" inner_html=render_markdown(task.prompt)></div>
            <label for=editor_id.clone()>"Your query (" <code>"dataSchema"</code> " and " <code>"pyspark.sql.functions"</code> " are ready):"</label>
            <textarea id=editor_id class="task-answer" rows="5" spellcheck="false" prop:value=move || answer.get()
                on:input=move |ev| answer.set(event_target_value(&ev))
                on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Enter" && (ev.ctrl_key() || ev.shift_key()) { ev.prevent_default(); run_check(); }></textarea>
            <button class="check" on:click=move |_| run_check()>"Check (Ctrl+Enter)"</button>
            {move || verdict.get().map(|v| {
                let (class, headline, detail) = match v {
                    Verdict::Right => ("verdict right", "Right: your table equals the expected one.".to_string(), None),
                    Verdict::Wrong(why) => ("verdict wrong", "Not quite.".to_string(), Some(why)),
                    Verdict::Failed(error) => ("verdict wrong", "Your code failed.".to_string(), Some(error.headline())),
                };
                view! {
                    <div class=class role="status">
                        <strong>{headline}</strong>
                        {detail.map(|d| view! { <p class="why">{d}</p> })}
                        <p class="explanation" inner_html=render_markdown(task.explanation)></p>
                        <details><summary>"A reference answer"</summary><pre class="reference">{task.reference}</pre></details>
                    </div>
                }
            })}
        </li>
    }
}
