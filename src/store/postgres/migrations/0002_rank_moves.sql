-- A rank move deletes a count only when it reached 0: the upsert says what is left, so a like (two moves)
-- runs six statements instead of nine.
CREATE OR REPLACE FUNCTION question_rank_move(sort_of SMALLINT, score_of BIGINT, id_of BIGINT, delta BIGINT)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    left_over BIGINT;
BEGIN
    INSERT INTO question_rank_blocks AS b (sort, score, block, n)
        VALUES (sort_of, score_of, id_of >> 10, delta)
        ON CONFLICT (sort, score, block) DO UPDATE SET n = b.n + delta
        RETURNING n INTO left_over;
    IF left_over <= 0 THEN
        DELETE FROM question_rank_blocks WHERE sort = sort_of AND score = score_of AND block = id_of >> 10;
    END IF;
    INSERT INTO question_rank_spans AS s (sort, score, span, n)
        VALUES (sort_of, score_of, id_of >> 13, delta)
        ON CONFLICT (sort, score, span) DO UPDATE SET n = s.n + delta
        RETURNING n INTO left_over;
    IF left_over <= 0 THEN
        DELETE FROM question_rank_spans WHERE sort = sort_of AND score = score_of AND span = id_of >> 13;
    END IF;
    INSERT INTO question_rank_scores AS c (sort, score, n)
        VALUES (sort_of, score_of, delta)
        ON CONFLICT (sort, score) DO UPDATE SET n = c.n + delta
        RETURNING n INTO left_over;
    IF left_over <= 0 THEN
        DELETE FROM question_rank_scores WHERE sort = sort_of AND score = score_of;
    END IF;
END $$;
