//! `gongkai calendar` and `gongkai application` driven as a user would, on a fresh SQLite file.

mod common;

use common::Env;

#[test]
fn calendar_commands() {
    let e = Env::new("cal");
    assert_eq!(
        e.ok(&["calendar", "add-working-days", "2024-09-27", "20"])
            .trim(),
        "2024-10-30"
    );
    assert_eq!(
        e.ok(&["calendar", "between", "2024-09-27", "2024-10-30"])
            .trim(),
        "20"
    );
    let show = e.ok(&["calendar", "show", "2020"]);
    assert!(show.contains("2020-02-01（星期六）  法定节假日"), "{show}");
    assert!(show.contains("国办发明电〔2020〕1号"), "{show}");
    let err = e.fails(&["calendar", "add-working-days", "2026-12-20", "20"]);
    assert!(err.contains("2027年部分节假日安排"), "{err}");
    let file = e.dir.join("2027.toml");
    std::fs::write(
        &file,
        "year = 2027\nsource = \"国务院办公厅关于2027年部分节假日安排的通知\"\nholidays = [\"2027-01-01\"]\n",
    )
    .unwrap();
    let out = e.ok(&["calendar", "import", file.to_str().unwrap()]);
    assert!(out.contains("已导入2027年工作日历"), "{out}");
    assert_eq!(
        e.ok(&["calendar", "add-working-days", "2026-12-31", "1"])
            .trim(),
        "2027-01-04"
    );
    let bad = e.dir.join("bad.toml");
    std::fs::write(
        &bad,
        "year = 2028\nsource = \"x\"\nholidays = [\"2028-13-01\"]\n",
    )
    .unwrap();
    let err = e.fails(&["calendar", "import", bad.to_str().unwrap()]);
    assert!(err.contains("第3行"), "{err}");
}

#[test]
fn an_application_through_the_workflow() {
    let e = Env::new("app");
    e.ok(&["demo"]);
    let carry = e.ok(&["application", "carry-over", "--year", "2021"]);
    assert!(
        carry.contains("LWJT-2021-0012") && carry.contains("合计2件"),
        "{carry}"
    );
    let out = e.ok(&[
        "application",
        "register",
        "--organ",
        "灵武市教育体育局",
        "--channel",
        "邮寄",
        "--submitted",
        "2024-09-25",
        "--received",
        "2024-09-27",
        "--type",
        "自然人",
        "--name",
        "王小明",
        "--id-document",
        "居民身份证 640181199001011232",
        "--contact",
        "13800001234",
        "--address",
        "灵武市某路18号",
        "--description",
        "学区划分文件",
    ]);
    assert!(
        out.contains("LWJT-2024-0001") && out.contains("2024-10-30"),
        "{out}"
    );
    // Personal data never in lists; JSON masks the name.
    let list = e.ok(&[
        "application",
        "list",
        "--year",
        "2024",
        "--json",
        "--today",
        "2024-10-08",
    ]);
    assert!(
        list.contains("王**") && !list.contains("王小明") && !list.contains("13800001234"),
        "{list}"
    );
    let show = e.ok(&[
        "application",
        "show",
        "LWJT-2024-0001",
        "--today",
        "2024-10-08",
    ]);
    assert!(
        !show.contains("640181199001011232") && show.contains("第20个工作日为2024-10-30"),
        "{show}"
    );
    let err = e.fails(&[
        "application",
        "extend",
        "LWJT-2024-0001",
        "--on",
        "2024-10-10",
        "--days",
        "25",
        "--reason",
        "需调档",
        "--approved-by",
        "主任",
    ]);
    assert!(err.contains("不得超过20个工作日"), "{err}");
    let out = e.ok(&[
        "application",
        "extend",
        "LWJT-2024-0001",
        "--on",
        "2024-10-28",
        "--days",
        "20",
        "--reason",
        "需调取档案",
        "--approved-by",
        "主任",
    ]);
    assert!(
        out.contains("灵教依申请告〔2024〕1号") && out.contains("2024-11-27"),
        "{out}"
    );
    let out = e.ok(&[
        "application",
        "decide",
        "LWJT-2024-0001",
        "--on",
        "2024-11-20",
        "--result",
        "（二）部分公开",
        "--set",
        "provided=学区划分文件（已删去学生姓名），随本答复书邮寄",
        "--withheld",
        "学生姓名：个人隐私（条例第十五条）",
    ]);
    assert!(out.contains("已办结"), "{out}");
    let notice = e.ok(&[
        "application",
        "notice",
        "LWJT-2024-0001",
        "--format",
        "html",
    ]);
    assert!(
        notice.contains("灵教依申请告〔2024〕2号") && notice.contains("学生姓名：个人隐私"),
        "{notice}"
    );
    assert!(!notice.contains("13800001234"));
    let ext = e.ok(&[
        "application",
        "notice",
        "LWJT-2024-0001",
        "--kind",
        "extension",
    ]);
    assert!(ext.contains("延长20个工作日"), "{ext}");
    let docx = e.dir.join("n.docx");
    e.ok(&[
        "application",
        "notice",
        "LWJT-2024-0001",
        "--format",
        "docx",
        "-o",
        docx.to_str().unwrap(),
    ]);
    assert!(std::fs::read(&docx).unwrap().starts_with(b"PK"));
    let err = e.fails(&[
        "application",
        "withdraw",
        "LWJT-2024-0001",
        "--on",
        "2024-11-21",
    ]);
    assert!(err.contains("已办结"), "{err}");
}
