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

use super::axis::{axis, AxisMap};
use super::plot::{Plot, Scale, FONT};

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
        } else if !line.scatter {
            chart
                .draw_series(LineSeries::new(points.clone(), c.stroke_width(2)))
                .map_err(fail)?;
        }
        if line.markers || line.scatter {
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
