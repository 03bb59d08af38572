//! From sweep text to a [`Sweep`]: YAML syntax, top-level keys, and the shape of each part,
//! collecting every error (with its position) instead of stopping at the first.
//!
//! Each top-level part is parsed on its own with [`parse_at`], so serde's messages keep their
//! exact positions and one bad part does not hide the others. The config-level checks that need
//! the whole sweep live in `expand.rs`.
use serde_yaml::{Mapping, Value};

pub(crate) use crate::diagnostics::{missing, unknown_field, Diag};
use crate::hints::check_chart_yaml;
use crate::limits::screen;
use crate::locate::{Location, Target, YamlPath};
use crate::schema::fields_of;
use crate::{Claim, ReportHints, SpecError, Sweep};

/// Parses sweep text into a [`Sweep`], recording every problem of syntax and shape. Parts that
/// do not parse are left at their defaults so that the remaining checks still run; the caller
/// must not use the result when errors were recorded.
pub(crate) fn parse_sweep(text: &str, diag: &mut Diag<'_>) -> Option<Sweep> {
    if let Err(refusal) = screen(text, &diag.limits) {
        let at = refusal
            .location
            .map(|l| format!(" at {l}"))
            .unwrap_or_default();
        diag.errors.push(SpecError::Yaml {
            path: diag.file.clone(),
            location: refusal.location,
            message: format!("{}{at}", refusal.message),
        });
        return None;
    }
    let doc: Value = match serde_yaml::from_str(text) {
        Ok(doc) => doc,
        Err(e) => {
            diag.errors.push(match crate::duplicates::find(text) {
                Some(d) => SpecError::Invalid {
                    path: diag.file.clone(),
                    at: d.path.to_string(),
                    location: d.location,
                    message: format!(
                        "this key is written twice in the same mapping{}; keep one (YAML \
                         does not merge them, and which would win is not defined)",
                        d.first
                            .map(|l| format!(" (first at {l})"))
                            .unwrap_or_default()
                    ),
                },
                None => SpecError::Yaml {
                    path: diag.file.clone(),
                    location: Location::of(&e),
                    message: too_large(&e.to_string())
                        .unwrap_or_else(|| format!("not valid YAML: {e}")),
                },
            });
            return None;
        }
    };
    let root = YamlPath::root();
    let Value::Mapping(map) = &doc else {
        diag.error(
            &root,
            Target::Value,
            "a sweep is a YAML mapping with at least `name:` and `base:`; see docs/sweeps.md",
        );
        return None;
    };
    let fields = fields_of::<Sweep>();
    diag.known_keys(&root, &doc, fields, "the sweep");
    for key in ["name", "base"] {
        if !map.contains_key(key) {
            diag.error(&YamlPath::top(key), Target::Value, missing(key));
        }
    }
    let get = |key: &str| map.get(key).filter(|v| !v.is_null());
    let mut sweep = Sweep {
        name: String::new(),
        description: String::new(),
        base: Value::Mapping(Mapping::new()),
        grid: Mapping::new(),
        variants: Mapping::new(),
        seeds: vec![1],
        exclude: Vec::new(),
        claims: Vec::new(),
        report: ReportHints::default(),
        search: None,
        eval: Default::default(),
    };
    macro_rules! field {
        ($key:literal, $slot:expr, $hint:literal) => {
            if let Some(v) = get($key) {
                if let Some(parsed) = diag.part(&YamlPath::top($key), v, $hint) {
                    $slot = parsed;
                }
            }
        };
    }
    field!("name", sweep.name, "write e.g. `name: cells-vs-length`");
    field!(
        "description",
        sweep.description,
        "write one or two sentences"
    );
    field!("base", sweep.base, "");
    field!(
        "grid",
        sweep.grid,
        "`grid` maps dotted paths to lists, e.g. `grid: { model.cell: [lstm, gru] }`"
    );
    field!(
        "variants",
        sweep.variants,
        "`variants` maps names to partial overrides, e.g. `variants: { deep: { model: { layers: 3 } } }`"
    );
    field!(
        "seeds",
        sweep.seeds,
        "seeds are whole numbers from 0, e.g. `seeds: [1, 2, 3]`"
    );
    field!(
        "exclude",
        sweep.exclude,
        "`exclude` is a list of partial matches, e.g. `- { model.cell: rnn_tanh, task.length: 200 }`"
    );
    if !map.contains_key("base") {
        sweep.base = Value::Null;
    }
    merge_keys(&mut sweep.base, "base", diag);
    sweep.grid = merge_keys_in(std::mem::take(&mut sweep.grid), "grid", diag);
    sweep.variants = merge_keys_in(std::mem::take(&mut sweep.variants), "variants", diag);
    if map.get("seeds").is_some_and(Value::is_null) {
        sweep.seeds = Vec::new();
    }
    if let Some(claims) = get("claims") {
        sweep.claims = parse_claims(claims, diag);
    }
    if let Some(report) = get("report") {
        if let Some(hints) = parse_report(report, diag) {
            sweep.report = hints;
        }
    }
    field!(
        "eval",
        sweep.eval,
        "`eval` maps set names to lists of files, e.g. `eval: { handcrafted: [ { data: experiments/data/agreement-handcrafted.tsv } ] }`"
    );
    if let Some(search) = get("search") {
        sweep.search = crate::search::parse_search(search, diag);
    }
    Some(sweep)
}

/// serde_norway reads a whole number beyond 64 bits as a u128 or i128, which no YAML value
/// holds: say so (found by tests/fuzz.rs) instead of "invalid type ... expected any YAML value".
fn too_large(message: &str) -> Option<String> {
    let rest = message.split_once("invalid type: integer `")?.1;
    let (number, rest) = rest.split_once('`')?;
    if !(rest.starts_with(" as u128") || rest.starts_with(" as i128")) {
        return None;
    }
    let place = message.split_once(": invalid type").map_or("", |(p, _)| p);
    let at = rest
        .rsplit_once(" at line ")
        .map(|(_, l)| format!(" at line {l}"));
    Some(format!(
        "{place}: the number {number} does not fit in 64 bits; no setting takes one this \
         large{}",
        at.unwrap_or_default()
    ))
}

/// Resolves YAML merge keys (`<<: *defaults`) in a part, so that shared settings can be
/// written once with an anchor. Keys merged in are located at the anchor's mapping, if at all.
fn merge_keys(value: &mut Value, key: &str, diag: &mut Diag<'_>) {
    if let Err(e) = value.apply_merge() {
        diag.error(
            &YamlPath::top(key),
            Target::Value,
            format!("{e}; `<<:` takes an alias of a mapping, e.g. `<<: *defaults`"),
        );
    }
}

fn merge_keys_in(map: Mapping, key: &str, diag: &mut Diag<'_>) -> Mapping {
    let mut value = Value::Mapping(map);
    merge_keys(&mut value, key, diag);
    match value {
        Value::Mapping(map) => map,
        _ => Mapping::new(),
    }
}

fn parse_claims(claims: &Value, diag: &mut Diag<'_>) -> Vec<Claim> {
    let at = YamlPath::top("claims");
    let Value::Sequence(items) = claims else {
        diag.error(
            &at,
            Target::Value,
            "`claims` is a list of claims, each `- { name, metric, by, expect }`",
        );
        return Vec::new();
    };
    let fields = fields_of::<Claim>();
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = at.index(i);
        if !item.is_mapping() {
            diag.error(
                &at,
                Target::Value,
                "a claim is a mapping `{ name, metric, by, expect }` (and optional `where`)",
            );
        } else if diag.known_keys(&at, item, fields, "a claim") {
            let mut complete = true;
            for (key, example) in [
                ("name", "`name: gated cells beat the vanilla RNN`"),
                ("metric", "`metric: final.accuracy`"),
                ("by", "`by: model.cell`"),
                ("expect", "`expect: lstm > rnn_tanh`"),
            ] {
                if item.get(key).is_none() {
                    complete = false;
                    diag.error(
                        &at,
                        Target::Value,
                        format!("the claim has no `{key}`: add e.g. {example}"),
                    );
                }
            }
            if let Some(claim) = complete.then(|| diag.part(&at, item, "")).flatten() {
                out.push(claim);
            }
        }
    }
    out
}

fn parse_report(report: &Value, diag: &mut Diag<'_>) -> Option<ReportHints> {
    let at = YamlPath::top("report");
    if !report.is_mapping() {
        diag.error(
            &at,
            Target::Value,
            "`report` is a mapping: `{ metric: final.accuracy, charts: [curves, ...] }`",
        );
        return None;
    }
    let mut ok = diag.known_keys(&at, report, fields_of::<ReportHints>(), "report");
    match report.get("charts") {
        None | Some(Value::Null) => {}
        Some(Value::Sequence(charts)) => {
            for (i, chart) in charts.iter().enumerate() {
                let at = at.key("charts").index(i);
                for (key, message) in check_chart_yaml(chart) {
                    ok = false;
                    match key {
                        Some(k) if k == "kind" => diag.error(&at.key(&k), Target::Value, message),
                        Some(k) => diag.error(&at.key(&k), Target::Key, message),
                        None => diag.error(&at, Target::Value, message),
                    }
                }
            }
        }
        Some(_) => {
            ok = false;
            diag.error(
                &at.key("charts"),
                Target::Value,
                "`charts` is a list, e.g. `[curves, { kind: versus, x: task.length }]`",
            );
        }
    }
    if ok {
        diag.part(&at, report, "")
    } else {
        None
    }
}

#[cfg(test)]
mod tests;
