//! The command line: subcommands, and configuration errors that stop the start with one line and exit code 2.

use std::process::Output;

use crate::helpers::{ServerProcess, miniboard_command};

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    miniboard_command()
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("run miniboard")
}

fn stderr_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn help_and_version_describe_the_binary() {
    let help = run(&["--help"], &[]);
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    for word in ["serve", "migrate", "config", "--config"] {
        assert!(text.contains(word), "--help mentions {word}");
    }
    let version = run(&["--version"], &[]);
    assert!(version.status.success());
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("miniboard {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn config_prints_the_effective_settings_with_the_secret_masked() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("miniboard.toml");
    std::fs::write(
        &file,
        "bind = \"127.0.0.1:9100\"\ndatabase = \"/tmp/from-file.db\"\nlog = \"debug\"\n",
    )
    .expect("write");
    let output = run(
        &["--config", file.to_str().expect("path"), "config"],
        &[
            ("MINIBOARD_DATABASE", "/tmp/from-env.db"),
            (
                "MINIBOARD_SECRET_KEY",
                "a-very-secret-value-of-forty-bytes-long!!",
            ),
        ],
    );
    assert!(output.status.success(), "{}", stderr_of(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("bind = \"127.0.0.1:9100\""),
        "file beats defaults:\n{text}"
    );
    assert!(
        text.contains("database = \"/tmp/from-env.db\""),
        "env beats file:\n{text}"
    );
    assert!(text.contains("log = \"debug\""));
    assert!(text.contains("profile = \"development\""));
    assert!(!text.contains("a-very-secret"), "secret masked:\n{text}");
    assert!(text.contains("********"));
}

#[test]
fn each_configuration_error_exits_2_with_one_line_naming_the_key() {
    let dir = tempfile::tempdir().expect("dir");
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        path.to_str().expect("path").to_owned()
    };
    let unknown_key = write("unknown.toml", "bind = \"127.0.0.1:1\"\nport = \"80\"\n");
    let wrong_type = write("type.toml", "bind = 8000\n");
    let bad_syntax = write("syntax.toml", "bind = \"unterminated\n");
    let missing = dir
        .path()
        .join("missing.toml")
        .to_str()
        .expect("path")
        .to_owned();
    // (arguments, environment, the key the message must name)
    type Case<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>, &'a str);
    let cases: Vec<Case> = vec![
        (vec![], vec![("MINIBOARD_BIND", "8000")], "MINIBOARD_BIND"),
        (
            vec![],
            vec![("MINIBOARD_BIND", "localhost:http")],
            "MINIBOARD_BIND",
        ),
        (
            vec![],
            vec![("MINIBOARD_PROFILE", "staging")],
            "MINIBOARD_PROFILE",
        ),
        (vec![], vec![("MINIBOARD_LOG", "info,[[[")], "MINIBOARD_LOG"),
        (
            vec![],
            vec![("MINIBOARD_DATABASE", "")],
            "MINIBOARD_DATABASE",
        ),
        (
            vec![],
            vec![("MINIBOARD_PROFILE", "production")],
            "MINIBOARD_SECRET_KEY",
        ),
        (
            vec![],
            vec![
                ("MINIBOARD_PROFILE", "production"),
                ("MINIBOARD_SECRET_KEY", "short"),
            ],
            "MINIBOARD_SECRET_KEY",
        ),
        (
            vec![],
            vec![
                ("MINIBOARD_PROFILE", "production"),
                ("MINIBOARD_SECRET_KEY", "0123456789abcdef0123456789abcdef"),
            ],
            "MINIBOARD_PUBLIC_URL",
        ),
        (vec!["--config", &unknown_key], vec![], "port"),
        (vec!["--config", &wrong_type], vec![], "bind"),
        (vec!["--config", &bad_syntax], vec![], "syntax.toml"),
        (vec!["--config", &missing], vec![], "missing.toml"),
    ];
    for (args, env, key) in cases {
        // `serve` is the default: a bad configuration must stop it before it listens.
        let output = run(&args, &env);
        let stderr = stderr_of(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?} {env:?}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
        assert!(stderr.contains(key), "names {key}: {stderr}");
    }
}

#[test]
fn migrate_creates_the_database_at_the_latest_schema() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("nested").join("board.db");
    let output = run(
        &["migrate"],
        &[("MINIBOARD_DATABASE", db.to_str().expect("path"))],
    );
    assert!(output.status.success(), "{}", stderr_of(&output));
    let conn = rusqlite::Connection::open(&db).expect("open");
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .expect("version");
    assert_eq!(version, miniboard::store::sqlite::SCHEMA_VERSION);
    let journal: String = conn
        .pragma_query_value(None, "journal_mode", |row| row.get(0))
        .expect("journal mode");
    assert_eq!(journal, "wal");
    // Running it again changes nothing and succeeds.
    let again = run(
        &["migrate"],
        &[("MINIBOARD_DATABASE", db.to_str().expect("path"))],
    );
    assert!(again.status.success());
}

#[tokio::test]
async fn the_binary_serves_its_embedded_assets_from_any_directory_and_exits_0_on_sigterm() {
    let dir = tempfile::tempdir().expect("dir");
    // ServerProcess runs the binary in an empty working directory.
    let server = ServerProcess::start(&dir.path().join("miniboard.db"), &[]);
    let response = reqwest::get(format!("{}/static/vendor/htmx.min.js", server.base))
        .await
        .expect("GET");
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    assert!(response.text().await.expect("body").contains("htmx"));
    let status = server.terminate();
    assert_eq!(status.code(), Some(0));
}

/// A small board, made twice by the seed test.
const SMALL_SEED: &[&str] = &[
    "seed",
    "--users",
    "6",
    "--questions",
    "40",
    "--answers",
    "90",
    "--likes",
    "120",
    "--comments",
    "60",
    "--accepted",
    "10",
    "--views",
    "4000",
    "--thread",
    "12",
];

#[test]
fn seed_fills_a_database_whose_counters_match_its_rows() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("seeded.db");
    let output = run(
        SMALL_SEED,
        &[("MINIBOARD_DATABASE", db.to_str().expect("path"))],
    );
    assert!(output.status.success(), "{}", stderr_of(&output));
    let report = String::from_utf8_lossy(&output.stdout);
    // The thread adds 12 answers, one accepted, and 30 comments on its first page.
    assert!(
        report.contains("added 6 users, 40 questions, 102 answers"),
        "{report}"
    );
    assert!(
        report.contains(" 90 comments, 11 accepted answers, 4000 views"),
        "{report}"
    );
    let conn = rusqlite::Connection::open(&db).expect("open");
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |row| row.get(0)).expect(sql) };
    assert_eq!(count("SELECT count(*) FROM users"), 6);
    assert_eq!(count("SELECT count(*) FROM questions"), 40);
    assert_eq!(
        count("SELECT value FROM board_totals WHERE name = 'questions'"),
        40
    );
    assert_eq!(count("SELECT count(*) FROM answers"), 102);
    assert_eq!(count("SELECT count(*) FROM comments"), 90);
    assert_eq!(
        count("SELECT count(*) FROM questions WHERE accepted_answer_id IS NOT NULL"),
        11
    );
    assert_eq!(count("SELECT sum(view_count) FROM questions"), 4_000);
    assert_eq!(
        count(
            "SELECT count(*) FROM questions q WHERE comment_count !=
                 (SELECT count(*) FROM comments c WHERE c.question_id = q.id AND c.answer_id IS NULL)"
        ),
        0
    );
    assert_eq!(
        count(
            "SELECT count(*) FROM answers a
             WHERE comment_count != (SELECT count(*) FROM comments c WHERE c.answer_id = a.id)"
        ),
        0
    );
    assert!(
        count("SELECT count(*) FROM question_likes") + count("SELECT count(*) FROM answer_likes")
            > 0
    );
    assert_eq!(
        count(
            "SELECT count(*) FROM questions q WHERE answer_count != (SELECT count(*) FROM answers a WHERE a.question_id = q.id)
                OR like_count != (SELECT count(*) FROM question_likes l WHERE l.question_id = q.id)"
        ),
        0
    );
    assert_eq!(
        count(
            "SELECT count(*) FROM answers a WHERE like_count != (SELECT count(*) FROM answer_likes l WHERE l.answer_id = a.id)"
        ),
        0
    );
    assert_eq!(
        count("SELECT count(DISTINCT question_id) FROM search_changes"),
        40,
        "every question is logged for the search index"
    );
    // Korean and English both.
    assert!(count("SELECT count(*) FROM users WHERE username LIKE '사용자%'") > 0);
    // The same seed makes the same board.
    let again = dir.path().join("again.db");
    let output = run(
        SMALL_SEED,
        &[("MINIBOARD_DATABASE", again.to_str().expect("path"))],
    );
    assert!(output.status.success());
    let other = rusqlite::Connection::open(&again).expect("open");
    let subjects = |c: &rusqlite::Connection| -> Vec<String> {
        let mut stmt = c
            .prepare("SELECT subject FROM questions ORDER BY id")
            .expect("prepare");
        stmt.query_map([], |row| row.get(0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows")
    };
    assert_eq!(subjects(&conn), subjects(&other));
}

#[tokio::test]
async fn a_seed_that_meets_a_taken_address_adds_no_user_of_its_batch() {
    let app = crate::helpers::spawn_app().await;
    // Takes the name and address the seed's second user would get (user3, user3@example.com).
    app.signed_up_user("user3").await;
    let store = miniboard::store::Store::open(&app.database)
        .await
        .expect("store");
    let plan = miniboard::seed::SeedPlan {
        users: 5,
        questions: 0,
        answers: 0,
        likes: 0,
        seed: 1,
        thread: 0,
        ..Default::default()
    };
    let refused = miniboard::seed::run(&store, plan).await;
    let message = refused.err().map(|err| err.to_string()).unwrap_or_default();
    assert!(
        message.starts_with("user3: ") && message.ends_with(" already"),
        "the clash is reported: {message:?}"
    );
    // Its first user, made before the clash, was taken back with the rest of the batch.
    let client = crate::helpers::browser();
    app.log_in(&client, "사용자2", miniboard::seed::SEED_PASSWORD)
        .await;
    assert_eq!(app.logged_in_as(&client).await, None);
    app.stop().await;
}

/// A whole board copied into an empty database (PostgreSQL when the suite runs on it, else another SQLite
/// file) serves the same board: its list, its people's passwords, its search. A target holding a board is
/// refused, and the board copied back out is the same board again.
#[tokio::test]
async fn copy_moves_a_whole_board_into_an_empty_database_and_back() {
    let dir = tempfile::tempdir().expect("dir");
    let source = dir.path().join("source.db");
    let source_text = source.to_str().expect("path");
    let seeded = run(SMALL_SEED, &[("MINIBOARD_DATABASE", source_text)]);
    assert!(seeded.status.success(), "{}", stderr_of(&seeded));
    // Moderation's state goes too: a role (and its log entry), a closed question, a suspension.
    let staff = crate::storage::Probe::of(&miniboard::config::Database::Sqlite(source.clone()))
        .usernames()
        .pop()
        .expect("a seeded user");
    let granted = run(
        &["user", "role", &staff, "moderator"],
        &[("MINIBOARD_DATABASE", source_text)],
    );
    assert!(granted.status.success(), "{}", stderr_of(&granted));
    let probe = crate::storage::Probe::of(&miniboard::config::Database::Sqlite(source.clone()));
    probe.change_sql(
        "UPDATE questions SET closed_at = 1700000000, closed_reason = 'off-topic', closed_note = 'moved'
         WHERE id = (SELECT max(id) FROM questions)",
    );
    probe.change_sql(
        "UPDATE users SET suspended_until = 4000000000, suspension_reason = 'ads'
         WHERE id = (SELECT min(id) FROM users)",
    );
    // And deleted posts, deleted as their authors (not the suspended one) delete them: a question with its
    // answers, and an answer.
    let deleted_question = probe.number_of(
        "SELECT id FROM questions WHERE answer_count > 0
           AND author_id <> (SELECT min(id) FROM users) ORDER BY id DESC LIMIT 1 OFFSET 20",
    );
    let deleted_answer = probe.number_of(&format!(
        "SELECT min(id) FROM answers WHERE question_id <> {deleted_question}
           AND author_id <> (SELECT min(id) FROM users)"
    ));
    let board = crate::helpers::spawn_sqlite_app_on(&source).await;
    for (post, author) in [
        (
            format!("/questions/{deleted_question}"),
            format!("SELECT author_id FROM questions WHERE id = {deleted_question}"),
        ),
        (
            format!("/answers/{deleted_answer}"),
            format!("SELECT author_id FROM answers WHERE id = {deleted_answer}"),
        ),
    ] {
        let name = probe.text_of(&format!("SELECT username FROM users WHERE id = ({author})"));
        let client = crate::helpers::browser();
        board
            .log_in(&client, &name, miniboard::seed::SEED_PASSWORD)
            .await;
        let deleted = board
            .post_form(&client, &format!("{post}/delete"), &[])
            .await;
        assert_eq!(deleted.status(), reqwest::StatusCode::SEE_OTHER, "{post}");
    }
    board.stop().await;
    let deleted_rows = "SELECT (SELECT count(*) FROM questions WHERE deleted_at IS NOT NULL) * 1000
                             + (SELECT count(*) FROM answers WHERE deleted_at IS NOT NULL)";
    assert!(probe.number_of(deleted_rows) > 1001);
    let target_path = dir.path().join("target.db");
    let target = crate::storage::test_database(&target_path);
    // Run beside the runtime, not blocking it: what a server just stopped leaves closing (its
    // connections) can close while the copy waits for it.
    let copy = async |from: &str, to: &str| {
        let args: Vec<String> = ["copy", "--from", from, "--to", to]
            .iter()
            .map(|arg| arg.to_string())
            .collect();
        tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            run(&args, &[])
        })
        .await
        .expect("copy ran")
    };
    // The operator started a server on the new database once (it made a key of its own): still empty.
    crate::helpers::spawn_app_on(&target_path)
        .await
        .stop()
        .await;

    let copied = copy(source_text, &target.config_value()).await;
    assert!(copied.status.success(), "{}", stderr_of(&copied));
    let accepted =
        probe.number_of("SELECT count(*) FROM questions WHERE accepted_answer_id IS NOT NULL");
    let said = String::from_utf8_lossy(&copied.stdout);
    assert!(
        said.contains("6 users")
            && said.contains("40 questions")
            && said.contains("102 answers")
            && said.contains("90 comments")
            && said.contains(&format!("{accepted} accepted answers"))
            && said.contains("1 deleted questions"),
        "{said}"
    );

    let original = crate::storage::Probe::of(&miniboard::config::Database::Sqlite(source.clone()));
    let app = crate::helpers::spawn_app_on(&target_path).await;
    let moved = app.storage();
    for table in [
        "users",
        "questions",
        "answers",
        "comments",
        "question_likes",
        "answer_likes",
        "moderation_log",
    ] {
        assert_eq!(moved.rows_in(table), original.rows_in(table), "{table}");
    }
    for moderation in [
        format!("SELECT role FROM users WHERE username = '{staff}'"),
        "SELECT closed_reason || closed_note FROM questions WHERE closed_at IS NOT NULL".to_owned(),
        "SELECT suspension_reason FROM users WHERE suspended_until IS NOT NULL".to_owned(),
    ] {
        assert_eq!(
            moved.text_of(&moderation),
            original.text_of(&moderation),
            "{moderation}"
        );
    }
    assert_eq!(
        moved.text_of(&format!(
            "SELECT role FROM users WHERE username = '{staff}'"
        )),
        "moderator"
    );
    assert_eq!(
        moved.questions_where("accepted_answer_id IS NOT NULL"),
        original.questions_where("accepted_answer_id IS NOT NULL")
    );
    assert_eq!(
        moved.number_of("SELECT CAST(sum(view_count) AS BIGINT) FROM questions"),
        original.number_of("SELECT CAST(sum(view_count) AS BIGINT) FROM questions")
    );
    for (counter, drift) in moved.counter_drift() {
        assert_eq!(drift, 0, "{counter}");
    }
    // Deleted posts stay deleted, out of every count, and their authors still read them.
    assert_eq!(
        moved.number_of(deleted_rows),
        original.number_of(deleted_rows)
    );
    assert_eq!(
        app.get(
            &crate::helpers::browser(),
            &format!("/questions/{deleted_question}")
        )
        .await
        .status(),
        reqwest::StatusCode::NOT_FOUND
    );
    let visitor = crate::helpers::browser();
    let front = app.get_html(&visitor, "/").await;
    for id in original.newest_questions(10) {
        assert!(
            front.contains(&format!(r#"data-question="{id}""#)),
            "question {id} listed"
        );
    }
    // People log in with the passwords they had; the search index is built from the copied board.
    let user = crate::helpers::browser();
    let name = original.usernames().pop().expect("a seeded user");
    app.log_in(&user, &name, miniboard::seed::SEED_PASSWORD)
        .await;
    assert_eq!(app.logged_in_as(&user).await, Some(name));
    let newest = original.newest_questions(1)[0];
    let page = app
        .get_html(&visitor, &format!("/questions/{newest}"))
        .await;
    let marker = r#"id="question-subject">"#;
    let at = page.find(marker).expect("subject") + marker.len();
    let subject = &page[at..at + page[at..].find('<').expect("end")];
    let found = app
        .get_html(
            &visitor,
            &format!(
                "/questions?q={}",
                subject.replace(' ', "+").replace('?', "%3F")
            ),
        )
        .await;
    assert!(
        found.contains(&format!(r#"data-question="{newest}""#)),
        "{subject} found"
    );
    // New posts get new ids after the copied ones.
    let asked = app.ask(&user, "Asked after the move", "text").await;
    assert!(asked > newest, "{asked} after {newest}");
    // A board a server runs on is not copied out (writes during the copy would be missing from it):
    // SQLite's lock says so, and a PostgreSQL board's connections.
    let held = copy(
        &target.config_value(),
        dir.path().join("held.db").to_str().expect("path"),
    )
    .await;
    assert!(!held.status.success());
    assert!(
        stderr_of(&held).contains("a running miniboard holds"),
        "{}",
        stderr_of(&held)
    );
    app.stop().await;

    // A database that holds a board is not copied into.
    let again = copy(source_text, &target.config_value()).await;
    assert!(!again.status.success());
    assert!(
        stderr_of(&again).contains("holds a board already"),
        "{}",
        stderr_of(&again)
    );

    // And back out, into a new SQLite file: the same board.
    let back = dir.path().join("back.db");
    let copied_back = copy(&target.config_value(), back.to_str().expect("path")).await;
    assert!(copied_back.status.success(), "{}", stderr_of(&copied_back));
    let returned = crate::storage::Probe::of(&miniboard::config::Database::Sqlite(back));
    assert_eq!(
        returned.rows_in("questions"),
        original.rows_in("questions") + 1
    );
    assert_eq!(
        returned.rows_in("answer_likes"),
        original.rows_in("answer_likes")
    );
    assert_eq!(returned.newest_questions(1), vec![asked]);
    assert_eq!(
        returned.number_of(deleted_rows),
        original.number_of(deleted_rows)
    );
    for (counter, drift) in returned.counter_drift() {
        assert_eq!(drift, 0, "{counter} after the copy back");
    }
}

#[test]
fn copy_refuses_a_missing_source_and_the_same_database_twice() {
    let dir = tempfile::tempdir().expect("dir");
    let missing = dir.path().join("missing.db");
    let missing = missing.to_str().expect("path");
    let target = dir.path().join("target.db");
    let refused = run(
        &[
            "copy",
            "--from",
            missing,
            "--to",
            target.to_str().expect("path"),
        ],
        &[],
    );
    assert!(!refused.status.success());
    assert!(
        stderr_of(&refused).contains("does not exist"),
        "{}",
        stderr_of(&refused)
    );
    assert!(!dir.path().join("missing.db").exists(), "nothing created");
    let same = run(&["copy", "--from", missing, "--to", missing], &[]);
    assert_eq!(same.status.code(), Some(2));
    assert!(stderr_of(&same).contains("same database"));
}

/// A copy that fails half-way (here: an answer whose author the source lost) leaves the target as empty as
/// it found it and says which table stopped it; once the source is mended, the same copy goes through.
#[tokio::test]
async fn a_copy_that_fails_half_way_leaves_the_target_empty() {
    let dir = tempfile::tempdir().expect("dir");
    let source = dir.path().join("source.db");
    let source_text = source.to_str().expect("path");
    let seeded = run(SMALL_SEED, &[("MINIBOARD_DATABASE", source_text)]);
    assert!(seeded.status.success(), "{}", stderr_of(&seeded));
    {
        let conn = rusqlite::Connection::open(&source).expect("open");
        conn.execute_batch("PRAGMA foreign_keys = OFF")
            .expect("as a damaged file would be");
        conn.execute(
            "INSERT INTO answers (question_id, author_id, content, content_html, created_at)
             VALUES (1, 99999, 'orphan', '<p>orphan</p>', 0)",
            [],
        )
        .expect("an answer without its author");
    }
    let target_path = dir.path().join("target.db");
    let target = crate::storage::test_database(&target_path);
    let copy = || {
        run(
            &[
                "copy",
                "--from",
                source_text,
                "--to",
                &target.config_value(),
            ],
            &[],
        )
    };
    let failed = copy();
    assert!(!failed.status.success());
    assert!(
        stderr_of(&failed).contains("copying answers"),
        "{}",
        stderr_of(&failed)
    );
    let left = crate::storage::Probe::of(&target);
    for table in ["users", "questions", "answers"] {
        assert_eq!(left.rows_in(table), 0, "{table} emptied again");
    }
    rusqlite::Connection::open(&source)
        .expect("open")
        .execute("DELETE FROM answers WHERE author_id = 99999", [])
        .expect("mend");
    // A copy killed half-way (no error to handle) leaves its mark: no server starts on the half-board,
    // and the next copy empties it first.
    left.leave_a_killed_copy();
    let served = run(
        &["serve"],
        &[
            ("MINIBOARD_DATABASE", &target.config_value()),
            ("MINIBOARD_BIND", "127.0.0.1:0"),
            (
                "MINIBOARD_SEARCH_DIR",
                dir.path().join("search").to_str().expect("path"),
            ),
        ],
    );
    assert!(!served.status.success());
    assert!(
        stderr_of(&served).contains("did not finish"),
        "{}",
        stderr_of(&served)
    );
    let copied = copy();
    assert!(copied.status.success(), "{}", stderr_of(&copied));
    assert_eq!(left.rows_in("answers"), 102);
}

/// A search folder set to a folder holding anything but an index (the database's own folder, say) is
/// refused at start, and nothing in it is touched.
#[test]
fn a_search_folder_holding_other_files_is_refused_and_left_as_it_was() {
    let dir = tempfile::tempdir().expect("dir");
    let db_path = dir.path().join("board.db");
    let database = crate::storage::test_database(&db_path);
    std::fs::write(dir.path().join("notes.txt"), "keep me").expect("a file of the operator's");
    let served = run(
        &["serve"],
        &[
            ("MINIBOARD_DATABASE", &database.config_value()),
            ("MINIBOARD_BIND", "127.0.0.1:0"),
            ("MINIBOARD_SEARCH_DIR", dir.path().to_str().expect("path")),
        ],
    );
    assert!(!served.status.success());
    assert!(
        stderr_of(&served).contains("not part of a search index"),
        "{}",
        stderr_of(&served)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notes.txt")).expect("still there"),
        "keep me"
    );
    if let miniboard::config::Database::Sqlite(path) = &database {
        assert!(path.is_file(), "the database is still there");
    }
}
