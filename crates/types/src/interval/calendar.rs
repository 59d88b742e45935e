//! `CalendarInterval` and Spark's `IntervalUtils.stringToInterval`.

use crate::error::{Result, SparkError};
use std::fmt;

/// Spark's `CalendarInterval`: months, days and microseconds kept apart (a month or a day has no
/// fixed length).
///
/// Why: windows, watermarks and triggers are given as interval strings; Spark rejects windows with
/// months, so callers need the parts separately. `Display` prints `CalendarInterval.toString`
/// (`1 days 2 hours`, `0.5 seconds`, `0 seconds`), as `show()` does.
///
/// ```
/// use streamlab_types::interval::CalendarInterval;
/// let i = CalendarInterval { months: 14, days: 3, microseconds: 7_200_500_000 };
/// assert_eq!(i.to_string(), "1 years 2 months 3 days 2 hours 0.5 seconds");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct CalendarInterval {
    /// Whole months (a year is 12).
    pub months: i32,
    /// Whole days (a week is 7).
    pub days: i32,
    /// Everything below a day, in microseconds.
    pub microseconds: i64,
}

impl fmt::Display for CalendarInterval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.months == 0 && self.days == 0 && self.microseconds == 0 {
            return f.write_str("0 seconds");
        }
        let mut parts: Vec<String> = Vec::new();
        let mut unit = |v: i64, name: &str| {
            if v != 0 {
                parts.push(format!("{v} {name}"));
            }
        };
        if self.months != 0 {
            unit(i64::from(self.months / 12), "years");
            unit(i64::from(self.months % 12), "months");
        }
        unit(i64::from(self.days), "days");
        if self.microseconds != 0 {
            let mut rest = self.microseconds;
            unit(rest / 3_600_000_000, "hours");
            rest %= 3_600_000_000;
            unit(rest / 60_000_000, "minutes");
            rest %= 60_000_000;
            if rest != 0 {
                parts.push(format!("{} seconds", seconds_text(rest)));
            }
        }
        f.write_str(&parts.join(" "))
    }
}

/// `BigDecimal.valueOf(micros, 6).stripTrailingZeros().toPlainString()`.
fn seconds_text(micros: i64) -> String {
    let sign = if micros < 0 { "-" } else { "" };
    let abs = micros.unsigned_abs();
    let whole = abs / 1_000_000;
    let frac = format!("{:06}", abs % 1_000_000);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{frac}")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Prefix,
    TrimBeforeSign,
    Sign,
    TrimBeforeValue,
    Value,
    ValueFractionalPart,
    TrimBeforeUnit,
    UnitBegin,
    UnitSuffix,
    UnitEnd,
}

/// Java `Character.isWhitespace` on one byte (non-ASCII bytes are negative in Java, never space).
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | 0x1c..=0x1f)
}

/// Java's `\s` (ASCII whitespace) used by `split("\\s+")`.
fn is_regex_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{0b}' | '\u{0c}' | '\r')
}

/// Java `String.split("\\s+")`: leading empty string kept, trailing empties removed.
fn split_ws(s: &str) -> Vec<&str> {
    if s.is_empty() {
        return vec![""];
    }
    let mut parts: Vec<&str> = Vec::new();
    let mut start = 0;
    let mut in_space = false;
    let mut space_start = 0;
    for (idx, c) in s.char_indices() {
        if is_regex_space(c) {
            if !in_space {
                in_space = true;
                space_start = idx;
            }
        } else if in_space {
            parts.push(&s[start..space_start]);
            start = idx;
            in_space = false;
        }
    }
    if in_space {
        parts.push(&s[start..space_start]);
    } else {
        parts.push(&s[start..]);
    }
    while parts.len() > 1 && parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    parts
}

/// Parses an interval string exactly like Spark 3.5's `IntervalUtils.stringToInterval`:
/// case-insensitive `[interval] <number> <unit> [<number> <unit> …]` with units `year`, `month`,
/// `week`, `day`, `hour`, `minute`, `second`, `millisecond`, `microsecond` (singular or plural),
/// signs, and fractions on seconds only.
///
/// Why: `window()`, `withWatermark()` and processing-time triggers take these strings.
///
/// Errors are `IllegalArgumentException`s with Spark's text, e.g.
/// `Error parsing 'abc' to interval, unrecognized number 'abc'`. (`withWatermark`/`window`
/// report a failure as `[CANNOT_PARSE_INTERVAL] Unable to parse 'abc'. …` instead.)
///
/// ```
/// use streamlab_types::interval::{parse_interval, CalendarInterval};
/// assert_eq!(parse_interval("10 minutes").unwrap(), CalendarInterval { months: 0, days: 0, microseconds: 600_000_000 });
/// assert_eq!(parse_interval("interval 1 day 2 hours").unwrap().to_string(), "1 days 2 hours");
/// assert_eq!(parse_interval("1 year -13 months").unwrap().months, -1);
/// assert_eq!(
///     parse_interval("abc").unwrap_err().to_string(),
///     "Error parsing 'abc' to interval, unrecognized number 'abc'"
/// );
/// ```
pub fn parse_interval(input: &str) -> Result<CalendarInterval> {
    let fail = |msg: String| SparkError::illegal_argument(format!("Error parsing '{input}' to interval, {msg}"));
    let trimmed = input.trim_matches(|c: char| (c as u32) <= 0x20 || c == '\u{7f}');
    let s = trimmed.to_lowercase();
    let bytes = s.as_bytes();
    if bytes.is_empty() {
        return Err(fail("interval string cannot be empty".into()));
    }
    let current_word = |i: usize| -> String {
        let all = split_ws(&s);
        let right = s.get(i.min(s.len())..).unwrap_or("");
        let len_right = split_ws(right).len();
        all.len().checked_sub(len_right).and_then(|k| all.get(k)).map(|w| w.to_string()).unwrap_or_default()
    };
    let overflow = |what: &str| fail(format!("{what} overflow"));
    let matches_at = |i: usize, word: &str| bytes.get(i..i + word.len()) == Some(word.as_bytes());
    let initial_scale: i64 = 100_000_000;
    let mut state = State::Prefix;
    let mut i = 0usize;
    let (mut value, mut negative) = (0i64, false);
    let (mut months, mut days, mut micros) = (0i32, 0i32, 0i64);
    let (mut scale, mut fraction, mut point_prefixed) = (0i64, 0i64, false);
    while i < bytes.len() {
        let b = bytes[i];
        match state {
            State::Prefix => {
                if s.starts_with("interval") {
                    if s.len() == 8 {
                        return Err(fail("interval string cannot be empty".into()));
                    } else if !bytes.get(8).copied().is_some_and(is_ws) {
                        return Err(fail(format!("invalid interval prefix {}", current_word(i))));
                    }
                    i += 9;
                }
                state = State::TrimBeforeSign;
            }
            State::TrimBeforeSign | State::TrimBeforeValue | State::TrimBeforeUnit => {
                if is_ws(b) {
                    i += 1;
                } else {
                    state = match state {
                        State::TrimBeforeSign => State::Sign,
                        State::TrimBeforeValue => State::Value,
                        _ => State::UnitBegin,
                    };
                }
            }
            State::Sign => {
                value = 0;
                fraction = 0;
                state = State::TrimBeforeValue;
                scale = -1;
                point_prefixed = false;
                match b {
                    b'-' => {
                        negative = true;
                        i += 1;
                    }
                    b'+' => {
                        negative = false;
                        i += 1;
                    }
                    b'0'..=b'9' => negative = false,
                    b'.' => {
                        negative = false;
                        scale = initial_scale;
                        point_prefixed = true;
                        i += 1;
                        state = State::ValueFractionalPart;
                    }
                    _ => return Err(fail(format!("unrecognized number '{}'", current_word(i)))),
                }
            }
            State::Value => {
                match b {
                    b'0'..=b'9' => {
                        value = value
                            .checked_mul(10)
                            .and_then(|v| v.checked_add(i64::from(b - b'0')))
                            .ok_or_else(|| overflow("long"))?;
                    }
                    _ if is_ws(b) => state = State::TrimBeforeUnit,
                    b'.' => {
                        scale = initial_scale;
                        state = State::ValueFractionalPart;
                    }
                    _ => return Err(fail(format!("invalid value '{}'", current_word(i)))),
                }
                i += 1;
            }
            State::ValueFractionalPart => {
                if b.is_ascii_digit() && scale > 0 {
                    fraction += i64::from(b - b'0') * scale;
                    scale /= 10;
                } else if is_ws(b) && (!point_prefixed || scale < initial_scale) {
                    fraction /= 1000;
                    state = State::TrimBeforeUnit;
                } else if b.is_ascii_digit() {
                    return Err(fail(format!(
                        "interval can only support nanosecond precision, '{}' is out of range",
                        current_word(i)
                    )));
                } else {
                    return Err(fail(format!("invalid value '{}'", current_word(i))));
                }
                i += 1;
            }
            State::UnitBegin => {
                if b != b's' && scale >= 0 {
                    return Err(fail(format!("'{}' cannot have fractional part", current_word(i))));
                }
                if negative {
                    value = -value;
                    fraction = -fraction;
                }
                let to_int = |v: i64| i32::try_from(v).map_err(|_| overflow("integer"));
                let add_i32 = |a: i32, b: i32| a.checked_add(b).ok_or_else(|| overflow("integer"));
                let add_i64 = |a: i64, b: i64| a.checked_add(b).ok_or_else(|| overflow("long"));
                let mul_i64 = |a: i64, b: i64| a.checked_mul(b).ok_or_else(|| overflow("long"));
                let invalid_unit = || fail(format!("invalid unit '{}'", current_word(i)));
                let word = match b {
                    b'y' if matches_at(i, "year") => {
                        months = to_int(add_i64(i64::from(months), mul_i64(12, value)?)?)?;
                        "year"
                    }
                    b'w' if matches_at(i, "week") => {
                        days = to_int(add_i64(i64::from(days), mul_i64(7, value)?)?)?;
                        "week"
                    }
                    b'd' if matches_at(i, "day") => {
                        days = add_i32(days, to_int(value)?)?;
                        "day"
                    }
                    b'h' if matches_at(i, "hour") => {
                        micros = add_i64(micros, mul_i64(value, 3_600_000_000)?)?;
                        "hour"
                    }
                    b's' if matches_at(i, "second") => {
                        micros = add_i64(add_i64(micros, mul_i64(value, 1_000_000)?)?, fraction)?;
                        "second"
                    }
                    b'm' if matches_at(i, "month") => {
                        months = add_i32(months, to_int(value)?)?;
                        "month"
                    }
                    b'm' if matches_at(i, "minute") => {
                        micros = add_i64(micros, mul_i64(value, 60_000_000)?)?;
                        "minute"
                    }
                    b'm' if matches_at(i, "millisecond") => {
                        micros = add_i64(micros, mul_i64(value, 1000)?)?;
                        "millisecond"
                    }
                    b'm' if matches_at(i, "microsecond") => {
                        micros = add_i64(micros, value)?;
                        "microsecond"
                    }
                    _ => return Err(invalid_unit()),
                };
                i += word.len();
                state = State::UnitSuffix;
            }
            State::UnitSuffix => {
                match b {
                    b's' => state = State::UnitEnd,
                    _ if is_ws(b) => state = State::TrimBeforeSign,
                    _ => return Err(fail(format!("invalid unit '{}'", current_word(i)))),
                }
                i += 1;
            }
            State::UnitEnd => {
                if is_ws(b) {
                    i += 1;
                    state = State::TrimBeforeSign;
                } else {
                    return Err(fail(format!("invalid unit '{}'", current_word(i))));
                }
            }
        }
    }
    match state {
        State::UnitSuffix | State::UnitEnd | State::TrimBeforeSign => {
            Ok(CalendarInterval { months, days, microseconds: micros })
        }
        State::TrimBeforeValue => Err(fail(format!("expect a number after '{}' but hit EOL", current_word(i)))),
        State::Value | State::ValueFractionalPart => {
            Err(fail(format!("expect a unit name after '{}' but hit EOL", current_word(i))))
        }
        _ => Err(fail(format!("unknown error when parsing '{}'", current_word(i)))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_errors() {
        assert_eq!(parse_interval("1 week").map(|i| i.days).ok(), Some(7));
        assert_eq!(parse_interval("500 milliseconds").map(|i| i.microseconds).ok(), Some(500_000));
        assert_eq!(parse_interval(" 10  Minutes ").map(|i| i.microseconds).ok(), Some(600_000_000));
        let e = |s: &str| parse_interval(s).unwrap_err().to_string();
        assert_eq!(e(""), "Error parsing '' to interval, interval string cannot be empty");
        assert_eq!(e("10"), "Error parsing '10' to interval, expect a unit name after '10' but hit EOL");
        assert_eq!(e("1 fortnight"), "Error parsing '1 fortnight' to interval, invalid unit 'fortnight'");
        assert_eq!(e("1.5 hours"), "Error parsing '1.5 hours' to interval, 'hours' cannot have fractional part");
        assert_eq!(e("99999999999999999999 seconds"), "Error parsing '99999999999999999999 seconds' to interval, long overflow");
        assert_eq!(e("intervalx"), "Error parsing 'intervalx' to interval, invalid interval prefix intervalx");
    }
}
