//! The inbox (`/notifications`), its count in the navbar, and following questions and tags: toggles that
//! give htmx the button back and send a browser without JavaScript back to the page it was on.

use std::sync::Arc;

use poem::{
    Endpoint, IntoResponse, Request, Response, Route, get, handler, post,
    session::Session,
    web::{Data, Form, Path, Redirect},
};
use serde::Deserialize;

use super::{
    AppState,
    handler_kit::QueryParams,
    session::{RequireUser, current_user, referer_path, wants_fragment},
};
use crate::{
    board,
    domain::moderation::Standing,
    domain::{board::AnswerSort, ids::QuestionId},
    error::AppResult,
    views::{
        PageContext,
        follows::{FollowButton, follow_button},
        notifications::inbox_page,
        urls,
    },
};

pub fn routes(route: Route) -> Route {
    route
        .at("/notifications", get(inbox))
        .at("/notifications/read-all", post(read_all))
        .at("/questions/:id/follow", post(follow_question))
        .at("/tags/:name/follow", post(follow_tag))
}

/// Where the logged-in user stands (role, suspension, unread count), read once per request by
/// [`read_standing`]: pages show the count and the controls the role allows.
#[derive(Clone, Debug)]
pub struct CurrentStanding(pub Standing);

/// Reads where the logged-in user stands, for the page this request makes (not for a fragment: none has
/// a navbar or a staff control, and a like toggle is the hottest write; nor for a visitor, who has no
/// standing). One row by its key; a failure only leaves it out (the page shows what a user sees).
pub async fn read_standing<E: Endpoint>(next: Arc<E>, mut req: Request) -> poem::Result<Response> {
    let user = req.extensions().get::<Session>().and_then(current_user);
    if let (Some(user), Some(state)) = (user, req.data::<Arc<AppState>>().cloned())
        && !wants_fragment(&req)
    {
        match board::moderation::standing(&state.store, &user).await {
            Ok(standing) => {
                req.extensions_mut().insert(CurrentStanding(standing));
            }
            Err(err) => tracing::warn!(%err, "standing not read"),
        }
    }
    Ok(next.call(req).await?.into_response())
}

/// A page of the inbox: the newest, or those before `?before=`. Showing them marks them read.
#[handler]
async fn inbox(
    req: &Request,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    let params = QueryParams::of(req);
    let before = params.get("before").and_then(|raw| raw.parse::<i64>().ok());
    let inbox = board::notifications::inbox(&state.store, &user, before, true).await?;
    // The navbar's count as it is now that this page is read.
    let mut ctx = super::session::page_context(req, true);
    ctx.unread_notifications = ctx
        .unread_notifications
        .map(|_| inbox.unread - inbox.notifications.iter().filter(|n| !n.read).count() as i64)
        .map(|left| left.max(0));
    Ok(inbox_page(&ctx, &inbox).into_response())
}

#[handler]
async fn read_all(
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    board::notifications::read_all(&state.store, &user).await?;
    Ok(Redirect::see_other("/notifications").into_response())
}

/// What a follow button sends: the state it asks for (`true` or `false`), so a stale button (another tab, a
/// second click without JavaScript) does what it said; without it, the other of the two.
#[derive(Deserialize)]
struct FollowForm {
    follow: Option<String>,
}

impl FollowForm {
    fn wanted(&self) -> Option<bool> {
        match self.follow.as_deref() {
            Some("true") => Some(true),
            Some("false") => Some(false),
            _ => None,
        }
    }
}

#[handler]
async fn follow_question(
    req: &Request,
    Path(id): Path<QuestionId>,
    ctx: PageContext,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
    Form(form): Form<FollowForm>,
) -> AppResult<Response> {
    let following =
        board::notifications::follow_question(&state.store, &user, id, form.wanted()).await?;
    let button = FollowButton::question(&ctx, id, following);
    respond(req, &ctx, &button, urls::question(id, AnswerSort::Likes, 1))
}

#[handler]
async fn follow_tag(
    req: &Request,
    Path(typed): Path<String>,
    ctx: PageContext,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
    Form(form): Form<FollowForm>,
) -> AppResult<Response> {
    let (tag, following) =
        board::notifications::follow_tag(&state.store, &user, &typed, form.wanted()).await?;
    let button = FollowButton::tag(&ctx, &tag, following);
    respond(req, &ctx, &button, urls::tag(&tag, Default::default(), 1))
}

/// The button for htmx; for a form sent without JavaScript, the page it was on (or `fallback`).
fn respond(
    req: &Request,
    ctx: &PageContext,
    button: &FollowButton,
    fallback: String,
) -> AppResult<Response> {
    if wants_fragment(req) {
        return Ok(follow_button(ctx, button).into_response());
    }
    let back = referer_path(req).unwrap_or(fallback);
    Ok(Redirect::see_other(back).into_response())
}
