//! `/tags` (every tag by number of questions, with a name filter) and `/tags/{name}` (a tag's questions).

use std::sync::Arc;

use maud::{Markup, html};
use poem::{
    IntoResponse, Request, Response, Route, get, handler,
    web::{Data, Path, Redirect},
};

use super::{AppState, handler_kit::QueryParams, page_cache::same_for_every_visitor};
use crate::{
    board,
    domain::{
        board::{ListSort, parse_page},
        search::SearchQuery,
        tags::{TagName, Tags, is_separator, name_prefix},
    },
    error::{AppError, AppResult},
    views::{
        PageContext,
        questions::{ListView, list_page},
        tags::{TagsView, tag_suggestions, tags_page},
        urls,
    },
};

pub fn routes(route: Route) -> Route {
    route
        .at("/tags", get(list))
        .at("/tags/:name", get(questions))
        .at("/tag-suggestions", get(suggest))
}

/// Suggestions offered for the name being typed.
const SUGGESTIONS: usize = 8;

/// The tags field's suggestions as it is typed: the most used tags that start with the name being typed
/// (the last one), each option completing it. Empty for nothing to complete.
#[handler]
async fn suggest(
    req: &Request,
    ctx: PageContext,
    state: Data<&Arc<AppState>>,
) -> AppResult<Markup> {
    let params = QueryParams::of(req);
    let typed = params.get("tags").unwrap_or_default();
    // Help, not a page: a field no person types, or a client at its search limit, gets nothing.
    if typed.len() > Tags::LONGEST_FIELD
        || state
            .searches
            .try_take(
                super::middleware::client_key(req),
                ctx.user.as_ref().map(|user| user.id),
            )
            .is_err()
    {
        return Ok(html! {});
    }
    let last_starts = typed
        .char_indices()
        .rev()
        .find(|(_, c)| is_separator(*c))
        .map_or(0, |(at, c)| at + c.len_utf8());
    let (before, last) = typed.split_at(last_starts);
    let prefix = name_prefix(last);
    // The names typed already are not offered again, and a field holding five takes no more.
    let typed_names: Vec<TagName> = before
        .split(is_separator)
        .filter_map(|name| TagName::parse(name).ok())
        .collect();
    if prefix.is_empty() || typed_names.len() >= Tags::MAX {
        return Ok(html! {});
    }
    let found = state.store.tag_list(prefix, 1).await?;
    let shown: Vec<_> = found
        .tags
        .into_iter()
        .filter(|tag| !typed_names.contains(&tag.name))
        .take(SUGGESTIONS)
        .collect();
    Ok(tag_suggestions(&ctx, before, &shown))
}

#[handler]
async fn list(req: &Request, ctx: PageContext, state: Data<&Arc<AppState>>) -> AppResult<Response> {
    let params = QueryParams::of(req);
    let prefix = name_prefix(params.get("q").unwrap_or_default());
    let requested = parse_page(params.get("page"));
    let found = state.store.tag_list(prefix.clone(), requested).await?;
    Ok(same_for_every_visitor(tags_page(
        &ctx,
        &TagsView {
            prefix: &prefix,
            list: &found,
            past_end: requested > found.page,
        },
    )))
}

/// A tag's questions, with the main list's tabs and pages. A name typed in another case (or full-width)
/// is sent to the tag's own address; a name no tag could have, or one no question carries, is a 404.
#[handler]
async fn questions(
    req: &Request,
    Path(typed): Path<String>,
    ctx: PageContext,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    let name = TagName::parse(&typed).map_err(|_| AppError::NotFound)?;
    let params = QueryParams::of(req);
    let sort = ListSort::parse(params.get("sort"), false);
    let requested = parse_page(params.get("page"));
    // One address per tag, as typed in the path (`%72ust` is `rust` spelt another way): the page cache
    // keeps only that one.
    let own = urls::tag(&name, ListSort::Recent, 1);
    if name.as_str() != typed || req.uri().path() != own {
        return Ok(Redirect::moved_permanent(urls::tag(&name, sort, requested)).into_response());
    }
    let (tag, found) = state
        .store
        .tag_questions(name, sort, requested)
        .await?
        .ok_or(AppError::NotFound)?;
    let query = SearchQuery::default();
    let mut view = ListView::browsing("", &query, sort, requested, &found, Some(&tag));
    if let Some(user) = &ctx.user {
        view.tag_followed =
            board::notifications::follows_tag(&state.store, user, &tag.name).await?;
    }
    Ok(same_for_every_visitor(list_page(&ctx, &view)))
}
