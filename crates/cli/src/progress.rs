//! Progress display: indicatif bars on a terminal (overall, plus one per active run with its
//! step, loss and main metric), periodic log lines otherwise.
use std::collections::{BTreeMap, HashMap};
use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use rnnlab_spec::Run;
use rnnlab_train::{Observer, Summary};

pub struct Progress {
    bars: Option<(MultiProgress, ProgressBar)>,
    active: Mutex<HashMap<String, ProgressBar>>,
    last_line: Mutex<Instant>,
    total: Mutex<usize>,
    done: Mutex<usize>,
}

impl Progress {
    pub fn new(total: usize) -> Self {
        let bars = std::io::stderr().is_terminal().then(|| {
            let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
            let overall = multi.add(ProgressBar::new(total as u64));
            overall.set_style(
                ProgressStyle::with_template(
                    "{prefix:>8} [{bar:30}] {pos}/{len} runs  {elapsed_precise} (eta {eta})",
                )
                .expect("valid template")
                .progress_chars("=> "),
            );
            overall.set_prefix("sweep");
            (multi, overall)
        });
        Self {
            bars,
            active: Mutex::new(HashMap::new()),
            last_line: Mutex::new(Instant::now()),
            total: Mutex::new(total),
            done: Mutex::new(0),
        }
    }

    pub fn finish(&self) {
        if let Some((_, overall)) = &self.bars {
            overall.finish_and_clear();
        }
    }
}

fn short(means: &BTreeMap<String, f64>) -> String {
    means
        .iter()
        .map(|(k, v)| format!("{k} {v:.4}"))
        .collect::<Vec<_>>()
        .join("  ")
}

impl Observer for Progress {
    /// A search stage counts its own runs: `[k/N]` restarts at each rung.
    fn stage(&self, title: &str, runs: usize) {
        *self.total.lock().expect("lock") = runs;
        *self.done.lock().expect("lock") = 0;
        match &self.bars {
            Some((multi, overall)) => {
                overall.set_length(runs as u64);
                overall.set_position(0);
                let _ = multi.println(title);
            }
            None => eprintln!("{title}"),
        }
    }

    fn run_started(&self, run: &Run) {
        match &self.bars {
            Some((multi, _)) => {
                let bar = multi.add(ProgressBar::new(run.config.train.steps as u64));
                bar.set_style(
                    ProgressStyle::with_template("{prefix:>14} [{bar:20}] {pos}/{len} {msg}")
                        .expect("valid template")
                        .progress_chars("=> "),
                );
                bar.set_prefix(run.id.clone());
                bar.set_message(run.label());
                self.active
                    .lock()
                    .expect("lock")
                    .insert(run.id.clone(), bar);
            }
            None => eprintln!("start  {}  {}", run.id, run.label()),
        }
    }

    fn evaluated(&self, run: &Run, step: usize, steps: usize, valid: &BTreeMap<String, f64>) {
        match &self.bars {
            Some(_) => {
                if let Some(bar) = self.active.lock().expect("lock").get(&run.id) {
                    bar.set_position(step as u64);
                    bar.set_message(format!("{}  {}", run.label(), short(valid)));
                }
            }
            None => {
                let mut last = self.last_line.lock().expect("lock");
                if last.elapsed() >= Duration::from_secs(10) || step == steps {
                    *last = Instant::now();
                    eprintln!("step   {}  {step}/{steps}  {}", run.id, short(valid));
                }
            }
        }
    }

    /// Kept runs count towards the total silently: the sweep's first line says how many runs
    /// there are, and the `[k/N]` of the runs that do train then ends at N.
    fn run_reused(&self, _run: &Run, _summary: &Summary) {
        *self.done.lock().expect("lock") += 1;
        if let Some((_, overall)) = &self.bars {
            overall.inc(1);
        }
    }

    fn checkpoint_unused(&self, run: &Run, why: &str) {
        let line = format!(
            "restart     {}  {}  at step 0: its checkpoint is not used ({why})",
            run.id,
            run.label()
        );
        match &self.bars {
            Some((multi, _)) => {
                let _ = multi.println(line);
            }
            None => eprintln!("{line}"),
        }
    }

    fn resumed(&self, run: &Run, step: usize) {
        let line = format!(
            "resumed     {}  {}  from its checkpoint at step {step}",
            run.id,
            run.label()
        );
        match &self.bars {
            Some((multi, _)) => {
                if let Some(bar) = self.active.lock().expect("lock").get(&run.id) {
                    bar.set_position(step as u64);
                }
                let _ = multi.println(line);
            }
            None => eprintln!("{line}"),
        }
    }

    fn run_finished(&self, run: &Run, summary: &Summary) {
        let mut done = self.done.lock().expect("lock");
        *done += 1;
        let line = format!(
            "{:<11} {}  {}  {}",
            summary.status.name(),
            run.id,
            run.label(),
            summary
                .error
                .as_deref()
                .map(|e| format!("error: {e}"))
                .unwrap_or_else(|| short(&summary.final_))
        );
        match &self.bars {
            Some((multi, overall)) => {
                if let Some(bar) = self.active.lock().expect("lock").remove(&run.id) {
                    bar.finish_and_clear();
                }
                overall.inc(1);
                let _ = multi.println(line);
            }
            None => eprintln!("[{}/{}] {line}", *done, self.total.lock().expect("lock")),
        }
    }
}
