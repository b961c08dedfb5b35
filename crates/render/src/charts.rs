//! Charts of a report year as SVG, written by hand (a few rectangles and labels need no chart
//! library): applications by month and by outcome, items published by category, on-time rates.
//! The same SVG is inlined in the HTML page, placed in the PDF by typst, rasterised to PNG for
//! DOCX ([`png`]); XLSX draws native Excel charts from the same [`ReportStats`].

use crate::text::escape_html as esc;
use gongkai_domain::report::stats::{Count, Rate, ReportStats};
use std::fmt::Write;

/// Which chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    ApplicationsByMonth,
    ApplicationsByOutcome,
    ItemsByCategory,
    OnTimeRates,
}

impl ChartKind {
    pub fn title(self) -> &'static str {
        match self {
            ChartKind::ApplicationsByMonth => "各月收到政府信息公开申请数量",
            ChartKind::ApplicationsByOutcome => "政府信息公开申请办理结果",
            ChartKind::ItemsByCategory => "主动公开政府信息分类数量",
            ChartKind::OnTimeRates => "按时办结率",
        }
    }

    /// The section of the report the chart illustrates (0-based: 二 is 1, 三 is 2).
    pub fn section(self) -> usize {
        match self {
            ChartKind::ItemsByCategory => 1,
            _ => 2,
        }
    }
}

/// One drawn chart.
#[derive(Debug, Clone)]
pub struct Chart {
    pub kind: ChartKind,
    pub svg: String,
    pub width: u32,
    pub height: u32,
    /// The data in words, for alternative text.
    pub description: String,
}

const WIDTH: u32 = 640;
const FONT: &str =
    "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif";
const BAR: &str = "#2b6cb0";
const AXIS: &str = "#555555";

/// The month labels of the month chart.
pub const MONTHS: [&str; 12] = [
    "1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月",
];

/// Every chart there is data for, in document order.
pub fn all(stats: &ReportStats) -> Vec<Chart> {
    let mut out = Vec::new();
    if stats.items_by_category.iter().any(|c| c.count > 0) {
        out.push(horizontal(
            ChartKind::ItemsByCategory,
            &stats.items_by_category,
        ));
    }
    if stats.applications_by_month.iter().any(|n| *n > 0) {
        out.push(months(&stats.applications_by_month));
    }
    if stats.applications_by_outcome.iter().any(|c| c.count > 0) {
        out.push(horizontal(
            ChartKind::ApplicationsByOutcome,
            &stats.applications_by_outcome,
        ));
    }
    if stats.applications_on_time.total > 0 || stats.proactive_on_time.total > 0 {
        out.push(rates(stats.applications_on_time, stats.proactive_on_time));
    }
    out
}

fn open(out: &mut String, kind: ChartKind, height: u32, description: &str) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-label=\"{}\" font-family=\"{FONT}\">\
         <title>{}</title><desc>{}</desc><rect width=\"{WIDTH}\" height=\"{height}\" fill=\"#ffffff\"/>\
         <text x=\"{}\" y=\"26\" font-size=\"17\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"#1a1a1a\">{}</text>",
        esc(kind.title()),
        esc(kind.title()),
        esc(description),
        WIDTH / 2,
        esc(kind.title()),
    );
}

/// A step for the value axis: 1, 2 or 5 times a power of ten, giving at most ~5 gridlines.
fn nice_step(max: u64) -> u64 {
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if max <= step * m * 5 {
                return step * m;
            }
        }
        step *= 10;
    }
}

fn months(counts: &[u64]) -> Chart {
    let height = 300;
    let description = MONTHS
        .iter()
        .zip(counts.iter().chain(std::iter::repeat(&0)))
        .map(|(m, n)| format!("{m}{n}件"))
        .collect::<Vec<_>>()
        .join("，");
    let mut s = String::with_capacity(4096);
    open(&mut s, ChartKind::ApplicationsByMonth, height, &description);
    let (left, right, top, bottom) = (50.0, 20.0, 50.0, 250.0);
    let max = counts.iter().copied().max().unwrap_or(0).max(1);
    let step = nice_step(max);
    let ceiling = max.div_ceil(step) * step;
    let plot_h = bottom - top;
    let mut v = 0;
    while v <= ceiling {
        let y = bottom - plot_h * v as f64 / ceiling as f64;
        let _ = write!(
            s,
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{}\" y2=\"{y:.1}\" stroke=\"#dddddd\"/>\
             <text x=\"{}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"end\" fill=\"{AXIS}\">{v}</text>",
            WIDTH as f64 - right,
            left - 6.0,
            y + 4.0
        );
        v += step;
    }
    let slot = (WIDTH as f64 - left - right) / 12.0;
    for (i, m) in MONTHS.iter().enumerate() {
        let n = counts.get(i).copied().unwrap_or(0);
        let h = plot_h * n as f64 / ceiling as f64;
        let x = left + slot * i as f64 + slot * 0.2;
        let w = slot * 0.6;
        let _ = write!(
            s,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"{BAR}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#1a1a1a\">{n}</text>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"middle\" fill=\"{AXIS}\">{m}</text>",
            bottom - h,
            x + w / 2.0,
            bottom - h - 4.0,
            x + w / 2.0,
            bottom + 18.0
        );
    }
    let _ = write!(
        s,
        "<line x1=\"{left}\" y1=\"{bottom}\" x2=\"{}\" y2=\"{bottom}\" stroke=\"{AXIS}\"/>\
         <text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\" fill=\"{AXIS}\">单位：件</text></svg>",
        WIDTH as f64 - right,
        WIDTH / 2,
        height - 12
    );
    Chart {
        kind: ChartKind::ApplicationsByMonth,
        svg: s,
        width: WIDTH,
        height,
        description,
    }
}

/// Truncates a label to what fits the label column (long catalogue category names).
fn fit(label: &str, max_chars: usize) -> String {
    if label.chars().count() <= max_chars {
        label.to_string()
    } else {
        let mut s: String = label.chars().take(max_chars - 1).collect();
        s.push('…');
        s
    }
}

fn horizontal(kind: ChartKind, counts: &[Count]) -> Chart {
    let row = 28.0;
    let top = 48.0;
    let height = (top + row * counts.len() as f64 + 36.0) as u32;
    let description = counts
        .iter()
        .map(|c| format!("{}{}", c.label, c.count))
        .collect::<Vec<_>>()
        .join("，");
    let mut s = String::with_capacity(4096);
    open(&mut s, kind, height, &description);
    let left = 170.0;
    let plot_w = WIDTH as f64 - left - 60.0;
    let max = counts.iter().map(|c| c.count).max().unwrap_or(0).max(1);
    for (i, c) in counts.iter().enumerate() {
        let y = top + row * i as f64;
        let w = plot_w * c.count as f64 / max as f64;
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\" text-anchor=\"end\" fill=\"#1a1a1a\">{}</text>\
             <rect x=\"{left}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"{BAR}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\" fill=\"#1a1a1a\">{}</text>",
            left - 8.0,
            y + row * 0.62,
            esc(&fit(&c.label, 11)),
            y + row * 0.15,
            row * 0.7,
            left + w + 6.0,
            y + row * 0.62,
            c.count
        );
    }
    let bottom = top + row * counts.len() as f64;
    let _ = write!(
        s,
        "<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{bottom}\" stroke=\"{AXIS}\"/>\
         <text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\" fill=\"{AXIS}\">单位：{}</text></svg>",
        WIDTH / 2,
        height - 12,
        if kind == ChartKind::ItemsByCategory {
            "条"
        } else {
            "件"
        }
    );
    Chart {
        kind,
        svg: s,
        width: WIDTH,
        height,
        description,
    }
}

fn rates(applications: Rate, proactive: Rate) -> Chart {
    let rows = [
        ("依申请公开按时答复率", applications),
        ("主动公开按时发布率", proactive),
    ];
    let height = 150;
    let describe = |r: Rate| match r.percent() {
        Some(p) => format!("{p:.1}%（{}/{}）", r.on_time, r.total),
        None => "无数据".to_string(),
    };
    let description = rows
        .iter()
        .map(|(l, r)| format!("{l}{}", describe(*r)))
        .collect::<Vec<_>>()
        .join("，");
    let mut s = String::with_capacity(2048);
    open(&mut s, ChartKind::OnTimeRates, height, &description);
    let left = 170.0;
    let plot_w = WIDTH as f64 - left - 150.0;
    for (i, (label, r)) in rows.iter().enumerate() {
        let y = 50.0 + 40.0 * i as f64;
        let w = plot_w * r.percent().unwrap_or(0.0) / 100.0;
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\" text-anchor=\"end\" fill=\"#1a1a1a\">{label}</text>\
             <rect x=\"{left}\" y=\"{:.1}\" width=\"{plot_w:.1}\" height=\"22\" fill=\"#e8eef5\"/>\
             <rect x=\"{left}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"22\" fill=\"{BAR}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\" fill=\"#1a1a1a\">{}</text>",
            left - 8.0,
            y + 16.0,
            y,
            y,
            left + plot_w + 6.0,
            y + 16.0,
            esc(&describe(*r))
        );
    }
    s.push_str("</svg>");
    Chart {
        kind: ChartKind::OnTimeRates,
        svg: s,
        width: WIDTH,
        height,
        description,
    }
}

fn font_db(dirs: &[std::path::PathBuf]) -> std::sync::Arc<resvg::usvg::fontdb::Database> {
    let mut db = resvg::usvg::fontdb::Database::new();
    for d in dirs {
        db.load_fonts_dir(d);
    }
    // The built-in fonts last: fonts on disk win where they draw the same family.
    for e in &crate::fonts::EMBEDDED {
        db.load_font_data(e.data.to_vec());
    }
    db.set_sans_serif_family("Noto Sans CJK SC");
    db.set_serif_family("Noto Serif CJK SC");
    std::sync::Arc::new(db)
}

/// The chart as a PNG at twice its nominal size (crisp when printed), with the font
/// directories given (or the installation's, [`crate::fonts::default_dirs`], when empty) and the
/// built-in fonts. Returns the PNG and its pixel size.
pub fn png(chart: &Chart, font_dirs: &[std::path::PathBuf]) -> anyhow::Result<(Vec<u8>, u32, u32)> {
    use anyhow::Context;
    use resvg::{tiny_skia, usvg};
    // Loading the font directories costs more than drawing a chart: do it once per process
    // for the default directories.
    static DEFAULT_DB: std::sync::OnceLock<std::sync::Arc<usvg::fontdb::Database>> =
        std::sync::OnceLock::new();
    let fontdb = if font_dirs.is_empty() {
        DEFAULT_DB
            .get_or_init(|| font_db(&crate::fonts::default_dirs()))
            .clone()
    } else {
        font_db(font_dirs)
    };
    let opt = usvg::Options {
        fontdb,
        font_family: "Noto Sans CJK SC".into(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(&chart.svg, &opt).context("图表 SVG 无法解析")?;
    let scale = 2.0;
    let (w, h) = (chart.width * 2, chart.height * 2);
    let mut pixmap = tiny_skia::Pixmap::new(w, h).context("图表尺寸无效")?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let png = pixmap.encode_png().context("图表 PNG 编码失败")?;
    Ok((png, w, h))
}
