//! `miniboard seed`: fills a database with realistic random Korean and English posts, through the same
//! storage functions the server uses, so counters and the search index are exactly what real use makes.

use std::{path::Path, time::Instant};

use rand::{Rng, SeedableRng, rngs::StdRng, seq::IndexedRandom};
use rusqlite::{Connection, Transaction};

use crate::{
    db::{self, DbError, answers, likes, questions},
    domain::{
        accounts::{Email, NewAccount, Password, Username},
        board::{AnswerId, Content, QuestionDraft, QuestionId, Subject},
        ids::UserId,
        policy::{Actor, PostRef},
    },
    markdown, passwords,
};

/// How much to make.
#[derive(Clone, Copy, Debug)]
pub struct SeedPlan {
    pub users: u64,
    pub questions: u64,
    pub answers: u64,
    pub likes: u64,
    /// Fixes the random choices, so two runs with the same plan make the same board.
    pub seed: u64,
    /// Extra answers on the newest question: one long thread.
    pub thread: u64,
}

/// Every seeded user logs in with this password.
pub const SEED_PASSWORD: &str = "seed-password";

/// Rows per transaction: large enough to be fast, small enough that a reader is never blocked for long.
const BATCH: u64 = 20_000;

const ENGLISH: &[&str] = &[
    "flask",
    "python",
    "rust",
    "database",
    "query",
    "index",
    "session",
    "login",
    "template",
    "route",
    "deploy",
    "nginx",
    "gunicorn",
    "socket",
    "server",
    "error",
    "timeout",
    "migration",
    "model",
    "form",
    "markdown",
    "search",
    "page",
    "cache",
    "thread",
    "async",
    "request",
    "response",
    "json",
    "cookie",
    "token",
    "password",
    "user",
    "question",
    "answer",
    "board",
    "sqlite",
    "postgres",
    "docker",
    "systemd",
    "memory",
    "performance",
    "test",
    "bug",
    "install",
    "config",
    "static",
    "file",
    "upload",
    "how",
    "why",
    "does",
    "my",
    "the",
    "a",
    "with",
    "when",
    "not",
    "working",
];

const KOREAN: &[&str] = &[
    "파이썬을",
    "파이썬",
    "플라스크",
    "질문이",
    "질문",
    "답변",
    "데이터베이스",
    "설치",
    "오류가",
    "에러",
    "서버",
    "배포",
    "로그인",
    "회원가입",
    "세션",
    "템플릿",
    "라우팅",
    "검색",
    "페이지",
    "게시판",
    "추천",
    "마크다운",
    "모델",
    "폼",
    "쿼리",
    "인덱스",
    "소켓",
    "엔진엑스",
    "유니콘",
    "시스템",
    "메모리",
    "성능",
    "테스트",
    "버그",
    "파일",
    "업로드",
    "어떻게",
    "왜",
    "안",
    "됩니다",
    "합니다",
    "있나요",
    "해결",
    "방법",
    "도와주세요",
    "초보",
    "입니다",
    "사용",
    "하면",
    "경우",
];

fn words(rng: &mut StdRng, korean: bool, count: usize) -> String {
    let list = if korean { KOREAN } else { ENGLISH };
    (0..count)
        .filter_map(|_| list.choose(rng).copied())
        .collect::<Vec<_>>()
        .join(" ")
}

fn subject(rng: &mut StdRng) -> String {
    let korean = rng.random_bool(0.5);
    let count = rng.random_range(3..10);
    let mut text = words(rng, korean, count);
    text.push('?');
    text
}

fn body(rng: &mut StdRng) -> String {
    let korean = rng.random_bool(0.5);
    let paragraphs = rng.random_range(1..4);
    let mut text = String::new();
    for index in 0..paragraphs {
        if index > 0 {
            text.push_str("\n\n");
        }
        let count = rng.random_range(8..40);
        text.push_str(&words(rng, korean, count));
        if rng.random_bool(0.2) {
            text.push_str(" **");
            let count = rng.random_range(1..3);
            text.push_str(&words(rng, korean, count));
            text.push_str("**");
        }
    }
    if rng.random_bool(0.15) {
        text.push_str("\n\n```python\nimport flask\napp = flask.Flask(__name__)\n```");
    }
    text
}

/// What a run made, for the report.
#[derive(Debug, Default)]
pub struct SeedReport {
    pub users: u64,
    pub questions: u64,
    pub answers: u64,
    pub likes: u64,
    pub seconds: f64,
}

fn batches(total: u64) -> impl Iterator<Item = (u64, u64)> {
    (0..total.div_ceil(BATCH)).map(move |b| (b * BATCH, ((b + 1) * BATCH).min(total)))
}

/// One answer with a generated body; `None` if the question is gone.
fn insert_answer(
    tx: &Transaction,
    rng: &mut StdRng,
    question: QuestionId,
    author_id: UserId,
    author: &str,
    now: i64,
) -> Result<Option<AnswerId>, DbError> {
    let content = Content::parse(&body(rng)).map_err(|p| DbError::Refused(format!("{p:?}")))?;
    let html = markdown::render(content.as_str());
    Ok(answers::insert(
        tx,
        &answers::NewAnswer {
            question_id: question,
            author_id,
            author,
            content: &content,
            content_html: &html,
            now,
        },
    )?)
}

fn in_batches(
    conn: &mut Connection,
    total: u64,
    mut each: impl FnMut(&Transaction, u64) -> Result<(), DbError>,
) -> Result<(), DbError> {
    for (start, end) in batches(total) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        for n in start..end {
            each(&tx, n)?;
        }
        tx.commit()?;
    }
    Ok(())
}

/// Adds `plan` to the database at `path` (created and migrated if needed).
pub fn run(path: &Path, plan: SeedPlan) -> Result<SeedReport, DbError> {
    let started = Instant::now();
    drop(db::Db::open(path)?);
    let mut conn = Connection::open(path)?;
    conn.set_prepared_statement_cache_capacity(64);
    // The seed is rebuilt from scratch if interrupted: trade durability for speed while it runs.
    conn.execute_batch("PRAGMA synchronous = OFF; PRAGMA foreign_keys = ON;")?;
    let mut rng = StdRng::seed_from_u64(plan.seed);
    let hash = passwords::hash(SEED_PASSWORD).map_err(DbError::Migration)?;
    let now = db::now();
    let year = 365 * 24 * 3600;

    let first_user: i64 =
        conn.query_row("SELECT coalesce(max(id), 0) + 1 FROM users", [], |r| {
            r.get(0)
        })?;
    let mut names = Vec::with_capacity(plan.users as usize);
    in_batches(&mut conn, plan.users, |tx, n| {
        let number = first_user + n as i64;
        let name = if n % 3 == 0 {
            format!("사용자{number}")
        } else {
            format!("user{number}")
        };
        let account = NewAccount {
            username: Username::parse(&name).map_err(|p| DbError::Refused(format!("{p:?}")))?,
            email: Email::parse(&format!("user{number}@example.com"))
                .map_err(|p| DbError::Refused(format!("{p:?}")))?,
            password: Password::parse(SEED_PASSWORD)
                .map_err(|p| DbError::Refused(format!("{p:?}")))?,
        };
        let id = match crate::db::users::insert(tx, &account, &hash, now - year)? {
            Ok(id) => id,
            Err(taken) => return Err(DbError::Refused(format!("{name}: {taken:?} already"))),
        };
        names.push((id, name));
        Ok(())
    })?;
    if names.is_empty() {
        let mut stmt = conn.prepare("SELECT id, username FROM users")?;
        names = stmt
            .query_map([], |row| Ok((UserId(row.get(0)?), row.get(1)?)))?
            .collect::<Result<_, _>>()?;
    }
    if names.is_empty() && (plan.questions > 0 || plan.answers > 0) {
        return Err(DbError::Refused("posts need users: add --users".into()));
    }

    let mut question_ids: Vec<(QuestionId, UserId)> = Vec::with_capacity(plan.questions as usize);
    in_batches(&mut conn, plan.questions, |tx, n| {
        let (author_id, author) = &names[rng.random_range(0..names.len())];
        let draft = QuestionDraft {
            subject: Subject::parse(&subject(&mut rng))
                .map_err(|p| DbError::Refused(format!("{p:?}")))?,
            content: Content::parse(&body(&mut rng))
                .map_err(|p| DbError::Refused(format!("{p:?}")))?,
        };
        let html = markdown::render(draft.content.as_str());
        // Oldest first, spread over the past year, so ids and dates agree.
        let created = now - year + (n as i64 * year) / plan.questions.max(1) as i64;
        let id = questions::insert(
            tx,
            &questions::NewQuestion {
                author_id: *author_id,
                author,
                draft: &draft,
                content_html: &html,
                now: created,
            },
        )?;
        question_ids.push((id, *author_id));
        Ok(())
    })?;
    if question_ids.is_empty() && plan.answers + plan.likes > 0 {
        let mut stmt = conn.prepare("SELECT id, author_id FROM questions")?;
        question_ids = stmt
            .query_map([], |row| Ok((QuestionId(row.get(0)?), UserId(row.get(1)?))))?
            .collect::<Result<_, _>>()?;
    }

    let mut answer_ids: Vec<(AnswerId, UserId)> = Vec::with_capacity(plan.answers as usize);
    in_batches(&mut conn, plan.answers, |tx, _| {
        if question_ids.is_empty() {
            return Err(DbError::Refused(
                "answers need questions: add --questions".into(),
            ));
        }
        // Newer questions get more answers: pick from the newer half twice as often.
        let span = question_ids.len();
        let index = if rng.random_bool(0.66) {
            rng.random_range(span / 2..span)
        } else {
            rng.random_range(0..span)
        };
        let (question, _) = question_ids[index];
        let (author_id, author) = &names[rng.random_range(0..names.len())];
        let answered = insert_answer(tx, &mut rng, question, *author_id, author, now)?;
        answer_ids.extend(answered.map(|id| (id, *author_id)));
        Ok(())
    })?;

    if let Some(&(newest, _)) = question_ids.iter().max_by_key(|(id, _)| id.0) {
        in_batches(&mut conn, plan.thread, |tx, n| {
            let (author_id, author) = &names[n as usize % names.len()];
            let answered = insert_answer(tx, &mut rng, newest, *author_id, author, now)?;
            answer_ids.extend(answered.map(|id| (id, *author_id)));
            Ok(())
        })?;
    }

    let mut liked = 0;
    in_batches(&mut conn, plan.likes, |tx, _| {
        let user = names[rng.random_range(0..names.len())].0;
        let target = if !answer_ids.is_empty() && rng.random_bool(0.5) {
            let (id, author) = answer_ids[rng.random_range(0..answer_ids.len())];
            (author != user).then_some(PostRef::Answer(id))
        } else if !question_ids.is_empty() {
            let (id, author) = question_ids[rng.random_range(0..question_ids.len())];
            (author != user).then_some(PostRef::Question(id))
        } else {
            None
        };
        // A toggle on a post the user already liked would take it back: only count new likes.
        if let Some(target) = target
            && let likes::LikeOutcome::Toggled { liked: true, .. } =
                likes::toggle(tx, target, Actor::user(user))?
        {
            liked += 1;
        }
        Ok(())
    })?;
    // One merged full-text index instead of the many segments bulk inserts leave behind.
    conn.execute_batch(
        "INSERT INTO search_index (search_index) VALUES ('optimize'); PRAGMA optimize;",
    )?;
    Ok(SeedReport {
        users: plan.users,
        questions: plan.questions,
        answers: answer_ids.len() as u64,
        likes: liked,
        seconds: started.elapsed().as_secs_f64(),
    })
}
