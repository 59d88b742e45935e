//! Minimal unsigned big integers for the exact branch of Java's `dtoa` (`FDBigInteger`).

use std::cmp::Ordering;

/// Little-endian base-2^32 unsigned integer without leading zero words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BigUint(Vec<u32>);

impl BigUint {
    pub fn from_u64(v: u64) -> Self {
        let mut b = BigUint(vec![v as u32, (v >> 32) as u32]);
        b.trim();
        b
    }

    fn trim(&mut self) {
        while self.0.len() > 1 && self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    /// `5^p5 × 2^p2`.
    pub fn pow52(p5: u32, p2: u32) -> Self {
        BigUint::from_u64(1).mul_pow52(p5, p2)
    }

    /// `self × 5^p5 × 2^p2`.
    pub fn mul_pow52(mut self, p5: u32, p2: u32) -> Self {
        let mut left = p5;
        while left > 0 {
            let step = left.min(13); // 5^13 < 2^32
            self = self.mul_small(5u32.pow(step));
            left -= step;
        }
        self.shl(p2)
    }

    pub fn mul_small(&self, k: u32) -> Self {
        let mut out = Vec::with_capacity(self.0.len() + 1);
        let mut carry = 0u64;
        for w in &self.0 {
            let v = u64::from(*w) * u64::from(k) + carry;
            out.push(v as u32);
            carry = v >> 32;
        }
        if carry > 0 {
            out.push(carry as u32);
        }
        let mut b = BigUint(out);
        b.trim();
        b
    }

    pub fn shl(&self, bits: u32) -> Self {
        let words = (bits / 32) as usize;
        let bits = bits % 32;
        let mut out = vec![0u32; words];
        let mut carry = 0u32;
        for w in &self.0 {
            if bits == 0 {
                out.push(*w);
            } else {
                out.push((*w << bits) | carry);
                carry = *w >> (32 - bits);
            }
        }
        if carry > 0 {
            out.push(carry);
        }
        let mut b = BigUint(out);
        b.trim();
        b
    }

    pub fn add(&self, other: &BigUint) -> Self {
        let n = self.0.len().max(other.0.len());
        let mut out = Vec::with_capacity(n + 1);
        let mut carry = 0u64;
        for i in 0..n {
            let v = u64::from(self.0.get(i).copied().unwrap_or(0)) + u64::from(other.0.get(i).copied().unwrap_or(0)) + carry;
            out.push(v as u32);
            carry = v >> 32;
        }
        if carry > 0 {
            out.push(carry as u32);
        }
        let mut b = BigUint(out);
        b.trim();
        b
    }

    /// `self -= other` (requires `self >= other`).
    fn sub_assign(&mut self, other: &BigUint) {
        let mut borrow = 0i64;
        for i in 0..self.0.len() {
            let v = i64::from(self.0[i]) - i64::from(other.0.get(i).copied().unwrap_or(0)) - borrow;
            if v < 0 {
                self.0[i] = (v + (1i64 << 32)) as u32;
                borrow = 1;
            } else {
                self.0[i] = v as u32;
                borrow = 0;
            }
        }
        self.trim();
    }

    /// `FDBigInteger.quoRemIteration`: returns `q = self / s` (a digit) and sets
    /// `self = (self % s) × 10`.
    pub fn quo_rem_iteration(&mut self, s: &BigUint) -> u8 {
        let mut q = 0u8;
        while *self >= *s && q < 200 {
            self.sub_assign(s);
            q += 1;
        }
        *self = self.mul_small(10);
        q
    }
}

impl PartialOrd for BigUint {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for BigUint {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.len().cmp(&other.0.len()).then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }
}
