//! The searched parameters and their values, and how each is put on the axis the forest and
//! the variance decomposition work on.
//!
//! Why an axis per parameter: functional ANOVA integrates the model over the search space with
//! a measure (Hutter, Hoos & Leyton-Brown 2014, section 3: uniform over each parameter's
//! range). Putting every parameter on a line where that measure is plain length makes a tree's
//! leaves boxes whose volume is a product of lengths:
//!
//! - `Real`: the value itself, or its natural log when the search drew it log-uniformly, so a
//!   `loguniform: [1e-4, 1e-1]` learning rate weighs each decade alike, as it was sampled.
//! - `Integer` and `Ordinal`: the value's index `0..k` on `[-0.5, k - 0.5]`; trees split these
//!   only at half-integers, so each of the k values weighs 1/k (ordered: a split keeps
//!   neighbours together).
//! - `Categorical`: the label's index; trees split these into two sets of labels, each label
//!   weighs 1/k.
//!
//! These types mirror a sweep's `search.space` (`uniform`, `loguniform`, integer ranges,
//! `choice`): a numeric `choice` is `Ordinal`, a `choice` of strings is `Categorical`.

use super::ImportanceError;

/// The most labels a categorical parameter may have (a tree keeps a label set in 64 bits).
pub const MAX_LABELS: usize = 64;

/// The values a searched parameter can take, and the measure the decomposition integrates
/// over: uniform over the range (in log space when `log`), or uniform over the choices.
#[derive(Debug, Clone, PartialEq)]
pub enum Domain {
    /// Any number in `[low, high]`; `log`: drawn log-uniformly (needs `low > 0`).
    Real { low: f64, high: f64, log: bool },
    /// The integers `low..=high`, each equally likely, ordered.
    Integer { low: i64, high: i64 },
    /// Numeric choices, each equally likely, ordered by value (e.g. hidden sizes 32, 64, 128).
    Ordinal(Vec<f64>),
    /// Unordered labels, each equally likely (e.g. cell kinds).
    Categorical(Vec<String>),
}

/// One searched parameter: its dotted path (e.g. `train.lr`) and its domain.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamSpace {
    pub name: String,
    pub domain: Domain,
}

impl ParamSpace {
    pub fn new(name: impl Into<String>, domain: Domain) -> ParamSpace {
        ParamSpace {
            name: name.into(),
            domain,
        }
    }
}

/// A trial's value of one parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Real(f64),
    Int(i64),
    Label(String),
}

/// A parameter as the forest sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Axis {
    /// An ordered axis `[low, high]`; `discrete`: thresholds must fall on half-integers.
    Ordered { low: f64, high: f64, discrete: bool },
    /// `k` unordered labels.
    Labels { k: usize },
}

impl Axis {
    /// The axis of `param`, or why its domain cannot be searched over.
    pub(crate) fn of(param: &ParamSpace) -> Result<Axis, ImportanceError> {
        let bad = |message: String| ImportanceError::Domain {
            param: param.name.clone(),
            message,
        };
        match &param.domain {
            Domain::Real { low, high, log } => {
                if !(low.is_finite() && high.is_finite() && low < high) {
                    return Err(bad(format!(
                        "range [{low}, {high}] is not a finite low < high"
                    )));
                }
                if *log && *low <= 0.0 {
                    return Err(bad(format!("a log scale needs low > 0, got {low}")));
                }
                let (low, high) = if *log {
                    (low.ln(), high.ln())
                } else {
                    (*low, *high)
                };
                Ok(Axis::Ordered {
                    low,
                    high,
                    discrete: false,
                })
            }
            Domain::Integer { low, high } if low <= high => Ok(discrete((high - low + 1) as usize)),
            Domain::Integer { low, high } => {
                Err(bad(format!("integer range {low}..={high} is empty")))
            }
            Domain::Ordinal(choices) => {
                if choices.is_empty() || choices.iter().any(|c| !c.is_finite()) {
                    return Err(bad(
                        "ordinal choices must be a non-empty list of finite numbers".into(),
                    ));
                }
                let mut sorted = choices.clone();
                sorted.sort_by(f64::total_cmp);
                if sorted.windows(2).any(|w| w[0] == w[1]) {
                    return Err(bad("ordinal choices repeat a value".into()));
                }
                Ok(discrete(choices.len()))
            }
            Domain::Categorical(labels) => {
                if labels.is_empty() || labels.len() > MAX_LABELS {
                    return Err(bad(format!(
                        "{} labels; a categorical parameter needs 1 to {MAX_LABELS}",
                        labels.len()
                    )));
                }
                if (1..labels.len()).any(|i| labels[..i].contains(&labels[i])) {
                    return Err(bad("categorical labels repeat a label".into()));
                }
                Ok(Axis::Labels { k: labels.len() })
            }
        }
    }

    /// The length of the whole axis (the measure's normaliser); labels count one each.
    pub(crate) fn length(self) -> f64 {
        match self {
            Axis::Ordered { low, high, .. } => high - low,
            Axis::Labels { k } => k as f64,
        }
    }
}

fn discrete(k: usize) -> Axis {
    Axis::Ordered {
        low: -0.5,
        high: k as f64 - 0.5,
        discrete: true,
    }
}

/// Where trial `trial`'s `value` of `param` lies on the parameter's axis, or why it does not.
pub(crate) fn encode(
    param: &ParamSpace,
    trial: usize,
    value: &Value,
) -> Result<f64, ImportanceError> {
    let bad = |message: String| ImportanceError::Value {
        trial,
        param: param.name.clone(),
        message,
    };
    match (&param.domain, value) {
        (Domain::Real { low, high, log }, v) => {
            let x = match v {
                Value::Real(x) => *x,
                Value::Int(i) => *i as f64,
                Value::Label(l) => return Err(bad(format!("`{l}` is not a number"))),
            };
            // The sampler may round its draw (the YAML a trial is written to): allow a relative
            // 1e-9 beyond the bounds, and clamp.
            let slack = 1e-9 * (high.abs().max(low.abs()));
            if !(x.is_finite() && x >= low - slack && x <= high + slack) {
                return Err(bad(format!("{x} is outside [{low}, {high}]")));
            }
            let x = x.clamp(*low, *high);
            Ok(if *log { x.ln() } else { x })
        }
        (Domain::Integer { low, high }, Value::Int(i)) if (low..=high).contains(&i) => {
            Ok((i - low) as f64)
        }
        (Domain::Integer { low, high }, v) => {
            Err(bad(format!("{v:?} is not an integer in {low}..={high}")))
        }
        (Domain::Ordinal(choices), v) => {
            let x = match v {
                Value::Real(x) => *x,
                Value::Int(i) => *i as f64,
                Value::Label(l) => return Err(bad(format!("`{l}` is not a number"))),
            };
            let mut sorted = choices.clone();
            sorted.sort_by(f64::total_cmp);
            let tolerance = |c: f64| 1e-9 * c.abs().max(1e-300);
            sorted
                .iter()
                .position(|&c| (c - x).abs() <= tolerance(c))
                .map(|i| i as f64)
                .ok_or_else(|| bad(format!("{x} is not one of the choices {choices:?}")))
        }
        (Domain::Categorical(labels), Value::Label(l)) => labels
            .iter()
            .position(|c| c == l)
            .map(|i| i as f64)
            .ok_or_else(|| bad(format!("`{l}` is not one of the labels {labels:?}"))),
        (Domain::Categorical(labels), v) => Err(bad(format!(
            "{v:?} is not a label; expected one of {labels:?}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(domain: Domain) -> ParamSpace {
        ParamSpace::new("x", domain)
    }

    #[test]
    fn log_scale_axis_is_the_log_of_the_range() {
        let lr = p(Domain::Real {
            low: 1e-4,
            high: 1e-1,
            log: true,
        });
        let Axis::Ordered { low, high, .. } = Axis::of(&lr).unwrap() else {
            panic!("ordered")
        };
        assert!((high - low - 1000f64.ln()).abs() < 1e-12);
        let mid = encode(&lr, 0, &Value::Real(1e-2)).unwrap();
        // 1e-2 lies two thirds of the way along the log axis.
        assert!(((mid - low) / (high - low) - 2.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn discrete_values_sit_on_unit_cells() {
        let hidden = p(Domain::Ordinal(vec![128.0, 32.0, 64.0]));
        assert_eq!(Axis::of(&hidden).unwrap().length(), 3.0);
        assert_eq!(encode(&hidden, 0, &Value::Int(64)).unwrap(), 1.0);
        assert_eq!(encode(&hidden, 0, &Value::Real(128.0)).unwrap(), 2.0);
        let layers = p(Domain::Integer { low: 1, high: 4 });
        assert_eq!(Axis::of(&layers).unwrap().length(), 4.0);
        assert_eq!(encode(&layers, 0, &Value::Int(4)).unwrap(), 3.0);
    }

    #[test]
    fn bad_values_name_the_trial_and_the_parameter() {
        let cell = p(Domain::Categorical(vec!["lstm".into(), "gru".into()]));
        let e = encode(&cell, 7, &Value::Label("rnn".into())).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("trial 7") && text.contains("`x`"), "{text}");
        let unit = p(Domain::Real {
            low: 0.0,
            high: 1.0,
            log: false,
        });
        assert!(encode(&unit, 0, &Value::Real(1.5)).is_err());
        assert!(encode(&unit, 0, &Value::Real(1.0)).is_ok());
        assert!(Axis::of(&p(Domain::Real {
            low: 0.0,
            high: 1.0,
            log: true
        }))
        .is_err());
        assert!(Axis::of(&p(Domain::Ordinal(vec![1.0, 1.0]))).is_err());
    }
}
