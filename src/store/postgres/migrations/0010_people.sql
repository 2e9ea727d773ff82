-- People (issue #16), as on SQLite (its migration 14 says what and why): per user, questions and answers
-- written, answers accepted by someone else, likes received and reputation (+5 a like on a question, +10 on
-- an answer, +15 an answer accepted by its question's asker), moved by the triggers below in the same
-- transaction as their cause (the board takes an accepted mark off before its answer or question goes).
ALTER TABLE users ADD COLUMN question_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN answer_count   BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN accepted_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN likes_received BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN reputation     BIGINT NOT NULL DEFAULT 0;
CREATE INDEX users_by_reputation ON users (reputation DESC, id);
-- The name filter of /users is a prefix of the lookup key (`text_pattern_ops` serves LIKE 'prefix%').
CREATE INDEX users_by_name_prefix ON users (username_key text_pattern_ops);
-- A profile's tabs: the user's questions and answers, newest first.
DROP INDEX questions_by_author;
CREATE INDEX questions_by_author ON questions (author_id, id DESC);
DROP INDEX answers_by_author;
CREATE INDEX answers_by_author ON answers (author_id, id DESC);

UPDATE users SET
    question_count = (SELECT count(*) FROM questions q WHERE q.author_id = users.id),
    answer_count   = (SELECT count(*) FROM answers a WHERE a.author_id = users.id),
    accepted_count = (SELECT count(*) FROM questions q JOIN answers a ON a.id = q.accepted_answer_id
                      WHERE a.author_id = users.id AND q.author_id <> users.id),
    likes_received = (SELECT coalesce(sum(like_count), 0) FROM questions q WHERE q.author_id = users.id)
                   + (SELECT coalesce(sum(like_count), 0) FROM answers a WHERE a.author_id = users.id);
UPDATE users SET reputation =
      5 * (SELECT coalesce(sum(like_count), 0) FROM questions q WHERE q.author_id = users.id)
    + 10 * (SELECT coalesce(sum(like_count), 0) FROM answers a WHERE a.author_id = users.id)
    + 15 * accepted_count;

CREATE FUNCTION people_follow_questions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE users SET question_count = question_count + 1 WHERE id = NEW.author_id;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE users SET question_count = question_count - 1, likes_received = likes_received - OLD.like_count,
                         reputation = reputation - 5 * OLD.like_count
            WHERE id = OLD.author_id;
    ELSE
        IF OLD.like_count <> NEW.like_count THEN
            UPDATE users SET likes_received = likes_received + NEW.like_count - OLD.like_count,
                             reputation = reputation + 5 * (NEW.like_count - OLD.like_count)
                WHERE id = NEW.author_id;
        END IF;
        -- The mark moves (the board takes it off before an answer or question goes); an asker's own answer
        -- gives nothing.
        IF OLD.accepted_answer_id IS DISTINCT FROM NEW.accepted_answer_id THEN
            UPDATE users SET accepted_count = accepted_count - 1, reputation = reputation - 15
                WHERE id = (SELECT author_id FROM answers WHERE id = OLD.accepted_answer_id)
                  AND id <> OLD.author_id;
            UPDATE users SET accepted_count = accepted_count + 1, reputation = reputation + 15
                WHERE id = (SELECT author_id FROM answers WHERE id = NEW.accepted_answer_id)
                  AND id <> NEW.author_id;
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER people_follow_questions
    AFTER INSERT OR DELETE OR UPDATE OF like_count, accepted_answer_id ON questions
    FOR EACH ROW EXECUTE FUNCTION people_follow_questions();

CREATE FUNCTION people_follow_answers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE users SET answer_count = answer_count + 1 WHERE id = NEW.author_id;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE users SET answer_count = answer_count - 1, likes_received = likes_received - OLD.like_count,
                         reputation = reputation - 10 * OLD.like_count
            WHERE id = OLD.author_id;
    ELSIF OLD.like_count <> NEW.like_count THEN
        UPDATE users SET likes_received = likes_received + NEW.like_count - OLD.like_count,
                         reputation = reputation + 10 * (NEW.like_count - OLD.like_count)
            WHERE id = NEW.author_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER people_follow_answers AFTER INSERT OR DELETE OR UPDATE OF like_count ON answers
    FOR EACH ROW EXECUTE FUNCTION people_follow_answers();
