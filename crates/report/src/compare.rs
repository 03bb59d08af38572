//! Comparing a results folder with a baseline (`rnnlab compare`), and the committed summary
//! form of a baseline (`--save-baseline`).
//!
//! The rule is criterion.rs's: a change is a regression only when it is both statistically
//! significant (two-sided Welch test, p < α) and larger than a noise threshold (the whole 95%
//! interval of the relative change beyond ±threshold, in the worse direction). Either alone
//! flags too much: seeds make small changes significant on large sweeps, and a large change of
//! a noisy metric is often chance. Welch's test needs only n, mean and sd per side, which is
//! all the committed summary keeps.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use crate::load::Results;
use crate::metric::{final_metrics, higher_is_better, main_metric};
use crate::stats::dist::t_quantile;
use crate::stats::{welch, Describe};
use crate::table::{n4, pval, Csv, Exporter, Markdown, Table};
use crate::ReportError;

/// Thresholds of the comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareOptions {
    /// Relative change below which a difference is noise (0.02 = 2%).
    pub noise: f64,
    /// Significance level of the two-sided Welch test.
    pub alpha: f64,
    /// Metrics to compare; empty: every metric both sides have.
    pub metrics: Vec<String>,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions {
            noise: 0.02,
            alpha: 0.05,
            metrics: Vec::new(),
        }
    }
}

/// One row of a summary: a metric of a variant over its seeds.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    pub variant: String,
    pub metric: String,
    pub stats: Describe,
}

/// What happened to a metric of a variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    Regressed,
    Improved,
    /// Significant, but not beyond the noise threshold.
    WithinNoise,
    NoChange,
    /// Fewer than two seeds on a side.
    Untestable,
    /// In the baseline only.
    Missing,
    /// In the current results only.
    New,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Regressed => "REGRESSED",
            Verdict::Improved => "improved",
            Verdict::WithinNoise => "within noise",
            Verdict::NoChange => "no change",
            Verdict::Untestable => "untestable (n < 2)",
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
    /// (current - baseline) / |baseline|, and its 95% interval.
    pub change: f64,
    pub change_ci: (f64, f64),
    pub p: f64,
    pub verdict: Verdict,
}

/// The comparison of two summaries.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub rows: Vec<CompareRow>,
    pub options: CompareOptions,
}

impl Comparison {
    pub fn regressions(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| r.verdict == Verdict::Regressed)
            .count()
    }

    pub fn table(&self) -> Table {
        let mut t = Table::new([
            "variant", "metric", "baseline", "current", "change", "95% CI", "p", "verdict",
        ])
        .numeric_from(2);
        let pct = |x: f64| {
            if x.is_finite() {
                format!("{:+.1}%", 100.0 * x)
            } else {
                String::new()
            }
        };
        let show = |d: &Option<Describe>| {
            d.map(|d| format!("{} ± {} (n={})", n4(d.mean), n4(d.sd), d.n))
                .unwrap_or_default()
        };
        for r in &self.rows {
            t.push(vec![
                r.variant.clone(),
                r.metric.clone(),
                show(&r.baseline),
                show(&r.current),
                pct(r.change),
                if r.change_ci.0.is_finite() {
                    format!("[{}, {}]", pct(r.change_ci.0), pct(r.change_ci.1))
                } else {
                    String::new()
                },
                pval(r.p),
                r.verdict.to_string(),
            ]);
        }
        t
    }
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", Markdown.export(&self.table()))?;
        writeln!(
            f,
            "\n{} regression(s): a change counts when p < {} (Welch, two-sided) and its 95% interval lies beyond ±{}%.",
            self.regressions(),
            self.options.alpha,
            100.0 * self.options.noise
        )
    }
}

/// The summary of a results folder: every `final.*` metric of every variant, main metric
/// first.
pub fn summarize(results: &Results) -> Vec<SummaryRow> {
    let main = main_metric(results);
    let metrics = final_metrics(results, &main);
    let mut rows = Vec::new();
    for group in 0..results.groups.len() {
        for m in &metrics {
            rows.push(SummaryRow {
                variant: results.group_label(group),
                metric: m.clone(),
                stats: Describe::of(&results.group_values(group, m)),
            });
        }
    }
    rows
}

/// The committed form: `variant,metric,n,mean,sd`, full precision so that a comparison
/// against it is the same as against the folder.
pub fn summary_csv(rows: &[SummaryRow]) -> String {
    let mut t = Table::new(["variant", "metric", "n", "mean", "sd"]);
    let full = |x: f64| {
        if x.is_finite() {
            format!("{x:e}")
        } else {
            String::new()
        }
    };
    for r in rows {
        t.push(vec![
            r.variant.clone(),
            r.metric.clone(),
            r.stats.n.to_string(),
            full(r.stats.mean),
            full(r.stats.sd),
        ]);
    }
    Csv.export(&t)
}

/// A summary from a results folder or a committed CSV.
pub fn load_summary(path: &Path) -> Result<Vec<SummaryRow>, ReportError> {
    if path.is_dir() {
        return Ok(summarize(&Results::load(path)?));
    }
    let bad = |message: String| ReportError::Baseline {
        path: path.to_owned(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(ReportError::io(path))?;
    let mut lines = text.lines();
    let header = lines.next().map(split_csv).unwrap_or_default();
    if header != ["variant", "metric", "n", "mean", "sd"] {
        return Err(bad(format!(
            "the header is `{}`, expected `variant,metric,n,mean,sd`",
            header.join(",")
        )));
    }
    let mut rows = Vec::new();
    for (i, line) in lines.enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let f = split_csv(line);
        let num = |s: &str| -> Result<f64, ReportError> {
            if s.is_empty() {
                return Ok(f64::NAN);
            }
            s.parse().map_err(|_| ReportError::Csv {
                path: path.to_owned(),
                line: Some(i + 2),
                message: format!("`{s}` is not a number"),
            })
        };
        if f.len() != 5 {
            return Err(ReportError::Csv {
                path: path.to_owned(),
                line: Some(i + 2),
                message: format!("{} fields, expected 5", f.len()),
            });
        }
        rows.push(SummaryRow {
            variant: f[0].clone(),
            metric: f[1].clone(),
            stats: Describe::from_moments(num(&f[2])? as usize, num(&f[3])?, num(&f[4])?),
        });
    }
    Ok(rows)
}

/// Splits one CSV line, honouring double quotes.
fn split_csv(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// Compares two summaries, row by row (variant × metric), sorted by variant then metric.
pub fn compare_summaries(
    current: &[SummaryRow],
    baseline: &[SummaryRow],
    options: &CompareOptions,
) -> Comparison {
    let key = |r: &SummaryRow| (r.variant.clone(), r.metric.clone());
    let wanted = |m: &str| options.metrics.is_empty() || options.metrics.iter().any(|w| w == m);
    let mut pairs: BTreeMap<(String, String), (Option<Describe>, Option<Describe>)> =
        BTreeMap::new();
    for r in baseline.iter().filter(|r| wanted(&r.metric)) {
        pairs.entry(key(r)).or_default().0 = Some(r.stats);
    }
    for r in current.iter().filter(|r| wanted(&r.metric)) {
        pairs.entry(key(r)).or_default().1 = Some(r.stats);
    }
    let rows = pairs
        .into_iter()
        .map(|((variant, metric), (base, cur))| judge(variant, metric, base, cur, options))
        .collect();
    Comparison {
        rows,
        options: options.clone(),
    }
}

fn judge(
    variant: String,
    metric: String,
    base: Option<Describe>,
    cur: Option<Describe>,
    options: &CompareOptions,
) -> CompareRow {
    let mut row = CompareRow {
        variant,
        metric,
        baseline: base,
        current: cur,
        change: f64::NAN,
        change_ci: (f64::NAN, f64::NAN),
        p: f64::NAN,
        verdict: Verdict::Untestable,
    };
    let (b, c) = match (base, cur) {
        (Some(b), Some(c)) => (b, c),
        (Some(_), None) => {
            row.verdict = Verdict::Missing;
            return row;
        }
        _ => {
            row.verdict = Verdict::New;
            return row;
        }
    };
    // Relative to the baseline's magnitude; absolute when the baseline is exactly zero.
    let scale = if b.mean.abs() > 0.0 {
        b.mean.abs()
    } else {
        1.0
    };
    row.change = (c.mean - b.mean) / scale;
    let Some(w) = welch(&c, &b) else {
        return row;
    };
    row.p = w.p_two_sided;
    let se = (c.sd * c.sd / c.n as f64 + b.sd * b.sd / b.n as f64).sqrt();
    let half = if se > 0.0 {
        t_quantile(0.975, w.df) * se
    } else {
        0.0
    };
    row.change_ci = ((w.difference - half) / scale, (w.difference + half) / scale);
    let worse_is_up = !higher_is_better(&row.metric);
    let beyond_up = row.change_ci.0 > options.noise;
    let beyond_down = row.change_ci.1 < -options.noise;
    row.verdict = if w.p_two_sided >= options.alpha {
        Verdict::NoChange
    } else if (beyond_up && worse_is_up) || (beyond_down && !worse_is_up) {
        Verdict::Regressed
    } else if beyond_up || beyond_down {
        Verdict::Improved
    } else {
        Verdict::WithinNoise
    };
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(variant: &str, metric: &str, n: usize, mean: f64, sd: f64) -> SummaryRow {
        SummaryRow {
            variant: variant.into(),
            metric: metric.into(),
            stats: Describe::from_moments(n, mean, sd),
        }
    }

    #[test]
    fn needs_both_significance_and_size() {
        let base = vec![
            row("a", "final.accuracy", 5, 0.90, 0.01),
            row("b", "final.accuracy", 5, 0.90, 0.001),
            row("c", "final.accuracy", 5, 0.90, 0.2),
            row("d", "final.mse", 5, 0.010, 0.001),
            row("e", "final.accuracy", 5, 0.90, 0.01),
        ];
        let cur = vec![
            // 10 points down, tight: regression.
            row("a", "final.accuracy", 5, 0.80, 0.01),
            // 0.5 points down, tight: significant but within the 2% noise band.
            row("b", "final.accuracy", 5, 0.895, 0.001),
            // 10 points down but very noisy: not significant.
            row("c", "final.accuracy", 5, 0.80, 0.2),
            // mse up 50%: lower is better, so a regression.
            row("d", "final.mse", 5, 0.015, 0.001),
            row("f", "final.accuracy", 5, 0.90, 0.01),
        ];
        let cmp = compare_summaries(&cur, &base, &CompareOptions::default());
        let verdicts: Vec<(&str, Verdict)> = cmp
            .rows
            .iter()
            .map(|r| (r.variant.as_str(), r.verdict))
            .collect();
        assert_eq!(
            verdicts,
            vec![
                ("a", Verdict::Regressed),
                ("b", Verdict::WithinNoise),
                ("c", Verdict::NoChange),
                ("d", Verdict::Regressed),
                ("e", Verdict::Missing),
                ("f", Verdict::New),
            ]
        );
        assert_eq!(cmp.regressions(), 2);
    }

    #[test]
    fn summary_csv_round_trips() {
        let rows = vec![row(
            "model.cell=lstm, x",
            "final.accuracy",
            3,
            0.123456789,
            0.01,
        )];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.csv");
        std::fs::write(&path, summary_csv(&rows)).unwrap();
        let back = load_summary(&path).unwrap();
        assert_eq!(back[0].variant, rows[0].variant);
        assert_eq!(back[0].stats.mean, rows[0].stats.mean);
        assert_eq!(back[0].stats.n, 3);
    }
}
