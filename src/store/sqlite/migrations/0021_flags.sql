-- Flags (issue #17): anyone signed in flags a post once (spam, rude or abusive, or something else for a
-- moderator, said in the note); moderators see the open ones grouped per post at /review and resolve
-- them (the post deleted, edited, its question closed, or the flags dismissed), which the moderation log
-- records. Exactly one of the three post columns is set; deleting the post deletes its flags.
CREATE TABLE flags (
    id          INTEGER PRIMARY KEY,
    question_id INTEGER REFERENCES questions (id) ON DELETE CASCADE,
    answer_id   INTEGER REFERENCES answers (id) ON DELETE CASCADE,
    comment_id  INTEGER REFERENCES comments (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    reason      TEXT    NOT NULL CHECK (reason IN ('spam', 'rude', 'other')),
    note        TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    -- NULL while open; then when a moderator decided, and what ('deleted', 'edited', 'closed', 'dismissed').
    resolved_at INTEGER,
    resolution  TEXT    NOT NULL DEFAULT '',
    CHECK ((question_id IS NOT NULL) + (answer_id IS NOT NULL) + (comment_id IS NOT NULL) = 1)
);
-- Once per person and post, ever (a dismissed flag is not raised again by the same person).
CREATE UNIQUE INDEX flags_on_question ON flags (question_id, user_id) WHERE question_id IS NOT NULL;
CREATE UNIQUE INDEX flags_on_answer ON flags (answer_id, user_id) WHERE answer_id IS NOT NULL;
CREATE UNIQUE INDEX flags_on_comment ON flags (comment_id, user_id) WHERE comment_id IS NOT NULL;
-- The review queue and the moderators' count read only the open ones.
CREATE INDEX open_flags ON flags (created_at) WHERE resolved_at IS NULL;
-- Hidden (by three spam flags from different people) since this time, until a moderator decides.
ALTER TABLE questions ADD COLUMN hidden_at INTEGER;
ALTER TABLE answers ADD COLUMN hidden_at INTEGER;
ALTER TABLE comments ADD COLUMN hidden_at INTEGER;
