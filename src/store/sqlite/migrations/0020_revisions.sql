-- Edit history (issue #17): every edit of a question, answer or comment keeps the post as it then stood.
-- A post never edited has no rows: its first edit stores it as it was (number 1, its author, its time) and
-- then the edit (number 2). Exactly one of the three post columns is set; deleting the post deletes its
-- revisions (a question's answers and comments, and theirs, go with it).
CREATE TABLE revisions (
    id          INTEGER PRIMARY KEY,
    question_id INTEGER REFERENCES questions (id) ON DELETE CASCADE,
    answer_id   INTEGER REFERENCES answers (id) ON DELETE CASCADE,
    comment_id  INTEGER REFERENCES comments (id) ON DELETE CASCADE,
    number      INTEGER NOT NULL,
    editor_id   INTEGER NOT NULL REFERENCES users (id),
    created_at  INTEGER NOT NULL,
    -- What the editor said of the change ('' for none).
    summary     TEXT    NOT NULL DEFAULT '',
    -- Set when the revision rolled the post back to that earlier one.
    rolled_back_to INTEGER,
    -- A question's subject and tags (space-separated) as they stood; NULL on answers and comments.
    subject     TEXT,
    content     TEXT    NOT NULL,
    tags        TEXT,
    CHECK ((question_id IS NOT NULL) + (answer_id IS NOT NULL) + (comment_id IS NOT NULL) = 1)
);
CREATE UNIQUE INDEX revisions_of_question ON revisions (question_id, number) WHERE question_id IS NOT NULL;
CREATE UNIQUE INDEX revisions_of_answer ON revisions (answer_id, number) WHERE answer_id IS NOT NULL;
CREATE UNIQUE INDEX revisions_of_comment ON revisions (comment_id, number) WHERE comment_id IS NOT NULL;
-- Who edited a post last, when not its author ("edited by NAME"); NULL: nobody else did.
ALTER TABLE questions ADD COLUMN edited_by INTEGER REFERENCES users (id);
ALTER TABLE answers ADD COLUMN edited_by INTEGER REFERENCES users (id);
ALTER TABLE comments ADD COLUMN edited_by INTEGER REFERENCES users (id);
