//! Judging a sweep's claims (`rnnlab check`).
//!
//! A claim says that under `where`, `metric` of level A of `by` is greater (or less) than that
//! of level B. Each is judged by Welch's one-sided t-test over the runs (seeds, and any axes
//! the claim does not fix, pooled), the p-values of a sweep's claims are Holm-corrected, and a
//! claim holds when the difference has the claimed sign and its corrected p-value is below
//! α = 0.05. The bootstrap interval and Hedges' g are reported beside it so that a reader sees
//! how large the difference is, not only whether it is there.

use std::fmt;

use rnnlab_spec::Claim;

use crate::load::{scalar, Results};
use crate::stats::{bootstrap, hedges_g, holm, welch, Describe};
use crate::table::{n4, pval, Exporter, Markdown, Table};
use crate::ReportError;

/// The family-wise error rate of a sweep's claims.
pub const ALPHA: f64 = 0.05;

/// The direction of a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Greater,
    Less,
}

/// `A > B` or `A < B`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation {
    pub a: String,
    pub direction: Direction,
    pub b: String,
}

impl Expectation {
    pub fn parse(expect: &str) -> Result<Expectation, String> {
        let (direction, sep) = match (expect.matches('>').count(), expect.matches('<').count()) {
            (1, 0) => (Direction::Greater, '>'),
            (0, 1) => (Direction::Less, '<'),
            _ => {
                return Err(format!(
                    "`expect: {expect}` must be `A > B` or `A < B`, with A and B levels of `by`"
                ))
            }
        };
        let (a, b) = expect.split_once(sep).unwrap_or_default();
        let (a, b) = (a.trim(), b.trim());
        if b.starts_with('=') {
            return Err(format!(
                "`expect: {expect}`: only strict `>` and `<` are claims (a tie cannot be shown by a test)"
            ));
        }
        if a.is_empty() || b.is_empty() {
            return Err(format!("`expect: {expect}` needs a level on both sides"));
        }
        Ok(Expectation {
            a: a.to_string(),
            direction,
            b: b.to_string(),
        })
    }
}

/// The verdict on one claim.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimResult {
    pub name: String,
    pub metric: String,
    pub expect: String,
    pub a: Describe,
    pub b: Describe,
    /// mean(A) - mean(B).
    pub difference: f64,
    /// 95% bootstrap percentile interval of the difference.
    pub ci: Option<(f64, f64)>,
    /// Hedges' g of A against B.
    pub effect: f64,
    /// One-sided Welch p-value in the claimed direction.
    pub p: f64,
    /// Holm-corrected over the sweep's claims.
    pub p_holm: f64,
    pub pass: bool,
    /// Why the claim could not be tested, if it could not.
    pub note: Option<String>,
}

/// The claims of a sweep, judged.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckOutcome {
    pub claims: Vec<ClaimResult>,
}

impl CheckOutcome {
    /// True when every claim holds (and vacuously when there are none).
    pub fn passed(&self) -> bool {
        self.claims.iter().all(|c| c.pass)
    }

    pub fn table(&self) -> Table {
        let mut t = Table::new([
            "claim",
            "holds",
            "metric",
            "expect",
            "n",
            "difference",
            "95% CI",
            "Hedges' g",
            "p (Holm)",
        ])
        .numeric_from(4);
        for c in &self.claims {
            t.push(vec![
                c.name.clone(),
                if c.pass { "✓" } else { "✗" }.into(),
                c.metric.clone(),
                c.expect.clone(),
                format!("{}/{}", c.a.n, c.b.n),
                n4(c.difference),
                c.ci.map(|(lo, hi)| format!("[{}, {}]", n4(lo), n4(hi)))
                    .unwrap_or_default(),
                n4(c.effect),
                c.note.clone().unwrap_or_else(|| pval(c.p_holm)),
            ]);
        }
        t
    }

    /// The machine-readable form for tables/claims.csv.
    pub fn csv_table(&self) -> Table {
        let mut t = Table::new([
            "claim",
            "pass",
            "metric",
            "expect",
            "n_a",
            "mean_a",
            "n_b",
            "mean_b",
            "difference",
            "ci_low",
            "ci_high",
            "hedges_g",
            "p",
            "p_holm",
            "note",
        ]);
        for c in &self.claims {
            let (lo, hi) = c.ci.unwrap_or((f64::NAN, f64::NAN));
            t.push(vec![
                c.name.clone(),
                c.pass.to_string(),
                c.metric.clone(),
                c.expect.clone(),
                c.a.n.to_string(),
                n4(c.a.mean),
                c.b.n.to_string(),
                n4(c.b.mean),
                n4(c.difference),
                n4(lo),
                n4(hi),
                n4(c.effect),
                pval(c.p),
                pval(c.p_holm),
                c.note.clone().unwrap_or_default(),
            ]);
        }
        t
    }
}

impl fmt::Display for CheckOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.claims.is_empty() {
            return writeln!(f, "The sweep makes no claims.");
        }
        write!(f, "{}", Markdown.export(&self.table()))?;
        let failed = self.claims.iter().filter(|c| !c.pass).count();
        writeln!(
            f,
            "\n{} of {} claims hold (one-sided Welch t-test, Holm-corrected, α = {ALPHA}).",
            self.claims.len() - failed,
            self.claims.len()
        )
    }
}

/// Judges every claim of the loaded sweep.
pub fn judge(results: &Results) -> Result<CheckOutcome, ReportError> {
    let sweep_path = results.dir.join("sweep.yaml");
    let mut claims: Vec<ClaimResult> = results
        .sweep
        .claims
        .iter()
        .map(|c| judge_one(results, c, &sweep_path))
        .collect::<Result<_, _>>()?;
    let p: Vec<f64> = claims.iter().map(|c| c.p).collect();
    for (c, adjusted) in claims.iter_mut().zip(holm(&p)) {
        c.p_holm = adjusted;
        let sign_ok = match Expectation::parse(&c.expect).map(|e| e.direction) {
            Ok(Direction::Greater) => c.difference > 0.0,
            Ok(Direction::Less) => c.difference < 0.0,
            Err(_) => false,
        };
        c.pass = c.note.is_none() && sign_ok && adjusted < ALPHA;
    }
    Ok(CheckOutcome { claims })
}

fn same_level(a: &str, b: &str) -> bool {
    a == b || matches!((a.parse::<f64>(), b.parse::<f64>()), (Ok(x), Ok(y)) if x == y)
}

fn judge_one(
    results: &Results,
    claim: &Claim,
    sweep_path: &std::path::Path,
) -> Result<ClaimResult, ReportError> {
    let err = |message: String| ReportError::Claim {
        path: sweep_path.to_owned(),
        claim: claim.name.clone(),
        message,
    };
    let expect = Expectation::parse(&claim.expect).map_err(err)?;
    if results.axis_index(&claim.by).is_none() {
        let axes: Vec<&str> = results.axes.iter().map(|a| a.name.as_str()).collect();
        return Err(err(format!(
            "`by: {}` is not a parameter that varies in the sweep ({})",
            claim.by,
            axes.join(", ")
        )));
    }
    let filter: Vec<(String, String)> = claim
        .filter
        .iter()
        .map(|(k, v)| (scalar(k), scalar(v)))
        .collect();
    let mut a_values = Vec::new();
    let mut b_values = Vec::new();
    for run in 0..results.runs.len() {
        let selected = filter.iter().all(|(k, v)| {
            results
                .run_param(run, k)
                .is_some_and(|level| same_level(&level, v))
        });
        if !selected {
            continue;
        }
        let Some(level) = results.run_param(run, &claim.by) else {
            continue;
        };
        let Some(value) = crate::load::value(&results.runs[run].summary, &claim.metric) else {
            continue;
        };
        if same_level(&level, &expect.a) {
            a_values.push(value);
        } else if same_level(&level, &expect.b) {
            b_values.push(value);
        }
    }
    let (a, b) = (Describe::of(&a_values), Describe::of(&b_values));
    let mut result = ClaimResult {
        name: claim.name.clone(),
        metric: claim.metric.clone(),
        expect: claim.expect.clone(),
        a,
        b,
        difference: a.mean - b.mean,
        ci: bootstrap::bootstrap_mean_difference(&a_values, &b_values, bootstrap::SEED),
        effect: hedges_g(&a, &b),
        p: f64::NAN,
        p_holm: f64::NAN,
        pass: false,
        note: None,
    };
    match welch(&a, &b) {
        Some(w) => {
            result.p = match expect.direction {
                Direction::Greater => w.p_greater,
                Direction::Less => w.p_less(),
            }
        }
        None => {
            result.note = Some(format!(
                "untestable: {} run(s) of {} and {} of {} report {} (need 2 each)",
                a.n, expect.a, b.n, expect.b, claim.metric
            ))
        }
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_expectations() {
        let e = Expectation::parse("lstm > rnn_tanh").unwrap();
        assert_eq!((e.a.as_str(), e.b.as_str()), ("lstm", "rnn_tanh"));
        assert_eq!(e.direction, Direction::Greater);
        assert_eq!(
            Expectation::parse(" 4<1 ").unwrap().direction,
            Direction::Less
        );
        assert!(Expectation::parse("lstm >= gru").is_err());
        assert!(Expectation::parse("lstm gru").is_err());
        assert!(Expectation::parse("a > b > c").is_err());
        assert!(Expectation::parse("> b").is_err());
    }
}
