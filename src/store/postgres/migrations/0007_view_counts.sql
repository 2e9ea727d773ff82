-- View counts (issue #14): each question counts its viewers, each at most once an hour. Views are kept in
-- memory and written in one statement every few seconds by each app server; `question_viewers` remembers who
-- was counted in the last hour (a hash of their session or address, never the thing itself), for every
-- server at once, and forgets them after it. Unlogged: after a crash it starts empty, and a viewer may be
-- counted once more that hour.
ALTER TABLE questions ADD COLUMN view_count BIGINT NOT NULL DEFAULT 0;

CREATE UNLOGGED TABLE question_viewers (
    question_id BIGINT NOT NULL,  -- no foreign key: a deleted question's viewers age out within the hour
    viewer      BIGINT NOT NULL,
    counted_at  BIGINT NOT NULL,
    PRIMARY KEY (question_id, viewer)
);
CREATE INDEX question_viewers_by_age ON question_viewers (counted_at);
