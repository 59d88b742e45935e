//! Markdown cells render the HTML lessons use and nothing that can run code or leak the page.

use streamlab_notebook::document::CellKind;
use streamlab_notebook::lessons::{lesson, LessonLanguage};
use streamlab_notebook::markdown::render_markdown;

/// Tags no rendered markdown may contain, whatever its input (lowercased before the check).
const FORBIDDEN_TAGS: [&str; 12] = ["<script", "<style", "<iframe", "<object", "<embed", "<form", "<input", "<svg", "<math", "<meta", "<link", "<base"];

/// The values of the URL attributes (`href`, `src`) in `html`, as the renderer writes them (quoted).
fn urls(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["href=\"", "src=\""] {
        for (i, _) in html.match_indices(attribute) {
            let value = &html[i + attribute.len()..];
            found.push(value.split('"').next().unwrap_or_default().to_string());
        }
    }
    found
}

fn assert_safe(input: &str) -> String {
    let html = render_markdown(input);
    let lower = html.to_lowercase();
    for bad in FORBIDDEN_TAGS {
        assert!(!lower.contains(bad), "{input:?} rendered {bad}: {html}");
    }
    for url in urls(&lower) {
        let scheme = url.split_once(':').map(|(scheme, _)| scheme).unwrap_or_default();
        assert!(url.starts_with("https:") || url.starts_with("http:") || url.starts_with("mailto:") || scheme.contains('/') || !url.contains(':'), "{input:?} kept the URL {url}: {html}");
    }
    // No attribute named on... survives (onerror, onclick, onmouseover, ...).
    for (i, _) in lower.match_indices(" on") {
        let rest = &lower[i + 3..];
        let name_end = rest.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(rest.len());
        assert!(!rest[name_end..].starts_with('='), "{input:?} kept an event handler: {html}");
    }
    html
}

#[test]
fn scripts_styles_and_frames_are_removed_with_their_content() {
    for input in [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
        "text <script>alert(1)</script> more",
        "<style>body { display: none }</style>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<object data=\"x.swf\"></object><embed src=\"x.swf\">",
        "<svg onload=alert(1)><circle/></svg>",
        "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
        "<form action=\"https://evil.example\"><input name=p></form>",
        "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\"><base href=\"https://evil.example/\">",
        "<link rel=stylesheet href=https://evil.example/x.css>",
    ] {
        let html = assert_safe(input);
        assert!(!html.contains("alert(1)") && !html.contains("display: none"), "{input:?}: {html}");
    }
}

#[test]
fn event_handlers_are_stripped_from_allowed_tags() {
    for input in [
        "<img src=x onerror=alert(1)>",
        "<b onmouseover=\"alert(1)\">bold</b>",
        "<a href=\"https://spark.apache.org\" onclick=\"alert(1)\">x</a>",
        "<h2 onclick=alert(1)>Titre</h2>",
        "<img src=\"x\" ONERROR=\"alert(1)\">",
        "<img src=x onerror\n=alert(1)>",
    ] {
        let html = assert_safe(input);
        assert!(!html.contains("alert"), "{input:?}: {html}");
    }
}

#[test]
fn dangerous_urls_are_dropped_in_html_and_in_markdown_links() {
    for input in [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](java\tscript:alert(1))",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"&#106;avascript:alert(1)\">x</a>",
        "<a href=\"  javascript:alert(1)\">x</a>",
        "![img](javascript:alert(1))",
        "<img src=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">",
        "[x](data:text/html,<script>alert(1)</script>)",
        "<a href=\"vbscript:msgbox(1)\">x</a>",
    ] {
        let html = assert_safe(input);
        assert!(urls(&html).iter().all(|url| !url.to_lowercase().contains("script") && !url.starts_with("data")), "{input:?}: {html}");
    }
}

#[test]
fn escaped_text_stays_text() {
    assert_eq!(render_markdown("`<script>alert(1)</script>`"), "<p><code>&lt;script&gt;alert(1)&lt;/script&gt;</code></p>\n");
    assert_eq!(render_markdown("    <iframe>"), "<pre><code>&lt;iframe&gt;</code></pre>\n");
    assert_eq!(render_markdown("1 < 2 && 3 > 2"), "<p>1 &lt; 2 &amp;&amp; 3 &gt; 2</p>\n");
}

#[test]
fn every_link_gets_noopener_noreferrer_and_only_blank_targets_stay() {
    let html = assert_safe("[Guide](https://spark.apache.org/docs/latest/) and <a href=\"https://a.example\" target=\"_blank\" rel=\"opener\">b</a>");
    assert_eq!(html.matches("rel=\"noopener noreferrer\"").count(), 2, "{html}");
    assert!(!html.contains("opener\""), "{html}");
    assert!(html.contains("target=\"_blank\""), "{html}");
    let html = assert_safe("<a href=\"https://a.example\" target=\"_parent\">b</a>");
    assert!(!html.contains("target"), "{html}");
}

#[test]
fn the_html_lessons_use_is_kept() {
    let heading = "<h2><img src=\"https://files.training.databricks.com/images/105/logo_spark_tiny.png\"> Fenêtrage</h2>";
    assert_eq!(render_markdown(heading), heading);
    assert_eq!(render_markdown("Un <b>point</b> :<br/>suite"), "<p>Un <b>point</b> :<br>suite</p>\n");
    assert_eq!(
        render_markdown("Guide <a href=\"https://spark.apache.org/docs/latest/\" target = \"_blank\">ici</a>"),
        "<p>Guide <a href=\"https://spark.apache.org/docs/latest/\" target=\"_blank\" rel=\"noopener noreferrer\">ici</a></p>\n"
    );
    assert_eq!(render_markdown("relative [sample](data/activity)"), "<p>relative <a href=\"data/activity\" rel=\"noopener noreferrer\">sample</a></p>\n");
}

#[test]
fn gfm_tables_render_as_tables() {
    let html = render_markdown("| Mode | Exemple |\n|------|---------|\n| **Ajout** | `.outputMode(\"append\")` |\n");
    assert_eq!(
        html,
        "<table><thead><tr><th>Mode</th><th>Exemple</th></tr></thead><tbody>\n<tr><td><strong>Ajout</strong></td><td><code>.outputMode(\"append\")</code></td></tr>\n</tbody></table>\n"
    );
}

#[test]
fn every_markdown_cell_of_both_lessons_renders_safely_with_its_headings_tables_and_links() {
    for language in [LessonLanguage::French, LessonLanguage::English] {
        let nb = lesson(language).unwrap_or_else(|e| panic!("{e}"));
        let html: Vec<String> = nb.cells().iter().filter(|c| c.kind == CellKind::Markdown).map(|c| assert_safe(&c.source)).collect();
        let all = html.join("\n");
        assert_eq!(all.matches("<h2><img src=\"https://files.training.databricks.com/images/105/logo_spark_tiny.png\">").count(), 8, "{language:?}");
        assert_eq!(all.matches("<table>").count(), 3, "{language:?}: triggers, output modes, sinks");
        assert_eq!(all.matches("<h3>").count(), 4, "{language:?}");
        assert_eq!(all.matches("target=\"_blank\" rel=\"noopener noreferrer\"").count(), 2, "{language:?}");
        assert_eq!(all.matches("<strong>Q:</strong>").count(), 12, "{language:?}");
        assert!(!all.contains("| **"), "{language:?}: a table row rendered as text");
    }
}
