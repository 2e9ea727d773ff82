//! Compressed responses: the coding a client accepts, chosen by its `Accept-Encoding`, and pages compressed as
//! they go out. Embedded assets come compressed from the build (`build.rs`); visitors' cached pages keep their
//! compressed bytes (`page_cache`); everything else worth it is compressed here, once per response.

use std::{cell::RefCell, sync::Arc};

use bytes::Bytes;
use poem::{
    Body, Endpoint, IntoResponse, Request, Response,
    http::{HeaderMap, HeaderValue, StatusCode, header},
};

/// A content coding miniboard sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Coding {
    Brotli,
    Gzip,
    Identity,
}

/// Below this many bytes a compressed body saves less than a packet and costs a compression: sent as is.
pub const SMALLEST_COMPRESSED: usize = 1024;

/// Settings for pages compressed as they go out, measured on a 12 KB list page (release build): gzip level 1
/// takes 0.05 ms for 75% off (level 4: 0.11 ms for 79%; level 6: 0.18 ms for 79%); brotli quality 4 takes
/// 0.2-0.3 ms for 80% off, and qualities 5-6 with a window under 2^18 took 4-5 ms. Every uncached page pays
/// it (a signed-in user's every page), and 500 bytes more is nothing on any network: gzip level 1, to a
/// client that takes both; brotli is for the assets the build compressed at its best setting.
const GZIP_LEVEL: u32 = 1;
const BROTLI_QUALITY: i32 = 4;
const BROTLI_WINDOW: i32 = 18;

impl Coding {
    /// The `Content-Encoding` token; `None` for identity.
    pub fn token(self) -> Option<&'static str> {
        match self {
            Coding::Brotli => Some("br"),
            Coding::Gzip => Some("gzip"),
            Coding::Identity => None,
        }
    }

    /// The coding to send `req`'s client for a file the build compressed: the highest q-value it gives among
    /// brotli, gzip and identity, ties going to the smaller (brotli, then gzip). A coding given `q=0` is refused; `*` stands for any coding
    /// not named, identity included. Identity is acceptable unless refused, after any coding named; if every
    /// coding is refused, identity is sent anyway (a 406 would help nobody).
    pub fn for_request(req: &Request) -> Coding {
        Self::negotiate(req.headers(), [Coding::Brotli, Coding::Gzip])
    }

    /// The coding for a page compressed as it goes out: as [`Coding::for_request`], but ties go to gzip,
    /// which is the faster to make (see [`GZIP_LEVEL`]).
    pub fn for_page(req: &Request) -> Coding {
        Self::negotiate(req.headers(), [Coding::Gzip, Coding::Brotli])
    }

    /// The best coding `headers` accept, ties going to the first of `preferred`, then identity.
    pub fn negotiate(headers: &HeaderMap, preferred: [Coding; 2]) -> Coding {
        let mut brotli = None;
        let mut gzip = None;
        let mut identity = None;
        let mut any = None;
        for item in headers
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
        {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let weight = parts
                .filter_map(|param| param.split_once('='))
                .find(|(key, _)| key.trim().eq_ignore_ascii_case("q"))
                .map_or(Some(1.0), |(_, value)| value.trim().parse::<f32>().ok());
            let Some(weight) = weight.filter(|w| (0.0..=1.0).contains(w)) else {
                continue;
            };
            let slot = if name.eq_ignore_ascii_case("br") {
                &mut brotli
            } else if name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("x-gzip") {
                &mut gzip
            } else if name.eq_ignore_ascii_case("identity") {
                &mut identity
            } else if name == "*" {
                &mut any
            } else {
                continue;
            };
            *slot = Some(weight);
        }
        // Unnamed, identity is acceptable but last: a client that names codings wants one of them.
        let identity = identity.or(any).unwrap_or(f32::MIN_POSITIVE);
        let weight = |coding: Coding| match coding {
            Coding::Brotli => brotli.or(any).unwrap_or(0.0),
            Coding::Gzip => gzip.or(any).unwrap_or(0.0),
            Coding::Identity => identity,
        };
        let candidates = [preferred[0], preferred[1], Coding::Identity].map(|c| (c, weight(c)));
        // The first of the highest wins: the order above breaks ties.
        let mut best = (Coding::Identity, 0.0);
        for (coding, weight) in candidates {
            if weight > best.1 {
                best = (coding, weight);
            }
        }
        best.0
    }

    /// `body` in this coding, made for one response (fast settings). `None` for identity.
    pub fn compress(self, body: &[u8]) -> Option<Bytes> {
        match self {
            Coding::Brotli => {
                let params = brotli::enc::BrotliEncoderParams {
                    quality: BROTLI_QUALITY,
                    lgwin: BROTLI_WINDOW,
                    size_hint: body.len(),
                    ..Default::default()
                };
                let mut compressed = Vec::with_capacity(body.len() / 4);
                brotli::BrotliCompress(&mut &body[..], &mut compressed, &params).ok()?;
                Some(compressed.into())
            }
            Coding::Gzip => gzip(body).map(Bytes::from),
            Coding::Identity => None,
        }
    }
}

thread_local! {
    /// One deflate state per thread, reset for each page, rather than about 300 KB of tables allocated
    /// for every page. Resetting still clears them: about 0.04 ms of the 0.10 ms a 15 KB page takes.
    static DEFLATE: RefCell<flate2::Compress> =
        RefCell::new(flate2::Compress::new(flate2::Compression::new(GZIP_LEVEL), false));
}

/// `body` as a gzip member (RFC 1952): a header without name or time, the deflate stream, its CRC-32 and
/// length.
fn gzip(body: &[u8]) -> Option<Vec<u8>> {
    const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    // Room for the stored blocks of input that does not compress, so one call finishes the stream.
    let mut out = Vec::with_capacity(HEADER.len() + body.len() + body.len() / 1000 + 64);
    out.extend_from_slice(&HEADER);
    DEFLATE.with(|deflate| {
        let mut deflate = deflate.try_borrow_mut().ok()?;
        deflate.reset();
        loop {
            let read = usize::try_from(deflate.total_in()).ok()?;
            let status = deflate
                .compress_vec(body.get(read..)?, &mut out, flate2::FlushCompress::Finish)
                .ok()?;
            if status == flate2::Status::StreamEnd {
                break Some(());
            }
            out.reserve(body.len() / 2 + 1024);
        }
    })?;
    let mut crc = flate2::Crc::new();
    crc.update(body);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    // ISIZE: the length modulo 2^32, as the format defines it.
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    Some(out)
}

/// Whether a response of this type is text that compresses.
pub fn compressible(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|kind| {
            let kind = kind.split(';').next().unwrap_or_default().trim();
            kind.starts_with("text/")
                || kind == "application/xml"
                || kind == "application/atom+xml"
                || kind == "application/json"
                || kind == "image/svg+xml"
        })
}

/// Marks a response as varying by `Accept-Encoding` (once), and, for `coding` other than identity, as encoded,
/// its ETag made that coding's own (`"abc"` becomes `"abc-gzip"`): a cache revalidating for a client that
/// takes another coding must not be told it holds the right bytes.
pub fn mark(headers: &mut HeaderMap, coding: Coding) {
    let varies = headers
        .get_all(header::VARY)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|name| name.trim().eq_ignore_ascii_case("accept-encoding"));
    if !varies {
        headers.append(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    }
    if let Some(token) = coding.token() {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(token));
        headers.remove(header::CONTENT_LENGTH);
        let suffixed = headers
            .get(header::ETAG)
            .and_then(|etag| etag.to_str().ok())
            .and_then(|etag| etag.strip_suffix('"'))
            .filter(|etag| !etag.ends_with(&format!("-{token}")))
            .and_then(|etag| HeaderValue::from_str(&format!("{etag}-{token}\"")).ok());
        if let Some(etag) = suffixed {
            headers.insert(header::ETAG, etag);
        }
    }
}

/// Whether an `If-None-Match` list names `etag`, compared weakly as RFC 9110 asks for it (`W/"x"` matches
/// `"x"`: nginx weakens ETags of what it compresses), or is `*`.
pub fn none_match_holds(list: &str, etag: &str) -> bool {
    let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    let etag = opaque(etag);
    list.split(',')
        .any(|tag| tag.trim() == "*" || opaque(tag) == etag)
}

/// Outside compression (so it sees each coding's own ETag): a 200 whose ETag the client already holds
/// (`If-None-Match`), or whose `Last-Modified` it sends back (`If-Modified-Since`, matched exactly, as
/// nginx does by default, and only without `If-None-Match`), becomes a 304 with the same validators.
pub async fn answer_revalidation<E: Endpoint>(
    next: Arc<E>,
    req: Request,
) -> poem::Result<Response> {
    let none_match = req.header(header::IF_NONE_MATCH).map(str::to_owned);
    let modified_since = req.header(header::IF_MODIFIED_SINCE).map(str::to_owned);
    let response = next.call(req).await?.into_response();
    if response.status() != StatusCode::OK || (none_match.is_none() && modified_since.is_none()) {
        return Ok(response);
    }
    let headers = response.headers();
    let held = |name| {
        headers
            .get(name)
            .and_then(|value: &HeaderValue| value.to_str().ok())
    };
    let unchanged = match (&none_match, &modified_since) {
        (Some(tags), _) => held(header::ETAG).is_some_and(|etag| none_match_holds(tags, etag)),
        (None, Some(since)) => held(header::LAST_MODIFIED).is_some_and(|last| since.trim() == last),
        (None, None) => false,
    };
    if !unchanged {
        return Ok(response);
    }
    let mut not_modified = Response::builder()
        .status(StatusCode::NOT_MODIFIED)
        .finish();
    for name in [
        header::ETAG,
        header::LAST_MODIFIED,
        header::CACHE_CONTROL,
        header::VARY,
        header::EXPIRES,
        // A cross-origin script's conditional read (the JSON API) needs these on the 304 too.
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
    ] {
        for value in headers.get_all(&name) {
            not_modified
                .headers_mut()
                .append(name.clone(), value.clone());
        }
    }
    Ok(not_modified)
}

/// Outermost but for the log: compresses a text response the client accepts compressed, unless it already
/// is (embedded assets, cached pages) or is too small to gain from it.
pub async fn compress_responses<E: Endpoint>(next: Arc<E>, req: Request) -> poem::Result<Response> {
    let coding = Coding::for_page(&req);
    let mut response = next.call(req).await?.into_response();
    if !compressible(response.headers()) {
        return Ok(response);
    }
    if coding == Coding::Identity
        || response.headers().contains_key(header::CONTENT_ENCODING)
        || matches!(
            response.status(),
            StatusCode::NO_CONTENT | StatusCode::NOT_MODIFIED
        )
    {
        mark(response.headers_mut(), Coding::Identity);
        return Ok(response);
    }
    let (mut parts, body) = response.into_parts();
    let body = body.into_bytes().await?;
    let encoded = if body.len() >= SMALLEST_COMPRESSED {
        coding.compress(&body)
    } else {
        None
    };
    let (coding, body) = match encoded {
        Some(encoded) => (coding, encoded),
        None => (Coding::Identity, body),
    };
    mark(&mut parts.headers, coding);
    Ok(Response::from_parts(parts, Body::from(body)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(accept: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(accept).expect("header"),
        );
        headers
    }

    fn negotiate(accept: &str) -> Coding {
        Coding::negotiate(&headers(accept), [Coding::Brotli, Coding::Gzip])
    }

    #[test]
    fn the_client_s_weights_choose_and_q0_refuses() {
        let empty = HeaderMap::new();
        assert_eq!(
            Coding::negotiate(&empty, [Coding::Brotli, Coding::Gzip]),
            Coding::Identity
        );
        assert_eq!(negotiate("gzip, deflate, br, zstd"), Coding::Brotli);
        assert_eq!(negotiate("gzip"), Coding::Gzip);
        assert_eq!(negotiate("GZIP;Q=0.5, br;q=0.4"), Coding::Gzip);
        assert_eq!(negotiate("br;q=0, gzip"), Coding::Gzip);
        assert_eq!(negotiate("br;q=0"), Coding::Identity);
        assert_eq!(negotiate("*"), Coding::Brotli);
        assert_eq!(negotiate("*;q=0.2, br;q=0"), Coding::Gzip);
        assert_eq!(negotiate("gzip;q=0.5, identity"), Coding::Identity);
        assert_eq!(negotiate("identity;q=0, gzip;q=0.1"), Coding::Gzip);
        assert_eq!(negotiate("deflate, compress"), Coding::Identity);
        // Junk weights are ignored, not guessed at.
        assert_eq!(negotiate("br;q=abc, gzip;q=2"), Coding::Identity);
        // Pages made per request prefer gzip when both are as welcome; a stated preference still wins.
        let page =
            |accept: &str| Coding::negotiate(&headers(accept), [Coding::Gzip, Coding::Brotli]);
        assert_eq!(page("gzip, deflate, br, zstd"), Coding::Gzip);
        assert_eq!(page("br"), Coding::Brotli);
        assert_eq!(page("gzip;q=0.5, br"), Coding::Brotli);
    }

    #[test]
    fn one_deflate_state_serves_page_after_page() {
        // Text that compresses, then bytes that do not (stored blocks), then empty, then text again.
        let random: Vec<u8> = (0..70_000u32)
            .map(|n| (n.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        for body in [
            b"<p>same words</p>".repeat(500),
            random,
            Vec::new(),
            b"again".repeat(300),
        ] {
            let gz = Coding::Gzip.compress(&body).expect("gzip");
            let mut out = Vec::new();
            std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut out)
                .expect("gunzip");
            assert_eq!(out, body);
        }
    }

    #[test]
    fn compressed_bodies_decompress_to_the_original() {
        let page = "<li>a question about Rust</li>".repeat(200);
        let br = Coding::Brotli.compress(page.as_bytes()).expect("brotli");
        let mut out = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut out).expect("decompress");
        assert_eq!(out, page.as_bytes());
        assert!(br.len() < page.len() / 10);
        let gz = Coding::Gzip.compress(page.as_bytes()).expect("gzip");
        let mut out = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut out)
            .expect("gunzip");
        assert_eq!(out, page);
        assert_eq!(Coding::Identity.compress(page.as_bytes()), None);
    }
}
