//! Chinese tokenization for the index: jieba with government terms, two modes.
//!
//! * Query mode is jieba's default cut: `民政` stays `民政`, `人民政府` stays `人民政府`.
//! * Index mode emits the default cut plus, for every word longer than two characters, the
//!   words of its own best segmentation, recursively (`灵武市教育体育局` → `灵武市`, `灵武`,
//!   `教育`, `体育局`, `体育`). A query for a part of a long word therefore finds it.
//!
//! Why not jieba's search mode: it emits every 2- and 3-character dictionary word inside a
//! word, so `人民政府` is indexed with `民政` and a search for 民政 (civil affairs) returns every
//! document that mentions a people's government. Here only the sub-words that lie on the word's
//! own best segmentation (人民|政府) are indexed, computed with jieba's frequencies.
//!
//! Positions are character offsets (as in tantivy-jieba), so a sub-word sits at the same
//! position as the text it covers and phrase queries built from query-mode tokens line up.
//!
//! tantivy-jieba is not used: with a custom dictionary it clones the whole `Jieba` (hundreds of
//! thousands of words) every time tantivy clones the analyzer, which it does per indexing thread
//! and per query. This tokenizer shares one `Jieba` behind an `Arc`.

use jieba_rs::{Jieba, TokenizeMode};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The government terms added to jieba's dictionary (`word freq tag` per line).
const GOV_TERMS: &str = include_str!("gov_terms.txt");

/// ln of the sum of word frequencies of jieba's default dictionary (about 6.0e7); jieba keeps its
/// own copy private. Only used to weigh a segmentation with more pieces against one with fewer.
const LOG_TOTAL: f64 = 17.91;

/// Sub-segmentations cached per word: the set of long words in a corpus is small.
const CACHE_LIMIT: usize = 200_000;

/// Character ranges of a word's sub-words.
type Ranges = Arc<[(u32, u32)]>;

/// A jieba instance with the government dictionary, shared by every tokenizer clone.
pub struct Segmenter {
    jieba: Jieba,
    subwords: Mutex<HashMap<String, Ranges>>,
}

impl std::fmt::Debug for Segmenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Segmenter")
    }
}

/// A word of the input with its byte range and its character position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub byte_from: usize,
    pub byte_to: usize,
    /// Character offset of the word in the input.
    pub position: usize,
    /// Length in characters.
    pub chars: usize,
}

impl Segmenter {
    /// jieba's default dictionary plus the government terms.
    pub fn new() -> Segmenter {
        Segmenter::with_extra_words(std::iter::empty::<&str>())
    }

    /// Also adds `extra` words (organ and unit names of this installation, say).
    pub fn with_extra_words<'a>(extra: impl IntoIterator<Item = &'a str>) -> Segmenter {
        let mut jieba = Jieba::new();
        for line in GOV_TERMS.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.split_whitespace();
            let Some(word) = parts.next() else { continue };
            let freq = parts.next().and_then(|f| f.parse().ok());
            let tag = parts.next();
            jieba.add_word(word, freq, tag);
        }
        for w in extra {
            let w = w.trim();
            if w.chars().count() >= 2 && !jieba.has_word(w) {
                jieba.add_word(w, None, Some("nt"));
            }
        }
        Segmenter {
            jieba,
            subwords: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `word` is a word of the dictionary (not one jieba's HMM made up).
    pub fn knows(&self, word: &str) -> bool {
        self.jieba.has_word(word)
    }

    /// Query mode: jieba's default cut, without spaces and punctuation, Latin letters lowercased.
    pub fn query_words(&self, text: &str) -> Vec<Word> {
        let mut out = Vec::new();
        for t in self.jieba.tokenize(text, TokenizeMode::Default, true) {
            if is_searchable(t.word) {
                out.push(Word {
                    text: lowercase(t.word),
                    byte_from: t.byte_start,
                    byte_to: t.byte_end,
                    position: t.start,
                    chars: t.end - t.start,
                });
            }
        }
        out
    }

    /// Index mode: the default cut plus the sub-words of each long word (see the module notes).
    pub fn index_words(&self, text: &str) -> Vec<Word> {
        let mut out = Vec::new();
        for w in self.query_words(text) {
            if w.chars > 2 {
                let word = &text[w.byte_from..w.byte_to];
                let subs = self.subwords_of(word);
                let offsets: Vec<usize> = word
                    .char_indices()
                    .map(|(b, _)| b)
                    .chain(std::iter::once(word.len()))
                    .collect();
                for &(s, e) in subs.iter() {
                    let (s, e) = (s as usize, e as usize);
                    out.push(Word {
                        text: lowercase(&word[offsets[s]..offsets[e]]),
                        byte_from: w.byte_from + offsets[s],
                        byte_to: w.byte_from + offsets[e],
                        position: w.position + s,
                        chars: e - s,
                    });
                }
            }
            out.push(w);
        }
        out
    }

    /// Character ranges of the sub-words of `word` (two characters or more), recursively,
    /// excluding the word itself. Cached.
    fn subwords_of(&self, word: &str) -> Ranges {
        if let Some(hit) = self.subwords.lock().expect("cache lock").get(word) {
            return hit.clone();
        }
        let mut ranges = Vec::new();
        self.collect_subwords(word, 0, &mut ranges);
        let ranges: Ranges = ranges.into();
        let mut cache = self.subwords.lock().expect("cache lock");
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(word.to_string(), ranges.clone());
        ranges
    }

    fn collect_subwords(&self, word: &str, base: u32, out: &mut Vec<(u32, u32)>) {
        let chars: Vec<(usize, char)> = word.char_indices().collect();
        let n = chars.len();
        if n <= 2 || !word.chars().all(is_han) {
            return;
        }
        let byte = |i: usize| if i == n { word.len() } else { chars[i].0 };
        // Dictionary words inside `word` (not the whole), as edges start → end.
        let mut edges: Vec<Vec<usize>> = vec![Vec::new(); n];
        for t in self.jieba.cut_all(word) {
            if t.end - t.start >= 2 && !(t.start == 0 && t.end == n) {
                edges[t.start].push(t.end);
            }
        }
        // Best route by jieba's own measure: the sum of log frequencies, from the end.
        let mut best = vec![(0.0f64, n); n + 1];
        for i in (0..n).rev() {
            let single = self.log_freq(&word[byte(i)..byte(i + 1)]);
            let mut choice = (single + best[i + 1].0, i + 1);
            for &j in &edges[i] {
                let score = self.log_freq(&word[byte(i)..byte(j)]) + best[j].0;
                if score > choice.0 {
                    choice = (score, j);
                }
            }
            best[i] = choice;
        }
        let mut i = 0;
        while i < n {
            let j = best[i].1;
            if j - i >= 2 {
                out.push((base + i as u32, base + j as u32));
                self.collect_subwords(&word[byte(i)..byte(j)], base + i as u32, out);
            }
            i = j;
        }
    }

    fn log_freq(&self, w: &str) -> f64 {
        // For a dictionary word that jieba keeps whole, `suggest_freq` is its frequency plus one;
        // for anything else it is at least 1.
        let f = self.jieba.suggest_freq(w).saturating_sub(1).max(1);
        (f as f64).ln() - LOG_TOTAL
    }
}

impl Default for Segmenter {
    fn default() -> Self {
        Segmenter::new()
    }
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// Words worth indexing: anything with a letter, digit or Chinese character in it.
fn is_searchable(w: &str) -> bool {
    // Most words are Chinese: decided on the first character without Unicode tables.
    w.chars().any(|c| is_han(c) || c.is_alphanumeric())
}

/// The word lowercased; Chinese words (most of them) have no case and are copied as they are.
fn lowercase(w: &str) -> String {
    if w.chars().all(is_han) {
        w.to_string()
    } else {
        w.to_lowercase()
    }
}

/// Which cut a [`GovTokenizer`] produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Index,
    Query,
    /// The index words in the order tantivy's snippet generator needs: by start offset, longer
    /// first, with an empty marker closing each run of nested words at its end (the generator
    /// takes a fragment's end from the last token and its start from a new fragment's first).
    Highlight,
}

/// A tantivy tokenizer over a shared [`Segmenter`].
#[derive(Clone, Debug)]
pub struct GovTokenizer {
    seg: Arc<Segmenter>,
    mode: Mode,
}

impl GovTokenizer {
    pub fn new(seg: Arc<Segmenter>, mode: Mode) -> GovTokenizer {
        GovTokenizer { seg, mode }
    }
}

fn highlight_order(mut words: Vec<Word>) -> Vec<Word> {
    words.sort_by(|a, b| {
        a.byte_from
            .cmp(&b.byte_from)
            .then(b.byte_to.cmp(&a.byte_to))
    });
    let mut out = Vec::with_capacity(words.len() + 8);
    let mut max_to = 0;
    let mut last_to = 0;
    let close = |out: &mut Vec<Word>, max_to: usize, last_to: usize| {
        if last_to < max_to {
            out.push(Word {
                text: String::new(),
                byte_from: max_to,
                byte_to: max_to,
                position: 0,
                chars: 0,
            });
        }
    };
    for w in words {
        if w.byte_from >= max_to {
            close(&mut out, max_to, last_to);
        }
        max_to = max_to.max(w.byte_to);
        last_to = w.byte_to;
        out.push(w);
    }
    close(&mut out, max_to, last_to);
    out
}

pub struct WordStream {
    words: std::vec::IntoIter<Word>,
    token: Token,
}

impl Tokenizer for GovTokenizer {
    type TokenStream<'a> = WordStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream {
        let words = match self.mode {
            Mode::Index => self.seg.index_words(text),
            Mode::Query => self.seg.query_words(text),
            Mode::Highlight => highlight_order(self.seg.index_words(text)),
        };
        WordStream {
            words: words.into_iter(),
            token: Token::default(),
        }
    }
}

impl TokenStream for WordStream {
    fn advance(&mut self) -> bool {
        match self.words.next() {
            Some(w) => {
                self.token = Token {
                    offset_from: w.byte_from,
                    offset_to: w.byte_to,
                    position: w.position,
                    text: w.text,
                    position_length: w.chars,
                };
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(words: &[Word]) -> Vec<&str> {
        words.iter().map(|w| w.text.as_str()).collect()
    }

    #[test]
    fn people_government_does_not_yield_civil_affairs() {
        let seg = Segmenter::new();
        let idx = seg.index_words("灵武市人民政府关于印发通知");
        let t = texts(&idx);
        assert!(t.contains(&"人民政府"), "{t:?}");
        assert!(t.contains(&"政府"), "{t:?}");
        assert!(!t.contains(&"民政"), "{t:?}");
    }

    #[test]
    fn long_organ_names_index_their_parts() {
        let seg = Segmenter::new();
        let t = seg.index_words("灵武市教育体育局");
        let t = texts(&t);
        for part in ["灵武市", "教育", "体育局", "体育"] {
            assert!(t.contains(&part), "{part} missing in {t:?}");
        }
        let q = seg.query_words("民政局的通知");
        assert_eq!(texts(&q), ["民政局", "的", "通知"]);
    }

    #[test]
    fn highlight_order_is_monotonic_with_closing_markers() {
        let seg = Segmenter::new();
        let text = "灵武市教育体育局发布通知";
        let words = highlight_order(seg.index_words(text));
        assert!(words.windows(2).all(|w| w[0].byte_from <= w[1].byte_from));
        // Every run of nested words ends with a token that reaches the run's end, so a
        // fragment never ends inside a highlighted word.
        let mut max_to = 0;
        for (i, w) in words.iter().enumerate() {
            max_to = max_to.max(w.byte_to);
            let next = words.get(i + 1);
            let run_ends = next.is_none_or(|n| n.byte_from >= max_to);
            let marked = next.is_some_and(|n| n.text.is_empty() && n.byte_to == max_to);
            if run_ends && !marked {
                assert_eq!(w.byte_to, max_to, "{words:?}");
            }
        }
        assert!(words.iter().any(|w| w.text == "体育局"));
    }

    #[test]
    fn positions_are_character_offsets() {
        let seg = Segmenter::new();
        let words = seg.index_words("关于教育体育局");
        let w = words.iter().find(|w| w.text == "体育局").unwrap();
        assert_eq!(w.position, 4);
        assert_eq!(&"关于教育体育局"[w.byte_from..w.byte_to], "体育局");
    }

    #[test]
    fn latin_letters_are_lowercased_and_punctuation_dropped() {
        let seg = Segmenter::new();
        let t = seg.query_words("GDP与PM2.5，ＡＢＣ教育");
        let t = texts(&t);
        assert!(t.contains(&"gdp"), "{t:?}");
        assert!(t.contains(&"教育"), "{t:?}");
        assert!(t.iter().all(|w| *w == w.to_lowercase()), "{t:?}");
        assert!(!t.contains(&"，"), "{t:?}");
    }
}
