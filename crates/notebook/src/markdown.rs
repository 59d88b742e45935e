//! Markdown cells to sanitized HTML.
//!
//! Lessons mix markdown with the HTML Databricks notebooks use (`<h2><img src=…>`, `<b>`, `<br>`,
//! `<a href=… target="_blank">`), and a notebook opened in the page may come from anyone, so the
//! HTML is rendered by `pulldown-cmark` (CommonMark with GitHub's tables and strikethrough) and
//! then cleaned by `ammonia`'s allow-list: no scripts, styles, frames, forms or event handlers,
//! only `http`, `https` and `mailto` URLs (relative ones kept), and every link opens without
//! giving the new page a handle on this one (`rel="noopener noreferrer"`).

use ammonia::Builder;
use pulldown_cmark::{html, Options, Parser};

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
    let mut unsafe_html = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(source, options));
    sanitizer().clean(&unsafe_html).to_string()
}

/// Ammonia's defaults (a conservative allow-list of formatting tags and attributes, with
/// scripts and styles removed with their content) plus what lessons need: links that open in a
/// new tab, and table cell alignment from markdown tables.
fn sanitizer() -> Builder<'static> {
    let mut builder = Builder::default();
    builder
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .add_tag_attribute_values("a", "target", &["_blank"])
        .add_tag_attributes("th", &["style"])
        .add_tag_attributes("td", &["style"])
        .filter_style_properties(["text-align"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"));
    builder
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
