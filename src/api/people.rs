//! Tags and users: the tag list and following a tag, the user list, profiles and a user's posts.

use poem::{Request, web::Data};
use poem_openapi::{
    ApiResponse, Object, OpenApi,
    param::{Path, Query},
    payload::Json,
};

use super::{
    ApiTags, State,
    auth::{MaybeToken, Token},
    error::{ApiError, ApiResult},
    http::lang,
    moderation::RoleJson,
    paging::{Paging, address, last_page, paging},
    reactions::{self, FollowResponse},
    types::{QuestionItem, QuestionList, timestamp},
};
use crate::{
    board,
    domain::{
        people::{ProfilePosts, ProfileTab, USERS_PER_PAGE},
        tags::{TAGS_PER_PAGE, name_prefix},
    },
};

pub struct PeopleApi;

/// A tag and how many questions carry it.
#[derive(Object)]
pub struct TagJson {
    pub name: String,
    pub question_count: i64,
    /// Its questions on the board.
    pub url: String,
}

/// One page of tags, the most used first.
#[derive(Object)]
pub struct TagListJson {
    pub items: Vec<TagJson>,
    pub page: i64,
    pub total: i64,
    #[oai(nullable)]
    pub next: Option<String>,
}

/// A user as the user list shows them.
#[derive(Object)]
pub struct UserItem {
    pub username: String,
    pub reputation: i64,
    pub joined_at: time::OffsetDateTime,
    pub question_count: i64,
    pub answer_count: i64,
    pub role: RoleJson,
    pub url: String,
}

/// One page of users, the highest reputation first.
#[derive(Object)]
pub struct UserListJson {
    pub items: Vec<UserItem>,
    pub page: i64,
    pub total: i64,
    #[oai(nullable)]
    pub next: Option<String>,
}

/// A user's profile: their counts and the tags they ask about most.
#[derive(Object)]
pub struct ProfileJson {
    pub id: i64,
    pub username: String,
    pub reputation: i64,
    pub joined_at: time::OffsetDateTime,
    pub question_count: i64,
    pub answer_count: i64,
    /// Their answers an asker other than themselves accepted.
    pub accepted_count: i64,
    /// Likes on their questions and answers.
    pub likes_received: i64,
    /// The tags of their newest questions, the most used first.
    pub top_tags: Vec<TagJson>,
    pub role: RoleJson,
    pub url: String,
}

/// One of a user's answers, under its question's subject.
#[derive(Object)]
pub struct UserAnswerItem {
    pub id: i64,
    pub question_id: i64,
    pub question_subject: String,
    pub like_count: i64,
    pub accepted: bool,
    pub created_at: time::OffsetDateTime,
    pub url: String,
}

/// One page of a user's answers, newest first.
#[derive(Object)]
pub struct UserAnswerList {
    pub items: Vec<UserAnswerItem>,
    pub page: i64,
    pub total: i64,
    #[oai(nullable)]
    pub next: Option<String>,
}

#[derive(ApiResponse)]
pub enum TagsResponse {
    /// One page of tags; `Link` names the next and previous pages.
    #[oai(status = 200)]
    Ok(Json<TagListJson>, #[oai(header = "Link")] Option<String>),
}

#[derive(ApiResponse)]
pub enum UsersResponse {
    /// One page of users; `Link` names the next and previous pages.
    #[oai(status = 200)]
    Ok(Json<UserListJson>, #[oai(header = "Link")] Option<String>),
}

#[derive(ApiResponse)]
pub enum ProfileResponse {
    /// The profile.
    #[oai(status = 200)]
    Ok(Json<ProfileJson>),
}

#[derive(ApiResponse)]
pub enum UserQuestionsResponse {
    /// One page of the user's questions, newest first; `Link` names the next and previous pages.
    #[oai(status = 200)]
    Ok(Json<QuestionList>, #[oai(header = "Link")] Option<String>),
}

#[derive(ApiResponse)]
pub enum UserAnswersResponse {
    /// One page of the user's answers, newest first; `Link` names the next and previous pages.
    #[oai(status = 200)]
    Ok(Json<UserAnswerList>, #[oai(header = "Link")] Option<String>),
}

fn tag_json(name: &str, questions: i64) -> TagJson {
    TagJson {
        name: name.to_owned(),
        question_count: questions,
        url: format!("/tags/{}", crate::views::urls::segment(name)),
    }
}

/// One page of a profile's tab, with the links to its neighbours.
async fn posts_of(
    state: &State,
    req: &Request,
    auth: &MaybeToken,
    typed_name: &str,
    tab: ProfileTab,
    page: Option<i64>,
) -> ApiResult<(ProfilePosts, Paging)> {
    auth.reader(req, state).await?;
    let fail = |err| ApiError::from_board(err, lang(req));
    let profile = board::people::profile(&state.store, typed_name)
        .await
        .map_err(fail)?;
    // The tab of deleted posts is the board's only (the API reads each deleted post by its address).
    let posts = board::people::posts(&state.store, &profile, tab, page.unwrap_or(1), None)
        .await
        .map_err(fail)?;
    let (page, total) = posts.page_and_total();
    let path = format!(
        "/api/v1/users/{}/{}",
        crate::views::urls::segment(&profile.username),
        tab.code()
    );
    let page_address = |page: i64| address(&path, &[("page", Some(&page.to_string()))]);
    let last = crate::domain::board::clamp_page(i64::MAX, total);
    Ok((posts, paging(page_address, page, last)))
}

#[OpenApi(tag = "ApiTags::People")]
impl PeopleApi {
    /// The tags, the most used first, 36 a page; `q` keeps those whose name starts with it.
    #[oai(path = "/tags", method = "get", operation_id = "listTags")]
    async fn tags(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: MaybeToken,
        /// The start of a tag's name.
        #[oai(validator(max_length = 35))]
        q: Query<Option<String>>,
        /// The page, from 1 (past the last: the last).
        #[oai(validator(minimum(value = "1")))]
        page: Query<Option<i64>>,
    ) -> ApiResult<TagsResponse> {
        auth.reader(req, &state).await?;
        let prefix = name_prefix(q.0.as_deref().unwrap_or_default());
        let found = state
            .store
            .tag_list(prefix.clone(), page.0.unwrap_or(1))
            .await
            .map_err(|err| ApiError::from_board(err.into(), lang(req)))?;
        let last = last_page(found.total, TAGS_PER_PAGE);
        let filter = (!prefix.is_empty()).then_some(prefix.as_str());
        let page_address = |page: i64| {
            address(
                "/api/v1/tags",
                &[("q", filter), ("page", Some(&page.to_string()))],
            )
        };
        let paging = paging(page_address, found.page, last);
        Ok(TagsResponse::Ok(
            Json(TagListJson {
                items: found
                    .tags
                    .iter()
                    .map(|tag| tag_json(tag.name.as_str(), tag.questions))
                    .collect(),
                page: found.page,
                total: found.total,
                next: paging.next,
            }),
            paging.link,
        ))
    }

    /// Follows a tag: new questions carrying it reach the account's notifications.
    #[oai(
        path = "/tags/:name/follow",
        method = "put",
        operation_id = "followTag"
    )]
    async fn follow_tag(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        name: Path<String>,
    ) -> ApiResult<FollowResponse> {
        reactions::follow_tag(&state, req, &auth, &name.0, true).await
    }

    /// Stops following a tag.
    #[oai(
        path = "/tags/:name/follow",
        method = "delete",
        operation_id = "unfollowTag"
    )]
    async fn unfollow_tag(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        name: Path<String>,
    ) -> ApiResult<FollowResponse> {
        reactions::follow_tag(&state, req, &auth, &name.0, false).await
    }

    /// The users, the highest reputation first, 36 a page; `q` keeps those whose name starts with it.
    #[oai(path = "/users", method = "get", operation_id = "listUsers")]
    async fn users(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: MaybeToken,
        /// The start of a user's name (any letter case).
        #[oai(validator(max_length = 40))]
        q: Query<Option<String>>,
        /// The page, from 1 (past the last: the last).
        #[oai(validator(minimum(value = "1")))]
        page: Query<Option<i64>>,
    ) -> ApiResult<UsersResponse> {
        auth.reader(req, &state).await?;
        let (prefix, found) = board::people::users(
            &state.store,
            q.0.as_deref().unwrap_or_default(),
            page.0.unwrap_or(1),
        )
        .await
        .map_err(|err| ApiError::from_board(err, lang(req)))?;
        let last = last_page(found.total, USERS_PER_PAGE);
        let filter = (!prefix.is_empty()).then_some(prefix.as_str());
        let page_address = |page: i64| {
            address(
                "/api/v1/users",
                &[("q", filter), ("page", Some(&page.to_string()))],
            )
        };
        let paging = paging(page_address, found.page, last);
        Ok(UsersResponse::Ok(
            Json(UserListJson {
                items: found
                    .users
                    .iter()
                    .map(|user| UserItem {
                        username: user.username.clone(),
                        reputation: user.reputation,
                        joined_at: timestamp(user.joined_at),
                        question_count: user.question_count,
                        answer_count: user.answer_count,
                        role: user.role.into(),
                        url: format!("/users/{}", crate::views::urls::segment(&user.username)),
                    })
                    .collect(),
                page: found.page,
                total: found.total,
                next: paging.next,
            }),
            paging.link,
        ))
    }

    /// A user's profile (the name in any letter case).
    #[oai(path = "/users/:name", method = "get", operation_id = "getUser")]
    async fn profile(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: MaybeToken,
        name: Path<String>,
    ) -> ApiResult<ProfileResponse> {
        auth.reader(req, &state).await?;
        let fail = |err| ApiError::from_board(err, lang(req));
        let profile = board::people::profile(&state.store, &name.0)
            .await
            .map_err(fail)?;
        let tags = board::people::top_tags(&state.store, &profile)
            .await
            .map_err(fail)?;
        Ok(ProfileResponse::Ok(Json(ProfileJson {
            id: profile.id.0,
            url: format!("/users/{}", crate::views::urls::segment(&profile.username)),
            username: profile.username,
            reputation: profile.reputation,
            joined_at: timestamp(profile.joined_at),
            question_count: profile.question_count,
            answer_count: profile.answer_count,
            accepted_count: profile.accepted_count,
            likes_received: profile.likes_received,
            role: profile.role.into(),
            top_tags: tags
                .iter()
                .map(|tag| tag_json(tag.name.as_str(), tag.questions))
                .collect(),
        })))
    }

    /// A user's questions, newest first, ten a page.
    #[oai(
        path = "/users/:name/questions",
        method = "get",
        operation_id = "listUserQuestions"
    )]
    async fn questions(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: MaybeToken,
        name: Path<String>,
        /// The page, from 1 (past the last: the last).
        #[oai(validator(minimum(value = "1")))]
        page: Query<Option<i64>>,
    ) -> ApiResult<UserQuestionsResponse> {
        let (posts, paging) =
            posts_of(&state, req, &auth, &name.0, ProfileTab::Questions, page.0).await?;
        let ProfilePosts::Questions(found) = posts else {
            return Err(ApiError::not_found());
        };
        Ok(UserQuestionsResponse::Ok(
            Json(QuestionList {
                items: found.questions.iter().map(QuestionItem::from).collect(),
                page: found.page,
                total: found.total,
                next: paging.next,
            }),
            paging.link,
        ))
    }

    /// A user's answers, newest first, ten a page, each under its question's subject.
    #[oai(
        path = "/users/:name/answers",
        method = "get",
        operation_id = "listUserAnswers"
    )]
    async fn answers(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: MaybeToken,
        name: Path<String>,
        /// The page, from 1 (past the last: the last).
        #[oai(validator(minimum(value = "1")))]
        page: Query<Option<i64>>,
    ) -> ApiResult<UserAnswersResponse> {
        let (posts, paging) =
            posts_of(&state, req, &auth, &name.0, ProfileTab::Answers, page.0).await?;
        let ProfilePosts::Answers(found) = posts else {
            return Err(ApiError::not_found());
        };
        Ok(UserAnswersResponse::Ok(
            Json(UserAnswerList {
                items: found
                    .answers
                    .iter()
                    .map(|answer| UserAnswerItem {
                        id: answer.id.0,
                        question_id: answer.question_id.0,
                        question_subject: answer.question_subject.clone(),
                        like_count: answer.like_count,
                        accepted: answer.accepted,
                        created_at: timestamp(answer.created_at),
                        url: format!("/answers/{}", answer.id.0),
                    })
                    .collect(),
                page: found.page,
                total: found.total,
                next: paging.next,
            }),
            paging.link,
        ))
    }
}
