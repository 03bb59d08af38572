//! Comparing a results folder with a baseline (`rnnlab compare`), and the committed form of a
//! baseline (`--save-baseline`).
//!
//! A change is a regression only when it is both significant (an exact two-sided test, p < α)
//! and larger than a noise threshold in the worse direction. Each row says which test judged
//! it, the smallest p its runs could give, and the smallest change it could have detected; a
//! row that cannot see its own threshold is `underpowered`, never "no change". The rules are
//! in [`gate`], the file formats in [`baseline`] (docs/results.md, "Baselines").

pub mod baseline;
pub mod gate;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

#[cfg(test)]
use baseline::RunValue;
pub use baseline::{load_summary, summarize, summary_csv, Snapshot, SummaryRow};

use crate::stats::Describe;
use crate::table::{n4, pval, Exporter, Markdown, Table};

/// Thresholds of the comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareOptions {
    /// Relative change below which a difference is noise (0.02 = 2%).
    pub noise: f64,
    /// Significance level of the two-sided tests.
    pub alpha: f64,
    /// An underpowered row whose mean is worse by at least this factor fails anyway (a large
    /// change, not a test result); 1 or less turns that off.
    pub large: f64,
    /// Metrics to compare; empty: every metric both sides have.
    pub metrics: Vec<String>,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions {
            noise: 0.02,
            alpha: 0.05,
            large: 2.0,
            metrics: Vec::new(),
        }
    }
}

/// The test that judged a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Test {
    /// Nothing to test: a side is missing or has no value, or the runs are identical.
    None,
    /// Sign-flip permutation test of the paired differences (same seeds on both sides).
    Paired { n: usize },
    /// Two-sample permutation test of the means; `seeds_shared` when the seeds matched but
    /// the paired test could not reach α at that n.
    TwoSample {
        n1: usize,
        n2: usize,
        seeds_shared: bool,
    },
    /// Welch's test on moments: a side (an old baseline) has no per-run values.
    Welch,
}

impl fmt::Display for Test {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Test::None => Ok(()),
            Test::Paired { n } => write!(f, "paired permutation (n={n})"),
            Test::TwoSample {
                n1,
                n2,
                seeds_shared,
            } => {
                write!(f, "permutation ({n1} vs {n2})")?;
                if *seeds_shared {
                    f.write_str(", unpaired: too few seeds to pair")?;
                }
                Ok(())
            }
            Test::Welch => f.write_str("Welch (moments only)"),
        }
    }
}

/// What happened to a metric of a variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    Regressed,
    /// Underpowered, but worse by a factor of at least `large`: fails, not as a test result.
    LargeChange,
    Improved,
    /// Significant, but not beyond the noise threshold.
    WithinNoise,
    /// Not significant, and the row could have detected a change beyond the threshold.
    NoChange,
    /// Not significant, and the row could not have detected a change of the threshold's size.
    Underpowered,
    /// Same seeds and bit-identical values on both sides.
    Identical,
    /// No value on a side.
    Untestable,
    /// In the baseline only.
    Missing,
    /// In the current results only.
    New,
}

impl Verdict {
    /// Whether the row fails the gate (exit 1).
    pub fn fails(self) -> bool {
        matches!(self, Verdict::Regressed | Verdict::LargeChange)
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Regressed => "REGRESSED",
            Verdict::LargeChange => "REGRESSED (large change, underpowered)",
            Verdict::Improved => "improved",
            Verdict::WithinNoise => "within noise",
            Verdict::NoChange => "no change",
            Verdict::Underpowered => "underpowered",
            Verdict::Identical => "identical",
            Verdict::Untestable => "untestable",
            Verdict::Missing => "missing",
            Verdict::New => "new",
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CompareRow {
    pub variant: String,
    pub metric: String,
    pub baseline: Option<Describe>,
    pub current: Option<Describe>,
    pub test: Test,
    /// (current - baseline) / |baseline|, and its 95% interval (inverted permutation test;
    /// Welch's t interval for moments; infinite when the runs cannot bound it).
    pub change: f64,
    pub change_ci: (f64, f64),
    pub p: f64,
    /// The smallest p the test can give at these n (0 for Welch).
    pub min_p: f64,
    /// The minimum detectable change at 80% power, relative to |baseline mean|.
    pub detectable: f64,
    pub underpowered: bool,
    /// How many times worse the current mean is (> 1 worse), in the metric's direction.
    pub worse_factor: f64,
    pub verdict: Verdict,
}

/// The comparison of two summaries.
#[derive(Debug, Clone, PartialEq)]
pub struct BaselineComparison {
    pub rows: Vec<CompareRow>,
    pub options: CompareOptions,
    /// One-line remarks: a moment-only baseline, runs or baseline from another build or CPU.
    pub notes: Vec<String>,
    /// Whether both sides were made on one and the same processor. libtorch's kernels (oneDNN,
    /// MKL) choose their instructions per CPU, so the same build gives other last bits on
    /// another: bit-identity is expected unless the processors are known to differ.
    pub processors: Processors,
}

/// What the two sides record of the processors their runs were made on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Processors {
    /// One processor, the same on both sides.
    Same,
    /// Both sides record processors, and they are not one and the same.
    Different,
    /// A side records none (an older baseline file, or `unknown`): nothing says they differ.
    Unrecorded,
}

impl Processors {
    fn of(current: &Snapshot, baseline: &Snapshot) -> Processors {
        fn known(s: &Snapshot) -> Option<&BTreeSet<String>> {
            let recorded = !s.cpus.is_empty() && !s.cpus.contains("unknown");
            recorded.then_some(&s.cpus)
        }
        match (known(current), known(baseline)) {
            (Some(a), Some(b)) if a.len() == 1 && a == b => Processors::Same,
            (Some(_), Some(_)) => Processors::Different,
            _ => Processors::Unrecorded,
        }
    }
}

fn pct(x: f64) -> String {
    if x.is_finite() {
        format!("{:+.1}%", 100.0 * x)
    } else if x.is_nan() {
        String::new()
    } else if x > 0.0 {
        "+∞".into()
    } else {
        "-∞".into()
    }
}

impl BaselineComparison {
    /// Rows that fail the gate: regressions and large changes on underpowered rows.
    pub fn regressions(&self) -> usize {
        self.rows.iter().filter(|r| r.verdict.fails()).count()
    }

    pub fn table(&self) -> Table {
        let mut t = Table::new([
            "variant",
            "metric",
            "baseline",
            "current",
            "test",
            "change",
            "95% CI",
            "p",
            "p floor",
            "detectable",
            "verdict",
        ])
        .numeric_from(2);
        let show = |d: &Option<Describe>| {
            d.map(|d| match d.n {
                0 => "(n=0)".to_string(),
                n => format!("{} ± {} (n={n})", n4(d.mean), n4(d.sd)),
            })
            .unwrap_or_default()
        };
        for r in &self.rows {
            let ci = if r.change_ci.0.is_nan() {
                String::new()
            } else {
                format!("[{}, {}]", pct(r.change_ci.0), pct(r.change_ci.1))
            };
            let floor = if r.test == Test::Welch {
                String::new()
            } else {
                pval(r.min_p)
            };
            let detect = if r.detectable.is_nan() {
                String::new()
            } else {
                format!("±{}", pct(r.detectable).trim_start_matches('+'))
            };
            let verdict = match r.verdict {
                Verdict::LargeChange => {
                    format!("REGRESSED: {:.1}x worse, underpowered", r.worse_factor)
                }
                Verdict::Regressed | Verdict::Improved | Verdict::WithinNoise if r.underpowered => {
                    format!("{} (underpowered)", r.verdict)
                }
                v => v.to_string(),
            };
            t.push(vec![
                r.variant.clone(),
                r.metric.clone(),
                show(&r.baseline),
                show(&r.current),
                r.test.to_string(),
                pct(r.change),
                ci,
                pval(r.p),
                floor,
                detect,
                verdict,
            ]);
        }
        t
    }
}

impl fmt::Display for BaselineComparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", Markdown.export(&self.table()))?;
        let o = &self.options;
        for r in self
            .rows
            .iter()
            .filter(|r| r.verdict == Verdict::LargeChange)
        {
            writeln!(
                f,
                "\n!! {} {}: {:.1}x worse ({} -> {}), but the gate cannot test it at these seeds \
                 (p = {}, smallest reachable p {}, detectable change ±{}): failing as a large change, \
                 not as a test result.",
                r.variant,
                r.metric,
                r.worse_factor,
                r.baseline.map_or(String::new(), |d| n4(d.mean)),
                r.current.map_or(String::new(), |d| n4(d.mean)),
                pval(r.p),
                pval(r.min_p),
                pct(r.detectable).trim_start_matches('+'),
            )?;
        }
        let under = self.rows.iter().filter(|r| r.underpowered).count();
        writeln!(
            f,
            "\n{} regression(s): a row regresses when its exact two-sided test gives p < {} and \
             the change is beyond ±{}% in the worse direction, or when it is underpowered and \
             {}x worse or more.",
            self.regressions(),
            o.alpha,
            100.0 * o.noise,
            o.large
        )?;
        if under > 0 {
            writeln!(
                f,
                "{under} row(s) underpowered: they could not detect a ±{}% change (detectable: \
                 the change found with 80% power at α = {}; or p cannot go below α at their n).",
                100.0 * o.noise,
                o.alpha
            )?;
        }
        for note in &self.notes {
            writeln!(f, "note: {note}")?;
        }
        Ok(())
    }
}

/// Notes on the two sides: a moment-only baseline, other builds.
fn notes(current: &Snapshot, baseline: &Snapshot) -> Vec<String> {
    let mut notes = Vec::new();
    if baseline.moments_only || current.moments_only {
        notes.push(
            "a side has moments only (the old variant,metric,n,mean,sd file): Welch's test on \
             n, mean and sd instead of exact tests, no pairing by seed; save it again with \
             --save-baseline to keep each run"
                .into(),
        );
    }
    let list = |s: &Snapshot| s.builds.iter().cloned().collect::<Vec<_>>().join("; ");
    if current.builds.len() > 1 {
        notes.push(format!(
            "the current runs come from {} builds: {}",
            current.builds.len(),
            list(current)
        ));
    }
    if baseline.builds.is_empty() {
        if !current.builds.is_empty() {
            notes.push("the baseline does not record the build that made it".into());
        }
    } else if !current.builds.is_empty() && baseline.builds != current.builds {
        notes.push(format!(
            "the baseline was made by another build ({}) than the current runs ({})",
            list(baseline),
            list(current)
        ));
    }
    if baseline.cpus.is_empty() && !current.cpus.is_empty() {
        notes.push("the baseline does not record the processor its runs were made on".into());
    } else if !current.cpus.is_empty() && baseline.cpus != current.cpus {
        notes.push(format!(
            "the baseline was made on another processor ({}) than the current runs ({}): the \
             same build need not give bit-identical results there",
            baseline.cpus.iter().cloned().collect::<Vec<_>>().join("; "),
            current.cpus.iter().cloned().collect::<Vec<_>>().join("; ")
        ));
    }
    notes
}

/// Compares two summaries, row by row (variant × metric), sorted by variant then metric.
pub fn compare_summaries(
    current: &Snapshot,
    baseline: &Snapshot,
    options: &CompareOptions,
) -> BaselineComparison {
    let wanted = |m: &str| options.metrics.is_empty() || options.metrics.iter().any(|w| w == m);
    type Sides<'a> = (Option<&'a SummaryRow>, Option<&'a SummaryRow>);
    let mut pairs: BTreeMap<(String, String), Sides> = BTreeMap::new();
    let key = |r: &SummaryRow| (r.variant.clone(), r.metric.clone());
    for r in baseline.rows.iter().filter(|r| wanted(&r.metric)) {
        pairs.entry(key(r)).or_default().0 = Some(r);
    }
    for r in current.rows.iter().filter(|r| wanted(&r.metric)) {
        pairs.entry(key(r)).or_default().1 = Some(r);
    }
    let rows = pairs
        .into_iter()
        .map(|((variant, metric), (base, cur))| gate::judge(variant, metric, base, cur, options))
        .collect();
    BaselineComparison {
        rows,
        options: options.clone(),
        notes: notes(current, baseline),
        processors: Processors::of(current, baseline),
    }
}
