//! Judging a sweep's claims (`rnnlab check`).
//!
//! A claim says that under `where`, `metric` of level A of `by` is greater than, less than,
//! different from, or equivalent within a margin to that of level B. Each is judged by the
//! exact test its metric calls for (see [`crate::verdict`]: permutation tests for continuous
//! metrics, Boschloo's test for 0/1 outcomes, the log-rank permutation test for steps to
//! solve), over every run of the two levels (seeds, and any axes the claim does not fix,
//! pooled). The p-values of a sweep's claims are Holm-corrected, and a claim holds when the
//! effect has the claimed sign and its corrected p-value is below α. Beside each p the report
//! prints the smallest p the claim's sample sizes can reach, and n as used/total.

use std::fmt;

use rnnlab_spec::power::ALPHA;
use rnnlab_spec::{Claim, MetricRef};

use crate::load::Results;
use crate::stats::{hedges_g, holm, Describe};
use crate::table::{n4, pval, Exporter, Markdown, Table};
use crate::verdict;
use crate::ReportError;

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
    /// 95% interval of the difference, by inverting the permutation test (exact in level);
    /// 90% for an equivalence claim (the interval TOST at α = 0.05 is read from).
    pub ci: Option<(f64, f64)>,
    /// Hedges' g of A against B.
    pub effect: f64,
    /// The test that judged the claim.
    pub test: String,
    /// Its p-value in the claimed direction.
    pub p: f64,
    /// The smallest p that test can give with these sample sizes.
    pub min_p: f64,
    /// Runs per side: entered the test, and selected by the claim (failed runs are out).
    pub used: (usize, usize),
    pub total: (usize, usize),
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
    /// Why the claims are not judged yet: a `search:` sweep's claims are judged on the
    /// confirmation runs, and some group has no winner yet or some of its confirmation runs
    /// have not finished (docs/search.md). Every claim then carries this in its note.
    pub waiting: Option<String>,
}

impl CheckOutcome {
    /// True when every claim holds (and vacuously when there are none); false while the
    /// claims wait for a search's confirmation runs: a gate must not pass on claims it has
    /// not judged.
    pub fn passed(&self) -> bool {
        self.waiting.is_none() && self.claims.iter().all(|c| c.pass)
    }

    pub fn table(&self) -> Table {
        let mut t = Table::new([
            "claim",
            "holds",
            "metric",
            "expect",
            "test",
            "n used/total",
            "difference",
            "CI",
            "Hedges' g",
            "min p",
            "p (Holm)",
        ])
        .numeric_from(5);
        for c in &self.claims {
            t.push(vec![
                c.name.clone(),
                if c.pass { "✓" } else { "✗" }.into(),
                c.metric.clone(),
                c.expect.clone(),
                c.test.clone(),
                format!("{}/{} vs {}/{}", c.used.0, c.total.0, c.used.1, c.total.1),
                n4(c.difference),
                c.ci.map(|(lo, hi)| format!("[{}, {}]", n4(lo), n4(hi)))
                    .unwrap_or_default(),
                n4(c.effect),
                pval(c.min_p),
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
            "test",
            "n_a",
            "total_a",
            "mean_a",
            "n_b",
            "total_b",
            "mean_b",
            "difference",
            "ci_low",
            "ci_high",
            "hedges_g",
            "p",
            "min_p",
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
                c.test.clone(),
                c.used.0.to_string(),
                c.total.0.to_string(),
                n4(c.a.mean),
                c.used.1.to_string(),
                c.total.1.to_string(),
                n4(c.b.mean),
                n4(c.difference),
                n4(lo),
                n4(hi),
                n4(c.effect),
                pval(c.p),
                pval(c.min_p),
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
        if let Some(why) = &self.waiting {
            return writeln!(
                f,
                "\nThe {} claims wait for the search's confirmation runs, which they are judged on: {why}. Run the sweep on to finish the search.",
                self.claims.len()
            );
        }
        let failed = self.claims.iter().filter(|c| !c.pass).count();
        writeln!(
            f,
            "\n{} of {} claims hold (exact tests, Holm-corrected, α = {ALPHA}; min p: the smallest p the test can give with these runs).",
            self.claims.len() - failed,
            self.claims.len()
        )
    }
}

/// Judges every claim of the loaded sweep; for a search still searching or confirming, says
/// that the claims wait instead (judging them on some confirmation runs would make the verdict
/// depend on which finished first).
pub fn judge(results: &Results) -> Result<CheckOutcome, ReportError> {
    let finished = |id: &str| {
        results
            .runs
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.summary.status)
    };
    let waiting = results
        .search
        .as_ref()
        .filter(|_| !results.sweep.claims.is_empty())
        .and_then(|s| s.waiting(&finished));
    if let Some(why) = waiting {
        return Ok(waiting_outcome(results, why));
    }
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
        c.pass = c.pass && c.note.is_none() && adjusted < ALPHA;
    }
    Ok(CheckOutcome {
        claims,
        waiting: None,
    })
}

/// Every claim, unjudged, with the reason it waits in its note.
fn waiting_outcome(results: &Results, why: String) -> CheckOutcome {
    let none = Describe::of(&[]);
    let claims = results
        .sweep
        .claims
        .iter()
        .map(|c| ClaimResult {
            name: c.name.clone(),
            metric: c.metric.clone(),
            expect: c.expect.clone(),
            a: none,
            b: none,
            difference: f64::NAN,
            ci: None,
            effect: f64::NAN,
            test: String::new(),
            p: f64::NAN,
            min_p: f64::NAN,
            used: (0, 0),
            total: (0, 0),
            p_holm: f64::NAN,
            pass: false,
            note: Some("waits for the confirmation runs".into()),
        })
        .collect();
    CheckOutcome {
        claims,
        waiting: Some(why),
    }
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
    let comparison = claim.comparison().map_err(err)?;
    let metric = MetricRef::parse(&claim.metric).map_err(err)?;
    if results.axis_index(&claim.by).is_none() {
        let axes: Vec<&str> = results.axes.iter().map(|a| a.name.as_str()).collect();
        return Err(err(format!(
            "`by: {}` is not a parameter that varies in the sweep ({})",
            claim.by,
            axes.join(", ")
        )));
    }
    let filter: Vec<(String, String)> = claim.filter_levels();
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for run in 0..results.runs.len() {
        let selected = filter.iter().all(|(k, v)| {
            results
                .run_param(run, k)
                .is_some_and(|level| same_level(&level, v))
        });
        let Some(level) = results.run_param(run, &claim.by).filter(|_| selected) else {
            continue;
        };
        let summary = &results.runs[run].summary;
        if same_level(&level, &comparison.left) {
            a.push(summary);
        } else if same_level(&level, &comparison.right) {
            b.push(summary);
        }
    }
    let v = verdict::judge(
        &metric,
        &claim.metric,
        comparison.relation,
        comparison.margin,
        claim.test,
        &a,
        &b,
    );
    let note = v.p.is_nan().then(|| {
        format!(
            "untestable: {} run(s) of {} and {} of {} report {}",
            v.used.0, comparison.left, v.used.1, comparison.right, claim.metric
        )
    });
    Ok(ClaimResult {
        name: claim.name.clone(),
        metric: claim.metric.clone(),
        expect: claim.expect.clone(),
        a: v.a,
        b: v.b,
        difference: v.a.mean - v.b.mean,
        ci: v.interval,
        effect: hedges_g(&v.a, &v.b),
        test: v.test,
        p: v.p,
        min_p: v.min_p,
        used: v.used,
        total: (a.len(), b.len()),
        p_holm: f64::NAN,
        pass: v.sign_ok,
        note,
    })
}
