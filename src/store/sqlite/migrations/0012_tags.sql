-- Tags (issue #15): each question carries up to five, named in `questions.tags` (space-separated, in the order
-- typed: what every list row shows, read with the row) and linked in `question_tags` (what a tag's pages and
-- counts are made from). A tag's question count moves in the same transaction as its questions; a tag left
-- with none is deleted, so it leaves /tags.
CREATE TABLE tags (
    id             INTEGER PRIMARY KEY,
    name           TEXT    NOT NULL UNIQUE,
    question_count INTEGER NOT NULL DEFAULT 0
);
-- /tags: the most used first; a name filter reads the UNIQUE index on name.
CREATE INDEX tags_by_questions ON tags (question_count DESC, name);

-- A question's counts and state, copied beside each of its tags (kept by the triggers below), so each tab of
-- a tag's list reads one index in order instead of sorting all of the tag's questions.
CREATE TABLE question_tags (
    tag_id       INTEGER NOT NULL REFERENCES tags (id),
    question_id  INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    like_count   INTEGER NOT NULL,
    answer_count INTEGER NOT NULL,
    accepted     INTEGER NOT NULL,  -- 1 when the question has an accepted answer
    PRIMARY KEY (tag_id, question_id)
) WITHOUT ROWID;
CREATE INDEX question_tags_of_question ON question_tags (question_id);
CREATE INDEX question_tags_by_likes    ON question_tags (tag_id, like_count DESC, question_id DESC);
CREATE INDEX question_tags_by_answers  ON question_tags (tag_id, answer_count DESC, question_id DESC);
CREATE INDEX question_tags_by_accepted ON question_tags (tag_id, accepted, question_id DESC);

ALTER TABLE questions ADD COLUMN tags TEXT NOT NULL DEFAULT '';

CREATE TRIGGER question_tags_likes AFTER UPDATE OF like_count ON questions
WHEN old.like_count != new.like_count BEGIN
    UPDATE question_tags SET like_count = new.like_count WHERE question_id = new.id;
END;

CREATE TRIGGER question_tags_answers AFTER UPDATE OF answer_count ON questions
WHEN old.answer_count != new.answer_count BEGIN
    UPDATE question_tags SET answer_count = new.answer_count WHERE question_id = new.id;
END;

CREATE TRIGGER question_tags_accepted AFTER UPDATE OF accepted_answer_id ON questions
WHEN (old.accepted_answer_id IS NULL) != (new.accepted_answer_id IS NULL) BEGIN
    UPDATE question_tags SET accepted = new.accepted_answer_id IS NOT NULL WHERE question_id = new.id;
END;

-- Search filters by tag: a change of tags is a change of the question's text for the index.
CREATE TRIGGER search_question_tagged AFTER UPDATE OF tags ON questions
WHEN old.tags != new.tags BEGIN
    INSERT INTO search_changes (question_id, text) VALUES (new.id, 1);
END;
