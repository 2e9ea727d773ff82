//! Marks search terms in plain text with `<mark>`, escaping everything else.

use maud::{Markup, html};

/// Wraps each place where a word starts with one of `terms` (compared without letter case), as the search
/// index matched it. The text is escaped by maud; no markup from the text survives.
pub fn highlight(text: &str, terms: &[String]) -> Markup {
    let mut pieces = Vec::new();
    let mut cursor = 0;
    for (start, end) in matches(text, terms) {
        pieces.push((&text[cursor..start], &text[start..end]));
        cursor = end;
    }
    html! {
        @for (plain, marked) in pieces {
            (plain) mark { (marked) }
        }
        (text[cursor..])
    }
}

/// Characters of context shown before the first match, and in all.
const SNIPPET_BEFORE: usize = 60;
const SNIPPET_CHARS: usize = 220;

/// A short piece of `text` around the first place a term matches (its start when none does), with the
/// matches marked: whitespace folded, cut only between characters, `…` where it was cut.
pub fn snippet(text: &str, terms: &[String]) -> Markup {
    let folded: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let first = matches(&folded, terms)
        .first()
        .map_or(0, |(start, _)| *start);
    let chars_before = folded[..first].chars().count();
    let skip = chars_before.saturating_sub(SNIPPET_BEFORE);
    let start = folded.char_indices().nth(skip).map_or(0, |(at, _)| at);
    let end = folded[start..]
        .char_indices()
        .nth(SNIPPET_CHARS)
        .map_or(folded.len(), |(at, _)| start + at);
    html! {
        @if start > 0 { "… " }
        (highlight(&folded[start..end], terms))
        @if end < folded.len() { " …" }
    }
}

/// Byte ranges of the matches, in order and not overlapping.
fn matches(text: &str, terms: &[String]) -> Vec<(usize, usize)> {
    let terms: Vec<Vec<char>> = terms
        .iter()
        .filter(|t| !t.is_empty())
        .map(|t| t.chars().collect())
        .collect();
    let mut found = Vec::new();
    // Every list page passes its subjects through here; without a search there is nothing to look for.
    if terms.is_empty() {
        return found;
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let at_word_start = i == 0 || !chars[i - 1].1.is_alphanumeric();
        let longest = if at_word_start {
            terms
                .iter()
                .filter(|term| {
                    term.len() <= chars.len() - i
                        && term
                            .iter()
                            .zip(&chars[i..])
                            .all(|(t, (_, c))| c.to_lowercase().eq(t.to_lowercase()))
                })
                .map(Vec::len)
                .max()
        } else {
            None
        };
        match longest {
            Some(len) => {
                let end = chars.get(i + len).map_or(text.len(), |(byte, _)| *byte);
                found.push((chars[i].0, end));
                i += len;
            }
            None => i += 1,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn word_starts_are_marked_and_everything_is_escaped() {
        let html = highlight("Flask <b>flask</b> unflask", &terms(&["flask"])).into_string();
        assert_eq!(
            html,
            "<mark>Flask</mark> &lt;b&gt;<mark>flask</mark>&lt;/b&gt; unflask"
        );
    }

    #[test]
    fn a_snippet_shows_the_first_match_in_context_and_never_splits_a_character() {
        let text = format!("{} 파이썬을 배우는 {}", "가".repeat(300), "나".repeat(300));
        let html = snippet(&text, &terms(&["파이썬"])).into_string();
        assert!(html.starts_with("… "), "{html:.40}");
        assert!(html.contains("<mark>파이썬</mark>을 배우는"));
        assert!(html.ends_with(" …"));
        assert!(html.chars().count() < SNIPPET_CHARS + 40);
        // No match: the start of the text.
        let plain = snippet("short\n\n text  here", &terms(&["zzz"])).into_string();
        assert_eq!(plain, "short text here");
        assert_eq!(
            snippet("<b>x</b>", &terms(&["x"])).into_string(),
            "&lt;b&gt;<mark>x</mark>&lt;/b&gt;"
        );
    }

    #[test]
    fn korean_words_are_marked_without_their_particles() {
        let html = highlight("파이썬을 배우는 질문이", &terms(&["파이썬", "질문"])).into_string();
        assert_eq!(html, "<mark>파이썬</mark>을 배우는 <mark>질문</mark>이");
    }
}
