//! Who may do what to which post: the one place that decides. Views ask it which controls to show;
//! storage asks it inside the write transaction, with the post's author read in that transaction.

use super::ids::{AnswerId, CommentId, QuestionId, UserId};

/// What a person is on this board: granted from the shell (`miniboard user role`) or by an admin, never by
/// sign-up order. Ordered: each role may do what the ones before it may.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    #[default]
    User,
    /// Closes and reopens questions, suspends users, reads the moderation log.
    Moderator,
    /// A moderator who also grants and takes roles.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::User, Role::Moderator, Role::Admin];

    /// The role as stored and as typed in forms, the shell and the API.
    pub fn code(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Moderator => "moderator",
            Self::Admin => "admin",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.code() == code)
    }

    /// A stored role; anything else (a row written by hand) reads as the least.
    pub fn stored(code: &str) -> Self {
        Self::parse(code).unwrap_or_default()
    }

    /// Moderators and admins.
    pub fn is_staff(self) -> bool {
        self >= Self::Moderator
    }
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
    /// Telling the moderators the post needs them.
    Flag,
    /// Bringing a deleted question or answer back: its author (unless someone else deleted it) or staff.
    Undelete,
    /// Removing a question or answer for good, deleted or not: admins only.
    Purge,
}

/// Why an action is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Denied {
    /// Only the author may change a post (or, for accepting, only the question's author).
    NotAuthor,
    /// Nobody may like or flag their own post.
    OwnPost,
    /// The board asks for a confirmed address before posting (`require_verified_email`).
    AddressUnconfirmed,
    /// Only moderators (and admins) may do this.
    NotModerator,
    /// Only admins may do this.
    NotAdmin,
    /// The target's role is as high as the actor's (nobody suspends an admin; a moderator no moderator).
    Protected,
    /// Nobody changes their own role on the board (the operator does, from the shell).
    OwnRole,
    /// The question is closed: it takes no new answers.
    QuestionClosed,
    /// A limit on writing said no (`writing`).
    Limited(super::writing::Limited),
    /// Someone of a higher role deleted this post: only someone of that role or higher brings it back.
    DeletedByModerator,
    /// The answer's question is deleted: it comes back with its question.
    QuestionDeleted,
}

/// What staff do to the board and its people.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Moderation {
    /// Close or reopen a question.
    Close,
    /// Suspend someone who has this role, or lift their suspension.
    Suspend { target: Role },
    /// Give someone else (`target`, whose role is `target_role`) a role.
    GrantRole { target: UserId, target_role: Role },
    /// Read the moderation log and the staff pages.
    Oversee,
}

/// Whether `actor` may do `what`.
pub fn may_moderate(actor: Actor, what: Moderation) -> Result<(), Denied> {
    match what {
        Moderation::Close | Moderation::Oversee if actor.role.is_staff() => Ok(()),
        Moderation::Suspend { target } if actor.role.is_staff() => {
            if target >= actor.role {
                Err(Denied::Protected)
            } else {
                Ok(())
            }
        }
        Moderation::GrantRole {
            target,
            target_role,
        } if actor.role == Role::Admin => {
            if target == actor.id {
                Err(Denied::OwnRole)
            } else if target_role >= actor.role {
                // One admin does not demote another: the operator does, from the shell.
                Err(Denied::Protected)
            } else {
                Ok(())
            }
        }
        Moderation::GrantRole { .. } => Err(Denied::NotAdmin),
        _ => Err(Denied::NotModerator),
    }
}

/// Whether `actor` may do `action` to a post that `author` wrote (for `Accept`, `author` is the question's:
/// accepting one's own answer to one's own question is allowed, as on Stack Overflow).
pub fn may(actor: Actor, action: Action, author: UserId) -> Result<(), Denied> {
    let own = actor.id == author;
    match (action, actor.role) {
        (Action::Edit | Action::Delete | Action::Accept, _) if own => Ok(()),
        // Moderators edit (saying why: the use case asks for a summary) and delete anyone's post, each
        // logged; accepting stays the question's author's.
        (Action::Edit | Action::Delete, role) if role.is_staff() => Ok(()),
        (Action::Edit | Action::Delete | Action::Accept, _) => Err(Denied::NotAuthor),
        (Action::Like | Action::Flag, _) if own => Err(Denied::OwnPost),
        (Action::Like | Action::Flag, _) => Ok(()),
        (Action::Undelete, role) if own || role.is_staff() => Ok(()),
        (Action::Undelete, _) => Err(Denied::NotAuthor),
        (Action::Purge, Role::Admin) => Ok(()),
        (Action::Purge, _) => Err(Denied::NotAdmin),
    }
}

/// Whether someone reads a post others no longer see (deleted, or hidden by flags): its author and staff.
pub fn may_read_withheld(viewer: Option<Actor>, author: UserId) -> bool {
    viewer.is_some_and(|viewer| viewer.id == author || viewer.role.is_staff())
}

/// A post as the policy asks about it inside a write: whose it is and whether it, or what it is on (an
/// answer's question, a comment's post), is deleted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PostState {
    /// Its author, or for accepting an answer, its question's author.
    pub author: UserId,
    pub deleted: bool,
    /// Who deleted it, while it is deleted (`None` once their account is gone).
    pub deleted_by: Option<UserId>,
    /// What it is on is deleted.
    pub on_deleted: bool,
}

/// What a post's deletion says about `action` before the roles are asked: a deleted post (or one on a
/// deleted post) takes nothing but undeleting and purging, as if it were not there; an answer comes back
/// only with its question.
pub fn deletion_allows(action: Action, post: PostState) -> Option<Result<(), Denied>> {
    match action {
        Action::Purge => Some(Ok(())),
        Action::Undelete if post.on_deleted => Some(Err(Denied::QuestionDeleted)),
        Action::Undelete => Some(Ok(())),
        _ if post.deleted || post.on_deleted => None,
        _ => Some(Ok(())),
    }
}

/// Whose roles the policy needs read inside the write for `actor` to do `action` to `post`: the author's
/// (staff deleting, undeleting or purging someone else's post) and the deleter's (undoing someone else's
/// delete, one's own post's included).
pub fn roles_needed(
    actor: Actor,
    action: Action,
    post: PostState,
) -> (Option<UserId>, Option<UserId>) {
    let theirs = matches!(action, Action::Delete | Action::Undelete | Action::Purge)
        && actor.id != post.author
        && actor.role.is_staff();
    let deleter = match action {
        Action::Undelete if post.deleted => post.deleted_by.filter(|by| *by != actor.id),
        _ => None,
    };
    (theirs.then_some(post.author), deleter)
}

/// The policy's answer with the roles [`roles_needed`] named, as read inside the write: staff remove and
/// restore only posts of those below them, and a delete is undone only by someone of at least the
/// deleter's role (an author does not undo a moderator's).
pub fn decide(
    actor: Actor,
    action: Action,
    post: PostState,
    author_role: Option<Role>,
    deleter_role: Option<Role>,
) -> Result<(), Denied> {
    if let Some(role) = author_role {
        may_delete_theirs(actor, role)?;
    }
    if deleter_role.is_some_and(|role| role > actor.role) {
        return Err(Denied::DeletedByModerator);
    }
    may(actor, action, post.author)
}

/// Whether staff may delete a post by someone else whose role is `author_role`: only below their own
/// (a moderator deletes no other moderator's or admin's post), as with suspensions.
pub fn may_delete_theirs(actor: Actor, author_role: Role) -> Result<(), Denied> {
    if author_role >= actor.role {
        Err(Denied::Protected)
    } else {
        Ok(())
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

    #[test]
    fn staff_moderate_those_below_them_and_only_admins_grant_roles() {
        let as_role = |role| Actor {
            id: UserId(1),
            role,
        };
        let (user, moderator, admin) = (
            as_role(Role::User),
            as_role(Role::Moderator),
            as_role(Role::Admin),
        );
        let suspend = |target| Moderation::Suspend { target };
        assert_eq!(
            may_moderate(user, Moderation::Close),
            Err(Denied::NotModerator)
        );
        assert_eq!(
            may_moderate(user, Moderation::Oversee),
            Err(Denied::NotModerator)
        );
        assert_eq!(
            may_moderate(user, suspend(Role::User)),
            Err(Denied::NotModerator)
        );
        assert_eq!(may_moderate(moderator, Moderation::Close), Ok(()));
        assert_eq!(may_moderate(moderator, suspend(Role::User)), Ok(()));
        assert_eq!(
            may_moderate(moderator, suspend(Role::Moderator)),
            Err(Denied::Protected)
        );
        assert_eq!(may_moderate(admin, suspend(Role::Moderator)), Ok(()));
        assert_eq!(
            may_moderate(admin, suspend(Role::Admin)),
            Err(Denied::Protected)
        );
        let grant = |target, target_role| Moderation::GrantRole {
            target: UserId(target),
            target_role,
        };
        assert_eq!(
            may_moderate(moderator, grant(2, Role::User)),
            Err(Denied::NotAdmin)
        );
        assert_eq!(may_moderate(admin, grant(2, Role::User)), Ok(()));
        assert_eq!(may_moderate(admin, grant(2, Role::Moderator)), Ok(()));
        assert_eq!(
            may_moderate(admin, grant(2, Role::Admin)),
            Err(Denied::Protected)
        );
        assert_eq!(
            may_moderate(admin, grant(1, Role::Admin)),
            Err(Denied::OwnRole)
        );
        assert_eq!(Role::parse("moderator"), Some(Role::Moderator));
        assert_eq!(Role::parse("Admin"), None);
        assert_eq!(Role::stored("root"), Role::User);
    }
}
