//! What the page accepts in rendered markdown: which tags, which attributes on each, and which
//! URLs. Everything not named here is dropped; the writer asks these functions before writing
//! any tag or attribute, whether it came from markdown syntax or from raw HTML.

use std::borrow::Cow;

/// The tags written to the page: what markdown produces plus the few formatting tags notebooks
/// write by hand. No scripts, styles, frames, forms or media other than images.
const TAGS: &[&str] = &[
    "a", "b", "blockquote", "br", "code", "del", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s",
    "span", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
];

/// Elements whose content is code, styling or a separate document rather than text to read:
/// dropped with everything up to their end tag.
const CONTENT_DROPPED: &[&str] =
    &["script", "style", "template", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext", "svg", "math"];

/// The URL schemes links and images may use; URLs without a scheme (relative ones) are kept.
const URL_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// The allowed tag named `name` (lowercase), as a static name the writer keeps on its stack.
pub(super) fn allowed_tag(name: &str) -> Option<&'static str> {
    TAGS.iter().copied().find(|tag| *tag == name)
}

/// The element named `name` (lowercase) whose content is removed with it, if it is one.
pub(super) fn content_dropped(name: &str) -> Option<&'static str> {
    CONTENT_DROPPED.iter().copied().find(|tag| *tag == name)
}

/// Elements without content or end tag: never kept open.
pub(super) fn is_void(tag: &str) -> bool {
    matches!(tag, "br" | "hr" | "img")
}

/// The value to write for attribute `name` (lowercase) of allowed `tag`, or `None` to drop it:
/// URLs must pass [`is_safe_url`], link targets may only open a new tab, and table cells keep
/// only their text alignment from a style.
pub(super) fn attribute_value<'v>(tag: &str, name: &str, value: &'v str) -> Option<Cow<'v, str>> {
    match (tag, name) {
        ("a", "href") | ("img", "src") => is_safe_url(value).then_some(Cow::Borrowed(value)),
        ("a", "target") => (value == "_blank").then_some(Cow::Borrowed(value)),
        ("a" | "img", "title") | ("img", "alt" | "width" | "height") | ("td" | "th", "colspan" | "rowspan") | ("ol", "start") => {
            Some(Cow::Borrowed(value))
        }
        ("td" | "th", "style") => text_align(value).map(|align| Cow::Owned(format!("text-align:{align}"))),
        _ => None,
    }
}

/// The `text-align` of a CSS declaration list, when it is one of the four plain alignments.
fn text_align(style: &str) -> Option<&'static str> {
    style.split(';').find_map(|declaration| {
        let (property, value) = declaration.split_once(':')?;
        if !property.trim().eq_ignore_ascii_case("text-align") {
            return None;
        }
        let value = value.trim();
        ["left", "right", "center", "justify"].into_iter().find(|align| value.eq_ignore_ascii_case(align))
    })
}

/// Whether `url` may be a link or image address: relative, or with an allowed scheme. The
/// scheme is read as a browser reads it (leading and trailing spaces and controls ignored, tabs
/// and newlines removed anywhere), so `" java\tscript:"` is seen for what it is.
pub(super) fn is_safe_url(url: &str) -> bool {
    let url: String = url.trim_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    match scheme(&url) {
        Some(scheme) => URL_SCHEMES.iter().any(|allowed| scheme.eq_ignore_ascii_case(allowed)),
        None => true,
    }
}

/// The scheme of `url` (a letter, then letters, digits, `+`, `-` or `.`, before a colon).
fn scheme(url: &str) -> Option<&str> {
    let end = url.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))?;
    let starts_with_letter = url.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    (starts_with_letter && url[end..].starts_with(':')).then(|| &url[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_keep_web_and_mail_schemes_and_relative_paths() {
        for url in ["https://a.b/c", "HTTP://a.b", "mailto:x@y.z", "../x.png", "#anchor", "?q=1", "//cdn.b/x", "a/b:c", ""] {
            assert!(is_safe_url(url), "{url}");
        }
        for url in ["javascript:alert(1)", " JavaScript:x", "java\tscript:x", "\u{1}javascript:x", "data:image/png;base64,AA", "vbscript:x", "file:///etc/passwd", "c:\\x"] {
            assert!(!is_safe_url(url), "{url:?}");
        }
    }

    #[test]
    fn table_cells_keep_only_a_plain_alignment() {
        assert_eq!(attribute_value("td", "style", "color: red; TEXT-ALIGN : Center").as_deref(), Some("text-align:center"));
        assert_eq!(attribute_value("th", "style", "text-align: expression(alert(1))"), None);
        assert_eq!(attribute_value("p", "style", "text-align: left"), None);
    }

    #[test]
    fn event_handlers_and_unknown_attributes_are_dropped() {
        assert_eq!(attribute_value("img", "onerror", "alert(1)"), None);
        assert_eq!(attribute_value("a", "rel", "opener"), None);
        assert_eq!(attribute_value("a", "target", "_top"), None);
        assert_eq!(attribute_value("img", "alt", "a \"b\"").as_deref(), Some("a \"b\""));
        assert_eq!(allowed_tag("script"), None);
        assert_eq!(content_dropped("script"), Some("script"));
    }
}
