-- View counts (issue #14): each question counts its viewers, each at most once an hour. Views are kept in
-- memory and written in one transaction every few seconds; `question_viewers` remembers who was counted in
-- the last hour (a hash of their session or address, never the thing itself) and forgets them after it.
ALTER TABLE questions ADD COLUMN view_count INTEGER NOT NULL DEFAULT 0;

CREATE TABLE question_viewers (
    question_id INTEGER NOT NULL,  -- no foreign key: a deleted question's viewers age out within the hour
    viewer      INTEGER NOT NULL,
    counted_at  INTEGER NOT NULL,
    PRIMARY KEY (question_id, viewer)
) WITHOUT ROWID;
CREATE INDEX question_viewers_by_age ON question_viewers (counted_at);
