//! Reading one kind of per-evaluation file (metrics.csv, breakdown.csv, gradflow.csv) of every
//! run into polars frames, one per header line.
//!
//! Why not polars' own multi-file CSV scan: a large sweep's files are many and small (100,000
//! runs of about 50 rows), and polars' reader pays a task, a schema check and a file-path column
//! per file, which cost more than the parsing (docs/bench/report-100k.txt). Here each file is
//! read once, in parallel, with the `csv` crate, keeping only the columns asked for; text
//! columns are interned per file so that millions of rows hold a small code each until polars
//! gets them. A bad row is an error that names the file and the line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use polars::prelude::*;
use rayon::prelude::*;

use crate::load::Results;
use crate::ReportError;

/// The files of one header line, read: `frame` holds the requested columns (numbers as f64,
/// empty cells null; text columns as strings) and `group` (the run's group) and `file` (the
/// file's index in `paths`).
pub(crate) struct FileTable {
    pub header: Vec<String>,
    pub paths: Vec<PathBuf>,
    pub frame: DataFrame,
}

/// One file, parsed.
struct Parsed {
    header: Vec<String>,
    path: PathBuf,
    group: usize,
    rows: usize,
    /// Per requested column (in `columns` order): its values.
    columns: Vec<Values>,
    names: Vec<String>,
}

enum Values {
    Numbers(Vec<Option<f64>>),
    /// Codes into the file's own dictionary.
    Text(Vec<String>, Vec<u32>),
}

/// Reads `file` of every run of `results`. `wanted(header)` names the columns to keep of a file
/// with that header (`None`: all of them); `text` are the columns read as text; a run's rows get
/// `group_of(its group)` as their `group`. Runs without the file are skipped.
pub(crate) fn read(
    results: &Results,
    file: &str,
    text: &[&str],
    wanted: impl Fn(&[String]) -> Option<Vec<String>> + Sync,
    group_of: impl Fn(usize) -> usize + Sync,
) -> Result<Vec<FileTable>, ReportError> {
    let parsed: Vec<Option<Parsed>> = results
        .runs
        .par_iter()
        .map(|run| parse(&run.dir.join(file), group_of(run.group), text, &wanted))
        // In run order, so that of several bad files the first is named, every time.
        .collect::<Vec<_>>()
        .into_iter()
        .collect::<Result<_, _>>()?;
    let mut by_header: BTreeMap<Vec<String>, Vec<Parsed>> = BTreeMap::new();
    for p in parsed.into_iter().flatten() {
        by_header.entry(p.header.clone()).or_default().push(p);
    }
    by_header
        .into_values()
        .map(|files| table(files, &results.dir))
        .collect()
}

fn csv_error(path: &Path, line: Option<usize>, message: impl Into<String>) -> ReportError {
    ReportError::Csv {
        path: path.to_owned(),
        line,
        message: message.into(),
    }
}

fn parse(
    path: &Path,
    group: usize,
    text: &[&str],
    wanted: &(impl Fn(&[String]) -> Option<Vec<String>> + Sync),
) -> Result<Option<Parsed>, ReportError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(ReportError::io(path)(e)),
    };
    // rnnlab's writers quote nothing but text with a comma or a quote in it: files without a
    // quote are split by hand, several times faster than building a CSV reader per file.
    let unquoted = !bytes.contains(&b'"');
    let records = match std::str::from_utf8(&bytes) {
        Ok(text) if unquoted => split(text),
        _ => quoted(&bytes, path)?,
    };
    let mut records = records.into_iter();
    let Some((_, header)) = records.next() else {
        return Err(csv_error(path, Some(1), "no header line"));
    };
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    if header.len() < 2 {
        return Err(csv_error(path, Some(1), "no header line"));
    }
    let names = wanted(&header).unwrap_or_else(|| header.clone());
    let index: Vec<usize> = names
        .iter()
        .filter_map(|n| header.iter().position(|h| h == n))
        .collect();
    let names: Vec<String> = index.iter().map(|&i| header[i].clone()).collect();
    let mut columns: Vec<Values> = names
        .iter()
        .map(|n| {
            if text.contains(&n.as_str()) {
                Values::Text(Vec::new(), Vec::new())
            } else {
                Values::Numbers(Vec::new())
            }
        })
        .collect();
    let mut rows = 0;
    for (line, fields) in records {
        if fields.len() == 1 && fields[0].is_empty() {
            continue;
        }
        if fields.len() != header.len() {
            let message = format!("{} fields, the header has {}", fields.len(), header.len());
            return Err(csv_error(path, Some(line), message));
        }
        for (values, &i) in columns.iter_mut().zip(&index) {
            let field = fields[i].as_ref();
            match values {
                Values::Numbers(v) if field.is_empty() => v.push(None),
                Values::Numbers(v) => match field.parse::<f64>() {
                    Ok(x) => v.push(Some(x)),
                    Err(_) => {
                        let message = format!("column `{}`: `{field}` is not a number", header[i]);
                        return Err(csv_error(path, Some(line), message));
                    }
                },
                Values::Text(dict, codes) => {
                    let code = match dict.iter().position(|d| d == field) {
                        Some(c) => c,
                        None => {
                            dict.push(field.to_string());
                            dict.len() - 1
                        }
                    };
                    codes.push(code as u32);
                }
            }
        }
        rows += 1;
    }
    Ok(Some(Parsed {
        header,
        path: path.to_owned(),
        group,
        rows,
        columns,
        names,
    }))
}

/// A file's rows: each row's line number and fields.
type Records<'a> = Vec<(usize, Vec<std::borrow::Cow<'a, str>>)>;

/// Fields of a CSV text without quotes, trimmed, with each row's line number.
fn split(text: &str) -> Records<'_> {
    text.lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.split(',').map(|f| f.trim().into()).collect()))
        .collect()
}

/// Fields of any CSV text (quoted fields too), with each row's line number.
fn quoted(bytes: &[u8], path: &Path) -> Result<Records<'static>, ReportError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let mut out = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line() as usize;
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(out),
            Ok(true) => {
                let fields = record.iter().map(|f| f.to_string().into()).collect();
                out.push((line, fields));
            }
            Err(e) => return Err(csv_error(path, Some(line), e.to_string())),
        }
    }
}

/// The files of one header as one frame.
fn table(files: Vec<Parsed>, dir: &Path) -> Result<FileTable, ReportError> {
    let rows: usize = files.iter().map(|f| f.rows).sum();
    let first = &files[0];
    let (header, names) = (first.header.clone(), first.names.clone());
    let mut group = Vec::with_capacity(rows);
    let mut file = Vec::with_capacity(rows);
    for (k, f) in files.iter().enumerate() {
        group.extend(std::iter::repeat_n(f.group as u32, f.rows));
        file.extend(std::iter::repeat_n(k as u32, f.rows));
    }
    let mut out = vec![
        Column::new("group".into(), group),
        Column::new("file".into(), file),
    ];
    for (c, name) in names.iter().enumerate() {
        let column = match &first.columns[c] {
            Values::Numbers(_) => {
                let mut all: Vec<Option<f64>> = Vec::with_capacity(rows);
                for f in &files {
                    if let Values::Numbers(v) = &f.columns[c] {
                        all.extend_from_slice(v);
                    }
                }
                Column::new(name.as_str().into(), all)
            }
            Values::Text(..) => {
                let values = files.iter().flat_map(|f| match &f.columns[c] {
                    Values::Text(dict, codes) => codes
                        .iter()
                        .map(|&k| dict[k as usize].as_str())
                        .collect::<Vec<_>>(),
                    Values::Numbers(_) => Vec::new(),
                });
                let ca: StringChunked = values.collect();
                ca.with_name(name.as_str().into()).into_column()
            }
        };
        out.push(column);
    }
    let frame = DataFrame::new(rows, out).map_err(super::polars_err(dir))?;
    Ok(FileTable {
        header,
        paths: files.into_iter().map(|f| f.path).collect(),
        frame,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str, wanted: Option<Vec<String>>) -> Result<Option<Parsed>, ReportError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("metrics.csv");
        std::fs::write(&path, text).unwrap();
        parse(&path, 3, &["split"], &move |_: &[String]| wanted.clone())
    }

    #[test]
    fn a_file_keeps_the_asked_columns_with_nulls_and_text() {
        let text = "step,split,loss,mse\n100,train,0.5,\n100,valid,0.4,0.25\n";
        let wanted = Some(vec!["split".into(), "mse".into(), "absent".into()]);
        let p = parse_text(text, wanted).unwrap().unwrap();
        assert_eq!((p.rows, p.group), (2, 3));
        assert_eq!(p.names, ["split", "mse"]);
        let Values::Numbers(mse) = &p.columns[1] else {
            panic!("mse is a number column")
        };
        assert_eq!(mse, &[None, Some(0.25)]);
        let table = table(vec![p], Path::new(".")).unwrap();
        let split = super::super::strings(&table.frame, "split", Path::new(".")).unwrap();
        assert_eq!(split, ["train", "valid"]);
        assert_eq!(
            table.frame.column("group").unwrap().u32().unwrap().get(1),
            Some(3)
        );
    }

    #[test]
    fn a_bad_row_names_the_file_and_its_line() {
        let bad = parse_text("step,split,loss\n100,train,0.5\n200,train,oops\n", None);
        let message = bad.err().unwrap().to_string();
        assert!(message.contains("metrics.csv:3:"), "{message}");
        assert!(message.contains("`oops` is not a number"), "{message}");
        let short = parse_text("step,split,loss\n100,train\n", None);
        let message = short.err().unwrap().to_string();
        assert!(
            message.contains("metrics.csv:2:") && message.contains("2 fields, the header has 3"),
            "{message}"
        );
    }

    #[test]
    fn quoted_fields_are_read_as_csv() {
        let text = "step,split,loss\n100,\"a,b\",0.5\n200,\"a,b\",x\n";
        let message = parse_text(text, None).err().unwrap().to_string();
        assert!(
            message.contains("metrics.csv:3:") && message.contains("`x`"),
            "{message}"
        );
        let p = parse_text(&text.replace(",x", ",0.25"), None)
            .unwrap()
            .unwrap();
        let Values::Text(dict, codes) = &p.columns[1] else {
            panic!("split is a text column")
        };
        assert_eq!(
            (dict.as_slice(), codes.as_slice()),
            (&["a,b".to_string()][..], &[0, 0][..])
        );
    }

    #[test]
    fn a_missing_file_is_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let none = parse(
            &dir.path().join("gradflow.csv"),
            0,
            &[],
            &|_: &[String]| None,
        );
        assert!(none.unwrap().is_none());
    }
}
