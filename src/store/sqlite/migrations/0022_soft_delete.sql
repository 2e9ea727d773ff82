-- Soft delete (issue #17): a deleted question or answer stays in its table, marked, for its author and the
-- moderators to see and undelete; an admin purges it for good. Deleting a question deletes its answers with
-- it (marked so, and undeleted with it). Everything counted from the posts (the list's rank counts, the
-- total, tag counts, each person's counts and reputation, the search index) counts only posts not deleted:
-- a post being deleted leaves the counts as its hard delete would, coming back enters them as its insert
-- would, and while deleted its own changes (a like taken back with its giver's account) move nothing.
ALTER TABLE questions ADD COLUMN deleted_at INTEGER;
ALTER TABLE questions ADD COLUMN deleted_by INTEGER REFERENCES users (id);
ALTER TABLE answers ADD COLUMN deleted_at INTEGER;
ALTER TABLE answers ADD COLUMN deleted_by INTEGER REFERENCES users (id);
-- Deleted because its question was: undeleted with it (an answer deleted on its own before stays deleted).
ALTER TABLE answers ADD COLUMN deleted_with_question INTEGER NOT NULL DEFAULT 0;

-- The list's orders read only what is not deleted: partial indexes, each also holding the columns of its
-- condition so that a page is counted off in the index alone (the queries name them: INDEXED BY).
DROP INDEX questions_by_likes;
CREATE INDEX questions_by_likes ON questions (like_count DESC, id DESC, deleted_at) WHERE deleted_at IS NULL;
DROP INDEX questions_by_answers;
CREATE INDEX questions_by_answers ON questions (answer_count DESC, id DESC, deleted_at) WHERE deleted_at IS NULL;
DROP INDEX questions_unaccepted;
CREATE INDEX questions_unaccepted ON questions (id DESC, accepted_answer_id, deleted_at)
    WHERE accepted_answer_id IS NULL AND deleted_at IS NULL;
CREATE INDEX questions_live ON questions (id DESC, deleted_at) WHERE deleted_at IS NULL;
-- A question's answers in either order, with whether each is deleted, from the index alone (the foreign
-- key's cascade uses them too, so they stay whole).
DROP INDEX answers_by_question;
CREATE INDEX answers_by_question ON answers (question_id, id, deleted_at);
DROP INDEX answers_by_likes;
CREATE INDEX answers_by_likes ON answers (question_id, like_count DESC, id, deleted_at);

-- A person's posts newest first, with whether each is deleted, from the index alone (the profile lists
-- skip the deleted; the write limits count them).
DROP INDEX questions_by_author;
CREATE INDEX questions_by_author ON questions (author_id, id, deleted_at);
DROP INDEX answers_by_author;
CREATE INDEX answers_by_author ON answers (author_id, id, deleted_at);
-- A person's deleted posts, for their profile's tab of them.
CREATE INDEX questions_deleted_by_author ON questions (author_id, deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX answers_deleted_by_author ON answers (author_id, deleted_at) WHERE deleted_at IS NOT NULL;

-- Counts move only with posts not deleted; a purge of a deleted post moves nothing (it left the counts
-- when it was deleted).
DROP TRIGGER question_rank_likes;
CREATE TRIGGER question_rank_likes AFTER UPDATE OF like_count ON questions
WHEN (old.like_count != new.like_count) AND new.deleted_at IS NULL BEGIN
    UPDATE question_rank_blocks SET n = n - 1
        WHERE sort = 1 AND score = old.like_count AND block = old.id >> 10;
    DELETE FROM question_rank_blocks
        WHERE sort = 1 AND score = old.like_count AND block = old.id >> 10 AND n = 0;
    INSERT OR IGNORE INTO question_rank_blocks (sort, score, block, n)
        VALUES (1, new.like_count, new.id >> 10, 0);
    UPDATE question_rank_blocks SET n = n + 1
        WHERE sort = 1 AND score = new.like_count AND block = new.id >> 10;
END;
DROP TRIGGER question_rank_answers;
CREATE TRIGGER question_rank_answers AFTER UPDATE OF answer_count ON questions
WHEN (old.answer_count != new.answer_count) AND new.deleted_at IS NULL BEGIN
    UPDATE question_rank_blocks SET n = n - 1
        WHERE sort = 2 AND score = old.answer_count AND block = old.id >> 10;
    DELETE FROM question_rank_blocks
        WHERE sort = 2 AND score = old.answer_count AND block = old.id >> 10 AND n = 0;
    INSERT OR IGNORE INTO question_rank_blocks (sort, score, block, n)
        VALUES (2, new.answer_count, new.id >> 10, 0);
    UPDATE question_rank_blocks SET n = n + 1
        WHERE sort = 2 AND score = new.answer_count AND block = new.id >> 10;
END;
DROP TRIGGER question_rank_levels_likes;
CREATE TRIGGER question_rank_levels_likes AFTER UPDATE OF like_count ON questions
WHEN (old.like_count != new.like_count) AND new.deleted_at IS NULL BEGIN
    UPDATE question_rank_scores SET n = n - 1 WHERE sort = 1 AND score = old.like_count;
    DELETE FROM question_rank_scores WHERE sort = 1 AND score = old.like_count AND n = 0;
    INSERT INTO question_rank_scores (sort, score, n) VALUES (1, new.like_count, 1)
        ON CONFLICT (sort, score) DO UPDATE SET n = n + 1;
    UPDATE question_rank_spans SET n = n - 1
        WHERE sort = 1 AND score = old.like_count AND span = old.id >> 13;
    DELETE FROM question_rank_spans
        WHERE sort = 1 AND score = old.like_count AND span = old.id >> 13 AND n = 0;
    INSERT INTO question_rank_spans (sort, score, span, n) VALUES (1, new.like_count, new.id >> 13, 1)
        ON CONFLICT (sort, score, span) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER question_rank_levels_answers;
CREATE TRIGGER question_rank_levels_answers AFTER UPDATE OF answer_count ON questions
WHEN (old.answer_count != new.answer_count) AND new.deleted_at IS NULL BEGIN
    UPDATE question_rank_scores SET n = n - 1 WHERE sort = 2 AND score = old.answer_count;
    DELETE FROM question_rank_scores WHERE sort = 2 AND score = old.answer_count AND n = 0;
    INSERT INTO question_rank_scores (sort, score, n) VALUES (2, new.answer_count, 1)
        ON CONFLICT (sort, score) DO UPDATE SET n = n + 1;
    UPDATE question_rank_spans SET n = n - 1
        WHERE sort = 2 AND score = old.answer_count AND span = old.id >> 13;
    DELETE FROM question_rank_spans
        WHERE sort = 2 AND score = old.answer_count AND span = old.id >> 13 AND n = 0;
    INSERT INTO question_rank_spans (sort, score, span, n) VALUES (2, new.answer_count, new.id >> 13, 1)
        ON CONFLICT (sort, score, span) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER question_rank_accepted_moved;
CREATE TRIGGER question_rank_accepted_moved AFTER UPDATE OF accepted_answer_id ON questions
WHEN ((old.accepted_answer_id IS NULL) != (new.accepted_answer_id IS NULL)) AND new.deleted_at IS NULL BEGIN
    UPDATE question_rank_blocks SET n = n - 1
        WHERE sort = 3 AND score = (old.accepted_answer_id IS NOT NULL) AND block = old.id >> 10;
    DELETE FROM question_rank_blocks
        WHERE sort = 3 AND score = (old.accepted_answer_id IS NOT NULL) AND block = old.id >> 10 AND n = 0;
    UPDATE question_rank_spans SET n = n - 1
        WHERE sort = 3 AND score = (old.accepted_answer_id IS NOT NULL) AND span = old.id >> 13;
    DELETE FROM question_rank_spans
        WHERE sort = 3 AND score = (old.accepted_answer_id IS NOT NULL) AND span = old.id >> 13 AND n = 0;
    UPDATE question_rank_scores SET n = n - 1
        WHERE sort = 3 AND score = (old.accepted_answer_id IS NOT NULL);
    DELETE FROM question_rank_scores
        WHERE sort = 3 AND score = (old.accepted_answer_id IS NOT NULL) AND n = 0;
    INSERT INTO question_rank_blocks (sort, score, block, n)
        VALUES (3, new.accepted_answer_id IS NOT NULL, new.id >> 10, 1)
        ON CONFLICT (sort, score, block) DO UPDATE SET n = n + 1;
    INSERT INTO question_rank_spans (sort, score, span, n)
        VALUES (3, new.accepted_answer_id IS NOT NULL, new.id >> 13, 1)
        ON CONFLICT (sort, score, span) DO UPDATE SET n = n + 1;
    INSERT INTO question_rank_scores (sort, score, n)
        VALUES (3, new.accepted_answer_id IS NOT NULL, 1)
        ON CONFLICT (sort, score) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER people_question_liked;
CREATE TRIGGER people_question_liked AFTER UPDATE OF like_count ON questions
WHEN (old.like_count != new.like_count) AND new.deleted_at IS NULL BEGIN
    UPDATE users SET likes_received = likes_received + new.like_count - old.like_count,
                     reputation = reputation + 5 * (new.like_count - old.like_count)
        WHERE id = new.author_id;
END;
DROP TRIGGER people_answer_accepted;
CREATE TRIGGER people_answer_accepted AFTER UPDATE OF accepted_answer_id ON questions
WHEN (old.accepted_answer_id IS NOT new.accepted_answer_id) AND new.deleted_at IS NULL BEGIN
    UPDATE users SET accepted_count = accepted_count - 1, reputation = reputation - 15
        WHERE id = (SELECT author_id FROM answers WHERE id = old.accepted_answer_id) AND id <> old.author_id;
    UPDATE users SET accepted_count = accepted_count + 1, reputation = reputation + 15
        WHERE id = (SELECT author_id FROM answers WHERE id = new.accepted_answer_id) AND id <> new.author_id;
END;
DROP TRIGGER people_answer_liked;
CREATE TRIGGER people_answer_liked AFTER UPDATE OF like_count ON answers
WHEN (old.like_count != new.like_count) AND new.deleted_at IS NULL BEGIN
    UPDATE users SET likes_received = likes_received + new.like_count - old.like_count,
                     reputation = reputation + 10 * (new.like_count - old.like_count)
        WHERE id = new.author_id;
END;
DROP TRIGGER question_rank_delete;
CREATE TRIGGER question_rank_delete AFTER DELETE ON questions
WHEN old.deleted_at IS NULL BEGIN
    UPDATE question_rank_blocks SET n = n - 1
        WHERE block = old.id >> 10
          AND ((sort = 0 AND score = 0) OR (sort = 1 AND score = old.like_count)
               OR (sort = 2 AND score = old.answer_count));
    DELETE FROM question_rank_blocks WHERE block = old.id >> 10 AND n = 0;
END;
DROP TRIGGER question_rank_levels_delete;
CREATE TRIGGER question_rank_levels_delete AFTER DELETE ON questions
WHEN old.deleted_at IS NULL BEGIN
    UPDATE question_rank_scores SET n = n - 1
        WHERE (sort = 0 AND score = 0) OR (sort = 1 AND score = old.like_count)
           OR (sort = 2 AND score = old.answer_count);
    DELETE FROM question_rank_scores
        WHERE n = 0 AND ((sort = 0 AND score = 0) OR (sort = 1 AND score = old.like_count)
                         OR (sort = 2 AND score = old.answer_count));
    UPDATE question_rank_spans SET n = n - 1
        WHERE span = old.id >> 13
          AND ((sort = 0 AND score = 0) OR (sort = 1 AND score = old.like_count)
               OR (sort = 2 AND score = old.answer_count));
    DELETE FROM question_rank_spans
        WHERE span = old.id >> 13 AND n = 0
          AND ((sort = 0 AND score = 0) OR (sort = 1 AND score = old.like_count)
               OR (sort = 2 AND score = old.answer_count));
END;
DROP TRIGGER question_rank_accepted_delete;
CREATE TRIGGER question_rank_accepted_delete AFTER DELETE ON questions
WHEN old.deleted_at IS NULL BEGIN
    UPDATE question_rank_blocks SET n = n - 1
        WHERE sort = 3 AND score = (old.accepted_answer_id IS NOT NULL) AND block = old.id >> 10;
    DELETE FROM question_rank_blocks
        WHERE sort = 3 AND score = (old.accepted_answer_id IS NOT NULL) AND block = old.id >> 10 AND n = 0;
    UPDATE question_rank_spans SET n = n - 1
        WHERE sort = 3 AND score = (old.accepted_answer_id IS NOT NULL) AND span = old.id >> 13;
    DELETE FROM question_rank_spans
        WHERE sort = 3 AND score = (old.accepted_answer_id IS NOT NULL) AND span = old.id >> 13 AND n = 0;
    UPDATE question_rank_scores SET n = n - 1
        WHERE sort = 3 AND score = (old.accepted_answer_id IS NOT NULL);
    DELETE FROM question_rank_scores
        WHERE sort = 3 AND score = (old.accepted_answer_id IS NOT NULL) AND n = 0;
END;
DROP TRIGGER people_question_deleted;
CREATE TRIGGER people_question_deleted AFTER DELETE ON questions
WHEN old.deleted_at IS NULL BEGIN
    UPDATE users SET question_count = question_count - 1, likes_received = likes_received - old.like_count,
                     reputation = reputation - 5 * old.like_count
        WHERE id = old.author_id;
END;
DROP TRIGGER people_answer_deleted;
CREATE TRIGGER people_answer_deleted AFTER DELETE ON answers
WHEN old.deleted_at IS NULL BEGIN
    UPDATE users SET answer_count = answer_count - 1, likes_received = likes_received - old.like_count,
                     reputation = reputation - 10 * old.like_count
        WHERE id = old.author_id;
END;

CREATE TRIGGER questions_deleted AFTER UPDATE OF deleted_at ON questions
WHEN old.deleted_at IS NULL AND new.deleted_at IS NOT NULL BEGIN
    UPDATE question_rank_blocks SET n = n - 1
        WHERE block = old.id >> 10
          AND ((sort = 0 AND score = 0) OR (sort = 1 AND score = old.like_count)
               OR (sort = 2 AND score = old.answer_count));
    DELETE FROM question_rank_blocks WHERE block = old.id >> 10 AND n = 0;
    UPDATE question_rank_scores SET n = n - 1
        WHERE (sort = 0 AND score = 0) OR (sort = 1 AND score = old.like_count)
           OR (sort = 2 AND score = old.answer_count);
    DELETE FROM question_rank_scores
        WHERE n = 0 AND ((sort = 0 AND score = 0) OR (sort = 1 AND score = old.like_count)
                         OR (sort = 2 AND score = old.answer_count));
    UPDATE question_rank_spans SET n = n - 1
        WHERE span = old.id >> 13
          AND ((sort = 0 AND score = 0) OR (sort = 1 AND score = old.like_count)
               OR (sort = 2 AND score = old.answer_count));
    DELETE FROM question_rank_spans
        WHERE span = old.id >> 13 AND n = 0
          AND ((sort = 0 AND score = 0) OR (sort = 1 AND score = old.like_count)
               OR (sort = 2 AND score = old.answer_count));
    UPDATE question_rank_blocks SET n = n - 1
        WHERE sort = 3 AND score = (old.accepted_answer_id IS NOT NULL) AND block = old.id >> 10;
    DELETE FROM question_rank_blocks
        WHERE sort = 3 AND score = (old.accepted_answer_id IS NOT NULL) AND block = old.id >> 10 AND n = 0;
    UPDATE question_rank_spans SET n = n - 1
        WHERE sort = 3 AND score = (old.accepted_answer_id IS NOT NULL) AND span = old.id >> 13;
    DELETE FROM question_rank_spans
        WHERE sort = 3 AND score = (old.accepted_answer_id IS NOT NULL) AND span = old.id >> 13 AND n = 0;
    UPDATE question_rank_scores SET n = n - 1
        WHERE sort = 3 AND score = (old.accepted_answer_id IS NOT NULL);
    DELETE FROM question_rank_scores
        WHERE sort = 3 AND score = (old.accepted_answer_id IS NOT NULL) AND n = 0;
    UPDATE users SET question_count = question_count - 1, likes_received = likes_received - old.like_count,
                     reputation = reputation - 5 * old.like_count
        WHERE id = old.author_id;
    UPDATE users SET accepted_count = accepted_count - 1, reputation = reputation - 15
        WHERE id = (SELECT author_id FROM answers WHERE id = old.accepted_answer_id) AND id <> old.author_id;
    INSERT INTO search_changes (question_id, text) VALUES (old.id, 1);
END;
CREATE TRIGGER questions_undeleted AFTER UPDATE OF deleted_at ON questions
WHEN old.deleted_at IS NOT NULL AND new.deleted_at IS NULL BEGIN
    INSERT OR IGNORE INTO question_rank_blocks (sort, score, block, n)
        VALUES (0, 0, new.id >> 10, 0), (1, new.like_count, new.id >> 10, 0),
               (2, new.answer_count, new.id >> 10, 0);
    UPDATE question_rank_blocks SET n = n + 1
        WHERE block = new.id >> 10
          AND ((sort = 0 AND score = 0) OR (sort = 1 AND score = new.like_count)
               OR (sort = 2 AND score = new.answer_count));
    INSERT INTO question_rank_scores (sort, score, n)
        VALUES (0, 0, 1), (1, new.like_count, 1), (2, new.answer_count, 1)
        ON CONFLICT (sort, score) DO UPDATE SET n = n + 1;
    INSERT INTO question_rank_spans (sort, score, span, n)
        VALUES (0, 0, new.id >> 13, 1), (1, new.like_count, new.id >> 13, 1),
               (2, new.answer_count, new.id >> 13, 1)
        ON CONFLICT (sort, score, span) DO UPDATE SET n = n + 1;
    INSERT INTO question_rank_blocks (sort, score, block, n)
        VALUES (3, new.accepted_answer_id IS NOT NULL, new.id >> 10, 1)
        ON CONFLICT (sort, score, block) DO UPDATE SET n = n + 1;
    INSERT INTO question_rank_spans (sort, score, span, n)
        VALUES (3, new.accepted_answer_id IS NOT NULL, new.id >> 13, 1)
        ON CONFLICT (sort, score, span) DO UPDATE SET n = n + 1;
    INSERT INTO question_rank_scores (sort, score, n)
        VALUES (3, new.accepted_answer_id IS NOT NULL, 1)
        ON CONFLICT (sort, score) DO UPDATE SET n = n + 1;
    UPDATE users SET question_count = question_count + 1, likes_received = likes_received + new.like_count,
                     reputation = reputation + 5 * new.like_count
        WHERE id = new.author_id;
    UPDATE users SET accepted_count = accepted_count + 1, reputation = reputation + 15
        WHERE id = (SELECT author_id FROM answers WHERE id = new.accepted_answer_id) AND id <> new.author_id;
    INSERT INTO search_changes (question_id, text) VALUES (new.id, 1);
END;
CREATE TRIGGER answers_deleted AFTER UPDATE OF deleted_at ON answers
WHEN old.deleted_at IS NULL AND new.deleted_at IS NOT NULL BEGIN
    UPDATE users SET answer_count = answer_count - 1, likes_received = likes_received - old.like_count,
                     reputation = reputation - 10 * old.like_count
        WHERE id = old.author_id;
    INSERT INTO search_changes (question_id, text) VALUES (old.question_id, 1);
END;
CREATE TRIGGER answers_undeleted AFTER UPDATE OF deleted_at ON answers
WHEN old.deleted_at IS NOT NULL AND new.deleted_at IS NULL BEGIN
    UPDATE users SET answer_count = answer_count + 1, likes_received = likes_received + new.like_count,
                     reputation = reputation + 10 * new.like_count
        WHERE id = new.author_id;
    INSERT INTO search_changes (question_id, text) VALUES (new.question_id, 1);
END;
