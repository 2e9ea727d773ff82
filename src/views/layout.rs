//! The base layout (pybo's base.html): navbar, flash messages, main container.

use maud::{DOCTYPE, Markup, html};

use super::PageContext;
use crate::{assets, i18n::Lang};

/// htmx settings: no inline styles or eval (the CSP allows neither), no page copies in localStorage (a shared
/// computer must not show a logged-out user's pages from history), and error pages swapped in like any page.
const HTMX_CONFIG: &str = r#"{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,"historyCacheSize":0,"responseHandling":[{"code":"204","swap":false},{"code":"...","swap":true}]}"#;

/// What a page's `<head>` tells search engines and link previews, besides its title.
#[derive(Default)]
pub struct Head {
    /// `<meta name="description">`: the site's own when `None`.
    pub description: Option<String>,
    /// The page's own path, its parameters in canonical order (absolute with `public_url`).
    pub canonical: Option<String>,
    /// Kept out of search indexes: search results, pages past the end, error pages, forms.
    pub noindex: bool,
    /// Open Graph and Twitter card tags, for a question shared as a link.
    pub social: bool,
    /// The path of the Atom feed that follows this page, linked for feed readers.
    pub feed: Option<String>,
}

/// A full HTML page around `content`, with the site's description.
pub fn page(ctx: &PageContext, title: &str, content: Markup) -> Markup {
    page_with(ctx, title, &Head::default(), content)
}

/// A full HTML page around `content`, its head as `head` says.
pub fn page_with(ctx: &PageContext, title: &str, head: &Head, content: Markup) -> Markup {
    let t = ctx.t();
    let description = head.description.as_deref().unwrap_or(t.site_description);
    let canonical = head.canonical.as_deref().map(|path| ctx.absolute(path));
    html! {
        (DOCTYPE)
        html lang=(ctx.lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="htmx-config" content=(HTMX_CONFIG);
                title { (title) " · " (t.site_name) }
                meta name="description" content=(description);
                @if let Some(url) = &canonical { link rel="canonical" href=(url); }
                @if head.noindex { meta name="robots" content="noindex"; }
                @if let Some(feed) = &head.feed {
                    link rel="alternate" type="application/atom+xml" title=(t.feed_link_title) href=(ctx.absolute(feed));
                }
                @if head.social {
                    meta property="og:type" content="article";
                    meta property="og:site_name" content=(t.site_name);
                    meta property="og:title" content=(title);
                    meta property="og:description" content=(description);
                    // Open Graph wants a full address: only when the board's is known.
                    @if let Some(url) = canonical.as_ref().filter(|url| url.starts_with("http")) {
                        meta property="og:url" content=(url);
                    }
                    meta property="og:locale" content=(if ctx.lang == Lang::Ko { "ko_KR" } else { "en_US" });
                    meta name="twitter:card" content="summary";
                }
                link rel="icon" type="image/svg+xml" href=(assets::url("favicon.svg"));
                link rel="stylesheet" href=(assets::url("vendor/bootstrap.min.css"));
                link rel="stylesheet" href=(assets::url("app.css"));
                script src=(assets::url("vendor/htmx.min.js")) defer {}
            }
            body hx-boost="true" hx-headers=[csrf_header(ctx)] {
                a.skip-link.btn.btn-light href="#main" { (t.skip_to_content) }
                (navbar(ctx))
                div #flash .container.mt-3 aria-live="polite" {
                    @for flash in &ctx.flashes {
                        div.alert.(flash.bootstrap_class()) role="status" { (flash.text(t)) }
                    }
                }
                main #main .container.mb-5 tabindex="-1" { (content) }
            }
        }
    }
}

/// The `hx-headers` value that makes every htmx request carry the CSRF token. A visitor's pages have no
/// htmx POST and carry no token, so they are the same for every visitor (and can be cached).
fn csrf_header(ctx: &PageContext) -> Option<String> {
    let token = ctx.csrf_token.as_ref().filter(|_| ctx.user.is_some())?;
    Some(serde_json::json!({ "X-CSRF-Token": token }).to_string())
}

fn navbar(ctx: &PageContext) -> Markup {
    let t = ctx.t();
    html! {
        nav.navbar.navbar-expand.bg-body-tertiary.border-bottom #site-nav aria-label=(t.site_name) {
            div.container.flex-wrap.gap-2 {
                a.navbar-brand.fw-semibold href="/" { (t.site_name) }
                ul.navbar-nav.me-auto {
                    li.nav-item { a.nav-link href="/" { (t.nav_questions) } }
                    li.nav-item { a.nav-link href="/tags" { (t.nav_tags) } }
                    li.nav-item { a.nav-link href="/users" { (t.nav_users) } }
                }
                div.d-flex.flex-wrap.align-items-center.gap-2 {
                    (language_switch(ctx, false))
                    @match &ctx.user {
                        Some(user) => {
                            @if ctx.is_staff() {
                                a.nav-link.px-1 href="/admin/log" title=(t.nav_moderation_log) data-staff-link {
                                    span aria-hidden="true" { "♦" }
                                    span.visually-hidden { (t.nav_moderation_log) }
                                }
                                @let review = crate::i18n::fill(t.nav_review, &[&ctx.open_flags.to_string()]);
                                a.nav-link.px-1 href="/review" title=(review) data-review-link=(ctx.open_flags) {
                                    span aria-hidden="true" { "⚑" }
                                    @if ctx.open_flags > 0 {
                                        " " span.badge.text-bg-danger aria-hidden="true" { (ctx.open_flags) }
                                    }
                                    span.visually-hidden { (review) }
                                }
                            }
                            (super::notifications::inbox_link(ctx))
                            a.nav-link.px-1 href="/account" title=(t.nav_account) { (user.username) }
                            @if let Some(token) = &ctx.csrf_token {
                                form method="post" action="/logout" {
                                    (csrf_field(token))
                                    button.btn.btn-outline-dark.btn-sm type="submit" { (t.nav_logout) }
                                }
                            }
                        }
                        None => {
                            a.nav-link.px-1 href=(login_href(&ctx.here)) { (t.nav_login) }
                            a.btn.btn-primary.btn-sm href="/signup" { (t.nav_signup) }
                        }
                    }
                }
            }
        }
    }
}

/// The language switch. A POST, so no image or link elsewhere can switch a reader's language; without a
/// token (the server checks it comes from this site), so visitors' pages stay the same for every visitor. A
/// full reload, not a boosted swap: `<html lang>` must change too. `out_of_band` makes the copy an htmx
/// fragment sends along to replace the navbar's, so the switch comes back to the URL htmx pushed (an answer
/// page or sort swapped in place), not to the page first loaded.
pub fn language_switch(ctx: &PageContext, out_of_band: bool) -> Markup {
    let t = ctx.t();
    let other = match ctx.lang {
        Lang::En => Lang::Ko,
        Lang::Ko => Lang::En,
    };
    html! {
        form #language-switch method="post" action="/lang" hx-boost="false"
            hx-swap-oob=[out_of_band.then_some("true")] {
            input type="hidden" name="lang" value=(other.code());
            input type="hidden" name="next" value=(ctx.here);
            button.btn.btn-link.btn-sm type="submit" lang=(other.code())
                aria-label=(format!("{}: {}", t.language_label, other.texts().language_name)) {
                (other.texts().language_name)
            }
        }
    }
}

/// The hidden field every POST form carries.
pub fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name="csrf_token" value=(token); }
}

/// `/login`, coming back to `here` afterwards unless that is an account page or the front page.
pub fn login_href(here: &str) -> String {
    let plain = here == "/" || here.starts_with("/login") || here.starts_with("/signup");
    if plain {
        "/login".into()
    } else {
        format!("/login?next={}", encode_query_value(here))
    }
}

/// Percent-encodes a value for a query string.
pub fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_links_come_back_to_the_page_they_were_on() {
        assert_eq!(login_href("/"), "/login");
        assert_eq!(login_href("/login?next=/x"), "/login");
        assert_eq!(
            login_href("/questions?page=2&q=a b"),
            "/login?next=/questions%3Fpage%3D2%26q%3Da%20b"
        );
    }
}
