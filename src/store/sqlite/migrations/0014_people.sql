-- People (issue #16): what a profile shows about its user, kept beside the account so a profile and the
-- list of users by reputation read one row each: questions and answers written, answers accepted by
-- someone else, likes received, and reputation as on Stack Overflow (+5 a like on a question, +10 on an
-- answer, +15 an answer accepted by its question's asker, each taken back with its cause). The triggers
-- below move them in the same transaction as their cause; a post deleted takes what its likes gave with
-- it (its old row holds its author and like count, whatever order a cascade takes). An accepted mark is
-- taken back by the board before its answer or question goes (as the rank counts need too): a delete made
-- behind the board's back with the mark still on leaves its +15.
ALTER TABLE users ADD COLUMN question_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN answer_count   INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN accepted_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN likes_received INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN reputation     INTEGER NOT NULL DEFAULT 0;
-- /users: the highest reputation first.
CREATE INDEX users_by_reputation ON users (reputation DESC, id);
-- A profile's tabs (a user's questions and answers, newest first) read `questions_by_author` and
-- `answers_by_author` backwards: each index holds the row id after the author.

-- (The counts of the board as it is are made by `store::profiles::RECOUNT`, run after this file.)

CREATE TRIGGER people_question_added AFTER INSERT ON questions BEGIN
    UPDATE users SET question_count = question_count + 1 WHERE id = new.author_id;
END;

CREATE TRIGGER people_question_deleted AFTER DELETE ON questions BEGIN
    UPDATE users SET question_count = question_count - 1, likes_received = likes_received - old.like_count,
                     reputation = reputation - 5 * old.like_count
        WHERE id = old.author_id;
END;

CREATE TRIGGER people_question_liked AFTER UPDATE OF like_count ON questions
WHEN old.like_count != new.like_count BEGIN
    UPDATE users SET likes_received = likes_received + new.like_count - old.like_count,
                     reputation = reputation + 5 * (new.like_count - old.like_count)
        WHERE id = new.author_id;
END;

CREATE TRIGGER people_answer_added AFTER INSERT ON answers BEGIN
    UPDATE users SET answer_count = answer_count + 1 WHERE id = new.author_id;
END;

CREATE TRIGGER people_answer_deleted AFTER DELETE ON answers BEGIN
    UPDATE users SET answer_count = answer_count - 1, likes_received = likes_received - old.like_count,
                     reputation = reputation - 10 * old.like_count
        WHERE id = old.author_id;
END;

CREATE TRIGGER people_answer_liked AFTER UPDATE OF like_count ON answers
WHEN old.like_count != new.like_count BEGIN
    UPDATE users SET likes_received = likes_received + new.like_count - old.like_count,
                     reputation = reputation + 10 * (new.like_count - old.like_count)
        WHERE id = new.author_id;
END;

-- The mark moves (the board takes it off before an answer or question goes): the old answer's author loses
-- what it gave, the new one's gains it; an asker's own answer gives nothing.
CREATE TRIGGER people_answer_accepted AFTER UPDATE OF accepted_answer_id ON questions
WHEN old.accepted_answer_id IS NOT new.accepted_answer_id BEGIN
    UPDATE users SET accepted_count = accepted_count - 1, reputation = reputation - 15
        WHERE id = (SELECT author_id FROM answers WHERE id = old.accepted_answer_id) AND id <> old.author_id;
    UPDATE users SET accepted_count = accepted_count + 1, reputation = reputation + 15
        WHERE id = (SELECT author_id FROM answers WHERE id = new.accepted_answer_id) AND id <> new.author_id;
END;
