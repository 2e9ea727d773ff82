-- Two coarser levels over question_rank_blocks, so a deep page finds its block by adding up a few dozen
-- counts instead of thousands (page 50,000 of a million questions by likes added up ~7,500 block counts):
-- the questions per (sort, score), and per (sort, score, span of 8 blocks = 8,192 ids).
CREATE TABLE question_rank_scores (
    sort  INTEGER NOT NULL,
    score INTEGER NOT NULL,
    n     INTEGER NOT NULL,
    PRIMARY KEY (sort, score)
) WITHOUT ROWID;

CREATE TABLE question_rank_spans (
    sort  INTEGER NOT NULL,
    score INTEGER NOT NULL,
    span  INTEGER NOT NULL,  -- id >> 13, that is block >> 3
    n     INTEGER NOT NULL,
    PRIMARY KEY (sort, score, span)
) WITHOUT ROWID;

INSERT INTO question_rank_scores (sort, score, n)
    SELECT sort, score, sum(n) FROM question_rank_blocks GROUP BY sort, score;
INSERT INTO question_rank_spans (sort, score, span, n)
    SELECT sort, score, block >> 3, sum(n) FROM question_rank_blocks GROUP BY sort, score, block >> 3;

CREATE TRIGGER question_rank_levels_insert AFTER INSERT ON questions BEGIN
    INSERT INTO question_rank_scores (sort, score, n)
        VALUES (0, 0, 1), (1, new.like_count, 1), (2, new.answer_count, 1)
        ON CONFLICT (sort, score) DO UPDATE SET n = n + 1;
    INSERT INTO question_rank_spans (sort, score, span, n)
        VALUES (0, 0, new.id >> 13, 1), (1, new.like_count, new.id >> 13, 1),
               (2, new.answer_count, new.id >> 13, 1)
        ON CONFLICT (sort, score, span) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER question_rank_levels_delete AFTER DELETE ON questions BEGIN
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

CREATE TRIGGER question_rank_levels_likes AFTER UPDATE OF like_count ON questions
WHEN old.like_count != new.like_count BEGIN
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

CREATE TRIGGER question_rank_levels_answers AFTER UPDATE OF answer_count ON questions
WHEN old.answer_count != new.answer_count BEGIN
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
