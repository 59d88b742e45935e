//! The bundled lesson (`notebooks/`): what it holds, that both languages have the same cells and
//! code, that its paths point at the bundled sample, and that its `.ipynb` and Databricks `.py`
//! files are exactly what the writers produce.
//!
//! `notebooks/lesson.{fr,en}.py` are generated from the `.ipynb` files by `write_databricks`:
//! after editing a lesson, run `STREAMLAB_UPDATE_LESSONS=1 cargo test -p streamlab-notebook
//! --test formats_lessons` to rewrite them, then again without the variable to check.

#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

use streamlab_notebook::document::{CellKind, Notebook};
use streamlab_notebook::formats::{read_notebook, write_databricks, write_ipynb};
use streamlab_notebook::lessons::{lesson, LessonLanguage, LESSON_EN, LESSON_FR};

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn load(language: LessonLanguage) -> Notebook {
    lesson(language).unwrap_or_else(|e| panic!("{e}"))
}

fn both() -> [(LessonLanguage, &'static str, Notebook); 2] {
    [(LessonLanguage::French, "fr", load(LessonLanguage::French)), (LessonLanguage::English, "en", load(LessonLanguage::English))]
}

fn sources(nb: &Notebook, kind: CellKind) -> Vec<&str> {
    nb.cells().iter().filter(|c| c.kind == kind).map(|c| c.source.as_str()).collect()
}

/// Python source without its `#` comments (outside string literals) and trailing spaces.
fn without_comments(code: &str) -> String {
    let mut out = Vec::new();
    for line in code.lines() {
        let mut quote: Option<char> = None;
        let mut kept = String::new();
        for c in line.chars() {
            match (quote, c) {
                (None, '#') => break,
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                _ => {}
            }
            kept.push(c);
        }
        out.push(kept.trim_end().to_string());
    }
    out.join("\n")
}

/// The string assigned to `name` on each line like `name = "value"`.
fn assigned(code: &str, name: &str) -> Vec<String> {
    code.lines()
        .filter_map(|line| line.strip_prefix(name)?.trim_start().strip_prefix('=')?.trim_start().strip_prefix('"')?.split('"').next().map(String::from))
        .collect()
}

#[test]
fn both_lessons_have_the_same_cells_in_the_same_order() {
    let [(_, _, fr), (_, _, en)] = both();
    assert_eq!(fr.cells().len(), 29);
    assert_eq!(sources(&fr, CellKind::Code).len(), 11);
    assert_eq!(sources(&fr, CellKind::Markdown).len(), 18);
    assert_eq!(sources(&fr, CellKind::Sql).len(), 0);
    let shape = |nb: &Notebook| nb.cells().iter().map(|c| (c.id().clone(), c.kind)).collect::<Vec<_>>();
    assert_eq!(shape(&fr), shape(&en));
    assert_eq!(fr.metadata.language.as_deref(), Some("fr"));
    assert_eq!(en.metadata.language.as_deref(), Some("en"));
    for nb in [&fr, &en] {
        assert!(nb.cells().iter().all(|c| c.outputs.is_empty() && c.execution_count.is_none()), "lessons ship without outputs");
    }
}

#[test]
fn english_code_is_the_french_code_with_translated_comments() {
    let [(_, _, fr), (_, _, en)] = both();
    for (fr_code, en_code) in sources(&fr, CellKind::Code).into_iter().zip(sources(&en, CellKind::Code)) {
        assert_eq!(without_comments(fr_code), without_comments(en_code));
    }
    let fr_comments: usize = sources(&fr, CellKind::Code).iter().map(|c| c.matches('#').count()).sum();
    let en_comments: usize = sources(&en, CellKind::Code).iter().map(|c| c.matches('#').count()).sum();
    assert_eq!(fr_comments, en_comments);
}

#[test]
fn paths_point_at_the_bundled_sample_and_under_output() {
    let activity = repo_root().join("data/activity");
    let files = std::fs::read_dir(&activity).map(|dir| dir.count()).unwrap_or(0);
    assert_eq!(files, 8, "{} should hold the 8 HHAR files", activity.display());
    for (_, lang, nb) in both() {
        let code = sources(&nb, CellKind::Code).join("\n");
        assert_eq!(assigned(&code, "dataPath"), ["data/activity", "data/activity"], "{lang}");
        assert_eq!(assigned(&code, "outputPathDir"), ["output/output.parquet"; 4], "{lang}");
        assert_eq!(
            assigned(&code, "checkpointPath"),
            ["output/output.parquet.checkpoint", "output/output.delta.checkpoint", "output/output.parquet.checkpoint", "output/output.delta.checkpoint"],
            "{lang}"
        );
        for leftover in ["/mnt/", "/databricks-datasets", "\"...\"", "/.../", "veille"] {
            assert!(!code.contains(leftover), "{lang}: {leftover}");
        }
        assert_eq!(code.matches("processingTime=\"3 seconds\"").count(), 4, "{lang}");
    }
}

#[test]
fn the_reading_cell_builds_initial_df_and_no_log_line_is_left() {
    for (_, lang, nb) in both() {
        let read_stream = nb.cells().iter().find(|c| c.id().as_str() == "read-stream").map(|c| c.source.as_str()).unwrap_or_default();
        assert!(read_stream.starts_with("dataPath = \"data/activity\"\ninitialDF = (spark\n  .readStream"), "{lang}: {read_stream}");
        for cell in nb.cells() {
            for marker in [" WARN ", "25/12/15", "DataFrame[]", "In ["] {
                assert!(!cell.source.contains(marker), "{lang} cell {}: {marker}", cell.id());
            }
        }
    }
}

#[test]
fn review_questions_come_twice_first_without_answers() {
    for (_, lang, nb) in both() {
        let reviews: Vec<&str> = nb.cells().iter().filter(|c| c.source.contains("**Q:**")).map(|c| c.source.as_str()).collect();
        assert_eq!(reviews.len(), 2, "{lang}");
        assert_eq!((reviews[0].matches("**Q:**").count(), reviews[0].matches("**A:**").count()), (6, 0), "{lang}");
        assert_eq!((reviews[1].matches("**Q:**").count(), reviews[1].matches("**A:**").count()), (6, 6), "{lang}");
        let last = nb.cells().len();
        let spacers = nb.cells().get(last - 5..last - 1).unwrap_or_default();
        assert!(spacers.iter().all(|c| c.kind == CellKind::Markdown && c.source.is_empty()), "{lang}");
    }
}

#[test]
fn english_markdown_and_comments_have_no_french_left() {
    let [(_, _, fr), (_, _, en)] = both();
    let french_words = [
        "le", "la", "les", "des", "une", "est", "avec", "pour", "dans", "nous", "vous", "sur", "flux", "requête", "fenêtres", "sortie",
        "Questions de révision", "Résumé", "Écriture", "Fenêtrage", "Déclencheurs", "contrôle", "Remarques", "Exemple",
    ];
    let english_text: String = en
        .cells()
        .iter()
        .map(|c| match c.kind {
            CellKind::Markdown => c.source.clone(),
            _ => c.source.lines().filter_map(|l| l.split_once('#').map(|(_, comment)| comment)).collect::<Vec<_>>().join("\n"),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let words: Vec<&str> = english_text.split(|c: char| !c.is_alphanumeric() && c != 'é' && c != 'ê' && c != 'É').collect();
    for french in french_words {
        let found = if french.contains(' ') { english_text.contains(french) } else { words.contains(&french) };
        assert!(!found, "French left in the English lesson: {french}");
    }
    assert!(!english_text.contains(['é', 'è', 'ê', 'à', 'ç', 'ù', 'ô', 'î', 'É', '’']), "accented French letters in the English lesson");
    // The spot-checked words are really in the French lesson, so the check above means something.
    let french_text: String = sources(&fr, CellKind::Markdown).join("\n");
    for french in ["Questions de révision", "Résumé", "Écriture", "Fenêtrage", "Déclencheurs", "Remarques"] {
        assert!(french_text.contains(french), "{french}");
    }
}

#[test]
fn ipynb_files_are_what_write_ipynb_writes() {
    for (language, text) in [(LessonLanguage::French, LESSON_FR), (LessonLanguage::English, LESSON_EN)] {
        let written = write_ipynb(&load(language)).unwrap_or_else(|e| panic!("{e}"));
        assert!(written == text, "{language:?}: the .ipynb is not in the writer's canonical form");
        let reread = read_notebook("again.ipynb", written.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(reread, load(language));
    }
}

#[test]
fn databricks_files_hold_the_same_cells_as_the_ipynb_files() {
    let update = std::env::var_os("STREAMLAB_UPDATE_LESSONS").is_some();
    for (language, lang, nb) in both() {
        let path = repo_root().join(format!("notebooks/lesson.{lang}.py"));
        let expected = write_databricks(&nb).unwrap_or_else(|e| panic!("{e}"));
        if update {
            std::fs::write(&path, &expected).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
        let on_disk = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(on_disk == expected.as_bytes(), "{} is stale: rerun with STREAMLAB_UPDATE_LESSONS=1", path.display());
        let from_py = read_notebook(&path.to_string_lossy(), &on_disk).unwrap_or_else(|e| panic!("{e}"));
        let summary = |nb: &Notebook| nb.cells().iter().map(|c| (c.kind, c.source.clone())).collect::<Vec<_>>();
        assert_eq!(summary(&from_py), summary(&nb), "{language:?}");
        assert_eq!(from_py.metadata.title.as_deref(), Some(format!("lesson.{lang}").as_str()));
    }
}
