//! URLs the views link to, built in one place so every link keeps the same parameters.

use super::layout::encode_query_value;
use crate::domain::{
    board::{AnswerId, AnswerSort, CommentId, ListSort, QuestionId},
    people::ProfileTab,
    policy::PostRef,
    tags::TagName,
};

/// The question list: defaults are left out, so page 1 of the newest questions is just `/questions`.
pub fn list(query: &str, sort: ListSort, page: i64) -> String {
    let mut params = Vec::new();
    if !query.is_empty() {
        params.push(format!("q={}", encode_query_value(query)));
    }
    let searching = !crate::domain::search::SearchQuery::parse(query).is_empty();
    if sort != ListSort::default_for(searching) {
        params.push(format!("sort={}", sort.code()));
    }
    if page > 1 {
        params.push(format!("page={page}"));
    }
    with_params("/questions", &params)
}

/// Text as one path segment (`/`, `#`, `+` and Hangul percent-encoded).
pub fn segment(text: &str) -> String {
    encode_query_value(text).replace('/', "%2F")
}

/// A tag's question list: defaults left out, as for the whole list. The name is one path segment (`#`, `+`
/// and Hangul percent-encoded).
pub fn tag(name: &TagName, sort: ListSort, page: i64) -> String {
    let mut params = Vec::new();
    if sort != ListSort::Recent {
        params.push(format!("sort={}", sort.code()));
    }
    if page > 1 {
        params.push(format!("page={page}"));
    }
    with_params(&format!("/tags/{}", segment(name.as_str())), &params)
}

/// A user's profile, on one tab and page of their posts.
pub fn user(username: &str, tab: ProfileTab, page: i64) -> String {
    let mut params = Vec::new();
    if tab != ProfileTab::default() {
        params.push(format!("tab={}", tab.code()));
    }
    if page > 1 {
        params.push(format!("page={page}"));
    }
    with_params(&format!("/users/{}", segment(username)), &params)
}

/// `/users`, filtered by the start of a name, on one page.
pub fn users(prefix: &str, page: i64) -> String {
    filtered("/users", prefix, page)
}

/// A tag's Atom feed.
pub fn tag_feed(name: &TagName) -> String {
    format!("{}/feed.atom", tag(name, ListSort::Recent, 1))
}

/// A question's Atom feed (its answers).
pub fn question_feed(id: QuestionId) -> String {
    question_action(id, "feed.atom")
}

/// `/tags`, filtered by the start of a name, at one page.
pub fn tags(prefix: &str, page: i64) -> String {
    filtered("/tags", prefix, page)
}

/// A list with a name filter (`q`), on one page.
fn filtered(path: &str, prefix: &str, page: i64) -> String {
    let mut params = Vec::new();
    if !prefix.is_empty() {
        params.push(format!("q={}", encode_query_value(prefix)));
    }
    if page > 1 {
        params.push(format!("page={page}"));
    }
    with_params(path, &params)
}

/// A question's page, at one page of its answers.
pub fn question(id: QuestionId, sort: AnswerSort, page: i64) -> String {
    let mut params = Vec::new();
    if sort != AnswerSort::Likes {
        params.push(format!("asort={}", sort.code()));
    }
    if page > 1 {
        params.push(format!("apage={page}"));
    }
    with_params(&format!("/questions/{}", id.0), &params)
}

pub fn question_action(id: QuestionId, action: &str) -> String {
    format!("/questions/{}/{action}", id.0)
}

pub fn answer(id: AnswerId) -> String {
    format!("/answers/{}", id.0)
}

pub fn answer_action(id: AnswerId, action: &str) -> String {
    format!("/answers/{}/{action}", id.0)
}

/// Where a post's comments are: all of them, and the form that adds one.
pub fn comments(post: PostRef) -> String {
    match post {
        PostRef::Question(id) => question_action(id, "comments"),
        PostRef::Answer(id) => answer_action(id, "comments"),
        PostRef::Comment(id) => comment(id),
    }
}

/// The small form that adds a comment to a post, in place.
pub fn new_comment(post: PostRef) -> String {
    format!("{}/new", comments(post))
}

/// A comment's permanent link: it leads to where the comment is shown.
pub fn comment(id: CommentId) -> String {
    format!("/comments/{}", id.0)
}

pub fn comment_action(id: CommentId, action: &str) -> String {
    format!("/comments/{}/{action}", id.0)
}

fn with_params(path: &str, params: &[String]) -> String {
    if params.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", params.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_urls_keep_query_and_sort_and_drop_defaults() {
        assert_eq!(list("", ListSort::Recent, 1), "/questions");
        assert_eq!(
            list("a b&c", ListSort::Likes, 3),
            "/questions?q=a%20b%26c&sort=likes&page=3"
        );
        assert_eq!(
            question(QuestionId(7), AnswerSort::Recent, 2),
            "/questions/7?asort=recent&apage=2"
        );
    }
}
