-- Version 7: look-alike usernames. Each name's confusable skeleton (Unicode TS #39, computed in Rust:
-- `users::fill_skeletons`) is unique, so `саrol` (Cyrillic а) or `ｃａｒｏｌ` cannot sign up beside `carol`.
-- Names that already collide keep their accounts: the later ones get their id appended to the skeleton.
ALTER TABLE users ADD COLUMN username_skeleton TEXT NOT NULL DEFAULT '';
