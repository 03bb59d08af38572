//! The divergence rules, applied as a run trains: a non-finite value diverges at once, a
//! validation loss far above the task's no-learning loss (`stop.diverged`) after some
//! consecutive evaluations.
use rnnlab_results::{Divergence, DivergenceRule};

use crate::run::Trainer;
use crate::summary::Status;

impl Trainer<'_> {
    /// Ends the run as diverged, recording why.
    pub(crate) fn diverge(&mut self, rule: DivergenceRule, reason: String) {
        self.divergence = Some(Divergence { rule, reason });
        self.status = Some(Status::Diverged);
    }

    /// The divergence rules on a validation loss: a non-finite one diverges at once; one
    /// above [`Trainer::diverge_above`] at `stop.diverged.evaluations` consecutive evaluations
    /// does too.
    pub(crate) fn judge_valid_loss(&mut self, loss: f64) {
        if !loss.is_finite() {
            self.diverge(
                DivergenceRule::NonFinite,
                format!("non-finite valid loss ({loss}) at step {}", self.done),
            );
            return;
        }
        let Some(bound) = self.diverge_above.filter(|b| loss > *b) else {
            self.above.clear();
            return;
        };
        self.above.push((self.done, loss));
        let d = &self.run.config.stop.diverged;
        if self.above.len() >= d.evaluations {
            let k = d.loss_above_baseline.unwrap_or(f64::NAN);
            let seen: Vec<String> = self
                .above
                .iter()
                .map(|(step, loss)| format!("{} at step {step}", short(*loss)))
                .collect();
            self.diverge(
                DivergenceRule::Loss,
                format!(
                    "valid loss above {k} x the no-learning loss {} (= {}) at {} consecutive \
                     evaluations: {}",
                    short(bound / k),
                    short(bound),
                    self.above.len(),
                    seen.join(", ")
                ),
            );
        }
    }
}

/// A number for a message: 4 significant digits.
fn short(v: f64) -> String {
    format!("{}", format!("{v:.3e}").parse::<f64>().unwrap_or(v))
}
