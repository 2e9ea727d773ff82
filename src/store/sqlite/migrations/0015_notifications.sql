-- Notifications and follows (issue #16). A notification tells `user_id` that `actor_id` did something
-- (`kind`, see `domain::notifications::NotificationKind`) about a question, and when it was an answer or a
-- comment, which one: the inbox links to exactly that. Posts going take their notifications with them.
-- One notification per person and post at most (`notifications_once`): whoever is both the asker and
-- mentioned hears of an answer once, and an edit that mentions someone again does not notify twice.
CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL,
    question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    answer_id   INTEGER REFERENCES answers (id) ON DELETE CASCADE,
    comment_id  INTEGER REFERENCES comments (id) ON DELETE CASCADE,
    actor_id    INTEGER NOT NULL REFERENCES users (id),
    created_at  INTEGER NOT NULL,
    read        INTEGER NOT NULL DEFAULT 0  -- 1 once read
);
-- Leads with the question, so a question's delete finds its notifications by index.
CREATE UNIQUE INDEX notifications_once
    ON notifications (question_id, coalesce(answer_id, 0), coalesce(comment_id, 0), user_id);
CREATE INDEX notifications_by_answer ON notifications (answer_id) WHERE answer_id IS NOT NULL;
CREATE INDEX notifications_by_comment ON notifications (comment_id) WHERE comment_id IS NOT NULL;
-- The inbox, newest first, a page after an id.
CREATE INDEX notifications_by_user ON notifications (user_id, id);
-- What is unread: marking all read touches these rows only.
CREATE INDEX notifications_unread ON notifications (user_id, id) WHERE read = 0;

-- The navbar's count, one row read per page: kept by the triggers below whoever writes.
ALTER TABLE users ADD COLUMN unread_notifications INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER notification_added AFTER INSERT ON notifications WHEN new.read = 0 BEGIN
    UPDATE users SET unread_notifications = unread_notifications + 1 WHERE id = new.user_id;
END;

CREATE TRIGGER notification_deleted AFTER DELETE ON notifications WHEN old.read = 0 BEGIN
    UPDATE users SET unread_notifications = unread_notifications - 1 WHERE id = old.user_id;
END;

CREATE TRIGGER notification_read AFTER UPDATE OF read ON notifications WHEN old.read <> new.read BEGIN
    UPDATE users SET unread_notifications = unread_notifications + CASE WHEN new.read = 1 THEN -1 ELSE 1 END
        WHERE id = new.user_id;
END;

-- Who follows a question (its asker and everyone who answered it do, from then on) and a tag.
CREATE TABLE question_follows (
    question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (question_id, user_id)
) WITHOUT ROWID;
CREATE INDEX question_follows_by_user ON question_follows (user_id, created_at);

CREATE TABLE tag_follows (
    tag_id     INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (tag_id, user_id)
) WITHOUT ROWID;
CREATE INDEX tag_follows_by_user ON tag_follows (user_id, tag_id);

-- Followers still to be told of a new answer (`answer_id` set: the question's followers) or a new question
-- (its tags' followers), past the first few the write told itself: the background works through them in
-- user id order, after `after_user`. A post going takes its unfinished work with it.
CREATE TABLE notification_jobs (
    id          INTEGER PRIMARY KEY,
    question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    answer_id   INTEGER REFERENCES answers (id) ON DELETE CASCADE,
    actor_id    INTEGER NOT NULL REFERENCES users (id),
    after_user  INTEGER NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX notification_jobs_by_answer ON notification_jobs (answer_id) WHERE answer_id IS NOT NULL;
CREATE INDEX notification_jobs_by_question ON notification_jobs (question_id);
