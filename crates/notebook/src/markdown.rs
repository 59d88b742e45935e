//! Markdown cells to sanitized HTML.

/// Renders markdown `source` to HTML that is safe to insert in the page.
pub fn render_markdown(source: &str) -> String {
    let escaped = source.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    format!("<pre>{escaped}</pre>")
}
