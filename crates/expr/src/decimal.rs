//! Spark's `decimal(p,s)` on `i128`: text, parsing, rounding (HALF_UP) and the result types of
//! decimal arithmetic (`DecimalPrecision`, with `allowPrecisionLoss=true`).

use arrow::datatypes::DataType;

/// Spark's maximum decimal precision (`DecimalType.MAX_PRECISION`): results wider than this lose
/// scale or become `null`.
///
/// ```
/// assert_eq!(streamlab_expr::decimal::MAX_PRECISION, 38);
/// ```
pub const MAX_PRECISION: u8 = 38;

/// `10^n` for `n <= 38`, else `None`.
///
/// ```
/// assert_eq!(streamlab_expr::decimal::pow10(3), Some(1000));
/// ```
pub fn pow10(n: u32) -> Option<i128> {
    10i128.checked_pow(n)
}

/// Whether `v` has at most `precision` digits.
///
/// ```
/// assert!(streamlab_expr::decimal::fits(999, 3) && !streamlab_expr::decimal::fits(1000, 3));
/// ```
pub fn fits(v: i128, precision: u8) -> bool {
    match pow10(u32::from(precision)) {
        Some(limit) => v.checked_abs().is_some_and(|a| a < limit),
        None => true,
    }
}

/// Number of decimal digits of `|v|` (1 for 0).
///
/// ```
/// assert_eq!(streamlab_expr::decimal::digits(-150), 3);
/// ```
pub fn digits(v: i128) -> u8 {
    let mut a = v.unsigned_abs();
    let mut n = 1u8;
    while a >= 10 {
        a /= 10;
        n += 1;
    }
    n
}

/// Changes the scale of an unscaled value, rounding HALF_UP when digits are dropped; `None` on
/// overflow.
///
/// ```
/// use streamlab_expr::decimal::rescale;
/// assert_eq!(rescale(15, 1, 0), Some(2));
/// assert_eq!(rescale(-15, 1, 0), Some(-2));
/// assert_eq!(rescale(15, 1, 3), Some(1500));
/// ```
pub fn rescale(v: i128, from: i8, to: i8) -> Option<i128> {
    let diff = i32::from(to) - i32::from(from);
    if diff >= 0 {
        v.checked_mul(pow10(diff as u32)?)
    } else {
        let d = match pow10((-diff) as u32) {
            Some(d) => d,
            None => return Some(0),
        };
        Some(div_half_up(v, d))
    }
}

/// `a / b` rounded HALF_UP (away from zero on ties); `b` must not be 0.
///
/// ```
/// assert_eq!(streamlab_expr::decimal::div_half_up(5, 2), 3);
/// assert_eq!(streamlab_expr::decimal::div_half_up(-5, 2), -3);
/// ```
pub fn div_half_up(a: i128, b: i128) -> i128 {
    if b == 0 {
        return 0;
    }
    let q = a.wrapping_div(b);
    let r = a.wrapping_rem(b);
    let twice = r.unsigned_abs().saturating_mul(2);
    if twice >= b.unsigned_abs() {
        if (a < 0) != (b < 0) {
            q - 1
        } else {
            q + 1
        }
    } else {
        q
    }
}

/// Java's `BigDecimal.toString()` of `unscaled × 10^-scale`, which Spark uses for decimal
/// column names and casts to string: plain unless the exponent is small (`1E-7`).
///
/// ```
/// use streamlab_expr::decimal::to_string;
/// assert_eq!(to_string(15, 1), "1.5");
/// assert_eq!(to_string(-5, 3), "-0.005");
/// assert_eq!(to_string(0, 2), "0.00");
/// assert_eq!(to_string(1, 7), "1E-7");
/// ```
pub fn to_string(unscaled: i128, scale: i8) -> String {
    let neg = unscaled < 0;
    let coeff = unscaled.unsigned_abs().to_string();
    let scale = i64::from(scale);
    let adjusted = -scale + (coeff.len() as i64 - 1);
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if scale >= 0 && adjusted >= -6 {
        if scale == 0 {
            out.push_str(&coeff);
        } else {
            let len = coeff.len() as i64;
            if len > scale {
                let split = (len - scale) as usize;
                out.push_str(&coeff[..split]);
                out.push('.');
                out.push_str(&coeff[split..]);
            } else {
                out.push_str("0.");
                for _ in 0..(scale - len) {
                    out.push('0');
                }
                out.push_str(&coeff);
            }
        }
    } else {
        out.push_str(&coeff[..1]);
        if coeff.len() > 1 {
            out.push('.');
            out.push_str(&coeff[1..]);
        }
        out.push('E');
        if adjusted >= 0 {
            out.push('+');
        }
        out.push_str(&adjusted.to_string());
    }
    out
}

/// Parses Java `BigDecimal` text (`-1.50`, `1e3`, `.5`) into `(unscaled, scale)`; the scale is
/// never negative (Spark disallows negative scales, so `1e3` becomes `(1000, 0)`).
///
/// ```
/// use streamlab_expr::decimal::parse;
/// assert_eq!(parse("1.50"), Some((150, 2)));
/// assert_eq!(parse("1e3"), Some((1000, 0)));
/// assert_eq!(parse("abc"), None);
/// ```
pub fn parse(s: &str) -> Option<(i128, i8)> {
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut neg = false;
    if let Some(&c) = bytes.first() {
        if c == b'+' || c == b'-' {
            neg = c == b'-';
            i = 1;
        }
    }
    let mut unscaled: i128 = 0;
    let mut scale: i64 = 0;
    let mut any = false;
    let mut seen_dot = false;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_digit() {
            any = true;
            unscaled = unscaled.checked_mul(10)?.checked_add(i128::from(c - b'0'))?;
            if seen_dot {
                scale += 1;
            }
        } else if c == b'.' && !seen_dot {
            seen_dot = true;
        } else {
            break;
        }
        i += 1;
    }
    if !any {
        return None;
    }
    if i < bytes.len() {
        let c = bytes[i];
        if c != b'e' && c != b'E' {
            return None;
        }
        let exp: i64 = s.get(i + 1..)?.parse().ok()?;
        scale = scale.checked_sub(exp)?;
    }
    if neg {
        unscaled = -unscaled;
    }
    if scale < 0 {
        unscaled = unscaled.checked_mul(pow10(u32::try_from(-scale).ok()?)?)?;
        scale = 0;
    }
    if scale > 127 {
        // Far below any representable decimal: round to what scale 38 can hold.
        let v = rescale_wide(unscaled, scale, 38)?;
        return Some((v, 38));
    }
    Some((unscaled, scale as i8))
}

fn rescale_wide(v: i128, from: i64, to: i64) -> Option<i128> {
    let drop = from - to;
    if drop > 38 {
        return Some(0);
    }
    rescale(v, 38i8.checked_add(drop as i8)?, 38)
}

/// An unscaled value at `(precision, scale)` from `(unscaled, scale)`, HALF_UP; `None` when the
/// value does not fit (Spark's non-ANSI result: `null`).
///
/// ```
/// use streamlab_expr::decimal::change_precision;
/// assert_eq!(change_precision(12345, 2, 4, 1), Some(1235));
/// assert_eq!(change_precision(12345, 2, 3, 1), None);
/// ```
pub fn change_precision(v: i128, scale: i8, to_precision: u8, to_scale: i8) -> Option<i128> {
    let r = rescale(v, scale, to_scale)?;
    if fits(r, to_precision) {
        Some(r)
    } else {
        None
    }
}

/// The double nearest to the decimal (`Decimal.toDouble`).
///
/// ```
/// assert_eq!(streamlab_expr::decimal::to_f64(15, 1), 1.5);
/// ```
pub fn to_f64(v: i128, scale: i8) -> f64 {
    format!("{}e{}", v, -i32::from(scale)).parse().unwrap_or(f64::NAN)
}

/// The decimal of a double as Spark makes it (`BigDecimal(Double.toString(d))`, then HALF_UP to
/// the target); `None` for NaN/∞ or overflow.
///
/// ```
/// assert_eq!(streamlab_expr::decimal::from_f64(1.25, 10, 1), Some(13));
/// assert_eq!(streamlab_expr::decimal::from_f64(f64::NAN, 10, 1), None);
/// ```
pub fn from_f64(d: f64, precision: u8, scale: i8) -> Option<i128> {
    if !d.is_finite() {
        return None;
    }
    let text = streamlab_types::java::double_to_string(d);
    let (v, s) = parse(&text)?;
    change_precision(v, s, precision, scale)
}

/// `DecimalType.forType`: the decimal that holds every value of an integral type.
///
/// ```
/// use arrow::datatypes::DataType;
/// assert_eq!(streamlab_expr::decimal::for_integral(&DataType::Int64), Some((20, 0)));
/// ```
pub fn for_integral(t: &DataType) -> Option<(u8, i8)> {
    match t {
        DataType::Int8 => Some((3, 0)),
        DataType::Int16 => Some((5, 0)),
        DataType::Int32 => Some((10, 0)),
        DataType::Int64 => Some((20, 0)),
        DataType::Float32 => Some((14, 7)),
        DataType::Float64 => Some((30, 15)),
        _ => None,
    }
}

/// `DecimalType.bounded`: caps precision and scale at 38.
///
/// ```
/// assert_eq!(streamlab_expr::decimal::bounded(40, 2), (38, 2));
/// ```
pub fn bounded(p: i32, s: i32) -> (u8, i8) {
    (p.clamp(1, 38) as u8, s.clamp(0, 38) as i8)
}

/// `DecimalType.adjustPrecisionScale` (precision loss allowed): keeps at least 6 fraction digits
/// when the integral part needs room.
///
/// ```
/// assert_eq!(streamlab_expr::decimal::adjust_precision_scale(40, 10), (38, 8));
/// assert_eq!(streamlab_expr::decimal::adjust_precision_scale(30, 10), (30, 10));
/// ```
pub fn adjust_precision_scale(p: i32, s: i32) -> (u8, i8) {
    if p <= 38 {
        return bounded(p, s);
    }
    let int_digits = p - s;
    let min_scale = s.min(6);
    let adjusted = (38 - int_digits).max(min_scale);
    bounded(38, adjusted)
}

/// `DecimalPrecision.widerDecimalType`: a decimal wide enough for both.
///
/// ```
/// assert_eq!(streamlab_expr::decimal::wider((10, 0), (2, 1)), (11, 1));
/// ```
pub fn wider(a: (u8, i8), b: (u8, i8)) -> (u8, i8) {
    let scale = i32::from(a.1.max(b.1));
    let range = (i32::from(a.0) - i32::from(a.1)).max(i32::from(b.0) - i32::from(b.1));
    bounded(range + scale, scale)
}
