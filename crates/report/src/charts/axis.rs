//! Axes with exactly the ticks chosen here: the sweep's levels on a level axis, round numbers
//! on a linear one, decades on a log one (log scales transform the data; see [`super::draw`]).

use plotters::prelude::*;

use super::plot::Scale;
use crate::table::num;

/// An axis with exactly the tick positions chosen here. plotters' own `with_key_points` does
/// not offer its label formatter for f64 ranges, so this small [`Ranged`] does the mapping.
#[derive(Clone)]
pub(super) struct AxisMap {
    pub(super) lo: f64,
    pub(super) hi: f64,
    pub(super) ticks: Vec<(f64, String)>,
}

impl Ranged for AxisMap {
    type FormatOption = plotters::coord::ranged1d::DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let f = (value - self.lo) / (self.hi - self.lo);
        (limit.0 as f64 + f * (limit.1 - limit.0) as f64).round() as i32
    }

    fn key_points<Hint: plotters::coord::ranged1d::KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        // Bold points only: no light grid lines between ticks.
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.iter().map(|t| t.0).collect()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.lo..self.hi
    }
}

impl AxisMap {
    pub(super) fn label(&self, v: f64) -> String {
        let tol = 1e-9 * (self.hi - self.lo).abs().max(1e-12);
        self.ticks
            .iter()
            .find(|(t, _)| (t - v).abs() <= tol)
            .map(|(_, l)| l.clone())
            .unwrap_or_default()
    }
}

/// Round-number ticks (1, 2 or 5 × 10^k apart) covering lo..hi, about `target` of them.
fn nice_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    let span = hi - lo;
    if span <= 0.0 || !span.is_finite() {
        return vec![lo];
    }
    let raw = span / target as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

pub(super) fn axis(scale: Scale, values: &[f64], forced: Option<(f64, f64)>, pad: bool) -> AxisMap {
    let t: Vec<f64> = values
        .iter()
        .filter(|v| scale.usable(**v))
        .map(|v| scale.to(*v))
        .collect();
    let (mut lo, mut hi) = match forced {
        Some((a, b)) if scale.usable(a) && scale.usable(b) => (scale.to(a), scale.to(b)),
        _ => {
            let lo = t.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = t.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if lo.is_finite() {
                (lo, hi)
            } else {
                (0.0, 1.0)
            }
        }
    };
    if hi - lo <= 1e-12 * lo.abs().max(1.0) {
        let d = if scale == Scale::Log10 {
            0.5
        } else {
            0.5 * lo.abs().max(1.0)
        };
        lo -= d;
        hi += d;
    } else if pad && forced.is_none() {
        let d = 0.05 * (hi - lo);
        lo -= d;
        hi += d;
    } else if forced.is_some() {
        // A little air so that lines on the limits (accuracy 1.0) stay visible.
        let d = 0.02 * (hi - lo);
        lo -= d;
        hi += d;
    }
    let ticks = match scale {
        Scale::Linear => nice_ticks(lo, hi, 6)
            .into_iter()
            .map(|v| (v, num(v, 4)))
            .collect(),
        Scale::Log10 => {
            let mut exps: Vec<f64> = ((lo.ceil() as i64)..=(hi.floor() as i64))
                .map(|e| e as f64)
                .collect();
            if exps.len() < 2 {
                // Less than a decade: add 2× and 5× marks.
                let mut more = Vec::new();
                for e in (lo.floor() as i64)..=(hi.ceil() as i64) {
                    for m in [1.0, 2.0, 5.0] {
                        let v = (m * 10f64.powi(e as i32)).log10();
                        if v >= lo && v <= hi {
                            more.push(v);
                        }
                    }
                }
                exps = more;
            }
            // At most about 8 decade labels.
            let stride = exps.len().div_ceil(8).max(1);
            exps.into_iter()
                .step_by(stride)
                .map(|e| (e, num(10f64.powf(e), 3)))
                .collect()
        }
    };
    AxisMap { lo, hi, ticks }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_numbers() {
        assert_eq!(
            nice_ticks(0.0, 1.0, 5),
            vec![0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0]
        );
        assert_eq!(
            nice_ticks(0.0, 2000.0, 6),
            vec![0.0, 500.0, 1000.0, 1500.0, 2000.0]
        );
    }
}
