//! Resource estimates of a sweep's runs for `rnnlab validate` and `rnnlab run --dry-run`:
//! the spec's closed forms ([`rnnlab_spec::estimate`]) on each run's data shape from its task's
//! generator, checked against this machine's memory, and turned into time by the measured
//! rate of [`super::calibration`] when the build has libtorch.
use std::collections::HashMap;
use std::path::Path;

use rnnlab_spec::estimate::{self, Estimate, Io};
use rnnlab_spec::{Run, TaskConfig};
use rnnlab_tasks::{Readout, Split};

/// Seconds per floating-point operation of a training step on this machine, one thread, for
/// cells on libtorch's fused kernels and for unrolled cells.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub fused: f64,
    pub unrolled: f64,
}

impl Rate {
    /// Seconds for `e`'s whole run.
    pub fn seconds(&self, e: &Estimate) -> f64 {
        e.run_flops
            * if e.unrolled {
                self.unrolled
            } else {
                self.fused
            }
    }
}

/// Each run's estimate, or why its task's generator refused the config.
pub fn of_runs(runs: &[Run]) -> Vec<Result<Estimate, String>> {
    let mut shapes: HashMap<String, Result<Io, String>> = HashMap::new();
    runs.iter()
        .map(|run| {
            let key = serde_json::to_string(&run.config.task).unwrap_or_default();
            let io = shapes
                .entry(key)
                .or_insert_with(|| io_of(&run.config.task))
                .clone()?;
            Ok(estimate::estimate(&run.config, &io))
        })
        .collect()
}

/// The data shape of a task: widths from its generator, the length from the spec for dense
/// tasks (no batch is made: `length: 10^9` must not allocate) and from the longest of a
/// train and a test batch for agreement, whose sentences are bounded by the grammar.
fn io_of(task: &TaskConfig) -> Result<Io, String> {
    let generator = rnnlab_tasks::try_build(task, 1).map_err(|e| e.to_string())?;
    let shape = generator.shape();
    let steps = match estimate::sequence_length(task) {
        Some(steps) => steps,
        None => [Split::Train, Split::Test]
            .iter()
            .map(|&split| generator.batch(split, 0, 64).steps)
            .max()
            .unwrap_or(0),
    };
    Ok(Io {
        inputs: shape.inputs,
        tokens: shape.tokens,
        outputs: shape.outputs,
        per_step: shape.readout == Readout::PerStep,
        steps,
    })
}

/// The memory this process may use: MemTotal of /proc/meminfo, or the cgroup v2 limit
/// (`memory.max` of the process's cgroup: SLURM's `--mem`, a container's limit) when smaller,
/// with where the figure came from. `None` where neither can be read.
pub fn machine_memory() -> Option<(f64, String)> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kib = |name: &str| -> Option<f64> {
        let line = meminfo.lines().find(|l| l.starts_with(name))?;
        Some(line.split_whitespace().nth(1)?.parse::<f64>().ok()? * 1024.0)
    };
    let total = kib("MemTotal:")?;
    let cgroup = std::fs::read_to_string("/proc/self/cgroup")
        .ok()
        .and_then(|c| {
            let path = c.lines().find_map(|l| l.strip_prefix("0::"))?.to_owned();
            let file = Path::new("/sys/fs/cgroup")
                .join(path.trim_start_matches('/'))
                .join("memory.max");
            std::fs::read_to_string(file)
                .ok()?
                .trim()
                .parse::<f64>()
                .ok()
        });
    Some(match cgroup {
        Some(limit) if limit < total => (limit, "the cgroup's memory.max".into()),
        _ => (total, "MemTotal in /proc/meminfo".into()),
    })
}

/// A number with an SI prefix: `17.2 k`, `4.00 P`, `160 E`, then powers of ten.
pub fn si(value: f64) -> String {
    const PREFIXES: [&str; 7] = ["", " k", " M", " G", " T", " P", " E"];
    if !value.is_finite() || value >= 1e21 {
        return format!("{value:.2e}");
    }
    let mut v = value;
    let mut p = 0;
    while v >= 1000.0 && p + 1 < PREFIXES.len() {
        v /= 1000.0;
        p += 1;
    }
    let digits = if p == 0 || v >= 100.0 {
        0
    } else if v >= 10.0 {
        1
    } else {
        2
    };
    format!("{v:.digits$}{}", PREFIXES[p])
}

/// A quantity with its unit after the SI prefix: `12.3 MB`, `512 B`, `1.10 GFLOP`.
pub fn unit(value: f64, unit: &str) -> String {
    let s = si(value);
    if s.ends_with(|c: char| c.is_ascii_alphabetic()) && !s.contains('e') {
        format!("{s}{unit}")
    } else {
        format!("{s} {unit}")
    }
}

/// Bytes as `12.3 MB` (SI).
pub fn bytes(value: f64) -> String {
    unit(value, "B")
}

/// A duration for people: `42 s`, `7.5 min`, `3.2 h`, `2.1 days`.
pub fn duration(seconds: f64) -> String {
    match seconds {
        s if s < 1.0 => "under 1 s".into(),
        s if s < 90.0 => format!("{s:.0} s"),
        s if s < 5400.0 => format!("{:.1} min", s / 60.0),
        s if s < 172_800.0 => format!("{:.1} h", s / 3600.0),
        s => format!("{:.1} days", s / 86_400.0),
    }
}

/// `about 42 s`, or `under 1 s`.
pub fn about(seconds: f64) -> String {
    match duration(seconds) {
        d if d.starts_with("under") => d,
        d => format!("about {d}"),
    }
}

/// One run's estimate on one line: parameters, step memory, step FLOPs, and time if known.
pub fn line(e: &Estimate, rate: Option<&Rate>) -> String {
    let time = rate
        .map(|r| format!(", {} a run", about(r.seconds(e))))
        .unwrap_or_default();
    format!(
        "{} parameters, {} a training step, {} a step{time}",
        si(e.parameters),
        bytes(e.memory.total()),
        unit(e.step_flops, "FLOP")
    )
}

/// Why a run cannot fit: its memory by part against the machine's.
pub fn too_big(e: &Estimate, memory: f64, source: &str) -> String {
    let m = &e.memory;
    format!(
        "a training step needs {} (weights {}, gradients {}, optimizer state {}, activations {}, \
         data {}: {} parameters), more than this machine's {} ({source}); make it smaller \
         (model.hidden, model.layers, train.batch or the task's length)",
        bytes(m.total()),
        bytes(m.weights),
        bytes(m.gradients),
        bytes(m.optimizer),
        bytes(m.activations),
        bytes(m.data),
        si(e.parameters),
        bytes(memory)
    )
}

/// The config path most to blame for a run's memory: the width when weights and their copies
/// dominate, else the batch (activations and data grow with it and with the length).
pub fn culprit(e: &Estimate) -> &'static str {
    let m = &e.memory;
    if m.weights + m.gradients + m.optimizer >= m.activations + m.data {
        "model.hidden"
    } else {
        "train.batch"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_with_their_prefix() {
        assert_eq!(si(133.0), "133");
        assert_eq!(si(17_234.0), "17.2 k");
        assert_eq!(si(4e16), "40.0 P");
        assert_eq!(bytes(1.6e17), "160 PB");
        assert_eq!(bytes(512.0), "512 B");
        assert_eq!(bytes(1e30), "1.00e30 B");
        assert_eq!(duration(42.0), "42 s");
        assert_eq!(duration(3.2 * 3600.0), "3.2 h");
    }
}
