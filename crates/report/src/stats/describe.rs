//! Mean, standard deviation and a t-based confidence interval of a sample of seeds.

use super::dist::t_quantile;

/// What the tables say about a metric over the seeds of one variant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Describe {
    pub n: usize,
    pub mean: f64,
    /// Sample standard deviation (n - 1 in the denominator); NaN when n < 2.
    pub sd: f64,
    /// Half-width of the 95% confidence interval of the mean, t_{0.975, n-1} · sd / √n: with a
    /// handful of seeds the normal 1.96 would be far too narrow. NaN when n < 2.
    pub half_width: f64,
}

impl Describe {
    /// Describes the finite values of `values` (NaN and infinities, e.g. a diverged run's loss,
    /// are left out: `n` says how many counted).
    pub fn of(values: &[f64]) -> Describe {
        let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        let n = finite.len();
        if n == 0 {
            return Describe {
                n,
                mean: f64::NAN,
                sd: f64::NAN,
                half_width: f64::NAN,
            };
        }
        let mean = mean(&finite);
        let sd = sample_sd(&finite, mean);
        Describe::from_moments(n, mean, sd)
    }

    /// From summary statistics (as a committed baseline stores them).
    pub fn from_moments(n: usize, mean: f64, sd: f64) -> Describe {
        let half_width = if n >= 2 {
            t_quantile(0.975, (n - 1) as f64) * sd / (n as f64).sqrt()
        } else {
            f64::NAN
        };
        Describe {
            n,
            mean,
            sd,
            half_width,
        }
    }

    pub fn ci_low(&self) -> f64 {
        self.mean - self.half_width
    }

    pub fn ci_high(&self) -> f64 {
        self.mean + self.half_width
    }
}

pub fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// Sample standard deviation around a given mean; NaN for fewer than two values.
pub fn sample_sd(values: &[f64], mean: f64) -> f64 {
    if values.len() < 2 {
        return f64::NAN;
    }
    let ss: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
    (ss / (values.len() - 1) as f64).sqrt()
}

/// The median of finite values; NaN when there are none.
pub fn median(values: &[f64]) -> f64 {
    middle(values.iter().copied().filter(|x| x.is_finite()).collect())
}

/// The median of `v`, infinities included (a run counted as the worst value); NaN when empty.
pub(crate) fn middle(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        0.5 * (v[m - 1] + v[m])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference: numpy.mean, numpy.std(ddof=1) and scipy.stats.t.interval(0.95, n-1,
    /// loc=mean, scale=sem) on [0.91, 0.88, 0.95, 0.97, 0.90] (SciPy 1.17.1):
    /// mean 0.922, sd 0.037013511046643, CI (0.876041656, 0.967958344).
    #[test]
    fn matches_scipy_interval() {
        let d = Describe::of(&[0.91, 0.88, 0.95, 0.97, 0.90, f64::NAN]);
        assert_eq!(d.n, 5);
        assert!((d.mean - 0.922).abs() < 1e-12);
        assert!((d.sd - 0.037013511046643).abs() < 1e-12);
        assert!((d.ci_low() - 0.876041656).abs() < 1e-8, "{}", d.ci_low());
        assert!((d.ci_high() - 0.967958344).abs() < 1e-8, "{}", d.ci_high());
    }

    #[test]
    fn median_of_even_and_odd() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[f64::NAN]).is_nan());
    }
}
