//! `/api/docs`: the JSON API's reference, a page like any other (the operations themselves are `api`'s).

use std::sync::LazyLock;

use maud::Markup;
use poem::{Route, get, handler};

use crate::views::{PageContext, api_docs::api_docs_page};

pub fn routes(route: Route) -> Route {
    route.at("/api/docs", get(docs))
}

/// The document, read once: it is made from the code, so it is the same for the life of the process.
static DOCUMENT: LazyLock<serde_json::Value> =
    LazyLock::new(|| serde_json::from_str(crate::api::document()).unwrap_or_default());

#[handler]
fn docs(ctx: PageContext) -> Markup {
    api_docs_page(&ctx, &DOCUMENT)
}
