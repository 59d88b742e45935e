//! Tokens of Spark SQL expression text (`SqlBaseLexer`, case-insensitive).

use streamlab_types::Result;

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    /// A bare word (`a`, `AND`, `cast`) or, when `quoted`, a back-quoted name.
    Ident { text: String, quoted: bool },
    /// A number as written (`1`, `1.5`, `1e9`, `10L`, `.5D`).
    Number(String),
    /// A string literal, unescaped.
    Str(String),
    /// An operator or punctuation (`+`, `<=>`, `(`).
    Sym(&'static str),
    /// End of input.
    Eof,
}

/// A token and where it starts (char offset into the text).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub tok: Tok,
    pub start: usize,
    /// The text as written, for error messages.
    pub text: String,
}

impl Token {
    /// Whether the token is the bare keyword `kw` (case-insensitive).
    pub fn is_kw(&self, kw: &str) -> bool {
        matches!(&self.tok, Tok::Ident { text, quoted: false } if text.eq_ignore_ascii_case(kw))
    }

    /// Whether the token is the symbol `s`.
    pub fn is_sym(&self, s: &str) -> bool {
        matches!(&self.tok, Tok::Sym(x) if *x == s)
    }
}

const SYMBOLS: [&str; 29] = [
    "<=>", "==", "!=", "<>", "<=", ">=", "||", "::", "->", ":", "=", "<", ">", "+", "-", "*", "/", "%", "(", ")", ",", ".",
    "[", "]", "!", "&", "|", "^", "~",
];

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Splits `sql` into tokens, ending with [`Tok::Eof`]. An unterminated string or back-quote is a
/// syntax error at its opening quote, as in Spark.
pub(crate) fn tokenize(sql: &str) -> Result<Vec<Token>> {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        // Comments: `-- …` to end of line, `/* … */`.
        if c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '/' && chars.get(i + 1) == Some(&'*') {
            let start = i;
            i += 2;
            loop {
                if i + 1 >= chars.len() {
                    return Err(super::error::syntax_error(sql, start, "'/'"));
                }
                if chars[i] == '*' && chars[i + 1] == '/' {
                    i += 2;
                    break;
                }
                i += 1;
            }
            continue;
        }
        let start = i;
        if c == '\'' || c == '"' {
            let (s, end) = lex_string(&chars, i).ok_or_else(|| super::error::syntax_error(sql, start, &format!("'{}'", c)))?;
            out.push(Token { tok: Tok::Str(s), start, text: chars[start..end].iter().collect() });
            i = end;
            continue;
        }
        if c == '`' {
            let mut name = String::new();
            let mut j = i + 1;
            let mut closed = false;
            while j < chars.len() {
                if chars[j] == '`' {
                    if chars.get(j + 1) == Some(&'`') {
                        name.push('`');
                        j += 2;
                        continue;
                    }
                    closed = true;
                    j += 1;
                    break;
                }
                name.push(chars[j]);
                j += 1;
            }
            if !closed {
                return Err(super::error::syntax_error(sql, start, "'`'"));
            }
            out.push(Token { tok: Tok::Ident { text: name, quoted: true }, start, text: chars[start..j].iter().collect() });
            i = j;
            continue;
        }
        if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit())) {
            if let Some(end) = number_end(&chars, i) {
                let text: String = chars[i..end].iter().collect();
                out.push(Token { tok: Tok::Number(text.clone()), start, text });
                i = end;
                continue;
            }
        }
        if is_ident_char(c) {
            let mut j = i;
            while j < chars.len() && is_ident_char(chars[j]) {
                j += 1;
            }
            let text: String = chars[i..j].iter().collect();
            out.push(Token { tok: Tok::Ident { text: text.clone(), quoted: false }, start, text });
            i = j;
            continue;
        }
        let rest: String = chars[i..chars.len().min(i + 3)].iter().collect();
        match SYMBOLS.iter().find(|s| rest.starts_with(**s)) {
            Some(s) => {
                out.push(Token { tok: Tok::Sym(s), start, text: s.to_string() });
                i += s.chars().count();
            }
            None => return Err(super::error::syntax_error(sql, start, &format!("'{}'", c))),
        }
    }
    out.push(Token { tok: Tok::Eof, start: chars.len(), text: String::new() });
    Ok(out)
}

/// The end of a number token starting at `i`, or `None` when the word is an identifier
/// (`1a`). Forms: `DIGITS`, `DIGITS.DIGITS*`, `.DIGITS`, an optional exponent `E[+-]DIGITS`, and
/// an optional suffix `L S Y D F BD` (case-insensitive).
fn number_end(chars: &[char], i: usize) -> Option<usize> {
    let mut j = i;
    let digits = |j: &mut usize| {
        let s = *j;
        while *j < chars.len() && chars[*j].is_ascii_digit() {
            *j += 1;
        }
        *j > s
    };
    let int_part = digits(&mut j);
    let mut decimal = false;
    if j < chars.len() && chars[j] == '.' {
        let save = j;
        j += 1;
        let frac = digits(&mut j);
        if !int_part && !frac {
            j = save;
        } else {
            decimal = true;
        }
    }
    if !int_part && !decimal {
        return None;
    }
    if j < chars.len() && (chars[j] == 'e' || chars[j] == 'E') {
        let save = j;
        j += 1;
        if j < chars.len() && (chars[j] == '+' || chars[j] == '-') {
            j += 1;
        }
        if !digits(&mut j) {
            j = save;
        }
    }
    let upper = |k: usize| chars.get(k).map(|c| c.to_ascii_uppercase());
    let plain_integer = chars[i..j].iter().all(|c| c.is_ascii_digit());
    match upper(j) {
        Some('B') if upper(j + 1) == Some('D') => j += 2,
        Some('D') | Some('F') => j += 1,
        Some('L') | Some('S') | Some('Y') if plain_integer => j += 1,
        _ => {}
    }
    if j < chars.len() && is_ident_char(chars[j]) {
        // `1abc` is an identifier unless a decimal point made it a number (`1.5abc` fails later).
        if decimal {
            return Some(j);
        }
        return None;
    }
    Some(j)
}

/// Lexes a quoted string at `i`; returns the unescaped text and the index after the closing
/// quote.
fn lex_string(chars: &[char], i: usize) -> Option<(String, usize)> {
    let q = chars[i];
    let mut j = i + 1;
    let mut raw = String::new();
    while j < chars.len() {
        let c = chars[j];
        if c == '\\' && j + 1 < chars.len() {
            raw.push(c);
            raw.push(chars[j + 1]);
            j += 2;
            continue;
        }
        if c == q {
            return Some((unescape(&raw), j + 1));
        }
        raw.push(c);
        j += 1;
    }
    None
}

/// Spark's `unescapeSQLString` on the text between the quotes.
pub(crate) fn unescape(raw: &str) -> String {
    let chars: Vec<char> = raw.chars().collect();
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c != '\\' || i + 1 >= chars.len() {
            out.push(c);
            i += 1;
            continue;
        }
        let n = chars[i + 1];
        // \uXXXX
        if n == 'u' && i + 6 <= chars.len() {
            let hex: String = chars[i + 2..i + 6].iter().collect();
            if let Some(ch) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                out.push(ch);
                i += 6;
                continue;
            }
        }
        // \ddd octal, first digit 0-3
        if i + 4 <= chars.len() && ('0'..='3').contains(&n) && chars[i + 2].is_digit(8) && chars[i + 3].is_digit(8) {
            let oct: String = chars[i + 1..i + 4].iter().collect();
            if let Some(ch) = u32::from_str_radix(&oct, 8).ok().and_then(char::from_u32) {
                out.push(ch);
                i += 4;
                continue;
            }
        }
        match n {
            '0' => out.push('\u{0000}'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            'b' => out.push('\u{0008}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'Z' => out.push('\u{001A}'),
            '\\' => out.push('\\'),
            '%' => out.push_str("\\%"),
            '_' => out.push_str("\\_"),
            other => out.push(other),
        }
        i += 2;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        tokenize(s).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn numbers_strings_and_symbols() {
        assert_eq!(
            toks("a<=>1e9 'x\\'y'"),
            vec![
                Tok::Ident { text: "a".into(), quoted: false },
                Tok::Sym("<=>"),
                Tok::Number("1e9".into()),
                Tok::Str("x'y".into()),
                Tok::Eof
            ]
        );
        assert_eq!(toks("10L")[0], Tok::Number("10L".into()));
        assert_eq!(toks("1.5BD")[0], Tok::Number("1.5BD".into()));
        assert_eq!(toks(".5")[0], Tok::Number(".5".into()));
        assert_eq!(toks("1abc")[0], Tok::Ident { text: "1abc".into(), quoted: false });
        assert_eq!(toks("`a``b`")[0], Tok::Ident { text: "a`b".into(), quoted: true });
    }

    #[test]
    fn unterminated_string_is_an_error() {
        assert!(tokenize("'abc").is_err());
    }
}
