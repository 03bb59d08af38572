//! Optimizers and learning-rate schedules.
//!
//! The optimizers are written here, over tensors this module owns, rather than taken from
//! libtorch through tch: tch's optimizer keeps its state (Adam's moments and step count,
//! momentum buffers) inside C++ where it cannot be saved, and a checkpoint must restore it
//! exactly for a resumed run to give the same bytes as an uninterrupted one. The update rules
//! are libtorch's (`torch::optim`) with its defaults, checked against tch's optimizers in the
//! tests; the arithmetic is ordered for clarity, so the last bits differ from libtorch's fused
//! kernels. Two simplifications, exact for rnnlab's models, whose every parameter gets a
//! gradient at every step: one update count serves all parameters (libtorch counts per
//! parameter, for Adam's bias correction and SGD's first momentum step), and gradients are
//! zeroed in place rather than dropped.
use rnnlab_spec::{Optimizer as Kind, Schedule, TrainConfig};
use tch::Tensor;

/// Adam's decay rates and stabiliser: Kingma & Ba 2015, Algorithm 1 (libtorch's defaults).
const ADAM_BETAS: (f64, f64) = (0.9, 0.999);
const ADAM_EPS: f64 = 1e-8;
/// RMSprop's smoothing constant and stabiliser (libtorch's defaults; Tieleman & Hinton 2012
/// proposed 0.9).
const RMSPROP_ALPHA: f64 = 0.99;
const RMSPROP_EPS: f64 = 1e-8;

/// An optimizer over a fixed list of parameters, with its state in tensors that [`state`] and
/// [`restore`] hand over whole.
///
/// [`state`]: Optimizer::state
/// [`restore`]: Optimizer::restore
#[derive(Debug)]
pub struct Optimizer {
    kind: Kind,
    momentum: f64,
    lr: f64,
    params: Vec<Tensor>,
    /// Per parameter, the slots of [`Optimizer::slots`] (empty until the first update).
    state: Vec<Vec<Tensor>>,
    /// Updates applied.
    steps: i64,
}

impl Optimizer {
    /// The configured optimizer over `params` (a VarStore's trainable variables).
    pub fn new(params: &[Tensor], config: &TrainConfig) -> Self {
        let params: Vec<Tensor> = params.iter().map(Tensor::shallow_clone).collect();
        Self {
            kind: config.optimizer,
            momentum: config.momentum,
            lr: config.lr,
            state: params.iter().map(|_| Vec::new()).collect(),
            params,
            steps: 0,
        }
    }

    /// The names of the state a parameter carries: Adam's two moments, the momentum buffer of
    /// SGD with momentum, RMSprop's mean square.
    pub fn slots(&self) -> &'static [&'static str] {
        match self.kind {
            Kind::Adam => &["exp_avg", "exp_avg_sq"],
            Kind::Sgd if self.momentum != 0.0 => &["momentum"],
            Kind::Sgd => &[],
            Kind::Rmsprop => &["square_avg"],
        }
    }

    pub fn set_lr(&mut self, lr: f64) {
        self.lr = lr;
    }

    /// Forgets the gradients of the last step.
    pub fn zero_grad(&mut self) {
        for p in &mut self.params {
            p.zero_grad();
        }
    }

    /// Applies one update from the parameters' gradients. Parameters without a gradient are
    /// left alone, as libtorch does.
    pub fn step(&mut self) {
        let _guard = tch::no_grad_guard();
        self.steps += 1;
        let slots = self.slots().len();
        for (p, state) in self.params.iter_mut().zip(&mut self.state) {
            let g = p.grad();
            if !g.defined() {
                continue;
            }
            if state.is_empty() && slots > 0 {
                *state = (0..slots).map(|_| g.zeros_like()).collect();
            }
            let update = match self.kind {
                Kind::Sgd if self.momentum == 0.0 => g * self.lr,
                Kind::Sgd => {
                    // libtorch (dampening 0): the buffer starts as the first gradient, then
                    // b = momentum b + g.
                    let b = &mut state[0];
                    if self.steps == 1 {
                        b.copy_(&g);
                    } else {
                        let _ = b.g_mul_scalar_(self.momentum).g_add_(&g);
                    }
                    &*b * self.lr
                }
                Kind::Adam => {
                    let (b1, b2) = ADAM_BETAS;
                    let _ = state[0].g_mul_scalar_(b1).g_add_(&(&g * (1.0 - b1)));
                    let _ = state[1].g_mul_scalar_(b2).g_add_(&(&g * &g * (1.0 - b2)));
                    let t = self.steps as i32;
                    let (c1, c2) = (1.0 - b1.powi(t), 1.0 - b2.powi(t));
                    let denom = (state[1].sqrt() / c2.sqrt()) + ADAM_EPS;
                    &state[0] / denom * (self.lr / c1)
                }
                Kind::Rmsprop => {
                    let a = RMSPROP_ALPHA;
                    let _ = state[0].g_mul_scalar_(a).g_add_(&(&g * &g * (1.0 - a)));
                    g / (state[0].sqrt() + RMSPROP_EPS) * self.lr
                }
            };
            let _ = p.g_sub_(&update);
        }
    }

    /// Everything a resumed run needs: the update count and, per parameter `i`, its slots as
    /// `(i, slot name, tensor)`.
    pub fn state(&self) -> (i64, Vec<(usize, &'static str, &Tensor)>) {
        let names = self.slots();
        let tensors = self
            .state
            .iter()
            .enumerate()
            .flat_map(|(i, s)| s.iter().zip(names).map(move |(t, n)| (i, *n, t)))
            .collect();
        (self.steps, tensors)
    }

    /// Restores what [`Optimizer::state`] gave: `get(i, slot)` returns parameter `i`'s slot,
    /// or `None` when it had no state yet. Fails, changing nothing, when a slot is missing or
    /// its shape does not fit.
    pub fn restore(
        &mut self,
        steps: i64,
        mut get: impl FnMut(usize, &str) -> Option<Tensor>,
    ) -> Result<(), String> {
        let names = self.slots();
        let mut restored = Vec::with_capacity(self.params.len());
        for (i, p) in self.params.iter().enumerate() {
            let slots: Vec<Tensor> = names.iter().filter_map(|n| get(i, n)).collect();
            if !slots.is_empty() && slots.len() != names.len() {
                let (n, of) = (slots.len(), names.len());
                return Err(format!("parameter {i} has {n} of its {of} optimizer slots"));
            }
            if let Some(t) = slots.iter().find(|t| t.size() != p.size()) {
                return Err(format!(
                    "parameter {i} has shape {:?}, its optimizer state {:?}",
                    p.size(),
                    t.size()
                ));
            }
            restored.push(slots.into_iter().map(|t| t.to_device(p.device())).collect());
        }
        self.state = restored;
        self.steps = steps;
        Ok(())
    }
}

/// The learning rate at `step` of `steps`.
pub fn rate(config: &TrainConfig, step: usize) -> f64 {
    match config.schedule {
        Schedule::Constant => config.lr,
        Schedule::Cosine => {
            let progress = step as f64 / config.steps.max(1) as f64;
            0.5 * config.lr * (1.0 + (std::f64::consts::PI * progress).cos())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tch::Kind as T;

    fn config(optimizer: Kind, lr: f64, momentum: f64) -> TrainConfig {
        TrainConfig {
            optimizer,
            lr,
            momentum,
            ..TrainConfig::default()
        }
    }

    /// Minimises f(x) = Σ x²/2 (gradient x) from x = (1, -2) for `n` steps.
    fn descend(opt: &mut Optimizer, x: &Tensor, n: usize) {
        for _ in 0..n {
            opt.zero_grad();
            (x * x / 2.0).sum(T::Float).backward();
            opt.step();
        }
    }

    fn start() -> Tensor {
        Tensor::from_slice(&[1.0f32, -2.0]).set_requires_grad(true)
    }

    fn values(x: &Tensor) -> Vec<f64> {
        Vec::<f64>::try_from(x.to_kind(T::Double)).unwrap()
    }

    #[test]
    fn sgd_steps_against_the_gradient() {
        let x = start();
        let mut opt = Optimizer::new(&[x.shallow_clone()], &config(Kind::Sgd, 0.1, 0.0));
        descend(&mut opt, &x, 1);
        // x - 0.1 x = 0.9 x.
        let v = values(&x);
        assert!(
            (v[0] - 0.9).abs() < 1e-6 && (v[1] + 1.8).abs() < 1e-6,
            "{v:?}"
        );
    }

    #[test]
    fn momentum_accumulates_like_libtorch() {
        let x = start();
        let mut opt = Optimizer::new(&[x.shallow_clone()], &config(Kind::Sgd, 0.1, 0.5));
        descend(&mut opt, &x, 2);
        // Step 1: b = g = 1, x = 0.9. Step 2: b = 0.5 * 1 + 0.9 = 1.4, x = 0.9 - 0.14 = 0.76.
        assert!((values(&x)[0] - 0.76).abs() < 1e-6, "{:?}", values(&x));
    }

    #[test]
    fn adam_first_step_moves_each_coordinate_by_the_learning_rate() {
        // With bias correction, Adam's first update is lr * g / (|g| + eps): lr in each
        // coordinate whatever the gradient's scale (Kingma & Ba 2015, section 2.1).
        let x = start();
        let mut opt = Optimizer::new(&[x.shallow_clone()], &config(Kind::Adam, 0.01, 0.0));
        descend(&mut opt, &x, 1);
        let v = values(&x);
        assert!(
            (v[0] - 0.99).abs() < 1e-6 && (v[1] + 1.99).abs() < 1e-6,
            "{v:?}"
        );
    }

    #[test]
    fn rmsprop_first_step_divides_by_the_root_mean_square() {
        // v = 0.01 g², so the update is lr g / (0.1 |g|) = 10 lr sign(g).
        let x = start();
        let mut opt = Optimizer::new(&[x.shallow_clone()], &config(Kind::Rmsprop, 0.001, 0.0));
        descend(&mut opt, &x, 1);
        let v = values(&x);
        assert!(
            (v[0] - 0.99).abs() < 1e-5 && (v[1] + 1.99).abs() < 1e-5,
            "{v:?}"
        );
    }

    #[test]
    fn every_optimizer_descends() {
        for (kind, lr) in [(Kind::Sgd, 0.1), (Kind::Adam, 0.1), (Kind::Rmsprop, 0.01)] {
            let x = start();
            let mut opt = Optimizer::new(&[x.shallow_clone()], &config(kind, lr, 0.0));
            descend(&mut opt, &x, 100);
            let norm: f64 = values(&x).iter().map(|v| v * v).sum::<f64>().sqrt();
            assert!(norm < 0.5, "{kind:?} ended at norm {norm}");
        }
    }

    /// The update rules and defaults are libtorch's: 25 steps on a non-quadratic loss track
    /// tch's own optimizers (libtorch's C++ `torch::optim`) to float32 rounding. A wrong beta,
    /// eps, alpha, bias correction or momentum rule moves the trajectory far beyond it.
    #[test]
    fn updates_track_libtorchs_optimizers() {
        use tch::nn::OptimizerConfig;
        let start = [0.3f32, -1.2, 2.0, 0.05, -0.7];
        let loss = |p: &Tensor| (p * p * p * p).sum(T::Float) * 0.1 + p.sin().sum(T::Float);
        let cases: [(Kind, f64, f64); 4] = [
            (Kind::Adam, 0.05, 0.0),
            (Kind::Sgd, 0.05, 0.0),
            (Kind::Sgd, 0.05, 0.9),
            (Kind::Rmsprop, 0.01, 0.0),
        ];
        for (kind, lr, momentum) in cases {
            let vs = tch::nn::VarStore::new(tch::Device::Cpu);
            let theirs_p = vs.root().var_copy("p", &Tensor::from_slice(&start));
            let mut theirs = match kind {
                Kind::Adam => tch::nn::Adam::default().build(&vs, lr),
                Kind::Sgd => tch::nn::Sgd {
                    momentum,
                    ..Default::default()
                }
                .build(&vs, lr),
                Kind::Rmsprop => tch::nn::RmsProp::default().build(&vs, lr),
            }
            .unwrap();
            let ours_p = Tensor::from_slice(&start).set_requires_grad(true);
            let mut ours = Optimizer::new(&[ours_p.shallow_clone()], &config(kind, lr, momentum));
            for _ in 0..25 {
                theirs.zero_grad();
                loss(&theirs_p).backward();
                theirs.step();
                ours.zero_grad();
                loss(&ours_p).backward();
                ours.step();
            }
            let (a, b) = (values(&theirs_p), values(&ours_p));
            for (x, y) in a.iter().zip(&b) {
                assert!(
                    (x - y).abs() <= 1e-5 * x.abs().max(1.0),
                    "{kind:?} momentum {momentum}: libtorch {a:?}, ours {b:?}"
                );
            }
            assert!(
                a != start.iter().map(|v| *v as f64).collect::<Vec<_>>(),
                "it moved"
            );
        }
    }

    #[test]
    fn restored_state_continues_the_same_trajectory() {
        for (kind, momentum) in [(Kind::Adam, 0.0), (Kind::Sgd, 0.9), (Kind::Rmsprop, 0.0)] {
            let cfg = config(kind, 0.05, momentum);
            let x = start();
            let mut straight = Optimizer::new(&[x.shallow_clone()], &cfg);
            descend(&mut straight, &x, 10);

            let y = start();
            let mut first = Optimizer::new(&[y.shallow_clone()], &cfg);
            descend(&mut first, &y, 4);
            let (steps, saved) = first.state();
            let saved: Vec<(usize, String, Tensor)> = saved
                .into_iter()
                .map(|(i, n, t)| (i, n.to_string(), t.copy()))
                .collect();
            let z = Tensor::from_slice(&values(&y).iter().map(|v| *v as f32).collect::<Vec<_>>())
                .set_requires_grad(true);
            let mut second = Optimizer::new(&[z.shallow_clone()], &cfg);
            second
                .restore(steps, |i, n| {
                    saved
                        .iter()
                        .find(|s| s.0 == i && s.1 == n)
                        .map(|s| s.2.copy())
                })
                .unwrap();
            descend(&mut second, &z, 6);
            assert_eq!(
                values(&x),
                values(&z),
                "{kind:?}: resumed trajectory differs"
            );
        }
    }
}
