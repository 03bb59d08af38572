//! Paths into the sweep's YAML and their `line:column` in the source text.
//!
//! serde_norway stamps every error raised while deserialising a node with that node's position.
//! So instead of a second, hand-written YAML parser, [`locate`] drives the real parser down to
//! the node and deserialises it with a type that always fails, and reads the position off the
//! error; [`parse_at`] does the same with a real type, so that one part of the file can be
//! parsed on its own with exact positions in its errors.
use std::fmt;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde::Deserializer;

/// One step of a [`YamlPath`]: a mapping key or a list index.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// Where a value sits in the sweep file, e.g. `base.model.hidden` or `grid.model.cell[2]`.
///
/// Keys are joined with `.` even when a key itself contains dots (grid axes such as
/// `model.cell`): the text is for people; the segments are what is matched.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct YamlPath(pub Vec<Seg>);

impl YamlPath {
    /// The whole document.
    pub fn root() -> Self {
        Self(Vec::new())
    }

    /// A top-level key, e.g. `YamlPath::top("grid")`.
    pub fn top(key: &str) -> Self {
        Self::root().key(key)
    }

    /// This path extended by a mapping key.
    pub fn key(&self, key: &str) -> Self {
        let mut segs = self.0.clone();
        segs.push(Seg::Key(key.to_owned()));
        Self(segs)
    }

    /// This path extended by a list index.
    pub fn index(&self, index: usize) -> Self {
        let mut segs = self.0.clone();
        segs.push(Seg::Index(index));
        Self(segs)
    }
}

impl fmt::Display for YamlPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(top level)");
        }
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) if i == 0 => f.write_str(k)?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// A 1-based position in the sweep file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

impl Location {
    pub(crate) fn of(error: &serde_yaml::Error) -> Option<Location> {
        error.location().map(|l| Location {
            line: l.line(),
            column: l.column(),
        })
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {} column {}", self.line, self.column)
    }
}

/// Which position of a mapping entry to report: its key (for unknown keys) or its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Key,
    Value,
}

/// The position of the key or value at `path` in `text`, if the path exists there.
pub(crate) fn locate(text: &str, path: &YamlPath, target: Target) -> Option<Location> {
    let target = if path.0.is_empty() {
        Target::Value
    } else {
        target
    };
    let walk = Walk {
        rest: &path.0,
        target,
        node: Fail,
    };
    match walk.deserialize(serde_yaml::Deserializer::from_str(text)) {
        Ok(_) => None,
        Err(e) => Location::of(&e),
    }
}

/// Deserialises the node at `path` in `text` as a `T`; errors carry the node's position and
/// serde_norway's path from the root. `Ok(None)` when the path does not exist.
pub(crate) fn parse_at<T: DeserializeOwned>(
    text: &str,
    path: &YamlPath,
) -> Result<Option<T>, serde_yaml::Error> {
    let mut out = None;
    let walk = Walk {
        rest: &path.0,
        target: Target::Value,
        node: Parse(&mut out),
    };
    walk.deserialize(serde_yaml::Deserializer::from_str(text))?;
    Ok(out)
}

/// What to do on reaching the node.
trait AtNode {
    fn visit<'de, D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error>;
}

/// Fails on any node, so that the parser stamps the error with the node's position.
struct Fail;

impl AtNode for Fail {
    fn visit<'de, D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(FailVisitor)
    }
}

struct FailVisitor;

impl Visitor<'_> for FailVisitor {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Every visit_* defaults to an "invalid type" error: that error is the point.
        f.write_str("nothing (locating a node)")
    }
}

struct Parse<'o, T>(&'o mut Option<T>);

impl<T: DeserializeOwned> AtNode for Parse<'_, T> {
    fn visit<'de, D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        *self.0 = Some(T::deserialize(d)?);
        Ok(())
    }
}

/// Walks down `rest`, skipping every other node; `Ok(true)` when the node was reached.
struct Walk<'p, N> {
    rest: &'p [Seg],
    target: Target,
    node: N,
}

impl<'de, N: AtNode> DeserializeSeed<'de> for Walk<'_, N> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        if self.rest.is_empty() {
            self.node.visit(d)?;
            return Ok(true);
        }
        d.deserialize_any(self)
    }
}

impl<'de, N: AtNode> Visitor<'de> for Walk<'_, N> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let Some(Seg::Key(want)) = self.rest.first() else {
            return skip_map(map);
        };
        let key_is_goal = self.rest.len() == 1 && self.target == Target::Key;
        let mut found = false;
        let mut node = Some(self.node);
        while let Some(key) = map.next_key_seed(KeySeed {
            want,
            fail_on_match: key_is_goal,
        })? {
            match node.take() {
                Some(n) if !found && key == *want => {
                    found = map.next_value_seed(Walk {
                        rest: &self.rest[1..],
                        target: self.target,
                        node: n,
                    })?;
                }
                other => {
                    node = other;
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(found)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        let Some(&Seg::Index(want)) = self.rest.first() else {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(false);
        };
        let mut index = 0;
        let mut found = false;
        let mut node = Some(self.node);
        loop {
            let more = match node.take() {
                Some(n) if index == want => {
                    let walk = Walk {
                        rest: &self.rest[1..],
                        target: self.target,
                        node: n,
                    };
                    seq.next_element_seed(walk)?.inspect(|&f| found = f)
                }
                other => {
                    node = other;
                    seq.next_element::<IgnoredAny>()?.map(|_| false)
                }
            };
            if more.is_none() {
                return Ok(found);
            }
            index += 1;
        }
    }

    // Scalars: the path goes on below a leaf, so it does not exist.
    crate::walk::every_scalar!(bool, returns Ok(false));
}

fn skip_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<bool, A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(false)
}

/// Reads a mapping key as text; fails on the wanted key when the key itself is the goal.
struct KeySeed<'w> {
    want: &'w str,
    fail_on_match: bool,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }
}

impl KeySeed<'_> {
    fn text<E: de::Error>(&self, text: String) -> Result<String, E> {
        if self.fail_on_match && text == self.want {
            return Err(E::custom("located"));
        }
        Ok(text)
    }
}

impl Visitor<'_> for KeySeed<'_> {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a scalar key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        self.text(v.to_owned())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        self.text(v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        self.text(v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        self.text(v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        self.text(v.to_string())
    }
    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        self.text("null".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
name: x
base:
  model: { cell: lstm, hidden: 32 }
  train:
    lr: 0.1
    clip:
      kind: norm
grid:
  model.cell: [rnn_tanh, lstm,
    gru]
claims:
  - name: a
  - name: b
    by: model.cell
";

    fn at(path: YamlPath, target: Target) -> Option<(usize, usize)> {
        locate(TEXT, &path, target).map(|l| (l.line, l.column))
    }

    #[test]
    fn finds_values_in_block_and_flow_mappings() {
        let model = YamlPath::top("base").key("model");
        assert_eq!(at(model.key("hidden"), Target::Value), Some((3, 32)));
        assert_eq!(at(model.key("hidden"), Target::Key), Some((3, 24)));
        let train = YamlPath::top("base").key("train");
        assert_eq!(at(train.key("lr"), Target::Value), Some((5, 9)));
        assert_eq!(at(train.key("clip").key("kind"), Target::Key), Some((7, 7)));
    }

    #[test]
    fn finds_list_elements_and_dotted_keys() {
        let axis = YamlPath::top("grid").key("model.cell");
        assert_eq!(at(axis.index(2), Target::Value), Some((10, 5)));
        let by = YamlPath::top("claims").index(1).key("by");
        assert_eq!(at(by, Target::Value), Some((14, 9)));
    }

    #[test]
    fn missing_paths_have_no_location() {
        assert_eq!(at(YamlPath::top("base").key("stop"), Target::Value), None);
        assert_eq!(at(YamlPath::top("name").key("x"), Target::Value), None);
        assert_eq!(at(YamlPath::top("claims").index(5), Target::Value), None);
    }

    #[test]
    fn parses_one_part_with_positions() {
        let lr: Option<f64> =
            parse_at(TEXT, &YamlPath::top("base").key("train").key("lr")).unwrap();
        assert_eq!(lr, Some(0.1));
        let err = parse_at::<u64>(TEXT, &YamlPath::top("name")).unwrap_err();
        assert_eq!(Location::of(&err).map(|l| l.line), Some(1));
    }

    #[test]
    fn paths_read_like_the_yaml() {
        let p = YamlPath::top("grid").key("model.cell").index(2);
        assert_eq!(p.to_string(), "grid.model.cell[2]");
        assert_eq!(YamlPath::root().to_string(), "(top level)");
    }
}
