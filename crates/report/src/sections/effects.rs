//! "Main effects": how much of the main metric's variance each axis explains; only for a sweep
//! with axes.

use crate::aggregate::Aggregates;
use crate::sinks::Sink;
use crate::tables;
use crate::ReportError;

pub fn write(out: &mut dyn Sink, agg: &Aggregates) -> Result<(), ReportError> {
    let results = agg.results;
    let effects = tables::effects(agg);
    if effects.is_empty() || results.axes.is_empty() {
        return Ok(());
    }
    out.section("Main effects");
    let full: usize = results.axes.iter().map(|a| a.levels.len()).product();
    let with_values = (0..results.groups.len())
        .filter(|&g| !results.group_values(g, &agg.main).is_empty())
        .count();
    let caveat = if with_values < full {
        format!(
            " {} of the {full} grid cells have no value (excluded, or every run failed or diverged), so the axes overlap: each fraction is that axis's share on its own, and together they can exceed 1.",
            full - with_values
        )
    } else {
        String::new()
    };
    out.paragraph(&format!(
        "Fraction of the variance of `{}` explained by each axis alone (functional ANOVA marginals over the grid, as Greff et al. 2017 measure importance), by interactions between axes, and by seeds within a cell.{caveat}",
        agg.main,
    ));
    out.table("main_effects", &effects, true)
}
