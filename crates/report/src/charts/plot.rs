//! What a chart shows, independent of how it is drawn ([`super::draw`]).

/// Pixel size of every chart.
pub const SIZE: (u32, u32) = (960, 560);
pub(super) const FONT: &str = "sans-serif";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    Linear,
    Log10,
}

impl Scale {
    pub(super) fn to(self, v: f64) -> f64 {
        match self {
            Scale::Linear => v,
            Scale::Log10 => v.log10(),
        }
    }

    /// Whether `v` can be drawn on this scale (positive on a log one).
    pub(crate) fn usable(self, v: f64) -> bool {
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
    /// Markers only, no line between them: points that are separate observations (a search's
    /// trials), where a line would suggest an order they do not have.
    pub scatter: bool,
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
