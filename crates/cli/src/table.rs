//! Plain tables printed as GitHub markdown (for people and docs) or CSV (for scripts).

/// Output format of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Markdown,
    Csv,
}

/// A table: markdown column titles, CSV column names, and rows of cells. The two header sets
/// differ because CSV readers want identifiers and separate fields, and people want units and
/// one readable label.
#[derive(Debug, Default)]
pub struct Table {
    titles: Vec<&'static str>,
    names: Vec<&'static str>,
    rows: Vec<(Vec<String>, Vec<String>)>,
}

impl Table {
    pub fn new(titles: &[&'static str], names: &[&'static str]) -> Self {
        Self {
            titles: titles.to_vec(),
            names: names.to_vec(),
            rows: Vec::new(),
        }
    }

    /// A row, as the markdown cells and the CSV cells (which may carry more precision or split
    /// a label into fields).
    pub fn push(&mut self, markdown: Vec<String>, csv: Vec<String>) {
        self.rows.push((markdown, csv));
    }

    pub fn render(&self, format: Format) -> String {
        let mut out = String::new();
        match format {
            Format::Csv => {
                out.push_str(&self.names.join(","));
                out.push('\n');
                for (_, csv) in &self.rows {
                    out.push_str(&csv.join(","));
                    out.push('\n');
                }
            }
            Format::Markdown => {
                let line = |cells: &[String]| format!("| {} |\n", cells.join(" | "));
                let titles: Vec<String> = self.titles.iter().map(|t| t.to_string()).collect();
                out.push_str(&line(&titles));
                let rule: Vec<String> = self
                    .titles
                    .iter()
                    .enumerate()
                    .map(|(i, _)| if i == 0 { "---" } else { "---:" }.to_string())
                    .collect();
                out.push_str(&line(&rule));
                for (md, _) in &self.rows {
                    out.push_str(&line(md));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_both_formats() {
        let mut t = Table::new(&["config", "ms/step"], &["config", "ms_step"]);
        t.push(
            vec!["a".into(), "1.0".into()],
            vec!["a".into(), "1.000".into()],
        );
        assert_eq!(t.render(Format::Csv), "config,ms_step\na,1.000\n");
        assert_eq!(
            t.render(Format::Markdown),
            "| config | ms/step |\n| --- | ---: |\n| a | 1.0 |\n"
        );
    }
}
