//! The numbers README.md quotes come from committed files: the CI findings table from
//! results/ci's report tables, the cells table from the cells-* reports, the agreement eval
//! scores from results/agreement-eval/eval/handcrafted/summary.csv.
//! When a re-run changes a file and not the README (or the other way round), this fails.
use std::path::Path;

fn repo(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

/// Rows of a CSV file as field vectors, header first (no quoted commas in these files).
fn csv(path: &str) -> Vec<Vec<String>> {
    repo(path)
        .lines()
        .map(|l| l.split(',').map(String::from).collect())
        .collect()
}

fn column(rows: &[Vec<String>], name: &str) -> usize {
    rows[0].iter().position(|h| h == name).expect(name)
}

#[test]
fn the_ci_findings_table_is_the_committed_claims_table() {
    let readme = repo("README.md");
    let start = readme
        .find("| claim | measured (mean over 5 seeds) | p (Holm) |")
        .expect("README's CI findings table");
    let quoted: Vec<&str> = readme[start..]
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| l.trim_end_matches('|').rsplit('|').next().unwrap().trim())
        .collect();
    let claims = csv("results/ci/report/tables/claims.csv");
    let (p, pass) = (column(&claims, "p_holm"), column(&claims, "pass"));
    let committed: Vec<&str> = claims[1..].iter().map(|r| r[p].as_str()).collect();
    assert_eq!(quoted, committed, "README's p (Holm) against claims.csv");
    assert!(claims[1..].iter().all(|r| r[pass] == "true"));
}

#[test]
fn the_agreement_eval_scores_are_the_committed_ones() {
    let readme = repo("README.md");
    let rows = csv("results/agreement-eval/eval/handcrafted/summary.csv");
    let (group, by, mean) = (
        column(&rows, "group"),
        column(&rows, "by"),
        column(&rows, "mean"),
    );
    let overall = |key: &str| {
        let row = rows
            .iter()
            .find(|r| r[group] == key && r[by] == "overall")
            .unwrap_or_else(|| panic!("no overall row of {key}"));
        format!("{:.3}", row[mean].parse::<f64>().unwrap())
    };
    let pair = |variant: &str| {
        let of = |cell: &str| overall(&format!("variant={variant} model.cell={cell}"));
        format!("{} and {}", of("lstm"), of("gru"))
    };
    let (number, lm) = (pair("number"), pair("language_model"));
    assert!(readme.contains(&number), "README should quote {number}");
    assert!(readme.contains(&lm), "README should quote {lm}");
}

/// README's "cells against length" table: every mean is the committed report's
/// final-<metric>.csv mean of that variant and length, to the digits shown.
#[test]
fn the_cells_table_is_the_committed_reports() {
    let readme = repo("README.md");
    let start = readme
        .find("| task (metric, chance) | length |")
        .expect("README's cells table");
    let lines: Vec<&str> = readme[start..]
        .lines()
        .take_while(|l| l.starts_with('|'))
        .collect();
    let fields = |l: &str| -> Vec<String> {
        let inner = l.trim().trim_start_matches('|').trim_end_matches('|');
        inner.split('|').map(|f| f.trim().to_string()).collect()
    };
    let header = fields(lines[0]);
    let variant = |name: &str| match name {
        "tanh RNN" => "rnn_tanh",
        "IRNN" => "irnn",
        "LSTM" => "lstm",
        "GRU" => "gru",
        other => panic!("no variant for column `{other}`"),
    };
    let mut table = None;
    let mut checked = 0;
    for line in &lines[2..] {
        let row = fields(line);
        if !row[0].is_empty() {
            table = Some(match row[0].split(' ').next().unwrap() {
                "copy" => "results/cells-copy/report/tables/final-recall_accuracy.csv",
                "adding" => "results/cells-adding/report/tables/final-mse.csv",
                "temporal" => "results/cells-temporal-order/report/tables/final-accuracy.csv",
                other => panic!("no sweep for task `{other}`"),
            });
        }
        let rows = csv(table.expect("a task row first"));
        let (v, len, mean) = (
            column(&rows, "variant"),
            column(&rows, "task.length"),
            column(&rows, "mean"),
        );
        let length = row[1].rsplit(' ').next().unwrap();
        for (cell, quoted) in header[2..].iter().zip(&row[2..]) {
            let quoted = quoted.split(' ').next().unwrap();
            let digits = quoted.split_once('.').map_or(0, |(_, d)| d.len());
            let committed = rows
                .iter()
                .find(|r| r[v] == variant(cell) && r[len] == length)
                .unwrap_or_else(|| panic!("{cell} at {length} in {}", table.unwrap()));
            let value: f64 = committed[mean].parse().unwrap();
            assert_eq!(
                format!("{value:.digits$}"),
                quoted,
                "README's {cell} at length {length} against {}",
                table.unwrap()
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 8 * 4, "every cell of the table");
}

/// docs/eval.md's table of the hand-written sentences: every mean and last-noun score is the
/// committed eval summary's, to three digits.
#[test]
fn the_eval_docs_table_is_the_committed_summary() {
    let docs = repo("docs/eval.md");
    let start = docs
        .find("| by | bucket | n | LSTM number |")
        .expect("docs/eval.md's handcrafted table");
    let rows = csv("results/agreement-eval/eval/handcrafted/summary.csv");
    let col = |name| column(&rows, name);
    let (group, by, bucket, mean, last) = (
        col("group"),
        col("by"),
        col("bucket"),
        col("mean"),
        col("last_noun"),
    );
    let groups = [
        "variant=number model.cell=lstm",
        "variant=number model.cell=gru",
        "variant=language_model model.cell=lstm",
        "variant=language_model model.cell=gru",
    ];
    let three = |v: &str| format!("{:.3}", v.parse::<f64>().unwrap());
    let mut checked = 0;
    for line in docs[start..]
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
    {
        let f: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        for (i, g) in groups.iter().enumerate() {
            let row = rows
                .iter()
                .find(|r| r[group] == *g && r[by] == f[0] && r[bucket] == f[1])
                .unwrap_or_else(|| panic!("{g} {} {} not in the summary", f[0], f[1]));
            assert_eq!(three(&row[mean]), f[3 + i], "{g} {} {}", f[0], f[1]);
            assert_eq!(three(&row[last]), f[7], "last noun {} {}", f[0], f[1]);
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} rows read");
}
