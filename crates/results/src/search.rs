//! `search/rung-<i>.json`: what a `search:` sweep decided at one successive-halving rung
//! (docs/results.md, "search"). The runner writes a rung's file once every trial still in the
//! search has reached the rung; the file is then the decision (a resubmitted shard reads it
//! instead of deciding again), and the report reads the trials' ranking and the winners from
//! it instead of recomputing them.
//!
//! Without halving a search has one rung, `train.steps`, whose decision is the winner.
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::{write_atomic, ResultsError};

/// The format this build writes.
pub const FORMAT_VERSION: u32 = 1;

/// The decision at one rung, for every group (variant × grid point) that has it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RungDecision {
    pub format: u32,
    /// 0-based: the first rung is 0.
    pub rung: usize,
    /// The selection metric as written in the sweep (`valid.mse`).
    pub select: String,
    pub groups: Vec<GroupDecision>,
}

/// One group's ranking at a rung.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupDecision {
    /// The group's params (`variant`, grid axes) as `[name, value]` pairs.
    pub key: Vec<(String, String)>,
    /// The rung's step.
    pub step: usize,
    /// Every trial still in the search, best first (ties: lower trial index first).
    pub ranking: Vec<TrialScore>,
    /// The trials that train on to the next rung, best first; empty at the last rung.
    pub kept: Vec<usize>,
    /// At the group's last rung, the winning trial (`ranking[0]`); null before.
    pub winner: Option<usize>,
    /// A warning about the decision, for a person: e.g. that no trial had left the task's
    /// no-learning baseline at this rung, so the cut ranked noise. Null when there is none.
    #[serde(default)]
    pub note: Option<String>,
}

/// A trial's score at a rung.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrialScore {
    pub trial: usize,
    /// The mean of the selection metric over the trial's runs (one per tuning seed); null
    /// (worst) when a run has no finite value there: it diverged, failed, or never measured it.
    #[serde(with = "crate::summary::nullable")]
    pub score: f64,
    /// Runs with a finite value / runs of the trial.
    pub used: usize,
    pub runs: usize,
}

/// Reads a rung's decision; `Ok(None)` when it has not been decided (no file).
pub fn read_rung(path: &Path) -> Result<Option<RungDecision>, ResultsError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(ResultsError::io(path)(e)),
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|source| ResultsError::Parse {
            path: path.to_owned(),
            what: "search rung decision",
            source,
        })
}

/// Writes a rung's decision atomically. Every shard that decides a rung decides it the same
/// way, so two writing at once write the same bytes.
pub fn write_rung(path: &Path, decision: &RungDecision) -> Result<(), ResultsError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(ResultsError::io(dir))?;
    }
    let text = serde_json::to_string_pretty(decision).expect("a decision serialises");
    write_atomic(path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decision_reads_back_with_its_unmeasured_scores() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("search/rung-0.json");
        assert_eq!(read_rung(&path).unwrap(), None);
        let d = RungDecision {
            format: FORMAT_VERSION,
            rung: 0,
            select: "valid.mse".into(),
            groups: vec![GroupDecision {
                key: vec![("variant".into(), "lstm".into())],
                step: 200,
                ranking: vec![
                    TrialScore {
                        trial: 1,
                        score: 0.01,
                        used: 2,
                        runs: 2,
                    },
                    TrialScore {
                        trial: 0,
                        score: f64::NAN,
                        used: 1,
                        runs: 2,
                    },
                ],
                kept: vec![1],
                winner: None,
                note: None,
            }],
        };
        write_rung(&path, &d).unwrap();
        let back = read_rung(&path).unwrap().unwrap();
        assert!(back.groups[0].ranking[1].score.is_nan());
        assert_eq!(back.groups[0].ranking[0], d.groups[0].ranking[0]);
        assert_eq!(back.groups[0].kept, [1]);
    }
}
