//! Two-character fragments: 灵教 (the head of 灵教发, the short name of 灵武市教育局) or 四小 (第四
//! 小学) are not words jieba knows, so the query cuts them into single characters that no word
//! of the index matches. The short fields of a document (title, 文号, issuing unit, summary) are
//! also indexed as overlapping character pairs, and a query part that jieba can only cut into
//! single characters is looked up there as a phrase of pairs: the fragment must stand as typed.
//! Parts that are words (民政, 招生) never use the pairs, so 民政 still does not find 人民政府.

use crate::tokenizer::{Segmenter, Word};
use tantivy::Term;
use tantivy::query::{PhraseQuery, Query as TQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

pub const GRAM_TOKENIZER: &str = "gov_bigram";

/// Overlapping pairs of characters within each run of letters and digits (no pair spans a
/// space or punctuation); Latin letters lowercased. Positions are the pair's first character.
#[derive(Clone, Default)]
pub struct BigramTokenizer;

fn pairs(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (i, w) in chars.windows(2).enumerate() {
        let ((a_at, a), (_, b)) = (w[0], w[1]);
        if !a.is_alphanumeric() || !b.is_alphanumeric() {
            continue;
        }
        let end = chars.get(i + 2).map_or(text.len(), |c| c.0);
        out.push(Token {
            offset_from: a_at,
            offset_to: end,
            position: i,
            text: format!("{a}{b}").to_lowercase(),
            position_length: 1,
        });
    }
    out
}

pub struct PairStream {
    pairs: std::vec::IntoIter<Token>,
    token: Token,
}

impl Tokenizer for BigramTokenizer {
    type TokenStream<'a> = PairStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PairStream {
        PairStream {
            pairs: pairs(text).into_iter(),
            token: Token::default(),
        }
    }
}

impl TokenStream for PairStream {
    fn advance(&mut self) -> bool {
        match self.pairs.next() {
            Some(t) => {
                self.token = t;
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

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

/// Whether a query part needs the pairs: one of its Chinese words is a lone character, a run
/// jieba's HMM glued together because the dictionary has no word there, or a word no document
/// of the index contains (`unknown`) — 灵教, 四小. A word documents do contain is looked up as a
/// word only: 民政 does not find 人民政府 where documents about 民政 exist.
pub fn needs_pairs(seg: &Segmenter, words: &[Word], unknown: impl Fn(&str) -> bool) -> bool {
    words.iter().any(|w| {
        w.text.chars().all(is_cjk) && (w.chars == 1 || !seg.knows(&w.text) || unknown(&w.text))
    })
}

/// The part as a phrase of character pairs in `field` (a single pair for two characters);
/// `None` when it has no pair (one character, or only punctuation).
pub fn pair_query(field: Field, part: &str) -> Option<Box<dyn TQuery>> {
    let toks = pairs(part);
    match toks.len() {
        0 => None,
        1 => Some(Box::new(TermQuery::new(
            Term::from_field_text(field, &toks[0].text),
            IndexRecordOption::WithFreqs,
        ))),
        _ => {
            // Pairs across punctuation are skipped, so a part with gaps is not one phrase:
            // only a run without gaps is asked for as written.
            let contiguous = toks.windows(2).all(|w| w[1].position == w[0].position + 1);
            if !contiguous {
                return None;
            }
            let base = toks[0].position;
            let terms = toks
                .iter()
                .map(|t| (t.position - base, Term::from_field_text(field, &t.text)))
                .collect();
            Some(Box::new(PhraseQuery::new_with_offset(terms)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_stay_inside_runs_of_letters() {
        let t: Vec<String> = pairs("灵教发〔2025〕1号 四小")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(t, ["灵教", "教发", "20", "02", "25", "1号", "四小"]);
    }

    #[test]
    fn only_fragments_of_single_characters_use_pairs() {
        let seg = crate::tokenizer::Segmenter::new();
        let known = |_: &str| false;
        assert!(needs_pairs(&seg, &seg.query_words("灵教"), known));
        assert!(!needs_pairs(&seg, &seg.query_words("民政"), known));
        assert!(!needs_pairs(&seg, &seg.query_words("招生"), known));
        // A dictionary word no document contains (第四小学 is indexed as 第四|小学).
        assert!(needs_pairs(&seg, &seg.query_words("四小"), |w| w == "四小"));
    }
}
