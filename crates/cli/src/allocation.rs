//! The CPUs this process may use, so that `rnnlab run` sizes `--jobs` and `--threads` to its
//! allocation rather than to the node: a SLURM task with `--cpus-per-task=1` on a 64-core node
//! must train one run at a time, not 64.
//!
//! Four sources, the smallest wins:
//! - `SLURM_CPUS_PER_TASK`, which SLURM sets when the job asks for `--cpus-per-task`; it is the
//!   only hint on clusters whose task plugin does not bind CPUs (`TaskPlugin=task/none`);
//! - the cgroup CPU quota: v2 `cpu.max`, v1 `cpu.cfs_quota_us / cpu.cfs_period_us`, of the
//!   process's cgroup and each parent up to the mount (Kubernetes CPU limits, Docker `--cpus`),
//!   rounded down as std does, at least 1;
//! - the affinity mask, `Cpus_allowed_list` of `/proc/self/status` (taskset, cpusets, SLURM's
//!   `task/affinity` and `task/cgroup` binding);
//! - `std::thread::available_parallelism`, which on Linux reads the calling thread's
//!   `sched_getaffinity` mask and the cgroup v1 and v2 quotas itself, and falls back to the
//!   online CPU count; it knows nothing of SLURM's variables. It is kept as the portable
//!   floor for systems without `/proc`.
//!
//! The files are read relative to a root folder so that tests can lay out their own `/proc`
//! and `/sys/fs/cgroup`.
use std::fmt;
use std::path::{Path, PathBuf};

/// Where a CPU count came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Slurm,
    CgroupQuota,
    Affinity,
    Os,
}

impl Source {
    fn name(self) -> &'static str {
        match self {
            Source::Slurm => "SLURM_CPUS_PER_TASK",
            Source::CgroupQuota => "the cgroup CPU quota",
            Source::Affinity => "the CPU affinity mask",
            Source::Os => "available_parallelism",
        }
    }
}

/// The CPUs this process may use and every source that was seen, for the run's log.
#[derive(Debug, Clone, PartialEq)]
pub struct Allocation {
    /// At least 1.
    pub cpus: usize,
    /// The source that gave `cpus` (the first listed among equals); `None` when no source
    /// answered and 1 was assumed.
    pub decided_by: Option<Source>,
    /// Each source that answered, with its count and where it was read.
    pub seen: Vec<(Source, usize, String)>,
    /// Values that could not be read as CPU counts, said in the log and otherwise ignored.
    pub ignored: Vec<String>,
}

impl fmt::Display for Allocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.decided_by {
            Some(source) => write!(f, "{} CPU(s), from {}", self.cpus, source.name())?,
            None => write!(f, "1 CPU: no source answered")?,
        }
        let others: Vec<String> = self
            .seen
            .iter()
            .map(|(s, n, at)| {
                if at.is_empty() {
                    format!("{} {n}", s.name())
                } else {
                    format!("{} {n} ({at})", s.name())
                }
            })
            .collect();
        if !others.is_empty() {
            write!(f, "; seen: {}", others.join(", "))?;
        }
        for note in &self.ignored {
            write!(f, "; ignored {note}")?;
        }
        Ok(())
    }
}

/// The allocation of this process, from the real `/proc`, `/sys/fs/cgroup` and environment.
pub fn detect() -> Allocation {
    let os = std::thread::available_parallelism().ok().map(|n| n.get());
    detect_in(Path::new("/"), |k| std::env::var(k).ok(), os)
}

/// The allocation as seen under `root` (`/` for the real system), with `env` for the
/// environment and `os` for `available_parallelism`'s answer.
pub fn detect_in(
    root: &Path,
    env: impl Fn(&str) -> Option<String>,
    os: Option<usize>,
) -> Allocation {
    let mut seen = Vec::new();
    let mut ignored = Vec::new();
    if let Some(text) = env("SLURM_CPUS_PER_TASK") {
        match text.trim().parse::<usize>() {
            Ok(n) if n > 0 => seen.push((Source::Slurm, n, String::new())),
            _ => ignored.push(format!("SLURM_CPUS_PER_TASK={text:?} (not a CPU count)")),
        }
    }
    let read = |p: &str| std::fs::read_to_string(root.join(p)).ok();
    if let (Some(cgroups), Some(mounts)) = (read("proc/self/cgroup"), read("proc/self/mountinfo")) {
        if let Some((n, file)) = cgroup_quota(root, &cgroups, &mounts) {
            seen.push((Source::CgroupQuota, n, file.display().to_string()));
        }
    }
    if let Some(n) = read("proc/self/status").as_deref().and_then(affinity) {
        seen.push((Source::Affinity, n, "/proc/self/status".into()));
    }
    if let Some(n) = os.filter(|&n| n > 0) {
        seen.push((Source::Os, n, String::new()));
    }
    // `min_by_key` keeps the first of equal counts: the more specific source is listed first.
    let best = seen.iter().min_by_key(|(_, n, _)| *n);
    Allocation {
        cpus: best.map_or(1, |b| b.1),
        decided_by: best.map(|b| b.0),
        seen,
        ignored,
    }
}

/// The number of CPUs in a kernel CPU list such as `0-3,8,10-11`.
fn cpu_list_count(list: &str) -> Option<usize> {
    let mut count = 0;
    for part in list.trim().split(',').filter(|p| !p.is_empty()) {
        count += match part.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (a.parse::<usize>().ok()?, b.parse::<usize>().ok()?);
                b.checked_sub(a)? + 1
            }
            None => part.parse::<usize>().map(|_| 1).ok()?,
        };
    }
    (count > 0).then_some(count)
}

/// The affinity mask's size from the text of `/proc/self/status`.
fn affinity(status: &str) -> Option<usize> {
    let line = status
        .lines()
        .find_map(|l| l.strip_prefix("Cpus_allowed_list:"))?;
    cpu_list_count(line)
}

/// One mount of `/proc/self/mountinfo`: its root within the hierarchy, its mount point, its
/// filesystem type and super options (`rw,cpu,cpuacct` for a v1 cpu controller).
struct Mount<'a> {
    root: &'a str,
    point: &'a str,
    fstype: &'a str,
    options: &'a str,
}

fn mounts(mountinfo: &str) -> Vec<Mount<'_>> {
    mountinfo
        .lines()
        .filter_map(|line| {
            let (left, right) = line.split_once(" - ")?;
            let left: Vec<&str> = left.split(' ').collect();
            let mut right = right.split(' ');
            let fstype = right.next()?;
            let _source = right.next()?;
            Some(Mount {
                root: left.get(3)?,
                point: left.get(4)?,
                fstype,
                options: right.next().unwrap_or(""),
            })
        })
        .collect()
}

/// The smallest quota, in whole CPUs (rounded down, at least 1), over the process's cgroup and
/// its parents up to the controller's mount, v2 first, then v1; with the file that set it.
fn cgroup_quota(root: &Path, cgroups: &str, mountinfo: &str) -> Option<(usize, PathBuf)> {
    let mounts = mounts(mountinfo);
    for line in cgroups.lines() {
        let mut fields = line.splitn(3, ':');
        let (_, controllers, path) = (fields.next()?, fields.next()?, fields.next()?);
        let v2 = controllers.is_empty();
        if !v2 && !controllers.split(',').any(|c| c == "cpu") {
            continue;
        }
        let mount = mounts.iter().find(|m| {
            if v2 {
                m.fstype == "cgroup2"
            } else {
                m.fstype == "cgroup" && m.options.split(',').any(|o| o == "cpu")
            }
        });
        let Some(mount) = mount else { continue };
        let relative = path
            .strip_prefix(mount.root)
            .unwrap_or(path)
            .trim_start_matches('/');
        let top = root.join(mount.point.trim_start_matches('/'));
        let mut dir = top.join(relative);
        let mut best: Option<(usize, PathBuf)> = None;
        loop {
            let quota = if v2 { quota_v2(&dir) } else { quota_v1(&dir) };
            if let Some(q) = quota {
                if best.as_ref().is_none_or(|b| q.0 < b.0) {
                    best = Some(q);
                }
            }
            if dir == top || !dir.pop() || !dir.starts_with(&top) {
                break;
            }
        }
        if best.is_some() {
            return best;
        }
    }
    None
}

fn whole_cpus(quota: f64, period: f64) -> Option<usize> {
    (quota > 0.0 && period > 0.0).then(|| ((quota / period).floor() as usize).max(1))
}

/// `cpu.max` is `QUOTA PERIOD` or `max PERIOD` (no limit).
fn quota_v2(dir: &Path) -> Option<(usize, PathBuf)> {
    let file = dir.join("cpu.max");
    let text = std::fs::read_to_string(&file).ok()?;
    let mut parts = text.split_whitespace();
    let (quota, period) = (parts.next()?, parts.next()?);
    whole_cpus(quota.parse().ok()?, period.parse().ok()?).map(|n| (n, file))
}

/// `cpu.cfs_quota_us` is -1 when unlimited.
fn quota_v1(dir: &Path) -> Option<(usize, PathBuf)> {
    let read = |name: &str| -> Option<f64> {
        std::fs::read_to_string(dir.join(name))
            .ok()?
            .trim()
            .parse()
            .ok()
    };
    let file = dir.join("cpu.cfs_quota_us");
    whole_cpus(read("cpu.cfs_quota_us")?, read("cpu.cfs_period_us")?).map(|n| (n, file))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// A fake system root: `files` are (path under the root, contents).
    fn root(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let file = dir.path().join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        }
        dir
    }

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    const STATUS_8: &str = "Name:\trnnlab\nCpus_allowed:\tff\nCpus_allowed_list:\t0-7\n";
    const V2_MOUNT: &str = "30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n";
    const V1_MOUNTS: &str = "31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw,mode=755\n\
        32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n\
        34 31 0:31 / /sys/fs/cgroup/cpuset rw - cgroup cgroup rw,cpuset\n";

    #[test]
    fn cpu_lists_count_ranges_and_singles() {
        assert_eq!(cpu_list_count("0-3,8,10-11\n"), Some(7));
        assert_eq!(cpu_list_count("5"), Some(1));
        assert_eq!(cpu_list_count("3-1"), None);
        assert_eq!(cpu_list_count(""), None);
        assert_eq!(cpu_list_count("x"), None);
    }

    #[test]
    fn the_affinity_mask_decides_when_nothing_is_smaller() {
        let dir = root(&[("proc/self/status", STATUS_8)]);
        let a = detect_in(dir.path(), env(&[]), Some(64));
        assert_eq!((a.cpus, a.decided_by), (8, Some(Source::Affinity)));
        assert!(
            a.to_string()
                .starts_with("8 CPU(s), from the CPU affinity mask; seen: "),
            "{a}"
        );
    }

    #[test]
    fn a_cgroup_v2_quota_of_a_parent_limits_the_process() {
        // The process sits in /job/step; the quota of 2.5 CPUs is on /job: 2 whole CPUs.
        let dir = root(&[
            ("proc/self/status", STATUS_8),
            ("proc/self/cgroup", "0::/job/step\n"),
            ("proc/self/mountinfo", V2_MOUNT),
            ("sys/fs/cgroup/job/cpu.max", "250000 100000\n"),
            ("sys/fs/cgroup/job/step/cpu.max", "max 100000\n"),
        ]);
        let a = detect_in(dir.path(), env(&[]), Some(8));
        assert_eq!((a.cpus, a.decided_by), (2, Some(Source::CgroupQuota)));
        assert!(a.to_string().contains("job/cpu.max"), "{a}");
    }

    #[test]
    fn a_cgroup_v1_quota_is_read_from_the_cpu_controller_mount() {
        let cgroups = "4:cpuset:/\n3:cpu,cpuacct:/docker/abc\n0::/\n";
        let dir = root(&[
            ("proc/self/status", STATUS_8),
            ("proc/self/cgroup", cgroups),
            ("proc/self/mountinfo", V1_MOUNTS),
            (
                "sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us",
                "300000\n",
            ),
            (
                "sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us",
                "100000\n",
            ),
        ]);
        let a = detect_in(dir.path(), env(&[]), None);
        assert_eq!((a.cpus, a.decided_by), (3, Some(Source::CgroupQuota)));
    }

    #[test]
    fn no_quota_means_no_limit_and_a_fraction_still_gives_one_cpu() {
        let unlimited = root(&[
            ("proc/self/cgroup", "1:cpu:/\n"),
            (
                "proc/self/mountinfo",
                V1_MOUNTS.replace(",cpuacct", "").as_str(),
            ),
            ("sys/fs/cgroup/cpu/cpu.cfs_quota_us", "-1\n"),
            ("sys/fs/cgroup/cpu/cpu.cfs_period_us", "100000\n"),
        ]);
        let a = detect_in(unlimited.path(), env(&[]), Some(4));
        assert_eq!((a.cpus, a.decided_by), (4, Some(Source::Os)));
        let half = root(&[
            ("proc/self/cgroup", "0::/\n"),
            ("proc/self/mountinfo", V2_MOUNT),
            ("sys/fs/cgroup/cpu.max", "50000 100000\n"),
        ]);
        let a = detect_in(half.path(), env(&[]), Some(4));
        assert_eq!((a.cpus, a.decided_by), (1, Some(Source::CgroupQuota)));
    }

    #[test]
    fn slurm_cpus_per_task_wins_over_a_larger_mask_and_bad_values_are_ignored() {
        let dir = root(&[("proc/self/status", STATUS_8)]);
        let a = detect_in(dir.path(), env(&[("SLURM_CPUS_PER_TASK", "1")]), Some(8));
        assert_eq!((a.cpus, a.decided_by), (1, Some(Source::Slurm)));
        // Equal counts: SLURM, the more specific source, is named.
        let a = detect_in(dir.path(), env(&[("SLURM_CPUS_PER_TASK", "8")]), Some(8));
        assert_eq!(a.decided_by, Some(Source::Slurm));
        // A larger request than the mask does not raise the count.
        let a = detect_in(dir.path(), env(&[("SLURM_CPUS_PER_TASK", "16")]), None);
        assert_eq!((a.cpus, a.decided_by), (8, Some(Source::Affinity)));
        let a = detect_in(dir.path(), env(&[("SLURM_CPUS_PER_TASK", "two")]), None);
        assert_eq!((a.cpus, a.ignored.len()), (8, 1));
        assert!(
            a.to_string()
                .contains("ignored SLURM_CPUS_PER_TASK=\"two\""),
            "{a}"
        );
    }

    #[test]
    fn nothing_readable_assumes_one_cpu() {
        let dir = root(&[]);
        let a = detect_in(dir.path(), env(&[]), None);
        assert_eq!((a.cpus, a.decided_by), (1, None));
    }

    #[test]
    fn this_machine_answers() {
        let a = detect();
        assert!(a.cpus >= 1 && a.decided_by.is_some(), "{a}");
    }
}
