//! Profiles and the list of users: reads anyone may make.

use super::BoardError;
use crate::{
    domain::{
        accounts::username_key,
        people::{Profile, ProfilePosts, ProfileTab, UserList, name_prefix},
    },
    store::Store,
};

/// The profile of the user a typed name (any letter case, full-width or not) belongs to.
pub async fn profile(store: &Store, typed_name: &str) -> Result<Profile, BoardError> {
    store
        .profile(username_key(typed_name))
        .await?
        .ok_or(BoardError::NotFound)
}

/// One page of a profile's tab.
pub async fn posts(
    store: &Store,
    profile: &Profile,
    tab: ProfileTab,
    requested_page: i64,
) -> Result<ProfilePosts, BoardError> {
    Ok(match tab {
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
