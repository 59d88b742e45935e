//! The notebook formats and the markdown sanitizer inside a real browser (wasm32, headless
//! Chromium through wasm-bindgen-test): the page opens the bundled lesson, renders its markdown
//! and saves it in both formats, so all of that must work in wasm and never panic there.

#![cfg(target_arch = "wasm32")]

use streamlab_notebook::document::CellKind;
use streamlab_notebook::formats::{read_notebook, write_databricks, write_ipynb};
use streamlab_notebook::lessons::{lesson, LessonLanguage, LESSON_EN, LESSON_FR};
use streamlab_notebook::markdown::render_markdown;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_lessons_load_render_and_save_in_the_browser() {
    for (language, text) in [(LessonLanguage::French, LESSON_FR), (LessonLanguage::English, LESSON_EN)] {
        let nb = lesson(language).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(nb.cells().len(), 29);
        let html: String = nb.cells().iter().filter(|c| c.kind == CellKind::Markdown).map(|c| render_markdown(&c.source)).collect();
        assert_eq!(html.matches("<table>").count(), 3);
        assert_eq!(html.matches("rel=\"noopener noreferrer\"").count(), 2);
        assert_eq!(write_ipynb(&nb).ok().as_deref(), Some(text));
        let py = write_databricks(&nb).unwrap_or_else(|e| panic!("{e}"));
        let back = read_notebook("lesson.py", py.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let sources = |n: &streamlab_notebook::document::Notebook| n.cells().iter().map(|c| (c.kind, c.source.clone())).collect::<Vec<_>>();
        assert_eq!(sources(&back), sources(&nb));
    }
}

#[wasm_bindgen_test]
fn hostile_markdown_and_broken_files_are_values_not_panics() {
    assert_eq!(render_markdown("<img src=x onerror=alert(1)><script>alert(2)</script>"), "<p><img src=\"x\"></p>\n");
    assert_eq!(render_markdown("[x](javascript:alert(1))"), "<p><a rel=\"noopener noreferrer\">x</a></p>\n");
    let deep = format!("{}{}", "[".repeat(20_000), "]".repeat(20_000));
    assert!(read_notebook("deep.ipynb", deep.as_bytes()).is_err());
    assert!(read_notebook("bad.py", b"\xff\xfe").is_err());
}
