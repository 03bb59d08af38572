//! The claim statistics of a whole results folder against SciPy.

mod common;

/// Reference: the `final.recall_accuracy` values of the synthetic cells-vs-length folder, read
/// from its summary.json files in Python and tested with SciPy 1.17.1:
/// `scipy.stats.ttest_ind(a, b, equal_var=False, alternative='greater')`, Hedges' g by its
/// definition in NumPy, and Holm's adjustment of the two p-values by hand.
#[test]
fn claims_match_scipy_on_a_results_folder() {
    let tmp = tempfile::tempdir().unwrap();
    common::write_cells(tmp.path());
    let outcome = rnnlab_report::check(tmp.path()).unwrap();
    let [first, second] = &outcome.claims[..] else {
        panic!("two claims expected")
    };
    // lstm > rnn_tanh at length 100.
    assert!((first.difference - 0.84279470936287).abs() < 1e-12);
    assert!(
        (first.p - 0.0011611406846771487).abs() < 1e-12,
        "{}",
        first.p
    );
    assert!(
        (first.effect - 12.689195930939945).abs() < 1e-9,
        "{}",
        first.effect
    );
    assert!((first.p_holm - 0.0023222813693542974).abs() < 1e-12);
    assert!(first.pass);
    // gru > lstm at length 50: the difference is negative, so the claim fails.
    assert!((second.difference - -0.013064636604126711).abs() < 1e-12);
    assert!(
        (second.p - 0.8212525584731616).abs() < 1e-12,
        "{}",
        second.p
    );
    assert!((second.p_holm - 0.8212525584731616).abs() < 1e-12);
    assert!(!second.pass);
    // The bootstrap interval brackets the difference.
    let (lo, hi) = first.ci.unwrap();
    assert!(lo < first.difference && first.difference < hi);
}
