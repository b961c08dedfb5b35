//! The report (and notices) as DOCX laid out in the manner of GB/T 9704 (党政机关公文格式): A4,
//! margins 37/35/28/26 mm, a 小标宋-style title, 仿宋-style body at 三号 (16 pt) with 黑体 and
//! 楷体 headings, page numbers in the footer; tables with the official merged headers, header rows
//! repeated on every page, no row split across pages.
//!
//! The WordprocessingML is written by hand (zip + strings): it is the one way to control
//! `tblHeader`, `cantSplit`, `gridSpan` and `vMerge` exactly, and it keeps the crate light.

use crate::tables::{Grid, Role};
use crate::text::{self, Level, escape_html as esc};
use anyhow::Context;
use gongkai_domain::report::Report;
use std::fmt::Write as _;
use std::io::Write as _;

/// A font as the document names it, with the font Word substitutes when it is not installed
/// (written to the font table as `altName`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontChoice {
    pub name: String,
    pub fallback: String,
}

impl FontChoice {
    pub fn new(name: impl Into<String>, fallback: impl Into<String>) -> FontChoice {
        FontChoice {
            name: name.into(),
            fallback: fallback.into(),
        }
    }
}

/// Fonts and sizes of a DOCX export. The defaults are those of GB/T 9704.
#[derive(Debug, Clone, PartialEq)]
pub struct DocxOptions {
    /// The title (二号 小标宋).
    pub title_font: FontChoice,
    /// Body text (三号 仿宋).
    pub body_font: FontChoice,
    /// First-level headings 一、… (黑体).
    pub heading1_font: FontChoice,
    /// Second-level headings （一）… (楷体).
    pub heading2_font: FontChoice,
    /// Text inside tables.
    pub table_font: FontChoice,
    /// Body size in points (三号 = 16).
    pub body_size_pt: f32,
    /// Title size in points (二号 = 22).
    pub title_size_pt: f32,
    /// Table text size in points (五号 = 10.5).
    pub table_size_pt: f32,
}

impl Default for DocxOptions {
    fn default() -> Self {
        DocxOptions {
            title_font: FontChoice::new("方正小标宋简体", "宋体"),
            body_font: FontChoice::new("仿宋_GB2312", "仿宋"),
            heading1_font: FontChoice::new("黑体", "SimHei"),
            heading2_font: FontChoice::new("楷体_GB2312", "楷体"),
            table_font: FontChoice::new("仿宋_GB2312", "仿宋"),
            body_size_pt: 16.0,
            title_size_pt: 22.0,
            table_size_pt: 10.5,
        }
    }
}

/// A raster image to place in the document (charts), PNG bytes with their size in pixels.
#[derive(Debug, Clone)]
pub struct Picture {
    pub png: Vec<u8>,
    pub width_px: u32,
    pub height_px: u32,
    /// Alternative text (what the chart shows).
    pub description: String,
}

/// A4 in twips, and the GB/T 9704 margins: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
const PAGE_W: u32 = 11906;
const PAGE_H: u32 = 16838;
const MARGIN_TOP: u32 = 2098;
const MARGIN_BOTTOM: u32 = 1984;
const MARGIN_LEFT: u32 = 1588;
const MARGIN_RIGHT: u32 = 1474;
/// The width the text (and tables) may take.
pub const TEXT_WIDTH: u32 = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT;
/// 22 lines to a page at 三号: a fixed line pitch of 28.95 pt.
const LINE_PITCH: u32 = 579;

/// The report as a DOCX file.
pub fn report(report: &Report, options: &DocxOptions) -> anyhow::Result<Vec<u8>> {
    report_with_pictures(report, options, &|_| Vec::new())
}

/// The report with the year's charts (rasterised to PNG with the fonts of
/// the installation's font directories or `font_dirs`, and the built-in fonts) after the sections they illustrate.
pub fn report_with_stats(
    report: &Report,
    stats: &gongkai_domain::report::stats::ReportStats,
    options: &DocxOptions,
    font_dirs: &[std::path::PathBuf],
) -> anyhow::Result<Vec<u8>> {
    let mut pictures: Vec<(usize, Picture)> = Vec::new();
    for c in crate::charts::all(stats) {
        let (png, width_px, height_px) = crate::charts::png(&c, font_dirs)?;
        pictures.push((
            c.kind.section(),
            Picture {
                png,
                width_px,
                height_px,
                description: format!("{}：{}", c.kind.title(), c.description),
            },
        ));
    }
    report_with_pictures(report, options, &|i| {
        pictures
            .iter()
            .filter(|(s, _)| *s == i)
            .map(|(_, p)| p.clone())
            .collect()
    })
}

/// The report with pictures (charts) placed after section `i` where `pictures(i)` gives some.
pub fn report_with_pictures(
    report: &Report,
    options: &DocxOptions,
    pictures: &dyn Fn(usize) -> Vec<Picture>,
) -> anyhow::Result<Vec<u8>> {
    let mut d = Doc::new(options);
    let title = text::title(report);
    d.title(&title);
    d.body(&report.preamble);
    for s in text::sections(report) {
        d.heading1(s.heading);
        d.body(s.body);
        if let Some(grid) = crate::tables::table_after_section(report, s.index) {
            d.table(&grid);
        }
        for p in pictures(s.index) {
            d.picture(&p);
        }
    }
    let date = report
        .published
        .map(|d| d.format("%Y年%-m月%-d日").to_string());
    d.signature(&report.organ, date.as_deref());
    d.finish(&title, &report.organ)
}

/// A document being written: the body XML and the pictures it refers to.
pub(crate) struct Doc<'a> {
    o: &'a DocxOptions,
    body: String,
    media: Vec<Vec<u8>>,
    /// While set, every paragraph is kept with the next (a letter's last paragraphs and its
    /// 落款 stay on one page, GB/T 9704).
    pub(crate) keep_together: bool,
}

fn half_points(pt: f32) -> u32 {
    (pt * 2.0).round() as u32
}

impl<'a> Doc<'a> {
    pub(crate) fn new(o: &'a DocxOptions) -> Doc<'a> {
        Doc {
            o,
            body: String::with_capacity(64 * 1024),
            media: Vec::new(),
            keep_together: false,
        }
    }

    fn run(&mut self, t: &str, font: &FontChoice, size_pt: f32, bold: bool) {
        if t.is_empty() {
            return;
        }
        let f = esc(&font.name);
        let _ = write!(
            self.body,
            "<w:r><w:rPr><w:rFonts w:ascii=\"{f}\" w:hAnsi=\"{f}\" w:eastAsia=\"{f}\" w:cs=\"{f}\"/>{}<w:sz w:val=\"{s}\"/><w:szCs w:val=\"{s}\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>",
            if bold { "<w:b/><w:bCs/>" } else { "" },
            esc(t),
            s = half_points(size_pt),
        );
    }

    /// Opens a body paragraph: exact 28.95 pt lines, first line indented two characters.
    fn open_para(&mut self, jc: &str, indent: bool, keep_next: bool) {
        let keep_next = keep_next || self.keep_together;
        let _ = write!(
            self.body,
            "<w:p><w:pPr>{}<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"{LINE_PITCH}\" w:lineRule=\"exact\"/>{}<w:jc w:val=\"{jc}\"/></w:pPr>",
            if keep_next { "<w:keepNext/>" } else { "" },
            if indent {
                "<w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/>"
            } else {
                ""
            },
        );
    }

    fn close_para(&mut self) {
        self.body.push_str("</w:p>");
    }

    pub(crate) fn title(&mut self, t: &str) {
        let o = self.o;
        // The title sits on its own lines with a blank line after, centred (GB/T 9704 7.3.3).
        let _ = write!(
            self.body,
            "<w:p><w:pPr><w:snapToGrid w:val=\"0\"/><w:spacing w:before=\"0\" w:after=\"{LINE_PITCH}\" w:line=\"{}\" w:lineRule=\"exact\"/><w:jc w:val=\"center\"/></w:pPr>",
            (o.title_size_pt * 20.0 * 1.5) as u32
        );
        self.run(t, &o.title_font, o.title_size_pt, false);
        self.close_para();
    }

    pub(crate) fn heading1(&mut self, t: &str) {
        let o = self.o;
        self.open_para("both", true, true);
        self.run(t, &o.heading1_font, o.body_size_pt, false);
        self.close_para();
    }

    /// Body text: one paragraph per line; （一）… headings in 楷体.
    pub(crate) fn body(&mut self, body: &str) {
        let o = self.o;
        for p in text::paragraphs(body) {
            match p.level {
                Level::Heading2 => {
                    self.open_para("both", true, true);
                    self.run(p.lead, &o.heading2_font, o.body_size_pt, false);
                }
                Level::Lead2 => {
                    self.open_para("both", true, false);
                    self.run(p.lead, &o.heading2_font, o.body_size_pt, false);
                    self.run(p.rest, &o.body_font, o.body_size_pt, false);
                }
                Level::Body => {
                    self.open_para("both", true, false);
                    self.run(p.rest, &o.body_font, o.body_size_pt, false);
                }
            }
            self.close_para();
        }
    }

    /// A plain line of body text, aligned as asked, no indent (addressee, signature).
    pub(crate) fn line(&mut self, t: &str, jc: &str) {
        let o = self.o;
        self.open_para(jc, false, false);
        self.run(t, &o.body_font, o.body_size_pt, false);
        self.close_para();
    }

    pub(crate) fn blank_line(&mut self) {
        self.open_para("left", false, false);
        self.close_para();
    }

    /// The issuing organ and the date at the right, after a blank line.
    pub(crate) fn signature(&mut self, organ: &str, date: Option<&str>) {
        self.blank_line();
        self.line(organ, "right");
        if let Some(d) = date {
            self.line(d, "right");
        }
    }

    /// An official table. Header rows repeat on each page (`tblHeader`); no row splits across
    /// a page (`cantSplit`); merged cells as `gridSpan` (across) and `vMerge` (down, with a
    /// continuation cell in each covered row, as Word requires). Every cell keeps 1 mm of space
    /// on all four sides: besides reading better in print, rows whose text nearly touches make
    /// PDF text extractors (pdftotext in reading order) take each column for one block of text,
    /// and the table can no longer be read back from the PDF's text (see the audit corpus).
    pub(crate) fn table(&mut self, g: &Grid) {
        let o = self.o;
        let total: u32 = g.widths.iter().sum();
        let cols: Vec<u32> = g.widths.iter().map(|w| w * TEXT_WIDTH / total).collect();
        let _ = write!(
            self.body,
            "<w:tbl><w:tblPr><w:tblW w:w=\"{TEXT_WIDTH}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>\
             <w:tblBorders><w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
             <w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
             <w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
             <w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
             <w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
             <w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/></w:tblBorders>\
             <w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:top w:w=\"57\" w:type=\"dxa\"/>\
             <w:left w:w=\"57\" w:type=\"dxa\"/><w:bottom w:w=\"57\" w:type=\"dxa\"/>\
             <w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar><w:tblLook w:val=\"04A0\"/></w:tblPr><w:tblGrid>"
        );
        for w in &cols {
            let _ = write!(self.body, "<w:gridCol w:w=\"{w}\"/>");
        }
        self.body.push_str("</w:tblGrid>");
        let cov = g.coverage();
        let size = half_points(o.table_size_pt);
        let font = esc(&o.table_font.name);
        for (r, line) in cov.iter().enumerate() {
            self.body.push_str("<w:tr><w:trPr><w:cantSplit/>");
            if r < g.header_rows {
                self.body.push_str("<w:tblHeader/>");
            }
            self.body.push_str("</w:trPr>");
            let mut c = 0;
            while c < g.columns {
                let Some((p, _)) = line[c] else {
                    c += 1;
                    continue;
                };
                let cell = p.cell;
                let width: u32 = cols[p.col..p.col + cell.colspan].iter().sum();
                let _ = write!(
                    self.body,
                    "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>"
                );
                if cell.colspan > 1 {
                    let _ = write!(self.body, "<w:gridSpan w:val=\"{}\"/>", cell.colspan);
                }
                let starts_here = p.row == r;
                if cell.rowspan > 1 {
                    self.body.push_str(if starts_here {
                        "<w:vMerge w:val=\"restart\"/>"
                    } else {
                        "<w:vMerge/>"
                    });
                }
                if cell.role == Role::Header {
                    self.body
                        .push_str("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"F2F2F2\"/>");
                }
                self.body.push_str("<w:vAlign w:val=\"center\"/></w:tcPr>");
                let jc = if cell.role == Role::Label {
                    "left"
                } else {
                    "center"
                };
                let _ = write!(
                    self.body,
                    "<w:p><w:pPr><w:snapToGrid w:val=\"0\"/><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/><w:jc w:val=\"{jc}\"/></w:pPr>"
                );
                if starts_here && !cell.text.is_empty() {
                    let _ = write!(
                        self.body,
                        "<w:r><w:rPr><w:rFonts w:ascii=\"{font}\" w:hAnsi=\"{font}\" w:eastAsia=\"{font}\" w:cs=\"{font}\"/>{}<w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>",
                        if cell.role == Role::Header {
                            "<w:b/>"
                        } else {
                            ""
                        },
                        esc(&cell.text)
                    );
                }
                self.body.push_str("</w:p></w:tc>");
                c += cell.colspan;
            }
            self.body.push_str("</w:tr>");
        }
        self.body.push_str("</w:tbl>");
        // Word needs a paragraph between two tables and after the last one.
        self.blank_line();
    }

    /// A picture (chart) centred on its own line, scaled to the text width.
    pub(crate) fn picture(&mut self, p: &Picture) {
        self.media.push(p.png.clone());
        let n = self.media.len();
        // EMU: 914400 per inch, 635 per twip.
        let max_cx = u64::from(TEXT_WIDTH) * 635;
        let (w, h) = (u64::from(p.width_px.max(1)), u64::from(p.height_px.max(1)));
        let cx = max_cx.min(w * 9525);
        let cy = cx * h / w;
        let desc = esc(&p.description);
        let _ = write!(
            self.body,
            "<w:p><w:pPr><w:snapToGrid w:val=\"0\"/><w:spacing w:before=\"120\" w:after=\"120\" w:line=\"240\" w:lineRule=\"auto\"/><w:jc w:val=\"center\"/></w:pPr><w:r><w:drawing>\
             <wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"{cx}\" cy=\"{cy}\"/>\
             <wp:docPr id=\"{n}\" name=\"图表{n}\" descr=\"{desc}\"/>\
             <wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>\
             <a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">\
             <pic:pic><pic:nvPicPr><pic:cNvPr id=\"{n}\" name=\"chart{n}.png\" descr=\"{desc}\"/><pic:cNvPicPr/></pic:nvPicPr>\
             <pic:blipFill><a:blip r:embed=\"rIdImg{n}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>\
             <pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr>\
             </pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
        );
    }

    /// Packs the document into a DOCX (zip) file.
    pub(crate) fn finish(self, title: &str, author: &str) -> anyhow::Result<Vec<u8>> {
        let o = self.o;
        let mut document = String::with_capacity(self.body.len() + 2048);
        document.push_str(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document \
             xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
             xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" \
             xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" \
             xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" \
             xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><w:body>",
        );
        document.push_str(&self.body);
        let _ = write!(
            document,
            "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>\
             <w:pgSz w:w=\"{PAGE_W}\" w:h=\"{PAGE_H}\"/>\
             <w:pgMar w:top=\"{MARGIN_TOP}\" w:right=\"{MARGIN_RIGHT}\" w:bottom=\"{MARGIN_BOTTOM}\" w:left=\"{MARGIN_LEFT}\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/>\
             <w:docGrid w:type=\"lines\" w:linePitch=\"{LINE_PITCH}\"/></w:sectPr></w:body></w:document>"
        );

        let mut rels = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
             <Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
             <Relationship Id=\"rIdFonts\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable\" Target=\"fontTable.xml\"/>\
             <Relationship Id=\"rIdSettings\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>\
             <Relationship Id=\"rIdFooter\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>",
        );
        for i in 1..=self.media.len() {
            let _ = write!(
                rels,
                "<Relationship Id=\"rIdImg{i}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/chart{i}.png\"/>"
            );
        }
        rels.push_str("</Relationships>");

        let body_font = esc(&o.body_font.name);
        let sz = half_points(o.body_size_pt);
        let styles = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
             <w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"{body_font}\" w:hAnsi=\"{body_font}\" w:eastAsia=\"{body_font}\" w:cs=\"{body_font}\"/>\
             <w:sz w:val=\"{sz}\"/><w:szCs w:val=\"{sz}\"/><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:rPr></w:rPrDefault>\
             <w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"{LINE_PITCH}\" w:lineRule=\"exact\"/></w:pPr></w:pPrDefault></w:docDefaults>\
             <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>\
             <w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/>\
             <w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
             </w:styles>"
        );

        let mut fonts = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:fonts xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
        );
        let mut seen: Vec<&FontChoice> = Vec::new();
        for f in [
            &o.title_font,
            &o.body_font,
            &o.heading1_font,
            &o.heading2_font,
            &o.table_font,
        ] {
            if seen.iter().any(|s| s.name == f.name) {
                continue;
            }
            seen.push(f);
            let _ = write!(
                fonts,
                "<w:font w:name=\"{}\"><w:altName w:val=\"{}\"/><w:charset w:val=\"86\"/><w:family w:val=\"auto\"/><w:pitch w:val=\"variable\"/></w:font>",
                esc(&f.name),
                esc(&f.fallback)
            );
        }
        fonts.push_str("</w:fonts>");

        let settings = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
             <w:defaultTabStop w:val=\"420\"/><w:characterSpacingControl w:val=\"compressPunctuation\"/><w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat></w:settings>";

        // Page numbers: 4号 (14 pt) half-width digits between dashes, as GB/T 9704 7.5.
        let footer = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
             <w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>\
             <w:r><w:rPr><w:rFonts w:ascii=\"宋体\" w:hAnsi=\"宋体\" w:eastAsia=\"宋体\"/><w:sz w:val=\"28\"/></w:rPr><w:t xml:space=\"preserve\">— </w:t></w:r>\
             <w:r><w:rPr><w:sz w:val=\"28\"/></w:rPr><w:fldChar w:fldCharType=\"begin\"/></w:r>\
             <w:r><w:rPr><w:sz w:val=\"28\"/></w:rPr><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>\
             <w:r><w:rPr><w:sz w:val=\"28\"/></w:rPr><w:fldChar w:fldCharType=\"separate\"/></w:r>\
             <w:r><w:rPr><w:sz w:val=\"28\"/></w:rPr><w:t>1</w:t></w:r>\
             <w:r><w:rPr><w:sz w:val=\"28\"/></w:rPr><w:fldChar w:fldCharType=\"end\"/></w:r>\
             <w:r><w:rPr><w:rFonts w:ascii=\"宋体\" w:hAnsi=\"宋体\" w:eastAsia=\"宋体\"/><w:sz w:val=\"28\"/></w:rPr><w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>";

        let content_types = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
             <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
             <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
             <Default Extension=\"png\" ContentType=\"image/png\"/>\
             <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
             <Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
             <Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
             <Override PartName=\"/word/fontTable.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/>\
             <Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
             <Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
             <Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/></Types>";

        let root_rels = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
             <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
             <Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
             <Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/></Relationships>";

        let core = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
             xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>{}</dc:title><dc:creator>{}</dc:creator><dc:language>zh-CN</dc:language></cp:coreProperties>",
            esc(title),
            esc(author)
        );
        let app = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>gongkai</Application></Properties>";

        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let mut put = |name: &str, data: &[u8]| -> anyhow::Result<()> {
            zip.start_file(name, opts)
                .with_context(|| format!("写入 DOCX 部件 {name} 失败"))?;
            zip.write_all(data)
                .with_context(|| format!("写入 DOCX 部件 {name} 失败"))?;
            Ok(())
        };
        put("[Content_Types].xml", content_types.as_bytes())?;
        put("_rels/.rels", root_rels.as_bytes())?;
        put("docProps/core.xml", core.as_bytes())?;
        put("docProps/app.xml", app.as_bytes())?;
        put("word/document.xml", document.as_bytes())?;
        put("word/_rels/document.xml.rels", rels.as_bytes())?;
        put("word/styles.xml", styles.as_bytes())?;
        put("word/settings.xml", settings.as_bytes())?;
        put("word/fontTable.xml", fonts.as_bytes())?;
        put("word/footer1.xml", footer.as_bytes())?;
        for (i, png) in self.media.iter().enumerate() {
            put(&format!("word/media/chart{}.png", i + 1), png)?;
        }
        let out = zip.finish().context("生成 DOCX 文件失败")?;
        Ok(out.into_inner())
    }
}
