//! A regression tree as the forest grows it and the decomposition reads it: split nodes with
//! a rule on one parameter's axis, leaves with the mean response of their trials.

/// Which side of a split a point goes to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Rule {
    /// Left when the coordinate is below the threshold.
    Below(f64),
    /// Left when the label's bit is set.
    In(u64),
}

impl Rule {
    pub(crate) fn left(self, x: f64) -> bool {
        match self {
            Rule::Below(t) => x < t,
            Rule::In(set) => set >> (x as u32) & 1 == 1,
        }
    }
}

/// A leaf, or a split whose children are indices into [`Tree::nodes`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Leaf {
        value: f64,
    },
    Split {
        feature: usize,
        rule: Rule,
        left: usize,
        right: usize,
    },
}

/// A regression tree; node 0 is the root.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tree {
    pub(crate) nodes: Vec<Node>,
}

impl Tree {
    /// The tree's prediction at the encoded point `x` (the tests integrate it by brute force).
    #[cfg(test)]
    pub(crate) fn predict(&self, x: &[f64]) -> f64 {
        let mut at = 0;
        loop {
            match self.nodes[at] {
                Node::Leaf { value } => return value,
                Node::Split {
                    feature,
                    rule,
                    left,
                    right,
                } => at = if rule.left(x[feature]) { left } else { right },
            }
        }
    }
}
