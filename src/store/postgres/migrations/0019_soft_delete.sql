-- Soft delete (issue #17), as on SQLite (its migration 22 says what and why): the columns, the list's
-- partial indexes (an index-only scan needs no column of a partial index's predicate), the list functions
-- reading only what is not deleted, and the counts following a post as it is deleted and undeleted.
ALTER TABLE questions ADD COLUMN deleted_at BIGINT;
ALTER TABLE questions ADD COLUMN deleted_by BIGINT REFERENCES users (id);
ALTER TABLE answers ADD COLUMN deleted_at BIGINT;
ALTER TABLE answers ADD COLUMN deleted_by BIGINT REFERENCES users (id);
ALTER TABLE answers ADD COLUMN deleted_with_question BIGINT NOT NULL DEFAULT 0;

DROP INDEX questions_by_likes;
CREATE INDEX questions_by_likes ON questions (like_count DESC, id DESC) WHERE deleted_at IS NULL;
DROP INDEX questions_by_answers;
CREATE INDEX questions_by_answers ON questions (answer_count DESC, id DESC) WHERE deleted_at IS NULL;
DROP INDEX questions_unaccepted;
CREATE INDEX questions_unaccepted ON questions (id DESC) WHERE accepted_answer_id IS NULL AND deleted_at IS NULL;
CREATE INDEX questions_live ON questions (id DESC) WHERE deleted_at IS NULL;
DROP INDEX answers_by_question;
CREATE INDEX answers_by_question ON answers (question_id, id, deleted_at);
DROP INDEX answers_by_likes;
CREATE INDEX answers_by_likes ON answers (question_id, like_count DESC, id, deleted_at);
DROP INDEX questions_by_author;
CREATE INDEX questions_by_author ON questions (author_id, id DESC) INCLUDE (deleted_at);
DROP INDEX answers_by_author;
CREATE INDEX answers_by_author ON answers (author_id, id DESC) INCLUDE (deleted_at);
CREATE INDEX questions_deleted_by_author ON questions (author_id, deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX answers_deleted_by_author ON answers (author_id, deleted_at) WHERE deleted_at IS NOT NULL;

CREATE OR REPLACE FUNCTION question_page_ids(sort_of SMALLINT, page_offset BIGINT, page_size BIGINT)
RETURNS TABLE (id BIGINT) LANGUAGE plpgsql STABLE ROWS 10 AS $$
DECLARE
    counted RECORD;
    before BIGINT := 0;
    found_score BIGINT;
    found_span BIGINT;
    found_block BIGINT;
    block_end BIGINT;
    skip BIGINT;
    got BIGINT;
BEGIN
    IF page_offset >= 2000 THEN
        FOR counted IN SELECT s.score, s.n FROM question_rank_scores s
                       WHERE s.sort = sort_of ORDER BY s.score DESC LOOP
            IF before + counted.n > page_offset THEN
                found_score := counted.score;
                EXIT;
            END IF;
            before := before + counted.n;
        END LOOP;
        IF found_score IS NOT NULL THEN
            FOR counted IN SELECT s.span AS key, s.n FROM question_rank_spans s
                           WHERE s.sort = sort_of AND s.score = found_score ORDER BY s.span DESC LOOP
                IF before + counted.n > page_offset THEN
                    found_span := counted.key;
                    EXIT;
                END IF;
                before := before + counted.n;
            END LOOP;
        END IF;
        IF found_span IS NOT NULL THEN
            FOR counted IN SELECT b.block AS key, b.n FROM question_rank_blocks b
                           WHERE b.sort = sort_of AND b.score = found_score
                             AND b.block >= found_span << 3 AND b.block < (found_span + 1) << 3
                           ORDER BY b.block DESC LOOP
                IF before + counted.n > page_offset THEN
                    found_block := counted.key;
                    EXIT;
                END IF;
                before := before + counted.n;
            END LOOP;
        END IF;
    END IF;

    IF found_block IS NULL THEN
        IF sort_of = 1 THEN
            RETURN QUERY SELECT q.id FROM questions q WHERE q.deleted_at IS NULL
                ORDER BY q.like_count DESC, q.id DESC LIMIT page_size OFFSET page_offset;
        ELSIF sort_of = 2 THEN
            RETURN QUERY SELECT q.id FROM questions q WHERE q.deleted_at IS NULL
                ORDER BY q.answer_count DESC, q.id DESC LIMIT page_size OFFSET page_offset;
        ELSE
            RETURN QUERY SELECT q.id FROM questions q WHERE q.deleted_at IS NULL
                ORDER BY q.id DESC LIMIT page_size OFFSET page_offset;
        END IF;
        RETURN;
    END IF;

    block_end := (found_block + 1) << 10;
    skip := page_offset - before;
    IF sort_of = 0 THEN
        RETURN QUERY SELECT q.id FROM questions q WHERE q.id < block_end AND q.deleted_at IS NULL
            ORDER BY q.id DESC LIMIT page_size OFFSET skip;
        RETURN;
    END IF;
    -- The rest of this score from the block on, then the lower scores if the page runs past them.
    IF sort_of = 1 THEN
        RETURN QUERY SELECT q.id FROM questions q WHERE q.like_count = found_score AND q.id < block_end AND q.deleted_at IS NULL
            ORDER BY q.id DESC LIMIT page_size OFFSET skip;
    ELSE
        RETURN QUERY SELECT q.id FROM questions q WHERE q.answer_count = found_score AND q.id < block_end AND q.deleted_at IS NULL
            ORDER BY q.id DESC LIMIT page_size OFFSET skip;
    END IF;
    GET DIAGNOSTICS got = ROW_COUNT;
    IF got < page_size THEN
        IF sort_of = 1 THEN
            RETURN QUERY SELECT q.id FROM questions q WHERE q.like_count < found_score AND q.deleted_at IS NULL
                ORDER BY q.like_count DESC, q.id DESC LIMIT page_size - got;
        ELSE
            RETURN QUERY SELECT q.id FROM questions q WHERE q.answer_count < found_score AND q.deleted_at IS NULL
                ORDER BY q.answer_count DESC, q.id DESC LIMIT page_size - got;
        END IF;
    END IF;
END $$;

CREATE OR REPLACE FUNCTION question_region_ids(sort_of SMALLINT, score_of BIGINT, page_offset BIGINT, page_size BIGINT)
RETURNS TABLE (id BIGINT) LANGUAGE plpgsql STABLE ROWS 10 AS $$
DECLARE
    found_block BIGINT;
    before BIGINT;
    block_end BIGINT;
    skip BIGINT := page_offset;
BEGIN
    IF page_offset >= 2000 THEN
        SELECT l.found_block, l.before_block INTO found_block, before
            FROM question_rank_block(sort_of, score_of, page_offset, 0) l;
        IF found_block IS NOT NULL THEN
            block_end := (found_block + 1) << 10;
            skip := page_offset - before;
        END IF;
    END IF;
    -- Separate statements, not `block_end IS NULL OR id < block_end`: a cached plan could not use that
    -- bound in the index scan.
    IF sort_of = 2 AND block_end IS NULL THEN
        RETURN QUERY SELECT q.id FROM questions q WHERE q.answer_count = score_of AND q.deleted_at IS NULL
            ORDER BY q.id DESC LIMIT page_size OFFSET skip;
    ELSIF sort_of = 2 THEN
        RETURN QUERY SELECT q.id FROM questions q WHERE q.answer_count = score_of AND q.id < block_end AND q.deleted_at IS NULL
            ORDER BY q.id DESC LIMIT page_size OFFSET skip;
    ELSIF block_end IS NULL THEN
        RETURN QUERY SELECT q.id FROM questions q WHERE q.accepted_answer_id IS NULL AND q.deleted_at IS NULL
            ORDER BY q.id DESC LIMIT page_size OFFSET skip;
    ELSE
        RETURN QUERY SELECT q.id FROM questions q WHERE q.accepted_answer_id IS NULL AND q.id < block_end AND q.deleted_at IS NULL
            ORDER BY q.id DESC LIMIT page_size OFFSET skip;
    END IF;
END $$;

CREATE OR REPLACE FUNCTION question_rank_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- A deleted post's counts moved when it was deleted and move back when it is undeleted
    -- (soft_delete_follow); its own changes meanwhile, and its purge, move nothing.
    IF (TG_OP = 'DELETE' AND OLD.deleted_at IS NOT NULL) OR (TG_OP = 'UPDATE' AND NEW.deleted_at IS NOT NULL) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        PERFORM question_rank_move(0::SMALLINT, 0, NEW.id, 1);
        PERFORM question_rank_move(1::SMALLINT, NEW.like_count, NEW.id, 1);
        PERFORM question_rank_move(2::SMALLINT, NEW.answer_count, NEW.id, 1);
        PERFORM question_rank_move(3::SMALLINT, (NEW.accepted_answer_id IS NOT NULL)::INT, NEW.id, 1);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM question_rank_move(0::SMALLINT, 0, OLD.id, -1);
        PERFORM question_rank_move(1::SMALLINT, OLD.like_count, OLD.id, -1);
        PERFORM question_rank_move(2::SMALLINT, OLD.answer_count, OLD.id, -1);
        PERFORM question_rank_move(3::SMALLINT, (OLD.accepted_answer_id IS NOT NULL)::INT, OLD.id, -1);
    ELSE
        IF NEW.like_count <> OLD.like_count THEN
            PERFORM question_rank_move(1::SMALLINT, OLD.like_count, OLD.id, -1);
            PERFORM question_rank_move(1::SMALLINT, NEW.like_count, NEW.id, 1);
        END IF;
        IF NEW.answer_count <> OLD.answer_count THEN
            PERFORM question_rank_move(2::SMALLINT, OLD.answer_count, OLD.id, -1);
            PERFORM question_rank_move(2::SMALLINT, NEW.answer_count, NEW.id, 1);
        END IF;
        IF (NEW.accepted_answer_id IS NULL) <> (OLD.accepted_answer_id IS NULL) THEN
            PERFORM question_rank_move(3::SMALLINT, (OLD.accepted_answer_id IS NOT NULL)::INT, OLD.id, -1);
            PERFORM question_rank_move(3::SMALLINT, (NEW.accepted_answer_id IS NOT NULL)::INT, NEW.id, 1);
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION people_follow_questions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- A deleted post's counts moved when it was deleted and move back when it is undeleted
    -- (soft_delete_follow); its own changes meanwhile, and its purge, move nothing.
    IF (TG_OP = 'DELETE' AND OLD.deleted_at IS NOT NULL) OR (TG_OP = 'UPDATE' AND NEW.deleted_at IS NOT NULL) THEN
        RETURN NULL;
    END IF;
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

CREATE OR REPLACE FUNCTION people_follow_answers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- A deleted post's counts moved when it was deleted and move back when it is undeleted
    -- (soft_delete_follow); its own changes meanwhile, and its purge, move nothing.
    IF (TG_OP = 'DELETE' AND OLD.deleted_at IS NOT NULL) OR (TG_OP = 'UPDATE' AND NEW.deleted_at IS NOT NULL) THEN
        RETURN NULL;
    END IF;
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

-- A post being deleted leaves the counts as its delete would; coming back, it enters them as its insert
-- would. A question takes its accepted answer's mark out of that answer's author's reputation with it.
CREATE FUNCTION soft_delete_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta BIGINT := CASE WHEN NEW.deleted_at IS NULL THEN 1 ELSE -1 END;
BEGIN
    IF TG_TABLE_NAME = 'questions' THEN
        PERFORM question_rank_move(0::SMALLINT, 0, NEW.id, delta);
        PERFORM question_rank_move(1::SMALLINT, NEW.like_count, NEW.id, delta);
        PERFORM question_rank_move(2::SMALLINT, NEW.answer_count, NEW.id, delta);
        PERFORM question_rank_move(3::SMALLINT, (NEW.accepted_answer_id IS NOT NULL)::INT, NEW.id, delta);
        UPDATE users SET question_count = question_count + delta,
                         likes_received = likes_received + delta * NEW.like_count,
                         reputation = reputation + delta * 5 * NEW.like_count
            WHERE id = NEW.author_id;
        UPDATE users SET accepted_count = accepted_count + delta, reputation = reputation + delta * 15
            WHERE id = (SELECT author_id FROM answers WHERE id = NEW.accepted_answer_id) AND id <> NEW.author_id;
        INSERT INTO search_changes (question_id, text) VALUES (NEW.id, true);
    ELSE
        UPDATE users SET answer_count = answer_count + delta,
                         likes_received = likes_received + delta * NEW.like_count,
                         reputation = reputation + delta * 10 * NEW.like_count
            WHERE id = NEW.author_id;
        INSERT INTO search_changes (question_id, text) VALUES (NEW.question_id, true);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER questions_soft_delete AFTER UPDATE OF deleted_at ON questions
    FOR EACH ROW WHEN ((OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL))
    EXECUTE FUNCTION soft_delete_follow();
CREATE TRIGGER answers_soft_delete AFTER UPDATE OF deleted_at ON answers
    FOR EACH ROW WHEN ((OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL))
    EXECUTE FUNCTION soft_delete_follow();
