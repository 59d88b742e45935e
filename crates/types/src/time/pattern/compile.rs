//! Turns a datetime pattern into printer/parser items, as Spark 3.5 builds its
//! `DateTimeFormatter`: Spark's own checks (`DateTimeFormatterHelper.convertIncompatiblePattern`),
//! then `DateTimeFormatterBuilder.appendPattern` (JDK 17), and for parsing the variable-length
//! second fraction (`createBuilderWithVarLengthSecondFraction`).

/// A temporal field a numeric or text item reads or prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Proleptic year (`u`, and `y` when the pattern has no era `G`).
    Year,
    /// Year of era (`y` when the pattern has `G`).
    YearOfEra,
    /// Era: 0 = BC, 1 = AD.
    Era,
    Quarter,
    Month,
    DayOfMonth,
    DayOfYear,
    /// `F`: aligned day of week in month (JDK 17 mapping).
    AlignedDayOfWeekInMonth,
    /// 1 = Monday … 7 = Sunday.
    DayOfWeek,
    /// 0 = AM, 1 = PM.
    AmPm,
    HourOfDay,
    /// `k`: 1–24.
    ClockHourOfDay,
    /// `K`: 0–11.
    HourOfAmPm,
    /// `h`: 1–12.
    ClockHourOfAmPm,
    Minute,
    Second,
    /// `g`: modified Julian day.
    ModifiedJulianDay,
}

/// `java.time.format.SignStyle` subset used by patterns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignStyle {
    Normal,
    ExceedsPad,
    NotNegative,
}

/// One printer/parser of a compiled pattern.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A number (`appendValue`); `subsequent` is the width reserved for adjacent fixed-width values.
    Value { field: Field, min: usize, max: usize, sign: SignStyle, subsequent: usize },
    /// Two-digit year `yy` (base 2000).
    Reduced { field: Field },
    /// Second fraction as nanoseconds, `min..=max` digits, no decimal point.
    Fraction { min: usize, max: usize },
    /// Month / day-of-week / AM-PM / era / quarter text; `full` = long form.
    Text { field: Field, full: bool },
    /// `X`/`x`/`Z` offsets: Java's offset pattern (`+HH:MM`) and the text for zero.
    Offset { pattern: &'static str, zero: &'static str },
    /// `O` / `ZZZZ`: `GMT`, `GMT+1`, `GMT+01:00` (`full`).
    LocalizedOffset { full: bool },
    /// `z` / `v`: zone name (`UTC`, `Coordinated Universal Time`).
    ZoneText { full: bool },
    /// `VV`: zone id (`UTC`).
    ZoneId,
    /// Literal text.
    Literal(String),
    /// `[...]`: printed always, parsed if present.
    Optional(Vec<Item>),
}

impl Item {
    /// Whether this item is a fixed-width number that takes part in adjacent value parsing.
    fn fixed_width(&self) -> Option<usize> {
        match self {
            Item::Value { min, max, sign: SignStyle::NotNegative, .. } if min == max => Some(*min),
            Item::Reduced { .. } => Some(2),
            Item::Fraction { min, max } if min == max => Some(*min),
            _ => None,
        }
    }
}

/// `DateTimeFormatterBuilder` state: nested optional sections and the adjacent-value base.
struct Builder {
    /// Stack of open sections; index 0 is the top level.
    stack: Vec<(Vec<Item>, Option<usize>)>,
}

impl Builder {
    fn new() -> Self {
        Builder { stack: vec![(Vec::new(), None)] }
    }

    fn active(&mut self) -> &mut (Vec<Item>, Option<usize>) {
        if self.stack.is_empty() {
            self.stack.push((Vec::new(), None));
        }
        let last = self.stack.len() - 1;
        &mut self.stack[last]
    }

    /// `appendInternal`: a non-adjacent item.
    fn push(&mut self, item: Item) {
        let (items, base) = self.active();
        items.push(item);
        *base = None;
    }

    /// `appendValue(NumberPrinterParser)`: adjacent value bookkeeping.
    fn push_value(&mut self, item: Item) {
        let (items, base) = self.active();
        match *base {
            Some(b) => {
                if let Some(w) = item.fixed_width() {
                    if let Some(Item::Value { subsequent, .. }) = items.get_mut(b) {
                        *subsequent += w;
                    }
                    items.push(item);
                } else {
                    items.push(item);
                    *base = Some(items.len() - 1);
                }
            }
            None => {
                items.push(item);
                *base = Some(items.len() - 1);
            }
        }
    }

    fn optional_start(&mut self) {
        self.active().1 = None;
        self.stack.push((Vec::new(), None));
    }

    fn optional_end(&mut self) -> bool {
        if self.stack.len() <= 1 {
            return false;
        }
        if let Some((items, _)) = self.stack.pop() {
            self.push(Item::Optional(items));
        }
        true
    }

    fn finish(mut self) -> Vec<Item> {
        while self.stack.len() > 1 {
            self.optional_end();
        }
        self.stack.pop().map(|(items, _)| items).unwrap_or_default()
    }

    /// `appendFraction(NANO_OF_SECOND, min, max, false)`.
    fn fraction(&mut self, min: usize, max: usize) -> Result<(), String> {
        if !(1..=9).contains(&max) {
            return Err(format!("Maximum width must be from 1 to 9 inclusive but was {max}"));
        }
        if min > 9 {
            return Err(format!("Minimum width must be from 0 to 9 inclusive but was {min}"));
        }
        let item = Item::Fraction { min, max };
        if min == max {
            self.push_value(item);
        } else {
            self.push(item);
        }
        Ok(())
    }

    /// `DateTimeFormatterBuilder.appendPattern` (JDK 17 `parsePattern`).
    fn append_pattern(&mut self, pattern: &str, era_in_pattern: bool) -> Result<(), String> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut pos = 0;
        while pos < chars.len() {
            let cur = chars[pos];
            if cur.is_ascii_alphabetic() {
                let start = pos;
                while pos < chars.len() && chars[pos] == cur {
                    pos += 1;
                }
                self.letter(cur, pos - start, era_in_pattern)?;
                continue;
            }
            if cur == '\'' {
                let start = pos;
                pos += 1;
                while pos < chars.len() {
                    if chars[pos] == '\'' {
                        if chars.get(pos + 1) == Some(&'\'') {
                            pos += 1;
                        } else {
                            break;
                        }
                    }
                    pos += 1;
                }
                if pos >= chars.len() {
                    return Err(format!("Pattern ends with an incomplete string literal: {pattern}"));
                }
                let s: String = chars[start + 1..pos].iter().collect();
                let lit = if s.is_empty() { "'".to_string() } else { s.replace("''", "'") };
                self.push(Item::Literal(lit));
            } else if cur == '[' {
                self.optional_start();
            } else if cur == ']' {
                if !self.optional_end() {
                    return Err("Pattern invalid as it contains ] without previous [".to_string());
                }
            } else if cur == '{' || cur == '}' || cur == '#' {
                return Err(format!("Pattern includes reserved character: '{cur}'"));
            } else {
                self.push(Item::Literal(cur.to_string()));
            }
            pos += 1;
        }
        Ok(())
    }

    fn letter(&mut self, cur: char, count: usize, era_in_pattern: bool) -> Result<(), String> {
        let too_many = || Err(format!("Too many pattern letters: {cur}"));
        let num = |field, min, max, sign| Item::Value { field, min, max, sign, subsequent: 0 };
        match cur {
            'u' | 'y' => {
                let field = if cur == 'y' && era_in_pattern { Field::YearOfEra } else { Field::Year };
                if count == 2 {
                    self.push_value(Item::Reduced { field });
                } else if count < 4 {
                    self.push_value(num(field, count, 19, SignStyle::Normal));
                } else {
                    self.push_value(num(field, count, 19, SignStyle::ExceedsPad));
                }
            }
            'M' | 'L' | 'Q' | 'q' | 'E' => {
                let field = match cur {
                    'M' | 'L' => Field::Month,
                    'Q' | 'q' => Field::Quarter,
                    _ => Field::DayOfWeek,
                };
                match count {
                    1 | 2 if cur == 'E' => self.push(Item::Text { field, full: false }),
                    1 => self.push_value(num(field, 1, 19, SignStyle::Normal)),
                    2 => self.push_value(num(field, 2, 2, SignStyle::NotNegative)),
                    3 => self.push(Item::Text { field, full: false }),
                    4 => self.push(Item::Text { field, full: true }),
                    // NARROW is rejected by Spark before it gets here.
                    _ => return too_many(),
                }
            }
            'a' => {
                if count != 1 {
                    return too_many();
                }
                self.push(Item::Text { field: Field::AmPm, full: false });
            }
            'G' => match count {
                1..=3 => self.push(Item::Text { field: Field::Era, full: false }),
                4 => self.push(Item::Text { field: Field::Era, full: true }),
                _ => return too_many(),
            },
            'S' => self.fraction(count, count)?,
            'F' => {
                if count != 1 {
                    return too_many();
                }
                self.push_value(num(Field::AlignedDayOfWeekInMonth, 1, 19, SignStyle::Normal));
            }
            'd' | 'h' | 'H' | 'k' | 'K' | 'm' | 's' => {
                let field = match cur {
                    'd' => Field::DayOfMonth,
                    'h' => Field::ClockHourOfAmPm,
                    'H' => Field::HourOfDay,
                    'k' => Field::ClockHourOfDay,
                    'K' => Field::HourOfAmPm,
                    'm' => Field::Minute,
                    _ => Field::Second,
                };
                match count {
                    1 => self.push_value(num(field, 1, 19, SignStyle::Normal)),
                    2 => self.push_value(num(field, 2, 2, SignStyle::NotNegative)),
                    _ => return too_many(),
                }
            }
            'D' => match count {
                1 => self.push_value(num(Field::DayOfYear, 1, 19, SignStyle::Normal)),
                2 | 3 => self.push_value(num(Field::DayOfYear, count, 3, SignStyle::NotNegative)),
                _ => return too_many(),
            },
            'g' => self.push_value(num(Field::ModifiedJulianDay, count, 19, SignStyle::Normal)),
            'z' => match count {
                1..=3 => self.push(Item::ZoneText { full: false }),
                4 => self.push(Item::ZoneText { full: true }),
                _ => return too_many(),
            },
            'V' => {
                if count != 2 {
                    return Err(format!("Pattern letter count must be 2: {cur}"));
                }
                self.push(Item::ZoneId);
            }
            'v' => match count {
                1 => self.push(Item::ZoneText { full: false }),
                4 => self.push(Item::ZoneText { full: true }),
                _ => return Err(format!("Wrong number of pattern letters: {cur}")),
            },
            'Z' => match count {
                1..=3 => self.push(Item::Offset { pattern: "+HHMM", zero: "+0000" }),
                4 => self.push(Item::LocalizedOffset { full: true }),
                5 => self.push(Item::Offset { pattern: "+HH:MM:ss", zero: "Z" }),
                _ => return too_many(),
            },
            'O' => match count {
                1 => self.push(Item::LocalizedOffset { full: false }),
                4 => self.push(Item::LocalizedOffset { full: true }),
                _ => return Err(format!("Pattern letter count must be 1 or 4: {cur}")),
            },
            'X' | 'x' => {
                if count > 5 {
                    return too_many();
                }
                let pattern = OFFSET_PATTERNS[count + usize::from(count != 1)];
                let zero = if cur == 'X' {
                    "Z"
                } else if count == 1 {
                    "+00"
                } else if count & 1 == 0 {
                    "+0000"
                } else {
                    "+00:00"
                };
                self.push(Item::Offset { pattern, zero });
            }
            // Week-based and other letters are rejected by Spark before reaching Java; anything
            // else is unknown to Java too.
            _ => return Err(format!("Unknown pattern letter: {cur}")),
        }
        Ok(())
    }
}

/// `OffsetIdPrinterParser.PATTERNS` (JDK 17).
const OFFSET_PATTERNS: [&str; 7] = ["+HH", "+HHmm", "+HH:mm", "+HHMM", "+HH:MM", "+HHMMss", "+HH:MM:ss"];

/// Java's `String.split(regex)` on a one-char separator: trailing empty strings removed.
fn java_split(s: &str, sep: char) -> Vec<&str> {
    let mut parts: Vec<&str> = s.split(sep).collect();
    while parts.len() > 1 && parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    if parts.len() == 1 && parts[0].is_empty() && !s.is_empty() {
        parts.clear();
    }
    parts
}

/// Spark's checks before building the formatter (`convertIncompatiblePattern`). Returns whether
/// the pattern has an era letter `G` outside quotes (then `y` stays year-of-era).
fn spark_checks(pattern: &str, parsing: bool) -> Result<bool, String> {
    let with_space = format!("{pattern} ");
    let parts = java_split(&with_space, '\'');
    let era = parts.iter().step_by(2).any(|p| p.contains('G'));
    const LENGTHS: [&str; 7] = ["GGGGG", "MMMMM", "LLLLL", "EEEEE", "QQQQQ", "qqqqq", "yyyyyyy"];
    for part in parts.iter().step_by(2) {
        if let Some(c) = part.chars().find(|c| matches!(c, 'Y' | 'W' | 'w' | 'u' | 'e' | 'c')) {
            return Err(format!(
                "All week-based patterns are unsupported since Spark 3.0, detected: {c}, Please use the SQL function EXTRACT instead"
            ));
        }
        if let Some(c) = part.chars().find(|c| {
            matches!(c, 'A' | 'B' | 'n' | 'N' | 'p') || (parsing && matches!(c, 'E' | 'F' | 'q' | 'Q'))
        }) {
            return Err(format!("Illegal pattern character: {c}"));
        }
        if let Some(style) = LENGTHS.iter().find(|s| part.contains(*s)) {
            return Err(format!("Too many pattern letters: {}", &style[..1]));
        }
    }
    Ok(era)
}

/// `convertIncompatiblePattern`'s output: `y` becomes `u` outside quotes when there is no era.
/// Java's own error messages quote this converted pattern.
fn converted(pattern: &str, era: bool) -> String {
    if era {
        return pattern.to_string();
    }
    let with_space = format!("{pattern} ");
    let parts: Vec<String> = java_split(&with_space, '\'')
        .iter()
        .enumerate()
        .map(|(i, p)| if i % 2 == 0 { p.replace('y', "u") } else { p.to_string() })
        .collect();
    let joined = parts.join("'");
    joined.strip_suffix(' ').map(str::to_string).unwrap_or(joined)
}

/// Compiles `pattern` for formatting (`parsing = false`) or parsing. `Err` carries the
/// `IllegalArgumentException` message Spark/Java would raise.
pub fn compile(pattern: &str, parsing: bool) -> Result<Vec<Item>, String> {
    let era = spark_checks(pattern, parsing)?;
    let java_pattern = converted(pattern, era);
    build(pattern, era, parsing).map_err(|m| {
        // Java reports the pattern it was given: the converted one.
        m.replace(&format!("literal: {pattern}"), &format!("literal: {java_pattern}"))
    })
}

fn build(pattern: &str, era: bool, parsing: bool) -> Result<Vec<Item>, String> {
    let mut b = Builder::new();
    if parsing && pattern.contains('S') {
        // createBuilderWithVarLengthSecondFraction
        for (idx, part) in java_split(pattern, '\'').iter().enumerate() {
            if idx % 2 == 1 {
                b.push(Item::Literal(if part.is_empty() { "'".to_string() } else { part.to_string() }));
                continue;
            }
            let mut rest: &str = part;
            while !rest.is_empty() {
                let prefix_end = rest.find('S').unwrap_or(rest.len());
                let (prefix, tail) = rest.split_at(prefix_end);
                let s_len = tail.len() - tail.trim_start_matches('S').len();
                b.append_pattern(prefix, era)?;
                if s_len > 0 {
                    b.fraction(1, s_len)?;
                }
                rest = &tail[s_len..];
            }
        }
    } else {
        b.append_pattern(pattern, era)?;
    }
    Ok(b.finish())
}

/// Whether `java.text.SimpleDateFormat` (Spark's legacy formatter) accepts the pattern; Spark then
/// reports an invalid new-style pattern as a `SparkUpgradeException`.
pub fn legacy_accepts(pattern: &str) -> bool {
    legacy_tokens(pattern).is_some()
}

/// A `SimpleDateFormat` pattern token.
#[derive(Debug, Clone, PartialEq)]
pub enum LegacyToken {
    Field(char, usize),
    Literal(String),
}

/// `SimpleDateFormat.compile`; `None` when it throws.
pub fn legacy_tokens(pattern: &str) -> Option<Vec<LegacyToken>> {
    const LETTERS: &str = "GyMdkHmsSEDFwWahKzZYuXL";
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = Vec::new();
    let mut in_quote = false;
    let mut lit = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            if chars.get(i + 1) == Some(&'\'') {
                lit.push('\'');
                i += 2;
                continue;
            }
            in_quote = !in_quote;
            i += 1;
            continue;
        }
        if in_quote || !c.is_ascii_alphabetic() {
            lit.push(c);
            i += 1;
            continue;
        }
        if !LETTERS.contains(c) {
            return None;
        }
        let start = i;
        while i < chars.len() && chars[i] == c {
            i += 1;
        }
        let count = i - start;
        if c == 'X' && count > 3 {
            return None;
        }
        if !lit.is_empty() {
            out.push(LegacyToken::Literal(std::mem::take(&mut lit)));
        }
        out.push(LegacyToken::Field(c, count));
    }
    if in_quote {
        return None;
    }
    if !lit.is_empty() {
        out.push(LegacyToken::Literal(lit));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adjacent_values_reserve_width() {
        let items = compile("yyyyMMdd", true).unwrap_or_default();
        assert!(matches!(items[0], Item::Value { field: Field::Year, subsequent: 4, .. }));
        assert_eq!(items.len(), 3);
    }

    #[test]
    fn errors() {
        assert_eq!(compile("I", false), Err("Unknown pattern letter: I".to_string()));
        assert_eq!(compile("'abc", false), Err("Pattern ends with an incomplete string literal: 'abc".to_string()));
        assert_eq!(compile("QQQQQ", false), Err("Too many pattern letters: Q".to_string()));
        assert!(compile("[yyyy", false).is_ok());
        assert!(legacy_accepts("yyyy]"));
        assert!(!legacy_accepts("I"));
        assert!(!legacy_accepts("XXXX"));
    }
}
