//! CSV reading and writing as every file of this crate does it: written atomically, read with
//! errors that name the file.
use std::path::Path;

use crate::{write_atomic, ResultsError};

/// A CSV cell of an optional number: empty when there is none.
pub(crate) fn num(v: Option<f64>) -> String {
    v.map(|v| format!("{v}")).unwrap_or_default()
}

/// Writes rows as CSV to `path` atomically.
pub(crate) fn write_csv(
    path: &Path,
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Result<(), ResultsError> {
    let csv = |source| ResultsError::Csv {
        path: path.to_owned(),
        source,
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(csv)?;
    for r in rows {
        w.write_record(&r).map_err(csv)?;
    }
    let bytes = w.into_inner().map_err(|e| ResultsError::Io {
        path: path.to_owned(),
        source: e.into_error(),
    })?;
    write_atomic(path, &bytes)
}

/// A CSV file opened for reading, its header read: what every reader of this crate starts
/// from. Errors name the file.
pub(crate) struct CsvFile<'p> {
    path: &'p Path,
    reader: csv::Reader<std::fs::File>,
    header: csv::StringRecord,
}

impl<'p> CsvFile<'p> {
    pub(crate) fn open(path: &'p Path) -> Result<Self, ResultsError> {
        let error = |source| ResultsError::Csv {
            path: path.to_owned(),
            source,
        };
        let mut reader = csv::Reader::from_path(path).map_err(error)?;
        let header = reader.headers().map_err(error)?.clone();
        Ok(Self {
            path,
            reader,
            header,
        })
    }

    /// The position of column `name`, if the header has it.
    pub(crate) fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// The rows after the header.
    pub(crate) fn rows(
        &mut self,
    ) -> impl Iterator<Item = Result<csv::StringRecord, ResultsError>> + '_ {
        let path = self.path;
        self.reader.records().map(move |r| {
            r.map_err(|source| ResultsError::Csv {
                path: path.to_owned(),
                source,
            })
        })
    }
}
