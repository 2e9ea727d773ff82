//! Bootstrap, htmx and our stylesheet, embedded in the binary so it serves from any working directory.
//!
//! A URL made by [`url`] carries a content hash (`?v=`): such a response may be cached for a year, because a new
//! file gets a new URL. Without the hash, or with an old one, the response must be revalidated; the ETag makes
//! that a cheap 304.

use std::{borrow::Cow, collections::HashMap, sync::OnceLock};

use bytes::Bytes;
use poem::{
    Body, Request, Response, handler,
    http::{HeaderValue, StatusCode, header},
    web::Path,
};
use rust_embed::RustEmbed;

use crate::web::compression::{self, Coding};

#[derive(RustEmbed)]
#[folder = "assets/"]
struct Files;

/// The text files compressed by `build.rs`: `<path>.br` and `<path>.gz`, where smaller than the original.
#[derive(RustEmbed)]
#[folder = "$OUT_DIR/compressed/"]
struct Compressed;

/// A file's hash (its ETag and URL version) and type, computed once.
struct Entry {
    version: String,
    content_type: &'static str,
    /// Whether the file is text that may come compressed: its responses vary by `Accept-Encoding`.
    compressible: bool,
}

fn index() -> &'static HashMap<String, Entry> {
    static INDEX: OnceLock<HashMap<String, Entry>> = OnceLock::new();
    INDEX.get_or_init(|| {
        Files::iter()
            .filter_map(|path| {
                let file = Files::get(&path)?;
                let hash = file.metadata.sha256_hash();
                let version: String = hash[..8].iter().map(|b| format!("{b:02x}")).collect();
                let compressible = [Coding::Brotli, Coding::Gzip]
                    .into_iter()
                    .any(|coding| compressed(&path, coding).is_some());
                Some((
                    path.to_string(),
                    Entry {
                        version,
                        content_type: content_type(&path),
                        compressible,
                    },
                ))
            })
            .collect()
    })
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// The build's compressed copy of `path` in `coding`, if it made one.
fn compressed(path: &str, coding: Coding) -> Option<Cow<'static, [u8]>> {
    let suffix = match coding {
        Coding::Brotli => "br",
        Coding::Gzip => "gz",
        Coding::Identity => return None,
    };
    Compressed::get(&format!("{path}.{suffix}")).map(|file| file.data)
}

/// The URL of an embedded file with its content hash, for pages to link.
pub fn url(path: &str) -> String {
    match index().get(path) {
        Some(entry) => format!("/static/{path}?v={}", entry.version),
        None => format!("/static/{path}"),
    }
}

#[derive(serde::Deserialize)]
struct Version {
    v: Option<String>,
}

/// `GET /static/*path`: the file in the best coding the client accepts that the build made, with an ETag per
/// coding.
#[handler]
pub fn serve(Path(path): Path<String>, req: &Request) -> Response {
    let (Some(entry), Some(file)) = (index().get(&path), Files::get(&path)) else {
        return StatusCode::NOT_FOUND.into();
    };
    let wanted = Coding::for_request(req);
    let (coding, data) = match compressed(&path, wanted) {
        Some(data) => (wanted, data),
        None => (Coding::Identity, file.data),
    };
    let etag = match coding.token() {
        Some(token) => format!("\"{}-{token}\"", entry.version),
        None => format!("\"{}\"", entry.version),
    };
    let versioned = req
        .params::<Version>()
        .ok()
        .and_then(|q| q.v)
        .is_some_and(|v| v == entry.version);
    let cache_control = if versioned {
        "public, max-age=31536000, immutable"
    } else {
        "public, no-cache"
    };
    let mut response = Response::builder()
        .header(header::ETAG, &etag)
        .header(header::CACHE_CONTROL, cache_control)
        .finish();
    if entry.compressible {
        compression::mark(response.headers_mut(), Coding::Identity);
    }
    let matches = req
        .header(header::IF_NONE_MATCH)
        .is_some_and(|tags| compression::none_match_holds(tags, &etag));
    if matches {
        response.set_status(StatusCode::NOT_MODIFIED);
        return response;
    }
    if coding != Coding::Identity {
        compression::mark(response.headers_mut(), coding);
    }
    // Embedded files are `'static` in the binary: serve them without copying.
    let bytes = match data {
        Cow::Borrowed(data) => Bytes::from_static(data),
        Cow::Owned(data) => Bytes::from(data),
    };
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(entry.content_type),
    );
    response.set_body(Body::from_bytes(bytes));
    response
}
