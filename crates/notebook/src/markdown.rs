//! Markdown cells to sanitized HTML.
//!
//! Lessons mix markdown with the HTML Databricks notebooks use (`<h2><img src=…>`, `<b>`, `<br>`,
//! `<a href=… target="_blank">`), and a notebook opened in the page may come from anyone. So
//! `pulldown-cmark` parses the markdown (CommonMark with GitHub's tables and strikethrough) and
//! this module writes the HTML itself from its events, allowing only what [`allow_list`] names:
//! formatting tags, lists, tables, code, links and images; no scripts, styles, frames, forms,
//! classes or event handlers. Raw HTML in the markdown is read by [`raw_html`]'s tokenizer and
//! written again through the same allow-list, so whatever the input, every tag the page receives
//! was written here and every attribute value is escaped. URLs keep only the `http`, `https` and
//! `mailto` schemes (relative ones are kept), and every link opens without giving the new page
//! a handle on this one (`rel="noopener noreferrer"`).
//!
//! The page used `ammonia` (an HTML5 parser and sanitizer) for this; writing the small subset
//! the lessons need from the event stream renders them the same and keeps html5ever's entity
//! and tag tables out of the browser's download.

mod allow_list;
mod raw_html;
mod writer;

use pulldown_cmark::{Options, Parser};

/// Renders markdown `source` to HTML that is safe to insert in the page.
///
/// ```
/// use streamlab_notebook::markdown::render_markdown;
/// assert_eq!(render_markdown("**Q:** Que fait `readStream` ?<br>"), "<p><strong>Q:</strong> Que fait <code>readStream</code> ?<br></p>\n");
/// assert_eq!(render_markdown("<img src=x onerror=alert(1)><script>alert(2)</script>"), "<p><img src=\"x\"></p>\n");
/// assert_eq!(
///     render_markdown("<a href=\"https://spark.apache.org\" target=\"_blank\">Guide</a>"),
///     "<p><a href=\"https://spark.apache.org\" target=\"_blank\" rel=\"noopener noreferrer\">Guide</a></p>\n"
/// );
/// ```
pub fn render_markdown(source: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    writer::SafeHtmlWriter::render(Parser::new_ext(source, options), source.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::CellKind;
    use crate::lessons::{lesson, LessonLanguage};

    #[test]
    fn tables_keep_their_alignment_and_nothing_else_in_style() {
        let html = render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |\n");
        assert!(html.contains("<th style=\"text-align:left\">a</th>"), "{html}");
        assert!(html.contains("<td style=\"text-align:right\">2</td>"), "{html}");
        let html = render_markdown("<table><tr><td style=\"text-align: center; background: url(https://evil)\">x</td></tr></table>");
        assert!(html.contains("style=\"text-align:center\""), "{html}");
        assert!(!html.contains("evil"), "{html}");
    }

    #[test]
    fn targets_other_than_blank_are_dropped() {
        let html = render_markdown("<a href=\"https://a.b\" target=\"_top\">x</a>");
        assert_eq!(html, "<p><a href=\"https://a.b\" rel=\"noopener noreferrer\">x</a></p>\n");
    }

    #[test]
    fn markdown_structure_renders_as_commonmark_html() {
        let html = render_markdown("# T *e* **s** ~~d~~ `c \"q\"` & < >\n\n> quote\n\n3. three\n4. four\n\n- a\n  - b\n\n---\nx  \ny\n");
        assert_eq!(
            html,
            "<h1>T <em>e</em> <strong>s</strong> <del>d</del> <code>c \"q\"</code> &amp; &lt; &gt;</h1>\n\
             <blockquote>\n<p>quote</p>\n</blockquote>\n\
             <ol start=\"3\">\n<li>three</li>\n<li>four</li>\n</ol>\n\
             <ul>\n<li>a\n<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>\n\
             <hr>\n<p>x<br>\ny</p>\n"
        );
        assert_eq!(
            render_markdown("```python\nprint(\"<b>hi</b>\")\n```\n"),
            "<pre><code>print(\"&lt;b&gt;hi&lt;/b&gt;\")\n</code></pre>\n"
        );
    }

    #[test]
    fn markdown_links_keep_safe_urls_only() {
        let html = render_markdown("[rel](../x.html) [js](javascript:alert(1)) <https://auto.link> <me@example.com> [t](https://a.b/c d \"ti&tle\")");
        assert_eq!(
            html,
            "<p><a href=\"../x.html\" rel=\"noopener noreferrer\">rel</a> <a rel=\"noopener noreferrer\">js</a> \
             <a href=\"https://auto.link\" rel=\"noopener noreferrer\">https://auto.link</a> \
             <a href=\"mailto:me@example.com\" rel=\"noopener noreferrer\">me@example.com</a> \
             [t](https://a.b/c d \"ti&amp;tle\")</p>\n"
        );
        assert_eq!(
            render_markdown("[q](<https://a.b/c d?x=1&y='2'> \"t\")"),
            "<p><a href=\"https://a.b/c%20d?x=1&amp;y='2'\" title=\"t\" rel=\"noopener noreferrer\">q</a></p>\n"
        );
    }

    #[test]
    fn markdown_images_keep_their_alt_text_and_lose_unsafe_sources() {
        let html = render_markdown("![alt *text* `c` \"q\"](https://img.example/x.png \"t\") ![d](data:image/png;base64,AAA)");
        assert_eq!(
            html,
            "<p><img src=\"https://img.example/x.png\" alt=\"alt text c &quot;q&quot;\" title=\"t\"> <img alt=\"d\"></p>\n"
        );
    }

    #[test]
    fn script_like_urls_are_dropped_however_they_are_spelled() {
        for href in ["JaVaScRiPt:alert(1)", "jav&#x61;script:alert(1)", "jav&#97script:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)", "java&#10;script:alert(1)", "data:text/html,x", "vbscript:x"] {
            let html = render_markdown(&format!("<a href=\"{href}\">x</a>"));
            assert_eq!(html, "<p><a rel=\"noopener noreferrer\">x</a></p>\n", "{href}");
        }
        let html = render_markdown("<img src=\"data:text/html,<script>\" alt='a\"b'><img src=https://ok/x.png width=10 height=\"20\" onload=bad()>");
        assert_eq!(html, "<p><img alt=\"a&quot;b\"><img src=\"https://ok/x.png\" width=\"10\" height=\"20\"></p>\n");
    }

    #[test]
    fn attribute_values_are_decoded_then_escaped() {
        let html = render_markdown("<a href=\"https://x.y/?a=1&amp;b=2&unknown;\" rel=\"opener\" title='t\"q&lt;' onclick=\"x()\">e</a>");
        assert_eq!(
            html,
            "<p><a href=\"https://x.y/?a=1&amp;b=2&amp;unknown;\" title=\"t&quot;q<\" rel=\"noopener noreferrer\">e</a></p>\n"
        );
    }

    #[test]
    fn scripts_styles_and_frames_are_removed_with_their_content() {
        let html = render_markdown("<style>p{color:red}</style>after style <iframe src=\"https://x\">frame</iframe> after frame");
        assert_eq!(html, "after style  after frame");
        let html = render_markdown("a <script>alert(**1**)</script> b\n\n<SCRIPT type=x>\nalert(2)\n</script>\n\nc");
        assert_eq!(html, "<p>a  b</p>\n\n<p>c</p>\n");
        let html = render_markdown("never closed <script>alert(1)\n\n# gone");
        assert_eq!(html, "<p>never closed </p>");
    }

    #[test]
    fn other_tags_are_dropped_and_their_text_kept() {
        let html = render_markdown("<div style=\"color:red\" onclick=\"x()\">div <span class=\"c\">span</span> <i>i</i> <form><input value=v>f</form> <sup>2</sup></div>");
        assert_eq!(html, "<div>div <span>span</span> <i>i</i> f <sup>2</sup></div>");
        let html = render_markdown("<p>para <em>x</em></p>\n<!-- comment <b> -->\n<?php x ?><!DOCTYPE html><![CDATA[y]]>");
        assert_eq!(html, "<p>para <em>x</em></p>\n\n");
    }

    #[test]
    fn output_is_balanced_whatever_the_raw_html() {
        assert_eq!(render_markdown("<b>unclosed *em*"), "<p><b>unclosed <em>em</em></b></p>\n");
        assert_eq!(render_markdown("stray </b></p> close"), "<p>stray </p> close");
        assert_eq!(render_markdown("<H2 CLASS=\"x\">Upper</H2><BR/><hr/>"), "<h2>Upper</h2><br><hr>");
        assert_eq!(render_markdown("<div><b title=\"x>y\n\nz"), "<div>\n<p>z</p>\n</div>");
        assert_eq!(render_markdown("a <b\n\nc"), "<p>a &lt;b</p>\n<p>c</p>\n");
    }

    #[test]
    fn text_keeps_entities_and_escapes_markup() {
        assert_eq!(render_markdown("a&nbsp;b &copy; 'x' \"y\""), "<p>a&nbsp;b © 'x' \"y\"</p>\n");
        assert_eq!(render_markdown("<b>&copy; &amp; &bogus a>b</b>"), "<p><b>© &amp; &amp;bogus a&gt;b</b></p>\n");
        assert_eq!(render_markdown("<div>&copy; &#x3A; &amp; &bogus a>b\u{a0}</div>"), "<div>&copy; &#x3A; &amp; &amp;bogus a&gt;b&nbsp;</div>");
    }

    /// Every markdown cell of both bundled lessons: the raw HTML they use (heading images, bold,
    /// line breaks, links opening in a new tab) comes through as HTML, never as escaped text.
    #[test]
    fn the_lessons_raw_html_survives() {
        for language in [LessonLanguage::English, LessonLanguage::French] {
            let notebook = lesson(language).unwrap();
            let cells: Vec<&str> = notebook.cells().iter().filter(|c| c.kind == CellKind::Markdown).map(|c| c.source.as_str()).collect();
            assert!(cells.len() > 5, "{language:?}");
            let html: String = cells.iter().map(|source| render_markdown(source)).collect();
            assert!(!html.contains("&lt;"), "{html}");
            let source: String = cells.concat();
            let logo = "<img src=\"https://files.training.databricks.com/images/105/logo_spark_tiny.png\">";
            assert_eq!(html.matches(logo).count(), source.matches(logo).count());
            assert_eq!(html.matches("<h2>").count(), source.matches("<h2>").count());
            assert_eq!(html.matches("<b>").count(), source.matches("<b>").count());
            assert_eq!(html.matches("<br>").count(), source.matches("<br>").count() + source.matches("<br/>").count());
            let links = html.matches(" target=\"_blank\" rel=\"noopener noreferrer\">").count();
            assert_eq!(links, source.matches("<a href=\"http").count());
            assert!(links >= 2, "{language:?}");
        }
    }
}
