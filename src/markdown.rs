//! Markdown to safe HTML, done once when a post is written: pulldown-cmark renders, ammonia keeps only
//! harmless tags and attributes, and every link gets `rel="nofollow noopener ugc"`. Comments get a smaller
//! Markdown: inline code, emphasis and links on one line.

use std::{collections::HashSet, sync::OnceLock};

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, TextMergeStream, html};

use crate::domain::notifications::{Mentioned, mention_spans, mentioned_names};

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static SANITIZER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    SANITIZER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        builder
            .link_rel(Some("nofollow noopener ugc"))
            .url_schemes(["http", "https", "mailto"].into_iter().collect())
            // Fenced code keeps its language class (`language-rust`), nothing else.
            .add_allowed_classes("code", LANGUAGE_CLASSES);
        builder
    })
}

const LANGUAGE_CLASSES: &[&str] = &[
    "language-python",
    "language-rust",
    "language-javascript",
    "language-js",
    "language-html",
    "language-css",
    "language-sql",
    "language-bash",
    "language-sh",
    "language-json",
    "language-toml",
    "language-yaml",
    "language-java",
    "language-c",
    "language-cpp",
    "language-go",
    "language-text",
];

/// The words of a post as a reader sees them, without Markdown's marks, HTML or link targets: what a
/// search result's snippet quotes.
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, OPTIONS) {
        match event {
            Event::Text(words) | Event::Code(words) => text.push_str(&words),
            // Where a line or a block ends, words stay apart.
            Event::SoftBreak | Event::HardBreak | Event::End(_) | Event::Rule => text.push(' '),
            _ => {}
        }
    }
    text
}

const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS);

/// Which Markdown a text is written in: a post's, or a comment's smaller one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Post,
    Comment,
}

/// Renders Markdown as pybo does (single newlines are line breaks, fenced code), sanitised.
pub fn render(markdown: &str) -> String {
    render_mentioning(markdown, Style::Post, &[])
}

/// Renders a post or a comment with each `@name` of `mentioned` a link to that user's profile; any other
/// `@name` stays text.
pub fn render_mentioning(markdown: &str, style: Style, mentioned: &[Mentioned]) -> String {
    match style {
        Style::Post => {
            let events = link_mentions(post_events(markdown), mentioned);
            let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
            html::push_html(&mut unsafe_html, events.into_iter());
            sanitizer().clean(&unsafe_html).to_string()
        }
        Style::Comment => {
            let events = link_mentions(comment_events(markdown), mentioned);
            let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
            html::push_html(&mut unsafe_html, events.into_iter());
            comment_sanitizer().clean(&unsafe_html).to_string()
        }
    }
}

/// The names a post or comment mentions with `@name` where a reader sees text: not in code, not inside a
/// link (see [`mentioned_names`]).
pub fn mentions(markdown: &str, style: Style) -> Vec<String> {
    if !markdown.contains('@') {
        return Vec::new();
    }
    let events = match style {
        Style::Post => post_events(markdown),
        Style::Comment => comment_events(markdown),
    };
    let mut text = String::new();
    walk_text(&events, |words| {
        text.push_str(words);
        text.push(' ');
    });
    mentioned_names(&text)
}

/// A post's events: pybo used the nl2br extension, so a single newline is a line break, as people
/// writing a post expect. Adjacent texts are merged, so a name is never split where a `_` might have
/// begun emphasis.
fn post_events(markdown: &str) -> Vec<Event<'_>> {
    TextMergeStream::new(Parser::new_ext(markdown, OPTIONS))
        .map(|event| match event {
            Event::SoftBreak => Event::HardBreak,
            other => other,
        })
        .collect()
}

/// Calls `visit` with each text a reader sees as words: outside code blocks and links.
fn walk_text<'a>(events: &'a [Event<'a>], mut visit: impl FnMut(&'a str)) {
    let mut inside = 0usize;
    for event in events {
        match event {
            Event::Start(Tag::CodeBlock(_) | Tag::Link { .. } | Tag::Image { .. }) => inside += 1,
            Event::End(TagEnd::CodeBlock | TagEnd::Link | TagEnd::Image) => {
                inside = inside.saturating_sub(1);
            }
            Event::Text(words) if inside == 0 => visit(words),
            _ => {}
        }
    }
}

/// `events` with each `@name` of `mentioned` in their text made a link to the profile.
fn link_mentions<'a>(events: Vec<Event<'a>>, mentioned: &[Mentioned]) -> Vec<Event<'a>> {
    if mentioned.is_empty() {
        return events;
    }
    let mut linked = Vec::with_capacity(events.len());
    let mut inside = 0usize;
    for event in events {
        match event {
            Event::Start(Tag::CodeBlock(_) | Tag::Link { .. } | Tag::Image { .. }) => {
                inside += 1;
                linked.push(event);
            }
            Event::End(TagEnd::CodeBlock | TagEnd::Link | TagEnd::Image) => {
                inside = inside.saturating_sub(1);
                linked.push(event);
            }
            Event::Text(words) if inside == 0 && words.contains('@') => {
                let mut from = 0;
                for (at, name) in mention_spans(&words) {
                    let Some(user) = Mentioned::find(mentioned, name) else {
                        continue;
                    };
                    if at > from {
                        linked.push(Event::Text(CowStr::from(words[from..at].to_owned())));
                    }
                    linked.push(Event::InlineHtml(CowStr::from(mention_link(user, name))));
                    from = at + 1 + name.len();
                }
                if from == 0 {
                    linked.push(Event::Text(words));
                } else if from < words.len() {
                    linked.push(Event::Text(CowStr::from(words[from..].to_owned())));
                }
            }
            other => linked.push(other),
        }
    }
    linked
}

/// A link to a mentioned user's profile, showing the name as typed. No class marks it: a post's own HTML
/// could copy one onto a link elsewhere; the stylesheet knows a mention by its address.
fn mention_link(user: &Mentioned, typed: &str) -> String {
    let href = crate::views::urls::user(&user.username, Default::default(), 1);
    format!(r#"<a href="{}">@{}</a>"#, escape(&href), escape(typed))
}

fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// What comments may hold once rendered, and links as in posts.
fn comment_sanitizer() -> &'static ammonia::Builder<'static> {
    static SANITIZER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    SANITIZER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        builder
            .tags(HashSet::from(["a", "em", "strong", "del", "code"]))
            .link_rel(Some("nofollow noopener ugc"))
            .url_schemes(["http", "https", "mailto"].into_iter().collect());
        builder
    })
}

/// How many links to other sites rendered, sanitised HTML holds: `<a>` elements whose `href` is absolute
/// (`http:`, `https:`, any letter case) or protocol-relative (`//host`). Text that only looks like a link
/// (`<a href=...>` inside code, escaped as `&lt;a`) is not an element and does not count; nor do mentions,
/// which link within the board.
pub fn external_links(html: &str) -> usize {
    html.match_indices("<a ")
        .filter(|(at, _)| {
            let tag = &html[*at..];
            let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
            // The serializer writes every attribute value in double quotes.
            let Some(start) = tag.find(" href=\"") else {
                return false;
            };
            let value = &tag[start + 7..];
            let value = value[..value.find('"').unwrap_or(value.len())]
                .trim()
                .to_ascii_lowercase();
            value.starts_with("http:") || value.starts_with("https:") || value.starts_with("//")
        })
        .count()
}

/// Renders a comment: inline code, emphasis (and strike-through) and links, on one line. Headings, lists,
/// quotes, code blocks, images and HTML stay as typed, shown as text, as on Stack Overflow.
pub fn render_comment(markdown: &str) -> String {
    render_mentioning(markdown, Style::Comment, &[])
}

/// A comment's events (see [`render_comment`]), adjacent texts merged.
fn comment_events(markdown: &str) -> Vec<Event<'_>> {
    let mut parsed = Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH).into_offset_iter();
    let mut events = Vec::new();
    // Blocks run on, a space apart: one line.
    let mut in_paragraph = false;
    let mut blocks = 0;
    while let Some((event, range)) = parsed.next() {
        if let Event::Start(_) = event
            && !in_paragraph
        {
            if blocks > 0 {
                events.push(Event::Text(" ".into()));
            }
            blocks += 1;
        }
        let kept = match event {
            Event::Start(Tag::Paragraph) => {
                in_paragraph = true;
                None
            }
            Event::End(TagEnd::Paragraph) => {
                in_paragraph = false;
                None
            }
            // A link with no text shows its address.
            Event::End(TagEnd::Link) => {
                if let Some(Event::Start(Tag::Link { dest_url, .. })) = events.last() {
                    events.push(Event::Text(dest_url.clone()));
                }
                Some(event)
            }
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. })
            | Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough)
            | Event::Text(_)
            | Event::Code(_) => Some(event),
            Event::Start(_) => {
                // Everything up to the block's (or image's) end, as typed.
                let mut depth = 1;
                while depth > 0 {
                    match parsed.next() {
                        Some((Event::Start(_), _)) => depth += 1,
                        Some((Event::End(_), _)) => depth -= 1,
                        Some(_) => {}
                        None => break,
                    }
                }
                Some(Event::Text(markdown[range].trim_end().to_owned().into()))
            }
            Event::Html(text) | Event::InlineHtml(text) => Some(Event::Text(text)),
            Event::SoftBreak | Event::HardBreak => Some(Event::Text(" ".into())),
            _ => Some(Event::Text(markdown[range].to_owned().into())),
        };
        events.extend(kept);
    }
    TextMergeStream::new(events.into_iter()).collect()
}

#[cfg(test)]
mod tests {
    use super::{external_links, plain_text, render, render_comment};

    #[test]
    fn external_links_are_counted_in_any_spelling_and_only_as_elements() {
        let links = |markdown: &str| external_links(&render(markdown));
        assert_eq!(
            links("[a](HTTP://x.example) [b](https://y.example) <https://z.example>"),
            3
        );
        assert_eq!(links("[c](//host.example/path)"), 1);
        assert_eq!(links("[local](/questions/1) and [anchor](#top)"), 0);
        assert_eq!(links("`<a href=\"http://x.example\">` in code"), 0);
        assert_eq!(links("<a href=\"HtTpS://raw.example\">raw</a>"), 1);
    }

    #[test]
    fn comments_keep_inline_code_emphasis_and_links_and_show_the_rest_as_typed() {
        let html = render_comment(
            "*em* **strong** `a<b` [site](https://example.com) ~~old~~\nnext <b>raw</b>",
        );
        assert_eq!(
            html,
            "<em>em</em> <strong>strong</strong> <code>a&lt;b</code> \
             <a href=\"https://example.com\" rel=\"nofollow noopener ugc\">site</a> <del>old</del> \
             next &lt;b&gt;raw&lt;/b&gt;"
        );
        for (typed, shown) in [
            ("# Title", "# Title"),
            ("- one\n- two", "- one\n- two"),
            ("> quoted", "&gt; quoted"),
            (
                "![alt](https://example.com/i.png)",
                "![alt](https://example.com/i.png)",
            ),
            ("```\ncode\n```", "```\ncode\n```"),
            (
                "<script>alert(1)</script>",
                "&lt;script&gt;alert(1)&lt;/script&gt;",
            ),
            ("one\n\ntwo", "one two"),
            ("one\n# two\n- three", "one # two - three"),
            (
                "[](https://example.com/a)",
                r#"<a href="https://example.com/a" rel="nofollow noopener ugc">https://example.com/a</a>"#,
            ),
        ] {
            assert_eq!(render_comment(typed), shown, "{typed:?}");
        }
        assert!(!render_comment("[x](javascript:alert(1))").contains("javascript"));
    }

    #[test]
    fn plain_text_keeps_the_words_a_reader_sees() {
        let text = plain_text(
            "# Title\nSome **bold** `code` and [a link](https://x.example)<b>html</b>\n\n- item\n```\nfn main() {}\n```",
        );
        let words: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(
            words,
            [
                "Title", "Some", "bold", "code", "and", "a", "link", "html", "item", "fn",
                "main()", "{}"
            ]
        );
    }

    #[test]
    fn markdown_renders_with_line_breaks_and_fenced_code() {
        let html = render("**bold**\nnext line\n\n```rust\nfn main() {}\n```");
        assert!(html.contains("<strong>bold</strong><br>"), "{html}");
        assert!(html.contains(r#"<code class="language-rust">"#), "{html}");
    }

    #[test]
    fn links_are_nofollow_noopener_ugc() {
        let html = render("[site](https://example.com)");
        assert!(
            html.contains(r#"<a href="https://example.com" rel="nofollow noopener ugc">"#),
            "{html}"
        );
    }

    #[test]
    fn scripts_handlers_and_javascript_links_are_removed() {
        let corpus = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[x](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<svg onload=alert(1)><script>alert(1)</script></svg>",
            "<div style=\"background:url(javascript:alert(1))\">x</div>",
            "<object data=\"x\"></object><embed src=\"x\">",
            "<form action=\"https://evil.example\"><input></form>",
            "[x](JaVaScRiPt:alert(1))",
            "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
        ];
        for input in corpus {
            let html = render(input).to_lowercase();
            for bad in [
                "<script",
                "onerror",
                "onload",
                "javascript:",
                "<iframe",
                "<svg",
                "style=",
                "<object",
                "<embed",
                "<form",
                "data:text",
            ] {
                assert!(!html.contains(bad), "{input:?} rendered {html:?}");
            }
        }
    }
}
