//! The environment section of a report: what produced the numbers.

use std::collections::BTreeSet;
use std::path::Path;

use crate::load::Results;

/// Versions and machine, as the report states them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    /// rnnlab version(s) the runs were made with (from summary.json).
    pub rnnlab: String,
    /// libtorch version(s) (from summary.json).
    pub libtorch: String,
    /// Device(s) the runs used (from summary.json).
    pub device: String,
    /// The CPU: the runs' own when summary.json records one, else this machine's
    /// (/proc/cpuinfo).
    pub cpu: String,
    /// `git rev-parse HEAD` in the results folder, or `unknown`.
    pub commit: String,
}

impl Environment {
    pub fn collect(results: &Results) -> Environment {
        // Older summaries may lack a field: empty values are "unknown".
        let distinct = |f: &dyn Fn(&crate::load::Summary) -> &str| {
            let set: BTreeSet<&str> = results
                .runs
                .iter()
                .map(|r| f(&r.summary))
                .filter(|v| !v.is_empty())
                .collect();
            if set.is_empty() {
                "unknown".to_string()
            } else {
                set.into_iter().collect::<Vec<_>>().join(", ")
            }
        };
        let run_cpu = distinct(&|s| &s.cpu);
        Environment {
            rnnlab: distinct(&|s| &s.rnnlab),
            libtorch: distinct(&|s| &s.libtorch),
            device: distinct(&|s| &s.device),
            cpu: if run_cpu == "unknown" {
                host_cpu()
            } else {
                run_cpu
            },
            commit: git_commit(&results.dir),
        }
    }

    /// Markdown bullet list.
    pub fn markdown(&self) -> String {
        format!(
            "- rnnlab: {}\n- libtorch: {}\n- device: {}\n- CPU: {}\n- git commit: {}\n",
            self.rnnlab, self.libtorch, self.device, self.cpu, self.commit
        )
    }
}

/// `model name` of /proc/cpuinfo and the number of logical CPUs; `unknown` elsewhere.
pub fn host_cpu() -> String {
    let Ok(text) = std::fs::read_to_string("/proc/cpuinfo") else {
        return "unknown".into();
    };
    let model = text
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    let count = text.lines().filter(|l| l.starts_with("processor")).count();
    format!("{model} ({count} logical CPUs)")
}

/// The commit of the repository the results folder is in, or `unknown`.
pub fn git_commit(dir: &Path) -> String {
    std::process::Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(dir)
        .stderr(std::process::Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".into())
}
