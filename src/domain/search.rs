//! What someone typed in the search box, and how text is cut into the words a search matches: one
//! definition for the index and the query, so a word typed is always a word indexed.

use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

use super::{
    ids::QuestionId,
    tags::{TagName, Tags},
};

/// A question as the search index holds it: its text and its answers', its people, and what the other
/// sorts order by.
#[derive(Clone, Debug)]
pub struct IndexedQuestion {
    pub id: QuestionId,
    pub subject: String,
    pub body: String,
    pub answers: Vec<String>,
    /// The asker first, then each answerer once.
    pub authors: Vec<String>,
    pub created_at: i64,
    pub like_count: i64,
    pub answer_count: i64,
    pub tags: Tags,
}

/// One entry of the store's log of changed questions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SearchChange {
    pub seq: i64,
    pub question: QuestionId,
    /// What the question says changed; `false` when only its like or answer count did.
    pub text: bool,
}

/// Korean particles and endings that follow a word, longest first: `파이썬을` is searched as `파이썬`.
const PARTICLES: &[&str] = &[
    "에서부터",
    "으로부터",
    "에게서",
    "한테서",
    "이라고",
    "에서",
    "에게",
    "한테",
    "으로",
    "까지",
    "부터",
    "처럼",
    "보다",
    "이나",
    "이랑",
    "하고",
    "라고",
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "의",
    "에",
    "로",
    "와",
    "과",
    "도",
    "만",
    "랑",
];

/// Prefixes of a Hangul word are indexed up to this many syllables: enough for a noun and its particle
/// (`파이썬을` -> `파이`, `파이썬`), and it keeps what a text adds to the index linear in its length.
pub const MAX_STEM_PREFIX: usize = 6;

/// Bidirectional overrides and isolates: echoed back, they would turn the page's text around.
fn is_direction_mark(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn is_hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}')
}

/// A Hangul word without its trailing particle, when at least two syllables remain.
pub fn korean_stem(word: &str) -> &str {
    if !word.chars().any(is_hangul) {
        return word;
    }
    PARTICLES
        .iter()
        .find_map(|particle| {
            word.strip_suffix(particle)
                .filter(|stem| stem.chars().count() >= 2)
        })
        .unwrap_or(word)
}

/// The words of a text with their byte offsets: runs of letters, digits and combining marks (an accent
/// typed as its own character stays in its word); everything else separates.
pub fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(|c: char| !is_word_char(c))
        .filter(|word| !word.is_empty())
        .map(move |word| (word.as_ptr() as usize - text.as_ptr() as usize, word))
}

/// Whether `c` belongs to a word. ASCII and Hangul syllables are answered without Unicode's tables,
/// which are searched for every other character (the search page splits every body it shows).
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else if ('\u{AC00}'..='\u{D7A3}').contains(&c) {
        true
    } else {
        c.is_alphanumeric() || is_combining_mark(c)
    }
}

/// A word as the index and a query hold it: lower case, compatibility forms unified (NFKC), and Latin,
/// Greek and Cyrillic accents dropped, so `Résumé` typed on any keyboard, in composed or decomposed form,
/// is `resume`, and `İstanbul` is `istanbul`.
pub fn fold(word: &str) -> String {
    // ASCII and Hangul syllables are their own normal forms, and no two of them compose: most Korean and
    // English words need only ASCII lower case (the search page folds every word of a body it shows).
    if word
        .chars()
        .all(|c| c.is_ascii() || ('\u{AC00}'..='\u{D7A3}').contains(&c))
    {
        return word.to_ascii_lowercase();
    }
    unicode_fold(word)
}

/// [`fold`] by Unicode's tables, for any word.
fn unicode_fold(word: &str) -> String {
    word.to_lowercase()
        .nfkd()
        .filter(|c| !matches!(c, '\u{300}'..='\u{36F}'))
        .nfc()
        .collect()
}

/// The other forms a (folded) word with Hangul in it is found by: for a Hangul word, its leading parts
/// of two up to [`MAX_STEM_PREFIX`] syllables (one short of the word); for any, the word without its
/// trailing particle, the form a search term is cut to (`flask를` -> `flask`). Empty for a word without
/// Hangul. At most `MAX_STEM_PREFIX` forms per word.
pub fn stems(word: &str) -> Vec<&str> {
    if !word.chars().any(is_hangul) {
        return Vec::new();
    }
    let prefixes = if word.starts_with(is_hangul) {
        MAX_STEM_PREFIX - 1
    } else {
        0
    };
    let mut forms: Vec<&str> = word
        .char_indices()
        .map(|(at, _)| at)
        .skip(2)
        .take(prefixes)
        .map(|end| &word[..end])
        .collect();
    let stem = korean_stem(word);
    if stem.len() < word.len() && !forms.contains(&stem) {
        forms.push(stem);
    }
    forms
}

/// The terms of a piece of typed text, as the index holds them: lower case, Korean particles cut off.
fn terms_of(text: &str) -> Vec<String> {
    words(text)
        .map(|(_, word)| korean_stem(&fold(word)).to_owned())
        .collect()
}

/// A search, parsed: what must match and what must not. Each part is a word (one term) or a phrase (terms
/// that must stand in that order). Nothing typed is syntax that can fail: a quote left open runs to the end,
/// a `-` before a word or a quote excludes it, and every other mark only separates words.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchQuery {
    wanted: Vec<Vec<String>>,
    unwanted: Vec<Vec<String>>,
    /// `[tag]`: questions must carry each of these.
    tags: Vec<TagName>,
    /// `-[tag]`: and none of these.
    unwanted_tags: Vec<TagName>,
    /// Every wanted term in the order typed, repeats kept (`flask flask how` is a phrase of three words).
    typed: Vec<String>,
}

impl SearchQuery {
    /// At most this many terms are searched, wanted and unwanted together; the rest are ignored.
    pub const MAX_TERMS: usize = 12;
    /// And the input is cut at this many characters.
    const MAX_CHARS: usize = 200;

    /// The part of the typed text that is searched (and shown back): its first 200 characters, control
    /// characters (a NUL, a direction override) made spaces, which they already were to the words.
    pub fn cut(raw: &str) -> String {
        raw.chars()
            .take(Self::MAX_CHARS)
            .map(|c| {
                if c.is_control() || is_direction_mark(c) {
                    ' '
                } else {
                    c
                }
            })
            .collect()
    }

    /// Every word of `text` wanted, nothing read as syntax (a subject compared with others: its `-O2` is
    /// a word, not an exclusion).
    pub fn of_text(text: &str) -> Self {
        let mut query = Self::default();
        for term in terms_of(&Self::cut(text)).into_iter().take(Self::MAX_TERMS) {
            query.typed.push(term.clone());
            let word = vec![term];
            if !query.wanted.contains(&word) {
                query.wanted.push(word);
            }
        }
        query
    }

    pub fn parse(raw: &str) -> Self {
        let mut query = Self::default();
        let searched = Self::cut(raw);
        let was_cut = raw.chars().nth(Self::MAX_CHARS).is_some();
        let mut rest = searched.as_str();
        let mut budget = Self::MAX_TERMS;
        loop {
            rest = rest.trim_start();
            if rest.is_empty() || budget == 0 {
                break;
            }
            let excluded = rest.len() > 1 && rest.starts_with('-');
            if excluded {
                rest = &rest[1..];
            }
            let piece;
            let mut quote_left_open = false;
            if let Some(quoted) = rest.strip_prefix('"') {
                let closing = quoted.find('"');
                quote_left_open = closing.is_none();
                let end = closing.unwrap_or(quoted.len());
                piece = &quoted[..end];
                rest = quoted.get(end + 1..).unwrap_or("");
            } else {
                // `[name]` restricts to a tag (`-[name]` leaves it out), whatever follows it (`[a]-[b]`,
                // `[a]word`; in `[a]-word` the dash only joins); a name no tag could have is text.
                let tag = rest.strip_prefix('[').and_then(|inner| {
                    let word = &inner[..inner.find(char::is_whitespace).unwrap_or(inner.len())];
                    let close = word.find(']')?;
                    let name = TagName::parse(&word[..close]).ok()?;
                    let after = &inner[close + 1..];
                    let after = match after.strip_prefix('-') {
                        Some(joined) if !joined.starts_with('[') => joined,
                        _ => after,
                    };
                    Some((name, after))
                });
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                piece = &rest[..end];
                rest = &rest[end..];
                if let Some((tag, after)) = tag {
                    rest = after;
                    let into = if excluded {
                        &mut query.unwanted_tags
                    } else {
                        &mut query.tags
                    };
                    if !into.contains(&tag) {
                        budget -= 1;
                        into.push(tag);
                    }
                    continue;
                }
            }
            let mut terms = terms_of(piece);
            // An exclusion cut short would leave out more than was typed: one that does not fit whole, or
            // whose closing quote fell past the cut, is dropped instead.
            if excluded && (terms.len() > budget || (quote_left_open && was_cut)) {
                continue;
            }
            terms.truncate(budget);
            if terms.is_empty() {
                continue;
            }
            if !excluded && query.typed.len() + terms.len() <= Self::MAX_TERMS {
                query.typed.extend(terms.iter().cloned());
            }
            let into = if excluded {
                &mut query.unwanted
            } else {
                &mut query.wanted
            };
            if !into.contains(&terms) {
                budget -= terms.len();
                into.push(terms);
            }
        }
        query
    }

    /// Nothing to search for.
    pub fn is_empty(&self) -> bool {
        self.wanted.is_empty()
            && self.unwanted.is_empty()
            && self.tags.is_empty()
            && self.unwanted_tags.is_empty()
    }

    /// Only exclusions: a search needs a word (or a tag) to look for.
    pub fn only_excludes(&self) -> bool {
        self.wanted.is_empty()
            && self.tags.is_empty()
            && !(self.unwanted.is_empty() && self.unwanted_tags.is_empty())
    }

    /// The tags every match carries (`[rust]`).
    pub fn tags(&self) -> &[TagName] {
        &self.tags
    }

    /// The tags no match carries (`-[rust]`).
    pub fn unwanted_tags(&self) -> &[TagName] {
        &self.unwanted_tags
    }

    /// What must match: words (one term) and phrases.
    pub fn wanted(&self) -> &[Vec<String>] {
        &self.wanted
    }

    /// What must not match.
    pub fn unwanted(&self) -> &[Vec<String>] {
        &self.unwanted
    }

    /// Every wanted term once, for marking matches in what is shown.
    pub fn terms(&self) -> Vec<String> {
        let mut terms: Vec<String> = Vec::new();
        for term in self.wanted.iter().flatten() {
            if !terms.contains(term) {
                terms.push(term.clone());
            }
        }
        terms
    }

    /// All wanted terms in the order typed, as one phrase: the whole query as someone would write it in a
    /// subject or a sentence.
    pub fn as_phrase(&self) -> &[String] {
        &self.typed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&[&str]]) -> Vec<Vec<String>> {
        items
            .iter()
            .map(|item| item.iter().map(|t| (*t).to_owned()).collect())
            .collect()
    }

    #[test]
    fn ascii_and_hangul_words_fold_as_the_unicode_tables_fold_them() {
        for word in [
            "Flask",
            "파이썬을",
            "FLASK를",
            "세션과Timeout",
            "abc123",
            "한글",
            "가힣",
            "",
        ] {
            assert_eq!(fold(word), unicode_fold(word), "{word}");
        }
        // Others still go through the tables: accents, compatibility forms, Jamo.
        assert_eq!(fold("Résumé"), "resume");
        assert_eq!(fold("ｆｌａｓｋ"), "flask");
        assert_eq!(fold("\u{1100}\u{1161}"), "\u{AC00}");
    }

    #[test]
    fn ascii_and_hangul_characters_split_words_as_the_unicode_tables_split_them() {
        for c in ('\0'..='\u{7F}').chain('\u{AC00}'..='\u{D7A3}') {
            assert_eq!(
                is_word_char(c),
                c.is_alphanumeric() || is_combining_mark(c),
                "{c:?}"
            );
        }
        let found: Vec<&str> = words("Flask와 파이썬을, e-mail! Résumé\u{301}")
            .map(|(_, w)| w)
            .collect();
        assert_eq!(found, ["Flask와", "파이썬을", "e", "mail", "Résumé\u{301}"]);
    }

    #[test]
    fn words_phrases_and_exclusions() {
        let query = SearchQuery::parse(r#"Flask "read a FILE" -python -"old way" e-mail"#);
        assert_eq!(
            query.wanted(),
            strings(&[&["flask"], &["read", "a", "file"], &["e", "mail"]])
        );
        assert_eq!(query.unwanted(), strings(&[&["python"], &["old", "way"]]));
        assert_eq!(query.terms(), ["flask", "read", "a", "file", "e", "mail"]);
    }

    #[test]
    fn a_tag_in_brackets_filters_and_anything_else_is_text() {
        let query = SearchQuery::parse("[Rust] async -[tokio] [c++] [not a tag] [<b>]");
        assert_eq!(
            query.tags(),
            [
                TagName::parse("rust").expect("tag"),
                TagName::parse("c++").expect("tag")
            ]
        );
        assert_eq!(
            query.unwanted_tags(),
            [TagName::parse("tokio").expect("tag")]
        );
        // `[not` and `tag]` are words; `[<b>]` holds no tag's characters: its word is `b`.
        assert_eq!(query.terms(), ["async", "not", "a", "tag", "b"]);
        // Written together, a tag and what follows it are still apart.
        let together = SearchQuery::parse("[flask]-[python]templates");
        assert_eq!(together.tags(), [TagName::parse("flask").expect("tag")]);
        assert_eq!(
            together.unwanted_tags(),
            [TagName::parse("python").expect("tag")]
        );
        assert_eq!(together.terms(), ["templates"]);
        // A dash joining a word to a tag excludes nothing.
        let joined = SearchQuery::parse("[rust]-lang");
        assert_eq!(joined.terms(), ["lang"]);
        assert!(joined.unwanted().is_empty());
        // Text compared as text: nothing in it is syntax.
        let subject = SearchQuery::of_text("Why -O2 and [rust] \"here\"");
        assert_eq!(subject.terms(), ["why", "o2", "and", "rust", "here"]);
        assert!(subject.unwanted().is_empty() && subject.tags().is_empty());
        let only_tag = SearchQuery::parse("[flask]");
        assert!(!only_tag.is_empty() && !only_tag.only_excludes());
        assert!(SearchQuery::parse("-[flask]").only_excludes());
    }

    #[test]
    fn nothing_typed_is_syntax_that_can_fail() {
        let hostile = SearchQuery::parse(r#"a" OR "b NEAR( x* ) \ AND -c ^d"#);
        assert_eq!(
            hostile.wanted(),
            strings(&[&["a"], &["or"], &["b", "near", "x", "and", "c", "d"]])
        );
        // An open quote runs to the end; a lone dash or mark is nothing.
        let open = SearchQuery::parse(r#"say "hello world"#);
        assert_eq!(open.wanted(), strings(&[&["say"], &["hello", "world"]]));
        assert!(SearchQuery::parse(r#" " ( ) * - -- "#).is_empty());
        assert!(SearchQuery::parse("\0\u{1}").is_empty());
        assert!(SearchQuery::parse("-python").only_excludes());
        assert_eq!(SearchQuery::parse("a A a").wanted(), strings(&[&["a"]]));
    }

    #[test]
    fn an_exclusion_that_does_not_fit_whole_is_dropped_not_shortened() {
        let eleven: Vec<String> = (0..11).map(|n| format!("w{n}")).collect();
        let query = SearchQuery::parse(&format!(r#"{} -"python flask""#, eleven.join(" ")));
        assert_eq!(query.wanted().len(), 11);
        assert!(query.unwanted().is_empty());
        // Cut at 200 characters inside its quotes: the rest of the phrase is unknown.
        let cut = SearchQuery::parse(&format!(
            r#"{} -"python {}""#,
            "a".repeat(190),
            "b ".repeat(20)
        ));
        assert!(cut.unwanted().is_empty());
        // Whole and closed, it is kept.
        let fits = SearchQuery::parse(r#"flask -"python flask""#);
        assert_eq!(fits.unwanted(), strings(&[&["python", "flask"]]));
    }

    #[test]
    fn words_match_in_any_case_accent_and_unicode_form() {
        let composed = SearchQuery::parse("R\u{e9}sum\u{e9} \u{130}stanbul \u{ff26}lask");
        let decomposed = SearchQuery::parse("re\u{301}sume\u{301} istanbul flask");
        assert_eq!(
            composed.wanted(),
            strings(&[&["resume"], &["istanbul"], &["flask"]])
        );
        assert_eq!(composed, decomposed);
        // Hangul comes through unchanged, composed or as jamo.
        assert_eq!(fold("\u{1100}\u{1161}\u{11a8}"), "각");
        assert_eq!(fold("파이썬을"), "파이썬을");
    }

    #[test]
    fn the_whole_query_as_a_phrase_keeps_repeated_words() {
        let query = SearchQuery::parse(r#"Flask flask "how to" -not"#);
        assert_eq!(query.wanted(), strings(&[&["flask"], &["how", "to"]]));
        assert_eq!(query.as_phrase(), ["flask", "flask", "how", "to"]);
    }

    #[test]
    fn a_long_query_keeps_its_first_terms() {
        let fifty: Vec<String> = (0..50).map(|n| format!("w{n}")).collect();
        let query = SearchQuery::parse(&fifty.join(" "));
        assert_eq!(query.terms().len(), SearchQuery::MAX_TERMS);
        assert_eq!(query.terms()[0], "w0");
        let long = "가".repeat(10_000);
        assert_eq!(SearchQuery::cut(&long).chars().count(), 200);
        assert_eq!(SearchQuery::cut("a\0b\u{202e}c\td"), "a b c d");
    }

    #[test]
    fn korean_particles_come_off_search_terms() {
        assert_eq!(
            SearchQuery::parse("파이썬을 배우자").terms(),
            ["파이썬", "배우자"]
        );
        assert_eq!(SearchQuery::parse("서버에서").terms(), ["서버"]);
        assert_eq!(SearchQuery::parse("질문이").terms(), ["질문"]);
        // A word ending in what looks like a particle loses it too, and is still found through the stems.
        assert_eq!(SearchQuery::parse("고양이").terms(), ["고양"]);
        assert!(stems("고양이").contains(&"고양"));
        assert_eq!(SearchQuery::parse("이").terms(), ["이"]);
    }

    #[test]
    fn a_korean_word_is_found_by_its_leading_parts_and_without_its_particle() {
        assert_eq!(stems("파이썬을"), ["파이", "파이썬"]);
        assert_eq!(stems("flask"), Vec::<&str>::new());
        assert_eq!(stems("flask를"), ["flask"]);
        let word = "가나다라마바사아자차";
        let with_particle = format!("{word}를");
        let forms = stems(&with_particle);
        assert!(forms.contains(&word), "{forms:?}");
        assert!(forms.len() <= MAX_STEM_PREFIX);
    }

    #[test]
    fn words_carry_their_byte_offsets() {
        let text = "가나, flask!";
        let found: Vec<(usize, &str)> = words(text).collect();
        assert_eq!(found, [(0, "가나"), (8, "flask")]);
    }
}
