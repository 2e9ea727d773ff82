//! Typed ids, so a user id cannot be passed where another table's id is meant.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UserId(pub i64);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct QuestionId(pub i64);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct AnswerId(pub i64);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct CommentId(pub i64);

/// A post id from a URL segment or a number: a positive whole number, anything else refused. Handlers take
/// `Path<QuestionId>`; a refused segment is a 404 page, like a post that is gone.
macro_rules! deserialize_post_id {
    ($id:ident) => {
        impl<'de> Deserialize<'de> for $id {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_i64(PostIdVisitor).map($id)
            }
        }
    };
}

/// Accepts what `deserialize_i64` hands over: a number, or text for formats that keep numbers as text.
struct PostIdVisitor;

impl serde::de::Visitor<'_> for PostIdVisitor {
    type Value = i64;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a positive whole number")
    }

    fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<i64, E> {
        Some(n)
            .filter(|n| *n > 0)
            .ok_or_else(|| E::custom("not a post id"))
    }

    fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<i64, E> {
        i64::try_from(n).map_err(|_| E::custom("not a post id"))?;
        self.visit_i64(n as i64)
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<i64, E> {
        parse_id(text).ok_or_else(|| E::custom("not a post id"))
    }
}

deserialize_post_id!(QuestionId);
deserialize_post_id!(AnswerId);
deserialize_post_id!(CommentId);

/// Parses an id from a URL segment: a positive decimal number, anything else is "no such post".
pub fn parse_id(raw: &str) -> Option<i64> {
    raw.parse::<i64>().ok().filter(|id| *id > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn post_ids_come_from_url_segments_or_numbers_and_junk_is_refused() {
        let from_json = |json: &str| serde_json::from_str::<QuestionId>(json).ok();
        assert_eq!(from_json("42"), Some(QuestionId(42)));
        for junk in ["0", "-3", "1.5", r#""abc""#, "99999999999999999999"] {
            assert_eq!(from_json(junk), None, "{junk}");
        }
        // Text, as a URL segment or a query string hands it over.
        let from_text = |text: &str| {
            serde::de::Visitor::visit_str::<serde_json::Error>(PostIdVisitor, text).ok()
        };
        assert_eq!(from_text("42"), Some(42));
        for junk in ["0", "-3", "abc", "4x", "99999999999999999999", ""] {
            assert_eq!(from_text(junk), None, "{junk}");
        }
    }
}
