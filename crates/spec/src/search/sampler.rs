//! The search's generator. spec depends on nothing of rnnlab (the tasks crate's xoshiro256** is
//! downstream of it), and the sampler needs only a few dozen draws per sweep, so it has its own
//! SplitMix64 (Steele, Lea & Flood 2014, "Fast splittable pseudorandom number generators"):
//! a 64-bit counter advanced by the golden-ratio increment and passed through a bijective mix.
//! Written here from the paper's definition; its first outputs for seed 0 are pinned in the
//! tests against the values published with the reference implementation.

/// SplitMix64: `state += 0x9E3779B97F4A7C15`, output `mix(state)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitMix64 {
    state: u64,
}

/// The increment: 2⁶⁴ / φ, rounded to odd.
const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// The next 64 uniformly distributed bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN_GAMMA);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform double in [0, 1): the top 53 bits of a draw over 2⁵³, so every value is a
    /// multiple of 2⁻⁵³ and equally likely.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A uniform integer in 0..n without modulo bias: draws at or above the largest multiple
    /// of n that fits in 2⁶⁴ are rejected (fewer than half of them, so the expected number of
    /// draws is below 2). `n == 0` stands for 2⁶⁴: any draw.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return self.next_u64();
        }
        // 2⁶⁴ mod n, computed without 128-bit arithmetic: (2⁶⁴ − n) mod n.
        let rejected = n.wrapping_neg() % n;
        let limit = u64::MAX - rejected; // draws in 0..=limit are kept: a multiple of n of them
        loop {
            let r = self.next_u64();
            if r <= limit {
                return r % n;
            }
        }
    }
}
