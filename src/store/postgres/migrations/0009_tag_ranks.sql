-- Counted blocks for a big tag's deep pages, as on SQLite (its migration 13 says why and how): per tag that
-- reached 1,000 questions, the questions each rank score holds and each block of 8,192 question ids within
-- it, per sort (0 newest, 1 likes, 2 answers, 3 accepted), kept by the triggers below whoever writes. A
-- count that reaches 0 stays as a 0. Every board write takes its turn (the engine's advisory lock), so no
-- link or score changes while a tag's counts are made from its links, or between reading `counted` and
-- moving a count.
ALTER TABLE tags ADD COLUMN counted SMALLINT NOT NULL DEFAULT 0;

CREATE TABLE tag_rank_scores (
    tag_id BIGINT   NOT NULL,
    sort   SMALLINT NOT NULL,
    score  BIGINT   NOT NULL,
    n      BIGINT   NOT NULL,
    PRIMARY KEY (tag_id, sort, score)
);

CREATE TABLE tag_rank_blocks (
    tag_id BIGINT   NOT NULL,
    sort   SMALLINT NOT NULL,
    score  BIGINT   NOT NULL,
    block  BIGINT   NOT NULL,  -- question_id >> 13
    n      BIGINT   NOT NULL,
    PRIMARY KEY (tag_id, sort, score, block)
);

CREATE FUNCTION tag_rank_move(tag BIGINT, sort_of SMALLINT, score_of BIGINT, question BIGINT, delta BIGINT)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO tag_rank_blocks AS b (tag_id, sort, score, block, n)
        VALUES (tag, sort_of, score_of, question >> 13, delta)
        ON CONFLICT (tag_id, sort, score, block) DO UPDATE SET n = b.n + delta;
    INSERT INTO tag_rank_scores AS s (tag_id, sort, score, n)
        VALUES (tag, sort_of, score_of, delta)
        ON CONFLICT (tag_id, sort, score) DO UPDATE SET n = s.n + delta;
$$;

-- A link's counts follow it: added, taken away, or moved when its question's likes, answers or accepted
-- state change.
CREATE FUNCTION tag_ranks_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF (SELECT counted FROM tags WHERE id = NEW.tag_id) = 1 THEN
            PERFORM tag_rank_move(NEW.tag_id, 0::SMALLINT, 0, NEW.question_id, 1);
            PERFORM tag_rank_move(NEW.tag_id, 1::SMALLINT, NEW.like_count, NEW.question_id, 1);
            PERFORM tag_rank_move(NEW.tag_id, 2::SMALLINT, NEW.answer_count, NEW.question_id, 1);
            PERFORM tag_rank_move(NEW.tag_id, 3::SMALLINT, NEW.accepted, NEW.question_id, 1);
        END IF;
    ELSIF TG_OP = 'DELETE' THEN
        IF (SELECT counted FROM tags WHERE id = OLD.tag_id) = 1 THEN
            PERFORM tag_rank_move(OLD.tag_id, 0::SMALLINT, 0, OLD.question_id, -1);
            PERFORM tag_rank_move(OLD.tag_id, 1::SMALLINT, OLD.like_count, OLD.question_id, -1);
            PERFORM tag_rank_move(OLD.tag_id, 2::SMALLINT, OLD.answer_count, OLD.question_id, -1);
            PERFORM tag_rank_move(OLD.tag_id, 3::SMALLINT, OLD.accepted, OLD.question_id, -1);
        END IF;
    ELSIF (SELECT counted FROM tags WHERE id = NEW.tag_id) = 1 THEN
        IF OLD.like_count <> NEW.like_count THEN
            PERFORM tag_rank_move(NEW.tag_id, 1::SMALLINT, OLD.like_count, NEW.question_id, -1);
            PERFORM tag_rank_move(NEW.tag_id, 1::SMALLINT, NEW.like_count, NEW.question_id, 1);
        END IF;
        IF OLD.answer_count <> NEW.answer_count THEN
            PERFORM tag_rank_move(NEW.tag_id, 2::SMALLINT, OLD.answer_count, NEW.question_id, -1);
            PERFORM tag_rank_move(NEW.tag_id, 2::SMALLINT, NEW.answer_count, NEW.question_id, 1);
        END IF;
        IF OLD.accepted <> NEW.accepted THEN
            PERFORM tag_rank_move(NEW.tag_id, 3::SMALLINT, OLD.accepted, NEW.question_id, -1);
            PERFORM tag_rank_move(NEW.tag_id, 3::SMALLINT, NEW.accepted, NEW.question_id, 1);
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER tag_ranks_follow
    AFTER INSERT OR DELETE OR UPDATE OF like_count, answer_count, accepted ON question_tags
    FOR EACH ROW EXECUTE FUNCTION tag_ranks_follow();

-- A tag that reaches 1,000 questions starts being counted (and stays so); when counting starts or stops the
-- tag's counts are made again from its links; a deleted tag's counts go with it.
CREATE FUNCTION tag_counting() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM tag_rank_blocks WHERE tag_id = OLD.id;
        DELETE FROM tag_rank_scores WHERE tag_id = OLD.id;
    ELSIF NEW.counted = 0 AND NEW.question_count >= 1000 THEN
        UPDATE tags SET counted = 1 WHERE id = NEW.id;
    ELSIF NEW.counted <> OLD.counted THEN
        DELETE FROM tag_rank_blocks WHERE tag_id = NEW.id;
        DELETE FROM tag_rank_scores WHERE tag_id = NEW.id;
        IF NEW.counted = 1 THEN
            INSERT INTO tag_rank_blocks (tag_id, sort, score, block, n)
                SELECT NEW.id, 0, 0, question_id >> 13, count(*) FROM question_tags
                WHERE tag_id = NEW.id GROUP BY question_id >> 13
                UNION ALL
                SELECT NEW.id, 1, like_count, question_id >> 13, count(*) FROM question_tags
                WHERE tag_id = NEW.id GROUP BY like_count, question_id >> 13
                UNION ALL
                SELECT NEW.id, 2, answer_count, question_id >> 13, count(*) FROM question_tags
                WHERE tag_id = NEW.id GROUP BY answer_count, question_id >> 13
                UNION ALL
                SELECT NEW.id, 3, accepted, question_id >> 13, count(*) FROM question_tags
                WHERE tag_id = NEW.id GROUP BY accepted, question_id >> 13;
            INSERT INTO tag_rank_scores (tag_id, sort, score, n)
                SELECT NEW.id, sort, score, sum(n) FROM tag_rank_blocks WHERE tag_id = NEW.id
                GROUP BY sort, score;
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER tag_counting AFTER DELETE OR UPDATE OF question_count, counted ON tags
    FOR EACH ROW EXECUTE FUNCTION tag_counting();

UPDATE tags SET counted = 1 WHERE question_count >= 1000;
