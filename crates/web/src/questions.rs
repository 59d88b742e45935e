//! The lesson's review questions as a quiz.
//!
//! The lesson ends with a markdown cell of `**Q:** … **A:** …` pairs. The page turns each pair
//! into a multiple-choice question whose wrong choices are the other questions' answers (so
//! the student has to know which answer fits which question), and shows the full answer as the
//! explanation once the student has chosen.

use streamlab_notebook::document::{CellKind, Notebook};
use streamlab_notebook::lessons::LessonLanguage;

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

/// Questions on the lesson's sections that its own review leaves out (schemas, triggers,
/// windows, watermarks, the checkpoint), `(English, French)` prompt and answer pairs.
/// One text in both lesson languages: (English, French).
type Bilingual = (&'static str, &'static str);

const SECTION_QUESTIONS: [(Bilingual, Bilingual); 5] = [
    (
        ("Why does `readStream.json(path)` need `.schema(...)`?", "Pourquoi `readStream.json(path)` a-t-il besoin de `.schema(...)` ?"),
        (
            "A streaming file source does not infer its schema (`spark.sql.streaming.schemaInference` is off): the schema must be known before any file arrives and stay the same across restarts.",
            "Une source de fichiers en streaming n'infère pas son schéma (`spark.sql.streaming.schemaInference` est désactivé) : le schéma doit être connu avant l'arrivée du premier fichier et rester le même d'un redémarrage à l'autre.",
        ),
    ),
    (
        ("What does `option(\"maxFilesPerTrigger\", 1)` change?", "Que change `option(\"maxFilesPerTrigger\", 1)` ?"),
        (
            "Each micro-batch reads at most one new file, so the files of the folder are processed one batch each, in order of modification time.",
            "Chaque micro-batch lit au plus un nouveau fichier : les fichiers du dossier sont traités un par batch, dans l'ordre de leur date de modification.",
        ),
    ),
    (
        ("What is a tumbling window, such as `window(\"event_time\", \"10 minutes\")`?", "Qu'est-ce qu'une fenêtre fixe (tumbling), comme `window(\"event_time\", \"10 minutes\")` ?"),
        (
            "Windows of equal length that do not overlap: each event falls in exactly one 10-minute window.",
            "Des fenêtres de même durée qui ne se chevauchent pas : chaque événement tombe dans exactement une fenêtre de 10 minutes.",
        ),
    ),
    (
        ("What does `withWatermark(\"event_time\", \"10 minutes\")` let Spark do?", "Que permet `withWatermark(\"event_time\", \"10 minutes\")` ?"),
        (
            "Forget the state of windows that end before the latest event time seen minus 10 minutes, drop rows that arrive later than that, and (in append mode) emit a window once it can no longer change.",
            "Oublier l'état des fenêtres qui finissent avant le dernier temps d'événement vu moins 10 minutes, ignorer les lignes plus en retard que cela, et (en mode append) émettre une fenêtre dès qu'elle ne peut plus changer.",
        ),
    ),
    (
        ("What do `offsets/N` and `commits/N` in the checkpoint record?", "Que contiennent `offsets/N` et `commits/N` dans le checkpoint ?"),
        (
            "`offsets/N` is written before batch N runs, with the end offset of every source; `commits/N` after its output is written. A restart re-runs a batch that has offsets but no commit, with exactly the same input: exactly-once.",
            "`offsets/N` est écrit avant l'exécution du batch N, avec l'offset de fin de chaque source ; `commits/N` après l'écriture de sa sortie. Au redémarrage, un batch qui a des offsets sans commit est rejoué avec exactement les mêmes entrées : exactly-once.",
        ),
    ),
];

/// The section questions in `language`, asked after the lesson's own review questions.
///
/// ```
/// use streamlab_notebook::lessons::LessonLanguage;
/// use streamlab_web::questions::section_questions;
/// let en = section_questions(LessonLanguage::English);
/// assert_eq!(en.len(), 5);
/// assert!(en[4].answer.contains("exactly-once"));
/// assert!(section_questions(LessonLanguage::French)[0].prompt.starts_with("Pourquoi"));
/// ```
pub fn section_questions(language: LessonLanguage) -> Vec<Question> {
    let pick = |(en, fr): (&str, &str)| if language == LessonLanguage::French { fr } else { en }.to_string();
    SECTION_QUESTIONS.iter().map(|(prompt, answer)| Question { prompt: pick(*prompt), answer: pick(*answer) }).collect()
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
