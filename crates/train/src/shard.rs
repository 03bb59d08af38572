//! Splitting a sweep across machines: shard K of N takes every run whose position in the
//! expanded sweep is K modulo N, so shards never overlap and together cover the sweep.
use crate::TrainError;

/// Shard `index` of `count` (0-based index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    pub const ALL: Shard = Shard { index: 0, count: 1 };

    /// Parses `K/N` with 1-based K, as written on the command line (`--shard 2/4`).
    pub fn parse(text: &str) -> Result<Shard, TrainError> {
        let bad = || {
            TrainError::Options(format!(
                "--shard {text}: expected K/N with 1 <= K <= N, e.g. 2/4"
            ))
        };
        let (k, n) = text.split_once('/').ok_or_else(bad)?;
        let (k, n): (usize, usize) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if k == 0 || n == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard {
            index: k - 1,
            count: n,
        })
    }

    /// The shard given by a cluster scheduler's environment, if any: a SLURM job array
    /// (`SLURM_ARRAY_TASK_ID` and `SLURM_ARRAY_TASK_COUNT`, normalised by
    /// `SLURM_ARRAY_TASK_MIN` and `SLURM_ARRAY_TASK_STEP`) or a Kubernetes Indexed Job (`JOB_COMPLETION_INDEX`, with the
    /// shard count from `--shards`).
    pub fn from_env(
        get: impl Fn(&str) -> Option<String>,
        shards: Option<usize>,
    ) -> Result<Option<Shard>, TrainError> {
        let num = |name: &str| -> Result<Option<usize>, TrainError> {
            get(name)
                .map(|v| {
                    v.trim().parse().map_err(|_| {
                        TrainError::Options(format!("{name}={v} is not a whole number"))
                    })
                })
                .transpose()
        };
        if let (Some(id), Some(count)) =
            (num("SLURM_ARRAY_TASK_ID")?, num("SLURM_ARRAY_TASK_COUNT")?)
        {
            let min = num("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
            // `--array=0-30:10` numbers its tasks 0, 10, 20, 30: without dividing by the step,
            // task 10 would be shard 11 of 4.
            let step = num("SLURM_ARRAY_TASK_STEP")?.unwrap_or(1).max(1);
            let index = id
                .checked_sub(min)
                .filter(|offset| offset % step == 0)
                .map(|offset| offset / step)
                .filter(|i| *i < count)
                .ok_or_else(|| {
                    TrainError::Options(format!(
                        "SLURM_ARRAY_TASK_ID={id} is not one of the {count} tasks {min}, {}, ... \
                         (SLURM_ARRAY_TASK_MIN, _STEP and _COUNT): use --shard K/N",
                        min + step
                    ))
                })?;
            return Ok(Some(Shard { index, count }));
        }
        if let Some(index) = num("JOB_COMPLETION_INDEX")? {
            let count = shards.ok_or_else(|| {
                TrainError::Options(
                    "JOB_COMPLETION_INDEX is set: pass --shards N (the Job's completions)".into(),
                )
            })?;
            if index >= count {
                return Err(TrainError::Options(format!(
                    "JOB_COMPLETION_INDEX={index} but --shards {count}"
                )));
            }
            return Ok(Some(Shard { index, count }));
        }
        Ok(None)
    }

    /// Whether the run at `position` of the expanded sweep belongs to this shard.
    pub fn owns(&self, position: usize) -> bool {
        position % self.count == self.index
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn shards_cover_every_run_exactly_once() {
        for n in 1..6 {
            let shards: Vec<Shard> = (1..=n)
                .map(|k| Shard::parse(&format!("{k}/{n}")).unwrap())
                .collect();
            for pos in 0..50 {
                assert_eq!(shards.iter().filter(|s| s.owns(pos)).count(), 1);
            }
        }
        assert!(Shard::parse("0/3").is_err());
        assert!(Shard::parse("4/3").is_err());
        assert!(Shard::parse("x").is_err());
    }

    #[test]
    fn slurm_array_indices_are_normalised_by_the_minimum() {
        let env: HashMap<&str, &str> = [
            ("SLURM_ARRAY_TASK_ID", "5"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
            ("SLURM_ARRAY_TASK_MIN", "3"),
        ]
        .into();
        let shard = Shard::from_env(|k| env.get(k).map(|v| v.to_string()), None).unwrap();
        assert_eq!(shard, Some(Shard { index: 2, count: 4 }));
    }

    #[test]
    fn slurm_array_indices_are_divided_by_the_step() {
        let env = |id: &'static str| {
            let vars: HashMap<&str, &str> = [
                ("SLURM_ARRAY_TASK_ID", id),
                ("SLURM_ARRAY_TASK_COUNT", "4"),
                ("SLURM_ARRAY_TASK_MIN", "0"),
                ("SLURM_ARRAY_TASK_STEP", "10"),
            ]
            .into();
            Shard::from_env(|k| vars.get(k).map(|v| v.to_string()), None)
        };
        assert_eq!(env("20").unwrap(), Some(Shard { index: 2, count: 4 }));
        assert_eq!(env("30").unwrap(), Some(Shard { index: 3, count: 4 }));
        assert!(env("15").is_err(), "not a task of the array");
        assert!(env("40").is_err(), "past the last task");
    }

    #[test]
    fn kubernetes_index_needs_the_shard_count() {
        let get = |k: &str| (k == "JOB_COMPLETION_INDEX").then(|| "1".to_string());
        assert!(Shard::from_env(get, None).is_err());
        assert_eq!(
            Shard::from_env(get, Some(3)).unwrap(),
            Some(Shard { index: 1, count: 3 })
        );
        assert_eq!(Shard::from_env(|_| None, None).unwrap(), None);
    }
}
