//! The front page.

use maud::Markup;
use poem::{Route, get, handler};

use crate::views::{PageContext, home::home_page};

pub fn routes(route: Route) -> Route {
    route.at("/", get(index))
}

#[handler]
fn index(ctx: PageContext) -> Markup {
    home_page(&ctx)
}
