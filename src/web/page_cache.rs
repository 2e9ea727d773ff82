//! Visitors' pages, kept in memory until the next write. A visitor (no session cookie) sees the same list,
//! search or question page as every other visitor in the same language: no name, no flash, no CSRF token.
//! Such a page is rendered once and served from memory until this process commits any write, so a new post,
//! an edit or a like shows on the very next request. Entries also lapse after [`MAX_AGE`], for changes made
//! to the file by another process (an operator's `sqlite3`).
//!
//! Keys are built from the parsed parameters in one order, so junk parameters or another order cannot make
//! every request a miss, and when the cache is full the least recently used pages go, a few at a time.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use bytes::Bytes;
use poem::{
    Body, Endpoint, IntoResponse, Request, Response,
    http::{HeaderMap, Method, StatusCode, header},
};
use tokio::sync::{Notify, futures::OwnedNotified};

use super::{
    AppState,
    compression::{self, Coding},
    handler_kit::QueryParams,
    session::{CookieNames, request_lang, wants_fragment},
};
use crate::{
    domain::{
        board::{AnswerSort, ListSort, QuestionId, parse_id, parse_page},
        people::{self, ProfileTab},
        search::SearchQuery,
        tags::{TagName, name_prefix},
    },
    i18n::Lang,
    views::urls,
};
use percent_encoding::percent_decode_str;

/// How long an entry may be served at most, whatever the write count says.
pub const MAX_AGE: Duration = Duration::from_secs(2);

/// The most page bytes kept (a list page is about 11 KB); the peak memory target leaves room for this.
pub const CAPACITY_BYTES: usize = 4 * 1024 * 1024;

/// A page bigger than this share of the capacity is not kept: a few huge pages must not push out hundreds
/// of ordinary ones.
const LARGEST_SHARE: usize = 16;

/// Put on a response by a handler whose output depends only on the URL, the language, whether htmx asked
/// for a fragment, and the database: the pages a visitor sees.
#[derive(Clone, Copy)]
pub struct SameForEveryVisitor;

/// Marks `page` as cacheable for visitors (see [`SameForEveryVisitor`]).
pub fn same_for_every_visitor(page: impl IntoResponse) -> Response {
    let mut response = page.into_response();
    response.extensions_mut().insert(SameForEveryVisitor);
    response
}

#[derive(Clone, Hash, PartialEq, Eq)]
struct Key {
    lang: Lang,
    fragment: bool,
    path_and_query: String,
}

struct Entry {
    /// What it holds in memory, roughly: its body, key and headers.
    cost: usize,
    generation: u64,
    stored_at: Instant,
    /// When it was last served, for the least-recently-used eviction.
    used_at: Instant,
    headers: HeaderMap,
    body: Bytes,
    /// The body compressed, in each coding a visitor asked for so far: compressed once per page, not per hit.
    encoded: Vec<(Coding, Bytes)>,
}

/// A page found in the cache: its headers and the body in the coding asked for, if it was made already, or
/// else uncompressed.
struct Hit {
    headers: HeaderMap,
    body: Bytes,
    coding: Coding,
}

#[derive(Default)]
struct Entries {
    pages: HashMap<Key, Entry>,
    bytes: usize,
}

/// The cache; one per process, shared by every request.
pub struct PageCache {
    entries: Mutex<Entries>,
    capacity_bytes: usize,
    /// Pages being rendered: who asks for one meanwhile waits for it instead of rendering it again (after a
    /// write, 64 waiting visitors would otherwise run the same search 64 times).
    rendering: Mutex<HashMap<Key, Arc<Notify>>>,
}

/// What a request that missed the cache does.
enum Turn<'a> {
    /// Render the page; the guard lets the waiters go when dropped, even if the request is cancelled.
    Render(Rendering<'a>),
    /// Another request is rendering it: wait, then look again.
    Wait(OwnedNotified),
}

struct Rendering<'a> {
    cache: &'a PageCache,
    key: Key,
}

impl Drop for Rendering<'_> {
    fn drop(&mut self) {
        let mut rendering = lock(&self.cache.rendering);
        if let Some(done) = rendering.remove(&self.key) {
            done.notify_waiters();
        }
    }
}

use crate::sync::lock;

impl Default for PageCache {
    fn default() -> Self {
        Self::with_capacity(CAPACITY_BYTES)
    }
}

impl PageCache {
    pub fn with_capacity(capacity_bytes: usize) -> Self {
        Self {
            entries: Mutex::default(),
            capacity_bytes,
            rendering: Mutex::default(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        lock(&self.entries)
    }

    fn turn(&self, key: &Key) -> Turn<'_> {
        let mut rendering = lock(&self.rendering);
        if let Some(done) = rendering.get(key) {
            // Made under the lock, so the renderer's wake-up cannot slip in before it.
            return Turn::Wait(done.clone().notified_owned());
        }
        rendering.insert(key.clone(), Arc::new(Notify::new()));
        Turn::Render(Rendering {
            cache: self,
            key: key.clone(),
        })
    }

    fn get(&self, key: &Key, generation: u64, coding: Coding) -> Option<Hit> {
        let now = Instant::now();
        let mut entries = self.lock();
        let entry = entries.pages.get_mut(key)?;
        if !entry.is_current_at(generation, now) {
            return None;
        }
        entry.used_at = now;
        let encoded = entry.encoded.iter().find(|(made, _)| *made == coding);
        let (coding, body) = match encoded {
            Some((made, body)) => (*made, body.clone()),
            None => (Coding::Identity, entry.body.clone()),
        };
        Some(Hit {
            headers: entry.headers.clone(),
            body,
            coding,
        })
    }

    /// Keeps `body` compressed in `coding` beside the page it was made from, if the page is still current and
    /// there is room.
    fn add_encoding(&self, key: &Key, generation: u64, coding: Coding, body: Bytes) {
        let mut entries = self.lock();
        let room = self.capacity_bytes.saturating_sub(entries.bytes);
        let Some(entry) = entries.pages.get_mut(key) else {
            return;
        };
        if entry.generation != generation
            || body.len() > room
            || entry.encoded.iter().any(|(made, _)| *made == coding)
        {
            return;
        }
        entry.cost += body.len();
        entry.encoded.push((coding, body.clone()));
        entries.bytes += body.len();
    }

    /// The response for a page from the cache or just rendered: in `wanted` coding, compressed now (and kept)
    /// if this page has not been yet.
    fn respond(&self, key: &Key, generation: u64, hit: Hit, wanted: Coding) -> Response {
        let Hit {
            mut headers,
            mut body,
            mut coding,
        } = hit;
        if coding != wanted
            && body.len() >= compression::SMALLEST_COMPRESSED
            && let Some(encoded) = wanted.compress(&body)
        {
            self.add_encoding(key, generation, wanted, encoded.clone());
            (body, coding) = (encoded, wanted);
        }
        compression::mark(&mut headers, coding);
        let mut response = Response::builder()
            .status(StatusCode::OK)
            .body(Body::from(body));
        *response.headers_mut() = headers;
        response
    }

    fn put(&self, key: Key, generation: u64, headers: HeaderMap, body: Bytes) {
        let cost = entry_cost(&key, &headers, &body);
        if cost > self.capacity_bytes / LARGEST_SHARE {
            return;
        }
        let now = Instant::now();
        let mut entries = self.lock();
        if let Some(old) = entries.pages.remove(&key) {
            entries.bytes -= old.cost;
        }
        if entries.bytes + cost > self.capacity_bytes {
            // Out-of-date entries go first, then the least recently served, down to three quarters of the
            // capacity: the next quarter fills without another pass, so a crawler's stream of new URLs costs
            // no more per page than one hit, and pages in use stay.
            entries
                .pages
                .retain(|_, entry| entry.is_current_at(generation, now));
            let target = self.capacity_bytes / 4 * 3;
            let mut held: usize = entries.pages.values().map(|entry| entry.cost).sum();
            if held + cost > target {
                let mut by_use: Vec<(Instant, Key, usize)> = entries
                    .pages
                    .iter()
                    .map(|(key, entry)| (entry.used_at, key.clone(), entry.cost))
                    .collect();
                by_use.sort_unstable_by_key(|(used_at, _, _)| *used_at);
                for (_, key, size) in by_use {
                    if held + cost <= target {
                        break;
                    }
                    entries.pages.remove(&key);
                    held -= size;
                }
            }
            entries.bytes = held;
        }
        entries.bytes += cost;
        entries.pages.insert(
            key,
            Entry {
                cost,
                generation,
                stored_at: now,
                used_at: now,
                headers,
                body,
                encoded: Vec::new(),
            },
        );
    }
}

/// What an entry holds: the body, the key, the headers, and the map's own bookkeeping.
fn entry_cost(key: &Key, headers: &HeaderMap, body: &Bytes) -> usize {
    const OVERHEAD: usize = 256;
    let header_bytes: usize = headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 32)
        .sum();
    body.len() + 2 * key.path_and_query.len() + header_bytes + OVERHEAD
}

impl Entry {
    fn is_current_at(&self, generation: u64, now: Instant) -> bool {
        self.generation == generation && now.duration_since(self.stored_at) < MAX_AGE
    }
}

/// The cache key of a visitor's GET; `None` for anyone with a session or a message waiting (their pages
/// carry their name or the message).
fn visitor_key(req: &Request) -> Option<Key> {
    if req.method() != Method::GET || CookieNames::personal(req) {
        return None;
    }
    Some(Key {
        lang: request_lang(req),
        fragment: wants_fragment(req),
        path_and_query: canonical_page(req.uri().path(), &QueryParams::of(req))?,
    })
}

/// The canonical URL of a page whose handler marks it [`SameForEveryVisitor`], or `None` for any other
/// path: the list and search (`/`, `/questions`: `q`, `sort`, `page`), a question (`/questions/ID`:
/// `asort`, `apage`), the tags (`/tags`: `q`, `page`), a tag's list (`/tags/NAME`: `sort`, `page`), the
/// users (`/users`: `q`, `page`), a profile (`/users/NAME`: `tab`, `page`) and the feeds. Only the parameters the page reads, parsed, in one order, defaults left out, and the
/// id without leading zeros: the page depends on nothing else, so URLs with one canonical form share an
/// entry (and junk cannot make every request a miss).
fn canonical_page(path: &str, params: &QueryParams) -> Option<String> {
    // Feeds read no parameters; a tag's must be its own spelling, as for its list.
    if path == "/feeds/questions.atom" {
        return Some(path.to_owned());
    }
    if let Some(feed) = path.strip_suffix("/feed.atom") {
        let own = if let Some(typed) = feed.strip_prefix("/tags/") {
            let name = TagName::parse(&percent_decode_str(typed).decode_utf8().ok()?).ok()?;
            urls::tag_feed(&name)
        } else {
            urls::question_feed(QuestionId(parse_id(feed.strip_prefix("/questions/")?)?))
        };
        return (own == path).then(|| path.to_owned());
    }
    let mut canonical: Vec<(&str, String)> = Vec::new();
    let path = if path == "/" || path == "/questions" {
        let q = params.get("q").unwrap_or_default();
        let searching = !SearchQuery::parse(q).is_empty();
        if !q.trim().is_empty() {
            canonical.push(("q", SearchQuery::cut(q)));
        }
        let sort = ListSort::parse(params.get("sort"), searching);
        if sort != ListSort::default_for(searching) {
            canonical.push(("sort", sort.code().to_owned()));
        }
        push_page(&mut canonical, "page", params);
        path.to_owned()
    } else if path == "/tags" || path == "/users" {
        let prefix = if path == "/tags" {
            name_prefix(params.get("q").unwrap_or_default())
        } else {
            people::name_prefix(params.get("q").unwrap_or_default())
        };
        if !prefix.is_empty() {
            canonical.push(("q", prefix));
        }
        push_page(&mut canonical, "page", params);
        path.to_owned()
    } else if let Some(typed) = path.strip_prefix("/users/") {
        // A name as its profile's address spells it (which name that is, only the database knows: another
        // spelling is a redirect, and a redirect is not kept).
        let name = percent_decode_str(typed).decode_utf8().ok()?;
        let tab = ProfileTab::parse(params.get("tab"));
        if tab != ProfileTab::default() {
            canonical.push(("tab", tab.code().to_owned()));
        }
        push_page(&mut canonical, "page", params);
        let own = urls::user(&name, ProfileTab::default(), 1);
        if own != path {
            return None;
        }
        own
    } else if let Some(typed) = path.strip_prefix("/tags/") {
        // Only a tag's own address: another spelling is a redirect, not a page to keep.
        let name = TagName::parse(&percent_decode_str(typed).decode_utf8().ok()?).ok()?;
        let sort = ListSort::parse(params.get("sort"), false);
        if sort != ListSort::Recent {
            canonical.push(("sort", sort.code().to_owned()));
        }
        push_page(&mut canonical, "page", params);
        let own = urls::tag(&name, ListSort::Recent, 1);
        if own != path {
            return None;
        }
        own
    } else {
        let id = parse_id(path.strip_prefix("/questions/")?)?;
        let answer_sort = AnswerSort::parse(params.get("asort"));
        if answer_sort != AnswerSort::default() {
            canonical.push(("asort", answer_sort.code().to_owned()));
        }
        push_page(&mut canonical, "apage", params);
        format!("/questions/{id}")
    };
    match serde_urlencoded::to_string(&canonical) {
        Ok(query) if !query.is_empty() => Some(format!("{path}?{query}")),
        _ => Some(path),
    }
}

fn push_page(canonical: &mut Vec<(&str, String)>, name: &'static str, params: &QueryParams) {
    let page = parse_page(params.get(name));
    if page != 1 {
        canonical.push((name, page.to_string()));
    }
}

/// Outside the session and CSRF layers: a visitor's page from memory when nothing was written since it was
/// rendered, else rendered and kept if its handler marked it [`SameForEveryVisitor`].
pub async fn serve_visitor_pages<E: Endpoint>(
    next: Arc<E>,
    mut req: Request,
) -> poem::Result<Response> {
    let cache = req.data::<Arc<AppState>>().cloned();
    let (Some(state), Some(key)) = (cache, visitor_key(&req)) else {
        return next.call(req).await.map(IntoResponse::into_response);
    };
    let wanted = Coding::for_page(&req);
    let mut waited = false;
    let (generation, _rendering) = loop {
        // Read before the page is: a write committed while it renders makes the entry out of date at once.
        let generation = state.generation();
        if let Some(hit) = state.pages.get(&key, generation, wanted) {
            return Ok(state.pages.respond(&key, generation, hit, wanted));
        }
        match state.pages.turn(&key) {
            Turn::Render(rendering) => break (generation, Some(rendering)),
            // Once only: after a write that lands mid-render, waiting again could go on for as long as the
            // writes do.
            Turn::Wait(_) if waited => break (generation, None),
            Turn::Wait(done) => {
                done.await;
                waited = true;
            }
        }
    };
    // The handler sees the canonical URL, so what it renders (links back to "here") matches the key.
    if let Ok(uri) = key.path_and_query.parse() {
        *req.uri_mut() = uri;
    }
    let response = next.call(req).await?.into_response();
    if response.status() != StatusCode::OK
        || response.extensions().get::<SameForEveryVisitor>().is_none()
    {
        return Ok(response);
    }
    let (parts, body) = response.into_parts();
    let body = body.into_bytes().await?;
    let mut shared_headers = parts.headers.clone();
    // The CSRF cookie handed to this visitor is theirs alone.
    shared_headers.remove(header::SET_COOKIE);
    state
        .pages
        .put(key.clone(), generation, shared_headers, body.clone());
    let rendered = Hit {
        headers: parts.headers,
        body,
        coding: Coding::Identity,
    };
    Ok(state.pages.respond(&key, generation, rendered, wanted))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(path: &str) -> Key {
        Key {
            lang: Lang::En,
            fragment: false,
            path_and_query: path.into(),
        }
    }

    fn page(bytes: usize) -> Bytes {
        Bytes::from(vec![b'x'; bytes])
    }

    #[test]
    fn only_the_list_search_and_question_pages_are_looked_up_by_their_parameters() {
        let params =
            |query: &str| QueryParams(serde_urlencoded::from_str(query).unwrap_or_default());
        let canonical = |path: &str, query: &str| canonical_page(path, &params(query));
        assert_eq!(canonical("/", "z=1&page=1&sort=recent"), Some("/".into()));
        assert_eq!(
            canonical("/questions", "sort=likes&q=a+b&page=02&apage=9"),
            Some("/questions?q=a+b&sort=likes&page=2".into())
        );
        assert_eq!(
            canonical("/questions/007", "q=junk&asort=recent&apage=3&page=4"),
            Some("/questions/7?asort=recent&apage=3".into())
        );
        for path in [
            "/login",
            "/questions/new",
            "/questions/12/edit",
            "/questions/",
            "/questions/0",
        ] {
            assert_eq!(canonical(path, ""), None, "{path}");
        }
    }

    #[test]
    fn a_write_makes_every_entry_out_of_date() {
        let cache = PageCache::with_capacity(TEST_CAPACITY);
        cache.put(key("/"), 7, HeaderMap::new(), page(10));
        assert!(cache.get(&key("/"), 7, Coding::Identity).is_some());
        assert!(cache.get(&key("/"), 8, Coding::Identity).is_none());
        assert!(cache.get(&key("/?page=2"), 7, Coding::Identity).is_none());
    }

    /// Room for about 20 pages of 900 bytes; a page may cost 1/16 of it.
    const TEST_CAPACITY: usize = 20_000;

    #[test]
    fn memory_stays_within_capacity() {
        let cache = PageCache::with_capacity(TEST_CAPACITY);
        for n in 0..100 {
            cache.put(key(&format!("/?page={n}")), 1, HeaderMap::new(), page(900));
            let entries = cache.lock();
            let held: usize = entries.pages.values().map(|e| e.cost).sum();
            assert_eq!(held, entries.bytes);
            assert!(held <= TEST_CAPACITY, "{held} bytes held");
        }
        // The newest page is always kept.
        assert!(cache.get(&key("/?page=99"), 1, Coding::Identity).is_some());
        // A page too big to be worth keeping is not kept.
        let big = page(TEST_CAPACITY / LARGEST_SHARE + 1);
        cache.put(key("/big"), 1, HeaderMap::new(), big);
        assert!(cache.get(&key("/big"), 1, Coding::Identity).is_none());
        // Nor is a small page under a huge key: keys and headers count too.
        cache.put(key(&"/?q=".repeat(1000)), 1, HeaderMap::new(), page(10));
        assert!(
            cache
                .get(&key(&"/?q=".repeat(1000)), 1, Coding::Identity)
                .is_none()
        );
    }

    #[test]
    fn when_full_out_of_date_pages_go_before_current_ones() {
        let cache = PageCache::with_capacity(TEST_CAPACITY);
        for n in 0..12 {
            cache.put(key(&format!("/old/{n}")), 1, HeaderMap::new(), page(900));
        }
        for n in 0..10 {
            cache.put(key(&format!("/new/{n}")), 2, HeaderMap::new(), page(900));
        }
        for n in 0..10 {
            assert!(
                cache
                    .get(&key(&format!("/new/{n}")), 2, Coding::Identity)
                    .is_some(),
                "/new/{n}"
            );
        }
        assert_eq!(cache.lock().pages.len(), 10);
    }

    #[test]
    fn a_stream_of_new_pages_pushes_out_the_least_recently_served_not_the_pages_in_use() {
        let cache = PageCache::with_capacity(TEST_CAPACITY);
        cache.put(key("/"), 1, HeaderMap::new(), page(900));
        for n in 0..200 {
            // The front page is served between the crawler's requests.
            std::thread::sleep(Duration::from_micros(10));
            assert!(
                cache.get(&key("/"), 1, Coding::Identity).is_some(),
                "after {n} new pages"
            );
            cache.put(key(&format!("/crawl/{n}")), 1, HeaderMap::new(), page(900));
        }
        let entries = cache.lock();
        assert!(entries.bytes <= TEST_CAPACITY);
        assert!(entries.pages.contains_key(&key("/crawl/199")));
        assert!(!entries.pages.contains_key(&key("/crawl/0")));
    }

    #[tokio::test]
    async fn one_request_renders_a_page_while_the_others_wait_for_it() {
        let cache = PageCache::default();
        let Turn::Render(rendering) = cache.turn(&key("/")) else {
            panic!("the first request renders");
        };
        let Turn::Wait(waiting) = cache.turn(&key("/")) else {
            panic!("the second waits");
        };
        assert!(matches!(cache.turn(&key("/other")), Turn::Render(_)));
        let waiter = tokio::spawn(waiting);
        tokio::task::yield_now().await;
        assert!(!waiter.is_finished());
        // Finished (or cancelled): the waiters go, and the next miss renders again.
        drop(rendering);
        tokio::time::timeout(Duration::from_secs(5), waiter)
            .await
            .expect("woken")
            .expect("joined");
        assert!(matches!(cache.turn(&key("/")), Turn::Render(_)));
    }
}
