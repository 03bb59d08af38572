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
    /// The distinct builds that made the runs (`rnnlab X commit Y libtorch Z`, from
    /// summary.json); more than one is said in one line.
    pub builds: Vec<String>,
}

impl Environment {
    pub fn collect(results: &Results) -> Environment {
        // Older summaries may lack a field: empty values are "unknown".
        // A search's trial runs count too: the report shows their numbers.
        let distinct = |f: &dyn Fn(&crate::load::Summary) -> &str| {
            let set: BTreeSet<&str> = results
                .all_summaries()
                .map(f)
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
            builds: results
                .all_summaries()
                .map(|s| s.build().to_string())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect(),
        }
    }

    /// Markdown bullet list.
    pub fn markdown(&self) -> String {
        let mut text = format!(
            "- rnnlab: {}\n- libtorch: {}\n- device: {}\n- CPU: {}\n- git commit: {}\n",
            self.rnnlab, self.libtorch, self.device, self.cpu, self.commit
        );
        if self.builds.len() > 1 {
            text.push_str(&format!(
                "- note: the runs come from {} different builds: {}\n",
                self.builds.len(),
                self.builds.join("; ")
            ));
        }
        text
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_from_several_builds_are_one_line() {
        let mut env = Environment {
            rnnlab: "0.1.0".into(),
            libtorch: "2.13.0".into(),
            device: "cpu".into(),
            cpu: "x".into(),
            commit: "unknown".into(),
            builds: vec!["rnnlab 0.1.0 commit abc libtorch 2.13.0".into()],
        };
        assert!(!env.markdown().contains("note"));
        env.builds
            .push("rnnlab 0.1.0 commit def libtorch 2.13.0".into());
        let md = env.markdown();
        assert_eq!(
            md.lines()
                .filter(|l| l.contains("different builds"))
                .count(),
            1,
            "{md}"
        );
    }
}
