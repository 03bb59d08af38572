//! The seeded random stream of the Monte-Carlo fallbacks (permutation and log-rank tests).
//!
//! Why a generator of our own: a report must come out the same on every build (golden files,
//! CI baselines), so no test may touch global or OS randomness, and the two dozen lines below
//! cost less than a dependency. SplitMix64 (Steele, Lea & Flood 2014, "Fast splittable
//! pseudorandom number generators", OOPSLA) passes BigCrush and is the generator Java's
//! `SplittableRandom` uses; `bootstrap.rs` keeps its own private copy of the same algorithm.

/// SplitMix64 with a fixed starting state.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A uniform integer in 0..n (n > 0), without bias: Lemire's multiply-and-shift with
    /// rejection (Lemire 2019, "Fast random integer generation in an interval", ACM TOMACS).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        let mut m = self.next_u64() as u128 * n as u128;
        if (m as u64) < n {
            let threshold = n.wrapping_neg() % n;
            while (m as u64) < threshold {
                m = self.next_u64() as u128 * n as u128;
            }
        }
        (m >> 64) as u64
    }

    /// Moves a uniformly random k-subset of `items` to its front (a partial Fisher-Yates
    /// shuffle, Knuth TAOCP vol. 2, Algorithm 3.4.2P, stopped after k steps).
    pub(crate) fn choose_front(&mut self, items: &mut [usize], k: usize) {
        let n = items.len();
        for i in 0..k.min(n) {
            let j = i + self.below((n - i) as u64) as usize;
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference: the first outputs of SplitMix64 seeded with 1234567, as printed by the
    /// authors' C reference implementation (Vigna, prng.di.unimi.it/splitmix64.c).
    #[test]
    fn matches_reference_stream() {
        let mut r = SplitMix64::new(1234567);
        assert_eq!(r.next_u64(), 6457827717110365317);
        assert_eq!(r.next_u64(), 3203168211198807973);
        assert_eq!(r.next_u64(), 9817491932198370423);
    }

    #[test]
    fn below_is_in_range_and_roughly_uniform() {
        let mut r = SplitMix64::new(7);
        let mut counts = [0u32; 6];
        for _ in 0..60_000 {
            counts[r.below(6) as usize] += 1;
        }
        // Each count is Binomial(60000, 1/6): sd about 91, so 500 is more than 5 sd.
        assert!(
            counts.iter().all(|&c| (c as i64 - 10_000).abs() < 500),
            "{counts:?}"
        );
    }

    #[test]
    fn choose_front_keeps_a_permutation() {
        let mut r = SplitMix64::new(3);
        let mut items: Vec<usize> = (0..10).collect();
        r.choose_front(&mut items, 4);
        let mut sorted = items.clone();
        sorted.sort();
        assert_eq!(sorted, (0..10).collect::<Vec<_>>());
    }
}
