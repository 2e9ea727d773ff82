//! Search: what it looks in, Korean, hostile input, ranking, highlighting, and an index kept current.

use reqwest::StatusCode;

use crate::helpers::{browser, spawn_app};

/// The ids of the listed questions, top to bottom.
fn hits(html: &str) -> Vec<i64> {
    crate::helpers::data_ids(html, "question")
}

async fn search(app: &crate::helpers::TestApp, query: &str) -> String {
    let response = browser()
        .get(app.url("/questions"))
        .query(&[("q", query)])
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), StatusCode::OK, "q={query:?}");
    response.text().await.expect("body")
}

#[tokio::test]
async fn search_looks_in_subject_content_author_and_answers() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let bob = app.signed_up_user("bobby_tables").await;
    let by_subject = app.ask(&alice, "Flask routing question", "how?").await;
    let by_content = app.ask(&alice, "Another", "I use sqlalchemy daily").await;
    let by_author = app.ask(&bob, "Untitled", "text").await;
    let by_answer = app.ask(&alice, "Needs help", "text").await;
    app.answer(&bob, by_answer, "try gunicorn with a unix socket")
        .await;

    assert_eq!(hits(&search(&app, "flask").await), [by_subject]);
    assert_eq!(hits(&search(&app, "SQLAlchemy").await), [by_content]);
    assert_eq!(hits(&search(&app, "gunicorn").await), [by_answer]);
    let by_name = hits(&search(&app, "bobby_tables").await);
    assert!(
        by_name.contains(&by_author) && by_name.contains(&by_answer),
        "{by_name:?}"
    );
    assert!(
        search(&app, "flask")
            .await
            .contains("Results for “flask”: 1 question.")
    );
    app.stop().await;
}

#[tokio::test]
async fn korean_words_are_found_with_their_particles() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let python = app
        .ask(&alice, "파이썬을 배우고 싶어요", "어디서 시작하나요?")
        .await;
    let question = app
        .ask(&alice, "질문이 있습니다", "플라스크가 좋아요")
        .await;
    app.ask(&alice, "unrelated", "nothing here").await;
    assert_eq!(hits(&search(&app, "파이썬").await), [python]);
    assert_eq!(hits(&search(&app, "질문").await), [question]);
    assert_eq!(hits(&search(&app, "플라스크").await), [question]);
    let html = search(&app, "파이썬").await;
    assert!(html.contains("<mark>파이썬</mark>을 배우고 싶어요"));
    // Typed with a particle, the word is still found.
    assert_eq!(hits(&search(&app, "파이썬은").await), [python]);
    assert_eq!(hits(&search(&app, "질문을").await), [question]);
    app.stop().await;
}

#[tokio::test]
async fn hostile_input_is_searched_as_text_and_never_a_500() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let id = app
        .ask(&alice, "near and or not", "quoted \"text\" here")
        .await;
    for query in [
        "\"",
        "\"unbalanced",
        "near and",
        "NEAR(",
        "NEAR(a b, 2)",
        "a AND",
        "OR",
        "*",
        "a*",
        "(((",
        ")",
        "\\",
        "\\\"",
        "'; DROP TABLE questions; --",
        "subject:near",
        "^near",
        "-near",
        "\u{0}",
        "x".repeat(5000).as_str(),
        "<script>alert(1)</script>",
    ] {
        let html = search(&app, query).await;
        assert!(!html.contains("<script>alert"), "{query:.20}");
    }
    assert_eq!(hits(&search(&app, "NEAR(").await), [id]);
    assert_eq!(hits(&search(&app, "\"quoted").await), [id]);
    // Marks alone are no search: the list shows, and says why.
    for query in ["*", "\"", "- -", "^"] {
        let html = search(&app, query).await;
        assert!(html.contains(r#"id="search-no-words""#), "{query}");
        assert!(!html.contains(r#"id="search-summary""#), "{query}");
        assert_eq!(hits(&html), [id], "{query}");
    }
    assert!(!search(&app, "near").await.contains("search-no-words"));
    assert!(
        app.get(&alice, "/").await.status().is_success(),
        "the table is still there"
    );
    app.stop().await;
}

#[tokio::test]
async fn the_subject_counts_most_then_the_body_then_answers_and_ties_go_to_the_newer() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let bob = app.signed_up_user("bob").await;
    let in_answer = app.ask(&alice, "first", "nothing").await;
    app.answer(&bob, in_answer, "tokio is mentioned here").await;
    let in_body = app.ask(&alice, "second", "this mentions tokio once").await;
    let in_subject = app.ask(&alice, "tokio runtime", "text").await;
    let twin_old = app.ask(&alice, "the tokio twin of another", "same").await;
    let twin_new = app.ask(&alice, "the tokio twin of another", "same").await;
    assert_eq!(
        hits(&search(&app, "tokio").await),
        [in_subject, twin_new, twin_old, in_body, in_answer]
    );
    // Every word must match: only one question has both.
    assert_eq!(hits(&search(&app, "tokio runtime").await), [in_subject]);
    app.stop().await;
}

#[tokio::test]
async fn without_a_question_holding_every_word_any_word_counts_and_the_page_says_so() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let runtime = app.ask(&alice, "tokio runtime", "text").await;
    let mentions = app.ask(&alice, "other", "this mentions something").await;
    let all = search(&app, "tokio runtime").await;
    assert!(!all.contains(r#"id="search-any-word""#));
    assert_eq!(hits(&all), [runtime]);
    let any = search(&app, "runtime mentions").await;
    assert!(any.contains(r#"id="search-any-word""#));
    let found = hits(&any);
    assert_eq!(found.len(), 2);
    assert!(found.contains(&runtime) && found.contains(&mentions));
    app.stop().await;
}

#[tokio::test]
async fn phrases_match_words_in_order_and_a_dash_leaves_words_out() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let in_order = app.ask(&alice, "How to read a file", "in python").await;
    let shuffled = app.ask(&alice, "File to read", "a python way").await;
    let django = app.ask(&alice, "python with django", "a file").await;
    assert_eq!(hits(&search(&app, "\"read a file\"").await), [in_order]);
    let both = hits(&search(&app, "read file").await);
    assert_eq!(both.len(), 2, "{both:?}");
    assert!(both.contains(&in_order) && both.contains(&shuffled));
    let without = hits(&search(&app, "python -django").await);
    assert!(
        !without.contains(&django) && without.len() == 2,
        "{without:?}"
    );
    assert!(hits(&search(&app, "python -\"to read\"").await) == [django]);
    // Only exclusions: a clear word, no list.
    let nothing = search(&app, "-python").await;
    assert!(nothing.contains(r#"id="search-needs-word""#));
    assert!(hits(&nothing).is_empty());
    app.stop().await;
}

#[tokio::test]
async fn each_result_shows_its_body_around_the_first_match() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let filler = "lorem ipsum ".repeat(40);
    app.ask(
        &alice,
        "Long question",
        &format!(
            "{filler} the gunicorn socket <b>bold</b> **strong** `code` [a link](https://example.com) {filler}"
        ),
    )
    .await;
    let html = search(&app, "gunicorn").await;
    let at = html.find("data-snippet>").expect("a snippet");
    let snippet = &html[at..at + html[at..].find("</p>").expect("end")];
    assert!(snippet.contains("… "), "cut before the match: {snippet}");
    // The text as read on the page: no Markdown marks, no HTML, no link targets.
    assert!(
        snippet.contains("<mark>gunicorn</mark> socket bold strong code a link lorem"),
        "{snippet}"
    );
    assert!(snippet.ends_with(" …"), "{snippet}");
    // A match only in an answer says where it was found.
    let bob = app.signed_up_user("bob").await;
    let question = app.ask(&bob, "Proxy settings", "Which headers?").await;
    app.answer(&alice, question, "Set proxy_pass to the uwsgi socket.")
        .await;
    let html = search(&app, "uwsgi").await;
    assert_eq!(hits(&html), [question]);
    assert!(html.contains("data-found-elsewhere"), "{html}");
    assert!(
        !search(&app, "gunicorn")
            .await
            .contains("data-found-elsewhere")
    );
    app.stop().await;
}

#[tokio::test]
async fn the_index_follows_deletes() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let bob = app.signed_up_user("bob").await;
    let question = app.ask(&alice, "plain", "text").await;
    let answer = app.answer(&bob, question, "uniqueword appears here").await;
    assert_eq!(hits(&search(&app, "uniqueword").await), [question]);
    app.post_form(&bob, &format!("/answers/{answer}/delete"), &[])
        .await;
    assert!(hits(&search(&app, "uniqueword").await).is_empty());

    // A deleted question takes its answers with it.
    let other = app.ask(&alice, "another uniqueword", "text").await;
    app.answer(&bob, other, "reply secondword").await;
    app.answer(&bob, question, "stays").await;
    assert_eq!(hits(&search(&app, "uniqueword").await), [other]);
    app.post_form(&alice, &format!("/questions/{other}/delete"), &[])
        .await;
    assert!(hits(&search(&app, "uniqueword").await).is_empty());
    assert!(hits(&search(&app, "secondword").await).is_empty());
    assert_eq!(hits(&search(&app, "stays").await), [question]);
    app.stop().await;
}

#[tokio::test]
async fn search_results_page_and_keep_the_query() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    for n in 0..12 {
        app.ask(&alice, &format!("paging topic {n}"), "text").await;
    }
    let page1 = search(&app, "topic").await;
    assert_eq!(hits(&page1).len(), 10);
    assert!(page1.contains(r#"href="/questions?q=topic&amp;page=2""#));
    let page2 = app.get_html(&alice, "/questions?q=topic&page=2").await;
    assert_eq!(hits(&page2).len(), 2);
    assert!(
        page2.contains(r#"value="topic""#),
        "the box keeps the query"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_old_question_is_found_first_by_its_title_among_thousands() {
    let app = crate::helpers::spawn_app_seeded(miniboard::seed::SeedPlan {
        users: 5,
        questions: 4_000,
        answers: 4_000,
        likes: 0,
        seed: 3,
        thread: 0,
        ..Default::default()
    })
    .await;
    let client = browser();
    for old in [1, 2, 3, 500] {
        let page = app.get_html(&client, &format!("/questions/{old}")).await;
        let marker = r#"id="question-subject">"#;
        let at = page.find(marker).expect("subject") + marker.len();
        let subject = &page[at..at + page[at..].find('<').expect("end")];
        let results = search(&app, subject).await;
        let first = *hits(&results).first().expect("a hit");
        let shown = app.get_html(&client, &format!("/questions/{first}")).await;
        assert!(
            shown.contains(&format!("{marker}{subject}<")),
            "{subject:?}: question {old}, or one with the same title, first; got {first}"
        );
    }
    // A word in a third of the board: counted in full.
    let common = search(&app, "the").await;
    let summary = &common[common.find("Results for").expect("summary")..];
    assert!(
        summary.contains(" questions.") && !summary.starts_with("Results for “the”: more than")
    );
    assert_eq!(hits(&common).len(), 10);
    let rare = search(&app, "nothing-matches-this").await;
    assert!(rare.contains("No question matches your search."));
    app.stop().await;
}

#[tokio::test]
async fn a_lagging_or_lost_index_is_brought_back_from_the_database_and_the_log_says_so() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("miniboard.db");
    let app = crate::helpers::spawn_app_on(&db).await;
    let alice = app.signed_up_user("alice").await;
    let question = app.ask(&alice, "Persistent zebra question", "text").await;
    let storage = app.storage();
    let index = app.search_dir.clone();
    app.stop().await;

    // Changed while no server ran: the index is behind the database's log of changes.
    storage.rename_question_elsewhere(question, "Renamed giraffe question");
    let finds = |base: String, word: &'static str| async move {
        let html =
            crate::helpers::page_text(&browser(), &format!("{base}/questions?q={word}")).await;
        hits(&html)
    };
    let server = crate::helpers::ServerProcess::start(&db, &[]);
    assert!(
        server
            .log()
            .contains("search index: caught up with the database"),
        "{}",
        server.log()
    );
    assert_eq!(finds(server.base.clone(), "giraffe").await, [question]);
    assert!(finds(server.base.clone(), "zebra").await.is_empty());
    assert!(server.terminate().success());

    // Lost: built again from the database at start.
    std::fs::remove_dir_all(&index).expect("remove the index");
    let server = crate::helpers::ServerProcess::start(&db, &[]);
    assert!(
        server
            .log()
            .contains("search index: none yet; building it from the database"),
        "{}",
        server.log()
    );
    assert!(
        server
            .log()
            .contains("search index: built from the database")
    );
    assert_eq!(finds(server.base.clone(), "giraffe").await, [question]);
    assert!(server.terminate().success());

    // Damaged (a file of it gone): found at start and built again, not left for a search to fail on.
    let positions = std::fs::read_dir(&index)
        .expect("index folder")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .find(|path| path.extension().is_some_and(|ext| ext == "pos"))
        .expect("a positions file");
    std::fs::remove_file(positions).expect("remove it");
    let server = crate::helpers::ServerProcess::start(&db, &[]);
    assert!(
        server
            .log()
            .contains("search index: unreadable; rebuilding it from the database"),
        "{}",
        server.log()
    );
    assert_eq!(finds(server.base.clone(), "giraffe").await, [question]);
    assert!(server.terminate().success());
}

#[tokio::test]
async fn pages_of_equally_good_matches_show_every_question_once() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let mut asked = Vec::new();
    // The same words in texts as long: every score is equal, the order comes from likes and age alone.
    for _ in 0..35 {
        asked.push(app.ask(&alice, "tied walrus question", "same body").await);
    }
    let mut seen = Vec::new();
    for page in 1..=4 {
        let html = app
            .get_html(&alice, &format!("/questions?q=walrus&page={page}"))
            .await;
        seen.extend(hits(&html));
    }
    // Newest first among equals, each once.
    asked.reverse();
    assert_eq!(seen, asked);
    app.stop().await;
}

#[tokio::test]
async fn words_are_found_in_any_case_accent_and_unicode_form() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let composed = app.ask(&alice, "My R\u{e9}sum\u{e9} page", "text").await;
    let decomposed = app
        .ask(&alice, "Another re\u{301}sume\u{301} page", "text")
        .await;
    let turkish = app.ask(&alice, "\u{130}stanbul meetup", "text").await;
    for typed in ["resume", "R\u{c9}SUM\u{c9}", "re\u{301}sume\u{301}"] {
        let mut found = hits(&search(&app, typed).await);
        found.sort_unstable();
        assert_eq!(found, [composed, decomposed], "{typed:?}");
    }
    let html = search(&app, "istanbul").await;
    assert_eq!(hits(&html), [turkish]);
    assert!(html.contains("<mark>\u{130}stanbul</mark>"));
    app.stop().await;
}

#[tokio::test]
async fn the_tabs_order_every_match_by_newest_likes_and_answers() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let bob = app.signed_up_user("bob").await;
    let old = app.ask(&alice, "topic one", "text").await;
    let middle = app.ask(&alice, "topic two", "text").await;
    let new = app.ask(&alice, "topic three", "text").await;
    app.ask(&alice, "unrelated", "text").await;
    let newer_level = app.ask(&alice, "topic four", "text").await;
    for _ in 0..2 {
        app.answer(&bob, old, "an answer").await;
    }
    app.answer(&bob, middle, "an answer").await;
    app.answer(&bob, newer_level, "an answer").await;
    let newest = app.get_html(&alice, "/questions?q=topic&sort=recent").await;
    assert_eq!(hits(&newest), [newer_level, new, middle, old]);
    // Equal counts go newest first, as on the list's own tabs.
    let answered = app
        .get_html(&alice, "/questions?q=topic&sort=answers")
        .await;
    assert_eq!(hits(&answered), [old, newer_level, middle, new]);
    let liked = app.get_html(&alice, "/questions?q=topic&sort=likes").await;
    assert_eq!(hits(&liked), [newer_level, new, middle, old]);
    // Four tabs while searching, the first being relevance.
    assert!(newest.contains(">Best match<") && newest.contains(">Most answered<"));
    app.stop().await;
}
