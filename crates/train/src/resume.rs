//! A [`Trainer`]'s checkpoints: taking one, and continuing from one (checkpoint.rs owns the
//! files). Everything the remaining steps read is restored: weights, optimizer state, the
//! dropout generator, the step, the metric and gradient-flow rows, the best values, the
//! training window, the early-stopping and divergence state, and a stream task's carried
//! hidden state. Batches need no state: a task's training batch is a function of the run's
//! seed and the step.
use std::collections::BTreeMap;

use rnnlab_models::cell::State;
use tch::Tensor;

use crate::checkpoint::{self, Exact, FlowRow, Row, Unusable, WindowState};
use crate::run::{Trainer, Window};
use crate::TrainError;

impl Trainer<'_> {
    /// Writes a checkpoint of the run as it is now.
    pub(crate) fn checkpoint(&mut self) -> Result<(), TrainError> {
        let setting = checkpoint::setting(self.ctx.device);
        let mut state = checkpoint::state(&self.run.id, self.done, setting);
        let (optimizer_steps, slots) = self.opt.state();
        state.optimizer_steps = optimizer_steps;
        state.dropout_rng = self.model.dropout_state();
        state.elapsed_s = Exact(self.elapsed());
        state.rows = self.rows.iter().map(Row::of).collect();
        state.gradflow = self.gradflow.iter().map(FlowRow::of).collect();
        state.best = self
            .best
            .iter()
            .map(|(k, v)| (k.clone(), Exact(*v)))
            .collect();
        let w = &self.window;
        state.window = WindowState {
            loss: Exact(w.loss),
            norm: Exact(w.norm),
            clipped: w.clipped,
            steps: w.steps,
        };
        state.steps_to_solve = self.steps_to_solve;
        state.above = self.above.iter().map(|(s, l)| (*s, Exact(*l))).collect();
        state.resumed_from = self.resumed_from.clone();
        let mut tensors: Vec<(String, Tensor)> = self
            .vs
            .variables()
            .into_iter()
            .map(|(name, t)| (format!("model.{name}"), t))
            .collect();
        tensors.extend(
            slots
                .into_iter()
                .map(|(i, slot, t)| (format!("optim.{i}.{slot}"), t.shallow_clone())),
        );
        for (l, state) in self.carry.iter().flatten().enumerate() {
            tensors.push((format!("carry.{l}.h"), state.h.shallow_clone()));
            if let Some(c) = &state.c {
                tensors.push((format!("carry.{l}.c"), c.shallow_clone()));
            }
        }
        tensors.sort_by(|a, b| a.0.cmp(&b.0));
        checkpoint::write(&self.ctx.store.run(&self.run.id), state, &tensors)?;
        self.checkpointed = self.done;
        Ok(())
    }

    /// Continues from the run's checkpoint, if it has a usable one; otherwise the run starts
    /// at step 0, and the observer hears why when a checkpoint was there. A checkpoint that
    /// cannot be read fails the run instead, so that a good one is not overwritten.
    pub(crate) fn resume(&mut self) -> Result<(), TrainError> {
        let files = self.ctx.store.run(&self.run.id);
        let setting = checkpoint::setting(self.ctx.device);
        let found = checkpoint::read(&files, &self.run.id, &setting).and_then(|c| match c {
            Some((state, tensors)) => self.restore(&state, tensors).map(|()| Some(state)),
            None => Ok(None),
        });
        match found {
            Ok(Some(state)) => self.ctx.observer.resumed(self.run, state.step),
            Ok(None) => {}
            Err(Unusable::Io(why)) => {
                return Err(TrainError::Checkpoint {
                    id: self.run.id.clone(),
                    path: files.checkpoint(),
                    reason: format!("cannot be read ({why}); fix the file or remove it"),
                })
            }
            Err(why) => self.ctx.observer.checkpoint_unused(
                self.run,
                &format!("{}: {why}", files.checkpoint().display()),
            ),
        }
        Ok(())
    }

    /// Puts a checkpoint's state into the trainer. Everything is checked before anything is
    /// changed, so a checkpoint that does not fit leaves a fresh trainer.
    fn restore(
        &mut self,
        state: &checkpoint::State,
        mut tensors: BTreeMap<String, Tensor>,
    ) -> Result<(), Unusable> {
        let invalid = |what: String| Unusable::Invalid(what);
        let mut weights = Vec::new();
        for (name, var) in self.vs.variables() {
            let t = tensors
                .remove(&format!("model.{name}"))
                .ok_or_else(|| invalid(format!("no weights for `{name}`")))?;
            if t.size() != var.size() || t.kind() != var.kind() {
                return Err(invalid(format!("`{name}` has another shape or type")));
            }
            weights.push((var, t));
        }
        let rows = state
            .rows
            .iter()
            .map(|r| {
                r.to_row()
                    .ok_or_else(|| invalid(format!("split `{}`", r.split)))
            })
            .collect::<Result<Vec<_>, _>>()?;
        // A stream task's carried state: layer by layer until the first missing one (an empty
        // carry, as at the start of an epoch, has none).
        let mut carry = Vec::new();
        while let Some(h) = tensors.remove(&format!("carry.{}.h", carry.len())) {
            let c = tensors.remove(&format!("carry.{}.c", carry.len()));
            let device = self.ctx.device;
            carry.push(State {
                h: h.to_device(device),
                c: c.map(|c| c.to_device(device)),
            });
        }
        if !carry.is_empty() && self.carry.is_none() {
            return Err(invalid(
                "a carried state for a task that carries none".into(),
            ));
        }
        let layers = self.run.config.model.layers;
        if !carry.is_empty() && carry.len() != layers {
            let n = carry.len();
            return Err(invalid(format!(
                "a carried state of {n} layers, not {layers}"
            )));
        }
        if state.step > self.run.config.train.steps {
            return Err(invalid(format!(
                "step {} is past the run's end",
                state.step
            )));
        }
        self.opt
            .restore(state.optimizer_steps, |i, slot| {
                tensors.remove(&format!("optim.{i}.{slot}"))
            })
            .map_err(invalid)?;
        tch::no_grad(|| {
            for (mut var, t) in weights {
                var.copy_(&t);
            }
        });
        self.model.restore_dropout_state(state.dropout_rng);
        if let Some(slot) = &mut self.carry {
            *slot = carry;
        }
        self.done = state.step;
        self.checkpointed = state.step;
        self.elapsed_before = state.elapsed_s.0;
        self.rows = rows;
        self.gradflow = state.gradflow.iter().map(FlowRow::to_row).collect();
        self.best = state.best.iter().map(|(k, v)| (k.clone(), v.0)).collect();
        let w = &state.window;
        self.window = Window {
            loss: w.loss.0,
            norm: w.norm.0,
            clipped: w.clipped,
            steps: w.steps,
        };
        self.steps_to_solve = state.steps_to_solve;
        self.above = state.above.iter().map(|(s, l)| (*s, l.0)).collect();
        self.resumed_from = state.resumed_from.clone();
        self.resumed_from.push(state.step);
        Ok(())
    }
}
