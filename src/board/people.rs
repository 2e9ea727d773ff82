//! Profiles and the list of users: reads anyone may make.

use super::BoardError;
use crate::{
    domain::{
        accounts::Username,
        people::{Profile, ProfilePosts, ProfileTab, UserList, name_prefix},
        policy::{self, Actor},
        tags::TagCount,
    },
    store::Store,
};

/// The profile of the user a typed name (any letter case, full-width or not) belongs to; a name no account
/// could have is not looked for.
pub async fn profile(store: &Store, typed_name: &str) -> Result<Profile, BoardError> {
    if !Username::may_exist(typed_name) || typed_name.chars().any(char::is_control) {
        return Err(BoardError::NotFound);
    }
    store
        .profile(typed_name.to_owned())
        .await?
        .ok_or(BoardError::NotFound)
}

/// The tags a profile shows: those of the user's newest questions, the most used first.
pub async fn top_tags(store: &Store, profile: &Profile) -> Result<Vec<TagCount>, BoardError> {
    Ok(store.user_top_tags(profile.id).await?)
}

/// One page of a profile's tab.
/// `viewer` sees the tab of deleted posts only on their own profile, or as a moderator.
pub async fn posts(
    store: &Store,
    profile: &Profile,
    tab: ProfileTab,
    requested_page: i64,
    viewer: Option<Actor>,
) -> Result<ProfilePosts, BoardError> {
    Ok(match tab {
        ProfileTab::Deleted if policy::may_read_withheld(viewer, profile.id) => {
            ProfilePosts::Deleted(store.user_deleted_posts(profile.id).await?)
        }
        ProfileTab::Deleted => return Err(BoardError::NotFound),
        ProfileTab::Questions => {
            ProfilePosts::Questions(store.user_questions(profile.id, requested_page).await?)
        }
        ProfileTab::Answers => {
            ProfilePosts::Answers(store.user_answers(profile.id, requested_page).await?)
        }
    })
}

/// One page of the users whose name starts with what was typed (everyone for nothing), the highest
/// reputation first; the filter as it was understood comes back with it.
pub async fn users(
    store: &Store,
    typed_prefix: &str,
    requested_page: i64,
) -> Result<(String, UserList), BoardError> {
    let prefix = name_prefix(typed_prefix);
    let list = store.user_list(prefix.clone(), requested_page).await?;
    Ok((prefix, list))
}
