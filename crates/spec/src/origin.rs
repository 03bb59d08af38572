//! Where a run's value was written: for a message about one run's config (it needs more
//! memory than the machine has) that points at the line to change.
use serde_yaml::Value;

use crate::locate::{locate, Location, Target, YamlPath};
use crate::sweep::yaml_scalar;
use crate::{Run, Sweep};

/// The sweep path and position of the value that set `path` (a config path such as
/// `model.hidden`) in `run`: its grid level, else its variant's override, else `base`. `None`
/// when the sweep leaves it at its default.
pub fn origin(
    sweep: &Sweep,
    text: &str,
    run: &Run,
    path: &str,
) -> Option<(String, Option<Location>)> {
    let segs: Vec<&str> = path.split('.').collect();
    let param = |name: &str| run.params.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    let written = grid_level(sweep, run, path)
        .or_else(|| {
            let variant = param("variant")?;
            let over = sweep.variants.get(variant.as_str())?;
            has(over, &segs).then(|| with(YamlPath::top("variants").key(variant), &segs))
        })
        .or_else(|| has(&sweep.base, &segs).then(|| with(YamlPath::top("base"), &segs)))?;
    Some((written.to_string(), locate(text, &written, Target::Value)))
}

/// The grid level that set `path` in `run`: an axis equal to the path, or above it (an axis
/// of whole mappings).
fn grid_level(sweep: &Sweep, run: &Run, path: &str) -> Option<YamlPath> {
    for (axis, levels) in &sweep.grid {
        let axis = yaml_scalar(axis);
        let below = if path == axis {
            Vec::new()
        } else if let Some(rest) = path.strip_prefix(&format!("{axis}.")) {
            rest.split('.').collect()
        } else {
            continue;
        };
        let level = run
            .params
            .iter()
            .find(|(k, _)| *k == axis)
            .map(|(_, v)| v)?;
        let Value::Sequence(levels) = levels else {
            return None;
        };
        let i = levels.iter().position(|l| yaml_scalar(l) == *level)?;
        if !below.is_empty() && !has(&levels[i], &below) {
            continue;
        }
        return Some(with(YamlPath::top("grid").key(&axis).index(i), &below));
    }
    None
}

fn has(value: &Value, segs: &[&str]) -> bool {
    segs.iter()
        .try_fold(value, |v, k| v.get(*k))
        .is_some_and(|v| !v.is_null())
}

fn with(mut at: YamlPath, segs: &[&str]) -> YamlPath {
    for s in segs {
        at = at.key(s);
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn a_value_is_found_in_the_grid_the_variant_or_base() {
        let text = "name: x\nbase:\n  task: { kind: adding, length: 20 }\n  model: { hidden: 8 }\n\
                    variants:\n  big: { model: { hidden: 64 } }\n  small: {}\n\
                    grid:\n  task.length: [10, 30]\n";
        let e = Sweep::parse_and_expand(text, Path::new("x.yaml")).unwrap();
        let at = |i: usize, path: &str| origin(&e.sweep, text, &e.runs[i], path);
        let (place, loc) = at(0, "model.hidden").unwrap();
        assert_eq!(place, "variants.big.model.hidden");
        assert_eq!(loc.map(|l| (l.line, l.column)), Some((6, 27)));
        assert_eq!(at(2, "model.hidden").unwrap().0, "base.model.hidden");
        let (place, loc) = at(3, "task.length").unwrap();
        assert_eq!(place, "grid.task.length[1]");
        assert_eq!(loc.map(|l| l.line), Some(9));
        assert_eq!(at(0, "train.batch"), None, "left at its default");
    }
}
