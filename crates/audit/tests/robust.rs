//! Mutated documents through every reader: no panic, and every cell read is an official cell,
//! once. A deterministic complement to the cargo-fuzz targets in fuzz/ (which need nightly):
//! the seed, a rendered HTML page and DOCX, Markdown and crawler text, cut, duplicated and
//! spliced at random, a few hundred times.

use gongkai_domain::report::{Report, layout};

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "|",
    "| 1 | 2 |",
    "\n|---|---|\n",
    "<td>",
    "</td>",
    "<tr>",
    "<table>",
    "</table>",
    "<td colspan=\"3\">",
    "<td rowspan=\"9\">",
    "0",
    "640020470",
    "１２",
    "—",
    "\u{c}",
    "\n",
    "（七）总计",
    "三、收到和处理政府信息公开申请情况",
    "标题：",
    "==== 正文 ====",
    "# ",
    "四、结转下年度继续办理",
    "万元",
    "-",
    "3.其他",
    "行政复议",
    "。",
];

fn mutate(rng: &mut Rng, s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out: Vec<char> = chars.clone();
    for _ in 0..1 + rng.below(6) {
        let n = out.len();
        match rng.below(4) {
            0 if n > 0 => {
                let a = rng.below(n);
                let b = (a + rng.below(400)).min(n);
                out.drain(a..b);
            }
            1 if n > 0 => {
                let a = rng.below(n);
                let b = (a + rng.below(400)).min(n);
                let piece: Vec<char> = out[a..b].to_vec();
                let at = rng.below(out.len() + 1);
                out.splice(at..at, piece);
            }
            _ => {
                let p = PIECES[rng.below(PIECES.len())];
                let at = rng.below(out.len() + 1);
                out.splice(at..at, p.chars());
            }
        }
    }
    out.into_iter().collect()
}

fn well_formed(r: &Report) {
    for (i, c) in r.cells.iter().enumerate() {
        assert!(layout::key_of(&c.table, &c.row, &c.column).is_some());
        assert!(
            !r.cells[..i]
                .iter()
                .any(|d| d.table == c.table && d.row == c.row && d.column == c.column)
        );
    }
}

fn check(r: Report) {
    let mut v = vec![r];
    gongkai_audit::check_all(&mut v);
    well_formed(&v[0]);
    let _ = gongkai_audit::table_reads(&v[0]);
}

#[test]
fn mutated_documents_never_panic() {
    let seed = include_str!("corpus/seed/lingwu-edu-2020.txt");
    let model = gongkai_render::sample::report(2021);
    let html = gongkai_render::html::report_page(&model);
    let docx = gongkai_render::docx::report(&model, &Default::default()).expect("docx");
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(&docx)).expect("zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zin.by_name("word/document.xml").expect("document"),
        &mut xml,
    )
    .expect("xml");
    let markdown = "# 某局2021年政府信息公开工作年度报告\n## 三、收到和处理政府信息公开申请情况\n| 本列数据 | 自然人 | 总计 |\n|---|---|---|\n| 一、本年新收政府信息公开申请数量 | 1 | 1 |\n";
    let crawler = "标题: 某局2021年政府信息公开工作年度报告\n==== 正文 ====\n三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量640020470\n";
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..400 {
        let text = match round % 3 {
            0 => mutate(&mut rng, seed),
            1 => mutate(&mut rng, markdown),
            _ => mutate(&mut rng, crawler),
        };
        check(gongkai_audit::read_text(&text, None));
        if round % 3 == 0 {
            if let Ok(r) = gongkai_audit::read_html(&mutate(&mut rng, &html), None) {
                check(r);
            }
            let doc = mutate(&mut rng, &xml);
            let mut buf = std::io::Cursor::new(Vec::new());
            {
                let mut z = zip::ZipWriter::new(&mut buf);
                z.start_file(
                    "word/document.xml",
                    zip::write::SimpleFileOptions::default(),
                )
                .expect("start");
                std::io::Write::write_all(&mut z, doc.as_bytes()).expect("write");
                z.finish().expect("finish");
            }
            if let Ok(r) = gongkai_audit::read_docx(&buf.into_inner(), None) {
                check(r);
            }
        }
    }
}
