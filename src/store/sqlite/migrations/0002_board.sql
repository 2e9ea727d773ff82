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
    like_count    INTEGER NOT NULL DEFAULT 0,
    search_rowid  INTEGER NOT NULL  -- its row in search_index
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
    like_count    INTEGER NOT NULL DEFAULT 0,
    search_rowid  INTEGER NOT NULL
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

-- One row per post, row ids in posting order (a shared sequence), so "the newest matches" is a cheap
-- reverse walk of the index. Terms are matched as whole tokens, which FTS5 streams; Korean attaches particles
-- to words (파이썬을), so the *_stems columns hold the leading parts of each Hangul word (파이, 파이썬) and the
-- word 파이썬 finds 파이썬을 without a prefix query.
CREATE VIRTUAL TABLE search_index USING fts5 (
    subject,
    subject_stems,
    body,
    body_stems,
    author,
    question_id UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Totals that COUNT(*) would have to scan a million rows for.
CREATE TABLE board_totals (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO board_totals (name, value) VALUES ('questions', 0), ('search_rowid', 0);

-- Deep pages without OFFSET over a million rows: how many questions each (sort, score, id block) holds.
-- A page's first row is found by adding up these counts in list order, then a short OFFSET inside one block.
-- sort 0 = recent (score 0), 1 = likes (score like_count), 2 = answers (score answer_count);
-- block = id >> 10. Triggers keep the counts in the same transaction as the change.
CREATE TABLE question_rank_blocks (
    sort  INTEGER NOT NULL,
    score INTEGER NOT NULL,
    block INTEGER NOT NULL,
    n     INTEGER NOT NULL,
    PRIMARY KEY (sort, score, block)
) WITHOUT ROWID;

CREATE TRIGGER question_rank_insert AFTER INSERT ON questions BEGIN
    INSERT OR IGNORE INTO question_rank_blocks (sort, score, block, n)
        VALUES (0, 0, new.id >> 10, 0), (1, new.like_count, new.id >> 10, 0),
               (2, new.answer_count, new.id >> 10, 0);
    UPDATE question_rank_blocks SET n = n + 1
        WHERE block = new.id >> 10
          AND ((sort = 0 AND score = 0) OR (sort = 1 AND score = new.like_count)
               OR (sort = 2 AND score = new.answer_count));
END;

CREATE TRIGGER question_rank_delete AFTER DELETE ON questions BEGIN
    UPDATE question_rank_blocks SET n = n - 1
        WHERE block = old.id >> 10
          AND ((sort = 0 AND score = 0) OR (sort = 1 AND score = old.like_count)
               OR (sort = 2 AND score = old.answer_count));
    DELETE FROM question_rank_blocks WHERE block = old.id >> 10 AND n = 0;
END;

CREATE TRIGGER question_rank_likes AFTER UPDATE OF like_count ON questions
WHEN old.like_count != new.like_count BEGIN
    UPDATE question_rank_blocks SET n = n - 1
        WHERE sort = 1 AND score = old.like_count AND block = old.id >> 10;
    DELETE FROM question_rank_blocks
        WHERE sort = 1 AND score = old.like_count AND block = old.id >> 10 AND n = 0;
    INSERT OR IGNORE INTO question_rank_blocks (sort, score, block, n)
        VALUES (1, new.like_count, new.id >> 10, 0);
    UPDATE question_rank_blocks SET n = n + 1
        WHERE sort = 1 AND score = new.like_count AND block = new.id >> 10;
END;

CREATE TRIGGER question_rank_answers AFTER UPDATE OF answer_count ON questions
WHEN old.answer_count != new.answer_count BEGIN
    UPDATE question_rank_blocks SET n = n - 1
        WHERE sort = 2 AND score = old.answer_count AND block = old.id >> 10;
    DELETE FROM question_rank_blocks
        WHERE sort = 2 AND score = old.answer_count AND block = old.id >> 10 AND n = 0;
    INSERT OR IGNORE INTO question_rank_blocks (sort, score, block, n)
        VALUES (2, new.answer_count, new.id >> 10, 0);
    UPDATE question_rank_blocks SET n = n + 1
        WHERE sort = 2 AND score = new.answer_count AND block = new.id >> 10;
END;
