//! Glossary links inside running text: the first mention of each term (by any
//! of its aliases, whole words, longest alias first) becomes a link.

use super::{Catalog, Term};

/// A piece of text: plain, or the mention of a term.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment<'a> {
    Text(&'a str),
    Term { text: &'a str, slug: &'a str },
}

/// Words of `text` with their byte ranges (letters and digits, as `words`).
fn spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, ch) in text.char_indices() {
        match (ch.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// Does alias `alias` start at word `w` of `text`? Returns the words it spans.
fn alias_at(text: &str, words: &[(usize, usize)], w: usize, alias: &str) -> Option<usize> {
    let caps = alias.chars().any(|c| c.is_ascii_alphabetic())
        && !alias.chars().any(|c| c.is_ascii_lowercase());
    let needle: Vec<&str> = alias
        .split(|c: char| !c.is_alphanumeric())
        .filter(|s| !s.is_empty())
        .collect();
    if needle.is_empty() || w + needle.len() > words.len() {
        return None;
    }
    let same = needle.iter().enumerate().all(|(k, n)| {
        let (s, e) = words[w + k];
        let word = &text[s..e];
        if caps {
            word == *n
        } else {
            word.to_lowercase() == n.to_lowercase()
        }
    });
    same.then_some(needle.len())
}

/// `text` split so that the first mention of each term in `terms` (slugs; all
/// terms when empty) is a link.
pub fn link_terms<'a>(catalog: &'a Catalog, text: &'a str, terms: &[String]) -> Vec<Segment<'a>> {
    let wanted: Vec<&Term> = catalog
        .terms
        .iter()
        .filter(|t| terms.is_empty() || terms.contains(&t.slug))
        .collect();
    let spans = spans(text);
    let words = spans.as_slice();
    let mut linked: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    let mut plain_from = 0;
    let mut w = 0;
    while w < words.len() {
        // The longest alias of a term not linked yet that starts here.
        let best = wanted
            .iter()
            .filter(|t| !linked.contains(&t.slug.as_str()))
            .flat_map(|t| {
                t.aliases
                    .iter()
                    .filter_map(move |a| alias_at(text, words, w, a).map(|n| (n, *t)))
            })
            .max_by_key(|(n, _)| *n);
        match best {
            Some((n, term)) => {
                let (start, _) = words[w];
                let (_, end) = words[w + n - 1];
                if plain_from < start {
                    out.push(Segment::Text(&text[plain_from..start]));
                }
                out.push(Segment::Term {
                    text: &text[start..end],
                    slug: &term.slug,
                });
                linked.push(&term.slug);
                plain_from = end;
                w += n;
            }
            None => w += 1,
        }
    }
    if plain_from < text.len() {
        out.push(Segment::Text(&text[plain_from..]));
    }
    out
}

/// Paragraphs of a reading: split on blank lines, each trimmed.
pub fn paragraphs(text: &str) -> Vec<&str> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}
