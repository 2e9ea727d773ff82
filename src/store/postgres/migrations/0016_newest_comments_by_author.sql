-- The limits on writing read an author's newest comments (issue #17), as they read their newest questions
-- and answers: by the author's index in id order, like those two since migration 10 (SQLite's index on
-- author_id holds the row id already).
DROP INDEX comments_by_author;
CREATE INDEX comments_by_author ON comments (author_id, id DESC);
