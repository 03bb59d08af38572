//! Bounds that keep validation fast and small on any input, checked before the YAML is turned
//! into values: a sweep file is a few kilobytes written by a person, so a file far outside
//! that (megabytes, brackets nested thousands deep, aliases that expand a billion times) is a
//! mistake or an attack and is refused with a located message instead of being parsed.
//!
//! Why each bound is needed (measured on serde_norway 0.9.42, the YAML parser here):
//! * **Flow nesting.** libyaml re-scans its stack of possible simple keys, one entry per open
//!   `[` or `{`, at every token, so a flow collection nested n deep costs O(n²) before any
//!   limit of the deserialiser applies: 100,000 `[` took 20 s, `{a: ` 35 s. [`screen`] counts
//!   brackets in the text first ([`flow_depth`]), which is linear.
//! * **Aliases.** serde_norway refuses more than 100 alias jumps per event, which stops the
//!   classic billion laughs, but not one big anchor replayed a few hundred times: 8³ aliases to
//!   a list of 100,000 numbers built a 4 GB value in 7.5 s. [`screen`] walks the document
//!   without building it, counting values with aliases expanded, and stops at
//!   [`Limits::max_nodes`].
//! * **Size.** Every located error re-reads the text (see `locate.rs`), so the text is bounded.
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::Deserializer;

use serde_yaml::Value;

use crate::expand::Variant;
use crate::locate::{Location, Target, YamlPath};
use crate::validate::Diag;

/// The bounds validation enforces. [`Default`] is what `rnnlab validate` and `rnnlab run` use
/// unless told otherwise (`--max-runs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most runs a sweep may expand to, counted before expanding (variants × grid levels ×
    /// seeds, before `exclude`). Default 100,000: a day of 1-second runs on 2 cores, and what
    /// the report was measured at (docs/benchmarks.md).
    pub max_runs: usize,
    /// Largest sweep file, in bytes. Default 256 KiB, a hundred times the largest committed
    /// sweep.
    pub max_bytes: usize,
    /// Deepest nesting of mappings and lists. Default 32; the schema needs 5
    /// (`grid.task[0].kind` inside the document).
    pub max_depth: usize,
    /// Most values (scalars, lists, mappings) in the document with aliases expanded. Default
    /// 200,000: a 256 KiB file of short numbers has about 130,000.
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_runs: 100_000,
            max_bytes: 256 * 1024,
            max_depth: 32,
            max_nodes: 200_000,
        }
    }
}

impl Limits {
    /// The default bounds on the file, none on the number of runs: for reading sweeps that
    /// have already been run.
    pub fn any_runs() -> Self {
        Self {
            max_runs: usize::MAX,
            ..Self::default()
        }
    }
}

/// Why a text was refused before parsing, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub location: Option<Location>,
    pub message: String,
}

/// Checks size, flow nesting, and (by walking the parsed events without building values) depth
/// and expanded size. Time is linear in the text and bounded by `max_nodes`; nothing is kept.
pub(crate) fn screen(text: &str, limits: &Limits) -> Result<(), Refusal> {
    if text.len() > limits.max_bytes {
        return Err(Refusal {
            location: None,
            message: format!(
                "the file has more than the {} bytes a sweep file may have; a sweep is a few \
                 kilobytes: list levels in `grid` instead of writing runs out, or split the sweep",
                limits.max_bytes
            ),
        });
    }
    if let Some((location, depth)) = flow_depth(text, limits.max_depth) {
        return Err(Refusal {
            location: Some(location),
            message: format!(
                "brackets nested {depth} deep, more than the {} allowed (a sweep needs about 5); \
                 close the open `[` and `{{`",
                limits.max_depth
            ),
        });
    }
    let mut count = Count {
        nodes: 0,
        limits: *limits,
    };
    let walk = Walk {
        depth: 0,
        count: &mut count,
    };
    match walk.deserialize(serde_yaml::Deserializer::from_str(text)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let location = Location::of(&e);
            let mut message = e.to_string();
            if let Some(l) = location {
                if let Some(stripped) = message.strip_suffix(&format!(" at {l}")) {
                    message = stripped.to_owned();
                }
            }
            Err(Refusal {
                location,
                message: format!("not valid YAML: {message}"),
            })
        }
    }
}

/// The first place where `[`/`{` nesting passes `max`, and that depth; `None` when it never
/// does. Errs on the side of counting too deep, never too shallow: every opening bracket outside
/// a comment counts, while a closing one counts only outside quotes and comments, and a quote
/// is taken to open anywhere a YAML quoted scalar could start (anywhere but straight after a
/// letter or digit). A false "too deep" needs 32 unclosed brackets in strings.
pub(crate) fn flow_depth(text: &str, max: usize) -> Option<(Location, usize)> {
    let (mut depth, mut line, mut column) = (0usize, 1usize, 0usize);
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut previous = '\n';
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        column += 1;
        if c == '\n' {
            (line, column, comment) = (line + 1, 0, false);
            previous = c;
            continue;
        }
        if comment {
            continue;
        }
        match (quote, c) {
            // An escape: the next character (an escaped quote, say) cannot close.
            (Some('"'), '\\') if chars.next_if(|&n| n != '\n').is_some() => column += 1,
            (Some('\''), '\'') if chars.peek() == Some(&'\'') => {
                chars.next();
                column += 1;
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), '[' | '{') | (None, '[' | '{') => {
                depth += 1;
                if depth > max {
                    return Some((Location { line, column }, depth));
                }
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            (None, '#') if previous.is_whitespace() => comment = true,
            (None, '\'' | '"') if !previous.is_alphanumeric() => quote = Some(c),
            _ => {}
        }
        previous = c;
    }
    None
}

struct Count {
    nodes: usize,
    limits: Limits,
}

/// Visits every value once (aliases expanded, as serde_norway replays them), keeping nothing.
struct Walk<'c> {
    depth: usize,
    count: &'c mut Count,
}

impl Walk<'_> {
    fn enter<E: de::Error>(&mut self) -> Result<(), E> {
        self.count.nodes += 1;
        if self.count.nodes > self.count.limits.max_nodes {
            return Err(E::custom(format_args!(
                "more than {} values once aliases (`*name`) are expanded; a sweep has a few \
                 hundred: remove the repeated aliases",
                self.count.limits.max_nodes
            )));
        }
        Ok(())
    }

    fn child(&mut self) -> Walk<'_> {
        Walk {
            depth: self.depth + 1,
            count: self.count,
        }
    }
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        self.nest()?;
        while map.next_key_seed(self.child())?.is_some() {
            map.next_value_seed(self.child())?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        self.nest()?;
        while seq.next_element_seed(self.child())?.is_some() {}
        Ok(())
    }

    fn visit_enum<A: de::EnumAccess<'de>>(mut self, data: A) -> Result<(), A::Error> {
        // A tagged value (`!tag x`): the tag, then the value under it.
        use de::VariantAccess;
        self.enter()?;
        let (_, variant) = data.variant::<de::IgnoredAny>()?;
        variant.newtype_variant_seed(self.child())
    }

    crate::walk::every_scalar!((), calls enter);
}

impl Walk<'_> {
    /// Counts a mapping or list and refuses it when it is one level too deep.
    fn nest<E: de::Error>(&mut self) -> Result<(), E> {
        self.enter()?;
        if self.depth >= self.count.limits.max_depth {
            return Err(E::custom(format_args!(
                "nested more than {} levels deep (a sweep needs about 5); flatten this value",
                self.count.limits.max_depth
            )));
        }
        Ok(())
    }
}

/// Refuses a sweep whose run count (variants × levels of each axis × seeds, before `exclude`)
/// passes `--max-runs`, counted without expanding anything: expansion resolves and hashes
/// every run, and 32 million of them took minutes and gigabytes. With a `search`, each
/// variant × grid point counts trials × seeds + the confirmation seeds.
pub(crate) fn too_many_runs(
    variants: &[Variant],
    axes: &[(String, Vec<Value>)],
    seeds: usize,
    search: Option<&crate::Search>,
    diag: &mut Diag<'_>,
) -> bool {
    let mut factors = vec![variants.len().max(1) as u128];
    factors.extend(axes.iter().map(|(_, v)| v.len() as u128));
    let per_point = match search {
        Some(s) => (s.trials as u128)
            .saturating_mul(seeds as u128)
            .saturating_add(s.confirm.seeds.len() as u128),
        None => seeds as u128,
    };
    factors.push(per_point);
    let runs = factors.iter().fold(1u128, |n, f| n.saturating_mul(*f));
    let max = diag.limits.max_runs;
    if runs <= max as u128 {
        return false;
    }
    let mut parts = Vec::new();
    if variants.len() > 1 {
        parts.push(format!("{} variants", variants.len()));
    }
    parts.extend(
        axes.iter()
            .map(|(a, v)| format!("{} levels of {a}", v.len())),
    );
    parts.push(match search {
        Some(s) => format!(
            "({} trials × {seeds} seeds + {} confirmation seeds)",
            s.trials,
            s.confirm.seeds.len()
        ),
        None => format!("{seeds} seeds"),
    });
    let at = if search.is_some() {
        YamlPath::top("search").key("trials")
    } else if axes.is_empty() {
        YamlPath::top("seeds")
    } else {
        YamlPath::top("grid")
    };
    diag.error(
        &at,
        Target::Key,
        format!(
            "the sweep has {runs} runs ({}), more than the {max} allowed: split it into several \
             sweeps, drop levels, or raise the bound with `--max-runs {runs}`",
            parts.join(" × ")
        ),
    );
    true
}

#[cfg(test)]
mod tests;
