//! Chart files are valid, non-empty SVG and PNG, and text is drawn from the embedded font
//! (no system font is consulted: plotters is built without `ttf`, so there is no fontconfig
//! or freetype to find one).

mod common;

use rnnlab_report::internals::{render_rgb, series_axes, Line, Plot, Results, SIZE};
use rnnlab_report::{Figure, ReportOptions};

fn check_files(figures: &[Figure]) {
    assert!(!figures.is_empty());
    for f in figures {
        let svg = std::fs::read_to_string(&f.svg).unwrap();
        assert!(svg.starts_with("<svg"), "{}", f.svg.display());
        assert!(svg.trim_end().ends_with("</svg>"), "{}", f.svg.display());
        assert!(svg.contains("<text"), "{} has no text", f.svg.display());
        assert!(svg.len() > 2_000, "{} is nearly empty", f.svg.display());
        let png = std::fs::read(&f.png).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{}", f.png.display());
        assert_eq!(&png[12..16], b"IHDR");
        let w = u32::from_be_bytes(png[16..20].try_into().unwrap());
        let h = u32::from_be_bytes(png[20..24].try_into().unwrap());
        assert_eq!((w, h), SIZE);
        assert!(png.len() > 10_000, "{} is nearly empty", f.png.display());
    }
}

#[test]
fn every_case_writes_valid_svg_and_png() {
    for write in [
        common::write_cells,
        common::write_agreement,
        common::write_clip,
        common::write_depth,
    ] {
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path());
        let summary = rnnlab_report::report(tmp.path(), &ReportOptions::default()).unwrap();
        check_files(&summary.figures);
    }
}

/// Counts dark pixels in a rectangle of an RGB buffer.
fn ink(buf: &[u8], x0: u32, y0: u32, x1: u32, y1: u32) -> usize {
    let (w, _) = SIZE;
    let mut n = 0;
    for y in y0..y1 {
        for x in x0..x1 {
            let i = ((y * w + x) * 3) as usize;
            if buf[i] < 128 && buf[i + 1] < 128 && buf[i + 2] < 128 {
                n += 1;
            }
        }
    }
    n
}

#[test]
fn text_is_rasterised_from_the_embedded_font() {
    let mut plot = Plot::new("Title text", "x axis", "y axis");
    plot.lines.push(Line {
        label: "series".into(),
        points: vec![(0.0, 0.0), (1.0, 1.0)],
        ..Line::default()
    });
    let with_title = render_rgb(&plot).unwrap();
    plot.title = String::new();
    let without = render_rgb(&plot).unwrap();
    // The title sits in the top-left strip: glyphs put ink there, and only there.
    let a = ink(&with_title, 0, 0, 400, 40);
    let b = ink(&without, 0, 0, 400, 40);
    assert!(a > 200, "title drew {a} dark pixels");
    assert_eq!(b, 0);
}

/// Four variants over three lengths: 12 lines, more than a chart holds.
const FOUR_CELLS: &str = r#"name: four-cells
base:
  task: { kind: adding, length: 50 }
  model: { cell: lstm, hidden: 8 }
  train: { steps: 10, eval_every: 5 }
variants:
  a: { model: { cell: rnn_tanh } }
  b: { model: { cell: rnn_relu } }
  c: {}
  d: { model: { cell: gru } }
grid:
  task.length: [10, 20, 30]
"#;

/// Writes FOUR_CELLS's runs, those of variant `d` solved (stopped early).
fn write_four_cells(dir: &std::path::Path) {
    use rnnlab_report::synthetic::{metrics_csv, write_results, Outcome};
    write_results(dir, FOUR_CELLS, |run| {
        let solved = run.params.iter().any(|(k, v)| k == "variant" && v == "d");
        Some(Outcome {
            status: if solved { "solved" } else { "completed" }.into(),
            steps: 10,
            metrics_csv: metrics_csv("mse", 10, 3, |f| 0.2 - 0.1 * f),
            ..Outcome::default()
        })
    })
    .unwrap();
}

/// The lines follow the variants (what the sweep compares) and the lengths are pooled,
/// whatever the axes' order.
#[test]
fn lines_follow_the_variants_when_not_every_axis_fits() {
    let tmp = tempfile::tempdir().unwrap();
    write_four_cells(tmp.path());
    let r = Results::load(tmp.path()).unwrap();
    let name =
        |axes: &[usize]| -> Vec<String> { axes.iter().map(|&i| r.axes[i].name.clone()).collect() };
    let (kept, pooled) = series_axes(&r, usize::MAX);
    assert_eq!(
        (name(&kept), name(&pooled)),
        (vec!["variant".to_string()], vec!["task.length".to_string()])
    );
}

/// Curves of a sweep with early-stopped runs say that those runs leave the mean.
#[test]
fn curves_say_when_runs_stopped_early() {
    let tmp = tempfile::tempdir().unwrap();
    write_four_cells(tmp.path());
    rnnlab_report::report(tmp.path(), &ReportOptions::default()).unwrap();
    let md = std::fs::read_to_string(tmp.path().join("report/report.md")).unwrap();
    assert!(md.contains("Runs that stopped early"), "{md}");
    let svg = std::fs::read_to_string(tmp.path().join("report/figures/curves-mse.svg")).unwrap();
    assert!(svg.contains("stopped early"));
}

/// Charts whose caption promises the task's no-learning baselines draw them: read back from
/// the SVG's legend, not only that the file parses (the copy task's baselines once shared a
/// name, so one survived and the chart drew none).
#[test]
fn charts_that_promise_baselines_draw_them() {
    let tmp = tempfile::tempdir().unwrap();
    common::write_cells(tmp.path());
    let summary = rnnlab_report::report(tmp.path(), &ReportOptions::default()).unwrap();
    let report = std::fs::read_to_string(&summary.report_md).unwrap();
    let versus: Vec<&Figure> = summary
        .figures
        .iter()
        .filter(|f| f.stem.starts_with("final-recall_accuracy"))
        .collect();
    assert!(!versus.is_empty(), "{:?}", summary.figures);
    assert!(report.contains("dashed: the task's no-learning baselines"));
    for f in versus {
        let svg = std::fs::read_to_string(&f.svg).unwrap();
        // The fixture's baseline on recall accuracy is `chance`; the loss baseline
        // (`memoryless`) belongs to another metric and must not be drawn here.
        assert!(
            svg.contains("baseline: chance"),
            "{} lacks the baseline",
            f.svg.display()
        );
        assert!(!svg.contains("baseline: memoryless"), "{}", f.svg.display());
    }
}
