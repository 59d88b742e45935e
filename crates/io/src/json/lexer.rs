//! A pull tokenizer for the JSON dialect Spark's Jackson parser accepts.
//!
//! Why not serde_json: Spark's defaults accept text serde_json rejects (`'single quotes'`, the
//! bare literals `NaN`, `Infinity`, `+INF`, `-INF`, lone `\uD800` escapes), and several of Spark's
//! observable results depend on Jackson's *token stream*: which token a failed conversion leaves
//! the parser on, which field name a value belongs to, and that only the first value of a line
//! is read (`{"a":1} garbage` is a valid record). Mirroring Jackson's pull API lets
//! [`super::convert`] follow `JacksonParser.scala` line by line.
//!
//! Error model (what Spark shows, reduced to three rules):
//! * errors inside a string (bad UTF-8, bad escape, control character) and end of input are
//!   *sticky*: every later call fails again, so the record is unparseable as a whole;
//! * a bad scalar after a field name (`"a":01`, `"a":tru`) is reported when the field name is
//!   read, as Jackson parses the value eagerly there;
//! * any other structural error consumes the offending byte; parsing may go on after it.

use std::borrow::Cow;

/// Maximum nesting of objects and arrays (Jackson 2.15 `StreamReadConstraints`).
const MAX_DEPTH: usize = 1000;
/// Maximum length of a number's text (Jackson 2.15 `StreamReadConstraints`).
const MAX_NUMBER_LEN: usize = 1000;

/// The token kinds of Jackson's `JsonToken` that Spark looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Token {
    /// `{`
    StartObject,
    /// `}`
    EndObject,
    /// `[`
    StartArray,
    /// `]`
    EndArray,
    /// A field name inside an object.
    FieldName,
    /// A string value.
    String,
    /// An integer (`VALUE_NUMBER_INT`).
    Int,
    /// A number with a fraction or exponent, or `NaN`/`Infinity` (`VALUE_NUMBER_FLOAT`).
    Float,
    /// `true`
    True,
    /// `false`
    False,
    /// `null`
    Null,
}

/// A syntax error; the lexer does not keep a message (Spark never shows Jackson's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyntaxError;

/// Parser features Spark exposes as JSON options (`allowSingleQuotes`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    /// `allowSingleQuotes` (Spark default true).
    pub single_quotes: bool,
    /// `allowNonNumericNumbers` (default true): `NaN`, `Infinity`, `+INF`, `-INF`…
    pub non_numeric: bool,
    /// `allowNumericLeadingZeros` (default false).
    pub leading_zeros: bool,
    /// `allowBackslashEscapingAnyCharacter` (default false).
    pub backslash_any: bool,
    /// `allowUnquotedControlChars` (default false).
    pub unquoted_control: bool,
    /// `allowUnquotedFieldNames` (default false).
    pub unquoted_names: bool,
    /// `allowComments` (default false): `/* … */` and `// …`.
    pub comments: bool,
}

impl Default for Dialect {
    fn default() -> Self {
        Dialect {
            single_quotes: true,
            non_numeric: true,
            leading_zeros: false,
            backslash_any: false,
            unquoted_control: false,
            unquoted_names: false,
            comments: false,
        }
    }
}

/// A byte range of the input with the facts needed to decode it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Span {
    start: usize,
    end: usize,
    escaped: bool,
    /// Name spans only: an unquoted field name.
    raw: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Just after `{` or `[`.
    Start,
    /// After a field name (the value is pending).
    Value,
    /// After a value.
    After,
}

#[derive(Debug, Clone, Copy)]
struct Ctx {
    array: bool,
    state: State,
    name: Option<Span>,
}

/// The value token read together with a field name, as Jackson does.
#[derive(Debug, Clone, Copy)]
struct Pending {
    tok: Token,
    span: Span,
    special: Option<f64>,
}

/// A Jackson-like pull parser over one record.
pub struct Lexer<'a> {
    bytes: &'a [u8],
    /// The whole input as text when it is valid UTF-8 (then spans need no re-validation).
    text: Option<&'a str>,
    pos: usize,
    dialect: Dialect,
    stack: Vec<Ctx>,
    started: bool,
    sticky: bool,
    tok: Option<Token>,
    span: Span,
    special: Option<f64>,
    pending: Option<Pending>,
}

/// Byte classes for string scanning: 0 plain, 1 needs a look.
static STRING_SPECIAL: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        if i < 0x20 || i == b'"' as usize || i == b'\'' as usize || i == b'\\' as usize || i >= 0x80 {
            t[i] = 1;
        }
        i += 1;
    }
    t
};

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn hex_val(b: u8) -> Option<u16> {
    match b {
        b'0'..=b'9' => Some(u16::from(b - b'0')),
        b'a'..=b'f' => Some(u16::from(b - b'a' + 10)),
        b'A'..=b'F' => Some(u16::from(b - b'A' + 10)),
        _ => None,
    }
}

impl<'a> Lexer<'a> {
    /// A lexer over one record (a line, a whole file in multiLine mode, or a `from_json` value).
    pub fn new(bytes: &'a [u8], dialect: Dialect) -> Self {
        let mut lx = Lexer {
            bytes,
            text: None,
            pos: 0,
            dialect,
            stack: Vec::with_capacity(8),
            started: false,
            sticky: false,
            tok: None,
            span: Span::default(),
            special: None,
            pending: None,
        };
        lx.reset(bytes);
        lx
    }

    /// Starts over on another record, keeping the allocations.
    pub fn reset(&mut self, bytes: &'a [u8]) {
        self.bytes = bytes;
        self.text = std::str::from_utf8(bytes).ok();
        self.pos = 0;
        self.stack.clear();
        self.started = false;
        self.sticky = false;
        self.tok = None;
        self.special = None;
        self.pending = None;
    }

    /// The input of the current record.
    pub fn input(&self) -> &'a [u8] {
        self.bytes
    }

    /// The current token (`None` before the first and after the end).
    pub fn token(&self) -> Option<Token> {
        self.tok
    }

    /// Jackson's `getCurrentName`: the field name the current value belongs to.
    pub fn current_name_span(&self) -> Option<Span> {
        let n = self.stack.len();
        let idx = match self.tok {
            Some(Token::StartObject) | Some(Token::StartArray) => n.checked_sub(2),
            _ => n.checked_sub(1),
        };
        idx.and_then(|i| self.stack.get(i)).and_then(|c| c.name)
    }

    /// The current field name, decoded.
    pub fn current_name(&self) -> Option<Cow<'a, str>> {
        self.current_name_span().map(|s| self.decode(s))
    }

    /// Bytes of a span (for comparing names without decoding).
    pub fn span_bytes(&self, s: Span) -> &'a [u8] {
        self.bytes.get(s.start..s.end).unwrap_or(&[])
    }

    /// True when the span decodes to itself (no escapes).
    pub fn span_is_plain(s: Span) -> bool {
        !s.escaped
    }

    /// The number text of the current `Int`/`Float` token (`NaN`, `-INF`… for the specials).
    pub fn number_text(&self) -> &'a str {
        self.slice_str(self.span.start, self.span.end)
    }

    /// The value of a `NaN`/`Infinity` literal token.
    pub fn special(&self) -> Option<f64> {
        self.special
    }

    /// The text of the current `String` token, decoded (Jackson `getText` + `UTF8String.fromString`:
    /// lone surrogates become `?`).
    pub fn text(&self) -> Cow<'a, str> {
        self.decode(self.span)
    }

    /// The raw span of the current string or number token.
    pub fn current_span(&self) -> Span {
        self.span
    }

    /// Length of the current string in UTF-16 units is ≥ 1 (Jackson `getTextLength >= 1`).
    pub fn text_non_empty(&self) -> bool {
        self.span.end > self.span.start
    }

    fn slice_str(&self, a: usize, b: usize) -> &'a str {
        match self.text {
            Some(t) => t.get(a..b).unwrap_or(""),
            None => self.bytes.get(a..b).and_then(|s| std::str::from_utf8(s).ok()).unwrap_or(""),
        }
    }

    /// Decodes a validated string span.
    pub fn decode(&self, s: Span) -> Cow<'a, str> {
        if !s.escaped {
            return Cow::Borrowed(self.slice_str(s.start, s.end));
        }
        let raw = self.slice_str(s.start, s.end);
        let mut out = String::with_capacity(raw.len());
        let mut units = Utf16Decoder::default();
        for_each_unit(raw, |u| match u {
            Unit::Char(c) => {
                units.flush(&mut out);
                out.push(c);
            }
            Unit::Utf16(u) => units.push(u, &mut out),
        });
        units.flush(&mut out);
        Cow::Owned(out)
    }

    fn err<T>(&mut self) -> Result<T, SyntaxError> {
        Err(SyntaxError)
    }

    fn fatal<T>(&mut self) -> Result<T, SyntaxError> {
        self.sticky = true;
        Err(SyntaxError)
    }

    /// Consumes the offending byte and fails (Jackson's position after `_reportUnexpectedChar`).
    fn unexpected<T>(&mut self) -> Result<T, SyntaxError> {
        self.pos += 1;
        Err(SyntaxError)
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Skips whitespace (and comments when allowed); `Ok(None)` at end of input.
    #[inline]
    fn skip_ws(&mut self) -> Result<Option<u8>, SyntaxError> {
        loop {
            let Some(b) = self.peek() else { return Ok(None) };
            if is_ws(b) {
                self.pos += 1;
                continue;
            }
            if b < 0x20 {
                return self.unexpected();
            }
            if b == b'/' && self.dialect.comments {
                self.skip_comment()?;
                continue;
            }
            return Ok(Some(b));
        }
    }

    fn skip_comment(&mut self) -> Result<(), SyntaxError> {
        match self.bytes.get(self.pos + 1) {
            Some(b'*') => {
                let rest = self.bytes.get(self.pos + 2..).unwrap_or(&[]);
                match memchr::memmem::find(rest, b"*/") {
                    Some(i) => {
                        self.pos += 2 + i + 2;
                        Ok(())
                    }
                    None => {
                        self.pos = self.bytes.len();
                        self.fatal()
                    }
                }
            }
            Some(b'/') => {
                let rest = self.bytes.get(self.pos..).unwrap_or(&[]);
                self.pos += memchr::memchr2(b'\n', b'\r', rest).unwrap_or(rest.len());
                Ok(())
            }
            _ => self.unexpected(),
        }
    }

    /// Jackson's `nextToken`. `Ok(None)` when the root value is complete or the input is empty.
    pub fn next_token(&mut self) -> Result<Option<Token>, SyntaxError> {
        if self.sticky {
            return Err(SyntaxError);
        }
        if let Some(p) = self.pending.take() {
            return self.emit_pending(p);
        }
        let Some(top) = self.stack.last().copied() else {
            if self.started {
                self.tok = None;
                return Ok(None);
            }
            self.started = true;
            if self.bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
                self.pos = 3;
            }
            return match self.skip_ws()? {
                None => {
                    self.tok = None;
                    Ok(None)
                }
                Some(b) => self.value(b),
            };
        };
        let Some(b) = self.skip_ws()? else {
            // End of input inside a container.
            return self.fatal();
        };
        if top.array {
            match top.state {
                State::Start | State::Value => {
                    if b == b']' {
                        return self.close(true);
                    }
                    self.value(b)
                }
                State::After => match b {
                    b']' => self.close(true),
                    b'}' => self.unexpected(),
                    b',' => {
                        self.pos += 1;
                        match self.skip_ws()? {
                            None => self.fatal(),
                            Some(b) => self.value(b),
                        }
                    }
                    _ => self.unexpected(),
                },
            }
        } else {
            match top.state {
                State::Start => {
                    if b == b'}' {
                        return self.close(false);
                    }
                    self.field_name(b)
                }
                State::After => match b {
                    b'}' => self.close(false),
                    b']' => self.unexpected(),
                    b',' => {
                        self.pos += 1;
                        match self.skip_ws()? {
                            None => self.fatal(),
                            Some(b) => self.field_name(b),
                        }
                    }
                    _ => self.unexpected(),
                },
                // Only reachable after an error while reading the value: read it now.
                State::Value => self.value(b),
            }
        }
    }

    fn close(&mut self, array: bool) -> Result<Option<Token>, SyntaxError> {
        let top_is_array = self.stack.last().map(|c| c.array);
        if top_is_array != Some(array) {
            return self.unexpected();
        }
        self.pos += 1;
        self.stack.pop();
        if let Some(parent) = self.stack.last_mut() {
            parent.state = State::After;
        }
        let t = if array { Token::EndArray } else { Token::EndObject };
        self.tok = Some(t);
        Ok(Some(t))
    }

    fn set_parent_after(&mut self) {
        if let Some(top) = self.stack.last_mut() {
            top.state = State::After;
        }
    }

    fn push(&mut self, array: bool) -> Result<Option<Token>, SyntaxError> {
        if self.stack.len() >= MAX_DEPTH {
            return self.fatal();
        }
        self.set_parent_after();
        self.stack.push(Ctx { array, state: State::Start, name: None });
        let t = if array { Token::StartArray } else { Token::StartObject };
        self.tok = Some(t);
        Ok(Some(t))
    }

    fn emit_pending(&mut self, p: Pending) -> Result<Option<Token>, SyntaxError> {
        match p.tok {
            Token::StartObject => self.push(false),
            Token::StartArray => self.push(true),
            t => {
                self.set_parent_after();
                self.tok = Some(t);
                self.span = p.span;
                self.special = p.special;
                Ok(Some(t))
            }
        }
    }

    /// Reads a value starting at byte `b` and makes it the current token.
    fn value(&mut self, b: u8) -> Result<Option<Token>, SyntaxError> {
        match b {
            b'{' => {
                self.pos += 1;
                self.push(false)
            }
            b'[' => {
                self.pos += 1;
                self.push(true)
            }
            _ => {
                let p = self.scalar(b)?;
                self.emit_pending(p)
            }
        }
    }

    /// Reads a scalar value (or notes a container start) at byte `b`.
    fn scalar(&mut self, b: u8) -> Result<Pending, SyntaxError> {
        match b {
            b'{' => {
                self.pos += 1;
                Ok(Pending { tok: Token::StartObject, span: Span::default(), special: None })
            }
            b'[' => {
                self.pos += 1;
                Ok(Pending { tok: Token::StartArray, span: Span::default(), special: None })
            }
            b'"' => {
                let span = self.string(b'"')?;
                Ok(Pending { tok: Token::String, span, special: None })
            }
            b'\'' if self.dialect.single_quotes => {
                let span = self.string(b'\'')?;
                Ok(Pending { tok: Token::String, span, special: None })
            }
            b'-' | b'0'..=b'9' => self.number(),
            b't' => self.literal(b"true", Token::True, None),
            b'f' => self.literal(b"false", Token::False, None),
            b'n' => self.literal(b"null", Token::Null, None),
            b'N' if self.dialect.non_numeric => self.literal(b"NaN", Token::Float, Some(f64::NAN)),
            b'I' if self.dialect.non_numeric => self.literal(b"Infinity", Token::Float, Some(f64::INFINITY)),
            b'+' if self.dialect.non_numeric => self.signed_infinity(false),
            _ => self.unexpected(),
        }
    }

    fn literal(&mut self, word: &[u8], tok: Token, special: Option<f64>) -> Result<Pending, SyntaxError> {
        let start = self.pos;
        let rest = self.bytes.get(start..).unwrap_or(&[]);
        if !rest.starts_with(word) {
            // Jackson reports the token up to the first non-identifier byte.
            let n = rest.iter().take_while(|b| b.is_ascii_alphanumeric()).count().max(1);
            self.pos += n;
            return self.err();
        }
        self.pos += word.len();
        self.check_match_end()?;
        Ok(Pending { tok, span: Span { start, end: self.pos, escaped: false, raw: false }, special })
    }

    /// Jackson `_checkMatchEnd`: a literal may not run into an identifier character.
    fn check_match_end(&mut self) -> Result<(), SyntaxError> {
        if let Some(c) = self.peek() {
            if c >= b'0' && c != b']' && c != b'}' && (c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80) {
                return self.unexpected();
            }
        }
        Ok(())
    }

    /// `+Infinity`, `+INF`, `-Infinity`, `-INF` (position on the sign).
    fn signed_infinity(&mut self, neg: bool) -> Result<Pending, SyntaxError> {
        let start = self.pos;
        let rest = self.bytes.get(start + 1..).unwrap_or(&[]);
        let word: &[u8] = if rest.starts_with(b"Infinity") {
            b"Infinity"
        } else if rest.starts_with(b"INF") {
            b"INF"
        } else {
            self.pos += 1;
            return self.unexpected();
        };
        self.pos += 1 + word.len();
        self.check_match_end()?;
        let v = if neg { f64::NEG_INFINITY } else { f64::INFINITY };
        Ok(Pending { tok: Token::Float, span: Span { start, end: self.pos, escaped: false, raw: false }, special: Some(v) })
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Pending, SyntaxError> {
        let start = self.pos;
        let mut float = false;
        if self.peek() == Some(b'-') {
            self.pos += 1;
            match self.peek() {
                Some(b'0'..=b'9') => {}
                Some(b'I') if self.dialect.non_numeric => {
                    self.pos = start;
                    return self.signed_infinity(true);
                }
                _ => return self.unexpected(),
            }
        }
        let int_start = self.pos;
        let int_len = self.digits();
        if !self.dialect.leading_zeros && int_len > 1 && self.bytes.get(int_start) == Some(&b'0') {
            self.pos = int_start + 1;
            return self.err();
        }
        if int_len > MAX_NUMBER_LEN {
            return self.fatal();
        }
        if self.peek() == Some(b'.') {
            float = true;
            self.pos += 1;
            if self.digits() == 0 {
                return self.unexpected();
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            float = true;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return self.unexpected();
            }
        }
        if float && self.pos - start > MAX_NUMBER_LEN {
            return self.fatal();
        }
        let tok = if float { Token::Float } else { Token::Int };
        Ok(Pending { tok, span: Span { start, end: self.pos, escaped: false, raw: false }, special: None })
    }

    /// Scans a quoted string starting at the quote; returns the content span.
    fn string(&mut self, quote: u8) -> Result<Span, SyntaxError> {
        let start = self.pos + 1;
        let mut i = start;
        let mut escaped = false;
        let mut non_ascii = false;
        let bytes = self.bytes;
        loop {
            // Fast path over plain bytes.
            while let Some(&b) = bytes.get(i) {
                if STRING_SPECIAL[b as usize] != 0 {
                    break;
                }
                i += 1;
            }
            let Some(&b) = bytes.get(i) else {
                self.pos = bytes.len();
                return self.fatal();
            };
            if b == quote {
                break;
            }
            match b {
                b'\\' => {
                    escaped = true;
                    let Some(&e) = bytes.get(i + 1) else {
                        self.pos = bytes.len();
                        return self.fatal();
                    };
                    match e {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => i += 2,
                        b'\'' if self.dialect.single_quotes || self.dialect.backslash_any => i += 2,
                        b'u' => {
                            let hex = bytes.get(i + 2..i + 6);
                            match hex {
                                Some(h) if h.iter().all(|&c| hex_val(c).is_some()) => i += 6,
                                _ => return self.fatal(),
                            }
                        }
                        _ if self.dialect.backslash_any && e >= 0x20 => i += 2,
                        _ => return self.fatal(),
                    }
                }
                b'"' | b'\'' => i += 1,
                _ if b >= 0x80 => {
                    non_ascii = true;
                    i += 1;
                }
                _ => {
                    // Control character.
                    if !self.dialect.unquoted_control {
                        return self.fatal();
                    }
                    i += 1;
                }
            }
        }
        if non_ascii && self.text.is_none() {
            let ok = bytes.get(start..i).map(|s| std::str::from_utf8(s).is_ok()).unwrap_or(false);
            if !ok {
                return self.fatal();
            }
        }
        self.pos = i + 1;
        Ok(Span { start, end: i, escaped, raw: false })
    }

    /// Reads a field name, the colon, and the value token that follows (Jackson reads it eagerly).
    fn field_name(&mut self, b: u8) -> Result<Option<Token>, SyntaxError> {
        let name = match b {
            b'"' => self.string(b'"')?,
            b'\'' if self.dialect.single_quotes => self.string(b'\'')?,
            _ if self.dialect.unquoted_names && (b.is_ascii_alphabetic() || b == b'_' || b == b'$') => {
                let start = self.pos;
                while let Some(c) = self.peek() {
                    if c.is_ascii_alphanumeric() || c == b'_' || c == b'$' {
                        self.pos += 1;
                    } else {
                        break;
                    }
                }
                Span { start, end: self.pos, escaped: false, raw: true }
            }
            _ => return self.unexpected(),
        };
        if let Some(top) = self.stack.last_mut() {
            top.name = Some(name);
        }
        match self.skip_ws()? {
            Some(b':') => self.pos += 1,
            None => return self.fatal(),
            Some(_) => return self.unexpected(),
        }
        let b = match self.skip_ws()? {
            Some(b) => b,
            None => return self.fatal(),
        };
        let p = self.scalar(b)?;
        if let Some(top) = self.stack.last_mut() {
            top.state = State::Value;
        }
        self.pending = Some(p);
        self.tok = Some(Token::FieldName);
        self.span = name;
        Ok(Some(Token::FieldName))
    }

    /// Jackson `skipChildren`: when on a container start, skips to its end.
    pub fn skip_children(&mut self) -> Result<(), SyntaxError> {
        match self.tok {
            Some(Token::StartObject) | Some(Token::StartArray) => {}
            _ => return Ok(()),
        }
        let mut open = 1usize;
        loop {
            match self.next_token()? {
                None => return self.fatal(),
                Some(Token::StartObject) | Some(Token::StartArray) => open += 1,
                Some(Token::EndObject) | Some(Token::EndArray) => {
                    open -= 1;
                    if open == 0 {
                        return Ok(());
                    }
                }
                Some(_) => {}
            }
        }
    }

    /// Jackson `JsonGenerator.copyCurrentStructure` into compact JSON text, as Spark produces the
    /// value of a `string` column from a non-string JSON value.
    pub fn copy_current_structure(&mut self, out: &mut String) -> Result<(), SyntaxError> {
        let Some(t) = self.tok else { return Ok(()) };
        match t {
            Token::StartObject | Token::StartArray => {
                out.push(if t == Token::StartObject { '{' } else { '[' });
                let mut first = true;
                loop {
                    let Some(n) = self.next_token()? else { return self.fatal() };
                    match n {
                        Token::EndObject => {
                            out.push('}');
                            return Ok(());
                        }
                        Token::EndArray => {
                            out.push(']');
                            return Ok(());
                        }
                        Token::FieldName => {
                            if !first {
                                out.push(',');
                            }
                            first = false;
                            self.write_current_string(out);
                            out.push(':');
                            if self.next_token()?.is_none() {
                                return self.fatal();
                            }
                            self.copy_current_structure(out)?;
                        }
                        _ => {
                            if !first {
                                out.push(',');
                            }
                            first = false;
                            self.copy_current_structure(out)?;
                        }
                    }
                }
            }
            Token::FieldName | Token::String => {
                self.write_current_string(out);
                Ok(())
            }
            Token::Int => {
                let t = self.number_text();
                // BigInteger text: only "-0" changes.
                if t.trim_start_matches('-').bytes().all(|b| b == b'0') {
                    out.push('0');
                } else {
                    out.push_str(t);
                }
                Ok(())
            }
            Token::Float => {
                let v = self.float_value();
                if v.is_finite() {
                    out.push_str(&streamlab_types::java::double_to_string(v));
                } else {
                    out.push('"');
                    out.push_str(&streamlab_types::java::double_to_string(v));
                    out.push('"');
                }
                Ok(())
            }
            Token::True => {
                out.push_str("true");
                Ok(())
            }
            Token::False => {
                out.push_str("false");
                Ok(())
            }
            Token::Null => {
                out.push_str("null");
                Ok(())
            }
            // Jackson's generator fails: there is no open container to close.
            Token::EndObject | Token::EndArray => Err(SyntaxError),
        }
    }

    /// `getDoubleValue` of the current number token.
    pub fn float_value(&self) -> f64 {
        if let Some(v) = self.special {
            return v;
        }
        self.number_text().parse::<f64>().unwrap_or(f64::NAN)
    }

    /// Writes the current string/name token as Jackson's UTF-8 generator does: double quotes,
    /// `\"`, `\\`, `\n`-style escapes, `\u00XX` for other control characters, and every UTF-16
    /// surrogate (so any character above U+FFFF) as an uppercase `\uXXXX` escape.
    fn write_current_string(&self, out: &mut String) {
        let s = self.span;
        let raw = self.slice_str(s.start, s.end);
        out.push('"');
        if !s.escaped {
            for c in raw.chars() {
                jackson_escape_char(c, out);
            }
        } else {
            for_each_unit(raw, |u| match u {
                Unit::Char(c) => jackson_escape_char(c, out),
                Unit::Utf16(u) => match char::from_u32(u32::from(u)) {
                    Some(c) => jackson_escape_char(c, out),
                    None => push_u_escape(u, out),
                },
            });
        }
        out.push('"');
    }
}

fn push_u_escape(u: u16, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push_str("\\u");
    for shift in [12u16, 8, 4, 0] {
        out.push(char::from(HEX[usize::from((u >> shift) & 0xF)]));
    }
}

/// One character as Jackson's generator writes it inside a string.
pub fn jackson_escape_char(c: char, out: &mut String) {
    match c {
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        '\u{08}' => out.push_str("\\b"),
        '\t' => out.push_str("\\t"),
        '\u{0C}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        c if (c as u32) < 0x20 => push_u_escape(c as u16, out),
        c if (c as u32) > 0xFFFF => {
            let mut buf = [0u16; 2];
            for u in c.encode_utf16(&mut buf) {
                push_u_escape(*u, out);
            }
        }
        c => out.push(c),
    }
}

enum Unit {
    Char(char),
    Utf16(u16),
}

/// Walks a validated escaped string: plain characters and the UTF-16 units of escapes.
fn for_each_unit(raw: &str, mut f: impl FnMut(Unit)) {
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            f(Unit::Char(c));
            continue;
        }
        let Some(e) = chars.next() else { return };
        let c = match e {
            'b' => '\u{08}',
            'f' => '\u{0C}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'u' => {
                let mut v: u16 = 0;
                for _ in 0..4 {
                    let d = chars.next().and_then(|h| u8::try_from(h).ok()).and_then(hex_val).unwrap_or(0);
                    v = (v << 4) | d;
                }
                f(Unit::Utf16(v));
                continue;
            }
            other => other,
        };
        f(Unit::Char(c));
    }
}

/// Joins UTF-16 units from `\u` escapes; unpaired surrogates become `?` (Java's UTF-8 encoder).
#[derive(Default)]
struct Utf16Decoder {
    high: Option<u16>,
}

impl Utf16Decoder {
    fn push(&mut self, u: u16, out: &mut String) {
        if (0xD800..0xDC00).contains(&u) {
            self.flush(out);
            self.high = Some(u);
        } else if (0xDC00..0xE000).contains(&u) {
            match self.high.take() {
                Some(h) => {
                    let cp = 0x10000 + ((u32::from(h) - 0xD800) << 10) + (u32::from(u) - 0xDC00);
                    out.push(char::from_u32(cp).unwrap_or('?'));
                }
                None => out.push('?'),
            }
        } else {
            self.flush(out);
            out.push(char::from_u32(u32::from(u)).unwrap_or('?'));
        }
    }

    fn flush(&mut self, out: &mut String) {
        if self.high.take().is_some() {
            out.push('?');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(s: &str) -> Vec<Result<Option<Token>, SyntaxError>> {
        let mut lx = Lexer::new(s.as_bytes(), Dialect::default());
        let mut v = vec![];
        for _ in 0..20 {
            let t = lx.next_token();
            let stop = matches!(t, Ok(None) | Err(_));
            v.push(t);
            if stop {
                break;
            }
        }
        v
    }

    #[test]
    fn object_tokens() {
        use Token::*;
        let t = tokens(r#"{"a":1,"b":[true,null],"c":'x'} tail"#);
        let want = vec![StartObject, FieldName, Int, FieldName, StartArray, True, Null, EndArray, FieldName, String, EndObject];
        let got: Vec<Token> = t.iter().filter_map(|r| r.ok().flatten()).collect();
        assert_eq!(got, want);
        assert_eq!(t.last(), Some(&Ok(None)));
    }

    #[test]
    fn bad_inputs_fail() {
        for s in [r#"{"a":01}"#, r#"{"a":1,}"#, r#"{a:1}"#, "{\"s\":\"a\tb\"}", r#"{"a":+1}"#, r#"{"a":.5}"#, r#"{"s":"\q"}"#, r#"{"a":1"#] {
            assert!(tokens(s).iter().any(|r| r.is_err()), "{s}");
        }
    }

    #[test]
    fn strings_decode_like_java() {
        let mut lx = Lexer::new(br#""\ud83d\ude00|\ude00|\u00e9\n""#, Dialect::default());
        assert_eq!(lx.next_token(), Ok(Some(Token::String)));
        assert_eq!(lx.text(), "😀|?|é\n");
        let mut out = String::new();
        lx.copy_current_structure(&mut out).unwrap();
        assert_eq!(out, r#""\uD83D\uDE00|\uDE00|é\n""#);
    }

    #[test]
    fn copy_normalizes_numbers() {
        let mut lx = Lexer::new(br#"{"k": 1.0, "j" : -0.0, "m":[1E2,100,1.5e-5,-0, NaN]}"#, Dialect::default());
        lx.next_token().unwrap();
        let mut out = String::new();
        lx.copy_current_structure(&mut out).unwrap();
        assert_eq!(out, r#"{"k":1.0,"j":-0.0,"m":[100.0,100,1.5E-5,0,"NaN"]}"#);
    }
}
