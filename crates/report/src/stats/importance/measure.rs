//! How many trials the estimator needs: a search-like space (log learning rate, a uniform
//! forget bias, an ordinal hidden size, a categorical clip that does nothing) and a metric with
//! known shares, fitted at 24 to 400 trials on five independent draws each. It runs with the
//! other tests (about a second) and prints the table of docs/importance.md with `--nocapture`:
//! `cargo test --release -p rnnlab-report --lib importance::measure -- --nocapture`.

use std::time::Instant;

use super::*;

/// log10 lr uniform on [-4, -1]: w = log10 lr + 2.5 is U(-1.5, 1.5), Var w² = 1.5⁴ · 4/45;
/// 0.3 · fb with fb U(0, 3): 0.09 · 9/12; 0.1 · (index of hidden in 32, 64, 128): 0.01 · 2/3;
/// clip: nothing. Seed noise (sd 0.05) is added to each trial and left out of the shares.
const PARTS: [f64; 4] = [
    1.5 * 1.5 * 1.5 * 1.5 * 4.0 / 45.0,
    0.09 * 0.75,
    0.01 * 2.0 / 3.0,
    0.0,
];

fn space() -> Vec<ParamSpace> {
    vec![
        ParamSpace::new(
            "train.lr",
            Domain::Real {
                low: 1e-4,
                high: 1e-1,
                log: true,
            },
        ),
        ParamSpace::new(
            "model.forget_bias",
            Domain::Real {
                low: 0.0,
                high: 3.0,
                log: false,
            },
        ),
        ParamSpace::new("model.hidden", Domain::Ordinal(vec![32.0, 64.0, 128.0])),
        ParamSpace::new(
            "train.clip.kind",
            Domain::Categorical(vec!["none".into(), "norm".into(), "value".into()]),
        ),
    ]
}

fn draw(n: usize, seed: u64) -> Vec<(Vec<Value>, f64)> {
    let mut rng = SplitMix64::new(seed);
    let mut unit = move || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    let clips = ["none", "norm", "value"];
    (0..n)
        .map(|_| {
            let u = -4.0 + 3.0 * unit();
            let fb = 3.0 * unit();
            let h = (3.0 * unit()) as usize;
            let c = (3.0 * unit()) as usize;
            let noise = 0.05 * 12f64.sqrt() * (unit() - 0.5);
            let y = (u + 2.5).powi(2) + 0.3 * fb + 0.1 * h as f64 + noise;
            let hidden = [32.0, 64.0, 128.0][h];
            let values = vec![
                Value::Real(10f64.powf(u)),
                Value::Real(fb),
                Value::Real(hidden),
                Value::Label(clips[c].into()),
            ];
            (values, y)
        })
        .collect()
}

#[test]
fn trials_needed() {
    let total: f64 = PARTS.iter().sum();
    let truth: Vec<f64> = PARTS.iter().map(|p| p / total).collect();
    println!("truth: {truth:.3?}");
    println!("| min_leaf, ratio | trials | lr | forget_bias | hidden | clip | pairs | max error | ms per fit |");
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut errors = Vec::new();
    let mut lr_errors = Vec::new();
    let defaults = Options::new(1, Direction::LowerIsBetter);
    let variants = [
        (defaults.min_leaf, defaults.feature_ratio),
        (1, 1.0),
        (3, 1.0),
        (5, 0.7),
    ];
    for (n, (min_leaf, ratio)) in [24, 50, 100, 200, 400]
        .into_iter()
        .map(|n| (n, variants[0]))
        .chain(
            [200, 400]
                .into_iter()
                .flat_map(|n| variants[1..].iter().map(move |v| (n, *v))),
        )
    {
        let options = Options {
            min_leaf,
            feature_ratio: ratio,
            ..defaults
        };
        let mut mean = [0.0; 4];
        let mut pairs = 0.0;
        let mut worst: f64 = 0.0;
        let start = Instant::now();
        for seed in 0..5 {
            let d = importance(&space(), &draw(n, seed), &options).unwrap();
            for (i, m) in d.main.iter().enumerate() {
                mean[i] += m.fraction / 5.0;
                worst = worst.max((m.fraction - truth[i]).abs());
            }
            pairs += d.interactions.iter().map(|i| i.fraction).sum::<f64>() / 5.0;
        }
        let ms = start.elapsed().as_secs_f64() * 1000.0 / 5.0;
        println!(
            "| {min_leaf}, {ratio} | {n} | {:.3} | {:.3} | {:.3} | {:.3} | {pairs:.3} | {worst:.3} | {ms:.1} |",
            mean[0], mean[1], mean[2], mean[3]
        );
        errors.push(worst);
        lr_errors.push((mean[0] - truth[0]).abs());
    }
    // docs/importance.md: from 50 trials on, the dominant parameter's mean share is within
    // 0.07 of its true one (rows 1 to 4 are 50 to 400 trials at the defaults).
    for (k, e) in lr_errors[1..5].iter().enumerate() {
        assert!(
            *e < 0.07,
            "row {}: the learning rate's share is off by {e}",
            k + 1
        );
    }
    assert!(
        errors[4] < errors[0],
        "more trials, smaller error: {errors:?}"
    );
}
