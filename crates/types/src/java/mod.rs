//! Java's text for floating-point numbers.
//!
//! Spark renders doubles and floats with `java.lang.Double.toString` / `Float.toString`
//! everywhere a student sees them (`show()`, JSON, CSV, casts to string), so StreamLab must
//! print `1.220703E-4` where Rust would print `0.0001220703`.
//!
//! Java's layout: plain decimal notation when `1e-3 <= |v| < 1e7` (always at least one digit after
//! the point), otherwise computerized scientific notation `d.dddE±n` (no `+` sign, at least one
//! digit after the point). The digits are those of the JDK 17 algorithm
//! (`jdk.internal.math.FloatingDecimal`, which Spark 3.5 runs on): usually the shortest that
//! round-trip, but sometimes one more (`2e23` prints `1.9999999999999998E23`). This module is a
//! port of that algorithm, so the output matches digit for digit.

mod bignum;

use bignum::BigUint;

/// Formats `v` exactly as Java 17's `Double.toString(double)`.
///
/// Why: Spark prints every `double` cell and JSON/CSV value through this method.
///
/// ```
/// use streamlab_types::java::double_to_string;
/// assert_eq!(double_to_string(10.0), "10.0");
/// assert_eq!(double_to_string(1.220703E-4), "1.220703E-4");
/// assert_eq!(double_to_string(123456789.123), "1.23456789123E8");
/// assert_eq!(double_to_string(-6.256103500000001E-4), "-6.256103500000001E-4");
/// assert_eq!(double_to_string(2e23), "1.9999999999999998E23"); // JDK 17, not shortest
/// assert_eq!(double_to_string(f64::NAN), "NaN");
/// assert_eq!(double_to_string(-0.0), "-0.0");
/// ```
pub fn double_to_string(v: f64) -> String {
    let bits = v.to_bits();
    let negative = bits >> 63 != 0;
    let mut fract = bits & SIGNIF_MASK;
    let mut bin_exp = ((bits >> 52) & 0x7ff) as i32;
    if bin_exp == 0x7ff {
        return if fract != 0 {
            "NaN".to_string()
        } else if negative {
            "-Infinity".to_string()
        } else {
            "Infinity".to_string()
        };
    }
    let n_significant_bits;
    if bin_exp == 0 {
        if fract == 0 {
            return if negative { "-0.0" } else { "0.0" }.to_string();
        }
        let leading = fract.leading_zeros() as i32;
        let shift = leading - (63 - EXP_SHIFT);
        fract <<= shift;
        bin_exp = 1 - shift;
        n_significant_bits = 64 - leading;
    } else {
        fract |= FRACT_HOB;
        n_significant_bits = EXP_SHIFT + 1;
    }
    bin_exp -= 1023;
    let d = dtoa(bin_exp, fract, n_significant_bits);
    d.java_chars(negative)
}

/// Formats `v` exactly as Java 17's `Float.toString(float)`.
///
/// Why: Spark `float` columns (`real` in DDL) print through this method, with the float's own
/// digits (`0.1f` prints `0.1`, not `0.10000000149011612`).
///
/// ```
/// use streamlab_types::java::float_to_string;
/// assert_eq!(float_to_string(0.1), "0.1");
/// assert_eq!(float_to_string(1.0e10), "1.0E10");
/// assert_eq!(float_to_string(f32::NEG_INFINITY), "-Infinity");
/// ```
pub fn float_to_string(v: f32) -> String {
    let bits = v.to_bits();
    let negative = bits >> 31 != 0;
    let mut fract = bits & 0x007f_ffff;
    let mut bin_exp = ((bits >> 23) & 0xff) as i32;
    if bin_exp == 0xff {
        return if fract != 0 {
            "NaN".to_string()
        } else if negative {
            "-Infinity".to_string()
        } else {
            "Infinity".to_string()
        };
    }
    let n_significant_bits;
    if bin_exp == 0 {
        if fract == 0 {
            return if negative { "-0.0" } else { "0.0" }.to_string();
        }
        let leading = fract.leading_zeros() as i32;
        let shift = leading - (31 - 23);
        fract <<= shift;
        bin_exp = 1 - shift;
        n_significant_bits = 32 - leading;
    } else {
        fract |= 1 << 23;
        n_significant_bits = 24;
    }
    bin_exp -= 127;
    let d = dtoa(bin_exp, u64::from(fract) << (EXP_SHIFT - 23), n_significant_bits);
    d.java_chars(negative)
}

const EXP_SHIFT: i32 = 52;
const FRACT_HOB: u64 = 1 << 52;
const SIGNIF_MASK: u64 = FRACT_HOB - 1;
const EXP_ONE: u64 = 0x3ff << 52;
const MAX_SMALL_BIN_EXP: i32 = 62;
const MIN_SMALL_BIN_EXP: i32 = -(63 / 3);
const N_5_BITS: [i32; 27] =
    [0, 3, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28, 31, 33, 35, 38, 40, 42, 45, 47, 49, 52, 54, 56, 59, 61];
const INSIGNIFICANT_DIGITS: [i32; 64] = [
    0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 9, 9, 10, 10, 10, 11,
    11, 11, 12, 12, 12, 12, 13, 13, 13, 14, 14, 14, 15, 15, 15, 15, 16, 16, 16, 17, 17, 17, 18, 18, 18, 19,
];

fn pow5_u64(n: i32) -> u64 {
    5u64.pow(n as u32)
}

/// Decimal digits and exponent (`value = 0.d1d2… × 10^dec_exponent`).
struct Decimal {
    digits: Vec<u8>,
    dec_exponent: i32,
}

impl Decimal {
    /// `BinaryToASCIIBuffer.roundup`.
    fn roundup(&mut self) {
        let mut i = self.digits.len() - 1;
        let mut q = self.digits[i];
        if q == b'9' {
            while q == b'9' && i > 0 {
                self.digits[i] = b'0';
                i -= 1;
                q = self.digits[i];
            }
            if q == b'9' {
                self.dec_exponent += 1;
                self.digits[0] = b'1';
                return;
            }
        }
        self.digits[i] = q + 1;
    }

    /// `BinaryToASCIIBuffer.getChars` (`toJavaFormatString`).
    fn java_chars(&self, negative: bool) -> String {
        let digits = std::str::from_utf8(&self.digits).unwrap_or("0");
        let n = digits.len();
        let e = self.dec_exponent;
        let mut out = String::with_capacity(n + 8);
        if negative {
            out.push('-');
        }
        if e > 0 && e < 8 {
            let len = n.min(e as usize);
            out.push_str(&digits[..len]);
            if len < e as usize {
                out.push_str(&"0".repeat(e as usize - len));
                out.push_str(".0");
            } else {
                out.push('.');
                if len < n {
                    out.push_str(&digits[len..]);
                } else {
                    out.push('0');
                }
            }
        } else if e <= 0 && e > -3 {
            out.push_str("0.");
            out.push_str(&"0".repeat((-e) as usize));
            out.push_str(digits);
        } else {
            out.push_str(&digits[..1]);
            out.push('.');
            if n > 1 {
                out.push_str(&digits[1..]);
            } else {
                out.push('0');
            }
            out.push('E');
            out.push_str(&(e - 1).to_string());
        }
        out
    }
}

/// `FloatingDecimal.estimateDecExp`: floor(log10(d)) estimated from the bits.
// Java's constants verbatim (not `LOG10_2`): the estimate must round exactly like the JDK.
#[allow(clippy::approx_constant)]
fn estimate_dec_exp(fract: u64, bin_exp: i32) -> i32 {
    let d2 = f64::from_bits(EXP_ONE | (fract & SIGNIF_MASK));
    let d = (d2 - 1.5) * 0.289529654 + 0.176091259 + f64::from(bin_exp) * 0.301029995663981;
    let d_bits = d.to_bits();
    let exponent = ((d_bits >> 52) & 0x7ff) as i32 - 1023;
    let negative = d_bits >> 63 != 0;
    if (0..52).contains(&exponent) {
        let mask = SIGNIF_MASK >> exponent;
        let r = (((d_bits & SIGNIF_MASK) | FRACT_HOB) >> (EXP_SHIFT - exponent)) as i32;
        if negative {
            if mask & d_bits == 0 {
                -r
            } else {
                -r - 1
            }
        } else {
            r
        }
    } else if exponent < 0 {
        if d_bits & !(1u64 << 63) == 0 {
            0
        } else if negative {
            -1
        } else {
            0
        }
    } else {
        d as i32
    }
}

/// `BinaryToASCIIBuffer.developLongDigits`.
fn develop_long_digits(mut dec_exponent: i32, mut lvalue: u64, insignificant: i32) -> Decimal {
    if insignificant != 0 {
        let pow10 = pow5_u64(insignificant) << insignificant;
        let residue = lvalue % pow10;
        lvalue /= pow10;
        dec_exponent += insignificant;
        if residue >= (pow10 >> 1) {
            lvalue += 1;
        }
    }
    let mut text = lvalue.to_string().into_bytes();
    while text.len() > 1 && text.last() == Some(&b'0') {
        text.pop();
        dec_exponent += 1;
    }
    // Java counts the exponent from the last digit: value = digits × 10^dec_exponent.
    let n = text.len() as i32;
    Decimal { digits: text, dec_exponent: dec_exponent + n }
}

/// `BinaryToASCIIBuffer.dtoa` for the compatible (`toString`) format.
fn dtoa(bin_exp: i32, fract_bits: u64, n_significant_bits: i32) -> Decimal {
    let tail_zeros = fract_bits.trailing_zeros() as i32;
    let n_fract_bits = EXP_SHIFT + 1 - tail_zeros;
    let n_tiny_bits = (n_fract_bits - bin_exp - 1).max(0);
    if (MIN_SMALL_BIN_EXP..=MAX_SMALL_BIN_EXP).contains(&bin_exp)
        && n_tiny_bits < 27
        && n_fract_bits + N_5_BITS[n_tiny_bits as usize] < 64
        && n_tiny_bits == 0
    {
        let insignificant = if bin_exp > n_significant_bits {
            let p2 = bin_exp - n_significant_bits - 1;
            if p2 > 1 && p2 < 64 {
                INSIGNIFICANT_DIGITS[p2 as usize]
            } else {
                0
            }
        } else {
            0
        };
        let value = if bin_exp >= EXP_SHIFT { fract_bits << (bin_exp - EXP_SHIFT) } else { fract_bits >> (EXP_SHIFT - bin_exp) };
        return develop_long_digits(0, value, insignificant);
    }
    let mut dec_exp = estimate_dec_exp(fract_bits, bin_exp);
    let b5 = (-dec_exp).max(0);
    let mut b2 = b5 + n_tiny_bits + bin_exp;
    let s5 = dec_exp.max(0);
    let mut s2 = s5 + n_tiny_bits;
    let m5 = b5;
    let mut m2 = b2 - n_significant_bits;
    let fract = fract_bits >> tail_zeros;
    b2 -= n_fract_bits - 1;
    let common = b2.min(s2);
    b2 -= common;
    s2 -= common;
    m2 -= common;
    if n_fract_bits == 1 {
        m2 -= 1;
    }
    if m2 < 0 {
        b2 -= m2;
        s2 -= m2;
        m2 = 0;
    }
    let bits_of5 = |n: i32| if (n as usize) < N_5_BITS.len() { N_5_BITS[n as usize] } else { n * 3 };
    let b_bits = n_fract_bits + b2 + bits_of5(b5);
    let ten_s_bits = s2 + 1 + bits_of5(s5 + 1);
    // Whether the first digit forces at least two digits (E-form needs `d.d`).
    let force_two = |dec_exp: i32| !(-3..8).contains(&dec_exp);
    let mut digits: Vec<u8> = Vec::with_capacity(20);
    let (low, high, low_digit_difference): (bool, bool, i64);
    if b_bits < 64 && ten_s_bits < 64 {
        if b_bits < 32 && ten_s_bits < 32 {
            // All ints (Java `int`, wrapping).
            let mut b = (fract as i32).wrapping_mul(5i32.wrapping_pow(b5 as u32)).wrapping_shl(b2 as u32);
            let s = 5i32.wrapping_pow(s5 as u32).wrapping_shl(s2 as u32);
            let mut m = 5i32.wrapping_pow(m5 as u32).wrapping_shl(m2 as u32);
            let tens = s.wrapping_mul(10);
            let mut q = b / s;
            b = 10i32.wrapping_mul(b % s);
            m = m.wrapping_mul(10);
            let (mut lo, mut hi) = (b < m, b.wrapping_add(m) > tens);
            if q == 0 && !hi {
                dec_exp -= 1;
            } else {
                digits.push(b'0' + q as u8);
            }
            if force_two(dec_exp) {
                lo = false;
                hi = false;
            }
            while !lo && !hi {
                q = b / s;
                b = 10i32.wrapping_mul(b % s);
                m = m.wrapping_mul(10);
                if m > 0 {
                    lo = b < m;
                    hi = b.wrapping_add(m) > tens;
                } else {
                    lo = true;
                    hi = true;
                }
                digits.push(b'0' + q as u8);
            }
            low = lo;
            high = hi;
            low_digit_difference = i64::from(b.wrapping_shl(1).wrapping_sub(tens));
        } else {
            // All longs (Java `long`, wrapping).
            let mut b = (fract as i64).wrapping_mul(5i64.wrapping_pow(b5 as u32)).wrapping_shl(b2 as u32);
            let s = 5i64.wrapping_pow(s5 as u32).wrapping_shl(s2 as u32);
            let mut m = 5i64.wrapping_pow(m5 as u32).wrapping_shl(m2 as u32);
            let tens = s.wrapping_mul(10);
            let mut q = b / s;
            b = 10i64.wrapping_mul(b % s);
            m = m.wrapping_mul(10);
            let (mut lo, mut hi) = (b < m, b.wrapping_add(m) > tens);
            if q == 0 && !hi {
                dec_exp -= 1;
            } else {
                digits.push(b'0' + q as u8);
            }
            if force_two(dec_exp) {
                lo = false;
                hi = false;
            }
            while !lo && !hi {
                q = b / s;
                b = 10i64.wrapping_mul(b % s);
                m = m.wrapping_mul(10);
                if m > 0 {
                    lo = b < m;
                    hi = b.wrapping_add(m) > tens;
                } else {
                    lo = true;
                    hi = true;
                }
                digits.push(b'0' + q as u8);
            }
            low = lo;
            high = hi;
            low_digit_difference = b.wrapping_shl(1).wrapping_sub(tens);
        }
    } else {
        // FDBigInteger arithmetic (exact).
        let s = BigUint::pow52(s5 as u32, s2 as u32);
        let mut b = BigUint::from_u64(fract).mul_pow52(b5 as u32, b2 as u32);
        let mut m = BigUint::pow52(m5 as u32 + 1, m2 as u32 + 1);
        let ten_s = BigUint::pow52(s5 as u32 + 1, s2 as u32 + 1);
        let mut q = b.quo_rem_iteration(&s);
        let (mut lo, mut hi) = (b < m, ten_s <= b.add(&m));
        if q == 0 && !hi {
            dec_exp -= 1;
        } else {
            digits.push(b'0' + q);
        }
        if force_two(dec_exp) {
            lo = false;
            hi = false;
        }
        while !lo && !hi {
            q = b.quo_rem_iteration(&s);
            m = m.mul_small(10);
            lo = b < m;
            hi = ten_s <= b.add(&m);
            digits.push(b'0' + q);
        }
        low = lo;
        high = hi;
        low_digit_difference = if hi && lo {
            match b.shl(1).cmp(&ten_s) {
                std::cmp::Ordering::Less => -1,
                std::cmp::Ordering::Equal => 0,
                std::cmp::Ordering::Greater => 1,
            }
        } else {
            0
        };
    }
    if digits.is_empty() {
        digits.push(b'0');
    }
    let mut d = Decimal { digits, dec_exponent: dec_exp + 1 };
    if high {
        if low {
            if low_digit_difference == 0 {
                if d.digits.last().is_some_and(|c| (c - b'0') & 1 != 0) {
                    d.roundup();
                }
            } else if low_digit_difference > 0 {
                d.roundup();
            }
        } else {
            d.roundup();
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_match_java() {
        let cases: &[(f64, &str)] = &[
            (10.0, "10.0"),
            (1.220703E-4, "1.220703E-4"),
            (1.23456789123E8, "1.23456789123E8"),
            (-6.256103500000001E-4, "-6.256103500000001E-4"),
            (0.001, "0.001"),
            (0.00099, "9.9E-4"),
            (9999999.0, "9999999.0"),
            (1e7, "1.0E7"),
            (123.456, "123.456"),
            (0.1, "0.1"),
            (1.0, "1.0"),
            (-1.5, "-1.5"),
            (100.0, "100.0"),
            (f64::MAX, "1.7976931348623157E308"),
            (f64::MIN_POSITIVE, "2.2250738585072014E-308"),
            (5e-324, "4.9E-324"),
            (1e100, "1.0E100"),
            (1e23, "9.999999999999999E22"),
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (f64::INFINITY, "Infinity"),
            (f64::NEG_INFINITY, "-Infinity"),
        ];
        for (v, s) in cases {
            assert_eq!(double_to_string(*v), *s, "{v:e}");
        }
    }

    #[test]
    fn floats_match_java() {
        assert_eq!(float_to_string(1.1), "1.1");
        assert_eq!(float_to_string(1e-4), "1.0E-4");
        assert_eq!(float_to_string(f32::MAX), "3.4028235E38");
        assert_eq!(float_to_string(1.4e-45), "1.4E-45");
        assert_eq!(float_to_string(f32::NAN), "NaN");
        assert_eq!(float_to_string(-0.0), "-0.0");
    }
}
