//! Decimal text as Java's `BigDecimal` reads and prints it.
//!
//! Why: Spark parses decimal JSON/CSV values through `java.math.BigDecimal` with `ROUND_HALF_UP`
//! to the column's scale (a value that then needs more digits than the precision is malformed),
//! and prints them with `BigDecimal.toString`.

/// Parses `text` (`[+-]digits[.digits][e[+-]digits]`, also `.5` and `5.`) to the unscaled value
/// of a `decimal(precision, scale)`, rounding half up; `None` if malformed or too wide.
///
/// ```
/// use streamlab_io::decimal::parse_decimal;
/// assert_eq!(parse_decimal("1.235", 10, 2), Some(124));
/// assert_eq!(parse_decimal("-0.005", 10, 2), Some(-1));
/// assert_eq!(parse_decimal("1e2", 10, 2), Some(10000));
/// assert_eq!(parse_decimal("123456789012", 10, 2), None);
/// ```
pub fn parse_decimal(text: &str, precision: u8, scale: i8) -> Option<i128> {
    let b = text.as_bytes();
    let mut i = 0;
    let mut neg = false;
    if let Some(&c) = b.first() {
        if c == b'-' || c == b'+' {
            neg = c == b'-';
            i = 1;
        }
    }
    let mut digits: Vec<u8> = Vec::new();
    let mut exp: i64 = 0;
    let mut seen_digit = false;
    while let Some(&c) = b.get(i) {
        if !c.is_ascii_digit() {
            break;
        }
        seen_digit = true;
        if !(digits.is_empty() && c == b'0') {
            digits.push(c - b'0');
        }
        i += 1;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while let Some(&c) = b.get(i) {
            if !c.is_ascii_digit() {
                break;
            }
            seen_digit = true;
            exp -= 1;
            if !(digits.is_empty() && c == b'0') {
                digits.push(c - b'0');
            }
            i += 1;
        }
    }
    if !seen_digit {
        return None;
    }
    if let Some(&(b'e' | b'E')) = b.get(i) {
        i += 1;
        let mut eneg = false;
        if let Some(&c) = b.get(i) {
            if c == b'-' || c == b'+' {
                eneg = c == b'-';
                i += 1;
            }
        }
        let start = i;
        let mut e: i64 = 0;
        while let Some(&c) = b.get(i) {
            if !c.is_ascii_digit() {
                break;
            }
            e = e.saturating_mul(10).saturating_add(i64::from(c - b'0'));
            i += 1;
        }
        if i == start {
            return None;
        }
        exp = exp.saturating_add(if eneg { -e } else { e });
    }
    if i != b.len() {
        return None;
    }
    // value = digits × 10^exp; unscaled = digits × 10^(exp + scale)
    let shift = exp.saturating_add(i64::from(scale));
    if shift >= 0 {
        if digits.is_empty() {
            return Some(0);
        }
        if (digits.len() as i64).saturating_add(shift) > i64::from(precision) {
            return None;
        }
        digits.extend(std::iter::repeat_n(0, usize::try_from(shift).unwrap_or(0)));
    } else {
        let drop = usize::try_from(-shift).unwrap_or(usize::MAX);
        if drop > digits.len() {
            digits.clear();
        } else {
            let keep = digits.len() - drop;
            let round_up = digits.get(keep).map(|d| *d >= 5).unwrap_or(false);
            digits.truncate(keep);
            if round_up {
                let mut j = digits.len();
                loop {
                    if j == 0 {
                        digits.insert(0, 1);
                        break;
                    }
                    j -= 1;
                    if let Some(d) = digits.get_mut(j) {
                        if *d == 9 {
                            *d = 0;
                        } else {
                            *d += 1;
                            break;
                        }
                    }
                }
            }
        }
        while digits.first() == Some(&0) {
            digits.remove(0);
        }
    }
    if digits.len() > usize::from(precision) || digits.len() > 38 {
        return None;
    }
    let mut v: i128 = 0;
    for d in digits {
        v = v * 10 + i128::from(d);
    }
    Some(if neg { -v } else { v })
}

/// Java `BigDecimal.toString` of `unscaled × 10^-scale` (plain unless the exponent is small).
///
/// ```
/// use streamlab_io::decimal::format_decimal;
/// assert_eq!(format_decimal(150, 2), "1.50");
/// assert_eq!(format_decimal(-1, 2), "-0.01");
/// assert_eq!(format_decimal(1, 8), "1E-8");
/// assert_eq!(format_decimal(42, 0), "42");
/// ```
pub fn format_decimal(unscaled: i128, scale: i8) -> String {
    let neg = unscaled < 0;
    let coeff = unscaled.unsigned_abs().to_string();
    let scale = i64::from(scale);
    let adjusted = -scale + (coeff.len() as i64 - 1);
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if scale == 0 {
        out.push_str(&coeff);
    } else if scale > 0 && adjusted >= -6 {
        let s = scale as usize;
        if coeff.len() > s {
            let (a, b) = coeff.split_at(coeff.len() - s);
            out.push_str(a);
            out.push('.');
            out.push_str(b);
        } else {
            out.push_str("0.");
            for _ in 0..(s - coeff.len()) {
                out.push('0');
            }
            out.push_str(&coeff);
        }
    } else {
        let (a, b) = coeff.split_at(1);
        out.push_str(a);
        if !b.is_empty() {
            out.push('.');
            out.push_str(b);
        }
        out.push('E');
        if adjusted > 0 {
            out.push('+');
        }
        out.push_str(&adjusted.to_string());
    }
    out
}
