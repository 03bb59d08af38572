//! Where the report goes. The report is a sequence of events (a section starts, a paragraph,
//! a table, a figure) sent to a [`Sink`]. A sink implements only the hooks it cares about; the
//! others default to nothing, and [`Sinks`] forwards each event to every sink it holds (the
//! shape of criterion.rs's `Report` trait and `Reports` composite). [`TableFiles`] writes each
//! table as `tables/<name>.csv`; [`MarkdownDoc`] assembles report.md. Adding an output (HTML,
//! JSON) is one more sink, and the CSV files and the Markdown can never disagree.

use std::path::PathBuf;

use crate::charts::Figure;
use crate::table::{Csv, Exporter, Markdown, Table};
use crate::ReportError;

/// Rows of a table shown in report.md; the CSV always has them all.
pub const MARKDOWN_ROWS: usize = 60;

/// Receives the report as it is built. Every hook defaults to doing nothing.
pub trait Sink {
    fn section(&mut self, _title: &str) {}
    fn paragraph(&mut self, _markdown: &str) {}
    /// A table named `name` (its CSV file stem); `show` says whether report.md shows it.
    fn table(&mut self, _name: &str, _table: &Table, _show: bool) -> Result<(), ReportError> {
        Ok(())
    }
    fn figure(&mut self, _figure: &Figure, _caption: &str) {}
}

/// Forwards every event to each of its sinks, in order.
pub struct Sinks<'a>(pub Vec<&'a mut dyn Sink>);

impl Sink for Sinks<'_> {
    fn section(&mut self, title: &str) {
        self.0.iter_mut().for_each(|s| s.section(title));
    }
    fn paragraph(&mut self, markdown: &str) {
        self.0.iter_mut().for_each(|s| s.paragraph(markdown));
    }
    fn table(&mut self, name: &str, table: &Table, show: bool) -> Result<(), ReportError> {
        self.0
            .iter_mut()
            .try_for_each(|s| s.table(name, table, show))
    }
    fn figure(&mut self, figure: &Figure, caption: &str) {
        self.0.iter_mut().for_each(|s| s.figure(figure, caption));
    }
}

/// Writes every table as `<dir>/<name>.csv`.
pub struct TableFiles {
    pub dir: PathBuf,
    pub written: Vec<PathBuf>,
}

impl TableFiles {
    pub fn new(dir: PathBuf) -> TableFiles {
        TableFiles {
            dir,
            written: Vec::new(),
        }
    }
}

impl Sink for TableFiles {
    fn table(&mut self, name: &str, table: &Table, _show: bool) -> Result<(), ReportError> {
        let path = self.dir.join(format!("{name}.csv"));
        rnnlab_results::write_atomic(&path, Csv.export(table).as_bytes())?;
        self.written.push(path);
        Ok(())
    }
}

/// Assembles report.md; figures and tables are linked relative to the report folder.
#[derive(Default)]
pub struct MarkdownDoc {
    pub text: String,
}

impl Sink for MarkdownDoc {
    fn section(&mut self, title: &str) {
        if !self.text.ends_with("\n\n") {
            self.text.push('\n');
        }
        self.text.push_str(&format!("## {title}\n\n"));
    }
    fn paragraph(&mut self, markdown: &str) {
        self.text.push_str(markdown.trim_end());
        self.text.push_str("\n\n");
    }
    fn table(&mut self, name: &str, table: &Table, show: bool) -> Result<(), ReportError> {
        if !show {
            return Ok(());
        }
        let mut shown = table.clone();
        shown.rows.truncate(MARKDOWN_ROWS);
        self.text.push_str(&Markdown.export(&shown));
        if table.rows.len() > MARKDOWN_ROWS {
            self.text.push_str(&format!(
                "\n{} of {} rows shown; all in [tables/{name}.csv](tables/{name}.csv).\n",
                MARKDOWN_ROWS,
                table.rows.len()
            ));
        } else {
            self.text.push_str(&format!(
                "\nAs CSV: [tables/{name}.csv](tables/{name}.csv).\n"
            ));
        }
        self.text.push('\n');
        Ok(())
    }
    fn figure(&mut self, figure: &Figure, caption: &str) {
        self.text.push_str(&format!(
            "![{}](figures/{}.png)\n\n{} ([SVG](figures/{}.svg))\n\n",
            figure.title, figure.stem, caption, figure.stem
        ));
    }
}
