//! How a list says where its other pages are: `next` in the body, `Link` (RFC 8288) in the headers.

/// A page's links to its neighbours.
pub struct Paging {
    /// The next page's address, when there is one.
    pub next: Option<String>,
    /// `Link: <…>; rel="next", <…>; rel="prev"`, when there is either.
    pub link: Option<String>,
}

/// The links of page `page` of `last`, whose addresses `address` makes.
pub fn paging(address: impl Fn(i64) -> String, page: i64, last: i64) -> Paging {
    let next = (page < last).then(|| address(page + 1));
    let mut links = Vec::new();
    if let Some(next) = &next {
        links.push(format!("<{next}>; rel=\"next\""));
    }
    if page > 1 {
        links.push(format!("<{}>; rel=\"prev\"", address(page - 1)));
    }
    Paging {
        next,
        link: (!links.is_empty()).then(|| links.join(", ")),
    }
}

/// A list address with these parameters (those `None` left out), encoded.
pub fn address(path: &str, params: &[(&str, Option<&str>)]) -> String {
    let pairs: Vec<(&str, &str)> = params
        .iter()
        .filter_map(|(name, value)| value.map(|value| (*name, value)))
        .collect();
    match serde_urlencoded::to_string(pairs) {
        Ok(query) if !query.is_empty() => format!("{path}?{query}"),
        _ => path.to_owned(),
    }
}

/// The last page of `total` items shown `per_page` at a time (1 when there are none).
pub fn last_page(total: i64, per_page: i64) -> i64 {
    ((total + per_page - 1) / per_page).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_middle_page_links_both_ways_and_the_ends_one_way() {
        let at = |page: i64| {
            address(
                "/api/v1/tags",
                &[("q", Some("c#")), ("page", Some(&page.to_string()))],
            )
        };
        let middle = paging(at, 2, 3);
        assert_eq!(middle.next.as_deref(), Some("/api/v1/tags?q=c%23&page=3"));
        assert_eq!(
            middle.link.as_deref(),
            Some(
                r#"</api/v1/tags?q=c%23&page=3>; rel="next", </api/v1/tags?q=c%23&page=1>; rel="prev""#
            )
        );
        assert_eq!(paging(at, 1, 1).link, None);
        assert_eq!(paging(at, 3, 3).next, None);
        assert_eq!(address("/x", &[("q", None)]), "/x");
        assert_eq!(
            (last_page(0, 10), last_page(10, 10), last_page(11, 10)),
            (1, 1, 2)
        );
    }
}
