//! Mail, one-use links and mail settings on SQLite (the statements are `store::mail`'s). None of it is a
//! change a visitor's page shows.

use rusqlite::{OptionalExtension, Transaction, params};

use super::{Cached, SqliteStore};
use crate::{
    domain::{
        self,
        accounts::{CurrentUser, Email, Taken, Username},
        ids::UserId,
        limits::ClientKey,
        mail::{
            DIGEST_EVERY_SECONDS, DIGEST_NOTIFICATIONS, LEASE_SECONDS, LinkPurpose, Mail,
            MailChoices, MailRequestRefused, MailSettings, NewLink, NewSignup, Outgoing,
            QueuedMail, Recipient, Verified,
        },
        notifications::Notification,
    },
    store::{StoreResult, mail as sql, memory_limits::moment, sessions as store_sessions},
};

fn recipient(row: &rusqlite::Row) -> rusqlite::Result<Recipient> {
    Ok(Recipient {
        id: UserId(row.get(0)?),
        username: row.get(1)?,
        email: row.get(2)?,
        locale: row.get(3)?,
    })
}

fn queue(
    tx: &Transaction,
    user: Option<UserId>,
    mail: &Outgoing,
    now: i64,
) -> rusqlite::Result<()> {
    tx.run(
        sql::QUEUE,
        params![
            user.map(|user| user.0),
            mail.recipient,
            mail.locale,
            mail.mail.to_json(),
            now
        ],
    )?;
    Ok(())
}

/// Uses up a link that still works: its account and address.
fn take_link(
    tx: &Transaction,
    token_hash: &str,
    purpose: LinkPurpose,
    now: i64,
) -> rusqlite::Result<Option<(UserId, String)>> {
    tx.one(
        sql::TAKE_LINK,
        params![token_hash, purpose.code(), now],
        |row| Ok((UserId(row.get(0)?), row.get(1)?)),
    )
    .optional()
}

/// Makes the account a sign-up's link holds, if it does and its name and address are still free.
fn make_signed_up_account(
    tx: &Transaction,
    token_hash: &str,
    now: i64,
) -> rusqlite::Result<Verified> {
    let taken = tx
        .one(sql::TAKE_SIGNUP, params![token_hash, now], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
            ))
        })
        .optional()?;
    let Some((username, email, password_hash, locale)) = taken else {
        return Ok(Verified::Invalid);
    };
    let (Ok(name), Ok(address)) = (Username::parse(&username), Email::parse(&email)) else {
        return Ok(Verified::Invalid);
    };
    Ok(
        match super::users::insert(tx, &name, &address, &password_hash, now)? {
            Ok(id) => {
                tx.run(sql::CONFIRM_NEW_ACCOUNT, params![id.0, locale])?;
                Verified::Created { username }
            }
            Err(Taken::Email) => Verified::Taken,
            Err(Taken::Username | Taken::LookAlike) => Verified::NameTaken,
        },
    )
}

impl SqliteStore {
    pub async fn user_by_email(&self, email: Email) -> StoreResult<Option<Recipient>> {
        self.db
            .read(move |conn| {
                conn.one(sql::USER_BY_EMAIL, [email.key()], recipient)
                    .optional()
            })
            .await
    }

    pub async fn mail_address(&self, user: UserId) -> StoreResult<Option<Recipient>> {
        self.db
            .read(move |conn| {
                conn.one(sql::MAIL_ADDRESS, [user.0], |row| {
                    Ok(Recipient {
                        id: user,
                        username: row.get(0)?,
                        email: row.get(1)?,
                        locale: row.get(2)?,
                    })
                })
                .optional()
            })
            .await
    }

    pub async fn add_link(&self, link: NewLink, mail: Option<Outgoing>) -> StoreResult<bool> {
        let now = domain::now();
        self.db
            .write_unseen(move |tx| {
                tx.run(sql::FORGET_LAPSED_LINKS, [now])?;
                let kept = tx.run(
                    sql::ADD_LINK,
                    params![
                        link.token_hash,
                        link.user.0,
                        link.purpose.code(),
                        link.email,
                        now,
                        link.expires_at,
                        link.checked_password
                    ],
                )? == 1;
                if kept && let Some(mail) = &mail {
                    queue(tx, Some(link.user), mail, now)?;
                }
                Ok(kept)
            })
            .await
    }

    pub async fn add_signup(&self, signup: NewSignup, mail: Outgoing) -> StoreResult<()> {
        let now = domain::now();
        self.db
            .write_unseen(move |tx| {
                tx.run(sql::FORGET_LAPSED_SIGNUPS, [now])?;
                tx.run(
                    sql::ADD_SIGNUP,
                    params![
                        signup.token_hash,
                        signup.username.as_str(),
                        signup.email.as_str(),
                        signup.password_hash,
                        signup.locale,
                        now,
                        signup.expires_at
                    ],
                )?;
                queue(tx, None, &mail, now)
            })
            .await
    }

    pub async fn link_works(&self, token_hash: String, purpose: LinkPurpose) -> StoreResult<bool> {
        let now = domain::now();
        self.db
            .read(move |conn| {
                let works = conn.one(
                    sql::LINK_WORKS,
                    params![token_hash, purpose.code(), now],
                    |row| row.get(0),
                )?;
                if works || purpose != LinkPurpose::Verify {
                    return Ok(works);
                }
                conn.one(sql::SIGNUP_WORKS, params![token_hash, now], |row| {
                    row.get(0)
                })
            })
            .await
    }

    pub async fn reset_password(
        &self,
        token_hash: String,
        password_hash: String,
    ) -> StoreResult<Option<CurrentUser>> {
        let now = domain::now();
        self.db
            .write_unseen(move |tx| {
                let Some((user, sent_to)) = take_link(tx, &token_hash, LinkPurpose::Reset, now)?
                else {
                    return Ok(None);
                };
                // A deleted account takes no new password.
                if tx.run(sql::RESET_PASSWORD, params![user.0, password_hash, sent_to])? == 0 {
                    return Ok(None);
                }
                // Every session ends: whoever knew the old password is signed out everywhere.
                tx.run(store_sessions::END_OTHERS, params![user.0, "", now])?;
                let username: String = tx.one(sql::MAIL_ADDRESS, [user.0], |row| row.get(0))?;
                Ok(Some(CurrentUser { id: user, username }))
            })
            .await
    }

    pub async fn verify_address(&self, token_hash: String) -> StoreResult<Verified> {
        let now = domain::now();
        self.db
            .write_unseen(move |tx| {
                let Some((user, address)) = take_link(tx, &token_hash, LinkPurpose::Verify, now)?
                else {
                    return make_signed_up_account(tx, &token_hash, now);
                };
                let Some((username, email, locale)) = tx
                    .one(sql::MAIL_ADDRESS, [user.0], |row| {
                        Ok((
                            row.get::<_, String>(0)?,
                            row.get::<_, String>(1)?,
                            row.get::<_, String>(2)?,
                        ))
                    })
                    .optional()?
                else {
                    // Deleted meanwhile.
                    return Ok(Verified::Invalid);
                };
                if address == email {
                    tx.run(sql::VERIFY_OWN_ADDRESS, params![user.0, address])?;
                    return Ok(Verified::Done {
                        username,
                        address,
                        moved_from: None,
                    });
                }
                let Ok(parsed) = Email::parse(&address) else {
                    return Ok(Verified::Invalid);
                };
                let taken: bool =
                    tx.one(sql::ADDRESS_TAKEN, params![parsed.key(), user.0], |row| {
                        row.get(0)
                    })?;
                if taken {
                    return Ok(Verified::Taken);
                }
                tx.run(sql::MOVE_ADDRESS, params![user.0, address, parsed.key()])?;
                tx.run(sql::FORGET_LINKS, [user.0])?;
                let notice = Outgoing {
                    recipient: email.clone(),
                    locale,
                    mail: Mail::AddressChanged {
                        username: username.clone(),
                        new_address: address.clone(),
                    },
                };
                queue(tx, Some(user), &notice, now)?;
                Ok(Verified::Done {
                    username,
                    address,
                    moved_from: Some(email),
                })
            })
            .await
    }

    pub async fn queue_mail(&self, user: Option<UserId>, mail: Outgoing) -> StoreResult<()> {
        let now = domain::now();
        self.db
            .write_unseen(move |tx| queue(tx, user, &mail, now))
            .await
    }

    pub async fn take_due_mail(&self, limit: i64) -> StoreResult<Vec<QueuedMail>> {
        let now = domain::now();
        self.db
            .write_unseen(move |tx| {
                tx.prepare_cached(
                    "UPDATE mail_queue SET next_attempt_at = ?2, attempts = attempts + 1
                     WHERE id IN (SELECT id FROM mail_queue WHERE next_attempt_at <= ?1
                                  ORDER BY next_attempt_at, id LIMIT ?3)
                     RETURNING id, recipient, locale, message, created_at, attempts, user_id",
                )?
                .query_map(params![now, now + LEASE_SECONDS, limit], |row| {
                    Ok(QueuedMail {
                        id: row.get(0)?,
                        recipient: row.get(1)?,
                        locale: row.get(2)?,
                        mail: Mail::from_json(&row.get::<_, String>(3)?),
                        created_at: row.get(4)?,
                        attempts: row.get(5)?,
                        user: row.get::<_, Option<i64>>(6)?.map(UserId),
                    })
                })?
                .collect()
            })
            .await
    }

    pub async fn mail_sent(&self, id: i64) -> StoreResult<()> {
        self.db
            .write_unseen(move |tx| tx.run(sql::DEQUEUE, [id]).map(drop))
            .await
    }

    pub async fn mail_failed(&self, id: i64, retry_at: i64, error: String) -> StoreResult<()> {
        self.db
            .write_unseen(move |tx| {
                tx.run(sql::RETRY_LATER, params![id, retry_at, error])
                    .map(drop)
            })
            .await
    }

    pub async fn notification_mail(&self, id: i64) -> StoreResult<Option<Notification>> {
        self.db
            .read(move |conn| {
                conn.one(
                    sql::NOTIFICATION,
                    [id],
                    super::notifications::notification_from_row,
                )
                .optional()
                .map(Option::flatten)
            })
            .await
    }

    pub async fn mail_settings(&self, user: UserId) -> StoreResult<Option<MailSettings>> {
        let now = domain::now();
        self.db
            .read(move |conn| {
                let Some((email, verified, kinds, digest)) = conn
                    .one(sql::MAIL_SETTINGS, [user.0], |row| {
                        Ok((
                            row.get::<_, String>(0)?,
                            row.get::<_, i64>(1)?,
                            row.get::<_, String>(2)?,
                            row.get::<_, i64>(3)?,
                        ))
                    })
                    .optional()?
                else {
                    return Ok(None);
                };
                let pending_address = conn
                    .one(sql::PENDING_ADDRESS, params![user.0, now], |row| row.get(0))
                    .optional()?;
                Ok(Some(MailSettings {
                    email,
                    verified: verified != 0,
                    choices: MailChoices::from_column(&kinds),
                    digest: digest != 0,
                    pending_address,
                }))
            })
            .await
    }

    pub async fn set_mail_choices(
        &self,
        user: UserId,
        choices: MailChoices,
        digest: bool,
    ) -> StoreResult<()> {
        self.db
            .write_unseen(move |tx| {
                tx.run(
                    sql::SET_MAIL_KINDS,
                    params![user.0, choices.to_column(), i64::from(digest)],
                )
                .map(drop)
            })
            .await
    }

    pub async fn queue_digests(&self) -> StoreResult<u64> {
        let now = domain::now();
        let due_before = now - DIGEST_EVERY_SECONDS;
        // A read first: most seconds nothing is due, and a write would take the writer's lock for nothing.
        let due: bool = self
            .db
            .read(move |conn| conn.one(&sql::digests_due(), [due_before], |row| row.get(0)))
            .await?;
        if !due {
            return Ok(0);
        }
        self.db
            .write_unseen(move |tx| {
                let queued = tx.run(&sql::queue_digests(), params![due_before, now])?;
                tx.run(&sql::mark_digests(), params![due_before, now])?;
                Ok(queued as u64)
            })
            .await
    }

    pub async fn digest_notifications(
        &self,
        user: UserId,
        after: i64,
    ) -> StoreResult<Vec<Notification>> {
        self.db
            .read(move |conn| {
                let found: Vec<Option<Notification>> = conn
                    .prepare_cached(sql::DIGEST_NOTIFICATIONS)?
                    .query_map(
                        params![user.0, after, DIGEST_NOTIFICATIONS],
                        super::notifications::notification_from_row,
                    )?
                    .collect::<rusqlite::Result<_>>()?;
                Ok(found.into_iter().flatten().collect())
            })
            .await
    }

    pub async fn set_locale(&self, user: UserId, locale: String) -> StoreResult<()> {
        self.db
            .write_unseen(move |tx| tx.run(sql::SET_LOCALE, params![user.0, locale]).map(drop))
            .await
    }

    pub async fn begin_mail_request(
        &self,
        address_key: String,
        client: ClientKey,
        owner: bool,
    ) -> StoreResult<Result<(), MailRequestRefused>> {
        Ok(self
            .limits
            .begin_mail_request(&address_key, client, owner, moment()))
    }

    pub async fn signed_in_from(&self, address_key: String, now: i64) -> StoreResult<Vec<String>> {
        self.db
            .read(move |conn| {
                conn.prepare_cached(sql::SIGNED_IN_FROM)?
                    .query_map(params![address_key, now], |row| row.get(0))?
                    .collect()
            })
            .await
    }
}
