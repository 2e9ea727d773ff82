-- Moderation (issue #17), first part: roles, suspensions, closing questions, and the log of what
-- moderators did.
--
-- A role is granted from the shell (`miniboard user role`) or by an admin, never by sign-up order.
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'user'
    CHECK (role IN ('user', 'moderator', 'admin'));
-- Suspended until this Unix time (NULL: not suspended; a past time: the suspension is over).
ALTER TABLE users ADD COLUMN suspended_until INTEGER;
ALTER TABLE users ADD COLUMN suspension_reason TEXT NOT NULL DEFAULT '';
-- The admin list and `miniboard user list --staff` read the few accounts with a role from this.
CREATE INDEX users_by_role ON users (role) WHERE role <> 'user';

-- A closed question takes no new answers. `closed_at` NULL: open. `duplicate_of` has no foreign key: the
-- question it names may be deleted later (the reason then shows without the link), and a copy inserts
-- questions in id order.
ALTER TABLE questions ADD COLUMN closed_at INTEGER;
ALTER TABLE questions ADD COLUMN closed_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE questions ADD COLUMN closed_note TEXT NOT NULL DEFAULT '';
ALTER TABLE questions ADD COLUMN duplicate_of INTEGER;
ALTER TABLE questions ADD COLUMN closed_by INTEGER REFERENCES users (id);

-- What moderators and admins did, newest last. `actor_id` NULL: the operator, from the shell. The target's
-- name or subject is kept as it was, so the log still reads after the question is deleted.
CREATE TABLE moderation_log (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    actor_id    INTEGER REFERENCES users (id),
    action      TEXT    NOT NULL,
    question_id INTEGER,
    user_id     INTEGER REFERENCES users (id),
    target      TEXT    NOT NULL DEFAULT '',
    detail      TEXT    NOT NULL DEFAULT ''
);
