//! A sweep's axes as the report shows them, and the order of their levels in tables and
//! charts.

/// One axis of the sweep: a parameter that varies across runs (the seed excluded).
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub name: String,
    /// Its levels, in display order: numeric order when every level is a number, else the
    /// order of the sweep file, else alphabetical.
    pub levels: Vec<String>,
    pub numeric: bool,
}

impl Axis {
    /// `task.length` → `length`: the name used in legends.
    pub fn short(&self) -> &str {
        short_name(&self.name)
    }
}

/// The last part of a dotted parameter name.
fn short_name(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// An axis with its levels in display order; `written`: the sweep's axes with their levels in
/// the order of the sweep file ([`Sweep::axes`]).
pub(super) fn order_levels(
    name: &str,
    mut levels: Vec<String>,
    written: &[(String, Vec<String>)],
) -> Axis {
    let numbers: Option<Vec<f64>> = levels.iter().map(|l| l.parse::<f64>().ok()).collect();
    if let Some(mut pairs) = numbers.map(|n| n.into_iter().zip(levels.clone()).collect::<Vec<_>>())
    {
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        return Axis {
            name: name.to_string(),
            levels: pairs.into_iter().map(|(_, l)| l).collect(),
            numeric: true,
        };
    }
    let written: &[String] = written
        .iter()
        .find(|(axis, _)| axis == name)
        .map(|(_, levels)| &levels[..])
        .unwrap_or_default();
    levels.sort_by_key(|l| {
        (
            written.iter().position(|w| w == l).unwrap_or(usize::MAX),
            l.clone(),
        )
    });
    Axis {
        name: name.to_string(),
        levels,
        numeric: false,
    }
}
