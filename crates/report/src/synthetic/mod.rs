//! Synthetic results folders, written exactly as docs/results.md lays them out, for tests and
//! benchmarks of the report (and of anything else that reads results) without training a
//! model. Run ids and params come from the spec crate's expansion of the sweep, as the runner's
//! do. [`write_search`] carries out a `search:` sweep rung by rung, as the runner does.

mod search;

use std::fmt::Write as _;
use std::path::Path;

use rnnlab_results::{
    write_atomic, write_params, write_summary, Baseline, Layout, ResultsError, Status, Summary,
};
use rnnlab_spec::{Run, Sweep};

/// What a synthetic run reports.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub status: String,
    pub steps: u64,
    pub final_metrics: Vec<(String, Option<f64>)>,
    pub best: Vec<(String, Option<f64>)>,
    pub steps_to_solve: Option<u64>,
    pub params: u64,
    pub wall_s: f64,
    pub steps_per_s: f64,
    /// (name, metric, value).
    pub baselines: Vec<(String, String, f64)>,
    pub error: Option<String>,
    /// metrics.csv contents (header included).
    pub metrics_csv: String,
    pub breakdown_csv: Option<String>,
    pub gradflow_csv: Option<String>,
    /// A pruned search trial's rung step (summary.json's `pruned_at`).
    pub pruned_at: Option<u64>,
}

pub use search::{write_search, SearchWritten};

/// A deterministic value in [0, 1) from a few integers (SplitMix64 finaliser), for noise that
/// is the same on every machine.
pub fn noise(parts: &[u64]) -> f64 {
    let mut z: u64 = 0x9e37_79b9_7f4a_7c15;
    for p in parts {
        z = z.wrapping_add(*p).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z ^= z >> 31;
    }
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

/// A metrics.csv with `rows` evaluations of one task metric: train rows (with grad_norm and
/// clip_rate) and valid rows, then one final test row; `curve(fraction of training)` gives the
/// metric.
pub fn metrics_csv(metric: &str, steps: u64, rows: usize, curve: impl Fn(f64) -> f64) -> String {
    let mut s = format!("step,split,loss,{metric},grad_norm,clip_rate,elapsed_s\n");
    let evals = rows.saturating_sub(1).max(1) / 2;
    for i in 0..evals {
        let step = steps * i as u64 / (evals.max(2) - 1) as u64;
        let f = step as f64 / steps.max(1) as f64;
        let m = curve(f);
        let loss = (1.0 - m).abs() + 0.01;
        let _ = writeln!(
            s,
            "{step},train,{loss:.6},{m:.6},{:.4},0.1,{:.3}",
            1.0 + f,
            f * 10.0
        );
        let _ = writeln!(s, "{step},valid,{loss:.6},{m:.6},,,{:.3}", f * 10.0);
    }
    let m = curve(1.0);
    let _ = writeln!(
        s,
        "{steps},test,{:.6},{m:.6},,,10.0",
        (1.0 - m).abs() + 0.01
    );
    s
}

/// Writes `dir/sweep.yaml` and, for every run of the sweep for which `outcome` returns Some,
/// its folder. Returns the number of runs written.
pub fn write_results(
    dir: &Path,
    sweep_yaml: &str,
    mut outcome: impl FnMut(&Run) -> Option<Outcome>,
) -> std::io::Result<usize> {
    let layout = Layout::new(dir);
    let sweep_path = layout.sweep();
    std::fs::create_dir_all(layout.runs())?;
    let bad = |e: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, e);
    let io = |e: ResultsError| std::io::Error::other(e.to_string());
    write_atomic(&sweep_path, sweep_yaml.as_bytes()).map_err(io)?;
    let sweep = Sweep::parse(sweep_yaml, &sweep_path).map_err(|e| bad(e.to_string()))?;
    let runs = sweep.expand(&sweep_path).map_err(|e| bad(e.to_string()))?;
    let mut written = 0;
    for run in &runs {
        let Some(o) = outcome(run) else { continue };
        write_run(&layout, run, &o)?;
        written += 1;
    }
    Ok(written)
}

/// Writes one run's folder (config.yaml, params.json, metrics.csv, the optional files and
/// summary.json) as the runner does.
pub fn write_run(layout: &Layout, run: &Run, o: &Outcome) -> std::io::Result<()> {
    let bad = |e: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, e);
    let io = |e: ResultsError| std::io::Error::other(e.to_string());
    let files = layout.run(&run.id);
    std::fs::create_dir_all(files.dir())?;
    let config = serde_yaml::to_string(&run.config).map_err(|e| bad(e.to_string()))?;
    write_atomic(&files.config(), config.as_bytes()).map_err(io)?;
    write_params(&files.params(), &run.params).map_err(io)?;
    write_atomic(&files.metrics(), o.metrics_csv.as_bytes()).map_err(io)?;
    if let Some(b) = &o.breakdown_csv {
        write_atomic(&files.breakdown(), b.as_bytes()).map_err(io)?;
    }
    if let Some(g) = &o.gradflow_csv {
        write_atomic(&files.gradflow(), g.as_bytes()).map_err(io)?;
    }
    write_summary(&files.summary(), &summary(run, o).map_err(bad)?).map_err(io)
}

/// The summary.json of a synthetic run, as the runner would write it.
fn summary(run: &Run, o: &Outcome) -> Result<Summary, String> {
    let status: Status = serde_json::from_value(serde_json::Value::from(o.status.as_str()))
        .map_err(|_| format!("run {}: `{}` is not a status", run.id, o.status))?;
    let map = |m: &[(String, Option<f64>)]| {
        m.iter()
            .map(|(k, v)| (k.clone(), v.unwrap_or(f64::NAN)))
            .collect()
    };
    let mut s = Summary::new(&run.id, status);
    s.steps = o.steps as usize;
    s.final_ = map(&o.final_metrics);
    s.best = map(&o.best);
    s.steps_to_solve = o.steps_to_solve.map(|v| v as usize);
    s.params = o.params as usize;
    s.wall_s = o.wall_s;
    s.steps_per_s = o.steps_per_s;
    s.baselines = o
        .baselines
        .iter()
        .map(|(name, metric, value)| Baseline {
            name: name.clone(),
            metric: metric.clone(),
            value: *value,
        })
        .collect();
    s.error = o.error.clone();
    s.pruned_at = o.pruned_at.map(|v| v as usize);
    s.device = "cpu".into();
    s.cpu = "synthetic CPU".into();
    s.rnnlab = "0.1.0".into();
    s.libtorch = "2.13.0".into();
    Ok(s)
}
