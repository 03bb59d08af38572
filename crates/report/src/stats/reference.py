#!/usr/bin/env python3
"""Reference values for the small-sample tests in this folder (permutation.rs, equivalence.rs,
fisher.rs, boschloo.rs, survival.rs, normal.rs, welch.rs), computed with SciPy.

Run it in a virtual environment outside the repository:

    python3 -m venv /tmp/scipy-venv && /tmp/scipy-venv/bin/pip install scipy numpy
    /tmp/scipy-venv/bin/python crates/report/src/stats/reference.py

The Rust tests copy the printed numbers (repr, full precision) and name this script. Nothing
here is random: permutation tests use n_resamples=np.inf (every split), so SciPy's answers are
exact and the Rust Monte-Carlo paths are checked against them within their standard error.
"""

import itertools
import warnings

import numpy as np
import scipy
from scipy import stats


def show(label, value):
    print(f"{label} = {float(value)!r}")


def diff_of_means(x, y, axis=-1):
    return np.mean(x, axis=axis) - np.mean(y, axis=axis)


def mean_of_differences(x, y, axis=-1):
    return np.mean(x - y, axis=axis)


def perm(x, y, alternative, kind="independent"):
    statistic = diff_of_means if kind == "independent" else mean_of_differences
    res = stats.permutation_test(
        (np.asarray(x, float), np.asarray(y, float)),
        statistic,
        permutation_type=kind,
        n_resamples=np.inf,
        alternative=alternative,
        vectorized=True,
    )
    return res.pvalue


TWO_SAMPLE = {
    "OVERLAP": ([0.42, 0.61, 0.55, 0.73, 0.38], [0.35, 0.52, 0.29, 0.47]),
    "UNEQUAL": ([1.0, 5.0, 2.5], [2.0, 2.2, 3.1, 0.4, 1.7, 2.9]),
    "TIES": ([1.0, 1.0, 2.0, 3.0], [1.0, 2.0, 2.0, 2.0]),
    # 10 against 10: C(20, 10) = 184756 splits, beyond the Rust exact limit (Monte-Carlo).
    "LARGE": (
        [5.1, 4.8, 6.3, 5.9, 4.4, 5.5, 6.8, 5.0, 5.7, 6.1],
        [4.9, 4.2, 5.3, 4.6, 5.8, 4.0, 4.7, 5.2, 4.5, 5.6],
    ),
}

PAIRED = {
    "PAIRED": ([0.80, 0.75, 0.90, 0.60, 0.85, 0.70], [0.70, 0.76, 0.80, 0.50, 0.80, 0.72]),
    # 20 pairs: 2^20 patterns, beyond the Rust exact limit (Monte-Carlo).
    "PAIRED_LARGE": (
        [0.3, 1.2, -0.4, 0.8, 0.5, 1.1, -0.2, 0.9, 0.4, 0.7,
         0.1, 1.5, -0.6, 0.6, 0.2, 1.0, 0.3, -0.1, 0.8, 0.5],
        [0.0] * 20,
    ),
}

# (k1, n1, k2, n2): k1 of n1 runs against k2 of n2.
BINARY = [(3, 3, 0, 3), (5, 5, 0, 5), (7, 10, 2, 9), (1, 5, 4, 6), (2, 8, 5, 7), (4, 4, 1, 6),
          (0, 3, 0, 3), (6, 12, 6, 12)]


def permutation_cases():
    print("# permutation.rs: scipy.stats.permutation_test, exact (n_resamples=np.inf)")
    for name, (x, y) in TWO_SAMPLE.items():
        for alt in ("greater", "less", "two-sided"):
            show(f"{name}_{alt.replace('-', '_').upper()}", perm(x, y, alt))
    for name, (x, y) in PAIRED.items():
        for alt in ("greater", "less", "two-sided"):
            show(f"{name}_{alt.replace('-', '_').upper()}", perm(x, y, alt, kind="samples"))
    # Hand-checkable: 5 against 5 completely separated, one-sided = 1/252; 3 against 3 two-sided.
    show("SEPARATED_5_GREATER", perm([6, 7, 8, 9, 10], [1, 2, 3, 4, 5], "greater"))
    show("SEPARATED_3_TWO_SIDED", perm([4, 5, 6], [1, 2, 3], "two-sided"))
    show("ALL_EQUAL_TWO_SIDED", perm([0.5] * 3, [0.5] * 4, "two-sided"))


def tost_cases():
    print("# equivalence.rs: TOST = max of two shifted one-sided permutation tests")
    for name, (x, y), delta in (("OVERLAP", TWO_SAMPLE["OVERLAP"], 0.2),
                                ("CLOSE", ([1.00, 1.02, 0.98, 1.01], [0.99, 1.00, 1.03, 0.97]), 0.05)):
        x, y = np.asarray(x), np.asarray(y)
        lower = perm(x + delta, y, "greater")
        upper = perm(x - delta, y, "less")
        show(f"TOST_{name}_LOWER", lower)
        show(f"TOST_{name}_UPPER", upper)
        show(f"TOST_{name}", max(lower, upper))
    print("# equivalence.rs: interval by inverting SciPy's test, scanning every candidate shift")
    x, y = np.asarray(TWO_SAMPLE["OVERLAP"][0]), np.asarray(TWO_SAMPLE["OVERLAP"][1])
    for alpha in (0.05, 0.2):
        lo, hi = inverted_interval(x, y, alpha)
        show(f"CI_OVERLAP_{int(alpha * 100)}_LOW", lo)
        show(f"CI_OVERLAP_{int(alpha * 100)}_HIGH", hi)


def inverted_interval(x, y, alpha):
    """The shifts whose two-sided SciPy p exceeds alpha. The p-value only changes at the
    candidate shifts mean(x removed) - mean(y added) of each split, so test just beside each."""
    pooled = np.concatenate([x, y])
    n1 = len(x)
    candidates = set()
    for split in itertools.combinations(range(len(pooled)), n1):
        removed = [i for i in range(n1) if i not in split]
        added = [i - n1 for i in split if i >= n1]
        if removed:
            candidates.add(round(np.mean(x[removed]) - np.mean(y[added]), 12))
    candidates = sorted(candidates)
    accepted = []
    for c in candidates:
        for shift in (c - 1e-9, c + 1e-9):
            if perm(x - shift, y, "two-sided") > alpha:
                accepted.append(c)
    return min(accepted), max(accepted)


def binary_cases():
    print("# fisher.rs: scipy.stats.fisher_exact([[k1, n1-k1], [k2, n2-k2]])")
    for k1, n1, k2, n2 in BINARY:
        for alt in ("greater", "less", "two-sided"):
            p = stats.fisher_exact([[k1, n1 - k1], [k2, n2 - k2]], alternative=alt).pvalue
            show(f"FISHER_{k1}_{n1}_{k2}_{n2}_{alt.replace('-', '_').upper()}", p)
    print("# boschloo.rs: scipy.stats.boschloo_exact([[k1, k2], [n1-k1, n2-k2]], n=32)")
    for k1, n1, k2, n2 in BINARY:
        for alt in ("greater", "less", "two-sided"):
            p = stats.boschloo_exact([[k1, k2], [n1 - k1, n2 - k2]], alternative=alt).pvalue
            show(f"BOSCHLOO_{k1}_{n1}_{k2}_{n2}_{alt.replace('-', '_').upper()}", p)


SURVIVAL_A = ([120, 340, 500, 510], [800, 800])      # (solved at, censored at)
SURVIVAL_B = ([450, 700], [800, 800, 800, 800])


def logrank_permutation(a, b, alternative):
    """The exact permutation p of SciPy's log-rank statistic: every relabelling of the pooled
    runs into groups of the original sizes (SciPy's own rule for exact p-values: k / N, and
    two-sided as twice the smaller one-sided)."""
    runs = [(t, True) for t in a[0]] + [(t, False) for t in a[1]]
    runs += [(t, True) for t in b[0]] + [(t, False) for t in b[1]]
    n_a = len(a[0]) + len(a[1])

    def z(group_a):
        def data(idx):
            return stats.CensoredData(uncensored=[runs[i][0] for i in idx if runs[i][1]],
                                      right=[runs[i][0] for i in idx if not runs[i][1]])
        rest = [i for i in range(len(runs)) if i not in group_a]
        return stats.logrank(data(group_a), data(rest)).statistic

    observed = z(range(n_a))
    null = np.array([z(split) for split in itertools.combinations(range(len(runs)), n_a)])
    tol = 1e-12 * max(1.0, abs(observed))
    greater = np.mean(null >= observed - tol)
    less = np.mean(null <= observed + tol)
    return {"greater": greater, "less": less, "two-sided": min(1.0, 2 * min(greater, less))}[alternative]


def survival_cases():
    print("# survival.rs: scipy.stats.ecdf(CensoredData).sf and scipy.stats.logrank")
    a = stats.CensoredData(uncensored=SURVIVAL_A[0], right=SURVIVAL_A[1])
    b = stats.CensoredData(uncensored=SURVIVAL_B[0], right=SURVIVAL_B[1])
    sf = stats.ecdf(a).sf
    for t in (100, 120, 340, 505, 510, 900):
        show(f"KM_A_AT_{t}", sf.evaluate(t))
    for alt in ("greater", "less", "two-sided"):
        res = stats.logrank(a, b, alternative=alt)
        show(f"LOGRANK_{alt.replace('-', '_').upper()}", res.pvalue)
    show("LOGRANK_Z", stats.logrank(a, b).statistic)
    for alt in ("greater", "less", "two-sided"):
        show(f"LOGRANK_PERMUTATION_{alt.replace('-', '_').upper()}",
             logrank_permutation(SURVIVAL_A, SURVIVAL_B, alt))
    # Three solving at steps 1-3 against three never solving in 10 steps.
    res = stats.logrank(stats.CensoredData(uncensored=[1, 2, 3]),
                        stats.CensoredData(right=[10, 10, 10]), alternative="greater")
    show("LOGRANK_SEPARATED_GREATER", res.pvalue)
    # With ties between the groups and within a group.
    c = stats.CensoredData(uncensored=[100, 100, 300, 300, 500], right=[600])
    d = stats.CensoredData(uncensored=[300, 500, 500], right=[600, 600])
    res = stats.logrank(c, d)
    show("LOGRANK_TIES_Z", res.statistic)
    show("LOGRANK_TIES_TWO_SIDED", res.pvalue)


def normal_cases():
    print("# normal.rs: scipy.stats.norm.sf and scipy.stats.chi2.sf(x, 1)")
    for z in (0.0, 0.5, 1.959963984540054, 3.0, 6.0, 10.0, -1.5):
        show(f"NORM_SF({z!r})", stats.norm.sf(z))
    for x in (0.1, 3.841458820694124, 12.0):
        show(f"CHI2_SF({x!r})", stats.chi2.sf(x, 1))


def welch_cases():
    print("# welch.rs: what SciPy does with zero spread (not a p-value to copy)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        print("ttest_ind([1,1,1], [0.1,0.1,0.1], equal_var=False) =",
              stats.ttest_ind([1.0] * 3, [0.1] * 3, equal_var=False))
        print("ttest_ind([1,1], [0.5,0.5], equal_var=False) =",
              stats.ttest_ind([1.0] * 2, [0.5] * 2, equal_var=False))


if __name__ == "__main__":
    print(f"# SciPy {scipy.__version__}, NumPy {np.__version__}")
    permutation_cases()
    tost_cases()
    binary_cases()
    survival_cases()
    normal_cases()
    welch_cases()
