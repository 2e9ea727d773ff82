//! `/users` (everyone by reputation, with a name filter) and `/users/{name}` (a profile and its posts).

use std::sync::Arc;

use poem::{
    IntoResponse, Request, Response, Route, get, handler,
    web::{Data, Path, Redirect},
};

use super::{
    AppState, handler_kit::QueryParams, page_cache::same_for_every_visitor, session::wants_fragment,
};
use crate::{
    board,
    domain::{board::parse_page, people::ProfileTab},
    error::AppResult,
    views::{
        PageContext,
        layout::language_switch,
        urls,
        users::{ProfileView, UsersView, profile_page, profile_posts, users_page},
    },
};

pub fn routes(route: Route) -> Route {
    route
        .at("/users", get(list))
        .at("/users/:name", get(profile))
}

#[handler]
async fn list(req: &Request, ctx: PageContext, state: Data<&Arc<AppState>>) -> AppResult<Response> {
    let params = QueryParams::of(req);
    let requested = parse_page(params.get("page"));
    let (prefix, found) =
        board::people::users(&state.store, params.get("q").unwrap_or_default(), requested).await?;
    Ok(same_for_every_visitor(users_page(
        &ctx,
        &UsersView {
            prefix: &prefix,
            list: &found,
            past_end: requested > found.page,
        },
    )))
}

/// A profile with one page of one tab; htmx picking a tab or page gets just `#profile-posts`. A name typed
/// in another case (or full-width) is sent to the profile's own address; no such user is a 404.
#[handler]
async fn profile(
    req: &Request,
    Path(typed): Path<String>,
    ctx: PageContext,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    let params = QueryParams::of(req);
    let tab = ProfileTab::parse(params.get("tab"));
    let requested = parse_page(params.get("page"));
    let profile = board::people::profile(&state.store, &typed).await?;
    // One address per user, as typed in the path: the page cache keeps only that one.
    if req.uri().path() != urls::user(&profile.username, ProfileTab::default(), 1) {
        return Ok(
            Redirect::moved_permanent(urls::user(&profile.username, tab, requested))
                .into_response(),
        );
    }
    let posts = board::people::posts(&state.store, &profile, tab, requested, ctx.reader()).await?;
    if wants_fragment(req) {
        // The language switch comes along, so it comes back to the address htmx pushed.
        let fragment = maud::html! {
            (profile_posts(&ctx, &profile, &posts))
            (language_switch(&ctx, true))
        };
        return Ok(same_for_every_visitor(fragment));
    }
    let (page, _) = posts.page_and_total();
    let top_tags = board::people::top_tags(&state.store, &profile).await?;
    Ok(same_for_every_visitor(profile_page(
        &ctx,
        &ProfileView {
            profile: &profile,
            top_tags: &top_tags,
            posts: &posts,
            past_end: requested > page,
        },
    )))
}
