//! A small deterministic random generator (xorshift64*) for StreamLab's property and no-panic
//! tests.
//!
//! Why here and not a `rand` dependency: every crate's tests need the same few calls, the
//! sequence must be the same on every target (natively and in wasm) so that a failing seed
//! replays, and `types` is the crate every other one already depends on.

/// The generator's state; the same seed always gives the same sequence.
///
/// ```
/// use streamlab_types::rng::Rng;
/// let (mut a, mut b) = (Rng::new(7), Rng::new(7));
/// assert_eq!(a.next_u64(), b.next_u64());
/// assert!(a.below(10) < 10);
/// assert!(["x", "y"].contains(&a.pick(&["x", "y"])));
/// ```
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed` (zero, which xorshift cannot leave, is replaced by a constant).
    pub fn new(seed: u64) -> Self {
        Rng(if seed == 0 { 0x9e37_79b9_7f4a_7c15 } else { seed })
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// One of `items`, which must not be empty.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}
