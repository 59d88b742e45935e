//! Tokens of Spark's SQL lexer (`SqlBaseLexer.g4`), as far as DDL strings need them.

/// Token kinds the DDL grammar distinguishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A word: an identifier or any keyword (all keywords are non-reserved by default).
    Word,
    /// `` `name` `` (text holds the unquoted name).
    Quoted,
    /// Digits only (`INTEGER_VALUE`).
    Integer,
    /// Another numeric literal (`10L`, `1.5`, `1E3`).
    Number,
    /// `'…'` or `"…"` (text holds the unescaped value).
    Str,
    Lt,
    Gt,
    Neq,
    Comma,
    Colon,
    LParen,
    RParen,
    Minus,
    /// Any other symbol or an unrecognized character.
    Other,
    Eof,
}

/// One token with its source text and position.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub kind: Kind,
    /// The value: upper-cased-insensitive words keep their original case; quoted forms are unquoted.
    pub text: String,
    /// The exact source text (for error messages).
    pub raw: String,
    /// 1-based line.
    pub line: usize,
    /// 0-based character position in the line.
    pub pos: usize,
}

impl Token {
    /// Whether this is the keyword `kw` (case-insensitive).
    pub fn is_kw(&self, kw: &str) -> bool {
        self.kind == Kind::Word && self.text.eq_ignore_ascii_case(kw)
    }

    /// ANTLR's `getTokenErrorDisplay` as Spark shows it.
    pub fn display(&self) -> String {
        if self.kind == Kind::Eof {
            "end of input".to_string()
        } else {
            let t = self.raw.replace('\n', "\\n").replace('\r', "\\r").replace('\t', "\\t");
            format!("'{t}'")
        }
    }
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Splits `s` into tokens (whitespace and comments dropped), ending with `Eof`.
pub fn tokenize(s: &str) -> Vec<Token> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line, mut col) = (0usize, 1usize, 0usize);
    // Advances over chars[i..j], tracking line/column.
    let advance = |i: &mut usize, j: usize, line: &mut usize, col: &mut usize| {
        while *i < j {
            if chars[*i] == '\n' {
                *line += 1;
                *col = 0;
            } else {
                *col += 1;
            }
            *i += 1;
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let (start_line, start_col) = (line, col);
        let mut j = i + 1;
        let kind;
        let mut text: Option<String> = None;
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            advance(&mut i, j, &mut line, &mut col);
            continue;
        }
        if c == '-' && chars.get(i + 1) == Some(&'-') {
            while j < chars.len() && chars[j] != '\n' {
                j += 1;
            }
            advance(&mut i, j, &mut line, &mut col);
            continue;
        }
        if c == '/' && chars.get(i + 1) == Some(&'*') {
            let mut depth = 1;
            j = i + 2;
            while j < chars.len() && depth > 0 {
                if chars[j] == '*' && chars.get(j + 1) == Some(&'/') {
                    depth -= 1;
                    j += 2;
                } else if chars[j] == '/' && chars.get(j + 1) == Some(&'*') {
                    depth += 1;
                    j += 2;
                } else {
                    j += 1;
                }
            }
            if depth == 0 {
                advance(&mut i, j, &mut line, &mut col);
                continue;
            }
            j = i + 1;
            kind = Kind::Other;
        } else if is_word_char(c) {
            while j < chars.len() && is_word_char(chars[j]) {
                j += 1;
            }
            let word: String = chars[i..j].iter().collect();
            kind = number_kind(&word);
        } else if c == '`' {
            let mut name = String::new();
            let mut k = i + 1;
            let mut closed = false;
            while k < chars.len() {
                if chars[k] == '`' {
                    if chars.get(k + 1) == Some(&'`') {
                        name.push('`');
                        k += 2;
                        continue;
                    }
                    closed = true;
                    break;
                }
                name.push(chars[k]);
                k += 1;
            }
            if closed {
                j = k + 1;
                kind = Kind::Quoted;
                text = Some(name);
            } else {
                kind = Kind::Other;
            }
        } else if c == '\'' || c == '"' {
            match string_literal(&chars, i, c) {
                Some((end, value)) => {
                    j = end;
                    kind = Kind::Str;
                    text = Some(value);
                }
                None => kind = Kind::Other,
            }
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let three: String = chars[i..(i + 3).min(chars.len())].iter().collect();
            if three == "<=>" {
                j = i + 3;
                kind = Kind::Other;
            } else if two == "<>" {
                j = i + 2;
                kind = Kind::Neq;
            } else if ["<=", ">=", "!=", "==", "=>", "->", "||"].contains(&two.as_str()) {
                j = i + 2;
                kind = Kind::Other;
            } else {
                kind = match c {
                    '<' => Kind::Lt,
                    '>' => Kind::Gt,
                    ',' => Kind::Comma,
                    ':' => Kind::Colon,
                    '(' => Kind::LParen,
                    ')' => Kind::RParen,
                    '-' => Kind::Minus,
                    _ => Kind::Other,
                };
            }
        }
        let raw: String = chars[i..j].iter().collect();
        out.push(Token { kind, text: text.unwrap_or_else(|| raw.clone()), raw, line: start_line, pos: start_col });
        advance(&mut i, j, &mut line, &mut col);
    }
    out.push(Token { kind: Kind::Eof, text: String::new(), raw: String::new(), line, pos: col });
    out
}

/// Classifies a run of `[A-Za-z0-9_]`: integer, other numeric literal or word.
fn number_kind(word: &str) -> Kind {
    let digits = word.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 {
        return Kind::Word;
    }
    if digits == word.len() {
        return Kind::Integer;
    }
    let rest = word[digits..].to_ascii_uppercase();
    if ["L", "S", "Y", "D", "F", "BD"].contains(&rest.as_str()) {
        return Kind::Number;
    }
    if let Some(exp) = rest.strip_prefix('E') {
        let exp = exp.trim_end_matches(['D', 'F']);
        if !exp.is_empty() && exp.chars().all(|c| c.is_ascii_digit()) {
            return Kind::Number;
        }
    }
    Kind::Word
}

/// A `'…'`/`"…"` literal starting at `i`; returns the end index and the unescaped value.
fn string_literal(chars: &[char], i: usize, quote: char) -> Option<(usize, String)> {
    let mut k = i + 1;
    let mut value = String::new();
    while k < chars.len() {
        let c = chars[k];
        if c == quote {
            return Some((k + 1, value));
        }
        if c == '\\' {
            let n = *chars.get(k + 1)?;
            match n {
                'n' => value.push('\n'),
                't' => value.push('\t'),
                'r' => value.push('\r'),
                'b' => value.push('\u{8}'),
                '0' => value.push('\0'),
                'Z' => value.push('\u{1A}'),
                '%' => value.push_str("\\%"),
                '_' => value.push_str("\\_"),
                other => value.push(other),
            }
            k += 2;
            continue;
        }
        value.push(c);
        k += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        let t = tokenize("a array<int>, `x``y` dec(3,1) comment 'c\\'d'\n b");
        let kinds: Vec<Kind> = t.iter().map(|t| t.kind).collect();
        use Kind::*;
        assert_eq!(
            kinds,
            vec![Word, Word, Lt, Word, Gt, Comma, Quoted, Word, LParen, Integer, Comma, Integer, RParen, Word, Str, Word, Eof]
        );
        assert_eq!(t[6].text, "x`y");
        assert_eq!(t[14].text, "c'd");
        assert_eq!((t[15].line, t[15].pos), (2, 1));
        assert_eq!(tokenize("")[0].display(), "end of input");
    }
}
