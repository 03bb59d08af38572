//! The claim statistics of a whole results folder against SciPy.

mod common;

/// Reference: the `final.recall_accuracy` values of the synthetic cells-vs-length folder, read
/// from its summary.json files and tested with SciPy 1.17.1:
/// `scipy.stats.permutation_test((a, b), lambda x, y, axis: mean(x) - mean(y),
/// permutation_type='independent', alternative='greater', n_resamples=np.inf)`: 0.05 for
/// lstm > rnn_tanh at length 100 (every LSTM run above every tanh run, and 3 against 3 runs
/// have only C(6,3) = 20 splits) and 0.85 for gru > lstm at length 50. With `test: welch`,
/// `ttest_ind(a, b, equal_var=False, alternative='greater')` gives 0.001161140684677151: the
/// normality assumption, not the data, carries that p below the exact test's floor.
#[test]
fn claims_match_scipy_on_a_results_folder() {
    let tmp = tempfile::tempdir().unwrap();
    common::write_cells(tmp.path());
    let outcome = rnnlab_report::check(tmp.path()).unwrap();
    let [first, second] = &outcome.claims[..] else {
        panic!("two claims expected")
    };
    // lstm > rnn_tanh at length 100: as separated as 3 against 3 can be, and still p = 0.05,
    // so after Holm (0.10) the claim does not hold: three seeds cannot show it.
    assert!((first.difference - 0.84279470936287).abs() < 1e-12);
    assert!((first.p - 0.05).abs() < 1e-12, "{}", first.p);
    assert!((first.min_p - 0.05).abs() < 1e-12, "{}", first.min_p);
    assert!((first.effect - 12.689195930939945).abs() < 1e-9);
    assert!((first.p_holm - 0.10).abs() < 1e-12, "{}", first.p_holm);
    assert!(first.test.starts_with("permutation test"), "{}", first.test);
    assert_eq!((first.used, first.total), ((3, 3), (3, 3)));
    assert!(!first.pass);
    // gru > lstm at length 50: the difference is negative, so the claim fails.
    assert!((second.difference - -0.013064636604126711).abs() < 1e-12);
    assert!((second.p - 0.85).abs() < 1e-12, "{}", second.p);
    assert!(!second.pass);
    // The 95% interval inverted from the test does not exist at 3 against 3 (no shift can be
    // rejected two-sided below 0.10): none is shown rather than a bootstrap that under-covers.
    assert_eq!(first.ci, None);
}

#[test]
fn welch_stays_available_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    common::write_cells(tmp.path());
    let sweep = tmp.path().join("sweep.yaml");
    let text = std::fs::read_to_string(&sweep).unwrap().replace(
        "    expect: lstm > rnn_tanh\n",
        "    expect: lstm > rnn_tanh\n    test: welch\n",
    );
    std::fs::write(&sweep, text).unwrap();
    let outcome = rnnlab_report::check(tmp.path()).unwrap();
    let first = &outcome.claims[0];
    assert_eq!(first.test, "Welch's t-test");
    assert!(
        (first.p - 0.001161140684677151).abs() < 1e-12,
        "{}",
        first.p
    );
}
