//! The board's mail as text: each queued [`Mail`] worded in the recipient's language, every link absolute
//! from the board's public address.

use crate::{
    domain::{mail::Mail, notifications::Notification},
    i18n::{Lang, fill},
};

/// A mail ready to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Letter {
    pub subject: String,
    pub body: String,
    /// The one-click unsubscribe address (`List-Unsubscribe`), for notification mail.
    pub unsubscribe: Option<String>,
}

/// What the wording needs besides the mail: where the board is, and for a notification, the notification
/// as it is now and its unsubscribe token.
pub struct Context<'a> {
    pub lang: Lang,
    /// `https://board.example.com`, no trailing slash.
    pub base: &'a str,
    pub notification: Option<(&'a Notification, String)>,
    /// For a digest: what it lists, its unsubscribe token, and how many are unread in all.
    pub digest: Option<(&'a [Notification], String, i64)>,
    /// The token of the mail's one-use link (its seed signed), for a reset or a confirmation.
    pub link_token: Option<String>,
}

/// What happened, said after the actor's name, and where: a notification's line in a mail.
fn happened(t: &crate::i18n::Texts, base: &str, notification: &Notification) -> (String, String) {
    let (_, what) = super::notifications::notification_phrase(t, notification);
    let said = format!("{}{what}", super::users::shown_name(t, &notification.actor));
    let link = format!(
        "{base}{}",
        super::notifications::notification_href(notification)
    );
    (said, link)
}

/// The mail in words; `None` for a notification mail (or a digest) whose content the context lacks.
pub fn letter(mail: &Mail, context: &Context) -> Option<Letter> {
    let m = context.lang.mail();
    let t = context.lang.texts();
    let base = context.base;
    let signed = |username: &str, text: String| {
        format!(
            "{}\n\n{text}\n\n{}\n",
            fill(m.greeting, &[username]),
            fill(m.signature, &[t.site_name])
        )
    };
    let letter = |subject: &str, body: String| Letter {
        subject: subject.to_owned(),
        body,
        unsubscribe: None,
    };
    Some(match mail {
        Mail::VerifyAddress {
            username, change, ..
        } => {
            let token = context.link_token.as_deref()?;
            let link = format!("{base}/email/verify/{token}");
            let (subject, body) = if *change {
                (m.verify_change_subject, m.verify_change_body)
            } else {
                (m.verify_subject, m.verify_body)
            };
            letter(subject, signed(username, fill(body, &[t.site_name, &link])))
        }
        Mail::ResetPassword { username, .. } => {
            let token = context.link_token.as_deref()?;
            let link = format!("{base}/password/reset/{token}");
            letter(
                m.reset_subject,
                signed(username, fill(m.reset_body, &[t.site_name, &link])),
            )
        }
        Mail::AddressInUse { username } => letter(
            m.address_in_use_subject,
            signed(
                username,
                fill(
                    m.address_in_use_body,
                    &[
                        t.site_name,
                        &format!("{base}/login"),
                        &format!("{base}/password/forgot"),
                    ],
                ),
            ),
        ),
        Mail::AddressChanged {
            username,
            new_address,
        } => letter(
            m.address_changed_subject,
            signed(
                username,
                fill(
                    m.address_changed_body,
                    &[t.site_name, new_address, &format!("{base}/password/forgot")],
                ),
            ),
        ),
        Mail::Notification { .. } => {
            let (notification, token) = context.notification.as_ref()?;
            let (happened, link) = happened(t, base, notification);
            let unsubscribe = format!("{base}/unsubscribe/{token}");
            let body = format!(
                "{happened}:\n{}\n\n{} {link}\n\n-- \n{}\n",
                notification.subject,
                m.notification_open,
                fill(
                    m.notification_footer,
                    &[&unsubscribe, &format!("{base}/account#mail")]
                ),
            );
            Letter {
                subject: fill(m.notification_subject, &[&happened, &notification.subject]),
                body,
                unsubscribe: Some(unsubscribe),
            }
        }
        Mail::Digest { .. } => {
            let (listed, token, unread) = context.digest.as_ref()?;
            let unsubscribe = format!("{base}/unsubscribe/{token}");
            let mut body = format!("{}\n\n", m.digest_intro);
            for notification in *listed {
                let (said, link) = happened(t, base, notification);
                body.push_str(&format!("- {said}: {}\n  {link}\n", notification.subject));
            }
            let more = *unread - listed.len() as i64;
            if more > 0 {
                body.push_str(&format!(
                    "\n{}\n",
                    fill(
                        m.digest_more,
                        &[&more.to_string(), &format!("{base}/notifications")]
                    )
                ));
            }
            body.push_str(&format!(
                "\n-- \n{}\n",
                fill(
                    m.digest_footer,
                    &[&unsubscribe, &format!("{base}/account#mail")]
                )
            ));
            Letter {
                subject: fill(m.digest_subject, &[t.site_name, &unread.to_string()]),
                body,
                unsubscribe: Some(unsubscribe),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ids::QuestionId, notifications::NotificationKind};

    #[test]
    fn a_reset_mail_links_absolutely_in_the_recipients_language() {
        let mail = Mail::ResetPassword {
            username: "alice".into(),
            seed: "seed".into(),
        };
        for lang in Lang::ALL {
            let context = Context {
                lang,
                base: "https://board.example.com",
                notification: None,
                digest: None,
                link_token: Some("abc".into()),
            };
            let letter = letter(&mail, &context).expect("worded");
            assert_eq!(letter.subject, lang.mail().reset_subject);
            assert!(
                letter
                    .body
                    .contains("https://board.example.com/password/reset/abc"),
                "{}",
                letter.body
            );
            assert!(letter.body.contains("alice"));
            assert_eq!(letter.unsubscribe, None);
        }
    }

    #[test]
    fn a_notification_mail_says_what_happened_and_how_to_stop_it() {
        let notification = Notification {
            id: 3,
            kind: NotificationKind::Answer,
            actor: "bob".into(),
            question_id: QuestionId(9),
            subject: "How do lifetimes work?".into(),
            answer_id: None,
            comment_id: None,
            created_at: 0,
            read: false,
        };
        let context = Context {
            lang: Lang::En,
            base: "http://127.0.0.1:8000",
            notification: Some((&notification, "1-answer-ff".into())),
            digest: None,
            link_token: None,
        };
        let letter = letter(&Mail::Notification { id: 3 }, &context).expect("worded");
        assert_eq!(
            letter.subject,
            "bob answered your question: How do lifetimes work?"
        );
        assert!(letter.body.contains("http://127.0.0.1:8000/questions/9"));
        assert_eq!(
            letter.unsubscribe.as_deref(),
            Some("http://127.0.0.1:8000/unsubscribe/1-answer-ff")
        );
        let without = Context {
            notification: None,
            ..context
        };
        assert_eq!(super::letter(&Mail::Notification { id: 3 }, &without), None);
    }
}
