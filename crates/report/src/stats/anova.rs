//! Main effects by functional ANOVA over the sweep's grid (Hooker 2007; Hutter, Hoos &
//! Leyton-Brown 2014), the importance measure of Greff et al. 2017, "LSTM: A Search Space
//! Odyssey".
//!
//! Why: a sweep crosses several axes; the first question of a reader is which of them matters.
//! Greff et al. fit a random forest to random-search results and integrate it; a grid sweep
//! already has every cell, so the marginals are exact averages. With the uniform measure over
//! the grid's cells, the metric's variance splits into one main-effect term per axis, the
//! interactions between axes, and the seed-to-seed noise inside cells:
//!
//! ```text
//! f(c)       = mean of the seeds in cell c            μ   = mean over cells of f(c)
//! f_k(l)     = mean of f(c) over cells with axis k = l
//! V_k        = mean over levels l of (f_k(l) - μ)²    (main effect of axis k)
//! V_cells    = mean over cells of (f(c) - μ)²         (everything the axes explain)
//! V_seeds    = mean over cells of the within-cell variance (ddof 0)
//! total      = V_cells + V_seeds; fractions are V / total, interactions = V_cells - Σ V_k.
//! ```
//!
//! On a complete, balanced grid the fractions sum to 1. With excluded cells the marginals are
//! averages over the cells present and V_k is averaged over cells rather than levels (the
//! between-level share of V_cells, Pearson's correlation ratio), so each axis stays within
//! what the cells explain; the axes are then no longer orthogonal, the split is approximate
//! (the report says so) and `interactions` is floored at 0.

/// One row of the main-effects table.
#[derive(Debug, Clone, PartialEq)]
pub struct MainEffect {
    /// An axis, or `interactions`, or `seeds`.
    pub source: String,
    /// Fraction of the metric's variance it explains, 0..=1.
    pub fraction: f64,
}

/// `cells`: one entry per grid cell, its level on every axis (same order as `axes`) and its
/// seeds' values. Cells without a finite value are ignored. Returns the axes in order, then
/// `interactions`, then `seeds`; empty when the metric does not vary at all.
pub fn main_effects(axes: &[String], cells: &[(Vec<String>, Vec<f64>)]) -> Vec<MainEffect> {
    let cells: Vec<(&Vec<String>, Vec<f64>)> = cells
        .iter()
        .map(|(levels, values)| {
            let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
            (levels, finite)
        })
        .filter(|(_, v)| !v.is_empty())
        .collect();
    if cells.is_empty() {
        return Vec::new();
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let f: Vec<f64> = cells.iter().map(|(_, v)| mean(v)).collect();
    let mu = mean(&f);
    let v_cells = f.iter().map(|x| (x - mu) * (x - mu)).sum::<f64>() / f.len() as f64;
    let v_seeds = cells
        .iter()
        .zip(&f)
        .map(|((_, v), m)| v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / v.len() as f64)
        .sum::<f64>()
        / cells.len() as f64;
    let total = v_cells + v_seeds;
    if total <= 0.0 || !total.is_finite() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut explained = 0.0;
    for (k, axis) in axes.iter().enumerate() {
        // Marginal mean of each level, over the cells present.
        let level = |lv: &Vec<String>| lv.get(k).cloned().unwrap_or_default();
        let mut sums: std::collections::HashMap<String, (f64, usize)> = Default::default();
        for ((lv, _), fc) in cells.iter().zip(&f) {
            let slot = sums.entry(level(lv)).or_default();
            slot.0 += fc;
            slot.1 += 1;
        }
        // Averaged over cells (each level weighted by its number of cells): on a complete grid
        // every level has the same count and this is the mean over levels of the formula
        // above; on an incomplete one it stays a share of V_cells (at most all of it).
        let v_k = cells
            .iter()
            .map(|(lv, _)| {
                let (sum, n) = sums[&level(lv)];
                let m = sum / n as f64;
                (m - mu) * (m - mu)
            })
            .sum::<f64>()
            / cells.len() as f64;
        explained += v_k;
        out.push(MainEffect {
            source: axis.clone(),
            fraction: v_k / total,
        });
    }
    out.push(MainEffect {
        source: "interactions".into(),
        fraction: ((v_cells - explained) / total).max(0.0),
    });
    out.push(MainEffect {
        source: "seeds".into(),
        fraction: v_seeds / total,
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference: the definitions above evaluated in NumPy on a 2 × 3 grid with 3 seeds per
    /// cell (an array y[cell, length, seed]):
    ///   f = y.mean(2); mu = f.mean(); V_a = ((f.mean(1) - mu)**2).mean();
    ///   V_b = ((f.mean(0) - mu)**2).mean(); V_cells = ((f - mu)**2).mean();
    ///   V_seeds = y.var(2).mean(); fractions = V / (V_cells + V_seeds).
    #[test]
    fn matches_numpy_on_a_balanced_grid() {
        let y = [
            [[0.90, 0.92, 0.94], [0.80, 0.85, 0.83], [0.60, 0.70, 0.65]],
            [[0.50, 0.55, 0.52], [0.30, 0.35, 0.40], [0.20, 0.21, 0.25]],
        ];
        let cells_a = ["lstm", "rnn"];
        let lengths = ["50", "100", "200"];
        let mut cells = Vec::new();
        for (i, a) in cells_a.iter().enumerate() {
            for (j, b) in lengths.iter().enumerate() {
                cells.push((vec![a.to_string(), b.to_string()], y[i][j].to_vec()));
            }
        }
        let axes = vec!["model.cell".to_string(), "task.length".to_string()];
        let got = main_effects(&axes, &cells);
        let want = [
            ("model.cell", FA),
            ("task.length", FB),
            ("interactions", FI),
            ("seeds", FS),
        ];
        assert_eq!(got.len(), 4);
        for (g, (name, w)) in got.iter().zip(want) {
            assert_eq!(g.source, name);
            assert!(
                (g.fraction - w).abs() < 1e-12,
                "{name}: {} vs {w}",
                g.fraction
            );
        }
        let sum: f64 = got.iter().map(|e| e.fraction).sum();
        assert!((sum - 1.0).abs() < 1e-12);
    }

    const FA: f64 = 0.7611586583222557;
    const FB: f64 = 0.22129617182715727;
    const FI: f64 = 0.004341483572562834;
    const FS: f64 = 0.013203686278024224;

    /// An excluded cell keeps every fraction within 0..=1 and the sum at 1 at least.
    #[test]
    fn incomplete_grids_stay_bounded() {
        let cells = vec![
            (vec!["rnn".to_string(), "50".to_string()], vec![0.42, 0.40]),
            (vec!["rnn".to_string(), "100".to_string()], vec![0.10, 0.05]),
            (vec!["lstm".to_string(), "50".to_string()], vec![0.95, 0.96]),
            (
                vec!["lstm".to_string(), "100".to_string()],
                vec![0.93, 0.92],
            ),
            (
                vec!["lstm".to_string(), "200".to_string()],
                vec![0.89, 0.90],
            ),
        ];
        let axes = vec!["cell".to_string(), "length".to_string()];
        let got = main_effects(&axes, &cells);
        assert!(
            got.iter().all(|e| (0.0..=1.0).contains(&e.fraction)),
            "{got:?}"
        );
        let sum: f64 = got.iter().map(|e| e.fraction).sum();
        assert!(sum >= 1.0 - 1e-12, "{got:?}");
    }

    #[test]
    fn constant_metric_has_no_effects() {
        let cells = vec![(vec!["a".to_string()], vec![1.0, 1.0])];
        assert!(main_effects(&["x".to_string()], &cells).is_empty());
    }
}
