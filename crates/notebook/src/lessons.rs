//! The bundled lesson, the notebook the page opens by default: Spark Structured Streaming's
//! basics (read a file stream, transform it, write it to Parquet and Delta with triggers and
//! checkpoints) on the bundled `data/activity` sample, in French (as written) and English.
//!
//! The files live in the repository's `notebooks/` folder and are compiled in, so the page
//! and the CLI need no file system to show them.

use crate::document::Notebook;
use crate::formats::{read_notebook, FormatError};

/// The French lesson, `notebooks/lesson.fr.ipynb`.
pub const LESSON_FR: &str = include_str!("../../../notebooks/lesson.fr.ipynb");
/// The English lesson, `notebooks/lesson.en.ipynb`: the French one translated, same code.
pub const LESSON_EN: &str = include_str!("../../../notebooks/lesson.en.ipynb");

/// The languages the lesson is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LessonLanguage {
    /// `fr`: the original.
    French,
    /// `en`: the translation.
    English,
}

impl LessonLanguage {
    /// The lesson language for a browser language tag: French for `fr`, `fr-FR`, `fr_CA`...,
    /// English for anything else.
    ///
    /// ```
    /// use streamlab_notebook::lessons::LessonLanguage;
    /// assert_eq!(LessonLanguage::from_tag("fr-FR"), LessonLanguage::French);
    /// assert_eq!(LessonLanguage::from_tag("en-US"), LessonLanguage::English);
    /// assert_eq!(LessonLanguage::from_tag("frisian"), LessonLanguage::English);
    /// ```
    pub fn from_tag(tag: &str) -> Self {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("fr") {
            LessonLanguage::French
        } else {
            LessonLanguage::English
        }
    }
}

/// The bundled lesson in `language`, parsed.
///
/// ```
/// use streamlab_notebook::lessons::{lesson, LessonLanguage};
/// let nb = lesson(LessonLanguage::English).unwrap();
/// assert_eq!(nb.metadata.language.as_deref(), Some("en"));
/// ```
pub fn lesson(language: LessonLanguage) -> Result<Notebook, FormatError> {
    match language {
        LessonLanguage::French => read_notebook("lesson.fr.ipynb", LESSON_FR.as_bytes()),
        LessonLanguage::English => read_notebook("lesson.en.ipynb", LESSON_EN.as_bytes()),
    }
}
