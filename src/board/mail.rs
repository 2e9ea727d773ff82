//! What people do by mail: recover a forgotten password, confirm an address, move the account to another
//! one, choose what is mailed to them and stop it from a mail. Each mail is queued in the database in the
//! transaction that causes it; `mail` sends it.

use super::{BoardError, accounts::check_current_password};
use crate::{
    domain::{
        self, FieldError, Problem,
        accounts::{CurrentUser, Email, EmailChangeForm, NewAccount, PasswordResetForm},
        limits::ClientKey,
        mail::{
            LinkPurpose, LinkToken, Mail, MailChoices, MailChoicesForm, MailRequestRefused,
            MailSettings, MailStream, NewLink, NewSignup, Outgoing, RESET_LINK_SECONDS, Recipient,
            VERIFY_LINK_SECONDS, Verified, new_link_seed,
        },
    },
    i18n::Lang,
    passwords,
    signing::{LinkKey, Unsubscribe},
    store::Store,
    web::limits::{Busy, HashingGate},
};

/// Counts a mail asked for to `email` from `client`, and says whether to send it (reset and
/// verification links are limited per address and per client, so nobody floods an inbox through the
/// board). Many clients together may fill an address's own cap to keep its owner from a reset: the
/// owner, asking from where the account is signed in, is not held by that cap; anyone else then gets the
/// answer a sent mail gets, and nothing is sent (a refusal would tell an address with an account from
/// one without). The account is looked for only then, so a request under the limits takes as long
/// whether or not the address is anyone's.
pub(super) async fn count_request(
    store: &Store,
    email: &Email,
    client: ClientKey,
) -> Result<bool, BoardError> {
    let counted = store.begin_mail_request(email.key(), client, false).await?;
    match counted {
        Ok(()) => return Ok(true),
        Err(MailRequestRefused::Wait(wait)) => return Err(BoardError::Throttled(wait)),
        Err(MailRequestRefused::AddressFull(_)) => {}
    }
    let owner = store
        .signed_in_from(email.key(), domain::now())
        .await?
        .iter()
        .filter_map(|address| address.parse().ok())
        .any(|address| ClientKey::of(Some(address)) == client);
    // Counted either way (the client's own limits bound how often anyone gets here).
    match store.begin_mail_request(email.key(), client, true).await? {
        Ok(()) => Ok(owner),
        Err(MailRequestRefused::Wait(wait)) => Err(BoardError::Throttled(wait)),
        Err(MailRequestRefused::AddressFull(_)) => Ok(false),
    }
}

/// Counts a mail a signed-in account asks for to its own address: refused by every cap, the address's
/// too (it says nothing the account does not know, and its address is not confirmed, so no session
/// shows it the owner's).
async fn count_own_request(
    store: &Store,
    email: &Email,
    client: ClientKey,
) -> Result<(), BoardError> {
    match store.begin_mail_request(email.key(), client, false).await? {
        Ok(()) => Ok(()),
        Err(MailRequestRefused::Wait(wait) | MailRequestRefused::AddressFull(wait)) => {
            Err(BoardError::Throttled(wait))
        }
    }
}

/// A new one-use link's seed (what its mail keeps) and the hash of its token (what the database keeps).
fn new_link(links: &LinkKey) -> (String, String) {
    let seed = new_link_seed();
    let hash = links.token(&seed).hash();
    (seed, hash)
}

/// Mails a one-use link to `to` (the mail keeps its seed, the database its token's hash) and wakes the
/// sender; whether it kept the link (not for an account deleted meanwhile, nor, given `checked_password`,
/// one whose password changed since it was checked). `mail` words it; for an address that is someone
/// else's it is another mail altogether, and with none nobody is mailed; the link is kept all the same,
/// though nobody gets its token (the account page looks the same either way).
async fn send_link(
    store: &Store,
    links: &LinkKey,
    user: &Recipient,
    purpose: LinkPurpose,
    to: &str,
    checked_password: Option<String>,
    mail: impl FnOnce(String) -> Option<Outgoing>,
) -> Result<bool, BoardError> {
    let (seed, token_hash) = new_link(links);
    let lasts = match purpose {
        LinkPurpose::Reset => RESET_LINK_SECONDS,
        LinkPurpose::Verify => VERIFY_LINK_SECONDS,
    };
    let link = NewLink {
        token_hash,
        user: user.id,
        purpose,
        email: to.to_owned(),
        expires_at: domain::now() + lasts,
        checked_password,
    };
    let mail = mail(seed);
    let mailed = mail.is_some();
    let kept = store.add_link(link, mail).await?;
    if kept && mailed {
        crate::mail::wake_sender();
    }
    Ok(kept)
}

/// Queues a mail and wakes the sender.
async fn send(store: &Store, user: &Recipient, mail: Mail) -> Result<(), BoardError> {
    let outgoing = Outgoing {
        recipient: user.email.clone(),
        locale: user.locale.clone(),
        mail,
    };
    store.queue_mail(Some(user.id), outgoing).await?;
    crate::mail::wake_sender();
    Ok(())
}

/// "Forgot password": mails the account with this address a reset link, in the language it was asked
/// in. Whether an account has the address is not said: the answer is the same either way, and it comes
/// before the account is even looked for (only a malformed address, or too many requests, is told apart).
pub async fn forgot_password(
    store: &Store,
    links: &LinkKey,
    typed: &str,
    client: ClientKey,
    lang: Lang,
) -> Result<Email, BoardError> {
    let email =
        Email::parse(typed).map_err(|p| BoardError::Invalid(vec![FieldError::new("email", p)]))?;
    if !count_request(store, &email, client).await? {
        return Ok(email);
    }
    let (store, links, wanted) = (store.clone(), links.clone(), email.clone());
    tokio::spawn(async move {
        if let Err(err) = send_reset_link(&store, &links, wanted, lang).await {
            tracing::warn!(%err, "a password reset link could not be queued");
        }
    });
    Ok(email)
}

async fn send_reset_link(
    store: &Store,
    links: &LinkKey,
    email: Email,
    lang: Lang,
) -> Result<(), BoardError> {
    let Some(user) = store.user_by_email(email).await? else {
        return Ok(());
    };
    send_link(
        store,
        links,
        &user,
        LinkPurpose::Reset,
        &user.email,
        None,
        |seed| {
            Some(Outgoing {
                recipient: user.email.clone(),
                locale: lang.code().to_owned(),
                mail: Mail::ResetPassword {
                    username: user.username.clone(),
                    seed,
                },
            })
        },
    )
    .await
    .map(drop)
}

/// Whether a reset link still works (its page shows the form, or says it does not).
pub async fn reset_link_works(store: &Store, typed: &str) -> Result<bool, BoardError> {
    let Some(token) = LinkToken::parse(typed) else {
        return Ok(false);
    };
    Ok(store.link_works(token.hash(), LinkPurpose::Reset).await?)
}

/// Sets a new password through a reset link: the link is used up, every session of the account ends,
/// and the account is returned to be logged in. A link that does not work is not found.
pub async fn reset_password(
    store: &Store,
    hashing: &HashingGate,
    typed: &str,
    form: &PasswordResetForm,
) -> Result<CurrentUser, BoardError> {
    let token = LinkToken::parse(typed).ok_or(BoardError::NotFound)?;
    let password = form.parse().map_err(BoardError::Invalid)?;
    // A dead link is said so before a password is hashed for it.
    if !store.link_works(token.hash(), LinkPurpose::Reset).await? {
        return Err(BoardError::NotFound);
    }
    let new = password.as_str().to_owned();
    let hash = hashing
        .run(move || passwords::hash(&new))
        .await
        .map_err(|Busy| BoardError::Busy)?
        .map_err(BoardError::Internal)?;
    store
        .reset_password(token.hash(), hash)
        .await?
        .ok_or(BoardError::NotFound)
}

/// Whether a confirmation link still works (its page shows the button, or says it does not).
pub async fn confirmation_link_works(store: &Store, typed: &str) -> Result<bool, BoardError> {
    let Some(token) = LinkToken::parse(typed) else {
        return Ok(false);
    };
    Ok(store.link_works(token.hash(), LinkPurpose::Verify).await?)
}

/// Uses a confirmation link: the address is confirmed, the account moves to it, or a sign-up's account is
/// made.
pub async fn verify_address(store: &Store, typed: &str) -> Result<Verified, BoardError> {
    let Some(token) = LinkToken::parse(typed) else {
        return Ok(Verified::Invalid);
    };
    Ok(store.verify_address(token.hash()).await?)
}

/// Mails a new account its confirmation link (in the language it signed up in): with mail off, where
/// the account is made at once and the mail is only written to the log.
pub async fn confirm_new_account(
    store: &Store,
    links: &LinkKey,
    user: &CurrentUser,
    lang: Lang,
) -> Result<(), BoardError> {
    store.set_locale(user.id, lang.code().to_owned()).await?;
    let recipient = store
        .mail_address(user.id)
        .await?
        .ok_or(BoardError::NotFound)?;
    send_confirmation(store, links, &recipient, lang.code()).await
}

async fn send_confirmation(
    store: &Store,
    links: &LinkKey,
    recipient: &Recipient,
    locale: &str,
) -> Result<(), BoardError> {
    send_link(
        store,
        links,
        recipient,
        LinkPurpose::Verify,
        &recipient.email,
        None,
        |seed| {
            Some(Outgoing {
                recipient: recipient.email.clone(),
                locale: locale.to_owned(),
                mail: Mail::VerifyAddress {
                    username: recipient.username.clone(),
                    seed,
                    change: false,
                },
            })
        },
    )
    .await
    .map(drop)
}

/// Keeps a sign-up until its address is confirmed (mail on), and mails the link that makes the account.
pub async fn hold_sign_up(
    store: &Store,
    links: &LinkKey,
    account: &NewAccount,
    password_hash: String,
    lang: Lang,
) -> Result<(), BoardError> {
    let (seed, token_hash) = new_link(links);
    let signup = NewSignup {
        token_hash,
        username: account.username.clone(),
        email: account.email.clone(),
        password_hash,
        locale: lang.code().to_owned(),
        expires_at: domain::now() + VERIFY_LINK_SECONDS,
    };
    let mail = Outgoing {
        recipient: account.email.as_str().to_owned(),
        locale: lang.code().to_owned(),
        mail: Mail::VerifyAddress {
            username: account.username.as_str().to_owned(),
            seed,
            change: false,
        },
    };
    store.add_signup(signup, mail).await?;
    crate::mail::wake_sender();
    Ok(())
}

/// Tells the owner of `email` that someone tried to sign up (or move an account) with it: what a
/// sign-up with a taken address does instead of saying so.
pub async fn tell_address_owner(store: &Store, email: &Email) -> Result<(), BoardError> {
    if let Some(owner) = store.user_by_email(email.clone()).await? {
        let mail = Mail::AddressInUse {
            username: owner.username.clone(),
        };
        send(store, &owner, mail).await?;
    }
    Ok(())
}

/// Mails the account's address its confirmation link again, unless it is confirmed already.
pub async fn resend_confirmation(
    store: &Store,
    links: &LinkKey,
    user: &CurrentUser,
    client: ClientKey,
) -> Result<(), BoardError> {
    let recipient = store
        .mail_address(user.id)
        .await?
        .ok_or(BoardError::NotFound)?;
    let settings = mail_settings(store, user).await?;
    if settings.verified {
        return Ok(());
    }
    let email = Email::parse(&recipient.email).map_err(|_| BoardError::NotFound)?;
    count_own_request(store, &email, client).await?;
    send_confirmation(store, links, &recipient, &recipient.locale).await
}

/// Asks to move the account to another address (the current password required, as for any change to
/// the account): a link goes to the new address, and the move happens once it is opened. An address
/// that is another account's gets that account's owner told instead, and the answer is the same.
pub async fn change_address(
    store: &Store,
    links: &LinkKey,
    hashing: &HashingGate,
    user: &CurrentUser,
    form: &EmailChangeForm,
    client: ClientKey,
) -> Result<Email, BoardError> {
    let email = form.parse().map_err(BoardError::Invalid)?;
    let recipient = store
        .mail_address(user.id)
        .await?
        .ok_or(BoardError::NotFound)?;
    if Email::parse(&recipient.email).is_ok_and(|current| current.key() == email.key()) {
        return Err(BoardError::Invalid(vec![FieldError::new(
            "email",
            Problem::SameEmail,
        )]));
    }
    let (checked, ()) =
        check_current_password(store, hashing, user, &form.current_password, client, || {
            Ok(())
        })
        .await?;
    // Over the address's cap the link is kept and nobody is mailed: the account page shows the address
    // as waiting either way.
    let send = count_request(store, &email, client).await?;
    let owner = store.user_by_email(email.clone()).await?;
    let kept = send_link(
        store,
        links,
        &recipient,
        LinkPurpose::Verify,
        email.as_str(),
        Some(checked),
        |seed| {
            let mail = match owner {
                // Someone else's: they are told, and the link's token goes to nobody.
                Some(owner) => Outgoing {
                    recipient: owner.email,
                    locale: owner.locale,
                    mail: Mail::AddressInUse {
                        username: owner.username,
                    },
                },
                None => Outgoing {
                    recipient: email.as_str().to_owned(),
                    locale: recipient.locale.clone(),
                    mail: Mail::VerifyAddress {
                        username: recipient.username.clone(),
                        seed,
                        change: true,
                    },
                },
            };
            send.then_some(mail)
        },
    )
    .await?;
    // The password changed (or the account went) while it was checked: as a wrong password.
    if !kept {
        return Err(super::accounts::wrong_password());
    }
    Ok(email)
}

/// Whether the user may post, edit, comment or like: anyone logged in may, unless suspended (told why and
/// until when) or, on a board that asks for a confirmed address first (`required`), unconfirmed.
pub async fn may_post(store: &Store, user: &CurrentUser, required: bool) -> Result<(), BoardError> {
    let standing = super::moderation::standing(store, user).await?;
    if let Some(suspension) = standing.suspension {
        return Err(BoardError::Suspended(suspension));
    }
    if !required || standing.verified {
        return Ok(());
    }
    Err(BoardError::Forbidden(
        crate::domain::policy::Denied::AddressUnconfirmed,
    ))
}

/// The account's address and what is mailed to it.
pub async fn mail_settings(store: &Store, user: &CurrentUser) -> Result<MailSettings, BoardError> {
    store
        .mail_settings(user.id)
        .await?
        .ok_or(BoardError::NotFound)
}

/// Sets which notifications are mailed to the account, as the account page's form ticks them.
pub async fn set_mail_choices(
    store: &Store,
    user: &CurrentUser,
    form: &MailChoicesForm,
) -> Result<(), BoardError> {
    choose_mail(store, user, form.choices(), form.digest.is_some()).await
}

/// Sets which notifications are mailed to the account, and whether as one mail a day.
pub async fn choose_mail(
    store: &Store,
    user: &CurrentUser,
    choices: MailChoices,
    digest: bool,
) -> Result<(), BoardError> {
    Ok(store.set_mail_choices(user.id, choices, digest).await?)
}

/// Stops what an unsubscribe link names: one kind of notification mail, or the digest (and with it every
/// notification by mail, which is what the digest was).
pub async fn unsubscribe(store: &Store, what: Unsubscribe) -> Result<(), BoardError> {
    let settings = store
        .mail_settings(what.user)
        .await?
        .ok_or(BoardError::NotFound)?;
    let (choices, digest) = match what.stream {
        MailStream::Kind(kind) => (settings.choices.without(kind), settings.digest),
        MailStream::Digest => (MailChoices::new([]), false),
    };
    Ok(store.set_mail_choices(what.user, choices, digest).await?)
}

/// Keeps the language the account's mail is written in: the one it last chose.
pub async fn set_language(store: &Store, user: &CurrentUser, lang: Lang) -> Result<(), BoardError> {
    Ok(store.set_locale(user.id, lang.code().to_owned()).await?)
}
