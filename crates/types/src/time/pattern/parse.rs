//! Parses text with compiled pattern items the way a strict, case-insensitive
//! `DateTimeFormatter` does, then resolves the fields as Spark's `Iso8601TimestampFormatter`.

use super::compile::{Field, Item, SignStyle};
use crate::time::civil::{days_from_civil, days_in_month, is_leap, MICROS_PER_DAY};
use crate::time::zone::zone_offset_seconds;

const MONTHS: [&str; 12] = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
];
const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// Parsed field values; `None` = not parsed.
#[derive(Debug, Clone, Default)]
struct Parsed {
    fields: [Option<i64>; 17],
    nano: Option<i64>,
    offset: Option<i64>,
}

fn slot(field: Field) -> usize {
    field as usize
}

impl Parsed {
    /// `setParsedField`: a second, different value for the same field is an error.
    fn set(&mut self, field: Field, v: i64) -> Option<()> {
        let s = self.fields.get_mut(slot(field))?;
        match *s {
            Some(old) if old != v => None,
            _ => {
                *s = Some(v);
                Some(())
            }
        }
    }
    fn get(&self, field: Field) -> Option<i64> {
        self.fields.get(slot(field)).copied().flatten()
    }
    fn set_nano(&mut self, v: i64) -> Option<()> {
        match self.nano {
            Some(old) if old != v => None,
            _ => {
                self.nano = Some(v);
                Some(())
            }
        }
    }
    fn set_offset(&mut self, v: i64) -> Option<()> {
        match self.offset {
            Some(old) if old != v => None,
            _ => {
                self.offset = Some(v);
                Some(())
            }
        }
    }
}

/// Case-insensitive `subSequenceEquals`.
fn matches_at(text: &[char], pos: usize, word: &str) -> bool {
    let mut p = pos;
    for w in word.chars() {
        match text.get(p) {
            Some(c) if c.to_lowercase().eq(w.to_lowercase()) => p += 1,
            _ => return false,
        }
    }
    true
}

fn digit(text: &[char], pos: usize) -> Option<i64> {
    text.get(pos).filter(|c| c.is_ascii_digit()).map(|c| i64::from(*c as u8 - b'0'))
}

/// Parses the whole text; `None` if it does not match or does not resolve.
pub fn parse_items(s: &str, items: &[Item]) -> Option<i64> {
    let text: Vec<char> = s.chars().collect();
    let mut parsed = Parsed::default();
    let end = parse_seq(&text, 0, items, &mut parsed)?;
    if end != text.len() {
        return None;
    }
    resolve(&parsed)
}

fn parse_seq(text: &[char], mut pos: usize, items: &[Item], p: &mut Parsed) -> Option<usize> {
    for item in items {
        pos = parse_item(text, pos, item, p)?;
    }
    Some(pos)
}

fn parse_item(text: &[char], pos: usize, item: &Item, p: &mut Parsed) -> Option<usize> {
    match item {
        Item::Literal(lit) => {
            if matches_at(text, pos, lit) {
                Some(pos + lit.chars().count())
            } else {
                None
            }
        }
        Item::Optional(inner) => {
            let mut trial = p.clone();
            match parse_seq(text, pos, inner, &mut trial) {
                Some(end) => {
                    *p = trial;
                    Some(end)
                }
                None => Some(pos),
            }
        }
        Item::Value { field, min, max, sign, subsequent } => {
            let (v, end) = parse_number(text, pos, *min, *max, *sign, *subsequent)?;
            p.set(*field, v)?;
            Some(end)
        }
        Item::Reduced { field } => {
            let (v, end) = parse_number(text, pos, 2, 2, SignStyle::NotNegative, 0)?;
            let v = if end - pos == 2 && v >= 0 { 2000 + v } else { v };
            p.set(*field, v)?;
            Some(end)
        }
        Item::Fraction { min, max } => {
            let (nanos, end) = parse_fraction(text, pos, *min, *max)?;
            p.set_nano(nanos)?;
            Some(end)
        }
        Item::Text { field, full } => {
            let (v, end) = parse_text(text, pos, *field, *full)?;
            p.set(*field, v)?;
            Some(end)
        }
        Item::Offset { pattern, zero } => {
            let (v, end) = parse_offset(text, pos, pattern, zero)?;
            p.set_offset(v)?;
            Some(end)
        }
        Item::LocalizedOffset { full } => {
            let (v, end) = parse_localized_offset(text, pos, *full)?;
            p.set_offset(v)?;
            Some(end)
        }
        Item::ZoneText { .. } => {
            let (v, end) = parse_zone(text, pos, true)?;
            p.set_offset(v)?;
            Some(end)
        }
        Item::ZoneId => {
            let (v, end) = parse_zone(text, pos, false)?;
            p.set_offset(v)?;
            Some(end)
        }
    }
}

/// `NumberPrinterParser.parse` in strict mode.
fn parse_number(
    text: &[char],
    mut position: usize,
    min: usize,
    max: usize,
    sign: SignStyle,
    subsequent: usize,
) -> Option<(i64, usize)> {
    let len = text.len();
    let first = *text.get(position)?;
    let sign_ok = |positive: bool| match sign {
        SignStyle::Normal => !positive,
        SignStyle::ExceedsPad => true,
        SignStyle::NotNegative => false,
    };
    let (mut negative, mut positive) = (false, false);
    if first == '+' {
        if !sign_ok(true) {
            return None;
        }
        positive = true;
        position += 1;
    } else if first == '-' {
        if !sign_ok(false) {
            return None;
        }
        negative = true;
        position += 1;
    }
    let min_end = position + min;
    if min_end > len {
        return None;
    }
    let mut eff_max = max + subsequent;
    let mut pos = position;
    let mut total: i128 = 0;
    for pass in 0..2 {
        let max_end = (pos + eff_max).min(len);
        while pos < max_end {
            let ch = text[pos];
            pos += 1;
            if !ch.is_ascii_digit() {
                pos -= 1;
                if pos < min_end {
                    return None;
                }
                break;
            }
            total = total.saturating_mul(10).saturating_add(i128::from(ch as u8 - b'0'));
        }
        if subsequent > 0 && pass == 0 {
            let parse_len = pos - position;
            eff_max = min.max(parse_len.saturating_sub(subsequent));
            pos = position;
            total = 0;
        } else {
            break;
        }
    }
    if negative {
        if total == 0 {
            return None;
        }
        total = -total;
    } else if sign == SignStyle::ExceedsPad {
        let parse_len = pos - position;
        if positive {
            if parse_len <= min {
                return None;
            }
        } else if parse_len > min {
            return None;
        }
    }
    while total > i128::from(i64::MAX) || total < i128::from(i64::MIN) {
        total /= 10;
        pos -= 1;
    }
    Some((i64::try_from(total).ok()?, pos))
}

/// `FractionPrinterParser.parse` (no decimal point, strict): nanoseconds.
fn parse_fraction(text: &[char], position: usize, min: usize, max: usize) -> Option<(i64, usize)> {
    let len = text.len();
    if position == len {
        return if min > 0 { None } else { Some((0, position)) };
    }
    let min_end = position + min;
    if min_end > len {
        return None;
    }
    let max_end = (position + max).min(len);
    let mut total: i64 = 0;
    let mut pos = position;
    while pos < max_end {
        let ch = text[pos];
        pos += 1;
        if !ch.is_ascii_digit() {
            if pos < min_end {
                return None;
            }
            pos -= 1;
            break;
        }
        total = total * 10 + i64::from(ch as u8 - b'0');
    }
    let digits = u32::try_from(pos - position).ok()?;
    let nanos = total * 10i64.pow(9u32.saturating_sub(digits));
    Some((nanos, pos))
}

/// `TextPrinterParser.parse` (strict: only the style's texts; longest first).
fn parse_text(text: &[char], pos: usize, field: Field, full: bool) -> Option<(i64, usize)> {
    let mut candidates: Vec<(String, i64)> = Vec::new();
    match field {
        Field::Month => {
            for (i, m) in MONTHS.iter().enumerate() {
                let t = if full { m.to_string() } else { m.chars().take(3).collect() };
                candidates.push((t, i as i64 + 1));
            }
        }
        Field::DayOfWeek => {
            for (i, d) in DAYS.iter().enumerate() {
                let t = if full { d.to_string() } else { d.chars().take(3).collect() };
                candidates.push((t, i as i64 + 1));
            }
        }
        Field::AmPm => {
            candidates.push(("AM".into(), 0));
            candidates.push(("PM".into(), 1));
        }
        Field::Era => {
            if full {
                candidates.push(("Before Christ".into(), 0));
                candidates.push(("Anno Domini".into(), 1));
            } else {
                candidates.push(("BC".into(), 0));
                candidates.push(("AD".into(), 1));
            }
        }
        Field::Quarter => {
            let names = ["1st quarter", "2nd quarter", "3rd quarter", "4th quarter"];
            for q in 1..=4i64 {
                let t = if full { names[(q - 1) as usize].to_string() } else { format!("Q{q}") };
                candidates.push((t, q));
            }
        }
        _ => return None,
    }
    candidates.sort_by_key(|(t, _)| std::cmp::Reverse(t.len()));
    candidates
        .into_iter()
        .find(|(t, _)| matches_at(text, pos, t))
        .map(|(t, v)| (v, pos + t.chars().count()))
}

/// Two digits at `pos` (0–59), optionally preceded by ':' (Java `parseDigits`).
fn two_digits(text: &[char], pos: usize, colon: bool) -> Option<(i64, usize)> {
    let mut p = pos;
    if colon {
        if text.get(p) != Some(&':') {
            return None;
        }
        p += 1;
    }
    let v = digit(text, p)? * 10 + digit(text, p + 1)?;
    if v > 59 {
        return None;
    }
    Some((v, p + 2))
}

/// `OffsetIdPrinterParser.parse` in strict mode.
fn parse_offset(text: &[char], position: usize, pattern: &str, zero: &str) -> Option<(i64, usize)> {
    if position >= text.len() {
        return None;
    }
    if matches_at(text, position, zero) {
        return Some((0, position + zero.chars().count()));
    }
    let sign = match text.get(position) {
        Some('+') => 1,
        Some('-') => -1,
        _ => return None,
    };
    let colon = pattern.contains(':');
    let (h, mut pos) = two_digits(text, position + 1, false)?;
    let (mut m, mut s) = (0, 0);
    let body = pattern.trim_start_matches("+HH").replace(':', "");
    match body.as_str() {
        "" => {}
        "mm" => {
            if let Some((v, p)) = two_digits(text, pos, colon) {
                m = v;
                pos = p;
            }
        }
        "MM" => {
            let (v, p) = two_digits(text, pos, colon)?;
            m = v;
            pos = p;
        }
        _ => {
            let (v, p) = two_digits(text, pos, colon)?;
            m = v;
            pos = p;
            if let Some((v, p)) = two_digits(text, pos, colon) {
                s = v;
                pos = p;
            }
        }
    }
    if h > 23 {
        return None;
    }
    Some((sign * (h * 3600 + m * 60 + s), pos))
}

/// `LocalizedOffsetIdPrinterParser.parse`: `GMT`, `GMT+1`, `GMT+01:00`.
fn parse_localized_offset(text: &[char], position: usize, full: bool) -> Option<(i64, usize)> {
    if !matches_at(text, position, "GMT") {
        return None;
    }
    let mut pos = position + 3;
    let end = text.len();
    let negative = match text.get(pos) {
        None => return Some((0, pos)),
        Some('+') => 1,
        Some('-') => -1,
        Some(_) => return Some((0, pos)),
    };
    pos += 1;
    let h;
    let (mut m, mut s) = (0, 0);
    if full {
        let h1 = digit(text, pos)?;
        let h2 = digit(text, pos + 1)?;
        if text.get(pos + 2) != Some(&':') {
            return None;
        }
        h = h1 * 10 + h2;
        let m1 = digit(text, pos + 3)?;
        let m2 = digit(text, pos + 4)?;
        m = m1 * 10 + m2;
        pos += 5;
        if pos + 2 < end && text.get(pos) == Some(&':') {
            if let (Some(s1), Some(s2)) = (digit(text, pos + 1), digit(text, pos + 2)) {
                s = s1 * 10 + s2;
                pos += 3;
            }
        }
    } else {
        let mut hh = digit(text, pos)?;
        pos += 1;
        if pos < end {
            if let Some(h2) = digit(text, pos) {
                hh = hh * 10 + h2;
                pos += 1;
            }
            if pos + 2 < end && text.get(pos) == Some(&':') {
                if let (Some(m1), Some(m2)) = (digit(text, pos + 1), digit(text, pos + 2)) {
                    m = m1 * 10 + m2;
                    pos += 3;
                    if pos + 2 < end && text.get(pos) == Some(&':') {
                        if let (Some(s1), Some(s2)) = (digit(text, pos + 1), digit(text, pos + 2)) {
                            s = s1 * 10 + s2;
                            pos += 3;
                        }
                    }
                }
            }
        }
        h = hh;
    }
    if h > 23 || m > 59 || s > 59 {
        return None;
    }
    Some((negative * (h * 3600 + m * 60 + s), pos))
}

/// Zone ids/names StreamLab knows (all UTC); Java matches against every region id and name.
const UTC_NAMES: [&str; 12] = [
    "Coordinated Universal Time", "Greenwich Mean Time", "Etc/Universal", "Etc/Greenwich", "Universal",
    "Etc/UTC", "Etc/GMT", "Etc/UCT", "Etc/Zulu", "Zulu", "UTC", "GMT",
];

/// `ZoneIdPrinterParser.parse` (`text` = the `z`/`v` zone-text flavour), fixed offsets only.
fn parse_zone(text: &[char], position: usize, zone_text: bool) -> Option<(i64, usize)> {
    let next = *text.get(position)?;
    if next == '+' || next == '-' {
        return parse_offset(text, position, "+HH:MM:ss", "Z");
    }
    let prefix_len = if matches_at(text, position, "UTC") && !zone_text {
        3
    } else if matches_at(text, position, "GMT") {
        if text.get(position + 3) == Some(&'0') {
            return Some((0, position + 4));
        }
        3
    } else if matches_at(text, position, "UT") && !matches_at(text, position, "UTC") {
        2
    } else {
        0
    };
    if prefix_len > 0 {
        let pos = position + prefix_len;
        match text.get(pos) {
            None | Some('0') | Some('Z') | Some('z') => return Some((0, pos)),
            _ => {}
        }
        return match parse_offset(text, pos, "+HH:MM:ss", "") {
            Some((v, end)) if end > pos => Some((v, end)),
            _ => Some((0, pos)),
        };
    }
    // Longest known name or id.
    if let Some(name) = UTC_NAMES.iter().find(|n| matches_at(text, position, n)) {
        let end = position + name.chars().count();
        let id: String = text[position..end].iter().collect();
        let off = zone_offset_seconds(&id).unwrap_or(0);
        return Some((i64::from(off), end));
    }
    if next == 'Z' || next == 'z' {
        return Some((0, position + 1));
    }
    None
}

/// Spark's `toLocalDate`/`toLocalTime` over strictly resolved fields, then the zone.
fn resolve(p: &Parsed) -> Option<i64> {
    let check = |f: Field, lo: i64, hi: i64| p.get(f).is_none_or(|v| (lo..=hi).contains(&v));
    let ranges_ok = check(Field::Year, -999_999_999, 999_999_999)
        && check(Field::YearOfEra, 1, 999_999_999)
        && check(Field::Month, 1, 12)
        && check(Field::DayOfMonth, 1, 31)
        && check(Field::DayOfYear, 1, 366)
        && check(Field::HourOfDay, 0, 23)
        && check(Field::ClockHourOfDay, 1, 24)
        && check(Field::HourOfAmPm, 0, 11)
        && check(Field::ClockHourOfAmPm, 1, 12)
        && check(Field::Minute, 0, 59)
        && check(Field::Second, 0, 59)
        && check(Field::AmPm, 0, 1)
        && check(Field::Era, 0, 1)
        && check(Field::Quarter, 1, 4)
        && check(Field::DayOfWeek, 1, 7)
        && check(Field::AlignedDayOfWeekInMonth, 1, 7);
    if !ranges_ok {
        return None;
    }
    // Year: proleptic year, or year-of-era with an era (STRICT leaves a lone year-of-era unresolved).
    let year = match (p.get(Field::Year), p.get(Field::YearOfEra), p.get(Field::Era)) {
        (Some(y), _, _) => Some(y),
        (None, Some(yoe), Some(era)) => Some(if era == 1 { yoe } else { 1 - yoe }),
        _ => None,
    };
    let days = resolve_date(p, year)?;
    // Time of day (Java's strict resolution, then Spark's defaults).
    let mut hour_of_day = p.get(Field::HourOfDay);
    if let Some(k) = p.get(Field::ClockHourOfDay) {
        let h = if k == 24 { 0 } else { k };
        if hour_of_day.is_some_and(|v| v != h) {
            return None;
        }
        hour_of_day = Some(h);
    }
    let mut hour_of_ampm = p.get(Field::HourOfAmPm);
    if let Some(h) = p.get(Field::ClockHourOfAmPm) {
        let v = if h == 12 { 0 } else { h };
        if hour_of_ampm.is_some_and(|x| x != v) {
            return None;
        }
        hour_of_ampm = Some(v);
    }
    let ampm = p.get(Field::AmPm);
    if let (Some(a), Some(h)) = (ampm, hour_of_ampm) {
        let v = a * 12 + h;
        if hour_of_day.is_some_and(|x| x != v) {
            return None;
        }
        hour_of_day = Some(v);
    }
    let hour = match (hour_of_day, hour_of_ampm, ampm) {
        (Some(h), _, _) => h,
        (None, Some(h), _) => h,
        (None, None, Some(1)) => 12,
        _ => 0,
    };
    let minute = p.get(Field::Minute).unwrap_or(0);
    let second = p.get(Field::Second).unwrap_or(0);
    let micro = p.nano.unwrap_or(0) / 1000;
    let local = i128::from(days) * i128::from(MICROS_PER_DAY)
        + i128::from((hour * 3600 + minute * 60 + second) * 1_000_000 + micro);
    let utc = local - i128::from(p.offset.unwrap_or(0)) * 1_000_000;
    i64::try_from(utc).ok()
}

/// The date: Java resolves it when the year is known; otherwise Spark defaults (1970, Jan, 1st).
fn resolve_date(p: &Parsed, year: Option<i64>) -> Option<i64> {
    let month = p.get(Field::Month);
    let day = p.get(Field::DayOfMonth);
    let doy = p.get(Field::DayOfYear);
    let days = if let Some(mjd) = p.get(Field::ModifiedJulianDay) {
        // Far beyond any timestamp; also keeps the calendar arithmetic below in range.
        if mjd.unsigned_abs() > 1_000_000_000_000 {
            return None;
        }
        mjd - 40_587
    } else {
        let y = year.unwrap_or(1970);
        if let Some(d) = doy {
            if d == 366 && !is_leap(y) {
                return None;
            }
            days_from_civil(y, 1, 1) + d - 1
        } else {
            let m = u32::try_from(month.unwrap_or(1)).ok()?;
            let d = u32::try_from(day.unwrap_or(1)).ok()?;
            if d > days_in_month(y, m) {
                return None;
            }
            days_from_civil(y, m, d)
        }
    };
    // Cross-check every parsed date field against the resolved date.
    let (y, m, d) = crate::time::civil::civil_from_days(days);
    if year.is_some_and(|v| v != y)
        || month.is_some_and(|v| v != i64::from(m))
        || day.is_some_and(|v| v != i64::from(d))
        || doy.is_some_and(|v| v != days - days_from_civil(y, 1, 1) + 1)
    {
        return None;
    }
    Some(days)
}
