//! Chinese full-text search over what gongkai publishes: catalogue items (with the text of their
//! attachments), public replies to applications and letters, and annual reports.
//!
//! The index is a cache: everything in it comes from the store and [`Index::rebuild`] recreates
//! it. It lives in its own folder (beside the SQLite database by default). Words are cut by
//! jieba with a dictionary of government terms; see [`tokenizer`] for why documents are indexed
//! with each long word's sub-words and queries are cut in jieba's default mode.
//!
//! A query is a conjunction: every word must occur somewhere in the document (title, 文号,
//! summary, body or issuing unit), titles weigh most, and the words typed next to each other
//! score more when they stand next to each other in the document. A query that is a document
//! number (`灵教发〔2020〕12号`, brackets of any kind) finds the document with that number first.

pub mod extract;
pub mod feed;
mod grams;
pub mod tokenizer;

use chrono::NaiveDate;
use gongkai_domain::markup::escape_html as escape;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query as TQuery,
    RegexQuery, TermQuery,
};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument, Term};
pub use tokenizer::Segmenter;
use tokenizer::{GovTokenizer, Mode};

/// Bumped whenever the schema or the tokenization changes: an index of another version is
/// thrown away and must be rebuilt.
const SCHEMA_VERSION: &str = "gongkai-search 4";
const VERSION_FILE: &str = "gongkai-search.version";
const INDEX_TOKENIZER: &str = "gov_index";
const QUERY_TOKENIZER: &str = "gov_query";
const HIGHLIGHT_TOKENIZER: &str = "gov_highlight";

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("搜索索引错误：{0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("搜索索引目录无法使用：{0}")]
    Io(#[from] std::io::Error),
    #[error("附件文字提取失败：{0}")]
    Extract(String),
    #[error("搜索索引正被另一个进程写入（如正在运行的门户网站）；请停止该进程后再试")]
    Locked,
    #[error("{0}")]
    Invalid(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What a search result is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A published catalogue item (政府信息).
    Item,
    /// The public reply to an application for disclosure.
    Reply,
    /// A letter (信件) whose reply is public.
    Letter,
    /// A published annual report.
    Report,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Item => "item",
            Kind::Reply => "reply",
            Kind::Letter => "letter",
            Kind::Report => "report",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "item" => Kind::Item,
            "reply" => Kind::Reply,
            "letter" => Kind::Letter,
            "report" => Kind::Report,
            _ => return None,
        })
    }

    /// The name a person reads.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Item => "政府信息",
            Kind::Reply => "依申请公开答复",
            Kind::Letter => "信件答复",
            Kind::Report => "年度报告",
        }
    }
}

/// A document to index. `id` is unique across kinds (`item:12`, `letter:3`…): see [`doc_id`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Doc {
    pub id: String,
    pub kind: Option<Kind>,
    pub title: String,
    /// 文号, as written.
    pub doc_number: String,
    pub summary: String,
    /// Full text: the body and the text of attachments.
    pub body: String,
    /// The organ or unit that issued it, by name.
    pub unit: String,
    /// The organ's id and its ancestors' ids: filtering on an organ also finds its units' items.
    pub organ_ids: Vec<i64>,
    /// Category name (主题分类).
    pub category: String,
    pub date: Option<NaiveDate>,
    /// Validity code (`in_force`, `amended`, `repealed`, `expired`), empty when not applicable.
    pub validity: String,
    /// Document type code (`regulation`, `normative`, `other`), empty when not applicable.
    pub doc_type: String,
    /// Where the portal shows it.
    pub url: String,
}

/// The id of a document of `kind` with the store's row id.
pub fn doc_id(kind: Kind, row_id: i64) -> String {
    format!("{}:{row_id}", kind.code())
}

/// Filters; `None` means any.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filters {
    /// An organ or unit id (also matches the units under an organ).
    pub organ_id: Option<i64>,
    pub category: Option<String>,
    pub year: Option<i32>,
    pub kind: Option<Kind>,
    pub validity: Option<String>,
    pub doc_type: Option<String>,
}

/// A search: words, filters and a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Query {
    pub text: String,
    pub filters: Filters,
    pub limit: usize,
    pub offset: usize,
    /// Newest first (by 发布/成文日期) instead of by relevance.
    #[serde(default)]
    pub newest_first: bool,
}

impl Query {
    pub fn new(text: impl Into<String>) -> Query {
        Query {
            text: text.into(),
            filters: Filters::default(),
            limit: 10,
            offset: 0,
            newest_first: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub id: String,
    pub kind: Kind,
    pub title: String,
    /// The title with matched words in `<b>` (HTML-escaped).
    pub title_html: String,
    /// A passage of the body or summary with matched words in `<b>` (HTML-escaped).
    pub snippet_html: String,
    pub doc_number: String,
    pub unit: String,
    pub category: String,
    pub date: Option<NaiveDate>,
    pub url: String,
    pub score: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    /// Number of matching documents (all pages).
    pub total: usize,
    pub hits: Vec<Hit>,
}

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    kind: Field,
    title: Field,
    doc_number: Field,
    doc_number_key: Field,
    summary: Field,
    body: Field,
    unit: Field,
    organ: Field,
    category: Field,
    year: Field,
    date: Field,
    validity: Field,
    doc_type: Field,
    url: Field,
    demoted: Field,
    /// Title, 文号, unit and summary as character pairs (see [`grams`]).
    grams: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |stored: bool| {
        let idx = TextFieldIndexing::default()
            .set_tokenizer(INDEX_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let o = TextOptions::default().set_indexing_options(idx);
        if stored { o.set_stored() } else { o }
    };
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        kind: b.add_text_field("kind", STRING | STORED),
        title: b.add_text_field("title", text(true)),
        doc_number: b.add_text_field("doc_number", text(true)),
        doc_number_key: b.add_text_field("doc_number_key", STRING),
        summary: b.add_text_field("summary", text(true)),
        // The body is stored for snippets; it is the bulk of the index on disk, not in memory.
        body: b.add_text_field("body", text(true)),
        unit: b.add_text_field("unit", text(true)),
        organ: b.add_i64_field("organ", NumericOptions::default().set_indexed()),
        category: b.add_text_field("category", STRING | STORED),
        year: b.add_i64_field("year", NumericOptions::default().set_indexed()),
        date: b.add_i64_field(
            "date",
            NumericOptions::default()
                .set_indexed()
                .set_fast()
                .set_stored(),
        ),
        validity: b.add_text_field("validity", STRING),
        doc_type: b.add_text_field("doc_type", STRING),
        url: b.add_text_field("url", STORED),
        // 1 for documents no longer in force: they rank below current ones.
        demoted: b.add_i64_field("demoted", NumericOptions::default().set_fast()),
        grams: b.add_text_field(
            "grams",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(grams::GRAM_TOKENIZER)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            ),
        ),
    };
    (b.build(), fields)
}

/// A document number in a canonical form: no spaces, every kind of bracket around the year as
/// 〔〕, full-width digits as ASCII. `None` when the text does not look like a 文号 (an organ
/// abbreviation, a bracketed year, a number, 号).
pub fn normalize_doc_number(s: &str) -> Option<String> {
    let mut out = String::new();
    for c in s.chars() {
        let c = match c {
            '[' | '［' | '(' | '（' | '【' | '〔' | '﹝' | '〖' => '〔',
            ']' | '］' | ')' | '）' | '】' | '〕' | '﹞' | '〗' => '〕',
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c if c.is_whitespace() => continue,
            c => c,
        };
        out.push(c);
    }
    let open = out.find('〔')?;
    // The closing bracket after the opening one: `)(` has them the wrong way round.
    let close = open + out[open..].find('〕')?;
    let year = &out[open + '〔'.len_utf8()..close];
    let rest = &out[close + '〕'.len_utf8()..];
    let number = rest.strip_suffix('号')?;
    let ok = open > 0
        && year.len() == 4
        && year.bytes().all(|b| b.is_ascii_digit())
        && !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit());
    ok.then_some(out)
}

/// A regular expression over normalised document numbers for a query that is the head of a
/// 文号 (an organ's abbreviation ending in 发, 函, 字 …, without year or number): its characters
/// in order, up to two others between them (灵教发 → 灵教体发〔2021〕3号). `None` for other text.
pub fn doc_number_head_pattern(text: &str) -> Option<String> {
    let chars: Vec<char> = text.trim().chars().collect();
    let cjk = |c: &char| ('\u{4e00}'..='\u{9fff}').contains(c);
    let head = (2..=10).contains(&chars.len())
        && chars.iter().all(cjk)
        && chars
            .last()
            .is_some_and(|c| "发函字令通办复报".contains(*c));
    head.then(|| {
        let mut p = String::new();
        for (i, c) in chars.iter().enumerate() {
            if i > 0 {
                p.push_str(".{0,2}");
            }
            p.push(*c);
        }
        p.push_str("〔.*");
        p
    })
}

/// The search index in a folder.
pub struct Index {
    index: tantivy::Index,
    reader: IndexReader,
    fields: Fields,
    seg: Arc<Segmenter>,
    dir: PathBuf,
    writer: Mutex<Option<IndexWriter>>,
}

/// Memory for the writer the portal keeps open; small, because publications come one by one.
const SERVER_WRITER_HEAP: usize = 30_000_000;

impl Index {
    /// Opens the index in `dir`, creating it (and the folder) if needed. An index written by
    /// another version of gongkai is discarded: it is a cache, [`Index::rebuild`] refills it.
    pub fn open_or_create(dir: impl AsRef<Path>) -> Result<Index> {
        Index::open_with(dir, Arc::new(Segmenter::new()))
    }

    /// Like [`Index::open_or_create`] with a segmenter that knows more words (unit names).
    pub fn open_with(dir: impl AsRef<Path>, seg: Arc<Segmenter>) -> Result<Index> {
        let dir = dir.as_ref().to_path_buf();
        std::fs::create_dir_all(&dir)?;
        let version_path = dir.join(VERSION_FILE);
        let version = std::fs::read_to_string(&version_path).unwrap_or_default();
        let (schema, fields) = schema();
        let has_index = dir.join("meta.json").exists();
        if has_index && version.trim() != SCHEMA_VERSION {
            // Only our own files are removed: the folder may have been given by the user.
            for entry in std::fs::read_dir(&dir)? {
                let p = entry?.path();
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                let ours = name == "meta.json"
                    || name == ".managed.json"
                    || name.ends_with(".lock")
                    || name.contains('.')
                        && name.split('.').next().is_some_and(|s| {
                            s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())
                        });
                if ours && p.is_file() {
                    std::fs::remove_file(&p)?;
                }
            }
        }
        let mmap = tantivy::directory::MmapDirectory::open(&dir)
            .map_err(|e| Error::Invalid(format!("搜索索引目录无法打开：{e}")))?;
        let index = tantivy::Index::open_or_create(mmap, schema)?;
        std::fs::write(&version_path, SCHEMA_VERSION)?;
        Index::finish(index, fields, seg, dir)
    }

    /// An index in memory (tests).
    pub fn in_memory() -> Result<Index> {
        let (schema, fields) = schema();
        let index = tantivy::Index::create_in_ram(schema);
        Index::finish(index, fields, Arc::new(Segmenter::new()), PathBuf::new())
    }

    fn finish(
        index: tantivy::Index,
        fields: Fields,
        seg: Arc<Segmenter>,
        dir: PathBuf,
    ) -> Result<Index> {
        index.tokenizers().register(
            INDEX_TOKENIZER,
            TextAnalyzer::from(GovTokenizer::new(seg.clone(), Mode::Index)),
        );
        index.tokenizers().register(
            QUERY_TOKENIZER,
            TextAnalyzer::from(GovTokenizer::new(seg.clone(), Mode::Query)),
        );
        index
            .tokenizers()
            .register(grams::GRAM_TOKENIZER, grams::BigramTokenizer);
        index.tokenizers().register(
            HIGHLIGHT_TOKENIZER,
            TextAnalyzer::from(GovTokenizer::new(seg.clone(), Mode::Highlight)),
        );
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        Ok(Index {
            index,
            reader,
            fields,
            seg,
            dir,
            writer: Mutex::new(None),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Number of documents in the index.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn open_writer(&self, heap: usize, threads: usize) -> Result<IndexWriter> {
        match self.index.writer_with_num_threads(threads, heap) {
            Ok(w) => Ok(w),
            Err(tantivy::TantivyError::LockFailure(..)) => Err(Error::Locked),
            Err(e) => Err(e.into()),
        }
    }

    fn with_writer<T>(&self, f: impl FnOnce(&mut IndexWriter) -> Result<T>) -> Result<T> {
        let mut guard = self.writer.lock().expect("writer lock");
        if guard.is_none() {
            *guard = Some(self.open_writer(SERVER_WRITER_HEAP, 1)?);
        }
        let w = guard.as_mut().expect("writer just opened");
        let out = match f(w).and_then(|out| w.commit().map(|_| out).map_err(Error::from)) {
            Ok(out) => out,
            Err(e) => {
                // A writer that failed may be unusable: drop it (rolling back what it held) so
                // the next attempt opens a fresh one.
                *guard = None;
                return Err(e);
            }
        };
        // Searches right after a publication must see it: reload now rather than on the timer.
        self.reader.reload()?;
        Ok(out)
    }

    fn to_tantivy(&self, d: &Doc) -> TantivyDocument {
        let f = &self.fields;
        let mut t = TantivyDocument::default();
        t.add_text(f.id, &d.id);
        t.add_text(f.kind, d.kind.unwrap_or(Kind::Item).code());
        t.add_text(f.title, &d.title);
        t.add_text(f.doc_number, &d.doc_number);
        if let Some(key) = normalize_doc_number(&d.doc_number) {
            t.add_text(f.doc_number_key, key);
        }
        t.add_text(f.summary, &d.summary);
        t.add_text(f.body, &d.body);
        t.add_text(f.unit, &d.unit);
        for &o in &d.organ_ids {
            t.add_i64(f.organ, o);
        }
        t.add_text(f.category, &d.category);
        if let Some(date) = d.date {
            use chrono::Datelike;
            t.add_i64(f.year, date.year() as i64);
            t.add_i64(f.date, date_key(date));
        }
        t.add_text(f.validity, &d.validity);
        t.add_text(f.doc_type, &d.doc_type);
        t.add_text(f.url, &d.url);
        for short in [&d.title, &d.doc_number, &d.unit, &d.summary] {
            t.add_text(f.grams, short);
        }
        let demoted = matches!(d.validity.as_str(), "repealed" | "expired");
        t.add_i64(f.demoted, demoted as i64);
        t
    }

    /// Adds a document (without removing an older one of the same id: see [`Index::update`]).
    pub fn add(&self, doc: &Doc) -> Result<()> {
        let t = self.to_tantivy(doc);
        self.with_writer(|w| {
            w.add_document(t)?;
            Ok(())
        })
    }

    /// Replaces the document with `doc.id` (or adds it). Called on publication and on edits of
    /// published items.
    pub fn update(&self, doc: &Doc) -> Result<()> {
        let t = self.to_tantivy(doc);
        let term = Term::from_field_text(self.fields.id, &doc.id);
        self.with_writer(|w| {
            w.delete_term(term);
            w.add_document(t)?;
            Ok(())
        })
    }

    /// Removes the document with this id (withdrawal, deletion). Removing an absent id is fine.
    pub fn delete(&self, id: &str) -> Result<()> {
        let term = Term::from_field_text(self.fields.id, id);
        self.with_writer(|w| {
            w.delete_term(term);
            Ok(())
        })
    }

    /// Empties the index and fills it from `docs`, calling `progress(done)` now and then.
    /// Nothing is visible to searches until the end, when the new content replaces the old at
    /// once; a failure leaves the old content in place.
    pub fn rebuild<I, E>(&self, docs: I, mut progress: impl FnMut(u64)) -> Result<u64>
    where
        I: IntoIterator<Item = std::result::Result<Doc, E>>,
        E: std::fmt::Display,
    {
        let mut guard = self.writer.lock().expect("writer lock");
        // The portal's small writer (if any) gives way to a larger one for the bulk work.
        *guard = None;
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, 4);
        let mut w = self.open_writer(200_000_000 * threads, threads)?;
        let result = (|| {
            w.delete_all_documents()?;
            let mut n = 0u64;
            for d in docs {
                let d = d.map_err(|e| Error::Invalid(format!("读取待索引内容失败：{e}")))?;
                w.add_document(self.to_tantivy(&d))?;
                n += 1;
                if n.is_multiple_of(1000) {
                    progress(n);
                }
            }
            progress(n);
            w.commit()?;
            Ok(n)
        })();
        match result {
            Ok(n) => {
                w.wait_merging_threads()?;
                self.reader.reload()?;
                Ok(n)
            }
            Err(e) => {
                let _ = w.rollback();
                Err(e)
            }
        }
    }

    /// Query-mode words of a text, as the index would look them up.
    pub fn query_words(&self, text: &str) -> Vec<String> {
        self.seg
            .query_words(text)
            .into_iter()
            .map(|w| w.text)
            .collect()
    }

    fn build_query(&self, q: &Query) -> Box<dyn TQuery> {
        let f = self.fields;
        let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        let text = q.text.trim();
        if let Some(key) = normalize_doc_number(text) {
            // A document number: the document that bears it, then documents that cite it.
            let exact: Box<dyn TQuery> = Box::new(BoostQuery::new(
                Box::new(ConstScoreQuery::new(
                    Box::new(TermQuery::new(
                        Term::from_field_text(f.doc_number_key, &key),
                        IndexRecordOption::Basic,
                    )),
                    1.0,
                )),
                1000.0,
            ));
            let mut either = vec![(Occur::Should, exact)];
            let words = self.seg.query_words(text);
            for field in [f.body, f.title] {
                if let Some(p) = phrase(field, &words) {
                    either.push((Occur::Should, p));
                }
            }
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(either))));
        } else if !text.is_empty() {
            let words_from = clauses.len();
            for part in split_query(text) {
                let words = self.seg.query_words(&part.text);
                let words: Vec<_> = if words.len() > 1 {
                    // Function words add nothing but misses; keep them only if alone.
                    let content: Vec<_> = words
                        .iter()
                        .filter(|w| !STOP_WORDS.contains(&w.text.as_str()))
                        .cloned()
                        .collect();
                    if content.is_empty() { words } else { content }
                } else {
                    words
                };
                if words.is_empty() {
                    continue;
                }
                if part.quoted {
                    let alts: Vec<(Occur, Box<dyn TQuery>)> =
                        [(f.title, 3.0), (f.summary, 1.5), (f.body, 1.0)]
                            .into_iter()
                            .filter_map(|(field, boost)| {
                                phrase(field, &words).map(|p| {
                                    (Occur::Should, Box::new(BoostQuery::new(p, boost)) as _)
                                })
                            })
                            .collect();
                    if alts.is_empty() {
                        clauses.push((Occur::Must, self.any_field(&words[0].text)));
                    } else {
                        clauses.push((Occur::Must, Box::new(BooleanQuery::new(alts))));
                    }
                    continue;
                }
                let each: Vec<(Occur, Box<dyn TQuery>)> = words
                    .iter()
                    .map(|w| (Occur::Must, self.any_field(&w.text)))
                    .collect();
                match grams::pair_query(f.grams, &part.text)
                    .filter(|_| grams::needs_pairs(&self.seg, &words, |w| self.unknown(w)))
                {
                    // A fragment (灵教, 四小): its words, or its characters as typed.
                    Some(pairs) => {
                        let either: Vec<(Occur, Box<dyn TQuery>)> = vec![
                            (Occur::Should, Box::new(BooleanQuery::new(each))),
                            (Occur::Should, Box::new(BoostQuery::new(pairs, 3.0))),
                        ];
                        clauses.push((Occur::Must, Box::new(BooleanQuery::new(either))));
                    }
                    None => clauses.extend(each),
                }
                // Words typed together score more where they stand together.
                for (field, boost) in [(f.title, 4.0), (f.body, 1.5)] {
                    if let Some(p) = phrase(field, &words) {
                        clauses.push((Occur::Should, Box::new(BoostQuery::new(p, boost))));
                    }
                }
            }
            // The head of a 文号 (灵教发): its words, or any document number of that family —
            // 灵教体发〔2021〕3号 too — ranked after the documents that match the words.
            if let Some(pattern) = doc_number_head_pattern(text)
                && let Ok(re) = RegexQuery::from_pattern(&pattern, f.doc_number_key)
            {
                let words = clauses.split_off(words_from);
                let partial: Box<dyn TQuery> = Box::new(BoostQuery::new(
                    Box::new(ConstScoreQuery::new(Box::new(re), 1.0)),
                    0.5,
                ));
                let mut either = vec![(Occur::Should, partial)];
                if !words.is_empty() {
                    either.push((Occur::Should, Box::new(BooleanQuery::new(words)) as _));
                }
                clauses.push((Occur::Must, Box::new(BooleanQuery::new(either))));
            }
            if clauses.is_empty() {
                // Only punctuation: nothing can match.
                return Box::new(BooleanQuery::new(vec![(
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(f.id, "\u{0}"),
                        IndexRecordOption::Basic,
                    )) as Box<dyn TQuery>,
                )]));
            }
        }
        let flt = &q.filters;
        let mut filter = |field: Field, value: &str| {
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, value),
                        IndexRecordOption::Basic,
                    )),
                    0.0,
                )),
            ));
        };
        if let Some(c) = &flt.category {
            filter(f.category, c);
        }
        if let Some(k) = flt.kind {
            filter(f.kind, k.code());
        }
        if let Some(v) = &flt.validity {
            filter(f.validity, v);
        }
        if let Some(t) = &flt.doc_type {
            filter(f.doc_type, t);
        }
        let mut num = |term: Term| {
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                    0.0,
                )),
            ));
        };
        if let Some(o) = flt.organ_id {
            num(Term::from_field_i64(f.organ, o));
        }
        if let Some(y) = flt.year {
            num(Term::from_field_i64(f.year, y as i64));
        }
        if clauses.is_empty() {
            Box::new(AllQuery)
        } else {
            Box::new(BooleanQuery::new(clauses))
        }
    }

    /// Whether no document has `word` in a searchable field.
    fn unknown(&self, word: &str) -> bool {
        let f = self.fields;
        let searcher = self.reader.searcher();
        [f.title, f.doc_number, f.summary, f.unit, f.body]
            .into_iter()
            .all(|field| {
                searcher
                    .doc_freq(&Term::from_field_text(field, word))
                    .is_ok_and(|n| n == 0)
            })
    }

    /// A word in any searchable field, titles weighing most.
    fn any_field(&self, word: &str) -> Box<dyn TQuery> {
        let f = self.fields;
        let alts = [
            (f.title, 3.0),
            (f.doc_number, 2.0),
            (f.summary, 1.5),
            (f.unit, 1.2),
            (f.body, 1.0),
        ]
        .into_iter()
        .map(|(field, boost)| {
            let t = TermQuery::new(
                Term::from_field_text(field, word),
                IndexRecordOption::WithFreqs,
            );
            (
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(t), boost)) as Box<dyn TQuery>,
            )
        })
        .collect();
        Box::new(BooleanQuery::new(alts))
    }

    /// Runs a search. With no words, lists the filtered documents newest first.
    pub fn search(&self, q: &Query) -> Result<Results> {
        let searcher = self.reader.searcher();
        let query = self.build_query(q);
        let limit = q.limit.clamp(1, 1000);
        let f = self.fields;
        let (total, addrs): (usize, Vec<(f32, DocAddress)>) =
            if q.text.trim().is_empty() || q.newest_first {
                let top = TopDocs::with_limit(limit)
                    .and_offset(q.offset)
                    .order_by_fast_field::<i64>("date", Order::Desc);
                let (n, docs) = searcher.search(&query, &(Count, top))?;
                (n, docs.into_iter().map(|(_, a)| (0.0, a)).collect())
            } else {
                let top = TopDocs::with_limit(limit).and_offset(q.offset).tweak_score(
                    |seg: &tantivy::SegmentReader| {
                        let col = |name: &str| {
                            seg.fast_fields()
                                .i64(name)
                                .ok()
                                .map(|c| c.first_or_default_col(0))
                        };
                        let (demoted, date) = (col("demoted"), col("date"));
                        move |doc: tantivy::DocId, score: tantivy::Score| {
                            let d = demoted.as_ref().map_or(0, |c| c.get_val(doc));
                            let days = date.as_ref().map_or(0, |c| c.get_val(doc));
                            // Repealed or expired documents sink; among equals, newer ones come
                            // first (a few percent over twenty years, so relevance still leads).
                            let years = ((days - DATE_BASE) as f32 / 365.0).clamp(0.0, 40.0);
                            score * if d == 1 { 0.5 } else { 1.0 } * (1.0 + 0.002 * years)
                        }
                    },
                );
                searcher.search(&query, &(Count, top))?
            };
        let highlight = self
            .index
            .tokenizers()
            .get(HIGHLIGHT_TOKENIZER)
            .ok_or_else(|| Error::Invalid("highlight tokenizer missing".into()))?;
        // As SnippetGenerator::create, but with the highlighting order of the index words
        // (the index tokenizer's nested words would break its fragment arithmetic).
        let snippet = |field: Field, chars: usize| -> Result<SnippetGenerator> {
            let mut terms = std::collections::BTreeSet::new();
            query.query_terms(&mut |term, _| {
                if term.field() == field {
                    terms.insert(term.clone());
                }
            });
            let mut texts = std::collections::BTreeMap::new();
            for term in terms {
                if let Some(t) = term.value().as_str() {
                    let df = searcher.doc_freq(&term)?;
                    if df > 0 {
                        texts.insert(t.to_string(), 1.0 / (1.0 + df as f32));
                    }
                }
            }
            Ok(SnippetGenerator::new(
                texts,
                highlight.clone(),
                field,
                chars,
            ))
        };
        let (title_gen, body_gen, summary_gen) = (
            snippet(f.title, 200)?,
            snippet(f.body, 120)?,
            snippet(f.summary, 120)?,
        );
        let mut hits = Vec::with_capacity(addrs.len());
        for (score, addr) in addrs {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let s = |field: Field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            let title = s(f.title);
            let mut title_snip = title_gen.snippet(&title);
            title_snip.set_snippet_prefix_postfix("<b>", "</b>");
            let title_html = if title_snip.is_empty() {
                escape(&title)
            } else {
                title_snip.to_html()
            };
            let body = s(f.body);
            let summary = s(f.summary);
            let (mut snip, mut src) = (body_gen.snippet(&body), &body);
            if snip.is_empty() {
                (snip, src) = (summary_gen.snippet(&summary), &summary);
            }
            let snippet_html = if snip.is_empty() {
                // Nothing matched in the text (a title or 文号 hit): show its opening.
                let src = if summary.is_empty() { &body } else { &summary };
                escape(&src.chars().take(120).collect::<String>())
            } else {
                snip.set_snippet_prefix_postfix("<b>", "</b>");
                // A fragment ends with its last word: the punctuation after it (the sentence's
                // 。) is given back, so a snippet never loses its last character.
                let tail: String = src
                    .find(snip.fragment())
                    .map(|at| &src[at + snip.fragment().len()..])
                    .unwrap_or("")
                    .chars()
                    .take_while(|c| !c.is_alphanumeric() && !c.is_whitespace())
                    .take(3)
                    .collect();
                snip.to_html() + &escape(&tail)
            };
            let date = doc
                .get_first(f.date)
                .and_then(|v| v.as_i64())
                .and_then(date_from_key);
            hits.push(Hit {
                id: s(f.id),
                kind: Kind::parse(&s(f.kind)).unwrap_or(Kind::Item),
                title,
                title_html,
                snippet_html,
                doc_number: s(f.doc_number),
                unit: s(f.unit),
                category: s(f.category),
                date,
                url: s(f.url),
                score,
            });
        }
        Ok(Results { total, hits })
    }
}

/// Words that carry no meaning on their own in a query.
const STOP_WORDS: &[&str] = &[
    "的", "了", "和", "与", "及", "或", "在", "对", "是", "等", "之", "为", "有关",
];

/// A phrase of query words in `field`, at their character offsets; `None` for a single word.
fn phrase(field: Field, words: &[tokenizer::Word]) -> Option<Box<dyn TQuery>> {
    if words.len() < 2 {
        return None;
    }
    let base = words[0].position;
    let terms = words
        .iter()
        .map(|w| (w.position - base, Term::from_field_text(field, &w.text)))
        .collect();
    Some(Box::new(PhraseQuery::new_with_offset(terms)))
}

struct Part {
    text: String,
    quoted: bool,
}

/// Splits a query on spaces, keeping "quoted phrases" (ASCII or Chinese quotes) whole.
fn split_query(text: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let flush = |cur: &mut String, quoted: bool, parts: &mut Vec<Part>| {
        if !cur.trim().is_empty() {
            parts.push(Part {
                text: std::mem::take(cur),
                quoted,
            });
        }
        cur.clear();
    };
    for c in text.chars() {
        match c {
            '"' | '“' | '”' | '「' | '」' => {
                flush(&mut cur, quoted, &mut parts);
                quoted = !quoted;
            }
            c if c.is_whitespace() && !quoted => flush(&mut cur, false, &mut parts),
            c => cur.push(c),
        }
    }
    flush(&mut cur, quoted, &mut parts);
    parts
}

/// Day number of 2000-01-01, the origin of the recency bonus.
const DATE_BASE: i64 = 730_120;

fn date_key(d: NaiveDate) -> i64 {
    use chrono::Datelike;
    d.num_days_from_ce() as i64
}

fn date_from_key(k: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(k).ok()?)
}

#[cfg(test)]
mod tests;
