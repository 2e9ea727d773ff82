//! Sending the board's mail: a background task takes what is due from the queue in the database, words
//! each mail (`views::mail`) in its recipient's language, and hands it to the SMTP server, or with no
//! `smtp_url` writes it whole to the log. A mail that fails waits and is tried again, backing off to an
//! hour; one that still fails after a day is given up and logged. Requests never wait on any of this.

use std::{sync::Arc, time::Duration};

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, header},
};
use tokio::sync::Notify;

use crate::{
    config::Config,
    domain::{
        self,
        mail::{GIVE_UP_AFTER_SECONDS, Mail, QueuedMail, SENT_PER_ROUND, retry_after},
    },
    domain::{mail::MailStream, notifications::Notification},
    i18n::Lang,
    signing::{LinkKey, Unsubscribe},
    store::{Store, StoreResult},
    views::mail::{Context, Letter, letter},
};

/// Wakes the sender when a request queued mail, so it goes at once rather than at the next tick.
static MAIL_QUEUED: Notify = Notify::const_new();

/// Tells the sender that mail was queued.
pub fn wake_sender() {
    MAIL_QUEUED.notify_one();
}

/// How often the sender looks at the queue unwoken (mail that triggers queued, retries coming due).
const TICK: Duration = Duration::from_secs(1);

/// What sends the board's mail.
pub struct Mailer {
    /// `None`: mail is written to the log.
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
    /// The board's public address, the base of every link.
    base: String,
    /// Signs unsubscribe links.
    unsubscribe_key: [u8; 32],
    /// Turns a link's seed into its token.
    links: LinkKey,
    /// Whether a mail that is not sent is written whole to the log (development) or only noted (mail is
    /// off in production: a log must not hold live links).
    log_whole: bool,
}

impl Mailer {
    pub fn new(config: &Config, unsubscribe_key: [u8; 32], links: LinkKey) -> anyhow::Result<Self> {
        let transport = match &config.smtp_url {
            Some(url) => {
                Some(AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())?.build())
            }
            None => None,
        };
        Ok(Self {
            transport,
            from: config.mail_from.parse()?,
            base: config.public_url.clone().unwrap_or_default(),
            unsubscribe_key,
            links,
            log_whole: config.profile == crate::config::Profile::Development,
        })
    }

    /// What an unsubscribe link's token stops, if this board signed it.
    pub fn unsubscribe_link(&self, token: &str) -> Option<Unsubscribe> {
        Unsubscribe::verify(token, &self.unsubscribe_key)
    }

    /// Whether mail really goes out (an SMTP server is configured).
    pub fn sends(&self) -> bool {
        self.transport.is_some()
    }

    /// The queued mail in words, or `None` when there is nothing to send any more (its notification was
    /// read or is gone, or the mail is one this version cannot read).
    async fn word(&self, store: &Store, queued: &QueuedMail) -> StoreResult<Option<Letter>> {
        let lang = Lang::from_code(&queued.locale).unwrap_or(Lang::En);
        let Some(mail) = &queued.mail else {
            return Ok(None);
        };
        let unsubscribe = |stream| {
            queued
                .user
                .map(|user| Unsubscribe { user, stream }.token(&self.unsubscribe_key))
        };
        let (notification, digest) = match mail {
            Mail::Notification { id } => match store.notification_mail(*id).await? {
                Some(notification) if !notification.read => {
                    let token = unsubscribe(MailStream::Kind(notification.kind));
                    (token.map(|token| (notification, token)), None)
                }
                _ => return Ok(None),
            },
            Mail::Digest { after } => match self.digest(store, queued, *after).await? {
                Some((listed, unread)) => {
                    let token = unsubscribe(MailStream::Digest);
                    (None, token.map(|token| (listed, token, unread)))
                }
                None => return Ok(None),
            },
            _ => (None, None),
        };
        let link_token = match mail {
            Mail::VerifyAddress { seed, .. } | Mail::ResetPassword { seed, .. } => {
                Some(self.links.token(seed).as_str().to_owned())
            }
            _ => None,
        };
        let context = Context {
            lang,
            base: &self.base,
            notification: notification
                .as_ref()
                .map(|(notification, token)| (notification, token.clone())),
            digest: digest
                .as_ref()
                .map(|(listed, token, unread)| (listed.as_slice(), token.clone(), *unread)),
            link_token,
        };
        Ok(letter(mail, &context))
    }

    /// What a digest lists (the unread notifications after `after` of the kinds still chosen) and how
    /// many are unread in all; `None` when there is nothing to tell, or the account no longer wants it.
    async fn digest(
        &self,
        store: &Store,
        queued: &QueuedMail,
        after: i64,
    ) -> StoreResult<Option<(Vec<Notification>, i64)>> {
        let Some(user) = queued.user else {
            return Ok(None);
        };
        let Some(settings) = store.mail_settings(user).await? else {
            return Ok(None);
        };
        if !settings.digest {
            return Ok(None);
        }
        let listed: Vec<Notification> = store
            .digest_notifications(user, after)
            .await?
            .into_iter()
            .filter(|notification| settings.choices.wants(notification.kind))
            .collect();
        if listed.is_empty() {
            return Ok(None);
        }
        let unread = store.unread_notifications(user).await?;
        Ok(Some((listed, unread)))
    }

    /// Hands one mail to the SMTP server, or writes it to the log.
    async fn deliver(&self, to: &str, letter: &Letter) -> Result<(), String> {
        let Some(transport) = &self.transport else {
            if self.log_whole {
                tracing::info!(
                    to,
                    subject = %letter.subject,
                    "mail not sent (no smtp_url); it reads:\n{}",
                    letter.body
                );
            } else {
                tracing::info!(to, subject = %letter.subject, "mail not sent: mail is off (no smtp_url)");
            }
            return Ok(());
        };
        let to: Mailbox = to
            .parse()
            .map_err(|err| format!("the address cannot be written to: {err}"))?;
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(letter.subject.clone())
            .header(header::ContentType::TEXT_PLAIN);
        if let Some(unsubscribe) = &letter.unsubscribe {
            builder = builder
                .header(ListUnsubscribe(format!("<{unsubscribe}>")))
                .header(ListUnsubscribePost);
        }
        let message = builder
            .body(letter.body.clone())
            .map_err(|err| format!("the mail cannot be written: {err}"))?;
        transport
            .send(message)
            .await
            .map(drop)
            .map_err(|err| err.to_string())
    }
}

/// `List-Unsubscribe` (RFC 2369): where a mail program's "unsubscribe" button goes.
#[derive(Clone)]
struct ListUnsubscribe(String);

impl header::Header for ListUnsubscribe {
    fn name() -> header::HeaderName {
        header::HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(value: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(value.to_owned()))
    }

    fn display(&self) -> header::HeaderValue {
        header::HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `List-Unsubscribe-Post` (RFC 8058): the button unsubscribes with one POST, no page to confirm on.
#[derive(Clone)]
struct ListUnsubscribePost;

impl header::Header for ListUnsubscribePost {
    fn name() -> header::HeaderName {
        header::HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(_value: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> header::HeaderValue {
        header::HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_owned())
    }
}

/// Sends what is due, round after round, woken by queued mail or every second.
pub fn spawn_sender(store: Store, mailer: Arc<Mailer>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = MAIL_QUEUED.notified() => {}
            }
            match store.queue_digests().await {
                Ok(0) => {}
                Ok(queued) => tracing::info!(queued, "daily digests queued"),
                Err(err) => tracing::warn!(%err, "the daily digests could not be queued"),
            }
            loop {
                match send_round(&store, &mailer).await {
                    // A full round: more may be due at once.
                    Ok(taken) if taken as i64 == SENT_PER_ROUND => continue,
                    Ok(_) => break,
                    Err(err) => {
                        tracing::warn!(%err, "the mail queue could not be read");
                        break;
                    }
                }
            }
        }
    })
}

/// One round: the due mails, each sent, put back for later, or given up. How many were taken.
pub async fn send_round(store: &Store, mailer: &Mailer) -> StoreResult<usize> {
    let due = store.take_due_mail(SENT_PER_ROUND).await?;
    for queued in &due {
        let Some(letter) = mailer.word(store, queued).await? else {
            store.mail_sent(queued.id).await?;
            continue;
        };
        match mailer.deliver(&queued.recipient, &letter).await {
            Ok(()) => {
                tracing::debug!(id = queued.id, "mail sent");
                store.mail_sent(queued.id).await?;
            }
            Err(error) => {
                let now = domain::now();
                if now - queued.created_at >= GIVE_UP_AFTER_SECONDS {
                    tracing::error!(
                        id = queued.id,
                        to = %queued.recipient,
                        subject = %letter.subject,
                        attempts = queued.attempts,
                        %error,
                        "mail given up after a day of failures"
                    );
                    store.mail_sent(queued.id).await?;
                } else {
                    let retry_at = now + retry_after(queued.attempts);
                    tracing::warn!(
                        id = queued.id,
                        attempts = queued.attempts,
                        %error,
                        "mail not sent; tried again in {} s",
                        retry_at - now
                    );
                    store.mail_failed(queued.id, retry_at, error).await?;
                }
            }
        }
    }
    Ok(due.len())
}
