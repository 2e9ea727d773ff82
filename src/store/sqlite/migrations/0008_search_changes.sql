-- Search moves out of SQLite into the board's own index (src/search/): ranking with FTS5's bm25() had to
-- look at every match, 0.7-2.4 s for two common words at a million questions. The index follows this log
-- of changed questions, written by triggers in the same transaction as the change.
DROP TABLE search_index;
DROP TABLE search_posts;
DELETE FROM board_totals WHERE name = 'search_rowid';
ALTER TABLE questions DROP COLUMN search_rowid;
ALTER TABLE answers DROP COLUMN search_rowid;

CREATE TABLE search_changes (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    question_id  INTEGER NOT NULL,
    -- 1: what the question says changed (its text, an answer's); 0: only its like or answer count, which
    -- the index takes in less often (a like storm would otherwise rewrite one document every second).
    text         INTEGER NOT NULL
);

CREATE TRIGGER search_question_added AFTER INSERT ON questions
BEGIN INSERT INTO search_changes (question_id, text) VALUES (new.id, 1); END;
CREATE TRIGGER search_question_changed AFTER UPDATE OF subject, content ON questions
BEGIN INSERT INTO search_changes (question_id, text) VALUES (new.id, 1); END;
CREATE TRIGGER search_question_counted AFTER UPDATE OF like_count, answer_count ON questions
BEGIN INSERT INTO search_changes (question_id, text) VALUES (new.id, 0); END;
CREATE TRIGGER search_question_deleted AFTER DELETE ON questions
BEGIN INSERT INTO search_changes (question_id, text) VALUES (old.id, 1); END;
CREATE TRIGGER search_answer_added AFTER INSERT ON answers
BEGIN INSERT INTO search_changes (question_id, text) VALUES (new.question_id, 1); END;
CREATE TRIGGER search_answer_changed AFTER UPDATE OF content ON answers
BEGIN INSERT INTO search_changes (question_id, text) VALUES (new.question_id, 1); END;
CREATE TRIGGER search_answer_deleted AFTER DELETE ON answers
BEGIN INSERT INTO search_changes (question_id, text) VALUES (old.question_id, 1); END;
