//! Stopping a sweep part-way and starting it again: after SIGKILL (a crash, an OOM kill, a
//! preempted node) and after Ctrl-C (SIGINT), the next `rnnlab run` finishes every run exactly
//! once and keeps what was finished.
#![cfg(all(unix, feature = "torch"))]

mod common;

use common::*;

/// Six runs of a tenth of a second each on an idle core, writing metrics every 5 steps, so
/// that a kill lands mid-run (and the test retries when it does not).
const SIX_RUNS: &str = r#"
name: resume
base:
  task: { kind: adding, length: 8 }
  model: { hidden: 8 }
  train: { lr: 1.0e-2, batch: 8, steps: 60, eval_every: 5, eval_size: 16 }
grid:
  model.cell: [rnn_tanh, lstm, gru]
seeds: [1, 2]
"#;

/// A run folder that has metrics but no summary: a run caught mid-way.
fn mid_way(results: &std::path::Path) -> bool {
    run_folders(results)
        .iter()
        .any(|(id, s)| s.is_none() && results.join("runs").join(id).join("metrics.csv").exists())
}

#[test]
fn a_sweep_killed_part_way_finishes_every_run_exactly_once_when_run_again() {
    // The kill is aimed at a moment when one run has finished and another is mid-way; the
    // state is checked after the process is dead, and a kill that missed (the mid-way run
    // finished in the millisecond before it) is tried again in a fresh folder.
    for attempt in 1..=3 {
        let sandbox = Sandbox::new();
        let sweep = sandbox.sweep("resume.yaml", SIX_RUNS);
        let results = sandbox.results("resume");
        let ids = sandbox.dry_run_ids(&sweep);
        assert_eq!(ids.len(), 6);

        let mut child = sandbox.run_cmd(&sweep, 2, &[]).spawn().unwrap();
        wait_until(&mut child, "one run finished and another mid-way", || {
            !summaries(&results).is_empty() && mid_way(&results)
        });
        child.kill().unwrap();
        let first = child.wait_with_output().unwrap();
        assert!(!first.status.success(), "SIGKILL ends the process");

        let after_kill = run_folders(&results);
        let finished: Vec<String> = after_kill
            .iter()
            .filter_map(|(id, s)| s.as_ref().map(|_| id.clone()))
            .collect();
        let unfinished: Vec<String> = after_kill
            .iter()
            .filter(|(_, s)| s.is_none())
            .map(|(id, _)| id.clone())
            .collect();
        if unfinished.is_empty() {
            eprintln!("attempt {attempt}: the kill caught no run mid-way; trying again");
            continue;
        }
        let kept = summaries(&results);
        // What a kill during a write leaves behind: the temporary file of a summary that was
        // never renamed into place.
        let stale = rnnlab_results::temporary_path(
            &results
                .join("runs")
                .join(&unfinished[0])
                .join("summary.json"),
        );
        std::fs::write(&stale, "{\"id\": \"").unwrap();

        let started_first = started(&first.stderr);
        for id in &finished {
            assert!(started_first.contains(id), "{id} finished unstarted?");
        }

        let second = finish(sandbox.run_cmd(&sweep, 2, &[]).spawn().unwrap());
        assert_success(&second);
        let started_second = started(&second.stderr);

        // Exactly once: the second invocation starts each unfinished run once and no
        // finished one, and leaves the finished summaries byte for byte and unrewritten.
        let mut expected: Vec<String> = ids
            .iter()
            .filter(|id| !finished.contains(id))
            .cloned()
            .collect();
        expected.sort();
        let mut got = started_second.clone();
        got.sort();
        assert_eq!(got, expected, "runs started by the second invocation");
        for (id, before) in &kept {
            let now = summaries(&results).remove(id).unwrap();
            assert_eq!(&now, before, "finished run {id} was written again");
        }

        let all = run_folders(&results);
        assert_eq!(all.len(), ids.len(), "one folder per run: {all:?}");
        for id in &ids {
            let s = all[id]
                .as_ref()
                .unwrap_or_else(|| panic!("{id} has no summary"));
            assert_eq!(s.status(), "completed", "{id}: {}", s.text);
            assert_eq!(s.json["steps"], 60, "{id}: {}", s.text);
            let metrics = metrics_without_time(&results, id);
            assert!(
                metrics.lines().last().unwrap().starts_with("60,test,"),
                "{id}'s metrics.csv does not end with its test row:\n{metrics}"
            );
        }
        assert_eq!(temp_files(&results), Vec::<std::path::PathBuf>::new());
        return;
    }
    panic!("three kills in a row missed every run mid-way");
}

/// Two short runs, then two longer ones: with one job they run in this order. The long runs
/// write metrics from step 5 on and have 195 steps more in which the signal must arrive.
const INTERRUPTIBLE: &str = r#"
name: interrupt
base:
  task: { kind: adding, length: 8 }
  model: { cell: gru, hidden: 8 }
  train: { lr: 1.0e-2, batch: 8, eval_every: 5, eval_size: 16 }
grid:
  train.steps: [20, 200]
seeds: [1, 2]
"#;

#[test]
fn ctrl_c_stops_dispatch_marks_running_runs_interrupted_and_keeps_finished_ones() {
    let sandbox = Sandbox::new();
    let sweep = sandbox.sweep("interrupt.yaml", INTERRUPTIBLE);
    let results = sandbox.results("interrupt");
    let ids = sandbox.dry_run_ids(&sweep);
    assert_eq!(ids.len(), 4);
    let long = results.join("runs").join(&ids[2]);

    let mut child = sandbox.run_cmd(&sweep, 1, &[]).spawn().unwrap();
    wait_until(&mut child, "the first long run is mid-way", || {
        long.join("metrics.csv").exists()
    });
    let finished = summaries(&results);
    signal(&child, "INT");
    let out = finish(child);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stdout}\n{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");

    // Nothing finished is lost or rewritten.
    assert_eq!(
        finished.keys().cloned().collect::<Vec<_>>(),
        {
            let mut short = ids[..2].to_vec();
            short.sort();
            short
        },
        "the two short runs had finished"
    );
    let folders = run_folders(&results);
    for (id, before) in &finished {
        assert_eq!(folders[id].as_ref(), Some(before));
    }
    // The running run stopped at its next step with a summary saying so.
    let long_summary = folders[&ids[2]].as_ref().expect("the long run's summary");
    assert_eq!(
        long_summary.status(),
        "interrupted",
        "{}",
        long_summary.text
    );
    assert!(long_summary.json["steps"].as_u64().unwrap() < 200);
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("interrupted") && l.contains(&ids[2])),
        "the status table shows the interrupted run:\n{stdout}"
    );
    // Dispatch stopped: the last run never started, and the table says so.
    assert!(folders.get(&ids[3]).is_none_or(|s| s.is_none()));
    assert_eq!(started(&out.stderr), ids[..3].to_vec());
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("not run") && l.contains(&ids[3])),
        "{stdout}"
    );

    // The next invocation runs the interrupted run and the one never started, nothing else.
    let again = finish(sandbox.run_cmd(&sweep, 1, &[]).spawn().unwrap());
    assert_success(&again);
    assert_eq!(started(&again.stderr), ids[2..].to_vec());
    // Progress counts the two kept runs, so the two that train are 3 and 4 of 4.
    let log = String::from_utf8_lossy(&again.stderr);
    for (k, id) in [(3, &ids[2]), (4, &ids[3])] {
        assert!(
            log.lines()
                .any(|l| l.starts_with(&format!("[{k}/4] completed")) && l.contains(id.as_str())),
            "{log}"
        );
    }
    let folders = run_folders(&results);
    for id in &ids {
        let s = folders[id].as_ref().unwrap();
        assert_eq!(s.status(), "completed", "{id}: {}", s.text);
    }
    for (id, before) in &finished {
        assert_eq!(folders[id].as_ref(), Some(before));
    }
    // The interrupted run continued from the checkpoint it wrote when interrupted, and said so.
    let interrupted_at = long_summary.json["steps"].as_u64().unwrap();
    let resumed = &folders[&ids[2]].as_ref().unwrap().json["resumed_from"];
    assert_eq!(resumed, &serde_json::json!([interrupted_at]), "{resumed}");
    assert!(
        log.lines()
            .any(|l| l.starts_with("resumed") && l.contains(&format!("at step {interrupted_at}"))),
        "{log}"
    );
}

/// Two runs of some seconds, checkpointing every 10 steps, saving their weights.
const LONG_RUNS: &str = r#"
name: kills
base:
  task: { kind: copy, length: 10, symbols: 4 }
  model: { cell: lstm, hidden: 24, dropout: 0.1 }
  train: { lr: 1.0e-2, batch: 16, steps: 1200, eval_every: 25, eval_size: 32,
           checkpoint_every: 10, save: true, clip: { kind: norm, max: 1.0 } }
seeds: [1, 2]
"#;

/// A run's files minus what measures time: metrics.csv without elapsed_s, summary.json
/// without wall_s, steps_per_s and resumed_from, and the weights' bytes.
fn outcome(results: &std::path::Path, id: &str) -> (String, serde_json::Value, Vec<u8>) {
    let dir = results.join("runs").join(id);
    let mut summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap();
    for timing in ["wall_s", "steps_per_s", "resumed_from"] {
        summary.as_object_mut().unwrap().remove(timing);
    }
    let weights = std::fs::read(dir.join("model.safetensors")).unwrap();
    (metrics_without_time(results, id), summary, weights)
}

#[test]
fn runs_killed_at_random_moments_resume_to_the_bytes_of_an_uninterrupted_sweep() {
    let sandbox = Sandbox::new();
    let sweep = sandbox.sweep("kills.yaml", LONG_RUNS);
    let ids = sandbox.dry_run_ids(&sweep);
    let straight = Sandbox::new();
    let reference = straight.sweep("kills.yaml", LONG_RUNS);
    assert_success(&finish(
        straight.run_cmd(&reference, 1, &[]).spawn().unwrap(),
    ));
    let want: Vec<_> = ids
        .iter()
        .map(|id| outcome(&straight.results("kills"), id))
        .collect();

    // SIGKILL at pseudo-random moments, each after a new checkpoint, eight times; then the
    // sweep is let finish. The moments come from a fixed linear congruential sequence.
    let results = sandbox.results("kills");
    let mut lcg: u64 = 12345;
    let mut kills = 0;
    // How far the sweep is: each run's checkpointed step, or past the end once finished.
    let progress = || -> u64 {
        ids.iter()
            .map(|id| {
                let dir = results.join("runs").join(id);
                if dir.join("summary.json").exists() {
                    return 1_000_000;
                }
                std::fs::read(dir.join("checkpoint.json"))
                    .ok()
                    .and_then(|t| serde_json::from_slice::<serde_json::Value>(&t).ok())
                    .and_then(|c| c["step"].as_u64())
                    .unwrap_or(0)
            })
            .sum()
    };
    loop {
        let before = progress();
        // Two jobs here against one for the reference: resumed runs must not depend on it.
        let mut child = sandbox.run_cmd(&sweep, 2, &[]).spawn().unwrap();
        lcg = lcg
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let extra = std::time::Duration::from_millis((lcg >> 33) % 150);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(180);
        // Wait for a new checkpoint (or the end), then a random moment more.
        let mut exited = None;
        while exited.is_none() && progress() == before {
            assert!(std::time::Instant::now() < deadline, "no progress in 180 s");
            std::thread::sleep(std::time::Duration::from_millis(2));
            exited = child.try_wait().unwrap();
        }
        if exited.is_none() {
            std::thread::sleep(extra);
            exited = child.try_wait().unwrap();
        }
        if let Some(status) = exited {
            assert!(status.success(), "rnnlab failed: {status}");
            break;
        }
        if kills == 8 {
            assert_success(&finish(child));
            break;
        }
        child.kill().unwrap();
        child.wait().unwrap();
        kills += 1;
    }
    let resumed: usize = ids
        .iter()
        .map(|id| {
            let s: serde_json::Value = serde_json::from_slice(
                &std::fs::read(results.join("runs").join(id).join("summary.json")).unwrap(),
            )
            .unwrap();
            s["resumed_from"].as_array().unwrap().len()
        })
        .sum();
    eprintln!("{kills} kills, {resumed} resumes");
    assert!(
        kills >= 3 && resumed >= 3,
        "{kills} kills, {resumed} resumes"
    );
    for (id, want) in ids.iter().zip(&want) {
        let got = outcome(&results, id);
        assert_eq!(got.0, want.0, "{id}: metrics.csv");
        assert_eq!(got.1, want.1, "{id}: summary.json");
        assert!(got.2 == want.2, "{id}: the weights differ");
        let left: Vec<_> = std::fs::read_dir(results.join("runs").join(id))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("checkpoint"))
            .collect();
        assert!(left.is_empty(), "{id} kept {left:?}");
    }
    assert_eq!(temp_files(&results), Vec::<std::path::PathBuf>::new());
}
