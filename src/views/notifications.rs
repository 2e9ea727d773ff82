//! The inbox: what happened to what the user wrote or follows, newest first, each linking to exactly the
//! answer or comment it is about.

use maud::{Markup, html};

use super::{
    PageContext,
    layout::{csrf_field, page},
    urls,
    users::author_link,
};
use crate::{
    domain::notifications::{Inbox, Notification, NotificationKind, UNREAD_SHOWN_UP_TO},
    i18n::Texts,
};

pub fn inbox_page(ctx: &PageContext, inbox: &Inbox) -> Markup {
    let t = ctx.t();
    let content = html! {
        div.d-flex.flex-wrap.align-items-center.justify-content-between.gap-2.mb-3 {
            h1.h3.mb-0 { (t.notifications_title) }
            @if inbox.unread > 0 {
                form method="post" action="/notifications/read-all" {
                    @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
                    button.btn.btn-sm.btn-outline-secondary type="submit" #mark-all-read {
                        (t.notifications_mark_all_read)
                    }
                }
            }
        }
        @if inbox.notifications.is_empty() {
            p.text-body-secondary #notifications-empty {
                (if inbox.is_older_page { t.notifications_no_older } else { t.notifications_empty })
            }
        } @else {
            // Full navigations: a boosted request follows the permalink's redirect without its `#answer-…`,
            // and the page would not go to the answer or comment.
            ol.list-group.mb-3 #notifications hx-boost="false" {
                @for notification in &inbox.notifications {
                    (notification_row(ctx, notification))
                }
            }
        }
        nav.d-flex.gap-2 aria-label=(t.pagination_label) {
            @if inbox.is_older_page {
                a.btn.btn-sm.btn-outline-secondary href="/notifications" { (t.notifications_newest) }
            }
            @if let Some(before) = inbox.older {
                a.btn.btn-sm.btn-outline-secondary rel="next" href=(format!("/notifications?before={before}")) {
                    (t.notifications_older)
                }
            }
        }
    };
    page(ctx, t.notifications_title, content)
}

/// A notification's icon and what happened, said after the actor's name.
pub fn notification_phrase(t: &Texts, notification: &Notification) -> (&'static str, &'static str) {
    match notification.kind {
        NotificationKind::Answer => ("✎", t.notification_answer),
        NotificationKind::Comment if notification.answer_id.is_some() => {
            ("❝", t.notification_comment_on_answer)
        }
        NotificationKind::Comment => ("❝", t.notification_comment_on_question),
        NotificationKind::Accepted => ("✓", t.notification_accepted),
        NotificationKind::Mention => ("@", t.notification_mention),
        NotificationKind::FollowedAnswer => ("★", t.notification_followed_answer),
        NotificationKind::TaggedQuestion => ("#", t.notification_tagged_question),
    }
}

/// Exactly what a notification is about: the comment, else the answer, else the question.
pub fn notification_href(notification: &Notification) -> String {
    match (notification.comment_id, notification.answer_id) {
        (Some(comment), _) => urls::comment(comment),
        (None, Some(answer)) => urls::answer(answer),
        (None, None) => urls::question(notification.question_id, Default::default(), 1),
    }
}

fn notification_row(ctx: &PageContext, notification: &Notification) -> Markup {
    let t = ctx.t();
    let (icon, what) = notification_phrase(t, notification);
    let href = notification_href(notification);
    let unread = !notification.read;
    html! {
        li.list-group-item.d-flex.gap-2.notification.unread[unread]
            data-notification=(notification.kind.code()) data-unread=[unread.then_some("true")] {
            span.notification-icon aria-hidden="true" { (icon) }
            div.flex-grow-1 {
                p.mb-1 {
                    @if unread {
                        span.badge.text-bg-primary { (t.notifications_new) } " "
                    }
                    (author_link(t, &notification.actor)) (what)
                }
                a.d-block.text-break href=(href) { (notification.subject) }
                small.d-block.text-body-secondary { (ctx.time(notification.created_at)) }
            }
        }
    }
}

/// The navbar's link to the inbox, with the unread count as a number and in words.
pub fn inbox_link(ctx: &PageContext) -> Markup {
    let t = ctx.t();
    let unread = ctx.unread_notifications.unwrap_or(0);
    let shown = if unread > UNREAD_SHOWN_UP_TO {
        format!("{UNREAD_SHOWN_UP_TO}+")
    } else {
        unread.to_string()
    };
    html! {
        a.nav-link.px-1 href="/notifications" #inbox-link data-unread=(unread)
            title=(t.notifications_title) {
            (bell())
            span.visually-hidden { (t.notifications_title) }
            @if unread > 0 {
                " "
                span.badge.rounded-pill.text-bg-danger { (shown) }
                span.visually-hidden { " " (t.notifications_unread) }
            }
        }
    }
}

/// A bell, drawn by the stylesheet (an emoji would need a font the reader may not have).
pub fn bell() -> Markup {
    html! { span.bell aria-hidden="true" {} }
}
