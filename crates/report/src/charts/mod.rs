//! Charts, one kind per file, each laying out series prepared by [`crate::series`] as a
//! [`Plot`], all drawn by [`draw::draw`] to SVG and PNG.
//!
//! Fonts: plotters is built without its `ttf` feature (which needs fontconfig and freetype and
//! fails where no fonts are installed); text is rasterised by ab_glyph from DejaVu Sans,
//! embedded in the binary (assets/, with its licence), so charts render the same on a bare CI
//! machine as on a laptop.

mod axis;
pub mod bars;
pub mod breakdown;
pub mod curves;
pub mod divergence;
mod draw;
pub mod gradflow;
mod plot;
pub mod versus;

use std::path::{Path, PathBuf};
use std::sync::Once;

use plotters::prelude::*;
use plotters::style::FontStyle;

use crate::load::Axis;
use crate::ReportError;
pub use plot::{Bars, Line, Plot, Scale, SIZE};

static DEJAVU_SANS: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
static FONTS: Once = Once::new();

/// Registers the embedded font as `sans-serif`, the only family the charts use (plotters has
/// no fallback: an unregistered family fails to draw).
pub fn ensure_fonts() {
    FONTS.call_once(|| {
        // The bytes are a valid TrueType font checked in with the crate; a failure here is a
        // build defect, caught by the chart tests.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, DEJAVU_SANS);
    });
}

/// A chart written as `figures/<stem>.svg` and `.png`.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub stem: String,
    pub title: String,
    pub svg: PathBuf,
    pub png: PathBuf,
}

/// Draws `plot` to `<dir>/<stem>.svg` and `<dir>/<stem>.png`.
pub fn render(plot: &Plot, dir: &Path, stem: &str) -> Result<Figure, ReportError> {
    ensure_fonts();
    let svg = dir.join(format!("{stem}.svg"));
    let png = dir.join(format!("{stem}.png"));
    let err = |path: &Path| {
        let path = path.to_owned();
        move |message: String| ReportError::Chart { path, message }
    };
    // Both through a temporary file and a rename, like every file rnnlab writes.
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, SIZE).into_drawing_area();
        draw::draw(plot, &root).map_err(err(&svg))?;
        root.present().map_err(|e| err(&svg)(e.to_string()))?;
    }
    rnnlab_results::write_atomic(&svg, text.as_bytes())?;
    rnnlab_results::write_atomic_with(&png, |tmp| {
        let root = BitMapBackend::new(tmp, SIZE).into_drawing_area();
        draw::draw(plot, &root)?;
        root.present().map_err(|e| e.to_string())
    })?;
    Ok(Figure {
        stem: stem.to_string(),
        title: plot.title.clone(),
        svg,
        png,
    })
}

/// Draws `plot` into an RGB buffer (for tests that look at pixels).
pub fn render_rgb(plot: &Plot) -> Result<Vec<u8>, String> {
    ensure_fonts();
    let (w, h) = SIZE;
    let mut buf = vec![0u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buf, SIZE).into_drawing_area();
        draw::draw(plot, &root)?;
    }
    Ok(buf)
}

/// A file-name-safe stem: `final.recall_accuracy` → `final-recall_accuracy`.
pub fn stem(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| {
            p.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '_' {
                        c
                    } else {
                        '-'
                    }
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// Accuracies and rates live in [0, 1]: fix the axis there so charts compare at a glance.
pub fn unit_range(metric: &str) -> Option<(f64, f64)> {
    (metric.contains("accuracy")
        || metric.ends_with("rate")
        || metric == "solved"
        || metric == "diverged")
        .then_some((0.0, 1.0))
}

/// Log scale for a positive axis spanning 20× or more (lengths 50..1000, clip 0.1..10).
pub fn auto_scale(values: &[f64]) -> Scale {
    let pos: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if pos.is_empty() || pos.iter().any(|v| *v <= 0.0) {
        return Scale::Linear;
    }
    let lo = pos.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = pos.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if hi / lo >= 20.0 {
        Scale::Log10
    } else {
        Scale::Linear
    }
}

/// Where level `i` of `axis` sits on a chart's x axis: its value when the axis is numeric, its
/// index otherwise.
pub fn level_position(axis: &Axis, i: usize) -> f64 {
    if axis.numeric {
        axis.levels[i].parse().unwrap_or(f64::NAN)
    } else {
        i as f64
    }
}

/// An x axis over `axis`'s levels: one tick per level, labelled as in the sweep, on a log scale
/// when a numeric axis spans 20× or more.
pub fn level_axis(plot: &mut Plot, axis: &Axis) {
    let xs: Vec<f64> = (0..axis.levels.len())
        .map(|i| level_position(axis, i))
        .collect();
    if axis.numeric {
        plot.x_scale = auto_scale(&xs);
    }
    plot.x_ticks = Some(xs.into_iter().zip(axis.levels.iter().cloned()).collect());
}

/// "first 10 of 24 variants shown" when a chart leaves some out.
pub fn cap_note(shown: usize, total: usize) -> String {
    if total > shown {
        format!("; first {shown} of {total} shown (all in the tables)")
    } else {
        String::new()
    }
}
