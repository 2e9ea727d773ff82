//! Markdown to safe HTML, done once when a post is written: pulldown-cmark renders, ammonia keeps only
//! harmless tags and attributes, and every link gets `rel="nofollow noopener ugc"`.

use std::sync::OnceLock;

use pulldown_cmark::{Event, Options, Parser, html};

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

/// Renders Markdown as pybo does (single newlines are line breaks, fenced code), sanitised.
pub fn render(markdown: &str) -> String {
    // pybo used the nl2br extension: a single newline is a line break, as people writing a post expect.
    let events = Parser::new_ext(markdown, OPTIONS).map(|event| match event {
        Event::SoftBreak => Event::HardBreak,
        other => other,
    });
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, events);
    sanitizer().clean(&unsafe_html).to_string()
}

#[cfg(test)]
mod tests {
    use super::{plain_text, render};

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
