//! `params.json`: the parameters that vary across the sweep, in sweep order, as strings:
//! `{"model.cell": "lstm", "task.length": "100", "seed": "1"}`. The order is the sweep's
//! axis order, so it is kept on reading (a JSON map type would sort the keys).
use std::fmt;
use std::path::Path;

use serde::de::{MapAccess, Visitor};
use serde::Deserializer;

use crate::{write_atomic, ResultsError};

/// Writes `params.json` atomically, keeping the order given.
pub fn write_params(path: &Path, params: &[(String, String)]) -> Result<(), ResultsError> {
    let fields: Vec<String> = params
        .iter()
        .map(|(k, v)| {
            let key = serde_json::Value::from(k.as_str()).to_string();
            let value = serde_json::Value::from(v.as_str()).to_string();
            format!("  {key}: {value}")
        })
        .collect();
    let text = if fields.is_empty() {
        "{}\n".to_string()
    } else {
        format!("{{\n{}\n}}\n", fields.join(",\n"))
    };
    write_atomic(path, text.as_bytes())
}

/// Reads `params.json` in file order. Values that are numbers or booleans (hand-written
/// files) are read as their JSON text.
pub fn read_params(path: &Path) -> Result<Vec<(String, String)>, ResultsError> {
    let text = std::fs::read_to_string(path).map_err(ResultsError::io(path))?;
    let mut de = serde_json::Deserializer::from_str(&text);
    let parsed = de
        .deserialize_map(Ordered)
        .and_then(|params| de.end().map(|()| params));
    parsed.map_err(|source| ResultsError::Parse {
        path: path.to_owned(),
        what: "params.json",
        source,
    })
}

struct Ordered;

impl<'de> Visitor<'de> for Ordered {
    type Value = Vec<(String, String)>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object of parameter names to values")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, serde_json::Value>()? {
            let v = match v {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            out.push((k, v));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_sweep_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("params.json");
        let params = vec![
            ("task.length".to_string(), "100".to_string()),
            ("model.cell".to_string(), "lstm \"x\"".to_string()),
            ("seed".to_string(), "1".to_string()),
        ];
        write_params(&path, &params).unwrap();
        assert_eq!(read_params(&path).unwrap(), params);
    }

    #[test]
    fn reads_numbers_as_text_and_names_a_bad_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("params.json");
        std::fs::write(&path, r#"{"seed": 3, "b": true}"#).unwrap();
        let got = read_params(&path).unwrap();
        assert_eq!(got[0], ("seed".into(), "3".into()));
        std::fs::write(&path, "{\"seed\": ").unwrap();
        let err = read_params(&path).unwrap_err().to_string();
        assert!(err.contains("params.json"), "{err}");
    }
}
