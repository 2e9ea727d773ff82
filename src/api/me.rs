//! The token's own account: who it is, its notifications, what it follows, what is mailed to it, and
//! its tokens (listed; tokens are made and revoked on the account page, not by a token).

use poem::{Request, web::Data};
use poem_openapi::{ApiResponse, Enum, Object, OpenApi, param::Query, payload::Json};

use super::{
    ApiTags, State,
    auth::Token,
    error::{ApiError, ApiResult},
    http::lang,
    types::timestamp,
};
use crate::{
    board,
    domain::{
        mail::MailChoices,
        notifications::{Notification, NotificationKind},
    },
};

pub struct MeApi;

/// The account a token speaks for.
#[derive(Object)]
pub struct MeJson {
    pub id: i64,
    pub username: String,
    pub email: String,
    /// Its address was confirmed by a link mailed to it.
    pub email_verified: bool,
    pub reputation: i64,
    pub joined_at: time::OffsetDateTime,
    pub unread_notifications: i64,
    /// What the token sending this request may do: `read` or `write`.
    pub token_scope: String,
}

/// What a notification is about.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[oai(rename_all = "snake_case")]
pub enum NotificationKindJson {
    /// An answer to your question.
    Answer,
    /// A comment on your question or answer.
    Comment,
    /// Your answer was accepted.
    Accepted,
    /// You were mentioned by `@name`.
    Mention,
    /// A new answer to a question you follow.
    FollowedAnswer,
    /// A new question in a tag you follow.
    TaggedQuestion,
}

impl From<NotificationKind> for NotificationKindJson {
    fn from(kind: NotificationKind) -> Self {
        match kind {
            NotificationKind::Answer => Self::Answer,
            NotificationKind::Comment => Self::Comment,
            NotificationKind::Accepted => Self::Accepted,
            NotificationKind::Mention => Self::Mention,
            NotificationKind::FollowedAnswer => Self::FollowedAnswer,
            NotificationKind::TaggedQuestion => Self::TaggedQuestion,
        }
    }
}

impl From<NotificationKindJson> for NotificationKind {
    fn from(kind: NotificationKindJson) -> Self {
        match kind {
            NotificationKindJson::Answer => Self::Answer,
            NotificationKindJson::Comment => Self::Comment,
            NotificationKindJson::Accepted => Self::Accepted,
            NotificationKindJson::Mention => Self::Mention,
            NotificationKindJson::FollowedAnswer => Self::FollowedAnswer,
            NotificationKindJson::TaggedQuestion => Self::TaggedQuestion,
        }
    }
}

/// Something that happened that the account hears of.
#[derive(Object)]
pub struct NotificationJson {
    pub id: i64,
    pub kind: NotificationKindJson,
    /// Who caused it (empty for a deleted account).
    pub actor: String,
    pub question_id: i64,
    pub question_subject: String,
    #[oai(nullable)]
    pub answer_id: Option<i64>,
    #[oai(nullable)]
    pub comment_id: Option<i64>,
    pub created_at: time::OffsetDateTime,
    /// Whether it was read (on the inbox page, or by `POST /me/notifications/read`).
    pub read: bool,
}

impl From<&Notification> for NotificationJson {
    fn from(notification: &Notification) -> Self {
        Self {
            id: notification.id,
            kind: notification.kind.into(),
            actor: notification.actor.clone(),
            question_id: notification.question_id.0,
            question_subject: notification.subject.clone(),
            answer_id: notification.answer_id.map(|id| id.0),
            comment_id: notification.comment_id.map(|id| id.0),
            created_at: timestamp(notification.created_at),
            read: notification.read,
        }
    }
}

/// A page of notifications, the newest first.
#[derive(Object)]
pub struct NotificationList {
    pub items: Vec<NotificationJson>,
    /// How many are unread in all.
    pub unread: i64,
    /// The older ones' address, when there are older ones.
    #[oai(nullable)]
    pub next: Option<String>,
}

/// A followed question.
#[derive(Object)]
pub struct FollowedQuestion {
    pub id: i64,
    pub subject: String,
}

/// What the account follows.
#[derive(Object)]
pub struct FollowingJson {
    pub tags: Vec<String>,
    /// The most recently followed questions (up to 30).
    pub questions: Vec<FollowedQuestion>,
    /// How many questions it follows in all.
    pub question_count: i64,
}

/// What is mailed to the account.
#[derive(Object)]
pub struct MailJson {
    pub email: String,
    pub email_verified: bool,
    /// The kinds of notification mailed (to a confirmed address only).
    pub kinds: Vec<NotificationKindJson>,
    /// The chosen kinds come together once a day rather than one mail each.
    pub digest: bool,
    /// An address the account is moving to, once the link mailed there is opened.
    #[oai(nullable)]
    pub pending_email: Option<String>,
}

/// What to mail to the account.
#[derive(Object)]
#[oai(deny_unknown_fields)]
pub struct MailInput {
    pub kinds: Vec<NotificationKindJson>,
    pub digest: bool,
}

/// One of the account's tokens (the token itself is never shown again).
#[derive(Object)]
pub struct TokenJson {
    pub id: i64,
    pub name: String,
    pub scope: String,
    pub created_at: time::OffsetDateTime,
    #[oai(nullable)]
    pub expires_at: Option<time::OffsetDateTime>,
    #[oai(nullable)]
    pub last_used_at: Option<time::OffsetDateTime>,
}

#[derive(ApiResponse)]
pub enum MeResponse {
    /// The account.
    #[oai(status = 200)]
    Ok(Json<MeJson>),
}

#[derive(ApiResponse)]
pub enum NotificationsResponse {
    /// A page of notifications.
    #[oai(status = 200)]
    Ok(Json<NotificationList>),
}

#[derive(ApiResponse)]
pub enum ReadResponse {
    /// Every notification is read.
    #[oai(status = 204)]
    Done,
}

#[derive(ApiResponse)]
pub enum FollowingResponse {
    /// What the account follows.
    #[oai(status = 200)]
    Ok(Json<FollowingJson>),
}

#[derive(ApiResponse)]
pub enum MailResponse {
    /// What is mailed to the account.
    #[oai(status = 200)]
    Ok(Json<MailJson>),
}

#[derive(ApiResponse)]
pub enum TokensResponse {
    /// The account's tokens, the newest first.
    #[oai(status = 200)]
    Ok(Json<Vec<TokenJson>>),
}

async fn mail_json(state: &State, req: &Request, auth: &Token) -> ApiResult<MailJson> {
    let settings = board::mail::mail_settings(&state.store, auth.account())
        .await
        .map_err(|err| ApiError::from_board(err, lang(req)))?;
    Ok(MailJson {
        email: settings.email,
        email_verified: settings.verified,
        kinds: NotificationKind::ALL
            .into_iter()
            .filter(|kind| settings.choices.wants(*kind))
            .map(NotificationKindJson::from)
            .collect(),
        digest: settings.digest,
        pending_email: settings.pending_address,
    })
}

#[OpenApi(prefix_path = "/me", tag = "ApiTags::Me")]
impl MeApi {
    /// The account the token speaks for.
    #[oai(path = "/", method = "get", operation_id = "getMe")]
    async fn me(&self, req: &Request, state: Data<&State>, auth: Token) -> ApiResult<MeResponse> {
        let fail = |err| ApiError::from_board(err, lang(req));
        let user = auth.account();
        let profile = board::people::profile(&state.store, &user.username)
            .await
            .map_err(fail)?;
        let mail = board::mail::mail_settings(&state.store, user)
            .await
            .map_err(fail)?;
        let unread = board::notifications::unread(&state.store, user)
            .await
            .map_err(fail)?;
        Ok(MeResponse::Ok(Json(MeJson {
            id: profile.id.0,
            username: profile.username,
            email: mail.email,
            email_verified: mail.verified,
            reputation: profile.reputation,
            joined_at: timestamp(profile.joined_at),
            unread_notifications: unread,
            token_scope: auth.scope().code().to_owned(),
        })))
    }

    /// The account's notifications, the newest first, 20 a page (`before`: the id the previous page's
    /// `next` names). Listing changes nothing; `POST /me/notifications/read` marks them read.
    #[oai(
        path = "/notifications",
        method = "get",
        operation_id = "listNotifications"
    )]
    async fn notifications(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        /// Only notifications older than this one.
        #[oai(validator(minimum(value = "1")))]
        before: Query<Option<i64>>,
    ) -> ApiResult<NotificationsResponse> {
        // A program lists without reading: what is read is said by `POST /me/notifications/read`, which
        // takes a token with write access.
        let inbox = board::notifications::inbox(&state.store, auth.account(), before.0, false)
            .await
            .map_err(|err| ApiError::from_board(err, lang(req)))?;
        Ok(NotificationsResponse::Ok(Json(NotificationList {
            items: inbox
                .notifications
                .iter()
                .map(NotificationJson::from)
                .collect(),
            unread: inbox.unread,
            next: inbox
                .older
                .map(|id| format!("/api/v1/me/notifications?before={id}")),
        })))
    }

    /// Marks every notification read (a token with write access).
    #[oai(
        path = "/notifications/read",
        method = "post",
        operation_id = "readAllNotifications"
    )]
    async fn read_all(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
    ) -> ApiResult<ReadResponse> {
        let user = auth.writer()?;
        board::notifications::read_all(&state.store, user)
            .await
            .map_err(|err| ApiError::from_board(err, lang(req)))?;
        Ok(ReadResponse::Done)
    }

    /// The tags and questions the account follows.
    #[oai(path = "/following", method = "get", operation_id = "getFollowing")]
    async fn following(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
    ) -> ApiResult<FollowingResponse> {
        let following = board::notifications::following(&state.store, auth.account())
            .await
            .map_err(|err| ApiError::from_board(err, lang(req)))?;
        Ok(FollowingResponse::Ok(Json(FollowingJson {
            tags: following
                .tags
                .iter()
                .map(|tag| tag.as_str().to_owned())
                .collect(),
            questions: following
                .questions
                .iter()
                .map(|(id, subject)| FollowedQuestion {
                    id: id.0,
                    subject: subject.clone(),
                })
                .collect(),
            question_count: following.question_count,
        })))
    }

    /// What is mailed to the account.
    #[oai(path = "/mail", method = "get", operation_id = "getMailSettings")]
    async fn mail(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
    ) -> ApiResult<MailResponse> {
        Ok(MailResponse::Ok(Json(mail_json(&state, req, &auth).await?)))
    }

    /// Chooses what is mailed to the account (a token with write access).
    #[oai(path = "/mail", method = "put", operation_id = "setMailSettings")]
    async fn set_mail(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        body: Json<MailInput>,
    ) -> ApiResult<MailResponse> {
        let user = auth.writer()?;
        let choices = MailChoices::new(body.0.kinds.into_iter().map(NotificationKind::from));
        board::mail::choose_mail(&state.store, user, choices, body.0.digest)
            .await
            .map_err(|err| ApiError::from_board(err, lang(req)))?;
        Ok(MailResponse::Ok(Json(mail_json(&state, req, &auth).await?)))
    }

    /// The account's tokens, the newest first (made and revoked on the account page).
    #[oai(path = "/tokens", method = "get", operation_id = "listTokens")]
    async fn tokens(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
    ) -> ApiResult<TokensResponse> {
        let tokens = board::tokens::list(&state.store, auth.account())
            .await
            .map_err(|err| ApiError::from_board(err, lang(req)))?;
        Ok(TokensResponse::Ok(Json(
            tokens
                .iter()
                .map(|token| TokenJson {
                    id: token.id,
                    name: token.name.clone(),
                    scope: token.scope.code().to_owned(),
                    created_at: timestamp(token.created_at),
                    expires_at: token.expires_at.map(timestamp),
                    last_used_at: token.last_used_at.map(timestamp),
                })
                .collect(),
        )))
    }
}
