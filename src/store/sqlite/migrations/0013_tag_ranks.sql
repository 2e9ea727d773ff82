-- Counted blocks for a big tag's deep pages, as the question list has (0002, 0004): how many of a tag's
-- questions each rank score holds (`tag_rank_scores`), and each block of 8,192 question ids within it
-- (`tag_rank_blocks`, question_id >> 13), per sort (0 newest, 1 likes, 2 answers, 3 accepted). A deep page
-- starts from the block that holds its first row, so page 5,000 of a tag costs about what page 1 does.
-- Only tags that reached 1,000 questions are counted (`tags.counted`): a smaller tag's pages never go deep,
-- and counting every rare tag would keep a row per link and sort. The triggers below keep the counts,
-- whoever writes; a count that reaches 0 stays as a 0 (adding up ignores it).
ALTER TABLE tags ADD COLUMN counted INTEGER NOT NULL DEFAULT 0;

CREATE TABLE tag_rank_scores (
    tag_id INTEGER NOT NULL,
    sort   INTEGER NOT NULL,
    score  INTEGER NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (tag_id, sort, score)
) WITHOUT ROWID;

CREATE TABLE tag_rank_blocks (
    tag_id INTEGER NOT NULL,
    sort   INTEGER NOT NULL,
    score  INTEGER NOT NULL,
    block  INTEGER NOT NULL,  -- question_id >> 13
    n      INTEGER NOT NULL,
    PRIMARY KEY (tag_id, sort, score, block)
) WITHOUT ROWID;

-- A tag that reaches 1,000 questions starts being counted (and stays so).
CREATE TRIGGER tag_counted_from AFTER UPDATE OF question_count ON tags
WHEN new.question_count >= 1000 AND new.counted = 0 BEGIN
    UPDATE tags SET counted = 1 WHERE id = new.id;
END;

-- Counting starts (or stops): the tag's counts made from its links.
CREATE TRIGGER tag_ranks_counted AFTER UPDATE OF counted ON tags
WHEN new.counted != old.counted BEGIN
    DELETE FROM tag_rank_blocks WHERE tag_id = new.id;
    DELETE FROM tag_rank_scores WHERE tag_id = new.id;
    INSERT INTO tag_rank_blocks (tag_id, sort, score, block, n)
        SELECT new.id, 0, 0, question_id >> 13, count(*) FROM question_tags
        WHERE tag_id = new.id AND new.counted = 1 GROUP BY question_id >> 13
        UNION ALL
        SELECT new.id, 1, like_count, question_id >> 13, count(*) FROM question_tags
        WHERE tag_id = new.id AND new.counted = 1 GROUP BY like_count, question_id >> 13
        UNION ALL
        SELECT new.id, 2, answer_count, question_id >> 13, count(*) FROM question_tags
        WHERE tag_id = new.id AND new.counted = 1 GROUP BY answer_count, question_id >> 13
        UNION ALL
        SELECT new.id, 3, accepted, question_id >> 13, count(*) FROM question_tags
        WHERE tag_id = new.id AND new.counted = 1 GROUP BY accepted, question_id >> 13;
    INSERT INTO tag_rank_scores (tag_id, sort, score, n)
        SELECT new.id, sort, score, sum(n) FROM tag_rank_blocks WHERE tag_id = new.id GROUP BY sort, score;
END;

CREATE TRIGGER tag_ranks_forget AFTER DELETE ON tags BEGIN
    DELETE FROM tag_rank_blocks WHERE tag_id = old.id;
    DELETE FROM tag_rank_scores WHERE tag_id = old.id;
END;

CREATE TRIGGER tag_ranks_linked AFTER INSERT ON question_tags
WHEN (SELECT counted FROM tags WHERE id = new.tag_id) = 1 BEGIN
    INSERT INTO tag_rank_blocks (tag_id, sort, score, block, n)
        VALUES (new.tag_id, 0, 0, new.question_id >> 13, 1),
               (new.tag_id, 1, new.like_count, new.question_id >> 13, 1),
               (new.tag_id, 2, new.answer_count, new.question_id >> 13, 1),
               (new.tag_id, 3, new.accepted, new.question_id >> 13, 1)
        ON CONFLICT (tag_id, sort, score, block) DO UPDATE SET n = n + 1;
    INSERT INTO tag_rank_scores (tag_id, sort, score, n)
        VALUES (new.tag_id, 0, 0, 1), (new.tag_id, 1, new.like_count, 1),
               (new.tag_id, 2, new.answer_count, 1), (new.tag_id, 3, new.accepted, 1)
        ON CONFLICT (tag_id, sort, score) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER tag_ranks_unlinked AFTER DELETE ON question_tags
WHEN (SELECT counted FROM tags WHERE id = old.tag_id) = 1 BEGIN
    UPDATE tag_rank_blocks SET n = n - 1
        WHERE tag_id = old.tag_id AND block = old.question_id >> 13
          AND ((sort = 0 AND score = 0) OR (sort = 1 AND score = old.like_count)
               OR (sort = 2 AND score = old.answer_count) OR (sort = 3 AND score = old.accepted));
    UPDATE tag_rank_scores SET n = n - 1
        WHERE tag_id = old.tag_id
          AND ((sort = 0 AND score = 0) OR (sort = 1 AND score = old.like_count)
               OR (sort = 2 AND score = old.answer_count) OR (sort = 3 AND score = old.accepted));
END;

CREATE TRIGGER tag_ranks_likes AFTER UPDATE OF like_count ON question_tags
WHEN old.like_count != new.like_count AND (SELECT counted FROM tags WHERE id = new.tag_id) = 1 BEGIN
    UPDATE tag_rank_blocks SET n = n - 1
        WHERE tag_id = old.tag_id AND sort = 1 AND score = old.like_count AND block = old.question_id >> 13;
    INSERT INTO tag_rank_blocks (tag_id, sort, score, block, n)
        VALUES (new.tag_id, 1, new.like_count, new.question_id >> 13, 1)
        ON CONFLICT (tag_id, sort, score, block) DO UPDATE SET n = n + 1;
    UPDATE tag_rank_scores SET n = n - 1 WHERE tag_id = old.tag_id AND sort = 1 AND score = old.like_count;
    INSERT INTO tag_rank_scores (tag_id, sort, score, n) VALUES (new.tag_id, 1, new.like_count, 1)
        ON CONFLICT (tag_id, sort, score) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER tag_ranks_answers AFTER UPDATE OF answer_count ON question_tags
WHEN old.answer_count != new.answer_count AND (SELECT counted FROM tags WHERE id = new.tag_id) = 1 BEGIN
    UPDATE tag_rank_blocks SET n = n - 1
        WHERE tag_id = old.tag_id AND sort = 2 AND score = old.answer_count AND block = old.question_id >> 13;
    INSERT INTO tag_rank_blocks (tag_id, sort, score, block, n)
        VALUES (new.tag_id, 2, new.answer_count, new.question_id >> 13, 1)
        ON CONFLICT (tag_id, sort, score, block) DO UPDATE SET n = n + 1;
    UPDATE tag_rank_scores SET n = n - 1 WHERE tag_id = old.tag_id AND sort = 2 AND score = old.answer_count;
    INSERT INTO tag_rank_scores (tag_id, sort, score, n) VALUES (new.tag_id, 2, new.answer_count, 1)
        ON CONFLICT (tag_id, sort, score) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER tag_ranks_accepted AFTER UPDATE OF accepted ON question_tags
WHEN old.accepted != new.accepted AND (SELECT counted FROM tags WHERE id = new.tag_id) = 1 BEGIN
    UPDATE tag_rank_blocks SET n = n - 1
        WHERE tag_id = old.tag_id AND sort = 3 AND score = old.accepted AND block = old.question_id >> 13;
    INSERT INTO tag_rank_blocks (tag_id, sort, score, block, n)
        VALUES (new.tag_id, 3, new.accepted, new.question_id >> 13, 1)
        ON CONFLICT (tag_id, sort, score, block) DO UPDATE SET n = n + 1;
    UPDATE tag_rank_scores SET n = n - 1 WHERE tag_id = old.tag_id AND sort = 3 AND score = old.accepted;
    INSERT INTO tag_rank_scores (tag_id, sort, score, n) VALUES (new.tag_id, 3, new.accepted, 1)
        ON CONFLICT (tag_id, sort, score) DO UPDATE SET n = n + 1;
END;

UPDATE tags SET counted = 1 WHERE question_count >= 1000;
