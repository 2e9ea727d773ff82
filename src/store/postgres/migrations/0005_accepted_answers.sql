-- Accepted answers (issue #14): the question's author marks the answer that solved it. Deleting that answer
-- clears the mark (the delete does it first; the foreign key's SET NULL is the backstop).
ALTER TABLE questions ADD COLUMN accepted_answer_id BIGINT REFERENCES answers (id) ON DELETE SET NULL;

-- "No accepted answer yet", newest first: the rows of this partial index, in its order.
CREATE INDEX questions_unaccepted ON questions (id DESC) WHERE accepted_answer_id IS NULL;
-- The question an answer is accepted on, for clearing the mark when the answer goes (and the foreign key's
-- own check on every answer deleted, which would otherwise read the whole table).
CREATE INDEX questions_by_accepted ON questions (accepted_answer_id) WHERE accepted_answer_id IS NOT NULL;

-- Rank counts for sort 3, the accepted state (score 1: accepted, 0: not), so that list's deep pages start
-- from a counted block as the other sorts' do.
INSERT INTO question_rank_blocks (sort, score, block, n)
    SELECT 3, (accepted_answer_id IS NOT NULL)::INT, id >> 10, count(*) FROM questions
    GROUP BY 2, 3;
INSERT INTO question_rank_spans (sort, score, span, n)
    SELECT 3, (accepted_answer_id IS NOT NULL)::INT, id >> 13, count(*) FROM questions
    GROUP BY 2, 3;
INSERT INTO question_rank_scores (sort, score, n)
    SELECT 3, (accepted_answer_id IS NOT NULL)::INT, count(*) FROM questions
    GROUP BY 2;

CREATE OR REPLACE FUNCTION question_rank_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
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

DROP TRIGGER question_rank ON questions;
CREATE TRIGGER question_rank
    AFTER INSERT OR DELETE OR UPDATE OF like_count, answer_count, accepted_answer_id ON questions
    FOR EACH ROW EXECUTE FUNCTION question_rank_follow();

-- Within one score of one sort, with `before_score` rows of the list ahead of it: the id block that holds
-- row `page_offset`, and the rows before that block (the span of 8 blocks first, then the block); NULLs when
-- the counts do not reach it: the steps migration 4's question_page_ids takes inside one score.
CREATE OR REPLACE FUNCTION question_rank_block(sort_of SMALLINT, score_of BIGINT, page_offset BIGINT, before_score BIGINT,
                                    OUT found_block BIGINT, OUT before_block BIGINT)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    counted RECORD;
    before BIGINT := before_score;
    found_span BIGINT;
BEGIN
    FOR counted IN SELECT s.span AS key, s.n FROM question_rank_spans s
                   WHERE s.sort = sort_of AND s.score = score_of ORDER BY s.span DESC LOOP
        IF before + counted.n > page_offset THEN
            found_span := counted.key;
            EXIT;
        END IF;
        before := before + counted.n;
    END LOOP;
    IF found_span IS NULL THEN
        RETURN;
    END IF;
    FOR counted IN SELECT b.block AS key, b.n FROM question_rank_blocks b
                   WHERE b.sort = sort_of AND b.score = score_of
                     AND b.block >= found_span << 3 AND b.block < (found_span + 1) << 3
                   ORDER BY b.block DESC LOOP
        IF before + counted.n > page_offset THEN
            found_block := counted.key;
            before_block := before;
            RETURN;
        END IF;
        before := before + counted.n;
    END LOOP;
END $$;

-- One page of the questions whose sort-`sort_of` score is `score_of`, newest first, from the counted block
-- that holds its first row: the questions with no answers (sort 2, score 0) or none accepted (sort 3, whose
-- only region listed is score 0).
CREATE FUNCTION question_region_ids(sort_of SMALLINT, score_of BIGINT, page_offset BIGINT, page_size BIGINT)
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
        RETURN QUERY SELECT q.id FROM questions q WHERE q.answer_count = score_of
            ORDER BY q.id DESC LIMIT page_size OFFSET skip;
    ELSIF sort_of = 2 THEN
        RETURN QUERY SELECT q.id FROM questions q WHERE q.answer_count = score_of AND q.id < block_end
            ORDER BY q.id DESC LIMIT page_size OFFSET skip;
    ELSIF block_end IS NULL THEN
        RETURN QUERY SELECT q.id FROM questions q WHERE q.accepted_answer_id IS NULL
            ORDER BY q.id DESC LIMIT page_size OFFSET skip;
    ELSE
        RETURN QUERY SELECT q.id FROM questions q WHERE q.accepted_answer_id IS NULL AND q.id < block_end
            ORDER BY q.id DESC LIMIT page_size OFFSET skip;
    END IF;
END $$;
