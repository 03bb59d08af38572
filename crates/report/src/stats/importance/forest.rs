//! A seeded random forest of regression trees (Breiman 2001, "Random Forests", Machine
//! Learning 45): each tree is grown on a bootstrap sample of the trials, each split chooses
//! among a random subset of the parameters (`Options::feature_ratio`; by default all of them,
//! measured in docs/importance.md), and splits minimise the squared error (CART,
//! Breiman et al. 1984). The forest only has to describe the trials' response surface well
//! enough to integrate it; `fanova.rs` does the integration, tree by tree.
//!
//! Splits: an ordered axis splits at the midpoint between two neighbouring trial values (at a
//! half-integer on a discrete axis, so no value is cut in two); a categorical axis splits into
//! two label sets, found exactly by ordering the labels present by their mean response (the
//! regression case of Breiman et al. 1984, section 9.4). Labels the node's trials do not show go
//! to the side with more trials. When none of the drawn parameters can split a node, the others
//! are tried before the node becomes a leaf, so a constant drawn parameter does not stop a tree.

use super::space::Axis;
use super::tree::{Node, Rule, Tree};
use crate::stats::rng::SplitMix64;

/// How trees are grown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Growth {
    /// Fewest (bootstrap) trials in a leaf.
    pub(crate) min_leaf: usize,
    /// Parameters drawn as candidates at each split.
    pub(crate) features: usize,
    /// Deepest a leaf may be.
    pub(crate) max_depth: usize,
}

/// Grows one tree on a bootstrap sample of the rows `x` (encoded trials) and responses `y`.
pub(crate) fn grow(
    axes: &[Axis],
    x: &[Vec<f64>],
    y: &[f64],
    growth: Growth,
    rng: &mut SplitMix64,
) -> Tree {
    let n = y.len();
    let sample: Vec<usize> = (0..n).map(|_| rng.below(n as u64) as usize).collect();
    let allowed: Vec<u64> = axes
        .iter()
        .map(|a| match a {
            Axis::Labels { k } => u64::MAX >> (64 - k),
            Axis::Ordered { .. } => 0,
        })
        .collect();
    let mut grower = Grower {
        axes,
        x,
        y,
        growth,
        rng,
        nodes: Vec::new(),
    };
    grower.node(sample, allowed, 0);
    Tree {
        nodes: grower.nodes,
    }
}

struct Grower<'a> {
    axes: &'a [Axis],
    x: &'a [Vec<f64>],
    y: &'a [f64],
    growth: Growth,
    rng: &'a mut SplitMix64,
    nodes: Vec<Node>,
}

/// A candidate split: the reduction of the squared error it buys, and its rule.
struct Candidate {
    gain: f64,
    feature: usize,
    rule: Rule,
}

impl Grower<'_> {
    /// Grows the subtree of the trials `rows` (bootstrap indices) and returns its node index.
    /// `allowed` holds, per categorical axis, the labels still inside this node's box.
    fn node(&mut self, rows: Vec<usize>, allowed: Vec<u64>, depth: usize) -> usize {
        let at = self.nodes.len();
        let mean = rows.iter().map(|&r| self.y[r]).sum::<f64>() / rows.len() as f64;
        self.nodes.push(Node::Leaf { value: mean });
        let pure = rows.iter().all(|&r| self.y[r] == self.y[rows[0]]);
        if pure || depth >= self.growth.max_depth || rows.len() < 2 * self.growth.min_leaf {
            return at;
        }
        let mut order: Vec<usize> = (0..self.axes.len()).collect();
        let drawn = self.growth.features.clamp(1, order.len());
        self.rng.choose_front(&mut order, drawn);
        let best = self
            .best_among(&rows, &allowed, &order[..drawn])
            .or_else(|| self.best_among(&rows, &allowed, &order[drawn..]));
        let Some(split) = best else {
            return at;
        };
        let (left_rows, right_rows): (Vec<usize>, Vec<usize>) = rows
            .iter()
            .partition(|&&r| split.rule.left(self.x[r][split.feature]));
        let (mut left_allowed, mut right_allowed) = (allowed.clone(), allowed);
        if let Rule::In(set) = split.rule {
            left_allowed[split.feature] &= set;
            right_allowed[split.feature] &= !set;
        }
        let left = self.node(left_rows, left_allowed, depth + 1);
        let right = self.node(right_rows, right_allowed, depth + 1);
        self.nodes[at] = Node::Split {
            feature: split.feature,
            rule: split.rule,
            left,
            right,
        };
        at
    }

    /// The best split over `features`, if any leaves both sides `min_leaf` trials and reduces
    /// the error. Ties keep the first found, so the tree depends only on the seed.
    fn best_among(&self, rows: &[usize], allowed: &[u64], features: &[usize]) -> Option<Candidate> {
        let mut best: Option<Candidate> = None;
        for &f in features {
            let found = match self.axes[f] {
                Axis::Ordered { discrete, .. } => self.ordered(rows, f, discrete),
                Axis::Labels { .. } => self.labels(rows, f, allowed[f]),
            };
            if let Some(c) = found {
                if best.as_ref().is_none_or(|b| c.gain > b.gain) {
                    best = Some(c);
                }
            }
        }
        best
    }

    fn ordered(&self, rows: &[usize], f: usize, discrete: bool) -> Option<Candidate> {
        let mut sorted: Vec<(f64, f64)> = rows.iter().map(|&r| (self.x[r][f], self.y[r])).collect();
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
        let ys: Vec<f64> = sorted.iter().map(|p| p.1).collect();
        let cut = self.best_cut(&ys, |i| sorted[i - 1].0 < sorted[i].0)?;
        let (a, b) = (sorted[cut.0 - 1].0, sorted[cut.0].0);
        let threshold = if discrete {
            ((a + b) / 2.0).floor() + 0.5
        } else {
            a + (b - a) / 2.0
        };
        Some(Candidate {
            gain: cut.1,
            feature: f,
            rule: Rule::Below(threshold),
        })
    }

    fn labels(&self, rows: &[usize], f: usize, allowed: u64) -> Option<Candidate> {
        let mut sums = [(0.0f64, 0usize); 64];
        for &r in rows {
            let s = &mut sums[self.x[r][f] as usize];
            s.0 += self.y[r];
            s.1 += 1;
        }
        let mut present: Vec<usize> = (0..64).filter(|&l| sums[l].1 > 0).collect();
        present.sort_by(|&a, &b| {
            let mean = |l: usize| sums[l].0 / sums[l].1 as f64;
            mean(a).total_cmp(&mean(b)).then(a.cmp(&b))
        });
        let mut ys = Vec::with_capacity(rows.len());
        let mut ends = Vec::with_capacity(present.len());
        for &l in &present {
            ys.extend(
                rows.iter()
                    .filter(|&&r| self.x[r][f] as usize == l)
                    .map(|&r| self.y[r]),
            );
            ends.push(ys.len());
        }
        let (at, gain) = self.best_cut(&ys, |i| ends.contains(&i))?;
        let taken = ends
            .iter()
            .position(|&e| e == at)
            .expect("a cut between labels")
            + 1;
        let mut set: u64 = present[..taken].iter().map(|&l| 1u64 << l).sum();
        let seen: u64 = present.iter().map(|&l| 1u64 << l).sum();
        if at > ys.len() - at {
            set |= allowed & !seen;
        }
        Some(Candidate {
            gain,
            feature: f,
            rule: Rule::In(set),
        })
    }

    /// The cut of `ys` (ordered as the split sees them) into `..i` and `i..` that most reduces
    /// the squared error, among the `i` where `cuttable(i)` and both sides keep `min_leaf`.
    fn best_cut(&self, ys: &[f64], cuttable: impl Fn(usize) -> bool) -> Option<(usize, f64)> {
        let n = ys.len();
        let total: f64 = ys.iter().sum();
        let base = total * total / n as f64;
        // The gain is a difference of sums of squares: below this it is rounding.
        let floor = 1e-12 * ys.iter().map(|y| y * y).sum::<f64>();
        let mut left = 0.0;
        let mut best: Option<(usize, f64)> = None;
        let min = self.growth.min_leaf.max(1);
        for i in 1..n {
            left += ys[i - 1];
            if i < min || n - i < min || !cuttable(i) {
                continue;
            }
            let right = total - left;
            let gain = left * left / i as f64 + right * right / (n - i) as f64 - base;
            if gain > floor && best.is_none_or(|b| gain > b.1) {
                best = Some((i, gain));
            }
        }
        best
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

    fn all_features(p: usize) -> Growth {
        Growth {
            min_leaf: 1,
            features: p,
            max_depth: 64,
        }
    }

    #[test]
    fn a_step_is_found_at_the_midpoint() {
        let x: Vec<Vec<f64>> = (0..20).map(|i| vec![i as f64 / 19.0, 0.5]).collect();
        let y: Vec<f64> = x
            .iter()
            .map(|r| if r[0] < 0.4 { 1.0 } else { 5.0 })
            .collect();
        let tree = grow(
            &[unit(), unit()],
            &x,
            &y,
            all_features(2),
            &mut SplitMix64::new(1),
        );
        // Points next to the step may be missing from the bootstrap sample; the others are
        // fitted exactly.
        for r in x.iter().filter(|r| (r[0] - 0.4).abs() > 0.1) {
            assert_eq!(tree.predict(r), if r[0] < 0.4 { 1.0 } else { 5.0 }, "{r:?}");
        }
        let Node::Split { feature, rule, .. } = tree.nodes[0] else {
            panic!("the root splits")
        };
        assert_eq!(feature, 0);
        let Rule::Below(t) = rule else { panic!() };
        // The step lies between 7/19 and 8/19; the bootstrap sample may leave out neighbours.
        assert!(t > 6.0 / 19.0 && t < 9.0 / 19.0, "{t}");
    }

    #[test]
    fn labels_are_grouped_by_their_mean() {
        let axes = [Axis::Labels { k: 4 }];
        // Labels 0 and 2 give 0, labels 1 and 3 give 1: one split separates them.
        let x: Vec<Vec<f64>> = (0..40).map(|i| vec![(i % 4) as f64]).collect();
        let y: Vec<f64> = x.iter().map(|r| (r[0] as usize % 2) as f64).collect();
        let tree = grow(&axes, &x, &y, all_features(1), &mut SplitMix64::new(3));
        let Node::Split { rule, .. } = tree.nodes[0] else {
            panic!("the root splits")
        };
        assert_eq!(rule, Rule::In(0b0101));
        assert_eq!(tree.nodes.len(), 3);
    }

    #[test]
    fn discrete_thresholds_fall_between_values() {
        let axes = [Axis::Ordered {
            low: -0.5,
            high: 4.5,
            discrete: true,
        }];
        // Only values 1 and 3 are observed; the split must not cut value 2 in two.
        let x: Vec<Vec<f64>> = (0..30)
            .map(|i| vec![if i % 2 == 0 { 1.0 } else { 3.0 }])
            .collect();
        let y: Vec<f64> = x.iter().map(|r| r[0]).collect();
        let tree = grow(&axes, &x, &y, all_features(1), &mut SplitMix64::new(5));
        let Node::Split {
            rule: Rule::Below(t),
            ..
        } = tree.nodes[0]
        else {
            panic!("the root splits")
        };
        assert_eq!(t.fract().abs(), 0.5, "{t}");
    }

    #[test]
    fn min_leaf_is_respected() {
        let x: Vec<Vec<f64>> = (0..50).map(|i| vec![i as f64 / 49.0]).collect();
        let y: Vec<f64> = x.iter().map(|r| (r[0] * 7.0).sin()).collect();
        let growth = Growth {
            min_leaf: 5,
            features: 1,
            max_depth: 64,
        };
        let mut rng = SplitMix64::new(9);
        let tree = grow(&[unit()], &x, &y, growth, &mut rng);
        // Count the bootstrap rows in each leaf by replaying the same draw.
        let mut replay = SplitMix64::new(9);
        let sample: Vec<usize> = (0..50).map(|_| replay.below(50) as usize).collect();
        let mut counts = std::collections::HashMap::new();
        for &r in &sample {
            let leaf = tree.predict(&x[r]).to_bits();
            *counts.entry(leaf).or_insert(0) += 1;
        }
        assert!(counts.len() > 2, "the tree splits");
        assert!(counts.values().all(|&c| c >= 5), "{counts:?}");
    }

    /// With one of two parameters drawn per split, some roots must split on the parameter the
    /// response ignores; with both drawn, none does.
    #[test]
    fn splits_choose_among_a_random_subset() {
        let x: Vec<Vec<f64>> = (0..40)
            .map(|i| vec![i as f64 / 39.0, (i * 7 % 40) as f64 / 39.0])
            .collect();
        let y: Vec<f64> = x.iter().map(|r| r[0]).collect();
        let roots = |features: usize| -> Vec<usize> {
            (0..20)
                .map(|s| {
                    let growth = Growth {
                        min_leaf: 1,
                        features,
                        max_depth: 64,
                    };
                    match grow(&[unit(), unit()], &x, &y, growth, &mut SplitMix64::new(s)).nodes[0]
                    {
                        Node::Split { feature, .. } => feature,
                        Node::Leaf { .. } => panic!("the root splits"),
                    }
                })
                .collect()
        };
        assert!(roots(2).iter().all(|&f| f == 0));
        let one = roots(1);
        assert!(one.contains(&0) && one.contains(&1), "{one:?}");
    }
}
