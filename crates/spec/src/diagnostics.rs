//! Collecting the problems of one file: errors and warnings, each located in the text when
//! there is one, deduplicated, and capped at [`MAX_ERRORS`].
use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde_yaml::Value;

use crate::limits::Limits;
use crate::locate::{locate, parse_at, Location, Target, YamlPath};
use crate::suggest::{closest, list};
use crate::sweep::yaml_scalar;
use crate::{SpecError, SpecWarning};

/// Collects errors and warnings for one file, locating each in the text when it is available.
pub(crate) struct Diag<'t> {
    pub(crate) file: PathBuf,
    text: Option<&'t str>,
    pub(crate) errors: Vec<SpecError>,
    pub(crate) warnings: Vec<SpecWarning>,
    seen: HashSet<(bool, String, String)>,
    /// Errors raised so far, counting repeats that were deduplicated: lets a caller tell
    /// whether its own step found anything.
    pub(crate) raised: usize,
    /// Errors past [`MAX_ERRORS`], counted but neither located nor kept.
    pub(crate) unshown: usize,
    pub(crate) limits: Limits,
}

/// Most errors reported for one file. Locating an error re-reads the text, so a file with
/// thousands of bad values would otherwise take minutes to reject; the first few say what to
/// fix, and the rest are counted.
pub(crate) const MAX_ERRORS: usize = 30;

impl<'t> Diag<'t> {
    pub(crate) fn new(file: &Path, text: Option<&'t str>) -> Self {
        Self {
            file: file.to_owned(),
            text,
            errors: Vec::new(),
            warnings: Vec::new(),
            seen: HashSet::new(),
            raised: 0,
            unshown: 0,
            limits: Limits::default(),
        }
    }

    pub(crate) fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// True (and the error counted) when the report is full.
    fn full(&mut self) -> bool {
        if self.errors.len() < MAX_ERRORS {
            return false;
        }
        self.unshown += 1;
        true
    }

    /// The errors, with a last one that counts those not shown.
    pub(crate) fn into_errors(mut self) -> (Vec<SpecError>, Vec<SpecWarning>) {
        if self.unshown > 0 {
            self.errors.push(SpecError::Invalid {
                path: self.file.clone(),
                at: "(top level)".into(),
                location: None,
                message: format!(
                    "{} more errors not shown (at most {MAX_ERRORS} are); fix these and validate again",
                    self.unshown
                ),
            });
        }
        (self.errors, self.warnings)
    }

    fn locate(&self, at: &YamlPath, target: Target) -> Option<Location> {
        self.text.and_then(|t| locate(t, at, target))
    }

    /// Records an error about the key or value at `at`; the same message at the same place is
    /// recorded once (a base value is checked in every run it reaches).
    pub(crate) fn error(&mut self, at: &YamlPath, target: Target, message: impl Into<String>) {
        let message = message.into();
        self.raised += 1;
        if !self.seen.insert((true, at.to_string(), message.clone())) || self.full() {
            return;
        }
        self.errors.push(SpecError::Invalid {
            path: self.file.clone(),
            at: at.to_string(),
            location: self.locate(at, target),
            message,
        });
    }

    pub(crate) fn warn(&mut self, at: &YamlPath, target: Target, message: impl Into<String>) {
        let message = message.into();
        if !self.seen.insert((false, at.to_string(), message.clone())) {
            return;
        }
        self.warnings.push(SpecWarning {
            path: self.file.clone(),
            at: at.to_string(),
            location: self.locate(at, target),
            message,
        });
    }

    /// Records a serde_norway error raised while parsing the part at `at`. Its message starts
    /// with serde's own path from the root when it has one (`claims[0].by: ...`); that path is
    /// more precise than `at`, so it is used instead.
    pub(crate) fn serde(&mut self, at: &YamlPath, err: &serde_yaml::Error, hint: &str) {
        let location = Location::of(err);
        let mut text = err.to_string();
        if let Some(l) = location {
            let suffix = format!(" at {l}");
            if let Some(stripped) = text.strip_suffix(&suffix) {
                text = stripped.to_owned();
            }
        }
        let (place, message) = match text.split_once(": ") {
            Some((p, m)) if !p.contains(' ') && p.starts_with(&at.to_string()) => {
                (p.to_owned(), m.to_owned())
            }
            _ => (at.to_string(), text),
        };
        let message = if hint.is_empty() {
            message
        } else {
            format!("{message}; {hint}")
        };
        self.raised += 1;
        if self.seen.insert((true, place.clone(), message.clone())) && !self.full() {
            self.errors.push(SpecError::Invalid {
                path: self.file.clone(),
                at: place,
                location: location.or_else(|| self.locate(at, Target::Value)),
                message,
            });
        }
    }

    /// Parses the part at `at` as a `T`: from the text when there is one (exact positions),
    /// else from `value`. `None` (error recorded) when it does not fit.
    pub(crate) fn part<T: DeserializeOwned>(
        &mut self,
        at: &YamlPath,
        value: &Value,
        hint: &str,
    ) -> Option<T> {
        let parsed = match self.text {
            Some(text) => parse_at::<T>(text, at).and_then(|t| match t {
                Some(t) => Ok(t),
                None => serde_yaml::from_value(value.clone()),
            }),
            None => serde_yaml::from_value(value.clone()),
        };
        parsed.map_err(|e| self.serde(at, &e, hint)).ok()
    }

    /// Flags keys of `value` (a mapping) that are not in `fields`; true when all are known.
    pub(crate) fn known_keys(
        &mut self,
        at: &YamlPath,
        value: &Value,
        fields: &[&str],
        what: &str,
    ) -> bool {
        let Value::Mapping(map) = value else {
            return true;
        };
        let mut ok = true;
        for key in map.keys() {
            let key = yaml_scalar(key);
            if !fields.contains(&key.as_str()) {
                ok = false;
                self.error(
                    &at.key(&key),
                    Target::Key,
                    unknown_field(&key, what, fields),
                );
            }
        }
        ok
    }
}

/// `unknown field `hiden` in model; did you mean `hidden`? Expected one of ...`
pub(crate) fn unknown_field(key: &str, what: &str, fields: &[&str]) -> String {
    let hint = match closest(key, fields.iter().copied()) {
        Some(c) => format!("; did you mean `{c}`? Expected"),
        None => "; expected".to_string(),
    };
    format!(
        "unknown field `{key}` in {what}{hint} one of {}",
        list(fields.iter().copied())
    )
}

/// The message for a missing required top-level key (`name` or `base`), shared by the text
/// and the in-code paths so that the two report it once.
pub(crate) fn missing(key: &str) -> String {
    let example = match key {
        "name" => "`name: cells-vs-length` (it names the results folder)",
        _ => "`base: { task: { kind: copy, length: 100 } }` (the run every grid point starts from)",
    };
    format!("missing `{key}`: add {example}")
}
