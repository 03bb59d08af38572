//! The first key written twice in one mapping, with the positions of both.
//!
//! serde_norway refuses a repeated key while building a value, but reports the position of the
//! mapping that holds it (or none at the top level). [`find`] walks the document again only
//! when parsing failed, remembering each mapping's keys, and fails on the repeat so that the
//! parser stamps the error with the repeated key's own position.
use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserializer;

use crate::locate::{locate, Location, Target, YamlPath};

/// A key that appears twice in the mapping at `path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Duplicate {
    /// The repeated key's path, e.g. `base.model`.
    pub path: YamlPath,
    /// Where the second occurrence is.
    pub location: Option<Location>,
    /// Where the first one is.
    pub first: Option<Location>,
}

/// The first repeated key of `text`, if any. Call after [`crate::limits::screen`], which bounds
/// the walk.
pub(crate) fn find(text: &str) -> Option<Duplicate> {
    let mut found = None;
    let walk = Walk {
        path: YamlPath::root(),
        found: &mut found,
    };
    let location = match walk.deserialize(serde_yaml::Deserializer::from_str(text)) {
        Ok(()) => return None,
        Err(e) => Location::of(&e),
    };
    let path = found?;
    Some(Duplicate {
        first: locate(text, &path, Target::Key),
        path,
        location,
    })
}

struct Walk<'f> {
    path: YamlPath,
    found: &'f mut Option<YamlPath>,
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

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = HashSet::new();
        loop {
            let key = map.next_key_seed(Key {
                seen: &mut seen,
                path: &self.path,
                found: &mut *self.found,
            })?;
            let Some(key) = key else {
                return Ok(());
            };
            map.next_value_seed(Walk {
                path: self.path.key(&key),
                found: &mut *self.found,
            })?;
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        loop {
            let walk = Walk {
                path: self.path.index(index),
                found: &mut *self.found,
            };
            if seq.next_element_seed(walk)?.is_none() {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        use de::VariantAccess;
        let (_, variant) = data.variant::<IgnoredAny>()?;
        variant.newtype_variant_seed(self)
    }

    crate::walk::every_scalar!((), returns Ok(()));
}

/// Reads one key of a mapping as text (kind-tagged, so that `1` and `"1"` differ as they do
/// in a YAML mapping) and fails on a repeat.
struct Key<'s> {
    seen: &'s mut HashSet<(u8, String)>,
    path: &'s YamlPath,
    found: &'s mut Option<YamlPath>,
}

impl Key<'_> {
    fn check<E: de::Error>(self, kind: u8, text: String) -> Result<String, E> {
        if self.seen.insert((kind, text.clone())) {
            return Ok(text);
        }
        *self.found = Some(self.path.key(&text));
        Err(E::custom("duplicate key"))
    }
}

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Key<'_> {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        self.check(0, v.to_owned())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        self.check(1, v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        self.check(2, v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        self.check(2, v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        self.check(3, v.to_string())
    }
    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        self.check(4, "null".to_owned())
    }
    // A key that is itself a mapping or list is rare; walk it, and never call it a repeat.
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<String, A::Error> {
        let walk = Walk {
            path: self.path.clone(),
            found: self.found,
        };
        walk.visit_map(map).map(|()| "{...}".to_owned())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<String, A::Error> {
        let walk = Walk {
            path: self.path.clone(),
            found: self.found,
        };
        walk.visit_seq(seq).map(|()| "[...]".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nested_repeat_is_located_at_both_keys() {
        let text =
            "name: x\nbase:\n  task: {kind: adding}\n  model: {hidden: 8}\n  model: {hidden: 9}\n";
        let d = find(text).expect("a duplicate");
        assert_eq!(d.path.to_string(), "base.model");
        assert_eq!(d.location, Some(Location { line: 5, column: 3 }));
        assert_eq!(d.first, Some(Location { line: 4, column: 3 }));
    }

    #[test]
    fn a_top_level_and_a_flow_repeat_are_found() {
        let d = find("name: x\nname: y\n").expect("a duplicate");
        assert_eq!(d.path.to_string(), "name");
        assert_eq!(d.location, Some(Location { line: 2, column: 1 }));
        let d = find("grid:\n  x: [{a: 1, a: 2}]\n").expect("a duplicate");
        assert_eq!(d.path.to_string(), "grid.x[0].a");
        assert_eq!(d.location.map(|l| l.line), Some(2));
    }

    #[test]
    fn equal_keys_in_different_mappings_and_of_different_types_are_not_repeats() {
        assert_eq!(find("a: {x: 1}\nb: {x: 1}\nc: {1: a, '1': b}\n"), None);
    }
}
