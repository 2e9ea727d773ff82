//! Who may do what to which post: the one place that decides. Views ask it which controls to show;
//! storage asks it inside the write transaction, with the post's author read in that transaction.

use super::ids::{AnswerId, CommentId, QuestionId, UserId};

/// What a person is on this board. Only `User` exists yet; moderators and admins come with moderation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    User,
}

/// Someone acting: who, and as what.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor {
    pub id: UserId,
    pub role: Role,
}

impl Actor {
    /// A signed-up user with no other role.
    pub fn user(id: UserId) -> Self {
        Self {
            id,
            role: Role::User,
        }
    }
}

/// A post, by kind and id: what a like or a comment points at, what the policy is asked about (and later a
/// flag, a revision or a notification). Comments take no likes and no comments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PostRef {
    Question(QuestionId),
    Answer(AnswerId),
    Comment(CommentId),
}

/// What can be done to a post.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Edit,
    Delete,
    Like,
    /// Marking an answer as the one that solved its question (or taking the mark back): asked of the
    /// question's author, not the answer's.
    Accept,
}

/// Why an action is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Denied {
    /// Only the author may change a post (or, for accepting, only the question's author).
    NotAuthor,
    /// Nobody may like their own post.
    OwnPost,
    /// The board asks for a confirmed address before posting (`require_verified_email`).
    AddressUnconfirmed,
}

/// Whether `actor` may do `action` to a post that `author` wrote (for `Accept`, `author` is the question's:
/// accepting one's own answer to one's own question is allowed, as on Stack Overflow).
pub fn may(actor: Actor, action: Action, author: UserId) -> Result<(), Denied> {
    let own = actor.id == author;
    match (action, actor.role) {
        (Action::Edit | Action::Delete | Action::Accept, Role::User) if own => Ok(()),
        (Action::Edit | Action::Delete | Action::Accept, Role::User) => Err(Denied::NotAuthor),
        (Action::Like, _) if own => Err(Denied::OwnPost),
        (Action::Like, _) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authors_change_their_posts_and_like_everyone_elses() {
        let alice = Actor {
            id: UserId(1),
            role: Role::User,
        };
        let (hers, bobs) = (UserId(1), UserId(2));
        for action in [Action::Edit, Action::Delete, Action::Accept] {
            assert_eq!(may(alice, action, hers), Ok(()));
            assert_eq!(may(alice, action, bobs), Err(Denied::NotAuthor));
        }
        assert_eq!(may(alice, Action::Like, hers), Err(Denied::OwnPost));
        assert_eq!(may(alice, Action::Like, bobs), Ok(()));
    }
}
