//! Mail, one-use links and mail settings on PostgreSQL (the statements are `store::mail`'s). None of it is
//! a change a visitor's page shows, so none of it takes the board writes' turn.

use deadpool_postgres::{GenericClient, Transaction};
use tokio_postgres::Row;

use super::{
    PgError, PgStore, limits, notifications::notification_from_row, numbered, one, opt, rows, run,
};
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
    store::{StoreResult, mail as sql, sessions as store_sessions},
};

fn recipient(row: &Row) -> Result<Recipient, PgError> {
    Ok(Recipient {
        id: UserId(row.try_get(0)?),
        username: row.try_get(1)?,
        email: row.try_get(2)?,
        locale: row.try_get(3)?,
    })
}

async fn queue(
    client: &impl GenericClient,
    user: Option<UserId>,
    mail: &Outgoing,
    now: i64,
) -> Result<(), PgError> {
    run(
        client,
        &numbered(sql::QUEUE),
        &[
            &user.map(|user| user.0),
            &mail.recipient,
            &mail.locale,
            &mail.mail.to_json(),
            &now,
        ],
    )
    .await?;
    Ok(())
}

async fn take_link(
    tx: &Transaction<'_>,
    token_hash: &str,
    purpose: LinkPurpose,
    now: i64,
) -> Result<Option<(UserId, String)>, PgError> {
    let row = opt(
        tx,
        &numbered(sql::TAKE_LINK),
        &[&token_hash, &purpose.code(), &now],
    )
    .await?;
    row.map(|row| Ok((UserId(row.try_get(0)?), row.try_get(1)?)))
        .transpose()
}

async fn verify_in(tx: &Transaction<'_>, token_hash: &str, now: i64) -> Result<Verified, PgError> {
    let Some((user, address)) = take_link(tx, token_hash, LinkPurpose::Verify, now).await? else {
        return make_signed_up_account(tx, token_hash, now).await;
    };
    let Some(row) = opt(tx, &numbered(sql::MAIL_ADDRESS), &[&user.0]).await? else {
        // Deleted meanwhile.
        return Ok(Verified::Invalid);
    };
    let (username, email, locale): (String, String, String) =
        (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
    if address == email {
        run(tx, &numbered(sql::VERIFY_OWN_ADDRESS), &[&user.0, &address]).await?;
        return Ok(Verified::Done {
            username,
            address,
            moved_from: None,
        });
    }
    let Ok(parsed) = Email::parse(&address) else {
        return Ok(Verified::Invalid);
    };
    let taken: bool = one(tx, &numbered(sql::ADDRESS_TAKEN), &[&parsed.key(), &user.0])
        .await?
        .try_get(0)?;
    if taken {
        return Ok(Verified::Taken);
    }
    run(
        tx,
        &numbered(sql::MOVE_ADDRESS),
        &[&user.0, &address, &parsed.key()],
    )
    .await?;
    run(tx, &numbered(sql::FORGET_LINKS), &[&user.0]).await?;
    let notice = Outgoing {
        recipient: email.clone(),
        locale,
        mail: Mail::AddressChanged {
            username: username.clone(),
            new_address: address.clone(),
        },
    };
    queue(tx, Some(user), &notice, now).await?;
    Ok(Verified::Done {
        username,
        address,
        moved_from: Some(email),
    })
}

/// Makes the account a sign-up's link holds, if it does and its name and address are still free.
async fn make_signed_up_account(
    tx: &Transaction<'_>,
    token_hash: &str,
    now: i64,
) -> Result<Verified, PgError> {
    let Some(row) = opt(tx, &numbered(sql::TAKE_SIGNUP), &[&token_hash, &now]).await? else {
        return Ok(Verified::Invalid);
    };
    let (username, email, password_hash, locale): (String, String, String, String) = (
        row.try_get(0)?,
        row.try_get(1)?,
        row.try_get(2)?,
        row.try_get(3)?,
    );
    let (Ok(name), Ok(address)) = (Username::parse(&username), Email::parse(&email)) else {
        return Ok(Verified::Invalid);
    };
    Ok(
        match super::people::insert_user(tx, &name, &address, &password_hash, now).await? {
            Ok(id) => {
                run(tx, &numbered(sql::CONFIRM_NEW_ACCOUNT), &[&id.0, &locale]).await?;
                Verified::Created { username }
            }
            Err(Taken::Email) => Verified::Taken,
            Err(Taken::Username | Taken::LookAlike) => Verified::NameTaken,
        },
    )
}

impl PgStore {
    pub async fn user_by_email(&self, email: Email) -> StoreResult<Option<Recipient>> {
        let client = self.client().await?;
        let row = opt(&client, &numbered(sql::USER_BY_EMAIL), &[&email.key()]).await?;
        Ok(row.map(|row| recipient(&row)).transpose()?)
    }

    pub async fn mail_address(&self, user: UserId) -> StoreResult<Option<Recipient>> {
        let client = self.client().await?;
        let row = opt(&client, &numbered(sql::MAIL_ADDRESS), &[&user.0]).await?;
        let found = row
            .map(|row| -> Result<Recipient, PgError> {
                Ok(Recipient {
                    id: user,
                    username: row.try_get(0)?,
                    email: row.try_get(1)?,
                    locale: row.try_get(2)?,
                })
            })
            .transpose()?;
        Ok(found)
    }

    pub async fn add_link(&self, link: NewLink, mail: Option<Outgoing>) -> StoreResult<bool> {
        let now = domain::now();
        self.unseen_transaction(async |tx| {
            run(tx, &numbered(sql::FORGET_LAPSED_LINKS), &[&now]).await?;
            let kept = run(
                tx,
                &numbered(sql::ADD_LINK),
                &[
                    &link.token_hash,
                    &link.user.0,
                    &link.purpose.code(),
                    &link.email,
                    &now,
                    &link.expires_at,
                    &link.checked_password,
                ],
            )
            .await?
                == 1;
            if kept && let Some(mail) = &mail {
                queue(tx, Some(link.user), mail, now).await?;
            }
            Ok(kept)
        })
        .await
    }

    pub async fn add_signup(&self, signup: NewSignup, mail: Outgoing) -> StoreResult<()> {
        let now = domain::now();
        self.unseen_transaction(async |tx| {
            run(tx, &numbered(sql::FORGET_LAPSED_SIGNUPS), &[&now]).await?;
            run(
                tx,
                &numbered(sql::ADD_SIGNUP),
                &[
                    &signup.token_hash,
                    &signup.username.as_str(),
                    &signup.email.as_str(),
                    &signup.password_hash,
                    &signup.locale,
                    &now,
                    &signup.expires_at,
                ],
            )
            .await?;
            queue(tx, None, &mail, now).await
        })
        .await
    }

    pub async fn link_works(&self, token_hash: String, purpose: LinkPurpose) -> StoreResult<bool> {
        let now = domain::now();
        let client = self.client().await?;
        let works: bool = one(
            &client,
            &numbered(sql::LINK_WORKS),
            &[&token_hash, &purpose.code(), &now],
        )
        .await?
        .try_get(0)?;
        if works || purpose != LinkPurpose::Verify {
            return Ok(works);
        }
        Ok(
            one(&client, &numbered(sql::SIGNUP_WORKS), &[&token_hash, &now])
                .await?
                .try_get(0)?,
        )
    }

    pub async fn reset_password(
        &self,
        token_hash: String,
        password_hash: String,
    ) -> StoreResult<Option<CurrentUser>> {
        let now = domain::now();
        self.unseen_transaction(async |tx| {
            let Some((user, sent_to)) = take_link(tx, &token_hash, LinkPurpose::Reset, now).await?
            else {
                return Ok(None);
            };
            // A deleted account takes no new password.
            let set = run(
                tx,
                &numbered(sql::RESET_PASSWORD),
                &[&user.0, &password_hash, &sent_to],
            )
            .await?;
            if set == 0 {
                return Ok(None);
            }
            run(
                tx,
                &numbered(store_sessions::END_OTHERS),
                &[&user.0, &"", &now],
            )
            .await?;
            let username: String = one(tx, &numbered(sql::MAIL_ADDRESS), &[&user.0])
                .await?
                .try_get(0)?;
            Ok(Some(CurrentUser { id: user, username }))
        })
        .await
    }

    pub async fn verify_address(&self, token_hash: String) -> StoreResult<Verified> {
        let now = domain::now();
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        match verify_in(&tx, &token_hash, now).await {
            Ok(outcome) => {
                tx.commit().await?;
                Ok(outcome)
            }
            // Two accounts moving to one address at once: the first has it (the link stays, unused).
            Err(err) if err.code() == Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION) => {
                Ok(Verified::Taken)
            }
            Err(err) => Err(err.into()),
        }
    }

    pub async fn queue_mail(&self, user: Option<UserId>, mail: Outgoing) -> StoreResult<()> {
        let now = domain::now();
        let client = self.client().await?;
        Ok(queue(&client, user, &mail, now).await?)
    }

    pub async fn take_due_mail(&self, limit: i64) -> StoreResult<Vec<QueuedMail>> {
        let now = domain::now();
        let client = self.client().await?;
        // Rows another app server is taking are skipped, not waited for: each mail goes out once.
        let taken = rows(
            &client,
            "UPDATE mail_queue SET next_attempt_at = $2, attempts = attempts + 1
             WHERE id IN (SELECT id FROM mail_queue WHERE next_attempt_at <= $1
                          ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
             RETURNING id, recipient, locale, message, created_at, attempts, user_id",
            &[&now, &(now + LEASE_SECONDS), &limit],
        )
        .await?;
        let mut mails = Vec::with_capacity(taken.len());
        for row in taken {
            mails.push(QueuedMail {
                id: row.try_get(0)?,
                recipient: row.try_get(1)?,
                locale: row.try_get(2)?,
                mail: Mail::from_json(row.try_get(3)?),
                created_at: row.try_get(4)?,
                attempts: row.try_get(5)?,
                user: row.try_get::<_, Option<i64>>(6)?.map(UserId),
            });
        }
        Ok(mails)
    }

    pub async fn mail_sent(&self, id: i64) -> StoreResult<()> {
        let client = self.client().await?;
        run(&client, &numbered(sql::DEQUEUE), &[&id]).await?;
        Ok(())
    }

    pub async fn mail_failed(&self, id: i64, retry_at: i64, error: String) -> StoreResult<()> {
        let client = self.client().await?;
        run(
            &client,
            &numbered(sql::RETRY_LATER),
            &[&id, &retry_at, &error],
        )
        .await?;
        Ok(())
    }

    pub async fn notification_mail(&self, id: i64) -> StoreResult<Option<Notification>> {
        let client = self.client().await?;
        let Some(row) = opt(&client, &numbered(sql::NOTIFICATION), &[&id]).await? else {
            return Ok(None);
        };
        Ok(notification_from_row(&row)?)
    }

    pub async fn mail_settings(&self, user: UserId) -> StoreResult<Option<MailSettings>> {
        let now = domain::now();
        let client = self.client().await?;
        let Some(row) = opt(&client, &numbered(sql::MAIL_SETTINGS), &[&user.0]).await? else {
            return Ok(None);
        };
        let pending = opt(&client, &numbered(sql::PENDING_ADDRESS), &[&user.0, &now]).await?;
        Ok(Some(MailSettings {
            email: row.try_get(0)?,
            verified: row.try_get::<_, i64>(1)? != 0,
            choices: MailChoices::from_column(row.try_get(2)?),
            digest: row.try_get::<_, i64>(3)? != 0,
            pending_address: pending.map(|row| row.try_get(0)).transpose()?,
        }))
    }

    pub async fn set_mail_choices(
        &self,
        user: UserId,
        choices: MailChoices,
        digest: bool,
    ) -> StoreResult<()> {
        let client = self.client().await?;
        run(
            &client,
            &numbered(sql::SET_MAIL_KINDS),
            &[&user.0, &choices.to_column(), &i64::from(digest)],
        )
        .await?;
        Ok(())
    }

    pub async fn queue_digests(&self) -> StoreResult<u64> {
        let now = domain::now();
        let due_before = now - DIGEST_EVERY_SECONDS;
        // A read first: most seconds nothing is due.
        let due: bool = one(
            &self.client().await?,
            &numbered(&sql::digests_due()),
            &[&due_before],
        )
        .await?
        .try_get(0)?;
        if !due {
            return Ok(0);
        }
        // Two app servers at once: the second finds nothing due once the first committed (the rows it
        // would mark are locked until then, and checked again after).
        self.unseen_transaction(async |tx| {
            let queued = run(tx, &numbered(&sql::queue_digests()), &[&due_before, &now]).await?;
            run(tx, &numbered(&sql::mark_digests()), &[&due_before, &now]).await?;
            Ok(queued)
        })
        .await
    }

    pub async fn digest_notifications(
        &self,
        user: UserId,
        after: i64,
    ) -> StoreResult<Vec<Notification>> {
        let client = self.client().await?;
        let found = rows(
            &client,
            &numbered(sql::DIGEST_NOTIFICATIONS),
            &[&user.0, &after, &DIGEST_NOTIFICATIONS],
        )
        .await?;
        let mut notifications = Vec::with_capacity(found.len());
        for row in &found {
            if let Some(notification) = notification_from_row(row)? {
                notifications.push(notification);
            }
        }
        Ok(notifications)
    }

    pub async fn set_locale(&self, user: UserId, locale: String) -> StoreResult<()> {
        let client = self.client().await?;
        run(&client, &numbered(sql::SET_LOCALE), &[&user.0, &locale]).await?;
        Ok(())
    }

    pub async fn begin_mail_request(
        &self,
        address_key: String,
        client: ClientKey,
        owner: bool,
    ) -> StoreResult<Result<(), MailRequestRefused>> {
        self.unseen_transaction(async |tx| {
            limits::begin_mail_request(tx, &address_key, client, owner).await
        })
        .await
    }

    pub async fn signed_in_from(&self, address_key: String, now: i64) -> StoreResult<Vec<String>> {
        let client = self.client().await?;
        let found = rows(
            &client,
            &numbered(sql::SIGNED_IN_FROM),
            &[&address_key, &now],
        )
        .await?;
        Ok(found
            .iter()
            .map(|row| row.try_get(0))
            .collect::<Result<_, _>>()?)
    }
}
