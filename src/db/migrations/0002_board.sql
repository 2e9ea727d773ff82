-- Version 2: the board. Questions, answers and likes; counters kept beside what they count, changed in the
-- same transaction, so they never drift; a full-text index over every post.

CREATE TABLE questions (
    id            INTEGER PRIMARY KEY,
    author_id     INTEGER NOT NULL REFERENCES users (id),
    subject       TEXT    NOT NULL,
    content       TEXT    NOT NULL,  -- Markdown as written
    content_html  TEXT    NOT NULL,  -- rendered and sanitised once, at write time
    created_at    INTEGER NOT NULL,
    modified_at   INTEGER,
    answer_count  INTEGER NOT NULL DEFAULT 0,
    like_count    INTEGER NOT NULL DEFAULT 0
);
-- "recent" is rowid order; these serve the other two sorts (ties: newest first).
CREATE INDEX questions_by_likes   ON questions (like_count DESC, id DESC);
CREATE INDEX questions_by_answers ON questions (answer_count DESC, id DESC);
CREATE INDEX questions_by_author  ON questions (author_id);

CREATE TABLE answers (
    id            INTEGER PRIMARY KEY,
    question_id   INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    author_id     INTEGER NOT NULL REFERENCES users (id),
    content       TEXT    NOT NULL,
    content_html  TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    modified_at   INTEGER,
    like_count    INTEGER NOT NULL DEFAULT 0
);
-- Answer pages: oldest first by default ordering, or most liked first (ties: oldest first).
CREATE INDEX answers_by_question ON answers (question_id, id);
CREATE INDEX answers_by_likes    ON answers (question_id, like_count DESC, id);
CREATE INDEX answers_by_author   ON answers (author_id);

CREATE TABLE question_likes (
    question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (question_id, user_id)
) WITHOUT ROWID;

CREATE TABLE answer_likes (
    answer_id INTEGER NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (answer_id, user_id)
) WITHOUT ROWID;

-- One row per post. Korean attaches particles to words (파이썬을), so searches are prefix queries over
-- unicode61 tokens: "파이썬"* finds 파이썬을, "질문"* finds 질문이.
CREATE VIRTUAL TABLE search_index USING fts5 (
    subject,
    body,
    author,
    question_id UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Totals that COUNT(*) would have to scan a million rows for.
CREATE TABLE board_totals (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO board_totals (name, value) VALUES ('questions', 0);
