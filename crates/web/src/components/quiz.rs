//! The review questions as a multiple-choice quiz, with the lesson's answer as the explanation
//! once the student has chosen, and progress kept in `localStorage`.

use std::collections::BTreeMap;

use leptos::prelude::*;
use streamlab_notebook::markdown::render_markdown;

use crate::components::tasks::CodeTasks;
use crate::local_store::{load, save, QUIZ_KEY};
use crate::questions::{choices, review_questions, section_questions};
use crate::state::AppState;

/// Choices offered per question.
const CHOICES: usize = 3;

/// Saved answers: question index → the answer index chosen.
fn saved_answers() -> BTreeMap<usize, usize> {
    load(QUIZ_KEY).and_then(|text| serde_json::from_str(&text).ok()).unwrap_or_default()
}

/// The quiz built from the current notebook's review questions.
#[component]
pub fn Quiz() -> impl IntoView {
    let state = expect_context::<AppState>();
    let questions = Memo::new(move |_| {
        let mut all = state.notebook.with(review_questions);
        all.extend(section_questions(state.language.get()));
        all
    });
    let answers = RwSignal::new(saved_answers());
    Effect::new(move |_| {
        if let Ok(text) = serde_json::to_string(&answers.get()) {
            save(QUIZ_KEY, &text);
        }
    });
    let score = move || {
        let right = answers.with(|a| a.iter().filter(|(q, c)| q == c).count());
        format!("{right} / {} right", questions.with(Vec::len))
    };
    view! {
        <section class="panel quiz" aria-labelledby="quiz-title">
            <h2 id="quiz-title">"Review questions"</h2>
            <p class="score" role="status">{score}</p>
            <button class="reset-quiz" on:click=move |_| answers.set(BTreeMap::new())>"Start over"</button>
            <ol class="questions">
                {move || {
                    let qs = questions.get();
                    (0..qs.len()).map(|index| {
                        let prompt = render_markdown(&qs[index].prompt);
                        let explanation = render_markdown(&qs[index].answer);
                        let offered = choices(&qs, index, CHOICES);
                        let chosen = move || answers.with(|a| a.get(&index).copied());
                        let name = format!("question-{index}");
                        let options = offered.into_iter().map(|choice| {
                            let text = render_markdown(&qs[choice].answer);
                            let id = format!("q{index}-c{choice}");
                            let verdict = move || match chosen() {
                                Some(c) if c == choice && c == index => "choice right",
                                Some(c) if c == choice => "choice wrong",
                                Some(_) if choice == index => "choice right",
                                _ => "choice",
                            };
                            view! {
                                <li class=verdict>
                                    <input type="radio" id=id.clone() name=name.clone() prop:checked=move || chosen() == Some(choice)
                                        on:change=move |_| answers.update(|a| { a.insert(index, choice); })/>
                                    <label for=id inner_html=text></label>
                                </li>
                            }
                        }).collect_view();
                        view! {
                            <li class="question" data-index=index>
                                <div class="prompt" inner_html=prompt></div>
                                <ul class="choices" role="radiogroup">{options}</ul>
                                {move || chosen().map(|c| view! {
                                    <div class="explanation" role="status">
                                        <strong>{if c == index { "Right. " } else { "Not quite. " }}</strong>
                                        <span inner_html=explanation.clone()></span>
                                    </div>
                                })}
                            </li>
                        }
                    }).collect_view()
                }}
            </ol>
            <CodeTasks/>
        </section>
    }
}
