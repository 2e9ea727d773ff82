//! Tags: asked with, shown, counted, browsed by tag, searched by `[tag]`; bad names refused with the name.

use reqwest::{Client, StatusCode};

use crate::helpers::{TestApp, browser, data_ids, location, spawn_app, spawn_app_seeded};

/// Asks with tags (as the form sends them); returns the response.
async fn ask_tagged(
    app: &TestApp,
    client: &Client,
    subject: &str,
    tags: &str,
) -> reqwest::Response {
    app.post_form(
        client,
        "/questions",
        &[
            ("subject", subject),
            ("content", "Some text."),
            ("tags", tags),
        ],
    )
    .await
}

async fn ask_with_tags(app: &TestApp, client: &Client, subject: &str, tags: &str) -> i64 {
    let response = ask_tagged(app, client, subject, tags).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{subject}");
    location(&response)
        .trim_start_matches("/questions/")
        .parse()
        .expect("question id")
}

/// Every tag on `/tags` with its count, in order.
async fn tag_counts(app: &TestApp) -> Vec<(String, i64)> {
    let html = app.get_html(&browser(), "/tags").await;
    html.match_indices(r#"data-tag=""#)
        .map(|(at, marker)| {
            let rest = &html[at + marker.len()..];
            let name = rest[..rest.find('"').expect("end")].to_owned();
            let count = data_ids(rest, "question-count")[0];
            (name, count)
        })
        .collect()
}

/// The counters the board keeps about tags, each as far from its rows as it is (0: exact).
fn assert_tag_counters_exact(app: &TestApp) {
    for (what, sql) in miniboard::store::copy::COUNTER_CHECKS
        .iter()
        .filter(|(what, _)| what.contains("tag"))
    {
        assert_eq!(app.storage().number_of(sql), 0, "{what}");
    }
}

#[tokio::test]
async fn tags_show_on_rows_and_pages_and_counts_follow_edits_and_deletes() {
    let app = spawn_app().await;
    let asker = app.signed_up_user("asker").await;
    let first = ask_with_tags(&app, &asker, "Tagged question", " Rust, flask  rust").await;
    let page = app
        .get_html(&browser(), &format!("/questions/{first}"))
        .await;
    assert!(
        page.contains(r#"<a class="tag" href="/tags/rust" rel="tag">rust</a>"#),
        "{page}"
    );
    assert!(page.contains(r#"href="/tags/flask""#));
    let list = app.get_html(&browser(), "/").await;
    assert!(list.contains(r#"href="/tags/rust" rel="tag""#));
    assert_eq!(
        tag_counts(&app).await,
        [("flask".into(), 1), ("rust".into(), 1)]
    );

    // The edit form shows the tags as stored; an edit moves the counts and a tag left alone disappears.
    let form = app
        .get_html(&asker, &format!("/questions/{first}/edit"))
        .await;
    assert!(form.contains(r#"value="rust flask""#), "{form}");
    let edited = app
        .post_form(
            &asker,
            &format!("/questions/{first}/edit"),
            &[
                ("subject", "Tagged question"),
                ("content", "Some text."),
                ("tags", "rust 파이썬"),
            ],
        )
        .await;
    assert_eq!(edited.status(), StatusCode::SEE_OTHER);
    // An edit from a form without the field (or a client from before tags) leaves the tags alone.
    let untouched = app
        .post_form(
            &asker,
            &format!("/questions/{first}/edit"),
            &[
                ("subject", "Tagged question"),
                ("content", "Some text, edited."),
            ],
        )
        .await;
    assert_eq!(untouched.status(), StatusCode::SEE_OTHER);
    let page = app
        .get_html(&browser(), &format!("/questions/{first}"))
        .await;
    assert!(page.contains(r#"href="/tags/rust""#) && page.contains("Some text, edited."));
    let second = ask_with_tags(&app, &asker, "Another", "rust").await;
    assert_eq!(
        tag_counts(&app).await,
        [("rust".into(), 2), ("파이썬".into(), 1)]
    );
    assert_eq!(
        app.get(&browser(), "/tags/flask").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_tag_counters_exact(&app);

    // A like and an answer reach the tag's tabs (their copies of the counts follow).
    app.answer(&asker, second, "An answer").await;
    let unanswered = app.get_html(&browser(), "/tags/rust?sort=unanswered").await;
    assert_eq!(data_ids(&unanswered, "question"), [first]);
    let answered = app.get_html(&browser(), "/tags/rust?sort=answers").await;
    assert_eq!(data_ids(&answered, "question"), [second, first]);
    assert_tag_counters_exact(&app);

    let deleted = app
        .post_form(&asker, &format!("/questions/{first}/delete"), &[])
        .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    assert_eq!(tag_counts(&app).await, [("rust".into(), 1)]);
    assert_tag_counters_exact(&app);
    // Asking without tags keeps working (clients that never send the field).
    app.ask(&asker, "No tags at all", "text").await;
    assert_tag_counters_exact(&app);
    app.stop().await;
}

#[tokio::test]
async fn a_wrong_tag_is_named_with_why_and_nothing_is_written_in_either_language() {
    let app = spawn_app().await;
    let asker = app.signed_up_user("asker").await;
    let long = "a".repeat(36);
    for (typed, message) in [
        ("a b c d e f", "Use at most 5 tags.".to_owned()),
        (
            &format!("rust {long}"),
            format!("“{long}”: A tag has at most 35 characters."),
        ),
        (
            "rust <script>",
            "“&lt;script&gt;”: A tag holds letters, digits and + # . - only.".to_owned(),
        ),
        (
            "../",
            "“../”: A tag holds letters, digits and + # . - only.".to_owned(),
        ),
        (
            "..",
            "“..”: A tag needs at least one letter or digit.".to_owned(),
        ),
    ] {
        let response = ask_tagged(&app, &asker, "Should not be saved", typed).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{typed}"
        );
        let page = response.text().await.expect("page");
        assert!(page.contains(&message), "{typed}: {page}");
        // What was typed stays in the form.
        assert!(page.contains(r#"id="field-tags""#));
        assert!(page.contains("Should not be saved"));
    }
    app.switch_language(&asker, "ko", "/").await;
    let response = ask_tagged(&app, &asker, "Should not be saved", "a b c d e f").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .expect("page")
            .contains("태그는 5개까지 달 수 있습니다.")
    );
    let list = app.get_html(&browser(), "/").await;
    assert!(!list.contains("Should not be saved"));
    assert!(tag_counts(&app).await.is_empty());
    app.stop().await;
}

#[tokio::test]
async fn tag_addresses_are_one_spelling_and_the_unknown_is_a_404() {
    let app = spawn_app().await;
    let asker = app.signed_up_user("asker").await;
    ask_with_tags(&app, &asker, "Symbols", "c++ c# .net 파이썬").await;
    let visitor = browser();
    for (path, expected) in [
        ("/tags/c%2B%2B", StatusCode::OK),
        ("/tags/c%23", StatusCode::OK),
        ("/tags/.net", StatusCode::OK),
        ("/tags/%ED%8C%8C%EC%9D%B4%EC%8D%AC", StatusCode::OK),
        ("/tags/unknown", StatusCode::NOT_FOUND),
        ("/tags/%3Cscript%3E", StatusCode::NOT_FOUND),
        ("/tags/..%2F", StatusCode::NOT_FOUND),
    ] {
        let response = app.get(&visitor, path).await;
        assert_eq!(response.status(), expected, "{path}");
    }
    // Another spelling, in case or in percent-encoding, is sent to the tag's own address.
    for other in [
        "/tags/C%2B%2B?sort=likes",
        "/tags/%63%2b%2b?sort=likes",
        "/tags/c++?sort=likes",
    ] {
        let response = app.get(&visitor, other).await;
        assert_eq!(response.status(), StatusCode::MOVED_PERMANENTLY, "{other}");
        assert_eq!(location(&response), "/tags/c%2B%2B?sort=likes", "{other}");
    }
    // The page says which tag, how many, and links its tabs within the tag.
    let page = app.get_html(&visitor, "/tags/c%2B%2B").await;
    assert!(page.contains("Questions tagged [c++]"));
    assert!(page.contains(r#"href="/tags/c%2B%2B?sort=likes""#));
    assert!(
        page.contains(r#"value="[c++] ""#),
        "the search box starts with the tag"
    );
    app.stop().await;
}

#[tokio::test]
async fn tags_page_filters_by_name_and_pages() {
    let app = spawn_app().await;
    let asker = app.signed_up_user("asker").await;
    ask_with_tags(&app, &asker, "One", "rust rustls flask").await;
    ask_with_tags(&app, &asker, "Two", "rust").await;
    let visitor = browser();
    let filtered = app.get_html(&visitor, "/tags?q=RUST").await;
    assert!(filtered.contains(r#"data-tag="rust""#) && filtered.contains(r#"data-tag="rustls""#));
    assert!(!filtered.contains(r#"data-tag="flask""#));
    assert!(filtered.contains(r#"<meta name="robots" content="noindex">"#));
    for junk in ["%3Cscript%3E", "100%25", "_", &"x".repeat(10_000)] {
        let response = app.get(&visitor, &format!("/tags?q={junk}&page=9")).await;
        assert_eq!(response.status(), StatusCode::OK, "{junk}");
        let page = response.text().await.expect("page");
        assert!(page.contains(r#"id="tags-none""#), "{junk}");
    }
    app.stop().await;
}

#[tokio::test]
async fn search_takes_tags_in_brackets() {
    let app = spawn_app().await;
    let asker = app.signed_up_user("asker").await;
    let in_rust = ask_with_tags(&app, &asker, "Borrowing alpha values", "rust").await;
    let in_flask = ask_with_tags(&app, &asker, "Routing alpha requests", "flask").await;
    let both = ask_with_tags(&app, &asker, "Serving beta files", "rust flask").await;
    let found = |query: &'static str| {
        let app = &app;
        async move {
            let url = format!(
                "/questions?q={}",
                query
                    .replace(' ', "+")
                    .replace('[', "%5B")
                    .replace(']', "%5D")
            );
            let mut ids = data_ids(&app.get_html(&browser(), &url).await, "question");
            ids.sort_unstable();
            ids
        }
    };
    assert_eq!(found("alpha [rust]").await, [in_rust]);
    assert_eq!(found("alpha -[rust]").await, [in_flask]);
    assert_eq!(found("[rust] [flask]").await, [both]);
    let mut rust = vec![in_rust, both];
    rust.sort_unstable();
    assert_eq!(found("[Rust]").await, rust);
    assert!(found("alpha [nothing]").await.is_empty());
    // A retag reaches search.
    let retagged = app
        .post_form(
            &asker,
            &format!("/questions/{in_flask}/edit"),
            &[
                ("subject", "Routing alpha requests"),
                ("content", "Some text."),
                ("tags", "rust"),
            ],
        )
        .await;
    assert_eq!(retagged.status(), StatusCode::SEE_OTHER);
    let mut both_alpha = vec![in_rust, in_flask];
    both_alpha.sort_unstable();
    assert_eq!(found("alpha [rust]").await, both_alpha);
    app.stop().await;
}

/// A tag's name as a path segment.
fn segment(name: &str) -> String {
    name.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The tabs of a tag's list: name, condition and order over `questions q`.
const TABS: [(&str, &str, &str); 5] = [
    ("recent", "", "q.id DESC"),
    ("likes", "", "q.like_count DESC, q.id DESC"),
    ("answers", "", "q.answer_count DESC, q.id DESC"),
    ("unanswered", "AND q.answer_count = 0", "q.id DESC"),
    (
        "unaccepted",
        "AND q.accepted_answer_id IS NULL",
        "q.id DESC",
    ),
];

/// A page of a tag's tab as a plain query over the questions gives it.
fn plain_tag_page(app: &TestApp, name: &str, condition: &str, order: &str, page: i64) -> Vec<i64> {
    app.storage().number_list(&format!(
        "SELECT q.id FROM questions q JOIN question_tags qt ON qt.question_id = q.id
         JOIN tags t ON t.id = qt.tag_id WHERE t.name = '{name}' {condition}
         ORDER BY {order} LIMIT 10 OFFSET {}",
        (page - 1) * 10
    ))
}

/// Deep pages of a big tag start from its counted blocks (kept by the engine's triggers, whoever writes):
/// after the tag reached 1,000 questions, questions were deleted, counts moved and questions were asked,
/// every page of every tab is exactly what a plain query gives, and so is a seeded tag's.
#[tokio::test]
async fn a_big_tag_s_deep_pages_equal_a_plain_query_in_every_tab() {
    let app = spawn_app_seeded(miniboard::seed::SeedPlan {
        users: 20,
        questions: 3_200,
        answers: 1_000,
        likes: 2_000,
        accepted: 150,
        seed: 11,
        ..Default::default()
    })
    .await;
    assert_tag_counters_exact(&app);
    let visitor = browser();
    let (seeded, count) = tag_counts(&app).await.into_iter().next().expect("a tag");
    assert!(count > 30, "the most used tag has {count} questions");
    for (sort, condition, order) in TABS {
        for page in [1, 2, 4] {
            let html = app
                .get_html(
                    &visitor,
                    &format!("/tags/{}?sort={sort}&page={page}", segment(&seeded)),
                )
                .await;
            let plain = plain_tag_page(&app, &seeded, condition, order, page);
            assert!(!plain.is_empty(), "{sort} page {page}");
            assert_eq!(data_ids(&html, "question"), plain, "{sort} page {page}");
        }
    }
    // A tag on every question, made behind the server's back, then changed every way a board changes.
    app.storage().delete_questions_between(100, 400);
    app.storage().recount_tags();
    app.storage().tag_every_question("everywhere");
    app.storage().set_counts(1_000, 3_200);
    app.storage().delete_questions_between(2_000, 2_300);
    app.storage().recount_tags();
    let asker = app.signed_up_user("asker").await;
    for n in 0..3 {
        ask_with_tags(&app, &asker, &format!("Asked late {n}"), "everywhere rust").await;
    }
    assert_tag_counters_exact(&app);
    let counted = app
        .storage()
        .number_of("SELECT count(*) FROM tag_rank_blocks WHERE n > 0");
    assert!(counted > 0, "the big tag is counted");
    for (sort, condition, order) in TABS {
        let total = app.storage().number_of(&format!(
            "SELECT count(*) FROM questions q JOIN question_tags qt ON qt.question_id = q.id
             JOIN tags t ON t.id = qt.tag_id WHERE t.name = 'everywhere' {condition}"
        ));
        assert!(
            total > 2_050,
            "{sort}: {total} questions reach the counted blocks"
        );
        let last = (total + 9) / 10;
        for page in [1, 200, 201, 202, 230, last - 1, last, 99_999] {
            let html = app
                .get_html(
                    &visitor,
                    &format!("/tags/everywhere?sort={sort}&page={page}&uncached={page}"),
                )
                .await;
            let expected = plain_tag_page(&app, "everywhere", condition, order, page.min(last));
            assert_eq!(data_ids(&html, "question"), expected, "{sort} page {page}");
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn the_tags_field_suggests_the_most_used_names_that_complete_the_last_one() {
    let app = spawn_app().await;
    let asker = app.signed_up_user("asker").await;
    ask_with_tags(&app, &asker, "One", "flask flake").await;
    ask_with_tags(&app, &asker, "Two", "flask").await;
    let visitor = browser();
    let html = app
        .get_html(&visitor, "/tag-suggestions?tags=rust%2C+FL")
        .await;
    // The most used first, each completing what was typed.
    let flask = html.find(r#"<option value="rust, flask ">flask (2 questions)</option>"#);
    let flake = html.find(r#"<option value="rust, flake ">flake (1 question)</option>"#);
    assert!(
        flask.is_some() && flake.is_some() && flask < flake,
        "{html}"
    );
    // A name typed already is not offered again; five typed take no sixth.
    let again = app
        .get_html(&visitor, "/tag-suggestions?tags=flask+fl")
        .await;
    assert!(
        !again.contains(">flask (") && again.contains(">flake ("),
        "{again}"
    );
    let full = app
        .get_html(&visitor, "/tag-suggestions?tags=a+b+c+d+e+fl")
        .await;
    assert!(!full.contains("<option"), "{full}");
    for nothing in [
        "/tag-suggestions".to_owned(),
        "/tag-suggestions?tags=rust+".to_owned(),
        "/tag-suggestions?tags=%3Cscript%3E".to_owned(),
        format!("/tag-suggestions?tags={}", "f".repeat(10_000)),
    ] {
        let response = app.get(&visitor, &nothing).await;
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "{}",
            &nothing[..40.min(nothing.len())]
        );
        assert!(!response.text().await.expect("body").contains("<option"));
    }
    // The ask form asks for them as the field is typed in, and offers them as the field's list.
    let form = app.get_html(&asker, "/questions/new").await;
    assert!(
        form.contains(r#"list="tag-suggestions""#) && form.contains(r#"hx-get="/tag-suggestions""#)
    );
    assert!(form.contains(r#"<datalist id="tag-suggestions">"#));
    app.stop().await;
}

#[tokio::test]
async fn questions_like_the_subject_being_typed_are_shown_to_open_beside_the_form() {
    let app = spawn_app().await;
    let asker = app.signed_up_user("asker").await;
    let deploy = app
        .ask(&asker, "Deploying flask behind nginx", "Text")
        .await;
    app.ask(&asker, "Something else entirely", "Text").await;
    let html = app
        .get_html(&asker, "/questions/similar?subject=how+to+deploy+flask")
        .await;
    assert_eq!(data_ids(&html, "similar"), [deploy], "{html}");
    assert!(html.contains(r#"target="_blank" rel="noopener""#));
    for nothing in ["", "-flask", "zzzz"] {
        let html = app
            .get_html(&asker, &format!("/questions/similar?subject={nothing}"))
            .await;
        assert!(data_ids(&html, "similar").is_empty(), "{nothing}");
    }
    let form = app.get_html(&asker, "/questions/new").await;
    assert!(
        form.contains(r#"hx-get="/questions/similar""#)
            && form.contains(r#"id="similar-questions""#)
    );
    // Editing, the question is not shown as like itself.
    let edit_form = app
        .get_html(&asker, &format!("/questions/{deploy}/edit"))
        .await;
    let url = format!("/questions/similar?except={deploy}");
    assert!(
        edit_form.contains(&format!(r#"hx-get="{url}""#)),
        "{edit_form}"
    );
    let html = app
        .get_html(&asker, &format!("{url}&subject=how+to+deploy+flask"))
        .await;
    assert!(data_ids(&html, "similar").is_empty(), "{html}");
    app.stop().await;
}

/// A question page shows up to five related questions: those sharing the most tags first (subject words
/// breaking ties), then, when tags give too few, questions with words of its subject; never itself.
#[tokio::test]
async fn a_question_page_shows_related_questions_by_shared_tags_then_subject_words() {
    let app = spawn_app().await;
    let asker = app.signed_up_user("asker").await;
    let shown = ask_with_tags(&app, &asker, "How to read a file in Rust", "rust io").await;
    let both_tags = ask_with_tags(&app, &asker, "Buffered output", "io rust").await;
    let rust_and_words = ask_with_tags(&app, &asker, "Read a file twice", "rust").await;
    let rust_only = ask_with_tags(&app, &asker, "Lifetimes explained", "rust").await;
    let unrelated = ask_with_tags(&app, &asker, "Baking bread", "food").await;
    let by_words = ask_with_tags(&app, &asker, "Read a file in Python", "").await;
    let visitor = browser();
    let page = app.get_html(&visitor, &format!("/questions/{shown}")).await;
    assert!(page.contains(">Related questions</h2>"), "{page}");
    let related = data_ids(&page, "related");
    assert_eq!(
        related[..3],
        [both_tags, rust_and_words, rust_only],
        "two shared tags, then one with subject words, then one without"
    );
    assert!(
        related.contains(&by_words),
        "subject words fill the rest: {related:?}"
    );
    assert!(!related.contains(&shown) && !related.contains(&unrelated));
    // Each shows its state in words.
    assert!(page.contains(r#"data-state="unanswered""#));
    // In Korean too; an untagged question finds its related ones by its subject's words alone.
    let korean = app
        .get_html_with(
            &visitor,
            &format!("/questions/{by_words}"),
            &[("Accept-Language", "ko")],
        )
        .await;
    assert!(korean.contains(">관련 질문</h2>"), "{korean}");
    let related = data_ids(&korean, "related");
    assert!(
        related.contains(&shown) && !related.contains(&by_words),
        "{related:?}"
    );
    // Rendered with the page and cached with it, until the board changes.
    let newer = ask_with_tags(&app, &asker, "Read a file lazily", "rust io").await;
    let page = app.get_html(&visitor, &format!("/questions/{shown}")).await;
    assert_eq!(
        data_ids(&page, "related")[..2],
        [newer, both_tags],
        "{page}"
    );
    // The answer section swapped in place by htmx (another sort) carries no related questions.
    let fragment = visitor
        .get(app.url(&format!("/questions/{shown}?asort=recent")))
        .header("HX-Request", "true")
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    assert!(fragment.contains("answers"), "{fragment}");
    assert!(data_ids(&fragment, "related").is_empty(), "{fragment}");
    // A deleted question is no longer the board's: its author sees it without related questions.
    app.post_form(&asker, &format!("/questions/{shown}/delete"), &[])
        .await;
    let page = app.get_html(&asker, &format!("/questions/{shown}")).await;
    assert!(page.contains("How to read a file in Rust"), "{page}");
    assert!(data_ids(&page, "related").is_empty(), "{page}");
    assert!(!page.contains(">Related questions</h2>"), "{page}");
    app.stop().await;
}
