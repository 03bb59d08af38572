//! The sampler's exactness: the generator against its published outputs, and each
//! distribution against its definition on many draws.
use serde_yaml::Value;

use super::*;

#[test]
fn splitmix64_matches_the_published_outputs() {
    // splitmix64.c (Vigna), state 0: the first four outputs.
    let mut rng = SplitMix64::new(0);
    let got: Vec<u64> = (0..4).map(|_| rng.next_u64()).collect();
    assert_eq!(
        got,
        [
            0xE220_A839_7B1D_CDAF,
            0x6E78_9E6A_A1B9_65F4,
            0x06C4_5D18_8009_454F,
            0xF88B_B8A8_724C_81EC
        ]
    );
}

fn draws(space: &Space, n: usize) -> Vec<Value> {
    let mut rng = SplitMix64::new(42);
    (0..n).map(|_| space.sample(&mut rng)).collect()
}

/// The number of standard deviations `count` is from its binomial mean.
fn z(count: usize, n: usize, p: f64) -> f64 {
    let n = n as f64;
    (count as f64 - n * p) / (n * p * (1.0 - p)).sqrt()
}

#[test]
fn loguniform_is_uniform_in_the_log_and_within_bounds() {
    let (low, high) = (1.0e-4, 1.0e-1);
    let n = 40_000;
    let xs: Vec<f64> = draws(&Space::LogUniform { low, high }, n)
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert!(xs.iter().all(|&x| (low..=high).contains(&x)));
    // Its quantile q is exp(ln low + q (ln high − ln low)): 1e-4 · 1000^q.
    for q in [0.1, 0.25, 0.5, 0.75, 0.9] {
        let quantile = low * (high / low).powf(q);
        let below = xs.iter().filter(|&&x| x < quantile).count();
        assert!(
            z(below, n, q).abs() < 4.0,
            "q {q}: {below} of {n} below {quantile}"
        );
    }
    // A plain uniform draw would put 90 % of the values above 0.01; the log scale 1/3.
    let above = xs.iter().filter(|&&x| x > 0.01).count();
    assert!(z(above, n, 1.0 / 3.0).abs() < 4.0, "{above}");
    // Rounded to 4 significant digits.
    assert!(xs
        .iter()
        .all(|x| format!("{x:e}").trim_start_matches('-').len() <= 10));
}

#[test]
fn uniform_is_uniform_and_within_bounds() {
    let n = 40_000;
    let xs: Vec<f64> = draws(
        &Space::Uniform {
            low: 0.0,
            high: 3.0,
        },
        n,
    )
    .iter()
    .map(|v| v.as_f64().unwrap())
    .collect();
    assert!(xs.iter().all(|&x| (0.0..=3.0).contains(&x)));
    for q in [0.1, 0.5, 0.9] {
        let below = xs.iter().filter(|&&x| x < 3.0 * q).count();
        assert!(z(below, n, q).abs() < 4.0, "q {q}: {below}");
    }
}

/// Counts of each outcome against 1/k each: every outcome appears and none is off by more
/// than 4.5 standard deviations (for these sizes a false alarm is below 1 in 10⁴).
fn assert_uniform(counts: &[usize], n: usize) {
    let p = 1.0 / counts.len() as f64;
    for (i, &c) in counts.iter().enumerate() {
        assert!(c > 0, "outcome {i} never drawn: {counts:?}");
        assert!(z(c, n, p).abs() < 4.5, "outcome {i}: {counts:?}");
    }
}

#[test]
fn int_covers_every_integer_both_ends_included_evenly() {
    let n = 30_000;
    let values = draws(&Space::Int { low: -2, high: 3 }, n);
    let mut counts = [0usize; 6];
    for v in &values {
        let i = v.as_i64().unwrap();
        assert!((-2..=3).contains(&i), "{i}");
        counts[(i + 2) as usize] += 1;
    }
    assert_uniform(&counts, n);
}

#[test]
fn below_has_no_modulo_bias() {
    // n = 3·2⁶² puts 2⁶⁴ mod n = 2⁶² draws in the incomplete block: a plain `r % n` would
    // give the lowest third of 0..n twice the chance of the rest.
    let n = 3u64 << 62;
    let mut rng = SplitMix64::new(7);
    let draws = 30_000;
    let low = (0..draws).filter(|_| rng.below(n) < n / 3).count();
    assert!(
        z(low, draws, 1.0 / 3.0).abs() < 4.5,
        "{low} of {draws} in the lowest third"
    );
    assert_eq!(SplitMix64::new(1).below(1), 0);
}

#[test]
fn choice_picks_each_value_evenly() {
    let choices: Vec<Value> = ["a", "b", "c", "d", "e"]
        .into_iter()
        .map(Value::from)
        .collect();
    let n = 25_000;
    let values = draws(&Space::Choice(choices.clone()), n);
    let counts: Vec<usize> = choices
        .iter()
        .map(|c| values.iter().filter(|v| *v == c).count())
        .collect();
    assert_uniform(&counts, n);
}

#[test]
fn points_are_drawn_trial_by_trial_in_space_order() {
    let space = vec![
        Dimension {
            path: "train.lr".into(),
            space: Space::Uniform {
                low: 0.0,
                high: 1.0,
            },
        },
        Dimension {
            path: "model.layers".into(),
            space: Space::Int { low: 1, high: 4 },
        },
    ];
    let pts = points(9, 3, &space);
    let mut rng = SplitMix64::new(9);
    for point in &pts {
        assert_eq!(point[0], space[0].space.sample(&mut rng));
        assert_eq!(point[1], space[1].space.sample(&mut rng));
    }
}
