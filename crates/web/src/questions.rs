//! The lesson's review questions as a quiz.
//!
//! The lesson ends with a markdown cell of `**Q:** … **A:** …` pairs. The page turns each pair
//! into a multiple-choice question whose wrong choices are the other questions' answers (so
//! the student has to know which answer fits which question), and shows the full answer as the
//! explanation once the student has chosen.

use streamlab_notebook::document::{CellKind, Notebook};

/// One review question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// The question, as markdown.
    pub prompt: String,
    /// The lesson's answer, as markdown: the right choice and the explanation.
    pub answer: String,
}

/// The question/answer pairs of the last markdown cell that has any (`**Q:**` … `**A:**` …),
/// in lesson order. Questions without an answer are left out: they cannot be checked.
///
/// ```
/// use streamlab_notebook::lessons::{lesson, LessonLanguage};
/// use streamlab_web::questions::review_questions;
/// let nb = lesson(LessonLanguage::English).unwrap();
/// let qs = review_questions(&nb);
/// assert_eq!(qs.len(), 6);
/// assert!(qs[4].answer.contains("spark.streams.active"));
/// ```
pub fn review_questions(notebook: &Notebook) -> Vec<Question> {
    notebook
        .cells()
        .iter()
        .rev()
        .filter(|cell| cell.kind == CellKind::Markdown)
        .map(|cell| parse_pairs(&cell.source))
        .find(|pairs| !pairs.is_empty())
        .unwrap_or_default()
}

/// The `**Q:**`/`**A:**` pairs of one markdown text.
fn parse_pairs(markdown: &str) -> Vec<Question> {
    markdown
        .split("**Q:**")
        .skip(1)
        .filter_map(|block| {
            let (prompt, answer) = block.split_once("**A:**")?;
            let prompt = prompt.trim().trim_end_matches("<br>").trim();
            let answer = answer.trim();
            (!prompt.is_empty() && !answer.is_empty()).then(|| Question { prompt: prompt.to_string(), answer: answer.to_string() })
        })
        .collect()
}

/// The choices offered for question `index`: its own answer and up to `count - 1` other
/// answers, as indexes into `questions`, in an order that depends on the question (so the right
/// one is not always first) but never on chance (a reload shows the same quiz).
///
/// ```
/// use streamlab_web::questions::{choices, Question};
/// let q = |a: &str| Question { prompt: "p".into(), answer: a.into() };
/// let qs = vec![q("a"), q("b"), q("c"), q("d"), q("e")];
/// let c = choices(&qs, 2, 3);
/// assert_eq!(c.len(), 3);
/// assert!(c.contains(&2));
/// assert_eq!(c, choices(&qs, 2, 3));
/// ```
pub fn choices(questions: &[Question], index: usize, count: usize) -> Vec<usize> {
    let n = questions.len();
    if n == 0 || index >= n {
        return Vec::new();
    }
    let mut picked: Vec<usize> = (1..n).map(|step| (index + step) % n).collect();
    picked.truncate(count.saturating_sub(1));
    let slot = index % (picked.len() + 1);
    picked.insert(slot, index);
    picked
}

#[cfg(test)]
mod tests {
    use super::*;
    use streamlab_notebook::lessons::{lesson, LessonLanguage};

    #[test]
    fn both_lessons_give_the_same_six_questions_with_answers() {
        for language in [LessonLanguage::French, LessonLanguage::English] {
            let nb = lesson(language).unwrap_or_else(|e| panic!("{e}"));
            let qs = review_questions(&nb);
            assert_eq!(qs.len(), 6, "{language:?}");
            assert!(qs[0].prompt.contains("readStream"), "{:?}", qs[0]);
            assert!(qs[5].answer.contains("isActive"), "{:?}", qs[5]);
            assert!(qs.iter().all(|q| !q.prompt.contains("**A:**") && !q.answer.contains("**Q:**")));
        }
    }

    #[test]
    fn the_questions_without_answers_are_skipped() {
        assert!(parse_pairs("**Q:** Why?<br>\n\n**Q:** How?").is_empty());
        assert_eq!(parse_pairs("**Q:** Why?<br>\n**A:** Because.").len(), 1);
    }

    #[test]
    fn every_question_offers_its_answer_among_distinct_choices() {
        let qs: Vec<Question> = (0..6).map(|i| Question { prompt: format!("q{i}"), answer: format!("a{i}") }).collect();
        for i in 0..6 {
            let c = choices(&qs, i, 4);
            assert_eq!(c.len(), 4);
            assert!(c.contains(&i));
            let unique: std::collections::BTreeSet<_> = c.iter().collect();
            assert_eq!(unique.len(), 4);
        }
        let positions: std::collections::BTreeSet<usize> = (0..6).map(|i| choices(&qs, i, 4).iter().position(|&c| c == i).unwrap_or(9)).collect();
        assert!(positions.len() > 1, "the right answer moves around");
        assert!(choices(&qs, 9, 4).is_empty());
        assert_eq!(choices(&qs[..1], 0, 4), [0]);
    }
}
