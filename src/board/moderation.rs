//! Moderating: where an account stands, closing and reopening questions, suspending people, giving roles,
//! and the log of it all. Each use case asks the policy of the role as it is now (read at its start, so a
//! user gets a 403 before their input is looked at) and the store asks again inside the write.

use super::{BoardError, allowed};
use crate::{
    domain::{
        self, FieldError, Problem,
        accounts::CurrentUser,
        ids::{QuestionId, UserId},
        moderation::{AccountRow, CloseForm, CloseOutcome, LogPage, Standing, SuspendForm},
        people::{Profile, UserList},
        policy::{Actor, Moderation, Role, may_moderate},
    },
    store::{Guarded, Store, StoreError},
};

/// Where the user stands now (a deleted account stands nowhere: as not found).
pub async fn standing(store: &Store, user: &CurrentUser) -> Result<Standing, BoardError> {
    store
        .standing(user.id, domain::now())
        .await?
        .ok_or(BoardError::NotFound)
}

/// The viewer as the policy sees them for reading, if signed in: with their role (a suspended account
/// reads as any other).
pub async fn reader(
    store: &Store,
    user: Option<&CurrentUser>,
) -> Result<Option<Actor>, BoardError> {
    let Some(user) = user else {
        return Ok(None);
    };
    let standing = standing(store, user).await?;
    Ok(Some(Actor {
        id: user.id,
        role: standing.role,
    }))
}

/// The user as the policy sees them now, if they may write at all: a suspended account may not (neither
/// post nor moderate), and is told why and until when.
pub async fn acting(store: &Store, user: &CurrentUser) -> Result<Actor, BoardError> {
    let standing = standing(store, user).await?;
    if let Some(suspension) = standing.suspension {
        return Err(BoardError::Suspended(suspension));
    }
    Ok(Actor {
        id: user.id,
        role: standing.role,
    })
}

/// The user as a moderator, if the policy lets them do `what` (before any input is looked at).
async fn staff(store: &Store, user: &CurrentUser, what: Moderation) -> Result<Actor, BoardError> {
    let actor = acting(store, user).await?;
    may_moderate(actor, what).map_err(BoardError::Forbidden)?;
    Ok(actor)
}

/// The account a typed name belongs to.
async fn account(store: &Store, name: &str) -> Result<Profile, BoardError> {
    // As a profile is looked up: a name no account could have (a NUL, too long) is nobody's.
    super::people::profile(store, name).await
}

/// Checks that `user` may close questions (the close form is only shown to them).
pub async fn may_close(store: &Store, user: &CurrentUser) -> Result<(), BoardError> {
    staff(store, user, Moderation::Close).await.map(|_| ())
}

/// Closes a question for the reason the form gives.
pub async fn close(
    store: &Store,
    user: &CurrentUser,
    id: QuestionId,
    form: &CloseForm,
) -> Result<(), BoardError> {
    let actor = staff(store, user, Moderation::Close).await?;
    let request = form.parse(id).map_err(BoardError::Invalid)?;
    let problem = match allowed(
        store
            .close_question(actor.id, id, request, domain::now())
            .await?,
    )? {
        CloseOutcome::Closed => return Ok(()),
        CloseOutcome::AlreadyClosed => FieldError::new("reason", Problem::AlreadyClosed),
        CloseOutcome::DuplicateMissing => {
            FieldError::new("duplicate_of", Problem::DuplicateMissing)
        }
        CloseOutcome::DuplicateLoop => FieldError::new("duplicate_of", Problem::DuplicateLoop),
    };
    Err(BoardError::Invalid(vec![problem]))
}

/// Reopens a question; whether it was closed.
pub async fn reopen(store: &Store, user: &CurrentUser, id: QuestionId) -> Result<bool, BoardError> {
    let actor = staff(store, user, Moderation::Close).await?;
    allowed(store.reopen_question(actor.id, id, domain::now()).await?)
}

/// The account a moderator is about to suspend, if they may suspend it.
pub async fn to_suspend(
    store: &Store,
    user: &CurrentUser,
    name: &str,
) -> Result<Profile, BoardError> {
    let actor = staff(store, user, Moderation::Suspend { target: Role::User }).await?;
    let profile = account(store, name).await?;
    may_moderate(
        actor,
        Moderation::Suspend {
            target: profile.role,
        },
    )
    .map_err(BoardError::Forbidden)?;
    Ok(profile)
}

/// Suspends the account named `name` until the day the form gives, for its reason.
pub async fn suspend(
    store: &Store,
    user: &CurrentUser,
    name: &str,
    form: &SuspendForm,
) -> Result<Profile, BoardError> {
    let profile = to_suspend(store, user, name).await?;
    let now = domain::now();
    let suspension = form.parse(now).map_err(BoardError::Invalid)?;
    allowed(
        store
            .set_suspension(user.id, profile.id, Some(suspension), now)
            .await?,
    )?;
    Ok(profile)
}

/// Lifts the suspension of the account named `name`; whether one ran.
pub async fn unsuspend(
    store: &Store,
    user: &CurrentUser,
    name: &str,
) -> Result<(Profile, bool), BoardError> {
    let profile = to_suspend(store, user, name).await?;
    let lifted = allowed(
        store
            .set_suspension(user.id, profile.id, None, domain::now())
            .await?,
    )?;
    Ok((profile, lifted))
}

/// Gives the account named `name` the role typed (`user`, `moderator`, `admin`); the role it had.
pub async fn set_role(
    store: &Store,
    user: &CurrentUser,
    name: &str,
    role: &str,
) -> Result<(Profile, Role), BoardError> {
    let actor = acting(store, user).await?;
    // Asked of someone else first: an admin's own name is refused below, with its own reason.
    may_moderate(
        actor,
        Moderation::GrantRole {
            target: UserId(0),
            target_role: Role::User,
        },
    )
    .map_err(BoardError::Forbidden)?;
    let role = Role::parse(role.trim())
        .ok_or_else(|| BoardError::Invalid(vec![FieldError::new("role", Problem::RoleInvalid)]))?;
    let profile = account(store, name).await?;
    let was = allowed(
        store
            .set_role(Some(actor.id), profile.id, role, domain::now())
            .await?,
    )?;
    Ok((profile, was))
}

/// Gives the account named `name` the role typed, as the operator at the shell (`miniboard user role`);
/// the account's name and the role it had.
pub async fn set_role_from_shell(
    database: &crate::config::Database,
    name: &str,
    role: &str,
) -> Result<(String, Role), StoreError> {
    let Some(role) = Role::parse(role.trim()) else {
        return Err(StoreError::Refused(format!(
            "{role:?} is not a role: user, moderator or admin"
        )));
    };
    let store = Store::open(database).await?;
    let Some(profile) = store.profile(name.to_owned()).await? else {
        return Err(StoreError::Refused(format!("no account is named {name:?}")));
    };
    match store
        .set_role(None, profile.id, role, domain::now())
        .await?
    {
        Guarded::Done(was) => Ok((profile.username, was)),
        Guarded::Missing | Guarded::Denied(_) => Err(StoreError::Refused(format!(
            "the account {name:?} was deleted meanwhile"
        ))),
    }
}

/// Every account (or only staff), oldest first, as `miniboard user list` prints them, a batch at a time.
pub async fn each_account(
    database: &crate::config::Database,
    staff_only: bool,
    mut print: impl FnMut(&AccountRow),
) -> Result<(), StoreError> {
    const BATCH: i64 = 1000;
    let store = Store::open(database).await?;
    let mut after = UserId(0);
    loop {
        let batch = store.accounts(after, BATCH, staff_only).await?;
        batch.iter().for_each(&mut print);
        match batch.last() {
            Some(last) if batch.len() as i64 == BATCH => after = last.id,
            _ => return Ok(()),
        }
    }
}

/// A page of the moderation log (staff only).
pub async fn log(
    store: &Store,
    user: &CurrentUser,
    before: Option<i64>,
) -> Result<LogPage, BoardError> {
    staff(store, user, Moderation::Oversee).await?;
    Ok(store.moderation_log(before).await?)
}

/// A page of the accounts whose name starts with `prefix`, with their roles and suspensions (admins only:
/// this is where roles are given).
pub async fn accounts(
    store: &Store,
    user: &CurrentUser,
    prefix: &str,
    page: i64,
) -> Result<UserList, BoardError> {
    let actor = acting(store, user).await?;
    may_moderate(
        actor,
        Moderation::GrantRole {
            target: UserId(0),
            target_role: Role::User,
        },
    )
    .map_err(BoardError::Forbidden)?;
    Ok(store
        .user_list(domain::people::name_prefix(prefix), page)
        .await?)
}
