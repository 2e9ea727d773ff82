-- Mail (issue #16): verified addresses, one-use links, the outgoing queue, and notifications by mail.
-- A user's address is verified by a link mailed to it; `locale` is the language their mail is written in
-- (the one they signed up or last switched to); `mail_kinds` the notifications they get by mail, as codes
-- between commas (`domain::mail::MailChoices`), an answer to their question only unless they choose.
ALTER TABLE users ADD COLUMN email_verified INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locale TEXT NOT NULL DEFAULT 'en';
ALTER TABLE users ADD COLUMN mail_kinds TEXT NOT NULL DEFAULT ',answer,';
-- 1: the chosen kinds come together once a day (a digest of what is unread), not one mail each;
-- `digest_after` is the last notification a digest covered, `digest_sent_at` when it went.
ALTER TABLE users ADD COLUMN mail_digest INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN digest_after INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN digest_sent_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX users_digest_due ON users (digest_sent_at) WHERE mail_digest = 1;
-- A deleted account (issue #16): its posts stay, shown as by a deleted user; its name (`username` empty)
-- is held by its key for 30 days, then freed; its address is freed at once.
ALTER TABLE users ADD COLUMN deleted_at INTEGER;
-- `/users` lists, and counts, the accounts not deleted: from an index that holds only those (`deleted_at`
-- in its columns too, so SQLite counts from the index alone).
DROP INDEX users_by_reputation;
CREATE INDEX users_by_reputation ON users (reputation DESC, id, deleted_at) WHERE deleted_at IS NULL;

-- One-use links: a password reset, or the verification of `email` (the account's own, or one to move it
-- to). Only the token's SHA-256 is kept; the mail holds the token.
CREATE TABLE account_links (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT    NOT NULL,  -- reset | verify
    email      TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX account_links_by_user ON account_links (user_id, purpose, created_at);

-- Every link of an account is void once its password changes, however it changed: a reset link, and a
-- pending move to another address (whoever knew the old password could have asked for one).
CREATE TRIGGER password_changed_voids_links AFTER UPDATE OF password_hash ON users
    WHEN old.password_hash <> new.password_hash BEGIN
    DELETE FROM account_links WHERE user_id = new.id;
END;

-- Sign-ups waiting for their address to be confirmed (with mail on): the account is made when the link is
-- opened, so a sign-up with an address that has an account looks and behaves like one that has none.
CREATE TABLE signup_links (
    token_hash    TEXT    PRIMARY KEY,
    username      TEXT    NOT NULL,
    email         TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    locale        TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
);

-- Mail waiting to be handed to the SMTP server: written in the transaction that causes it, so it survives
-- restarts and is never sent for a change that rolled back. `message` is `domain::mail::Mail` as JSON.
-- A sending round takes due rows by moving `next_attempt_at` on (a lease), and deletes each once sent.
CREATE TABLE mail_queue (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER REFERENCES users (id) ON DELETE CASCADE,
    recipient       TEXT    NOT NULL,
    locale          TEXT    NOT NULL,
    message         TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX mail_queue_due ON mail_queue (next_attempt_at);
CREATE INDEX mail_queue_by_user ON mail_queue (user_id) WHERE user_id IS NOT NULL;

-- A notification is mailed to a verified address whose owner chose its kind: queued by the write that
-- makes it, whichever path makes it (a post's own few, the background's batches).
CREATE TRIGGER notification_mailed AFTER INSERT ON notifications WHEN new.read = 0 BEGIN
    INSERT INTO mail_queue (user_id, recipient, locale, message, created_at, next_attempt_at)
    SELECT id, email, locale, json_object('kind', 'notification', 'id', new.id), new.created_at,
           new.created_at
    FROM users
    WHERE id = new.user_id AND email_verified = 1 AND mail_digest = 0
      AND instr(mail_kinds, ',' || new.kind || ',') > 0;
END;
