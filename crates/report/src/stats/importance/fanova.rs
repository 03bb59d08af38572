//! The exact functional-ANOVA decomposition of one regression tree's prediction function over
//! the search space (Hutter, Hoos & Leyton-Brown 2014, "An Efficient Approach for Assessing
//! Hyperparameter Importance", ICML, section 4 and Algorithm 1).
//!
//! Why exact: a tree is constant on each leaf's box, so every integral of the ANOVA is a finite
//! sum. With the uniform measure of `space.rs` (each axis normalised to length 1):
//!
//! ```text
//! m_l          = product over axes d of the share of axis d inside leaf l's box
//! f0           = sum_l m_l v_l                       (the mean prediction)
//! V            = sum_l m_l (v_l - f0)^2              (the total variance)
//! a_i(c)       = sum_{l covers c} v_l m_l / share_{l,i}      on each cell c of axis i
//! V_i          = sum_c w_c (a_i(c) - f0)^2           (main effect of parameter i)
//! V_ij         = sum_{c,e} w_c w_e (a_ij(c,e) - f0)^2 - V_i - V_j   (pairwise interaction)
//! ```
//!
//! The cells of an ordered axis are the intervals between the thresholds the tree uses on it
//! (so every leaf covers whole cells and each marginal is constant on a cell); a categorical
//! axis has one cell per label. `a_i` is the marginal prediction with every other parameter
//! averaged out; by the orthogonality of the ANOVA terms, the variance of the pairwise marginal
//! `a_ij` is V_i + V_j + V_ij.

use super::space::Axis;
use super::tree::{Node, Rule, Tree};

/// A tree's variance and its parts; `pairs` in the order (0,1), (0,2), ..., (1,2), ...
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Parts {
    pub(crate) total: f64,
    pub(crate) main: Vec<f64>,
    pub(crate) pairs: Vec<f64>,
}

/// One side of a leaf's box.
#[derive(Debug, Clone, Copy)]
enum Side {
    Interval(f64, f64),
    Labels(u64),
}

struct Leaf {
    value: f64,
    /// Per axis: the share of the axis inside the box.
    share: Vec<f64>,
    /// Per axis: the cells of that axis the box covers.
    cells: Vec<Vec<usize>>,
}

/// The decomposition of `tree` over the space spanned by `axes`.
pub(crate) fn decompose(tree: &Tree, axes: &[Axis]) -> Parts {
    let grids: Vec<Vec<f64>> = (0..axes.len())
        .map(|d| cell_bounds(tree, axes, d))
        .collect();
    let widths: Vec<Vec<f64>> = axes
        .iter()
        .zip(&grids)
        .map(|(axis, bounds)| match axis {
            Axis::Ordered { .. } => bounds
                .windows(2)
                .map(|w| (w[1] - w[0]) / axis.length())
                .collect(),
            Axis::Labels { k } => vec![1.0 / *k as f64; *k],
        })
        .collect();
    let leaves = leaves(tree, axes, &grids);
    let mass = |l: &Leaf, skip: &[usize]| -> f64 {
        (0..axes.len())
            .filter(|d| !skip.contains(d))
            .map(|d| l.share[d])
            .product()
    };
    let f0: f64 = leaves.iter().map(|l| mass(l, &[]) * l.value).sum();
    let total: f64 = leaves
        .iter()
        .map(|l| mass(l, &[]) * (l.value - f0).powi(2))
        .sum();

    let main: Vec<f64> = (0..axes.len())
        .map(|i| {
            if widths[i].len() == 1 {
                return 0.0;
            }
            let mut a = vec![0.0; widths[i].len()];
            for l in &leaves {
                let w = l.value * mass(l, &[i]);
                for &c in &l.cells[i] {
                    a[c] += w;
                }
            }
            a.iter()
                .zip(&widths[i])
                .map(|(a, w)| w * (a - f0).powi(2))
                .sum()
        })
        .collect();

    let mut pairs = Vec::with_capacity(axes.len() * axes.len().saturating_sub(1) / 2);
    for i in 0..axes.len() {
        for j in i + 1..axes.len() {
            let (ni, nj) = (widths[i].len(), widths[j].len());
            if ni == 1 || nj == 1 {
                pairs.push(0.0);
                continue;
            }
            let mut a = vec![0.0; ni * nj];
            for l in &leaves {
                let w = l.value * mass(l, &[i, j]);
                for &c in &l.cells[i] {
                    for &e in &l.cells[j] {
                        a[c * nj + e] += w;
                    }
                }
            }
            let mut var = 0.0;
            for c in 0..ni {
                for e in 0..nj {
                    var += widths[i][c] * widths[j][e] * (a[c * nj + e] - f0).powi(2);
                }
            }
            // Non-negative in exact arithmetic; rounding may leave a trace below zero.
            pairs.push((var - main[i] - main[j]).max(0.0));
        }
    }
    Parts { total, main, pairs }
}

/// The cell boundaries of ordered axis `d`: its ends and every threshold the tree uses on it
/// (empty for a categorical axis).
fn cell_bounds(tree: &Tree, axes: &[Axis], d: usize) -> Vec<f64> {
    let Axis::Ordered { low, high, .. } = axes[d] else {
        return Vec::new();
    };
    let mut bounds = vec![low, high];
    for node in &tree.nodes {
        if let Node::Split {
            feature,
            rule: Rule::Below(t),
            ..
        } = *node
        {
            if feature == d && t > low && t < high {
                bounds.push(t);
            }
        }
    }
    bounds.sort_by(f64::total_cmp);
    bounds.dedup();
    bounds
}

/// Every leaf with its box, found by walking down from the root with the whole space.
fn leaves(tree: &Tree, axes: &[Axis], grids: &[Vec<f64>]) -> Vec<Leaf> {
    let whole: Vec<Side> = axes
        .iter()
        .map(|a| match *a {
            Axis::Ordered { low, high, .. } => Side::Interval(low, high),
            Axis::Labels { k } => Side::Labels(u64::MAX >> (64 - k)),
        })
        .collect();
    let mut out = Vec::new();
    let mut stack = vec![(0usize, whole)];
    while let Some((at, sides)) = stack.pop() {
        match tree.nodes[at] {
            Node::Leaf { value } => out.push(leaf(value, &sides, axes, grids)),
            Node::Split {
                feature,
                rule,
                left,
                right,
            } => {
                let (mut l, mut r) = (sides.clone(), sides);
                match (rule, l[feature]) {
                    (Rule::Below(t), Side::Interval(lo, hi)) => {
                        l[feature] = Side::Interval(lo, t.clamp(lo, hi));
                        r[feature] = Side::Interval(t.clamp(lo, hi), hi);
                    }
                    (Rule::In(set), Side::Labels(have)) => {
                        l[feature] = Side::Labels(have & set);
                        r[feature] = Side::Labels(have & !set);
                    }
                    _ => unreachable!("a split's rule matches its axis"),
                }
                stack.push((right, r));
                stack.push((left, l));
            }
        }
    }
    out
}

fn leaf(value: f64, sides: &[Side], axes: &[Axis], grids: &[Vec<f64>]) -> Leaf {
    let mut share = Vec::with_capacity(axes.len());
    let mut cells = Vec::with_capacity(axes.len());
    for ((side, axis), bounds) in sides.iter().zip(axes).zip(grids) {
        match *side {
            Side::Interval(lo, hi) => {
                share.push((hi - lo) / axis.length());
                // lo and hi are cell boundaries, so the covered cells are a run of indices.
                let first = bounds.partition_point(|&b| b < lo);
                let last = bounds.partition_point(|&b| b < hi);
                cells.push((first..last).collect());
            }
            Side::Labels(set) => {
                share.push(set.count_ones() as f64 / axis.length());
                cells.push((0..64).filter(|&b| set >> b & 1 == 1).collect());
            }
        }
    }
    Leaf {
        value,
        share,
        cells,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit() -> Axis {
        Axis::Ordered {
            low: 0.0,
            high: 1.0,
            discrete: false,
        }
    }

    fn split(feature: usize, t: f64, left: usize, right: usize) -> Node {
        Node::Split {
            feature,
            rule: Rule::Below(t),
            left,
            right,
        }
    }

    fn leaf(value: f64) -> Node {
        Node::Leaf { value }
    }

    /// x < 0.5 gives 0, else 1: a Bernoulli(1/2) of scale 1, variance 1/4, all of it x's.
    #[test]
    fn a_single_step_is_all_main_effect() {
        let tree = Tree {
            nodes: vec![split(0, 0.5, 1, 2), leaf(0.0), leaf(1.0)],
        };
        let parts = decompose(&tree, &[unit(), unit()]);
        assert!((parts.total - 0.25).abs() < 1e-15);
        assert!((parts.main[0] - 0.25).abs() < 1e-15);
        assert_eq!(parts.main[1], 0.0);
        assert_eq!(parts.pairs, vec![0.0]);
    }

    /// XOR on the unit square: f = 1 where exactly one of x < 1/2, y < 1/2 holds. Both
    /// marginals are flat (1/2 everywhere): the whole variance 1/4 is the interaction.
    #[test]
    fn xor_is_pure_interaction() {
        let tree = Tree {
            nodes: vec![
                split(0, 0.5, 1, 2),
                split(1, 0.5, 3, 4),
                split(1, 0.5, 5, 6),
                leaf(0.0),
                leaf(1.0),
                leaf(1.0),
                leaf(0.0),
            ],
        };
        let parts = decompose(&tree, &[unit(), unit()]);
        assert!((parts.total - 0.25).abs() < 1e-15);
        assert!(
            parts.main.iter().all(|v| v.abs() < 1e-15),
            "{:?}",
            parts.main
        );
        assert!((parts.pairs[0] - 0.25).abs() < 1e-15);
    }

    /// Unequal cells and a label axis: f = 3 on x < 0.2, else 1 if the label is 0 of {0, 1},
    /// else 0. Hand computation: leaves (3, m 0.2), (1, m 0.4), (0, m 0.4); f0 = 1.0;
    /// V = 0.2·4 + 0.4·0 + 0.4·1 = 1.2. a_x = 3 on [0, 0.2), 0.5 on [0.2, 1]:
    /// V_x = 0.2·4 + 0.8·0.25 = 1.0. a_label = (0.6 + 0.8, 0.6) = (1.4, 0.6):
    /// V_label = 0.5·0.16 + 0.5·0.16 = 0.16; V_pair = 1.2 - 1.0 - 0.16 = 0.04.
    #[test]
    fn matches_a_hand_computation_with_labels() {
        let axes = [unit(), Axis::Labels { k: 2 }];
        let tree = Tree {
            nodes: vec![
                split(0, 0.2, 1, 2),
                leaf(3.0),
                Node::Split {
                    feature: 1,
                    rule: Rule::In(0b01),
                    left: 3,
                    right: 4,
                },
                leaf(1.0),
                leaf(0.0),
            ],
        };
        let parts = decompose(&tree, &axes);
        assert!((parts.total - 1.2).abs() < 1e-12, "{parts:?}");
        assert!((parts.main[0] - 1.0).abs() < 1e-12, "{parts:?}");
        assert!((parts.main[1] - 0.16).abs() < 1e-12, "{parts:?}");
        assert!((parts.pairs[0] - 0.04).abs() < 1e-12, "{parts:?}");
    }
}
