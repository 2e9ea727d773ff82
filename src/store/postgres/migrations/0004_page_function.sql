-- One page of the question list in one call: a round trip per step (the scores, the span, the block, the
-- ids) was most of a deep page's time. The same walk the engine's Rust side did, on the server: a page
-- below offset 2,000 is a plain OFFSET over the sort's index; a deeper one starts from the id block that
-- holds its first row, found by adding up the rank counts (score, then span of 8 blocks, then block of 1,024
-- ids), so page 50,000 costs about what page 1 does. Sorts: 0 newest, 1 likes, 2 answers.
CREATE FUNCTION question_page_ids(sort_of SMALLINT, page_offset BIGINT, page_size BIGINT)
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
            RETURN QUERY SELECT q.id FROM questions q
                ORDER BY q.like_count DESC, q.id DESC LIMIT page_size OFFSET page_offset;
        ELSIF sort_of = 2 THEN
            RETURN QUERY SELECT q.id FROM questions q
                ORDER BY q.answer_count DESC, q.id DESC LIMIT page_size OFFSET page_offset;
        ELSE
            RETURN QUERY SELECT q.id FROM questions q
                ORDER BY q.id DESC LIMIT page_size OFFSET page_offset;
        END IF;
        RETURN;
    END IF;

    block_end := (found_block + 1) << 10;
    skip := page_offset - before;
    IF sort_of = 0 THEN
        RETURN QUERY SELECT q.id FROM questions q WHERE q.id < block_end
            ORDER BY q.id DESC LIMIT page_size OFFSET skip;
        RETURN;
    END IF;
    -- The rest of this score from the block on, then the lower scores if the page runs past them.
    IF sort_of = 1 THEN
        RETURN QUERY SELECT q.id FROM questions q WHERE q.like_count = found_score AND q.id < block_end
            ORDER BY q.id DESC LIMIT page_size OFFSET skip;
    ELSE
        RETURN QUERY SELECT q.id FROM questions q WHERE q.answer_count = found_score AND q.id < block_end
            ORDER BY q.id DESC LIMIT page_size OFFSET skip;
    END IF;
    GET DIAGNOSTICS got = ROW_COUNT;
    IF got < page_size THEN
        IF sort_of = 1 THEN
            RETURN QUERY SELECT q.id FROM questions q WHERE q.like_count < found_score
                ORDER BY q.like_count DESC, q.id DESC LIMIT page_size - got;
        ELSE
            RETURN QUERY SELECT q.id FROM questions q WHERE q.answer_count < found_score
                ORDER BY q.answer_count DESC, q.id DESC LIMIT page_size - got;
        END IF;
    END IF;
END $$;
