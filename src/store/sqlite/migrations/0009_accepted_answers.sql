-- Accepted answers (issue #14): the question's author marks the answer that solved it. Deleting that answer
-- clears the mark (the delete does it first; the foreign key's SET NULL is the backstop).
ALTER TABLE questions ADD COLUMN accepted_answer_id INTEGER REFERENCES answers (id) ON DELETE SET NULL;

-- "No accepted answer yet", newest first: the rows of this partial index, in its order.
CREATE INDEX questions_unaccepted ON questions (id DESC) WHERE accepted_answer_id IS NULL;
-- The question an answer is accepted on, for clearing the mark when the answer goes (and the foreign key's
-- own check on every answer deleted, which would otherwise read the whole table).
CREATE INDEX questions_by_accepted ON questions (accepted_answer_id) WHERE accepted_answer_id IS NOT NULL;

-- Rank counts for sort 3, the accepted state (score 1: accepted, 0: not), so that list's deep pages start
-- from a counted block as the other sorts' do. The other sorts' triggers stay as they are.
INSERT INTO question_rank_blocks (sort, score, block, n)
    SELECT 3, accepted_answer_id IS NOT NULL, id >> 10, count(*) FROM questions
    GROUP BY accepted_answer_id IS NOT NULL, id >> 10;
INSERT INTO question_rank_spans (sort, score, span, n)
    SELECT 3, accepted_answer_id IS NOT NULL, id >> 13, count(*) FROM questions
    GROUP BY accepted_answer_id IS NOT NULL, id >> 13;
INSERT INTO question_rank_scores (sort, score, n)
    SELECT 3, accepted_answer_id IS NOT NULL, count(*) FROM questions
    GROUP BY accepted_answer_id IS NOT NULL;

CREATE TRIGGER question_rank_accepted_insert AFTER INSERT ON questions BEGIN
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

CREATE TRIGGER question_rank_accepted_delete AFTER DELETE ON questions BEGIN
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

CREATE TRIGGER question_rank_accepted_moved AFTER UPDATE OF accepted_answer_id ON questions
WHEN (old.accepted_answer_id IS NULL) != (new.accepted_answer_id IS NULL) BEGIN
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
