//! How fast this machine trains, for turning estimated FLOPs into time: 23 training steps
//! of two small models (an LSTM on the fused kernel and the peephole LSTM, unrolled), timed
//! through `rnnlab_train::bench::time_steps` (the trainer's own step) on one thread, as a run
//! trains beside others. The figure is cached per build and machine under the user's cache
//! folder (`~/.cache/rnnlab/calibration-<key>.json`), so only the first validate pays the
//! second or so it takes.
//!
//! A small model runs fewer operations per second than a big one (more of its time is
//! per-op overhead), so estimates of big runs err long; the estimate says "about".
use std::hash::{Hash, Hasher};
use std::path::PathBuf;

use rnnlab_spec::estimate::{self, Io};
use rnnlab_spec::{
    AddingConfig, Cell, ModelConfig, RunConfig, StopConfig, TaskConfig, TrainConfig,
};

use super::estimate::Rate;

/// The rate from the cache, or measured now (and cached); `None` when it cannot be measured.
pub fn rate() -> Option<Rate> {
    let (machine, build) = (machine(), build());
    let file = cache_file(&machine, &build);
    if let Some(file) = &file {
        let cached = std::fs::read_to_string(file)
            .ok()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok());
        if let Some(rate) = cached.and_then(|c| read(&c, &machine, &build)) {
            return Some(rate);
        }
    }
    let rate = measure()?;
    if let Some(file) = file {
        // The file says what it is for; a key collision or a copied cache is then ignored.
        let cached = serde_json::json!({
            "machine": machine,
            "build": build,
            "seconds_per_flop": { "fused": rate.fused, "unrolled": rate.unrolled },
        });
        // A cache that cannot be written only costs the next validate a second.
        if let Ok(text) = serde_json::to_string_pretty(&cached) {
            let _ = std::fs::create_dir_all(file.parent().unwrap_or(&file));
            let _ = rnnlab_train::write_atomic(&file, text.as_bytes());
        }
    }
    Some(rate)
}

/// The cached rate, if the file is for this machine and build.
fn read(cached: &serde_json::Value, machine: &str, build: &str) -> Option<Rate> {
    if cached["machine"] != machine || cached["build"] != build {
        return None;
    }
    let rate = &cached["seconds_per_flop"];
    let positive = |v: &serde_json::Value| v.as_f64().filter(|r| *r > 0.0 && r.is_finite());
    Some(Rate {
        fused: positive(&rate["fused"])?,
        unrolled: positive(&rate["unrolled"])?,
    })
}

/// Seconds per FLOP of each path: the median of 20 timed steps (after 3 warm-up ones) of a
/// 64-unit model on the adding problem at T = 50, batch 32, over the spec's FLOP count.
fn measure() -> Option<Rate> {
    tch::set_num_threads(1);
    let task = TaskConfig::Adding(AddingConfig { length: 50 });
    let train = TrainConfig {
        batch: 32,
        ..Default::default()
    };
    let io = Io {
        inputs: 2,
        tokens: false,
        outputs: 1,
        per_step: false,
        steps: 50,
    };
    let per_flop = |cell: Cell| -> Option<f64> {
        let model = ModelConfig {
            cell,
            hidden: 64,
            ..Default::default()
        };
        let times =
            rnnlab_train::bench::time_steps(&model, &task, &train, tch::Device::Cpu, 3, 20).ok()?;
        // The thread's CPU time where there is one: with one intra-op thread libtorch computes
        // on this thread, so the figure is the machine's, not its neighbours' load (the wall
        // time of the same steps varied twofold between runs on a shared machine).
        let spent = times.iter().map(|t| t.cpu.unwrap_or_else(|| t.total()));
        let median = rnnlab_train::bench::Spread::of(spent).median;
        let config = RunConfig {
            task: task.clone(),
            model,
            train: train.clone(),
            stop: StopConfig::default(),
            seed: 1,
        };
        Some(median / 1e3 / estimate::estimate(&config, &io).step_flops)
    };
    Some(Rate {
        fused: per_flop(Cell::Lstm)?,
        unrolled: per_flop(Cell::LstmPeephole)?,
    })
}

/// This machine: host name, processor and core count.
fn machine() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|r| r.trim_start_matches([' ', '\t', ':']).trim().to_owned())
        })
        .unwrap_or_default();
    format!("{host} / {cpu} / {cores} cores")
}

/// This build: the version and the executable's size and modification time, which change with
/// every rebuild.
fn build() -> String {
    let exe = std::env::current_exe()
        .and_then(std::fs::metadata)
        .ok()
        .map(|m| {
            let modified = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_secs());
            format!("{} bytes, modified {modified}", m.len())
        })
        .unwrap_or_default();
    format!("rnnlab {} ({exe})", env!("CARGO_PKG_VERSION"))
}

/// `$RNNLAB_CACHE`, `$XDG_CACHE_HOME/rnnlab` or `~/.cache/rnnlab` (as scripts/env.sh), then
/// `calibration-<hash of machine and build>.json`.
fn cache_file(machine: &str, build: &str) -> Option<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let dir = env("RNNLAB_CACHE")
        .or_else(|| env("XDG_CACHE_HOME").map(|d| d.join("rnnlab")))
        .or_else(|| env("HOME").map(|d| d.join(".cache/rnnlab")))?;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (machine, build).hash(&mut hasher);
    Some(dir.join(format!("calibration-{:016x}.json", hasher.finish())))
}
