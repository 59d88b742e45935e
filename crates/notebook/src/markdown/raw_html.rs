//! A tokenizer for the raw HTML that markdown lets through (`<b>`, `<img src=…>`, comments):
//! text, start tags with their attributes, and end tags, as an HTML parser splits them.
//! Comments, declarations and processing instructions are skipped; a tag cut off by the end of
//! the input is dropped. It only reads: the writer decides what of it reaches the page.

/// One piece of raw HTML.
#[derive(Debug, PartialEq)]
pub(super) enum Token<'a> {
    /// Text between tags, as written (character references not decoded).
    Text(&'a str),
    /// `<name attr="value" …>`: the name in lowercase, attributes in order (first of each
    /// name), names in lowercase and values with their character references decoded.
    StartTag { name: String, attributes: Vec<(String, String)> },
    /// `</name>`, the name in lowercase.
    EndTag(String),
}

/// Splits a raw HTML fragment into [`Token`]s.
pub(super) struct Tokenizer<'a> {
    rest: &'a str,
}

impl<'a> Tokenizer<'a> {
    pub(super) fn new(html: &'a str) -> Self {
        Tokenizer { rest: html }
    }

    /// Skips the content of a raw text element (`<script>`, `<style>`…) up to and including its
    /// end tag `</name …>`; `false` when the fragment ends first (everything was skipped).
    pub(super) fn skip_past_end_tag(&mut self, name: &str) -> bool {
        let mut from = 0;
        while let Some(found) = self.rest[from..].find("</") {
            let start = from + found;
            let after_name = start + 2 + name.len();
            let is_end_tag = self.rest.get(start + 2..after_name).is_some_and(|n| n.eq_ignore_ascii_case(name))
                && self.rest[after_name..].chars().next().is_none_or(|c| c.is_ascii_whitespace() || c == '/' || c == '>');
            if is_end_tag {
                self.rest = &self.rest[after_name..];
                self.skip_past('>');
                return true;
            }
            from = start + 2;
        }
        self.rest = "";
        false
    }

    /// Moves past the next `needle`, or to the end when there is none.
    fn skip_past(&mut self, needle: char) {
        self.rest = self.rest.find(needle).map_or("", |at| &self.rest[at + needle.len_utf8()..]);
    }

    /// Reads a tag name, lowercased: up to whitespace, `/` or `>`.
    fn tag_name(&mut self) -> String {
        let end = self.rest.find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>').unwrap_or(self.rest.len());
        let (name, rest) = self.rest.split_at(end);
        self.rest = rest;
        name.to_ascii_lowercase()
    }

    /// Reads the attributes of a start tag and its closing `>`; `None` when the input ends first.
    fn attributes(&mut self) -> Option<Vec<(String, String)>> {
        let mut attributes: Vec<(String, String)> = Vec::new();
        loop {
            self.rest = self.rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
            if let Some(rest) = self.rest.strip_prefix('>') {
                self.rest = rest;
                return Some(attributes);
            }
            if self.rest.is_empty() {
                return None;
            }
            // A name may begin with `=`; it ends at whitespace, `/`, `>` or `=`.
            let first = self.rest.chars().next().map_or(0, char::len_utf8);
            let end = self.rest[first..].find(|c: char| c.is_ascii_whitespace() || matches!(c, '/' | '>' | '=')).map_or(self.rest.len(), |at| at + first);
            let (name, rest) = self.rest.split_at(end);
            let name = name.to_ascii_lowercase();
            self.rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
            let value = match self.rest.strip_prefix('=') {
                Some(rest) => {
                    self.rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
                    decode_character_references(self.attribute_value()?)
                }
                None => String::new(),
            };
            if !attributes.iter().any(|(seen, _)| *seen == name) {
                attributes.push((name, value));
            }
        }
    }

    /// Reads a quoted or unquoted attribute value (undecoded); `None` at an unclosed quote.
    fn attribute_value(&mut self) -> Option<&'a str> {
        let rest = self.rest;
        match rest.chars().next() {
            Some(quote @ ('"' | '\'')) => {
                let inner = &rest[1..];
                let end = inner.find(quote)?;
                self.rest = &inner[end + 1..];
                Some(&inner[..end])
            }
            _ => {
                let end = rest.find(|c: char| c.is_ascii_whitespace() || c == '>').unwrap_or(rest.len());
                self.rest = &rest[end..];
                Some(&rest[..end])
            }
        }
    }
}

impl<'a> Iterator for Tokenizer<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        loop {
            let rest = self.rest;
            if rest.is_empty() {
                return None;
            }
            if !rest.starts_with('<') {
                let end = rest.find('<').unwrap_or(rest.len());
                self.rest = &rest[end..];
                return Some(Token::Text(&rest[..end]));
            }
            let after = &rest[1..];
            match after.chars().next() {
                Some('!') if after.starts_with("!--") => {
                    // `<!-->` and `<!--->` are empty comments, hence the search from `!`.
                    self.rest = after[1..].find("-->").map_or("", |at| &after[1 + at + 3..]);
                }
                Some('!' | '?') => {
                    self.rest = after;
                    self.skip_past('>');
                }
                Some('/') => {
                    self.rest = &after[1..];
                    match self.rest.chars().next() {
                        Some(c) if c.is_ascii_alphabetic() => {
                            let name = self.tag_name();
                            let complete = self.rest.contains('>');
                            self.skip_past('>');
                            if complete {
                                return Some(Token::EndTag(name));
                            }
                        }
                        _ => self.skip_past('>'),
                    }
                }
                Some(c) if c.is_ascii_alphabetic() => {
                    self.rest = after;
                    let name = self.tag_name();
                    match self.attributes() {
                        Some(attributes) => return Some(Token::StartTag { name, attributes }),
                        None => self.rest = "",
                    }
                }
                _ => {
                    self.rest = after;
                    return Some(Token::Text(&rest[..1]));
                }
            }
        }
    }
}

/// Decodes the character references of an attribute value: numeric ones (`&#58;`, `&#x3a;`,
/// with or without `;`) and the named ones markup needs (`&amp;`, `&lt;`, `&gt;`, `&quot;`,
/// `&apos;`, `&nbsp;`). Others stay as written; the writer escapes every `&` it writes, so the
/// browser sees exactly the decoded value that was checked.
pub(super) fn decode_character_references(value: &str) -> String {
    let mut decoded = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        decoded.push_str(&rest[..at]);
        rest = &rest[at..];
        match character_reference(rest) {
            Some((c, length)) => {
                decoded.push(c);
                rest = &rest[length..];
            }
            None => {
                decoded.push('&');
                rest = &rest[1..];
            }
        }
    }
    decoded.push_str(rest);
    decoded
}

/// The character a reference at the start of `text` (which starts with `&`) stands for, and
/// the reference's length in bytes.
fn character_reference(text: &str) -> Option<(char, usize)> {
    const NAMED: [(&str, char); 6] = [("amp;", '&'), ("lt;", '<'), ("gt;", '>'), ("quot;", '"'), ("apos;", '\''), ("nbsp;", '\u{a0}')];
    let body = &text[1..];
    if let Some(number) = body.strip_prefix('#') {
        let (digits_start, radix) = match number.chars().next() {
            Some('x' | 'X') => (1, 16),
            _ => (0, 10),
        };
        let digits = &number[digits_start..];
        let digits_end = digits.find(|c: char| !c.is_digit(radix)).unwrap_or(digits.len());
        if digits_end == 0 {
            return None;
        }
        let c = u32::from_str_radix(&digits[..digits_end], radix).ok().filter(|&n| n != 0).and_then(char::from_u32).unwrap_or('\u{fffd}');
        let semicolon = usize::from(digits[digits_end..].starts_with(';'));
        return Some((c, 2 + digits_start + digits_end + semicolon));
    }
    NAMED.iter().find(|(name, _)| body.starts_with(name)).map(|&(name, c)| (c, 1 + name.len()))
}

/// Whether `text` (starting with `&`) begins a well-formed character reference (`&name;`,
/// `&#123;`, `&#x7b;`), which text may keep as written for the browser to decode.
pub(super) fn starts_character_reference(text: &str) -> bool {
    let body = &text[1..];
    let (digits, is_digit): (&str, fn(&char) -> bool) = match body.strip_prefix('#') {
        Some(number) => match number.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, char::is_ascii_hexdigit),
            None => (number, char::is_ascii_digit),
        },
        None => (body, char::is_ascii_alphanumeric),
    };
    let end = digits.find(|c: char| !is_digit(&c)).unwrap_or(digits.len());
    end > 0 && digits[end..].starts_with(';')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(name: &str, attributes: &[(&str, &str)]) -> Token<'static> {
        Token::StartTag { name: name.into(), attributes: attributes.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect() }
    }

    #[test]
    fn splits_text_tags_and_attributes() {
        let tokens: Vec<Token> = Tokenizer::new("<H2 Class=x><img src=\"a.png\" alt='b \"c\"' hidden>Hi &amp; bye</h2 ><br/>").collect();
        assert_eq!(
            tokens,
            [
                start("h2", &[("class", "x")]),
                start("img", &[("src", "a.png"), ("alt", "b \"c\""), ("hidden", "")]),
                Token::Text("Hi &amp; bye"),
                Token::EndTag("h2".into()),
                start("br", &[]),
            ]
        );
    }

    #[test]
    fn keeps_the_first_of_repeated_attributes_and_spaces_around_equals() {
        let tokens: Vec<Token> = Tokenizer::new("<a href = \"x\" HREF=\"y\" target= _blank>").collect();
        assert_eq!(tokens, [start("a", &[("href", "x"), ("target", "_blank")])]);
    }

    #[test]
    fn skips_comments_declarations_and_cut_off_tags() {
        let tokens: Vec<Token> = Tokenizer::new("a<!-- <b> -->b<!---->c<!DOCTYPE html><?x?>d< e</ f>g<b title=\"x>y").collect();
        assert_eq!(tokens, [Token::Text("a"), Token::Text("b"), Token::Text("c"), Token::Text("d"), Token::Text("<"), Token::Text(" e"), Token::Text("g")]);
        assert_eq!(Tokenizer::new("x</b").collect::<Vec<_>>(), [Token::Text("x")]);
        assert_eq!(Tokenizer::new("<!-- never closed").count(), 0);
    }

    #[test]
    fn skips_raw_text_to_its_end_tag() {
        let mut tokens = Tokenizer::new("if (a</b) x='</script'; </SCRIPT >after");
        assert!(tokens.skip_past_end_tag("script"));
        assert_eq!(tokens.collect::<Vec<_>>(), [Token::Text("after")]);
        let mut tokens = Tokenizer::new("alert(1)</scrip");
        assert!(!tokens.skip_past_end_tag("script"));
        assert_eq!(tokens.next(), None);
    }

    #[test]
    fn decodes_numeric_and_basic_named_references() {
        assert_eq!(decode_character_references("jav&#x61;script&#58x&colon;&amp;&lt;&#0;&#x110000;&#;&"), "javascript:x&colon;&<\u{fffd}\u{fffd}&#;&");
        assert!(starts_character_reference("&copy; x"));
        assert!(starts_character_reference("&#x3A;"));
        assert!(!starts_character_reference("&copy x"));
        assert!(!starts_character_reference("&#;"));
        assert!(!starts_character_reference("&"));
    }
}
