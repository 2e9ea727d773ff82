-- The question each row of search_index belongs to, in a table of its own: ranking a search reads this
-- (a few bytes per post, in posting order) instead of seeking every matching post's text in the index's
-- content table, which was most of a search's cost.
CREATE TABLE search_posts (
    post_rowid   INTEGER PRIMARY KEY,  -- the post's rowid in search_index
    question_id  INTEGER NOT NULL
);
INSERT INTO search_posts (post_rowid, question_id)
    SELECT search_rowid, id FROM questions
    UNION ALL
    SELECT search_rowid, question_id FROM answers;
