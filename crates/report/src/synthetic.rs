//! Synthetic results folders, written exactly as docs/results.md lays them out, for tests and
//! benchmarks of the report (and of anything else that reads results) without training a
//! model. Run ids and params come from the spec crate's expansion of the sweep, as the runner's
//! do.

use std::fmt::Write as _;
use std::path::Path;

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
}

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

fn json_num(x: Option<f64>) -> String {
    match x {
        Some(v) if v.is_finite() => format!("{v}"),
        _ => "null".into(),
    }
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// Writes `dir/sweep.yaml` and, for every run of the sweep for which `outcome` returns Some,
/// its folder. Returns the number of runs written.
pub fn write_results(
    dir: &Path,
    sweep_yaml: &str,
    mut outcome: impl FnMut(&Run) -> Option<Outcome>,
) -> std::io::Result<usize> {
    let sweep_path = dir.join("sweep.yaml");
    std::fs::create_dir_all(dir.join("runs"))?;
    std::fs::write(&sweep_path, sweep_yaml)?;
    let bad = |e: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, e);
    let sweep = Sweep::parse(sweep_yaml, &sweep_path).map_err(|e| bad(e.to_string()))?;
    let runs = sweep.expand(&sweep_path).map_err(|e| bad(e.to_string()))?;
    let mut written = 0;
    for run in &runs {
        let Some(o) = outcome(run) else { continue };
        let rd = dir.join("runs").join(&run.id);
        std::fs::create_dir_all(&rd)?;
        let config = serde_yaml::to_string(&run.config).map_err(|e| bad(e.to_string()))?;
        std::fs::write(rd.join("config.yaml"), config)?;
        let params: Vec<String> = run
            .params
            .iter()
            .map(|(k, v)| format!("{}: {}", json_str(k), json_str(v)))
            .collect();
        std::fs::write(
            rd.join("params.json"),
            format!("{{{}}}\n", params.join(", ")),
        )?;
        std::fs::write(rd.join("metrics.csv"), &o.metrics_csv)?;
        if let Some(b) = &o.breakdown_csv {
            std::fs::write(rd.join("breakdown.csv"), b)?;
        }
        if let Some(g) = &o.gradflow_csv {
            std::fs::write(rd.join("gradflow.csv"), g)?;
        }
        let map = |m: &[(String, Option<f64>)]| {
            m.iter()
                .map(|(k, v)| format!("{}: {}", json_str(k), json_num(*v)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let baselines: Vec<String> = o
            .baselines
            .iter()
            .map(|(n, m, v)| {
                format!(
                    "{}: {{\"metric\": {}, \"value\": {v}}}",
                    json_str(n),
                    json_str(m)
                )
            })
            .collect();
        let summary = format!(
            "{{\n  \"id\": {},\n  \"status\": {},\n  \"steps\": {},\n  \"final\": {{{}}},\n  \"best\": {{{}}},\n  \"steps_to_solve\": {},\n  \"params\": {},\n  \"wall_s\": {},\n  \"steps_per_s\": {},\n  \"baselines\": {{{}}},\n  \"error\": {},\n  \"device\": \"cpu\",\n  \"rnnlab\": \"0.1.0\",\n  \"libtorch\": \"2.13.0\"\n}}\n",
            json_str(&run.id),
            json_str(&o.status),
            o.steps,
            map(&o.final_metrics),
            map(&o.best),
            o.steps_to_solve.map(|s| s.to_string()).unwrap_or_else(|| "null".into()),
            o.params,
            o.wall_s,
            o.steps_per_s,
            baselines.join(", "),
            o.error.as_deref().map(json_str).unwrap_or_else(|| "null".into()),
        );
        std::fs::write(rd.join("summary.json"), summary)?;
        written += 1;
    }
    Ok(written)
}
