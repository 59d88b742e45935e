//! File URIs as Spark writes them into logs (`Path.toUri.toString`), and back.

use std::fmt::Write as _;

use streamlab_types::{Result, SparkError};

/// Whether Java's `URI` keeps `c` unescaped in a path: ASCII letters and digits,
/// `-_.!~*'()`, `,;:$&+=`, `/` and `@`, and any non-ASCII character that is neither an ISO
/// control nor a Unicode space (`Character.isSpaceChar`: categories Zs, Zl, Zp).
fn keep(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' => true,
        '-' | '_' | '.' | '!' | '~' | '*' | '\'' | '(' | ')' => true,
        ',' | ';' | ':' | '$' | '&' | '+' | '=' | '/' | '@' => true,
        c if c.is_ascii() => false,
        '\u{80}'..='\u{9f}' => false,
        '\u{a0}' | '\u{1680}' | '\u{2000}'..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => false,
        _ => true,
    }
}

/// The `file:///…` URI Spark logs for a file at absolute path `absolute` (the source log's
/// `path`, the sink log's `path`): characters Java's `URI` does not allow in a path are
/// percent-encoded as UTF-8 bytes (a space is `%20`, `%` is `%25`, `#` is `%23`), non-ASCII
/// letters stay as they are. Observed with Spark 3.5.9 on such file names.
///
/// ```
/// use streamlab_checkpoint::file_uri;
/// assert_eq!(file_uri("/in/part-00000.json"), "file:///in/part-00000.json");
/// assert_eq!(file_uri("/in dir/x y%z é.json"), "file:///in%20dir/x%20y%25z%20é.json");
/// assert_eq!(file_uri("/a#b?c[d]+&=@!'(),;$~*:"), "file:///a%23b%3Fc%5Bd%5D+&=@!'(),;$~*:");
/// ```
pub fn file_uri(absolute: &str) -> String {
    let mut out = String::with_capacity(absolute.len() + 8);
    out.push_str("file://");
    for c in absolute.chars() {
        if keep(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// The absolute path a logged `file:` URI stands for: the inverse of [`file_uri`], also
/// accepting `file:/…` (no authority), as Hadoop's `Path` does.
///
/// ```
/// use streamlab_checkpoint::path_of_uri;
/// assert_eq!(path_of_uri("file:///in%20dir/a.json").unwrap(), "/in dir/a.json");
/// assert_eq!(path_of_uri("file:/in/a.json").unwrap(), "/in/a.json");
/// assert!(path_of_uri("hdfs://nn/x").is_err());
/// assert!(path_of_uri("file:///bad%zz").is_err());
/// ```
pub fn path_of_uri(uri: &str) -> Result<String> {
    let bad = || SparkError::illegal_argument(format!("Not a local file URI: {uri}"));
    let rest = uri.strip_prefix("file:").ok_or_else(bad)?;
    let path = match rest.strip_prefix("//") {
        Some(after) if after.starts_with('/') => after,
        Some(_) => return Err(bad()),
        None => rest,
    };
    if !path.starts_with('/') {
        return Err(bad());
    }
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok()).ok_or_else(bad)?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| bad())?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_spark_on_odd_names() {
        // Names and URIs from a Spark 3.5.9 file source log.
        assert_eq!(
            file_uri("/in/a b#c?d[e]f{g}h^i`j|k+l&m=n@o!p'q(r),s;t$u~v*w\"x<y>z%.json"),
            "file:///in/a%20b%23c%3Fd%5Be%5Df%7Bg%7Dh%5Ei%60j%7Ck+l&m=n@o!p'q(r),s;t$u~v*w%22x%3Cy%3Ez%25.json"
        );
        assert_eq!(file_uri("/in/tab\there\u{a0}nb\u{2028}lsé中.json"), "file:///in/tab%09here%C2%A0nb%E2%80%A8lsé中.json");
        assert_eq!(file_uri("/in/colon:x.json"), "file:///in/colon:x.json");
    }

    #[test]
    fn round_trips() {
        for p in ["/a b/c%d/é\u{3000}\\x", "/", "/x\u{7f}\u{85}"] {
            assert_eq!(path_of_uri(&file_uri(p)).unwrap(), p);
        }
        for bad in ["file://host/x", "file:x", "file:///%", "file:///%f", "file:///%ff"] {
            assert!(path_of_uri(bad).is_err(), "{bad}");
        }
    }
}
