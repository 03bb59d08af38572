//! Tables and the formats they are written in.
//!
//! One small [`Exporter`] trait with one implementation per format (the shape of hyperfine's
//! exporters): the report builds a [`Table`] of already formatted cells once and hands it to
//! whichever format it writes, so the CSV files and the Markdown report can never disagree.

/// A table of formatted cells.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Columns to right-align in text formats (numbers).
    pub numeric: Vec<bool>,
}

impl Table {
    pub fn new<S: Into<String>>(header: impl IntoIterator<Item = S>) -> Table {
        let header: Vec<String> = header.into_iter().map(Into::into).collect();
        let numeric = vec![false; header.len()];
        Table {
            header,
            rows: Vec::new(),
            numeric,
        }
    }

    /// Marks the columns from `first` on as numeric.
    pub fn numeric_from(mut self, first: usize) -> Table {
        for (i, n) in self.numeric.iter_mut().enumerate() {
            *n = i >= first;
        }
        self
    }

    pub fn push(&mut self, row: Vec<String>) {
        debug_assert_eq!(row.len(), self.header.len());
        self.rows.push(row);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// Writes a table in one format.
pub trait Exporter {
    fn export(&self, table: &Table) -> String;
}

/// The header and every row, each rendered by `line` and ended by a newline.
fn lines(table: &Table, line: impl Fn(&[String]) -> String) -> String {
    std::iter::once(&table.header)
        .chain(&table.rows)
        .map(|cells| line(cells) + "\n")
        .collect()
}

/// RFC 4180 CSV: cells with a comma, quote or newline are quoted.
#[derive(Debug, Clone, Copy, Default)]
pub struct Csv;

/// A GitHub-flavoured Markdown pipe table.
#[derive(Debug, Clone, Copy, Default)]
pub struct Markdown;

/// Aligned plain text for a terminal.
#[derive(Debug, Clone, Copy, Default)]
pub struct Plain;

impl Exporter for Csv {
    fn export(&self, table: &Table) -> String {
        let line = |cells: &[String]| {
            cells
                .iter()
                .map(|c| csv_cell(c))
                .collect::<Vec<_>>()
                .join(",")
        };
        lines(table, line)
    }
}

fn csv_cell(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

impl Exporter for Markdown {
    fn export(&self, table: &Table) -> String {
        let esc = |c: &String| c.replace('|', "\\|");
        let mut out = format!(
            "| {} |\n",
            table.header.iter().map(esc).collect::<Vec<_>>().join(" | ")
        );
        let rule: Vec<&str> = table
            .numeric
            .iter()
            .map(|&n| if n { "---:" } else { "---" })
            .collect();
        out.push_str(&format!("| {} |\n", rule.join(" | ")));
        for row in &table.rows {
            out.push_str(&format!(
                "| {} |\n",
                row.iter().map(esc).collect::<Vec<_>>().join(" | ")
            ));
        }
        out
    }
}

impl Exporter for Plain {
    fn export(&self, table: &Table) -> String {
        let width = |c: &str| c.chars().count();
        let mut widths: Vec<usize> = table.header.iter().map(|h| width(h)).collect();
        for row in &table.rows {
            for (w, c) in widths.iter_mut().zip(row) {
                *w = (*w).max(width(c));
            }
        }
        let line = |cells: &[String]| {
            let parts: Vec<String> = cells
                .iter()
                .zip(&widths)
                .zip(&table.numeric)
                .map(|((c, &w), &num)| {
                    let pad = " ".repeat(w - width(c));
                    if num {
                        format!("{pad}{c}")
                    } else {
                        format!("{c}{pad}")
                    }
                })
                .collect();
            parts.join("  ").trim_end().to_string()
        };
        lines(table, line)
    }
}

/// A number for a table: up to `sig` significant digits, no exponent between 1e-4 and 1e9,
/// trailing zeros dropped, NaN as an empty cell. Fixed rules, so golden files are stable.
pub fn num(x: f64, sig: usize) -> String {
    if !x.is_finite() {
        return if x.is_nan() {
            String::new()
        } else if x > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        };
    }
    if x == 0.0 {
        return "0".into();
    }
    let mag = x.abs().log10().floor() as i32;
    if !(-4..9).contains(&mag) {
        return format!("{:.*e}", sig.saturating_sub(1), x);
    }
    let decimals = (sig as i32 - 1 - mag).max(0) as usize;
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

/// A table number with 4 significant digits (means, intervals).
pub fn n4(x: f64) -> String {
    num(x, 4)
}

/// A p-value: 3 significant digits, and `< 1e-6` below that (more digits mean nothing).
pub fn pval(p: f64) -> String {
    if p.is_nan() {
        String::new()
    } else if p < 1e-6 {
        "<1e-6".into()
    } else {
        num(p, 3)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(n4(0.922), "0.922");
        assert_eq!(n4(0.87604165), "0.876");
        assert_eq!(n4(1234.5678), "1235");
        assert_eq!(n4(12.0), "12");
        assert_eq!(n4(0.000123456), "0.0001235");
        assert_eq!(n4(1.5e-7), "1.500e-7");
        assert_eq!(n4(-0.00001), "-1.000e-5");
        assert_eq!(n4(f64::NAN), "");
        assert_eq!(n4(-0.00004), "-4.000e-5");
        assert_eq!(pval(0.0000001), "<1e-6");
    }

    #[test]
    fn formats_agree() {
        let mut t = Table::new(["variant", "mean"]).numeric_from(1);
        t.push(vec!["a,b".into(), "1".into()]);
        assert_eq!(Csv.export(&t), "variant,mean\n\"a,b\",1\n");
        assert_eq!(
            Markdown.export(&t),
            "| variant | mean |\n| --- | ---: |\n| a,b | 1 |\n"
        );
        assert_eq!(Plain.export(&t), "variant  mean\na,b         1\n");
    }
}
