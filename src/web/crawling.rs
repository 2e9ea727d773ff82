//! What search engines read: `/robots.txt` (what not to crawl, and where the sitemap is) and the sitemap,
//! an index of pages of question addresses by id range, so each page costs the same on any size of board.

use std::sync::Arc;

use poem::{
    IntoResponse, Response, Route, get, handler,
    web::{Data, Path},
};

use super::AppState;
use crate::{
    domain::board::AnswerSort,
    error::{AppError, AppResult},
    views::{iso8601, urls},
};

/// Question addresses a sitemap page holds at most (the protocol allows 50,000; 10,000 keep a page near
/// 1 MB).
pub const SITEMAP_PAGE: i64 = 10_000;

pub fn routes(route: Route) -> Route {
    route
        .at("/robots.txt", get(robots))
        .at("/sitemap.xml", get(sitemap_index))
        .at("/sitemaps/:name", get(sitemap_page))
}

/// The board's address (`public_url`; set from the listening address in development when not configured).
pub fn base_url(state: &AppState) -> &str {
    state
        .config
        .public_url
        .as_deref()
        .unwrap_or("http://localhost")
}

/// Text in XML: the five characters that must be escaped, and those XML cannot hold as the replacement
/// character.
pub fn xml_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 has no way to write these, escaped or not: a post holding one must not break a feed.
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn xml(body: String) -> Response {
    body.with_content_type("application/xml; charset=utf-8")
        .into_response()
}

/// What crawlers should leave alone: forms and their targets, pages behind log-in, search results and
/// the per-post addresses that only redirect to a question's page.
#[handler]
fn robots(state: Data<&Arc<AppState>>) -> Response {
    let base = base_url(&state);
    let body = format!(
        "User-agent: *\n\
         Disallow: /login\n\
         Disallow: /logout\n\
         Disallow: /signup\n\
         Disallow: /account\n\
         Disallow: /lang\n\
         Disallow: /questions/new\n\
         Disallow: /questions?q=\n\
         Disallow: /questions?*&q=\n\
         Disallow: /questions/*/edit\n\
         Disallow: /questions/*/delete\n\
         Disallow: /questions/*/like\n\
         Disallow: /questions/*/answers\n\
         Disallow: /questions/*/comments\n\
         Disallow: /answers/\n\
         Disallow: /comments/\n\
         \n\
         Sitemap: {base}/sitemap.xml\n"
    );
    body.with_content_type("text/plain; charset=utf-8")
        .into_response()
}

/// The sitemap index: one page per range of question ids that could hold any.
#[handler]
async fn sitemap_index(state: Data<&Arc<AppState>>) -> AppResult<Response> {
    let base = xml_text(base_url(&state));
    let highest = state.store.highest_question_id().await?;
    let pages = (highest + SITEMAP_PAGE - 1) / SITEMAP_PAGE;
    let mut body = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in 1..=pages.max(1) {
        body.push_str(&format!(
            "<sitemap><loc>{base}/sitemaps/questions-{page}.xml</loc></sitemap>\n"
        ));
    }
    body.push_str("</sitemapindex>\n");
    Ok(xml(body))
}

/// One page of the sitemap: the questions with ids in its range, each with when it last changed.
#[handler]
async fn sitemap_page(
    Path(name): Path<String>,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    let page = name
        .strip_prefix("questions-")
        .and_then(|rest| rest.strip_suffix(".xml"))
        .and_then(|number| number.parse::<i64>().ok())
        .filter(|page| (1..=i64::MAX / SITEMAP_PAGE).contains(page))
        .ok_or(AppError::NotFound)?;
    let last = page * SITEMAP_PAGE;
    let questions = state
        .store
        .questions_changed(last - SITEMAP_PAGE + 1, last)
        .await?;
    let base = xml_text(base_url(&state));
    let mut body = String::with_capacity(120 * questions.len() + 200);
    body.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (id, changed) in questions {
        body.push_str(&format!(
            "<url><loc>{base}{}</loc><lastmod>{}</lastmod></url>\n",
            urls::question(id, AnswerSort::default(), 1),
            iso8601(changed)
        ));
    }
    body.push_str("</urlset>\n");
    Ok(xml(body))
}
