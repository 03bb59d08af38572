use super::*;

fn runs(variant: &str, metric: &str, seeds: &[u32], values: &[f64]) -> SummaryRow {
    let runs = seeds
        .iter()
        .zip(values)
        .map(|(s, &value)| RunValue {
            seed: s.to_string(),
            value,
        })
        .collect();
    SummaryRow::of_runs(variant, metric, runs)
}

fn moments(variant: &str, metric: &str, n: usize, mean: f64, sd: f64) -> SummaryRow {
    SummaryRow {
        variant: variant.into(),
        metric: metric.into(),
        stats: Describe::from_moments(n, mean, sd),
        runs: None,
    }
}

fn snap(rows: Vec<SummaryRow>) -> Snapshot {
    Snapshot {
        rows,
        ..Snapshot::default()
    }
}

fn one(cur: SummaryRow, base: SummaryRow) -> CompareRow {
    let c = compare_summaries(&snap(vec![cur]), &snap(vec![base]), &Default::default());
    c.rows[0].clone()
}

const S3: [u32; 3] = [1, 2, 3];
const S5: [u32; 5] = [1, 2, 3, 4, 5];
const S8: [u32; 8] = [1, 2, 3, 4, 5, 6, 7, 8];

/// The case: an MSE 8x worse (0.00135 -> [0.005, 0.012, 0.015]) that Welch on
/// moments called "no change" (p = 0.083). With shared seeds (too few to pair: 2/8 = 0.25),
/// other seeds or moments, 3 runs cannot give p < 0.05 two-sided: the row is underpowered,
/// and being 8x worse it fails loudly.
#[test]
fn an_8x_regression_at_3_seeds_fails_as_a_large_change() {
    let base = [0.00125, 0.00135, 0.00145];
    let cur = [0.005, 0.012, 0.015];
    let cases = [
        (
            runs("a", "final.mse", &S3, &base),
            Test::TwoSample {
                n1: 3,
                n2: 3,
                seeds_shared: true,
            },
            0.1,
        ),
        (
            runs("a", "final.mse", &[7, 8, 9], &base),
            Test::TwoSample {
                n1: 3,
                n2: 3,
                seeds_shared: false,
            },
            0.1,
        ),
        (
            moments("a", "final.mse", 3, 0.00135, 0.0001),
            Test::Welch,
            0.0,
        ),
    ];
    for (b, test, floor) in cases {
        let r = one(runs("a", "final.mse", &S3, &cur), b);
        assert_eq!(r.test, test);
        assert_eq!(r.min_p, floor, "{test:?}");
        assert!(r.p >= 0.05, "{test:?}: {}", r.p);
        assert!(r.underpowered, "{test:?}");
        assert_eq!(r.verdict, Verdict::LargeChange, "{test:?}");
        assert!((r.worse_factor - 0.032 / 3.0 / 0.00135).abs() < 1e-9);
    }
    let cmp = compare_summaries(
        &snap(vec![runs("a", "final.mse", &S3, &cur)]),
        &snap(vec![runs("a", "final.mse", &S3, &base)]),
        &Default::default(),
    );
    assert_eq!(cmp.regressions(), 1);
    let text = cmp.to_string();
    assert!(text.contains("!! a final.mse: 7.9x worse"), "{text}");
    // Without the large-change rule it is underpowered, still never "no change".
    let lenient = CompareOptions {
        large: 0.0,
        ..Default::default()
    };
    let cmp = compare_summaries(&cmp_side(&cur), &cmp_side(&base), &lenient);
    assert_eq!(
        (cmp.rows[0].verdict, cmp.regressions()),
        (Verdict::Underpowered, 0)
    );
}

fn cmp_side(values: &[f64]) -> Snapshot {
    snap(vec![runs("a", "final.mse", &S3, values)])
}

#[test]
fn the_same_runs_are_identical_not_a_test_result() {
    let v = [0.1, 0.2, 0.3, 0.4, 0.5];
    let r = one(
        runs("a", "final.mse", &S5, &v),
        runs("a", "final.mse", &S5, &v),
    );
    assert_eq!((r.verdict, r.change), (Verdict::Identical, 0.0));
    assert!(r.p.is_nan());
    // One bit off in one run is not identical.
    let mut w = v;
    w[2] = f64::from_bits(w[2].to_bits() + 1);
    let r = one(
        runs("a", "final.mse", &S5, &w),
        runs("a", "final.mse", &S5, &v),
    );
    assert_ne!(r.verdict, Verdict::Identical);
    // Same values under other seeds are two samples, not identical runs.
    let r = one(
        runs("a", "final.mse", &[6, 7, 8, 9, 10], &v),
        runs("a", "final.mse", &S5, &v),
    );
    assert_ne!(r.verdict, Verdict::Identical);
}

/// Same seeds: paired when the paired test can reach α (n >= 6), so that a consistent 10%
/// shift of runs that spread far more than 10% is found; the two-sample test cannot.
#[test]
fn pairs_by_seed_when_the_seeds_match_and_n_allows() {
    let base = [0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08];
    let cur: Vec<f64> = base.iter().map(|v| v * 1.1).collect();
    let r = one(
        runs("a", "final.mse", &S8, &cur),
        runs("a", "final.mse", &S8, &base),
    );
    assert_eq!(r.test, Test::Paired { n: 8 });
    assert_eq!(r.p, 2.0 / 256.0);
    assert_eq!(r.verdict, Verdict::Regressed);
    let seeds: Vec<u32> = (11..19).collect();
    let r = one(
        runs("a", "final.mse", &seeds, &cur),
        runs("a", "final.mse", &S8, &base),
    );
    assert_eq!(
        r.test,
        Test::TwoSample {
            n1: 8,
            n2: 8,
            seeds_shared: false
        }
    );
    assert!(r.p > 0.5 && r.underpowered, "{r:?}");
    assert_eq!(r.verdict, Verdict::Underpowered);
    // 5 shared seeds: the paired floor is 2/32 = 0.0625 >= 0.05, so two samples (2/252).
    let r = one(
        runs("a", "final.mse", &S5, &cur[..5]),
        runs("a", "final.mse", &S5, &base[..5]),
    );
    assert_eq!(
        r.test,
        Test::TwoSample {
            n1: 5,
            n2: 5,
            seeds_shared: true
        }
    );
    assert_eq!(r.min_p, 2.0 / 252.0);
    // A moment-only side: Welch.
    let r = one(
        runs("a", "final.mse", &S5, &cur[..5]),
        moments("a", "final.mse", 5, 0.03, 0.01),
    );
    assert_eq!(r.test, Test::Welch);
}

/// Hand-computed: 5 against 5 with deviations -2..2 (sd √2.5 a side), so SE = √(2.5/5 +
/// 2.5/5) = 1 and Welch's df = 8; (t_{0.975,8} + t_{0.8,8}) · 1 = 2.306004 + 0.888889 =
/// 3.194893, i.e. 3.19% of a baseline mean of 100: more than the 2% tolerance.
#[test]
fn minimum_detectable_change_by_hand() {
    let base = [98.0, 99.0, 100.0, 101.0, 102.0];
    let cur = [102.0, 98.0, 101.0, 99.0, 100.5];
    let r = one(
        runs("a", "final.accuracy", &[6, 7, 8, 9, 10], &cur),
        runs("a", "final.accuracy", &S5, &base),
    );
    let sd_cur = Describe::of(&cur).sd;
    let (se, df) = gate::welch_se(&Describe::of(&cur), &Describe::of(&base)).unwrap();
    assert!((se - (sd_cur * sd_cur / 5.0 + 0.5).sqrt()).abs() < 1e-12);
    let r2 = gate::detectable(1.0, 8.0, 0.05);
    assert!((r2 - 3.194893).abs() < 2e-6, "{r2}");
    assert!((r.detectable - gate::detectable(se, df, 0.05) / 100.0).abs() < 1e-12);
    assert!(
        r.underpowered && r.verdict == Verdict::Underpowered,
        "{r:?}"
    );
    // Four times the seeds' precision: SE halves, and ±1.6% is within the tolerance.
    let tight: Vec<f64> = base.iter().map(|v| 100.0 + (v - 100.0) / 2.0).collect();
    let r = one(
        runs("a", "final.accuracy", &[6, 7, 8, 9, 10], &tight),
        runs("a", "final.accuracy", &S5, &tight),
    );
    assert!((r.detectable - gate::detectable(0.5, 8.0, 0.05) / 100.0).abs() < 1e-9);
    assert!(!r.underpowered && r.verdict == Verdict::NoChange, "{r:?}");
}

#[test]
fn needs_both_significance_and_size() {
    let s: Vec<u32> = (1..=6).collect();
    let up = |v: &[f64], by: f64| v.iter().map(|x| x + by).collect::<Vec<_>>();
    let acc = [0.90, 0.901, 0.899, 0.902, 0.898, 0.900];
    let cur = vec![
        // 10 points down in every seed: regression.
        runs("a", "final.accuracy", &s, &up(&acc, -0.1)),
        // 0.5 points down: significant but within the 2% band.
        runs("b", "final.accuracy", &s, &up(&acc, -0.005)),
        // mse up 50%: lower is better, so a regression.
        runs(
            "d",
            "final.mse",
            &s,
            &[0.015; 6]
                .iter()
                .zip(&acc)
                .map(|(m, a)| m * a)
                .collect::<Vec<_>>(),
        ),
        runs("f", "final.accuracy", &s, &acc),
    ];
    let base = vec![
        runs("a", "final.accuracy", &s, &acc),
        runs("b", "final.accuracy", &s, &acc),
        runs(
            "d",
            "final.mse",
            &s,
            &acc.iter().map(|a| 0.01 * a).collect::<Vec<_>>(),
        ),
        runs("e", "final.accuracy", &s, &acc),
    ];
    let cmp = compare_summaries(&snap(cur), &snap(base), &Default::default());
    let verdicts: Vec<(&str, Verdict)> = cmp
        .rows
        .iter()
        .map(|r| (r.variant.as_str(), r.verdict))
        .collect();
    assert_eq!(
        verdicts,
        [
            ("a", Verdict::Regressed),
            ("b", Verdict::WithinNoise),
            ("d", Verdict::Regressed),
            ("e", Verdict::Missing),
            ("f", Verdict::New),
        ]
    );
    assert_eq!(cmp.regressions(), 2);
}

#[test]
fn both_baseline_formats_read() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.csv");
    std::fs::write(
        &old,
        "variant,metric,n,mean,sd\n\"model.cell=lstm, x\",final.accuracy,3,1.23456789e-1,1e-2\n",
    )
    .unwrap();
    let back = load_summary(&old).unwrap();
    assert!(back.moments_only);
    assert_eq!(back.rows[0].variant, "model.cell=lstm, x");
    assert_eq!(
        (back.rows[0].stats.n, back.rows[0].stats.mean),
        (3, 0.123456789)
    );
    assert_eq!(back.rows[0].runs, None);
    let cmp = compare_summaries(&back, &back, &Default::default());
    assert_eq!(cmp.rows[0].test, Test::Welch);
    assert!(
        cmp.to_string().contains("note: a side has moments only"),
        "{cmp}"
    );

    let new = dir.path().join("new.csv");
    std::fs::write(
        &new,
        "variant,metric,seed,value,build\nv,final.mse,2,2e-1,rnnlab 0.1.0 commit abc libtorch 2.13.0\n\
         v,final.mse,10,1.0000000000000002e-1,rnnlab 0.1.0 commit abc libtorch 2.13.0\nw,final.mse,,,\n",
    )
    .unwrap();
    let back = load_summary(&new).unwrap();
    assert!(!back.moments_only);
    let seeds: Vec<&str> = back.rows[0]
        .runs
        .as_ref()
        .unwrap()
        .iter()
        .map(|r| r.seed.as_str())
        .collect();
    assert_eq!(seeds, ["2", "10"]);
    assert_eq!(back.rows[0].values().unwrap()[1], 0.10000000000000002);
    assert_eq!(back.rows[1].stats.n, 0, "a row without values survives");
    assert_eq!(back.builds.len(), 1);
    assert!(
        back.cpus.is_empty(),
        "a file without the cpu column records none"
    );
    std::fs::write(
        &new,
        "variant,metric,seed,value,build,cpu\nv,final.mse,1,2e-1,rnnlab 0.1.0 commit abc libtorch 2.13.0,AMD EPYC\n",
    )
    .unwrap();
    let back = load_summary(&new).unwrap();
    assert_eq!(back.cpus.iter().collect::<Vec<_>>(), ["AMD EPYC"]);
    std::fs::write(&new, "variant,metric,mean\n").unwrap();
    let err = load_summary(&new).unwrap_err().to_string();
    assert!(err.contains("variant,metric,seed,value,build"), "{err}");
}

#[test]
fn another_build_is_one_note() {
    let mut a = snap(vec![runs("a", "final.mse", &S3, &[1.0, 2.0, 3.0])]);
    let mut b = a.clone();
    a.builds
        .insert("rnnlab 0.1.0 commit abc libtorch 2.13.0".into());
    b.builds
        .insert("rnnlab 0.1.0 commit def libtorch 2.13.0".into());
    let cmp = compare_summaries(&a, &b, &Default::default());
    assert_eq!(cmp.notes.len(), 1, "{:?}", cmp.notes);
    assert!(cmp.notes[0].contains("another build"));
    assert_eq!(cmp.rows[0].verdict, Verdict::Identical);
    assert!(compare_summaries(&a, &a, &Default::default())
        .notes
        .is_empty());
}

/// Bit-identity is expected only between runs made on one and the same recorded processor.
#[test]
fn another_processor_is_a_note_and_no_identity_is_expected() {
    let mut a = snap(vec![runs("a", "final.mse", &S3, &[1.0, 2.0, 3.0])]);
    let mut b = a.clone();
    let cmp = compare_summaries(&a, &b, &Default::default());
    assert_eq!(
        cmp.processors,
        Processors::Unrecorded,
        "nothing says they differ"
    );
    a.cpus.insert("Intel(R) Xeon(R) Processor".into());
    b.cpus.insert("unknown".into());
    let cmp = compare_summaries(&a, &b, &Default::default());
    assert_eq!(
        cmp.processors,
        Processors::Unrecorded,
        "`unknown` is not a processor"
    );
    b.cpus = ["AMD EPYC".to_string()].into();
    let cmp = compare_summaries(&a, &b, &Default::default());
    assert_eq!(cmp.processors, Processors::Different);
    assert!(
        cmp.notes
            .iter()
            .any(|n| n.contains("another processor (AMD EPYC)")),
        "{:?}",
        cmp.notes
    );
    b.cpus = a.cpus.clone();
    let cmp = compare_summaries(&a, &b, &Default::default());
    assert_eq!(cmp.processors, Processors::Same);
    assert!(cmp.notes.is_empty(), "{:?}", cmp.notes);
}

/// 3 against 3 two-sided cannot go below 0.10: however tight the runs (the formula alone
/// would call ±0.02% detectable), the row is underpowered, never "no change".
#[test]
fn a_floor_above_alpha_is_underpowered_however_tight() {
    let base = [0.500, 0.5001, 0.5002];
    let cur = [0.5001, 0.5002, 0.5003];
    let r = one(
        runs("a", "final.accuracy", &[4, 5, 6], &cur),
        runs("a", "final.accuracy", &S3, &base),
    );
    assert_eq!(r.min_p, 0.1);
    assert!(r.detectable.is_infinite() && r.underpowered, "{r:?}");
    assert_eq!(r.verdict, Verdict::Underpowered);
}
