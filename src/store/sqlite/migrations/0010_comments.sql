-- Comments (issue #14): short remarks under a question (answer_id NULL) or under one of its answers. Each
-- post counts its own comments beside them, changed in the same transaction; deleting a post deletes its
-- comments (foreign keys cascade; a question's take its answers' with them). AUTOINCREMENT: a deleted
-- comment's id is never handed out again, so an old link to it finds nothing rather than someone else's.
CREATE TABLE comments (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    question_id  INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    answer_id    INTEGER REFERENCES answers (id) ON DELETE CASCADE,
    author_id    INTEGER NOT NULL REFERENCES users (id),
    content      TEXT    NOT NULL,  -- Markdown as written
    content_html TEXT    NOT NULL,  -- rendered and sanitised once, at write time
    created_at   INTEGER NOT NULL,
    modified_at  INTEGER
);
-- A post's comments in order: a question's own are (question_id, NULL); the same index serves the
-- question's cascade. An answer's by answer, for its own list and its cascade.
CREATE INDEX comments_by_post   ON comments (question_id, answer_id, id);
CREATE INDEX comments_by_answer ON comments (answer_id, id) WHERE answer_id IS NOT NULL;
CREATE INDEX comments_by_author ON comments (author_id);

ALTER TABLE questions ADD COLUMN comment_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE answers   ADD COLUMN comment_count INTEGER NOT NULL DEFAULT 0;
