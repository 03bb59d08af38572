//! The analytic baselines against the heuristics applied to generated sentences.
use super::*;

/// The last-noun heuristic and the majority class, applied to generated sentences as a
/// model would be scored, must land on the analytic baselines of each split.
#[test]
fn baselines_match_monte_carlo_estimates() {
    let settings = [
        config(|c| {
            c.max_attractors = 1;
            c.test_max_attractors = Some(4);
        }),
        config(|c| {
            lm(c);
            c.max_distance = Some(7);
            c.test_min_distance = Some(6);
            c.test_max_distance = Some(20);
            c.max_fillers = 4;
        }),
        config(|c| {
            c.interveners_agree = Some(false);
            c.max_modifiers = 4;
            c.constructions = vec!["pp".into(), "object_rc".into()];
        }),
        // Frames whose distance windows differ (a coordination adds two tokens).
        config(|c| {
            lm(c);
            c.frames = Some(vec!["coordination".into(), "fronted_pp".into()]);
            c.max_distance = Some(5);
        }),
    ];
    for c in settings {
        let t = task(&c, 11);
        for split in [Split::Train, Split::Test] {
            let batch = t.batch(split, 0, 20_000);
            let readings: Vec<Reading> = (0..batch.size).map(|b| reading(&t, &batch, b)).collect();
            let (majority, last_noun) = match t.choices(&batch) {
                None => {
                    let last: Vec<i64> = readings
                        .iter()
                        .map(|r| r.last_noun.index() as i64)
                        .collect();
                    (
                        metrics::accuracy(&batch, &vec![0; batch.size]).unwrap(),
                        metrics::accuracy(&batch, &last).unwrap(),
                    )
                }
                Some(choices) => {
                    // Score the verb form agreeing with the last noun (or always the
                    // singular form) higher.
                    let form = |id: i64, n: Number| {
                        let w = t.word(id);
                        VERBS.iter().any(|v| [v.0, v.1][n.index()] == w) as u8 as f64
                    };
                    (
                        metrics::choice_accuracy(&choices, |_, _, id| form(id, Number::Singular)),
                        metrics::choice_accuracy(&choices, |b, _, id| {
                            form(id, readings[b].last_noun)
                        }),
                    )
                }
            };
            let base = t.split_baselines(split);
            assert_eq!(base[0].name, "majority class");
            assert!(
                (majority - base[0].value).abs() < 0.015,
                "{majority} {base:?}"
            );
            assert!(
                (last_noun - base[1].value).abs() < 0.015,
                "{split:?} {last_noun} {base:?}"
            );
        }
    }
    // Without attractors the last noun always has the subject's number.
    let plain = task(&config(|c| c.max_attractors = 0), 1);
    assert_eq!(plain.baselines()[1].value, 1.0);
}
