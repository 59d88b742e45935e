//! Writes HTML from pulldown-cmark's events, in the layout of pulldown-cmark's own HTML writer,
//! but only through [`allow_list`]: every tag and attribute written here was checked, text and
//! attribute values are escaped, raw HTML is re-tokenized, and the output is balanced (a tag
//! left open by raw HTML is closed where its parent closes, or at the end).

use pulldown_cmark::{Alignment, Event, HeadingLevel, LinkType, Tag, TagEnd};

use super::allow_list::{allowed_tag, attribute_value, content_dropped, is_safe_url, is_void};
use super::raw_html::{starts_character_reference, Token, Tokenizer};

/// The `rel` of every link: the opened page gets no handle on this one, nor its address.
const LINK_REL: &str = "noopener noreferrer";

/// The state of one rendering: the output, the open elements, and where tables and raw HTML
/// blocks stand.
pub(super) struct SafeHtmlWriter {
    out: String,
    /// Elements opened and not yet closed, outermost first.
    open: Vec<&'static str>,
    table_alignments: Vec<Alignment>,
    table_cell_index: usize,
    in_table_head: bool,
    /// The lines of the HTML block being read: a tag may span lines, so blocks are tokenized whole.
    html_block: Option<String>,
    /// Inside `<script>` and the like: everything is dropped until this end tag.
    dropping_until: Option<&'static str>,
}

impl SafeHtmlWriter {
    /// Renders `events` (from a source of `source_len` bytes) to safe HTML.
    pub(super) fn render<'a>(mut events: impl Iterator<Item = Event<'a>>, source_len: usize) -> String {
        let mut writer = SafeHtmlWriter {
            out: String::with_capacity(source_len * 3 / 2),
            open: Vec::new(),
            table_alignments: Vec::new(),
            table_cell_index: 0,
            in_table_head: false,
            html_block: None,
            dropping_until: None,
        };
        while let Some(event) = events.next() {
            match event {
                Event::Start(Tag::Image { dest_url, title, .. }) => {
                    let alt = alt_text(&mut events);
                    if writer.dropping_until.is_none() {
                        writer.image(&dest_url, &title, &alt);
                    }
                }
                event => writer.event(event),
            }
        }
        if let Some(block) = writer.html_block.take() {
            writer.raw_html(&block);
        }
        writer.close_all();
        writer.out
    }

    fn event(&mut self, event: Event) {
        match event {
            Event::Start(Tag::HtmlBlock) => self.html_block = Some(String::new()),
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(block) = self.html_block.take() {
                    self.raw_html(&block);
                }
            }
            Event::Html(html) => match &mut self.html_block {
                Some(block) => block.push_str(&html),
                None => self.raw_html(&html),
            },
            Event::InlineHtml(html) => self.raw_html(&html),
            _ if self.dropping_until.is_some() => {}
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => escape_text(&mut self.out, &text),
            Event::Code(code) => {
                self.out.push_str("<code>");
                escape_text(&mut self.out, &code);
                self.out.push_str("</code>");
            }
            Event::SoftBreak => self.out.push('\n'),
            Event::HardBreak => self.out.push_str("<br>\n"),
            Event::Rule => {
                self.start_line();
                self.out.push_str("<hr>\n");
            }
            // Math, footnotes and task lists are extensions render_markdown does not enable.
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Paragraph => self.open_block("p"),
            Tag::Heading { level, .. } => self.open_block(heading(level)),
            Tag::BlockQuote(_) => {
                self.open_block("blockquote");
                self.out.push('\n');
            }
            Tag::CodeBlock(_) => {
                self.open_block("pre");
                self.open("code");
            }
            Tag::List(Some(start)) if start != 1 => {
                self.start_line();
                self.out.push_str(&format!("<ol start=\"{start}\">\n"));
                self.open.push("ol");
            }
            Tag::List(start) => {
                self.open_block(if start.is_some() { "ol" } else { "ul" });
                self.out.push('\n');
            }
            Tag::Item => self.open_block("li"),
            Tag::Table(alignments) => {
                self.table_alignments = alignments;
                self.open("table");
            }
            Tag::TableHead => {
                self.in_table_head = true;
                self.table_cell_index = 0;
                self.open("thead");
                self.open("tr");
            }
            Tag::TableRow => {
                self.table_cell_index = 0;
                self.open("tr");
            }
            Tag::TableCell => {
                let cell = if self.in_table_head { "th" } else { "td" };
                let align = match self.table_alignments.get(self.table_cell_index) {
                    Some(Alignment::Left) => " style=\"text-align:left\"",
                    Some(Alignment::Center) => " style=\"text-align:center\"",
                    Some(Alignment::Right) => " style=\"text-align:right\"",
                    _ => "",
                };
                self.out.push_str(&format!("<{cell}{align}>"));
                self.open.push(cell);
            }
            Tag::Emphasis => self.open("em"),
            Tag::Strong => self.open("strong"),
            Tag::Strikethrough => self.open("del"),
            Tag::Link { link_type, dest_url, title, .. } => {
                let mailto = if link_type == LinkType::Email { "mailto:" } else { "" };
                let href = format!("{mailto}{}", escape_href(&dest_url));
                self.out.push_str("<a");
                if is_safe_url(&href) {
                    push_attribute(&mut self.out, "href", &href);
                }
                if !title.is_empty() {
                    push_attribute(&mut self.out, "title", &title);
                }
                push_attribute(&mut self.out, "rel", LINK_REL);
                self.out.push('>');
                self.open.push("a");
            }
            // HTML blocks are read in `event`, images in `render`; the rest are extensions
            // render_markdown does not enable.
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.close("p", "\n"),
            TagEnd::Heading(level) => self.close(heading(level), "\n"),
            TagEnd::BlockQuote(_) => self.close("blockquote", "\n"),
            TagEnd::CodeBlock => self.close("pre", "\n"),
            TagEnd::List(ordered) => self.close(if ordered { "ol" } else { "ul" }, "\n"),
            TagEnd::Item => self.close("li", "\n"),
            TagEnd::Table => self.close("table", "\n"),
            TagEnd::TableHead => {
                self.close("thead", "");
                self.open("tbody");
                self.out.push('\n');
                self.in_table_head = false;
            }
            TagEnd::TableRow => self.close("tr", "\n"),
            TagEnd::TableCell => {
                self.close(if self.in_table_head { "th" } else { "td" }, "");
                self.table_cell_index += 1;
            }
            TagEnd::Emphasis => self.close("em", ""),
            TagEnd::Strong => self.close("strong", ""),
            TagEnd::Strikethrough => self.close("del", ""),
            TagEnd::Link => self.close("a", ""),
            _ => {}
        }
    }

    /// `<img>` from markdown's `![alt](src "title")`.
    fn image(&mut self, src: &str, title: &str, alt: &str) {
        let src = escape_href(src);
        self.out.push_str("<img");
        if is_safe_url(&src) {
            push_attribute(&mut self.out, "src", &src);
        }
        push_attribute(&mut self.out, "alt", alt);
        if !title.is_empty() {
            push_attribute(&mut self.out, "title", title);
        }
        self.out.push('>');
    }

    /// Writes raw HTML from the markdown through the allow-list.
    fn raw_html(&mut self, html: &str) {
        let mut tokens = Tokenizer::new(html);
        loop {
            if let Some(name) = self.dropping_until {
                if !tokens.skip_past_end_tag(name) {
                    return;
                }
                self.dropping_until = None;
            }
            match tokens.next() {
                None => return,
                Some(Token::Text(text)) => escape_raw_text(&mut self.out, text),
                Some(Token::EndTag(name)) => {
                    if let Some(tag) = allowed_tag(&name) {
                        self.close(tag, "");
                    }
                }
                Some(Token::StartTag { name, attributes }) => {
                    if let Some(tag) = content_dropped(&name) {
                        self.dropping_until = Some(tag);
                    } else if let Some(tag) = allowed_tag(&name) {
                        self.raw_start_tag(tag, &attributes);
                    }
                }
            }
        }
    }

    fn raw_start_tag(&mut self, tag: &'static str, attributes: &[(String, String)]) {
        self.out.push('<');
        self.out.push_str(tag);
        for (name, value) in attributes {
            if let Some(value) = attribute_value(tag, name, value) {
                push_attribute(&mut self.out, name, &value);
            }
        }
        if tag == "a" {
            push_attribute(&mut self.out, "rel", LINK_REL);
        }
        self.out.push('>');
        if !is_void(tag) {
            self.open.push(tag);
        }
    }

    /// Starts a new line unless the output is at the start of one, as pulldown-cmark does
    /// before block elements.
    fn start_line(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
    }

    fn open_block(&mut self, tag: &'static str) {
        self.start_line();
        self.open(tag);
    }

    fn open(&mut self, tag: &'static str) {
        self.out.push('<');
        self.out.push_str(tag);
        self.out.push('>');
        self.open.push(tag);
    }

    /// Closes the innermost open `tag` and whatever raw HTML left open inside it, then writes
    /// `after`; does nothing when no `tag` is open (raw HTML closed it already, or never
    /// opened it).
    fn close(&mut self, tag: &str, after: &str) {
        if let Some(at) = self.open.iter().rposition(|open| *open == tag) {
            for closed in self.open.drain(at..).rev() {
                self.out.push_str("</");
                self.out.push_str(closed);
                self.out.push('>');
            }
            self.out.push_str(after);
        }
    }

    fn close_all(&mut self) {
        if let Some(outermost) = self.open.first().copied() {
            self.close(outermost, "");
        }
    }
}

/// Consumes an image's content up to its end, as its alt text: the text without markup.
fn alt_text<'a>(events: &mut impl Iterator<Item = Event<'a>>) -> String {
    let mut alt = String::new();
    let mut depth = 0usize;
    for event in events.by_ref() {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => break,
            Event::End(_) => depth -= 1,
            Event::Text(text) | Event::Code(text) | Event::InlineHtml(text) => alt.push_str(&text),
            Event::SoftBreak | Event::HardBreak => alt.push(' '),
            _ => {}
        }
    }
    alt
}

fn heading(level: HeadingLevel) -> &'static str {
    match level {
        HeadingLevel::H1 => "h1",
        HeadingLevel::H2 => "h2",
        HeadingLevel::H3 => "h3",
        HeadingLevel::H4 => "h4",
        HeadingLevel::H5 => "h5",
        HeadingLevel::H6 => "h6",
    }
}

/// ` name="value"`, the value escaped for a double-quoted attribute.
fn push_attribute(out: &mut String, name: &str, value: &str) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Escapes text for an element's content (as HTML serializers do: `&`, `<`, `>`, no-break space).
fn escape_text(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            c => out.push(c),
        }
    }
}

/// Escapes the text of raw HTML, keeping its well-formed character references (`&copy;`) for
/// the browser to decode: in element content they can only ever be text.
fn escape_raw_text(out: &mut String, text: &str) {
    for (at, c) in text.char_indices() {
        match c {
            '&' if starts_character_reference(&text[at..]) => out.push('&'),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            c => out.push(c),
        }
    }
}

/// A markdown link destination as pulldown-cmark writes it: URL characters kept, everything
/// else (spaces, quotes, brackets, non-ASCII) percent-encoded as UTF-8.
fn escape_href(url: &str) -> String {
    let mut escaped = String::with_capacity(url.len());
    for byte in url.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$%&'()*+,-./:;=?@^_~".contains(&byte) {
            escaped.push(char::from(byte));
        } else {
            escaped.push_str(&format!("%{byte:02X}"));
        }
    }
    escaped
}
