//! Page links: previous, a window of page numbers around the current one, next.

use maud::{Markup, html};

use crate::i18n::{Texts, fill};

/// How page links navigate with htmx: swap `target` in place and push the URL. Without it they are plain
/// links (boosted by the layout).
pub struct InPlace<'a> {
    pub target: &'a str,
}

/// `href(n)` gives the URL of page `n`. Nothing is shown when there is only one page.
pub fn pagination(
    t: &Texts,
    current: i64,
    last: i64,
    href: &dyn Fn(i64) -> String,
    in_place: Option<&InPlace>,
) -> Markup {
    if last <= 1 {
        return html! {};
    }
    let window = page_window(current, last);
    let link = |page: i64, label: Markup, aria: Option<String>| {
        let url = href(page);
        html! {
            a.page-link href=(url)
                hx-get=[in_place.map(|_| url.as_str())]
                hx-target=[in_place.map(|p| p.target)]
                hx-swap=[in_place.map(|_| "outerHTML")]
                hx-push-url=[in_place.map(|_| "true")]
                aria-label=[aria] { (label) }
        }
    };
    html! {
        nav.mt-3 aria-label=(t.pagination_label) {
            ul.pagination.flex-wrap.justify-content-center {
                li.page-item.disabled[current == 1] {
                    @if current > 1 { (link(current - 1, html! { "‹ " (t.previous) }, None)) }
                    @else { span.page-link { "‹ " (t.previous) } }
                }
                @for (index, page) in window.iter().enumerate() {
                    @if index > 0 && *page > window[index - 1] + 1 {
                        li.page-item.disabled { span.page-link { "…" } }
                    }
                    @if *page == current {
                        li.page-item.active aria-current="page" {
                            span.page-link { (page) }
                        }
                    } @else {
                        li.page-item { (link(*page, html! { (page) }, Some(fill(t.page_label, &[&page.to_string()])))) }
                    }
                }
                li.page-item.disabled[current == last] {
                    @if current < last { (link(current + 1, html! { (t.next) " ›" }, None)) }
                    @else { span.page-link { (t.next) " ›" } }
                }
            }
        }
    }
}

/// The first and last pages and two either side of the current one, in order.
fn page_window(current: i64, last: i64) -> Vec<i64> {
    let mut pages: Vec<i64> = [1, last]
        .into_iter()
        .chain((current - 2).max(1)..=(current + 2).min(last))
        .collect();
    pages.sort_unstable();
    pages.dedup();
    pages
}

#[cfg(test)]
mod tests {
    use super::page_window;

    #[test]
    fn the_window_keeps_first_last_and_neighbours() {
        assert_eq!(page_window(1, 1), [1]);
        assert_eq!(page_window(1, 10), [1, 2, 3, 10]);
        assert_eq!(page_window(5, 10), [1, 3, 4, 5, 6, 7, 10]);
        assert_eq!(page_window(10, 10), [1, 8, 9, 10]);
    }
}
