//! A model of Spark's legacy parser (`java.text.SimpleDateFormat`, non-lenient, `Locale.US`).
//!
//! Spark 3.5's default `spark.sql.legacy.timeParserPolicy=EXCEPTION` re-parses text that the new
//! parser rejects with the legacy one; if that succeeds, the query fails with a
//! `SparkUpgradeException` instead of returning `null`. Only success or failure matters here.

use super::compile::{legacy_tokens, LegacyToken};
use crate::time::civil::days_in_month;

const MONTHS: [&str; 12] = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
];
const DAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/// Case-insensitive `regionMatches` of the longest name (long names first, then short ones).
fn match_name(text: &[char], pos: usize, names: &[&str], short: bool) -> Option<(i64, usize)> {
    let mut best: Option<(i64, usize)> = None;
    for (i, n) in names.iter().enumerate() {
        let cands: Vec<String> = if short {
            vec![n.to_string(), n.chars().take(3).collect()]
        } else {
            vec![n.to_string()]
        };
        for c in cands {
            let len = c.chars().count();
            let ok = text.get(pos..pos + len).is_some_and(|t| {
                t.iter().zip(c.chars()).all(|(a, b)| a.to_lowercase().eq(b.to_lowercase()))
            });
            if ok && best.is_none_or(|(_, l)| len > l) {
                best = Some((i as i64, len));
            }
        }
    }
    best.map(|(v, len)| (v, pos + len))
}

/// `DecimalFormat` integer parse: optional `-`, digits (at most `limit` chars when obeying counts).
fn number(text: &[char], pos: usize, limit: Option<usize>) -> Option<(i64, usize)> {
    let end = match limit {
        Some(n) => (pos + n).min(text.len()),
        None => text.len(),
    };
    let mut p = pos;
    let negative = text.get(p) == Some(&'-') && p < end;
    if negative {
        p += 1;
    }
    let start = p;
    let mut v: i64 = 0;
    while p < end && text.get(p).is_some_and(char::is_ascii_digit) {
        v = v.saturating_mul(10).saturating_add(i64::from(text[p] as u8 - b'0'));
        p += 1;
    }
    if p == start {
        return None;
    }
    Some((if negative { -v } else { v }, p))
}

/// Time-zone text for `z`/`Z`/`X`: `Z` (X only), `±hh[:]mm`, `±hh`, `GMT`/`UTC` with an offset.
fn zone(text: &[char], pos: usize, iso: bool) -> Option<usize> {
    let mut p = pos;
    if iso && text.get(p) == Some(&'Z') {
        return Some(p + 1);
    }
    if !iso {
        for name in ["GMT", "UTC", "UT"] {
            if let Some((_, e)) = match_name(text, p, &[name], false) {
                p = e;
                if !matches!(text.get(p), Some('+') | Some('-')) {
                    return Some(p);
                }
                break;
            }
        }
    }
    if !matches!(text.get(p), Some('+') | Some('-')) {
        return None;
    }
    p += 1;
    let digits = |from: usize| (from..).take_while(|i| text.get(*i).is_some_and(char::is_ascii_digit)).count();
    let d = digits(p);
    if d == 0 || d > 4 {
        return None;
    }
    p += d;
    if d <= 2 && text.get(p) == Some(&':') {
        let m = digits(p + 1);
        if m == 2 {
            p += 3;
        }
    }
    Some(p)
}

/// Whether the legacy parser accepts `s` with `pattern` (trailing text is allowed, as in
/// `DateFormat.parse(String)`).
pub fn legacy_parses(s: &str, pattern: &str) -> bool {
    legacy_parse(s, pattern).is_some()
}

fn legacy_parse(s: &str, pattern: &str) -> Option<()> {
    let tokens = legacy_tokens(pattern)?;
    let text: Vec<char> = s.chars().collect();
    let mut pos = 0usize;
    let (mut year, mut month, mut day) = (None::<i64>, None::<i64>, None::<i64>);
    let mut doy = None::<i64>;
    let mut era_bc = false;
    for (i, tok) in tokens.iter().enumerate() {
        match tok {
            LegacyToken::Literal(lit) => {
                for c in lit.chars() {
                    if text.get(pos) != Some(&c) {
                        return None;
                    }
                    pos += 1;
                }
            }
            LegacyToken::Field(letter, count) => {
                let (letter, count) = (*letter, *count);
                while matches!(text.get(pos), Some(' ') | Some('\t')) {
                    pos += 1;
                }
                if pos >= text.len() {
                    return None;
                }
                let obey = matches!(tokens.get(i + 1), Some(LegacyToken::Field(..)));
                let limit = obey.then_some(count);
                match letter {
                    'G' => {
                        let (v, e) = match_name(&text, pos, &["BC", "AD"], false)?;
                        era_bc = v == 0;
                        pos = e;
                    }
                    'M' | 'L' if count >= 3 => {
                        let (v, e) = match_name(&text, pos, &MONTHS, true)?;
                        month = Some(v + 1);
                        pos = e;
                    }
                    'E' => {
                        let (_, e) = match_name(&text, pos, &DAYS, true)?;
                        pos = e;
                    }
                    'a' => {
                        let (_, e) = match_name(&text, pos, &["AM", "PM"], false)?;
                        pos = e;
                    }
                    'z' | 'Z' => pos = zone(&text, pos, false)?,
                    'X' => pos = zone(&text, pos, true)?,
                    _ => {
                        let (v, e) = number(&text, pos, limit)?;
                        let width = e - pos;
                        pos = e;
                        let ok = match letter {
                            'y' => {
                                year = Some(v);
                                v >= 1 || (count <= 2 && width == 2)
                            }
                            'M' | 'L' => {
                                month = Some(v);
                                (1..=12).contains(&v)
                            }
                            'd' => {
                                day = Some(v);
                                (1..=31).contains(&v)
                            }
                            'D' => {
                                doy = Some(v);
                                (1..=366).contains(&v)
                            }
                            'H' => (0..=23).contains(&v),
                            'k' => (1..=24).contains(&v),
                            'K' => (0..=11).contains(&v),
                            'h' => (1..=12).contains(&v),
                            'm' | 's' => (0..=59).contains(&v),
                            'S' => (0..=999).contains(&v),
                            'u' => (1..=7).contains(&v),
                            'F' => (1..=6).contains(&v),
                            'w' => (1..=53).contains(&v),
                            'W' => (0..=6).contains(&v),
                            _ => v >= 0,
                        };
                        if !ok {
                            return None;
                        }
                    }
                }
            }
        }
    }
    if pos == 0 && !text.is_empty() {
        return None;
    }
    let y = year.unwrap_or(1970);
    let y = if era_bc { 1 - y } else { y };
    if y > 292_278_994 {
        return None;
    }
    if let (Some(m), Some(d)) = (month, day) {
        let m = u32::try_from(m).ok()?;
        if d > i64::from(days_in_month(y, m)) {
            return None;
        }
    } else if let Some(d) = day {
        if d > 31 {
            return None;
        }
    }
    if let Some(d) = doy {
        if d == 366 && !crate::time::civil::is_leap(y) {
            return None;
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::legacy_parses;

    #[test]
    fn legacy_is_more_forgiving() {
        assert!(legacy_parses("2015-2-23", "yyyy-MM-dd"));
        assert!(legacy_parses("2015-02-23 13:03:51", "yyyy-MM-dd"));
        assert!(legacy_parses(" 2015-02-23", "yyyy-MM-dd"));
        assert!(!legacy_parses("2015-02-30", "yyyy-MM-dd"));
        assert!(!legacy_parses("2015-02-23 24:00:00", "yyyy-MM-dd HH:mm:ss"));
        assert!(!legacy_parses("abc", "yyyy-MM-dd"));
        assert!(!legacy_parses("2015-02-23 13:03:51.9145", "yyyy-MM-dd HH:mm:ss.SSS"));
        assert!(legacy_parses("2015-02-23 13:03:51.914", "yyyy-MM-dd HH:mm:ss.SS"));
    }
}
