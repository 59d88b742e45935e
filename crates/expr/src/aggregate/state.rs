//! Accumulator state as bytes: what the engine writes into a checkpoint state file and reads back
//! on restart. The format is exact (floats by their bits, decimals by their unscaled value) and
//! versioned by a 4-byte magic, `SLA1`.
//!
//! Layout: `SLA1`, a little-endian `u32` value count, then per value a tag byte and its payload
//! (`u32` length before strings and binaries).

use streamlab_types::{Result, SparkError};

use crate::literal::Literal;

const MAGIC: &[u8; 4] = b"SLA1";

/// Serializes accumulator state ([`super::Accumulator::state`]) to bytes.
///
/// Why: state must survive a restart exactly, including `NaN`, `-0.0` and HLL registers.
///
/// ```
/// use streamlab_expr::aggregate::{decode_state, encode_state};
/// use streamlab_expr::Literal;
/// let s = vec![Literal::Double(f64::NAN), Literal::Long(-3), Literal::Null, Literal::String("é".into())];
/// let back = decode_state(&encode_state(&s).unwrap()).unwrap();
/// assert!(matches!(back[0], Literal::Double(d) if d.is_nan()));
/// assert_eq!(&back[1..], &s[1..]);
/// ```
pub fn encode_state(values: &[Literal]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(8 + values.len() * 9);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&len_u32(values.len())?.to_le_bytes());
    for v in values {
        match v {
            Literal::Null => out.push(0),
            Literal::Boolean(b) => {
                out.push(1);
                out.push(u8::from(*b));
            }
            Literal::Byte(x) => {
                out.push(2);
                out.extend_from_slice(&x.to_le_bytes());
            }
            Literal::Short(x) => {
                out.push(3);
                out.extend_from_slice(&x.to_le_bytes());
            }
            Literal::Int(x) => {
                out.push(4);
                out.extend_from_slice(&x.to_le_bytes());
            }
            Literal::Long(x) => {
                out.push(5);
                out.extend_from_slice(&x.to_le_bytes());
            }
            Literal::Float(x) => {
                out.push(6);
                out.extend_from_slice(&x.to_bits().to_le_bytes());
            }
            Literal::Double(x) => {
                out.push(7);
                out.extend_from_slice(&x.to_bits().to_le_bytes());
            }
            Literal::Decimal(v, p, s) => {
                out.push(8);
                out.extend_from_slice(&v.to_le_bytes());
                out.push(*p);
                out.extend_from_slice(&s.to_le_bytes());
            }
            Literal::String(s) => {
                out.push(9);
                out.extend_from_slice(&len_u32(s.len())?.to_le_bytes());
                out.extend_from_slice(s.as_bytes());
            }
            Literal::Binary(b) => {
                out.push(10);
                out.extend_from_slice(&len_u32(b.len())?.to_le_bytes());
                out.extend_from_slice(b);
            }
            Literal::Date(d) => {
                out.push(11);
                out.extend_from_slice(&d.to_le_bytes());
            }
            Literal::Timestamp(t) => {
                out.push(12);
                out.extend_from_slice(&t.to_le_bytes());
            }
            Literal::DataType(_) => return Err(SparkError::runtime("internal error: a type is not aggregate state")),
        }
    }
    Ok(out)
}

fn len_u32(n: usize) -> Result<u32> {
    u32::try_from(n).map_err(|_| SparkError::runtime("aggregate state too large"))
}

/// Reads bytes written by [`encode_state`]; corrupt input is an error, never a panic.
///
/// ```
/// use streamlab_expr::aggregate::decode_state;
/// assert!(decode_state(b"nope").is_err());
/// assert!(decode_state(b"SLA1\x01\x00\x00\x00\x05\x01").is_err()); // truncated long
/// ```
pub fn decode_state(bytes: &[u8]) -> Result<Vec<Literal>> {
    let mut r = Reader { bytes, pos: 0 };
    if r.take(4)? != MAGIC {
        return Err(corrupt("bad magic"));
    }
    let n = u32::from_le_bytes(r.array::<4>()?) as usize;
    let mut out = Vec::with_capacity(n.min(1024));
    for _ in 0..n {
        let tag = r.take(1)?[0];
        out.push(match tag {
            0 => Literal::Null,
            1 => Literal::Boolean(r.take(1)?[0] != 0),
            2 => Literal::Byte(i8::from_le_bytes(r.array::<1>()?)),
            3 => Literal::Short(i16::from_le_bytes(r.array::<2>()?)),
            4 => Literal::Int(i32::from_le_bytes(r.array::<4>()?)),
            5 => Literal::Long(i64::from_le_bytes(r.array::<8>()?)),
            6 => Literal::Float(f32::from_bits(u32::from_le_bytes(r.array::<4>()?))),
            7 => Literal::Double(f64::from_bits(u64::from_le_bytes(r.array::<8>()?))),
            8 => {
                let v = i128::from_le_bytes(r.array::<16>()?);
                let p = r.take(1)?[0];
                let s = i8::from_le_bytes(r.array::<1>()?);
                Literal::Decimal(v, p, s)
            }
            9 => {
                let len = u32::from_le_bytes(r.array::<4>()?) as usize;
                let b = r.take(len)?;
                Literal::String(String::from_utf8(b.to_vec()).map_err(|_| corrupt("invalid UTF-8"))?)
            }
            10 => {
                let len = u32::from_le_bytes(r.array::<4>()?) as usize;
                Literal::Binary(r.take(len)?.to_vec())
            }
            11 => Literal::Date(i32::from_le_bytes(r.array::<4>()?)),
            12 => Literal::Timestamp(i64::from_le_bytes(r.array::<8>()?)),
            t => return Err(corrupt(&format!("unknown tag {t}"))),
        });
    }
    if r.pos != bytes.len() {
        return Err(corrupt("trailing bytes"));
    }
    Ok(out)
}

fn corrupt(what: &str) -> SparkError {
    SparkError::illegal_state(format!("Corrupt aggregate state: {what}."))
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).ok_or_else(|| corrupt("length overflow"))?;
        let s = self.bytes.get(self.pos..end).ok_or_else(|| corrupt("truncated"))?;
        self.pos = end;
        Ok(s)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let s = self.take(N)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }
}
