//! HyperLogLog++ exactly as Spark's `HyperLogLogPlusPlusHelper` (registers of 6 bits, Spark's
//! `XxHash64` with seed 42 over the value as Spark hashes it, bias correction from the paper's
//! tables, linear counting below the thresholds), so `approx_count_distinct` gives Spark's
//! numbers, not merely similar ones.

use super::hll_tables::{BIAS_DATA, RAW_ESTIMATE_DATA, THRESHOLDS};
use crate::literal::Literal;

const P1: u64 = 0x9E37_79B1_85EB_CA87;
const P2: u64 = 0xC2B2_AE3D_27D4_EB4F;
const P3: u64 = 0x1656_67B1_9E37_79F9;
const P4: u64 = 0x85EB_CA77_C2B2_AE63;
const P5: u64 = 0x27D4_EB2F_1656_67C5;

fn fmix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(P2);
    h ^= h >> 29;
    h = h.wrapping_mul(P3);
    h ^= h >> 32;
    h
}

/// Spark's `XXH64.hashInt`.
pub(crate) fn hash_int(input: i32, seed: u64) -> u64 {
    let mut h = seed.wrapping_add(P5).wrapping_add(4);
    h ^= u64::from(input as u32).wrapping_mul(P1);
    h = h.rotate_left(23).wrapping_mul(P2).wrapping_add(P3);
    fmix(h)
}

/// Spark's `XXH64.hashLong`.
pub(crate) fn hash_long(input: i64, seed: u64) -> u64 {
    let mut h = seed.wrapping_add(P5).wrapping_add(8);
    h ^= (input as u64).wrapping_mul(P2).rotate_left(31).wrapping_mul(P1);
    h = h.rotate_left(27).wrapping_mul(P1).wrapping_add(P4);
    fmix(h)
}

fn read_u64(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(a)
}

/// Spark's `XXH64.hashUnsafeBytes` (little-endian words).
pub(crate) fn hash_bytes(b: &[u8], seed: u64) -> u64 {
    let len = b.len();
    let mut off = 0usize;
    let mut h: u64;
    if len >= 32 {
        let (mut v1, mut v2, mut v3, mut v4) =
            (seed.wrapping_add(P1).wrapping_add(P2), seed.wrapping_add(P2), seed, seed.wrapping_sub(P1));
        let round = |v: u64, x: u64| v.wrapping_add(x.wrapping_mul(P2)).rotate_left(31).wrapping_mul(P1);
        while off + 32 <= len {
            v1 = round(v1, read_u64(b, off));
            v2 = round(v2, read_u64(b, off + 8));
            v3 = round(v3, read_u64(b, off + 16));
            v4 = round(v4, read_u64(b, off + 24));
            off += 32;
        }
        h = v1.rotate_left(1).wrapping_add(v2.rotate_left(7)).wrapping_add(v3.rotate_left(12)).wrapping_add(v4.rotate_left(18));
        for v in [v1, v2, v3, v4] {
            h ^= v.wrapping_mul(P2).rotate_left(31).wrapping_mul(P1);
            h = h.wrapping_mul(P1).wrapping_add(P4);
        }
    } else {
        h = seed.wrapping_add(P5);
    }
    h = h.wrapping_add(len as u64);
    while off + 8 <= len {
        h ^= read_u64(b, off).wrapping_mul(P2).rotate_left(31).wrapping_mul(P1);
        h = h.rotate_left(27).wrapping_mul(P1).wrapping_add(P4);
        off += 8;
    }
    if off + 4 <= len {
        let mut a = [0u8; 4];
        a.copy_from_slice(&b[off..off + 4]);
        h ^= u64::from(u32::from_le_bytes(a)).wrapping_mul(P1);
        h = h.rotate_left(23).wrapping_mul(P2).wrapping_add(P3);
        off += 4;
    }
    while off < len {
        h ^= u64::from(b[off]).wrapping_mul(P5);
        h = h.rotate_left(11).wrapping_mul(P1);
        off += 1;
    }
    fmix(h)
}

/// Spark's `XxHash64Function.hash(value, type, seed)` for one non-null value; floats are
/// normalized first (`-0.0` → `0.0`, one `NaN`), as HLL++ does. `None` for a null.
pub(crate) fn xxhash64(v: &Literal, seed: u64) -> Option<u64> {
    Some(match v {
        Literal::Null | Literal::DataType(_) => return None,
        Literal::Boolean(b) => hash_int(i32::from(*b), seed),
        Literal::Byte(x) => hash_int(i32::from(*x), seed),
        Literal::Short(x) => hash_int(i32::from(*x), seed),
        Literal::Int(x) | Literal::Date(x) => hash_int(*x, seed),
        Literal::Long(x) | Literal::Timestamp(x) => hash_long(*x, seed),
        Literal::Float(f) => {
            let f = if *f == 0.0 { 0.0f32 } else if f.is_nan() { f32::NAN } else { *f };
            let bits = if f.is_nan() { 0x7fc0_0000u32 } else { f.to_bits() };
            hash_int(bits as i32, seed)
        }
        Literal::Double(d) => {
            let d = if *d == 0.0 { 0.0f64 } else { *d };
            let bits = if d.is_nan() { 0x7ff8_0000_0000_0000u64 } else { d.to_bits() };
            hash_long(bits as i64, seed)
        }
        Literal::Decimal(u, p, _) if *p <= 18 => hash_long(*u as i64, seed),
        Literal::Decimal(u, _, _) => hash_bytes(&java_big_integer_bytes(*u), seed),
        Literal::String(s) => hash_bytes(s.as_bytes(), seed),
        Literal::Binary(b) => hash_bytes(b, seed),
    })
}

/// `BigInteger.toByteArray()`: minimal big-endian two's complement.
fn java_big_integer_bytes(v: i128) -> Vec<u8> {
    let b = v.to_be_bytes();
    let mut i = 0;
    while i < 15 && ((b[i] == 0 && b[i + 1] & 0x80 == 0) || (b[i] == 0xff && b[i + 1] & 0x80 != 0)) {
        i += 1;
    }
    b[i..].to_vec()
}

/// The HLL++ sketch for one relative standard deviation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Hll {
    p: u32,
    registers: Vec<u8>,
}

/// `p` for a relative SD (`ceil(2 log2(1.106 / rsd))`), or `None` when Spark refuses it (p < 4).
pub(crate) fn precision_for(relative_sd: f64) -> Option<u32> {
    let p = (2.0 * (1.106 / relative_sd).ln() / 2f64.ln()).ceil();
    if p.is_nan() || p < 4.0 {
        return None;
    }
    // Spark sizes registers with `1 << p`; beyond 18 the sketch is huge, keep it bounded.
    Some(p.min(18.0) as u32)
}

impl Hll {
    /// An empty sketch with precision `p` (4..=18).
    pub(crate) fn new(p: u32) -> Hll {
        let p = p.clamp(4, 18);
        Hll { p, registers: vec![0; 1 << p] }
    }

    /// Adds one non-null value.
    pub(crate) fn add(&mut self, v: &Literal) {
        let Some(x) = xxhash64(v, 42) else { return };
        let idx = (x >> (64 - self.p)) as usize;
        let w_padding = 1u64 << (self.p - 1);
        let pw = ((x << self.p) | w_padding).leading_zeros() as u8 + 1;
        if let Some(r) = self.registers.get_mut(idx) {
            if pw > *r {
                *r = pw;
            }
        }
    }

    /// Register-wise maximum with another sketch of the same precision.
    pub(crate) fn merge_registers(&mut self, other: &[u8]) {
        for (a, b) in self.registers.iter_mut().zip(other) {
            if *b > *a {
                *a = *b;
            }
        }
    }

    /// The registers, one byte each.
    pub(crate) fn registers(&self) -> &[u8] {
        &self.registers
    }

    fn estimate_bias(&self, e: f64) -> f64 {
        let k = 6usize;
        let idx = (self.p - 4) as usize;
        let (Some(estimates), Some(biases)) = (RAW_ESTIMATE_DATA.get(idx), BIAS_DATA.get(idx)) else { return 0.0 };
        let n = estimates.len();
        if n == 0 {
            return 0.0;
        }
        // java.util.Arrays.binarySearch: index of e, or the insertion point
        let nearest = match estimates.binary_search_by(|x| x.partial_cmp(&e).unwrap_or(std::cmp::Ordering::Less)) {
            Ok(i) | Err(i) => i,
        };
        let distance = |i: usize| {
            let d = e - estimates[i];
            d * d
        };
        let mut low = (nearest as i64 - k as i64 + 1).max(0) as usize;
        let mut high = (low + k).min(n);
        while high < n && distance(high) < distance(low) {
            low += 1;
            high += 1;
        }
        let sum: f64 = biases[low..high.min(biases.len())].iter().sum();
        sum / (high - low) as f64
    }

    /// Spark's `query`: the estimate, rounded.
    pub(crate) fn estimate(&self) -> i64 {
        let m = (1u64 << self.p) as f64;
        let mut z_inverse = 0.0f64;
        let mut v = 0.0f64;
        for &r in &self.registers {
            z_inverse += 1.0 / (1u64 << r.min(63)) as f64;
            if r == 0 {
                v += 1.0;
            }
        }
        let alpha_m2 = match self.p {
            4 => 0.673 * m * m,
            5 => 0.697 * m * m,
            6 => 0.709 * m * m,
            _ => (0.7213 / (1.0 + 1.079 / m)) * m * m,
        };
        let e = alpha_m2 / z_inverse;
        let corrected = || if self.p < 19 && e < 5.0 * m { e - self.estimate_bias(e) } else { e };
        let estimate = if v > 0.0 {
            let h = m * (m / v).ln();
            let threshold = THRESHOLDS.get((self.p - 4) as usize).copied().unwrap_or(0.0);
            if (self.p < 19 && h <= threshold) || e <= 2.5 * m {
                h
            } else {
                corrected()
            }
        } else {
            corrected()
        };
        // Java Math.round: floor(x + 0.5)
        (estimate + 0.5).floor() as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values of Spark 3.5.9's `xxhash64(...)` (seed 42).
    #[test]
    fn xxhash64_matches_spark() {
        let cases: Vec<(Literal, i64)> = vec![
            (Literal::Int(1), -6698625589789238999),
            (Literal::Long(1), -7001672635703045582),
            (Literal::String("abc".into()), 1423657621850124518),
            (Literal::String("".into()), -7444071767201028348),
            (Literal::String("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG".into()), 6670108270069419518),
            (Literal::Double(1.5), 7738255526519901366),
            (Literal::Boolean(true), -6698625589789238999),
            (Literal::Float(1.5), 6163473420726370430),
            (Literal::String("abcde".into()), -990457398947679591),
            (Literal::String("abcdefghij".into()), 2022022473492580998),
            (Literal::Date(19723), 3242891694566951137),
            (Literal::Decimal(125, 5, 2), 2287599437899865974),
        ];
        for (v, want) in cases {
            assert_eq!(xxhash64(&v, 42).map(|h| h as i64), Some(want), "{v:?}");
        }
    }

    #[test]
    fn precision_for_default_rsd_is_9() {
        assert_eq!(precision_for(0.05), Some(9));
        assert_eq!(precision_for(0.5), None);
    }
}
