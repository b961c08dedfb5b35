//! How CSV reading scales with the number of rows (issue 20: it was quadratic).
//!
//!     cargo run -p gongkai-import --example csv_scale -- 10000 100000 1000000
//!
//! For each size, makes a catalogue CSV of that many rows (with a quoted field spanning two
//! lines every 1,000 rows and a blank line every 5,000, so line numbers are not row numbers),
//! then times reading it into a table and checking every row against the catalogue's columns,
//! as `gongkai import` does before it writes anything. Prints one line per size.

use gongkai_import::{Kind, Sheet, table::read_csv_text};
use std::time::Instant;

fn csv(rows: usize) -> String {
    let mut s = String::from("标题,栏目,发布日期,文件类型,有效性,有效性变更日期\n");
    for i in 0..rows {
        if i % 5000 == 4999 {
            s.push('\n');
        }
        if i % 1000 == 999 {
            s.push_str(&format!(
                "\"关于第{i}号事项的通知\n（续）\",公示公告,2020-01-02,,,\n"
            ));
        } else {
            s.push_str(&format!("关于第{i}号事项的通知,公示公告,2020-01-02,,,\n"));
        }
    }
    s
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.replace(['_', ','], "").parse().expect("a number of rows"))
        .collect();
    let sizes = if sizes.is_empty() {
        vec![10_000, 100_000]
    } else {
        sizes
    };
    println!("rows\tMB\tread s\tcheck s\trows/s");
    for n in sizes {
        let text = csv(n);
        let t = Instant::now();
        let table = read_csv_text(&text).expect("valid CSV");
        let read = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let sheet = Sheet::new(&table, Kind::Catalogue.columns()).expect("the catalogue's columns");
        let mut last = 0;
        for row in sheet.rows() {
            row.date("发布日期").expect("a date");
            last = row.number;
        }
        let check = t.elapsed().as_secs_f64();
        assert_eq!(table.rows.len(), n);
        assert_eq!(
            last,
            n + 1 + (n - 1) / 1000 + n / 5000,
            "line numbers as a person counts"
        );
        println!(
            "{n}\t{:.1}\t{read:.2}\t{check:.2}\t{:.0}",
            text.len() as f64 / 1e6,
            n as f64 / (read + check)
        );
    }
}
