//! Atom feeds (RFC 4287): the newest questions, a tag's newest questions, a question's newest answers. Each
//! carries an ETag of its bytes and its newest entry's time as `Last-Modified`, for revalidation; visitors'
//! feeds are kept by the page cache until the next write.

use std::sync::Arc;

use poem::{
    IntoResponse, Request, Response, Route, get, handler,
    http::header,
    web::{Data, Path, Redirect},
};

use super::{
    AppState,
    crawling::{base_url, xml_text},
    page_cache::same_for_every_visitor,
    session::request_lang,
};
use crate::{
    domain::{
        board::{AnswerSort, QuestionId},
        posts::FeedEntry,
        tags::TagName,
    },
    error::{AppError, AppResult},
    i18n::{Lang, fill},
    views::{iso8601, urls},
};

/// Entries per feed.
pub const FEED_SIZE: i64 = 30;

pub fn routes(route: Route) -> Route {
    route
        .at("/feeds/questions.atom", get(newest_feed))
        .at("/tags/:name/feed.atom", get(tag_feed))
        .at("/questions/:id/feed.atom", get(answer_feed))
}

/// A feed before it is written out.
struct Feed {
    lang: Lang,
    title: String,
    /// The feed's own path, and the page it follows.
    path: String,
    page: String,
    entries: Vec<FeedEntry>,
    /// When an empty feed last changed (a question with no answers yet: the question's time).
    empty_updated: i64,
}

#[handler]
async fn newest_feed(req: &Request, state: Data<&Arc<AppState>>) -> AppResult<Response> {
    let lang = request_lang(req);
    let entries = state
        .store
        .feed_questions(None, FEED_SIZE)
        .await?
        .unwrap_or_default();
    Ok(respond(
        &state,
        Feed {
            lang,
            title: lang.texts().feed_questions_title.to_owned(),
            path: "/feeds/questions.atom".to_owned(),
            page: "/questions".to_owned(),
            entries,
            empty_updated: 0,
        },
    ))
}

#[handler]
async fn tag_feed(
    req: &Request,
    Path(typed): Path<String>,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    let name = TagName::parse(&typed).map_err(|_| AppError::NotFound)?;
    // One address per feed, as for the tag's list.
    let own = urls::tag_feed(&name);
    if req.uri().path() != own {
        return Ok(Redirect::moved_permanent(own).into_response());
    }
    let lang = request_lang(req);
    let entries = state
        .store
        .feed_questions(Some(name.clone()), FEED_SIZE)
        .await?
        .ok_or(AppError::NotFound)?;
    let page = urls::tag(&name, Default::default(), 1);
    Ok(respond(
        &state,
        Feed {
            lang,
            title: fill(lang.texts().feed_tag_title, &[name.as_str()]),
            path: urls::tag_feed(&name),
            page,
            entries,
            empty_updated: 0,
        },
    ))
}

#[handler]
async fn answer_feed(
    req: &Request,
    Path(id): Path<QuestionId>,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    let lang = request_lang(req);
    let (question, entries) = state
        .store
        .feed_answers(id, FEED_SIZE)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(respond(
        &state,
        Feed {
            lang,
            title: fill(lang.texts().feed_answers_title, &[&question.subject]),
            path: urls::question_feed(id),
            page: urls::question(id, AnswerSort::default(), 1),
            entries,
            empty_updated: question.updated_at(),
        },
    ))
}

/// The feed as Atom, with its validators: an ETag of these very bytes and its newest change as
/// `Last-Modified` (a 304 is answered outside, by `compression::answer_revalidation`). The same for every
/// visitor in a language, so the page cache keeps it until the next write.
fn respond(state: &AppState, feed: Feed) -> Response {
    let updated = feed
        .entries
        .iter()
        .map(FeedEntry::updated_at)
        .max()
        .unwrap_or(feed.empty_updated);
    let body = atom(base_url(state), &feed, updated);
    let etag = {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(body.as_bytes());
        let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        format!("\"{hex}\"")
    };
    same_for_every_visitor(
        Response::builder()
            .header(header::ETAG, &etag)
            .header(header::LAST_MODIFIED, http_date(updated))
            // Readers poll: a minute without asking, then revalidate. Private: the titles are in the
            // reader's language.
            .header(header::CACHE_CONTROL, "private, max-age=60")
            .content_type("application/atom+xml; charset=utf-8")
            .body(body),
    )
}

/// The feed in Atom 1.0, every address absolute; the board's address as the base of the links in the
/// entries' HTML (a post's Markdown may link `/questions/3`).
fn atom(base: &str, feed: &Feed, updated: i64) -> String {
    let t = feed.lang.texts();
    let base = xml_text(base);
    let mut out = String::with_capacity(2_000 + 1_500 * feed.entries.len());
    out.push_str(&format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\" xml:base=\"{base}/\">\n\
         <title>{title}</title>\n\
         <id>{base}{path}</id>\n\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{base}{path}\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{base}{page}\"/>\n\
         <updated>{updated}</updated>\n\
         <generator>miniboard</generator>\n",
        lang = feed.lang.code(),
        title = xml_text(&feed.title),
        path = xml_text(&feed.path),
        page = xml_text(&feed.page),
        updated = iso8601(updated),
    ));
    for entry in &feed.entries {
        let (title, link) = match entry.answer_id {
            Some(answer) => (
                fill(t.feed_answer_entry_title, &[&entry.subject]),
                urls::answer(answer),
            ),
            None => (
                entry.subject.clone(),
                urls::question(entry.question_id, AnswerSort::default(), 1),
            ),
        };
        let link = format!("{base}{}", xml_text(&link));
        out.push_str(&format!(
            "<entry>\n<title>{title}</title>\n<id>{link}</id>\n\
             <link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>\n\
             <published>{published}</published>\n<updated>{updated}</updated>\n\
             <author><name>{author}</name></author>\n",
            title = xml_text(&title),
            published = iso8601(entry.created_at),
            updated = iso8601(entry.updated_at()),
            author = xml_text(crate::views::users::shown_name(t, &entry.author)),
        ));
        for name in entry.tags.names() {
            out.push_str(&format!(
                "<category term=\"{}\"/>\n",
                xml_text(name.as_str())
            ));
        }
        // The HTML as the page shows it: rendered and sanitised when written.
        out.push_str(&format!(
            "<content type=\"html\">{}</content>\n</entry>\n",
            xml_text(&entry.content_html)
        ));
    }
    out.push_str("</feed>\n");
    out
}

/// `unix_seconds` as an HTTP date (IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`).
fn http_date(unix_seconds: i64) -> String {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    time::OffsetDateTime::from_unix_timestamp(unix_seconds)
        .ok()
        .and_then(|at| at.format(&format).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_are_imf_fixdate() {
        assert_eq!(http_date(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
    }
}
