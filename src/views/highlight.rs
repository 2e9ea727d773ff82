//! Marks search terms in plain text with `<mark>`, escaping everything else.

use maud::{Markup, html};

use crate::domain::search::{fold, stems, words};

/// Wraps each word (or Hangul leading part) that one of `terms` matched, as the search index matched it. The text is escaped by maud; no markup from the text survives.
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
/// matches marked: whitespace folded, cut only between characters, `…` where it was cut. Only the text
/// near that match is looked at: a body can be long, and the search page shows ten.
pub fn snippet(text: &str, terms: &[String]) -> Markup {
    let first = matches(text, terms).next().map_or(0, |(start, _)| start);
    // A window wide enough for the cut below unless whitespace folds most of it away; then the whole text.
    let near = (
        back_chars(text, first, 4 * SNIPPET_BEFORE),
        ahead_chars(text, first, 4 * SNIPPET_CHARS),
    );
    // The whole text always holds enough: only a window cut inside it can come back empty-handed.
    let (folded, start, end) = cut_around(text, first, near)
        .or_else(|| cut_around(text, first, (0, text.len())))
        .unwrap_or_default();
    html! {
        @if start > 0 { "… " }
        (highlight(&folded[start..end], terms))
        @if end < folded.len() { " …" }
    }
}

/// The text from `window.0` to `window.1` with its whitespace folded, and where the snippet starts and
/// ends in it, around the match at `first`; `None` when the window, folded, holds too little of the text
/// for the cut (a window that starts or ends inside the text must hold every character the snippet
/// shows, and one more on that side), so the snippet is the one the whole text would give.
fn cut_around(text: &str, first: usize, window: (usize, usize)) -> Option<(String, usize, usize)> {
    let (window_start, window_end) = window;
    let part = &text[window_start..window_end];
    let folded: String = part.split_whitespace().collect::<Vec<_>>().join(" ");
    // Where the match stands in the folded window: after what comes before it, folded the same way.
    let before = &part[..first - window_start];
    let words_before = before.split_whitespace().count();
    let mut first =
        before.split_whitespace().map(str::len).sum::<usize>() + words_before.saturating_sub(1);
    if words_before > 0 && before.ends_with(char::is_whitespace) {
        first += 1;
    }
    let chars_before = folded[..first].chars().count();
    if window_start > 0 && chars_before <= SNIPPET_BEFORE {
        return None;
    }
    let skip = chars_before.saturating_sub(SNIPPET_BEFORE);
    let mut start = folded.char_indices().nth(skip).map_or(0, |(at, _)| at);
    let mut end = match folded[start..].char_indices().nth(SNIPPET_CHARS) {
        Some((at, _)) => start + at,
        None if window_end < text.len() => return None,
        None => folded.len(),
    };
    // Cut between words where the text has spaces near the cut (Korean and English do; a long run of
    // characters without one is cut where it falls).
    if start > 0
        && let Some(space) = folded[start..first].find(' ')
    {
        start += space + 1;
    }
    if end < folded.len()
        && let Some(space) = folded[first..end].rfind(' ')
    {
        end = first + space;
    }
    Some((folded, start, end))
}

/// The byte offset `chars` characters before `at` in `text` (its start when there are fewer).
fn back_chars(text: &str, at: usize, chars: usize) -> usize {
    text[..at]
        .char_indices()
        .rev()
        .nth(chars.saturating_sub(1))
        .map_or(0, |(offset, _)| offset)
}

/// The byte offset `chars` characters after `at` in `text` (its end when there are fewer).
fn ahead_chars(text: &str, at: usize, chars: usize) -> usize {
    text[at..]
        .char_indices()
        .nth(chars)
        .map_or(text.len(), |(offset, _)| at + offset)
}

/// Whether one of `terms` matches a word of `text`.
pub fn mentions(text: &str, terms: &[String]) -> bool {
    matches(text, terms).next().is_some()
}

/// Byte ranges of the matches, in order and not overlapping: each word the index matched, as the index
/// reads it (folded case and accents, Hangul by its leading parts); of a word matched by a leading part,
/// that part. Found as they are asked for: who needs the first stops there.
fn matches<'a>(text: &'a str, terms: &'a [String]) -> impl Iterator<Item = (usize, usize)> + 'a {
    // Every list page passes its subjects through here; without a search there is nothing to look for.
    let searching = terms.iter().any(|term| !term.is_empty());
    words(text)
        .take_while(move |_| searching)
        .filter_map(|(at, word)| {
            let folded = fold(word);
            let form = std::iter::once(folded.as_str())
                .chain(stems(&folded))
                .filter(|form| terms.iter().any(|term| term == form))
                .max_by_key(|form| form.len())?;
            let leading_part = word
                .get(..form.len())
                .filter(|part| part.len() < word.len() && fold(part) == form);
            Some((at, at + leading_part.map_or(word.len(), str::len)))
        })
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
        // Whole words only: `a` is not the start of `answer`.
        let html = highlight("a answer, A", &terms(&["a"])).into_string();
        assert_eq!(html, "<mark>a</mark> answer, <mark>A</mark>");
    }

    #[test]
    fn words_are_marked_in_any_case_accent_and_unicode_form() {
        let html = highlight(
            "R\u{e9}sum\u{e9}, re\u{301}sume\u{301}, \u{130}stanbul",
            &terms(&["resume", "istanbul"]),
        )
        .into_string();
        assert_eq!(
            html,
            "<mark>R\u{e9}sum\u{e9}</mark>, <mark>re\u{301}sume\u{301}</mark>, <mark>\u{130}stanbul</mark>"
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
        // Cut between words, not inside one.
        let words = format!(
            "{} needle {}",
            "alpha beta ".repeat(20),
            "gamma delta ".repeat(40)
        );
        let html = snippet(&words, &terms(&["needle"])).into_string();
        assert!(
            html.starts_with("… alpha ") || html.starts_with("… beta "),
            "{html:.30}"
        );
        assert!(
            html.ends_with(" gamma …") || html.ends_with(" delta …"),
            "{html}"
        );
        // No match: the start of the text.
        let plain = snippet("short\n\n text  here", &terms(&["zzz"])).into_string();
        assert_eq!(plain, "short text here");
        assert_eq!(
            snippet("<b>x</b>", &terms(&["x"])).into_string(),
            "&lt;b&gt;<mark>x</mark>&lt;/b&gt;"
        );
    }

    #[test]
    fn a_snippet_far_into_a_long_text_folds_its_whitespace_as_the_whole_text_would() {
        let text = format!(
            "{}\n\n    (needle) after{}",
            "word ".repeat(5_000),
            " tail".repeat(100)
        );
        let html = snippet(&text, &terms(&["needle"])).into_string();
        assert!(html.starts_with("… word "), "{html:.30}");
        assert!(
            html.contains("word word (<mark>needle</mark>) after tail"),
            "{html}"
        );
        assert!(html.ends_with(" tail …"), "{html}");
        assert!(html.chars().count() < SNIPPET_CHARS + 40, "{html}");
        // Where whitespace folds most of the text near the match away, the snippet is still the one the
        // whole text gives.
        let spaced = format!("{}{}needle b b", "a ".repeat(20), " ".repeat(1_000));
        let html = snippet(&spaced, &terms(&["needle"])).into_string();
        assert_eq!(html, format!("{}<mark>needle</mark> b b", "a ".repeat(20)));
        let html = snippet(
            &format!("needle {}end", "\u{3000}".repeat(900)),
            &terms(&["needle"]),
        );
        assert_eq!(html.into_string(), "<mark>needle</mark> end");
        let html = snippet(&format!("plain{}", " ".repeat(1_000)), &terms(&["zzz"]));
        assert_eq!(html.into_string(), "plain");
        // The match near the start: no cut before it.
        let html = snippet("  one\ttwo  needle three", &terms(&["needle"])).into_string();
        assert_eq!(html, "one two <mark>needle</mark> three");
    }

    #[test]
    fn korean_words_are_marked_without_their_particles() {
        let html = highlight("파이썬을 배우는 질문이", &terms(&["파이썬", "질문"])).into_string();
        assert_eq!(html, "<mark>파이썬</mark>을 배우는 <mark>질문</mark>이");
    }
}
