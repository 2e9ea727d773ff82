//! `miniboard seed`: fills a database with realistic random Korean and English posts, through the same
//! storage functions the server uses, so counters and the search index are exactly what real use makes.

use std::time::Instant;

use rand::{
    Rng, SeedableRng,
    distr::{Distribution, weighted::WeightedIndex},
    rngs::StdRng,
};

use crate::{
    domain::{
        self,
        accounts::{Email, NewAccount, Password, Username},
        board::{AnswerId, AnswerSort, CommentText, Content, QuestionDraft, QuestionId, Subject},
        ids::UserId,
        policy::{Actor, PostRef},
        posts::PageParts,
        tags::Tags,
    },
    markdown, passwords,
    store::{Guarded, LikeOutcome, NewAnswer, NewComment, NewQuestion, Store, StoreError},
};

/// How much to make.
#[derive(Clone, Copy, Debug, Default)]
pub struct SeedPlan {
    pub users: u64,
    pub questions: u64,
    pub answers: u64,
    pub likes: u64,
    /// Comments, a third on questions and the rest on answers.
    pub comments: u64,
    /// Questions whose author accepts one of their answers (as many as have answers, at most).
    pub accepted: u64,
    /// Views, spread over the questions.
    pub views: u64,
    /// Fixes the random choices, so two runs with the same plan make the same board.
    pub seed: u64,
    /// Extra answers on the newest question: one long thread, with an accepted answer and five comments on
    /// each of the first six posts its page shows (30 in all).
    pub thread: u64,
}

/// Comments on each post of the thread's first page that gets any.
const THREAD_COMMENTS_PER_POST: u64 = 5;
/// Posts of the thread's first page (the question, the accepted answer, then the others) that get them.
const THREAD_COMMENTED_POSTS: usize = 6;

/// Every seeded user logs in with this password.
pub const SEED_PASSWORD: &str = "seed-password";

/// Mixed into the plan's seed for the tags' own random stream.
const TAGS_SEED: u64 = 0x7461_6773;

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

/// Generated words after each hand-written list: most of a real board's words are rare, and a search is
/// only as telling as its corpus (with 60 words in all, every question held most of them).
const ENGLISH_TAIL: usize = 12_000;
const KOREAN_TAIL: usize = 8_000;
/// Fixes the generated words, whatever the plan's seed.
const VOCABULARY_SEED: u64 = 20_261_127;
const CONSONANTS: &[char] = &[
    'b', 'c', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'w', 'z',
];
const VOWELS: &[char] = &['a', 'e', 'i', 'o', 'u'];
const HANGUL_SYLLABLES: &[char] = &[
    '가', '나', '다', '라', '마', '바', '사', '아', '자', '차', '카', '타', '파', '하', '리', '스',
    '트', '로', '드', '기', '지', '시', '이', '서', '버', '모', '듈', '설', '정', '변', '수', '함',
    '배', '열', '객', '체', '연', '결', '처', '리', '문', '제', '해', '법', '구', '현', '값', '형',
];
const TAIL_PARTICLES: &[&str] = &["을", "를", "이", "가", "은", "는", "에서", "으로", "의"];

/// The words posts are made of, in order of frequency, drawn by Zipf's law (the r-th word about 1/r as
/// often as the first).
struct Vocabulary {
    words: Vec<String>,
    draw: WeightedIndex<f64>,
}

impl Vocabulary {
    fn new(head: &[&str], tail: impl Iterator<Item = String>, size: usize) -> Self {
        let mut words: Vec<String> = head.iter().map(|w| (*w).to_owned()).collect();
        let mut seen: std::collections::HashSet<String> = words.iter().cloned().collect();
        for word in tail {
            if words.len() >= head.len() + size {
                break;
            }
            if seen.insert(word.clone()) {
                words.push(word);
            }
        }
        let weights = (1..=words.len()).map(|rank| 1.0 / rank as f64);
        let draw = WeightedIndex::new(weights).unwrap_or_else(|_| unreachable!("positive weights"));
        Self { words, draw }
    }

    fn word(&self, rng: &mut StdRng) -> &str {
        &self.words[self.draw.sample(rng)]
    }
}

/// Both languages' vocabularies.
struct Words {
    english: Vocabulary,
    korean: Vocabulary,
}

impl Words {
    fn new() -> Self {
        let mut rng = StdRng::seed_from_u64(VOCABULARY_SEED);
        let english = (0..)
            .map(|_| {
                let syllables = rng.random_range(2..4);
                (0..syllables)
                    .flat_map(|_| {
                        [
                            CONSONANTS[rng.random_range(0..CONSONANTS.len())],
                            VOWELS[rng.random_range(0..VOWELS.len())],
                        ]
                    })
                    .collect::<String>()
            })
            .take(ENGLISH_TAIL * 2)
            .collect::<Vec<_>>();
        let korean = (0..)
            .map(|_| {
                let syllables = rng.random_range(2..4);
                let mut word: String = (0..syllables)
                    .map(|_| HANGUL_SYLLABLES[rng.random_range(0..HANGUL_SYLLABLES.len())])
                    .collect();
                if rng.random_bool(0.3) {
                    word.push_str(TAIL_PARTICLES[rng.random_range(0..TAIL_PARTICLES.len())]);
                }
                word
            })
            .take(KOREAN_TAIL * 3)
            .collect::<Vec<_>>();
        Self {
            english: Vocabulary::new(ENGLISH, english.into_iter(), ENGLISH_TAIL),
            korean: Vocabulary::new(KOREAN, korean.into_iter(), KOREAN_TAIL),
        }
    }

    fn text(&self, rng: &mut StdRng, korean: bool, count: usize) -> String {
        let vocabulary = if korean { &self.korean } else { &self.english };
        (0..count)
            .map(|_| vocabulary.word(rng))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn subject(&self, rng: &mut StdRng) -> String {
        let korean = rng.random_bool(0.5);
        let count = rng.random_range(3..10);
        let mut text = self.text(rng, korean, count);
        text.push('?');
        text
    }

    /// A question's tags as people use them: most questions two or three, some none, a few five; drawn from
    /// the words by the same Zipf's law, so a few tags are on a large share of the questions and most are
    /// rare.
    fn tags(&self, rng: &mut StdRng) -> Tags {
        let count = match rng.random_range(0..20) {
            0..2 => 0,
            2..6 => 1,
            6..12 => 2,
            12..17 => 3,
            17..19 => 4,
            _ => 5,
        };
        let mut names: Vec<&str> = Vec::with_capacity(count);
        // Repeats are drawn again (a few tries): five distinct names, as a person would type them.
        for _ in 0..count * 4 {
            if names.len() == count {
                break;
            }
            let vocabulary = if rng.random_bool(0.7) {
                &self.english
            } else {
                &self.korean
            };
            let name = vocabulary.word(rng);
            if !names.contains(&name) {
                names.push(name);
            }
        }
        Tags::parse(&names.join(" ")).unwrap_or_default()
    }

    /// A remark of a few words, sometimes with a bit of code.
    fn comment(&self, rng: &mut StdRng) -> String {
        let korean = rng.random_bool(0.5);
        let count = rng.random_range(4..20);
        let mut text = self.text(rng, korean, count);
        if rng.random_bool(0.2) {
            text.push_str(&format!(" `{}()`", self.english.word(rng)));
        }
        text
    }

    fn body(&self, rng: &mut StdRng) -> String {
        let korean = rng.random_bool(0.5);
        let paragraphs = rng.random_range(1..4);
        let mut text = String::new();
        for index in 0..paragraphs {
            if index > 0 {
                text.push_str("\n\n");
            }
            let count = rng.random_range(8..40);
            text.push_str(&self.text(rng, korean, count));
            if rng.random_bool(0.2) {
                text.push_str(" **");
                let count = rng.random_range(1..3);
                text.push_str(&self.text(rng, korean, count));
                text.push_str("**");
            }
        }
        if rng.random_bool(0.15) {
            // Code differs from post to post, as it does on a real board.
            let [module, name, call] = [0; 3].map(|_| self.english.word(rng).to_owned());
            text.push_str(&format!(
                "\n\n```python\nimport {module}\n{name} = {module}.{call}(__name__)\n```"
            ));
        }
        text
    }
}

/// What a run made, for the report.
#[derive(Debug, Default)]
pub struct SeedReport {
    pub users: u64,
    pub questions: u64,
    pub answers: u64,
    pub likes: u64,
    pub comments: u64,
    pub accepted: u64,
    pub views: u64,
    pub seconds: f64,
}

fn batches(total: u64) -> impl Iterator<Item = (u64, u64)> {
    (0..total.div_ceil(BATCH)).map(move |b| (b * BATCH, ((b + 1) * BATCH).min(total)))
}

/// A value the generator made that the domain refuses: a bug in the generator, reported, not panicked on.
fn refused(what: impl std::fmt::Debug) -> StoreError {
    StoreError::Refused(format!("the seed made an invalid value: {what:?}"))
}

/// One answer with a generated body.
fn new_answer(
    words: &Words,
    rng: &mut StdRng,
    question: QuestionId,
    (author_id, author): &(UserId, String),
    now: i64,
) -> Result<NewAnswer, StoreError> {
    let content = Content::parse(&words.body(rng)).map_err(refused)?;
    let content_html = markdown::render(content.as_str());
    Ok(NewAnswer {
        check: None,
        question_id: question,
        author_id: *author_id,
        author: author.clone(),
        content,
        content_html,
        // The seed writes a board as it is: nobody is told of it.
        mentioned: Vec::new(),
        now,
    })
}

/// One comment with generated text.
fn new_comment(
    words: &Words,
    rng: &mut StdRng,
    on: PostRef,
    author: UserId,
    now: i64,
) -> Result<NewComment, StoreError> {
    let content = CommentText::parse(&words.comment(rng)).map_err(refused)?;
    let content_html = markdown::render_comment(content.as_str());
    Ok(NewComment {
        check: None,
        on,
        author_id: author,
        content,
        content_html,
        // The seed writes a board as it is: nobody is told of it.
        mentioned: Vec::new(),
        now,
    })
}

/// Makes and inserts `total` rows, a batch (one transaction) at a time; returns what the inserts returned.
async fn in_batches<Row, Inserted>(
    total: u64,
    mut make: impl FnMut(u64) -> Result<Row, StoreError>,
    insert: impl AsyncFn(Vec<Row>) -> Result<Vec<Inserted>, StoreError>,
) -> Result<Vec<Inserted>, StoreError> {
    let mut inserted = Vec::with_capacity(total as usize);
    for (start, end) in batches(total) {
        let rows = (start..end).map(&mut make).collect::<Result<Vec<_>, _>>()?;
        inserted.extend(insert(rows).await?);
    }
    Ok(inserted)
}

/// Adds `plan` to the database (created and migrated if needed).
pub async fn run(store: &Store, plan: SeedPlan) -> Result<SeedReport, StoreError> {
    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(plan.seed);
    let words = Words::new();
    let hash = passwords::hash(SEED_PASSWORD).map_err(StoreError::Refused)?;
    let now = domain::now();
    let year = 365 * 24 * 3600;

    let existing = store.all_authors().await?;
    let first_user = existing.last().map_or(1, |(id, _)| id.0 + 1);
    let accounts = (0..plan.users)
        .map(|n| {
            let number = first_user + n as i64;
            let name = if n % 3 == 0 {
                format!("사용자{number}")
            } else {
                format!("user{number}")
            };
            Ok(NewAccount {
                username: Username::parse(&name).map_err(refused)?,
                email: Email::parse(&format!("user{number}@example.com")).map_err(refused)?,
                password: Password::parse(SEED_PASSWORD).map_err(refused)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let mut names = Vec::with_capacity(accounts.len());
    let mut accounts = accounts.into_iter();
    for (start, end) in batches(plan.users) {
        let batch: Vec<NewAccount> = accounts.by_ref().take((end - start) as usize).collect();
        let batch_names: Vec<String> = batch
            .iter()
            .map(|a| a.username.as_str().to_owned())
            .collect();
        match store.insert_users(batch, hash.clone(), now - year).await? {
            Ok(ids) => names.extend(ids.into_iter().zip(batch_names)),
            Err((at, taken)) => {
                let name = &batch_names[at];
                return Err(StoreError::Refused(format!("{name}: {taken:?} already")));
            }
        }
    }
    if names.is_empty() {
        names = existing;
    }
    if names.is_empty() && (plan.questions > 0 || plan.answers > 0) {
        return Err(StoreError::Refused("posts need users: add --users".into()));
    }

    // Tags from a stream of their own: the posts a seed makes stay what they were before tags.
    let mut tag_rng = StdRng::seed_from_u64(plan.seed ^ TAGS_SEED);
    let mut authors = Vec::with_capacity(plan.questions as usize);
    let mut question_ids: Vec<(QuestionId, UserId)> = in_batches(
        plan.questions,
        |n| {
            let (author_id, author) = &names[rng.random_range(0..names.len())];
            let draft = QuestionDraft {
                subject: Subject::parse(&words.subject(&mut rng)).map_err(refused)?,
                content: Content::parse(&words.body(&mut rng)).map_err(refused)?,
                tags: Some(words.tags(&mut tag_rng)),
            };
            let content_html = markdown::render(draft.content.as_str());
            authors.push(*author_id);
            Ok(NewQuestion {
                check: None,
                author_id: *author_id,
                author: author.clone(),
                draft,
                // Oldest first, spread over the past year, so ids and dates agree.
                now: now - year + (n as i64 * year) / plan.questions.max(1) as i64,
                content_html,
            })
        },
        async |rows| store.insert_questions(rows).await,
    )
    .await?
    .into_iter()
    .zip(authors)
    .collect();
    if question_ids.is_empty() && plan.answers + plan.likes > 0 {
        question_ids = store.all_questions().await?;
    }
    if question_ids.is_empty() && plan.answers > 0 {
        return Err(StoreError::Refused(
            "answers need questions: add --questions".into(),
        ));
    }

    let mut answer_authors = Vec::new();
    let mut answer_questions = Vec::new();
    let answered = in_batches(
        plan.answers,
        |_| {
            // Newer questions get more answers: pick from the newer half twice as often.
            let span = question_ids.len();
            let index = if rng.random_bool(0.66) {
                rng.random_range(span / 2..span)
            } else {
                rng.random_range(0..span)
            };
            let (question, _) = question_ids[index];
            let author = &names[rng.random_range(0..names.len())];
            answer_authors.push(author.0);
            answer_questions.push(question);
            new_answer(&words, &mut rng, question, author, now)
        },
        async |rows| store.insert_answers(rows).await,
    )
    .await?;
    let mut answer_ids: Vec<(AnswerId, UserId)> = Vec::with_capacity(answered.len());
    let mut answer_of: Vec<(AnswerId, QuestionId)> = Vec::with_capacity(answered.len());
    for ((id, author), question) in answered
        .into_iter()
        .zip(answer_authors)
        .zip(answer_questions)
    {
        if let Some(id) = id {
            answer_ids.push((id, author));
            answer_of.push((id, question));
        }
    }

    if let Some(&(newest, _)) = question_ids.iter().max_by_key(|(id, _)| id.0) {
        let mut thread_authors = Vec::new();
        let answered = in_batches(
            plan.thread,
            |n| {
                let author = &names[n as usize % names.len()];
                thread_authors.push(author.0);
                new_answer(&words, &mut rng, newest, author, now)
            },
            async |rows| store.insert_answers(rows).await,
        )
        .await?;
        answer_ids.extend(
            answered
                .into_iter()
                .zip(thread_authors)
                .filter_map(|(id, author)| id.map(|id| (id, author))),
        );
    }

    let toggled = in_batches(
        plan.likes,
        |_| {
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
            Ok(target.map(|post| (Actor::user(user), post)))
        },
        async |rows: Vec<Option<(Actor, PostRef)>>| {
            store
                .toggle_likes(rows.into_iter().flatten().collect())
                .await
        },
    )
    .await?;
    // A toggle on a post the user already liked takes it back: only new likes count.
    let liked = toggled
        .iter()
        .filter(|outcome| matches!(outcome, LikeOutcome::Toggled { liked: true, .. }))
        .count() as u64;

    let comments = in_batches(
        plan.comments,
        |_| {
            let author = names[rng.random_range(0..names.len())].0;
            let on = if !answer_ids.is_empty() && rng.random_bool(2.0 / 3.0) {
                PostRef::Answer(answer_ids[rng.random_range(0..answer_ids.len())].0)
            } else if !question_ids.is_empty() {
                PostRef::Question(question_ids[rng.random_range(0..question_ids.len())].0)
            } else {
                return Ok(None);
            };
            new_comment(&words, &mut rng, on, author, now).map(Some)
        },
        async |rows: Vec<Option<NewComment>>| {
            store
                .insert_comments(rows.into_iter().flatten().collect())
                .await
        },
    )
    .await?
    .into_iter()
    .flatten()
    .count() as u64;

    // Questions whose author accepts an answer: each answered question once, in a random order.
    let askers: std::collections::HashMap<QuestionId, UserId> =
        question_ids.iter().copied().collect();
    let mut accepting: Vec<(Actor, AnswerId)> = Vec::new();
    let mut chosen = std::collections::HashSet::new();
    let mut order: Vec<usize> = (0..answer_of.len()).collect();
    rand::seq::SliceRandom::shuffle(order.as_mut_slice(), &mut rng);
    for at in order {
        if accepting.len() as u64 >= plan.accepted {
            break;
        }
        let (answer, question) = answer_of[at];
        if let Some(&asker) = askers.get(&question)
            && chosen.insert(question)
        {
            accepting.push((Actor::user(asker), answer));
        }
    }
    let mut accepted = 0;
    for batch in accepting.chunks(BATCH as usize) {
        accepted += store
            .toggle_accepts(batch.to_vec())
            .await?
            .iter()
            .filter(|outcome| matches!(outcome, Guarded::Done((_, true))))
            .count() as u64;
    }

    let views = seed_views(store, &mut rng, &question_ids, plan.views).await?;
    let (thread_accepted, thread_comments) = match question_ids.iter().max_by_key(|(id, _)| id.0) {
        Some(&(newest, asker)) if plan.thread > 0 => {
            show_off_thread(store, &words, &mut rng, &names, newest, asker, now).await?
        }
        _ => (0, 0),
    };
    store.optimize().await?;
    Ok(SeedReport {
        users: plan.users,
        questions: plan.questions,
        answers: answer_ids.len() as u64,
        likes: liked,
        comments: comments + thread_comments,
        accepted: accepted + thread_accepted,
        views,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Gives the questions `total` views in all, more to some than others: each a share in proportion to a
/// random weight, and what rounding leaves over one each to the first. Returns how many were given.
async fn seed_views(
    store: &Store,
    rng: &mut StdRng,
    questions: &[(QuestionId, UserId)],
    total: u64,
) -> Result<u64, StoreError> {
    if questions.is_empty() || total == 0 {
        return Ok(0);
    }
    let weights: Vec<f64> = questions.iter().map(|_| rng.random::<f64>()).collect();
    let sum = weights.iter().sum::<f64>().max(f64::MIN_POSITIVE);
    let mut shares: Vec<u64> = weights
        .iter()
        .map(|weight| (total as f64 * weight / sum) as u64)
        .collect();
    // Each share lost less than one view to rounding down (in floating point, perhaps a few more: those go
    // to the first question too, so the total stays exact).
    let left = total.saturating_sub(shares.iter().sum());
    let spread = left.min(shares.len() as u64);
    for share in shares.iter_mut().take(spread as usize) {
        *share += 1;
    }
    if let Some(first) = shares.first_mut() {
        *first += left - spread;
    }
    for (batch, views) in questions
        .chunks(BATCH as usize)
        .zip(shares.chunks(BATCH as usize))
    {
        let views: Vec<(QuestionId, i64)> = batch
            .iter()
            .zip(views)
            .map(|((id, _), n)| (*id, *n as i64))
            .collect();
        store.add_views(views).await?;
    }
    Ok(total)
}

/// The long thread's first page as benchmarks want it: its first answer accepted (unless one is), and five
/// comments on each of the first posts the page shows (the question, the accepted answer, the best liked
/// others). Returns the answers accepted (0 or 1) and the comments made.
async fn show_off_thread(
    store: &Store,
    words: &Words,
    rng: &mut StdRng,
    names: &[(UserId, String)],
    question: QuestionId,
    asker: UserId,
    now: i64,
) -> Result<(u64, u64), StoreError> {
    let first_page = async || {
        store
            .question_page(question, AnswerSort::Likes, 1, None, PageParts::Answers)
            .await
    };
    let Some(page) = first_page().await? else {
        return Ok((0, 0));
    };
    let Some(first) = page
        .answers
        .iter()
        .map(|answer| answer.id)
        .min_by_key(|id| id.0)
    else {
        return Ok((0, 0));
    };
    let mut accepted = 0;
    if page.question.accepted_answer_id.is_none() {
        let outcomes = store
            .toggle_accepts(vec![(Actor::user(asker), first)])
            .await?;
        accepted = outcomes
            .iter()
            .filter(|outcome| matches!(outcome, Guarded::Done((_, true))))
            .count() as u64;
    }
    let Some(page) = first_page().await? else {
        return Ok((accepted, 0));
    };
    let posts = std::iter::once(PostRef::Question(question)).chain(
        page.accepted
            .iter()
            .chain(&page.answers)
            .map(|answer| PostRef::Answer(answer.id)),
    );
    let mut comments = Vec::new();
    for post in posts.take(THREAD_COMMENTED_POSTS) {
        for _ in 0..THREAD_COMMENTS_PER_POST {
            let author = names[rng.random_range(0..names.len())].0;
            comments.push(new_comment(words, rng, post, author, now)?);
        }
    }
    let made = store
        .insert_comments(comments)
        .await?
        .iter()
        .flatten()
        .count() as u64;
    Ok((accepted, made))
}
