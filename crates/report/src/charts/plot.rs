//! The one renderer every chart kind uses: lines with confidence bands or whiskers, dashed
//! baselines, or grouped bars with intervals, on a linear or log10 scale, with the legend in
//! its own panel to the right of the plot so that it can never cover data.
//!
//! Log scales are done by transforming the data and labelling the ticks, not with plotters'
//! log coordinates: every chart then has the same coordinate type, and tick positions are
//! exactly the ones chosen here (the sweep's levels on a level axis, decades on a log axis).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::table::num;

/// Pixel size of every chart.
pub const SIZE: (u32, u32) = (960, 560);
const FONT: &str = "sans-serif";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    Linear,
    Log10,
}

impl Scale {
    fn to(self, v: f64) -> f64 {
        match self {
            Scale::Linear => v,
            Scale::Log10 => v.log10(),
        }
    }

    fn usable(self, v: f64) -> bool {
        v.is_finite() && (self == Scale::Linear || v > 0.0)
    }
}

/// A line of a chart: mean values, optionally a band or whiskers for the interval.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Line {
    pub label: String,
    pub points: Vec<(f64, f64)>,
    /// (x, low, high): drawn as a shaded band.
    pub band: Vec<(f64, f64, f64)>,
    /// (x, low, high): drawn as error bars.
    pub whiskers: Vec<(f64, f64, f64)>,
    /// Dashed, in grey: a no-learning baseline.
    pub baseline: bool,
    pub markers: bool,
}

/// Grouped bars: `values[group][series]` = (mean, low, high).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Bars {
    pub groups: Vec<String>,
    pub series: Vec<String>,
    pub values: Vec<Vec<Option<(f64, f64, f64)>>>,
}

/// Everything a chart shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Plot {
    pub title: String,
    /// A second, smaller line under the title (what is averaged, what is left out).
    pub note: String,
    pub x_label: String,
    pub y_label: String,
    pub x_scale: Scale,
    pub y_scale: Scale,
    /// Tick positions and labels on the x axis (levels); None: round numbers.
    pub x_ticks: Option<Vec<(f64, String)>>,
    /// Force the y range (in data units), e.g. 0..1 for accuracies and rates.
    pub y_range: Option<(f64, f64)>,
    pub lines: Vec<Line>,
    pub bars: Option<Bars>,
}

impl Plot {
    pub fn new(
        title: impl Into<String>,
        x_label: impl Into<String>,
        y_label: impl Into<String>,
    ) -> Plot {
        Plot {
            title: title.into(),
            note: String::new(),
            x_label: x_label.into(),
            y_label: y_label.into(),
            x_scale: Scale::Linear,
            y_scale: Scale::Linear,
            x_ticks: None,
            y_range: None,
            lines: Vec::new(),
            bars: None,
        }
    }

    /// True when there is nothing to draw.
    pub fn is_empty(&self) -> bool {
        self.lines.iter().all(|l| l.points.is_empty())
            && self.bars.as_ref().is_none_or(|b| b.groups.is_empty())
    }
}

/// Okabe & Ito's colour-blind-safe palette (yellow left out: too light on white), then a few
/// darker extras.
const PALETTE: [RGBColor; 10] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
    RGBColor(120, 80, 30),
    RGBColor(90, 90, 160),
    RGBColor(40, 110, 60),
];
const BASELINE: RGBColor = RGBColor(110, 110, 110);

pub fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// An axis with exactly the tick positions chosen here. plotters' own `with_key_points` does
/// not offer its label formatter for f64 ranges, so this small [`Ranged`] does the mapping.
#[derive(Clone)]
struct AxisMap {
    lo: f64,
    hi: f64,
    ticks: Vec<(f64, String)>,
}

impl Ranged for AxisMap {
    type FormatOption = plotters::coord::ranged1d::DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let f = (value - self.lo) / (self.hi - self.lo);
        (limit.0 as f64 + f * (limit.1 - limit.0) as f64).round() as i32
    }

    fn key_points<Hint: plotters::coord::ranged1d::KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        // Bold points only: no light grid lines between ticks.
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.iter().map(|t| t.0).collect()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.lo..self.hi
    }
}

impl AxisMap {
    fn label(&self, v: f64) -> String {
        let tol = 1e-9 * (self.hi - self.lo).abs().max(1e-12);
        self.ticks
            .iter()
            .find(|(t, _)| (t - v).abs() <= tol)
            .map(|(_, l)| l.clone())
            .unwrap_or_default()
    }
}

/// Round-number ticks (1, 2 or 5 × 10^k apart) covering lo..hi, about `target` of them.
fn nice_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    let span = hi - lo;
    if span <= 0.0 || !span.is_finite() {
        return vec![lo];
    }
    let raw = span / target as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

fn axis(scale: Scale, values: &[f64], forced: Option<(f64, f64)>, pad: bool) -> AxisMap {
    let t: Vec<f64> = values
        .iter()
        .filter(|v| scale.usable(**v))
        .map(|v| scale.to(*v))
        .collect();
    let (mut lo, mut hi) = match forced {
        Some((a, b)) if scale.usable(a) && scale.usable(b) => (scale.to(a), scale.to(b)),
        _ => {
            let lo = t.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = t.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if lo.is_finite() {
                (lo, hi)
            } else {
                (0.0, 1.0)
            }
        }
    };
    if hi - lo <= 1e-12 * lo.abs().max(1.0) {
        let d = if scale == Scale::Log10 {
            0.5
        } else {
            0.5 * lo.abs().max(1.0)
        };
        lo -= d;
        hi += d;
    } else if pad && forced.is_none() {
        let d = 0.05 * (hi - lo);
        lo -= d;
        hi += d;
    } else if forced.is_some() {
        // A little air so that lines on the limits (accuracy 1.0) stay visible.
        let d = 0.02 * (hi - lo);
        lo -= d;
        hi += d;
    }
    let ticks = match scale {
        Scale::Linear => nice_ticks(lo, hi, 6)
            .into_iter()
            .map(|v| (v, num(v, 4)))
            .collect(),
        Scale::Log10 => {
            let mut exps: Vec<f64> = ((lo.ceil() as i64)..=(hi.floor() as i64))
                .map(|e| e as f64)
                .collect();
            if exps.len() < 2 {
                // Less than a decade: add 2× and 5× marks.
                let mut more = Vec::new();
                for e in (lo.floor() as i64)..=(hi.ceil() as i64) {
                    for m in [1.0, 2.0, 5.0] {
                        let v = (m * 10f64.powi(e as i32)).log10();
                        if v >= lo && v <= hi {
                            more.push(v);
                        }
                    }
                }
                exps = more;
            }
            // At most about 8 decade labels.
            let stride = exps.len().div_ceil(8).max(1);
            exps.into_iter()
                .step_by(stride)
                .map(|e| (e, num(10f64.powf(e), 3)))
                .collect()
        }
    };
    AxisMap { lo, hi, ticks }
}

/// An interval as a vertical line with 8-pixel caps (data coordinates for the line, pixel
/// offsets for the caps, so caps keep their size on any scale).
fn whisker<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<AxisMap, AxisMap>>,
    x: f64,
    lo: f64,
    hi: f64,
    style: ShapeStyle,
) -> Result<(), String> {
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(x, lo), (x, hi)],
            style,
        )))
        .map_err(fail)?;
    chart
        .draw_series(
            [lo, hi]
                .into_iter()
                .map(|y| EmptyElement::at((x, y)) + PathElement::new(vec![(-4, 0), (4, 0)], style)),
        )
        .map_err(fail)?;
    Ok(())
}

fn fail<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

/// Shortens `text` with an ellipsis until it fits `width` pixels in `font`.
fn fit<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    font: &TextStyle,
    width: u32,
) -> String {
    let fits = |s: &str| {
        area.estimate_text_size(s, font)
            .map(|(w, _)| w <= width)
            .unwrap_or(true)
    };
    if fits(text) {
        return text.to_string();
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let s: String = chars.iter().collect::<String>() + "…";
        if fits(&s) {
            return s;
        }
    }
    String::new()
}

/// Draws `plot` on `root`.
pub fn draw<DB: DrawingBackend>(plot: &Plot, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
    root.fill(&WHITE).map_err(fail)?;
    let (w, _h) = root.dim_in_pixel();
    let legend_font: TextStyle = (FONT, 14).into_font().color(&BLACK);
    let mut entries: Vec<(String, RGBColor, bool)> = Vec::new();
    if let Some(bars) = &plot.bars {
        for (i, s) in bars.series.iter().enumerate() {
            entries.push((s.clone(), color(i), false));
        }
    }
    let mut colour_index = 0;
    let mut line_colours = Vec::new();
    for line in &plot.lines {
        let c = if line.baseline {
            BASELINE
        } else {
            colour_index += 1;
            color(colour_index - 1)
        };
        line_colours.push(c);
        if !line.label.is_empty() {
            entries.push((line.label.clone(), c, line.baseline));
        }
    }
    let widest = entries
        .iter()
        .map(|(l, ..)| {
            root.estimate_text_size(l, &legend_font)
                .map(|s| s.0)
                .unwrap_or(0)
        })
        .max()
        .unwrap_or(0);
    let legend_w = if entries.is_empty() {
        0
    } else {
        (widest + 56).min(w * 2 / 5)
    };
    let (left, legend) = root.split_horizontally(w - legend_w);
    let title_h = if plot.note.is_empty() { 40 } else { 60 };
    let (top, body) = left.split_vertically(title_h);
    let title_font: TextStyle = (FONT, 20).into_font().color(&BLACK);
    let note_font: TextStyle = (FONT, 13).into_font().color(&RGBColor(80, 80, 80));
    let (lw, _) = left.dim_in_pixel();
    top.draw(&Text::new(
        fit(root, &plot.title, &title_font, lw.saturating_sub(24)),
        (12, 10),
        title_font.clone(),
    ))
    .map_err(fail)?;
    if !plot.note.is_empty() {
        top.draw(&Text::new(
            fit(root, &plot.note, &note_font, lw.saturating_sub(24)),
            (12, 36),
            note_font.clone(),
        ))
        .map_err(fail)?;
    }

    // Axes.
    let (x, y) = if let Some(bars) = &plot.bars {
        let n = bars.groups.len().max(1);
        let x = AxisMap {
            lo: -0.5,
            hi: n as f64 - 0.5,
            ticks: bars
                .groups
                .iter()
                .enumerate()
                .map(|(i, g)| (i as f64, g.clone()))
                .collect(),
        };
        let mut ys = vec![0.0];
        for (_, lo, hi) in bars.values.iter().flatten().flatten() {
            ys.extend([*lo, *hi]);
        }
        for (m, ..) in bars.values.iter().flatten().flatten() {
            ys.push(*m);
        }
        (x, axis(plot.y_scale, &ys, plot.y_range, true))
    } else {
        let mut xs = Vec::new();
        let mut ys = Vec::new();
        for line in &plot.lines {
            xs.extend(line.points.iter().map(|p| p.0));
            ys.extend(line.points.iter().map(|p| p.1));
            for (_, lo, hi) in line.band.iter().chain(&line.whiskers) {
                ys.extend([*lo, *hi]);
            }
        }
        let x = match &plot.x_ticks {
            Some(ticks) => {
                let pos: Vec<f64> = ticks.iter().map(|t| t.0).collect();
                let mut a = axis(plot.x_scale, &pos, None, true);
                a.ticks = ticks
                    .iter()
                    .filter(|t| plot.x_scale.usable(t.0))
                    .map(|(v, l)| (plot.x_scale.to(*v), l.clone()))
                    .collect();
                a
            }
            None => axis(plot.x_scale, &xs, None, false),
        };
        (x, axis(plot.y_scale, &ys, plot.y_range, true))
    };
    let mut chart = ChartBuilder::on(&body)
        .margin_left(12)
        .margin_right(20)
        .margin_bottom(8)
        .x_label_area_size(52)
        .y_label_area_size(76)
        .build_cartesian_2d(x.clone(), y.clone())
        .map_err(fail)?;
    let x_fmt = |v: &f64| x.label(*v);
    let y_fmt = |v: &f64| y.label(*v);
    chart
        .configure_mesh()
        .x_desc(plot.x_label.as_str())
        .y_desc(plot.y_label.as_str())
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .label_style((FONT, 13).into_font().color(&BLACK))
        .axis_desc_style((FONT, 15).into_font().color(&BLACK))
        .bold_line_style(BLACK.mix(0.08))
        .axis_style(BLACK.mix(0.6))
        .draw()
        .map_err(fail)?;

    let (xs, ys) = (plot.x_scale, plot.y_scale);
    let pt = |p: (f64, f64)| (xs.to(p.0), ys.to(p.1));
    let ok = |p: &(f64, f64)| xs.usable(p.0) && ys.usable(p.1);

    if let Some(bars) = &plot.bars {
        let k = bars.series.len().max(1) as f64;
        let width = 0.8 / k;
        for (g, row) in bars.values.iter().enumerate() {
            for (s, v) in row.iter().enumerate() {
                let Some((mean, lo, hi)) = v else { continue };
                let x0 = g as f64 - 0.4 + s as f64 * width;
                let x1 = x0 + width * 0.92;
                let base = if ys == Scale::Log10 { y.lo } else { 0.0 };
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x0, base), (x1, ys.to(*mean))],
                        color(s).mix(0.85).filled(),
                    )))
                    .map_err(fail)?;
                if lo.is_finite() && hi.is_finite() && ys.usable(*lo) && ys.usable(*hi) {
                    let xm = 0.5 * (x0 + x1);
                    whisker(
                        &mut chart,
                        xm,
                        ys.to(*lo),
                        ys.to(*hi),
                        BLACK.stroke_width(1),
                    )?;
                }
            }
        }
    }

    for (line, c) in plot.lines.iter().zip(&line_colours) {
        let band: Vec<(f64, f64, f64)> = line
            .band
            .iter()
            .filter(|(x, lo, hi)| xs.usable(*x) && ys.usable(*lo) && ys.usable(*hi))
            .map(|(x, lo, hi)| (xs.to(*x), ys.to(*lo), ys.to(*hi)))
            .collect();
        if band.len() >= 2 {
            let mut poly: Vec<(f64, f64)> = band.iter().map(|(x, _, hi)| (*x, *hi)).collect();
            poly.extend(band.iter().rev().map(|(x, lo, _)| (*x, *lo)));
            chart
                .draw_series(std::iter::once(Polygon::new(poly, c.mix(0.15).filled())))
                .map_err(fail)?;
        }
        let points: Vec<(f64, f64)> = line
            .points
            .iter()
            .filter(|p| ok(p))
            .map(|p| pt(*p))
            .collect();
        if line.baseline {
            chart
                .draw_series(DashedLineSeries::new(
                    points.clone(),
                    8,
                    6,
                    c.stroke_width(2),
                ))
                .map_err(fail)?;
        } else {
            chart
                .draw_series(LineSeries::new(points.clone(), c.stroke_width(2)))
                .map_err(fail)?;
        }
        if line.markers {
            chart
                .draw_series(points.iter().map(|p| Circle::new(*p, 4, c.filled())))
                .map_err(fail)?;
        }
        for (x, lo, hi) in &line.whiskers {
            if xs.usable(*x) && ys.usable(*lo) && ys.usable(*hi) {
                whisker(
                    &mut chart,
                    xs.to(*x),
                    ys.to(*lo),
                    ys.to(*hi),
                    c.stroke_width(1),
                )?;
            }
        }
    }

    // Legend panel.
    if !entries.is_empty() {
        let (lw, _) = legend.dim_in_pixel();
        let y0 = title_h + 16;
        for (i, (label, c, dashed)) in entries.iter().enumerate() {
            let yy = y0 + 22 * i as i32;
            let style = c.stroke_width(if plot.bars.is_some() { 8 } else { 2 });
            if *dashed {
                legend
                    .draw(&PathElement::new(vec![(6, yy), (14, yy)], style))
                    .map_err(fail)?;
                legend
                    .draw(&PathElement::new(vec![(22, yy), (32, yy)], style))
                    .map_err(fail)?;
            } else {
                legend
                    .draw(&PathElement::new(vec![(6, yy), (32, yy)], style))
                    .map_err(fail)?;
            }
            let font = legend_font.pos(Pos::new(HPos::Left, VPos::Center));
            legend
                .draw(&Text::new(
                    fit(root, label, &legend_font, lw.saturating_sub(48)),
                    (40, yy),
                    font,
                ))
                .map_err(fail)?;
        }
    }
    root.present().map_err(fail)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_numbers() {
        assert_eq!(
            nice_ticks(0.0, 1.0, 5),
            vec![0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0]
        );
        assert_eq!(
            nice_ticks(0.0, 2000.0, 6),
            vec![0.0, 500.0, 1000.0, 1500.0, 2000.0]
        );
    }
}
