//! Personal access tokens for the JSON API: what one is, the form that makes one, and what a token shows
//! of itself afterwards. A token is shown once, when made; the database keeps only its SHA-256.

use serde::Deserialize;

use super::{FieldError, Problem, accounts::CurrentUser};

/// What a token may do: read what its account can see, or also do everything its account can.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenScope {
    Read,
    Write,
}

impl TokenScope {
    /// As stored and as the API and the form spell it.
    pub fn code(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Write => "write",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "read" => Some(Self::Read),
            "write" => Some(Self::Write),
            _ => None,
        }
    }
}

/// Tokens one account may hold at once: enough for every script and integration a person runs, few
/// enough that the account page lists them all.
pub const MAX_TOKENS: i64 = 50;

/// The longest token name, in characters.
pub const NAME_MAX_CHARS: usize = 60;

/// How far ahead an expiry date may be (five years): a date further off is most likely a typo.
const LATEST_EXPIRY_DAYS: i64 = 5 * 366;

/// The account page's form that makes a token (`expires` is a date, YYYY-MM-DD, or empty for never), with
/// the account's current password: a token outlives the session it was made in, so a borrowed session
/// must not be enough to make one.
#[derive(Debug, Default, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    pub current_password: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub scope: String,
    #[serde(default)]
    pub expires: String,
}

/// A token as asked for, checked: its name, scope, and when it lapses (a Unix time, `None` for never).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenSpec {
    pub name: String,
    pub scope: TokenScope,
    pub expires_at: Option<i64>,
}

impl TokenForm {
    /// Checks the form against the day it is (`now`, a Unix time): a token expiring on a date lapses at the
    /// end of that day (UTC), so the date must be today or later.
    pub fn parse(&self, now: i64) -> Result<TokenSpec, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = self.name.trim();
        if name.is_empty() {
            errors.push(FieldError::new("name", Problem::Required));
        } else if name.chars().count() > NAME_MAX_CHARS || name.chars().any(char::is_control) {
            errors.push(FieldError::new("name", Problem::TokenNameInvalid));
        }
        let scope = TokenScope::parse(self.scope.trim());
        if scope.is_none() {
            errors.push(FieldError::new("scope", Problem::TokenScopeInvalid));
        }
        let expires_at = match self.expires.trim() {
            "" => None,
            date => match end_of_day(date) {
                None => {
                    errors.push(FieldError::new("expires", Problem::DateInvalid));
                    None
                }
                Some(end) if end <= now || end > now + LATEST_EXPIRY_DAYS * 86_400 => {
                    errors.push(FieldError::new("expires", Problem::ExpiryOutOfRange));
                    None
                }
                Some(end) => Some(end),
            },
        };
        match (errors.is_empty(), scope) {
            (true, Some(scope)) => Ok(TokenSpec {
                name: name.to_owned(),
                scope,
                expires_at,
            }),
            _ => Err(errors),
        }
    }
}

/// The Unix time a YYYY-MM-DD date ends (midnight UTC after it), if it is a date.
pub fn end_of_day(date: &str) -> Option<i64> {
    let bytes = date.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = &date[range];
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let month = time::Month::try_from(u8::try_from(month).ok()?).ok()?;
    let date =
        time::Date::from_calendar_date(i32::try_from(year).ok()?, month, u8::try_from(day).ok()?)
            .ok()?;
    Some(date.next_day()?.midnight().assume_utc().unix_timestamp())
}

/// A token as its holder sends it: `mbt_` and 64 hex digits (32 random bytes).
#[derive(Clone, PartialEq, Eq)]
pub struct TokenSecret(String);

/// What every token starts with, so a leaked one is recognisable (secret scanners look for prefixes).
const PREFIX: &str = "mbt_";

impl TokenSecret {
    pub fn generate() -> Self {
        Self(format!("{PREFIX}{}", super::mail::new_link_seed()))
    }

    /// A token as sent, if it could be one (anything else is not looked up).
    pub fn parse(raw: &str) -> Option<Self> {
        let digits = raw.strip_prefix(PREFIX)?;
        (digits.len() == 64
            && digits
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
        .then(|| Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the database keeps of it.
    pub fn hash(&self) -> String {
        crate::store::session_key(&self.0)
    }
}

impl std::fmt::Debug for TokenSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenSecret(..)")
    }
}

/// A token as its account page lists it (the token itself is never shown again).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenSummary {
    pub id: i64,
    pub name: String,
    pub scope: TokenScope,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

/// The account a token that works speaks for.
#[derive(Clone, Debug)]
pub struct TokenHolder {
    pub user: CurrentUser,
    pub scope: TokenScope,
    pub token_id: i64,
    /// When it was last used before this request (`None`: never).
    pub last_used_at: Option<i64>,
}

/// How stale a token's last-used time may get before a use writes it anew: a script reading every second
/// would otherwise write once a second.
pub const LAST_USED_EVERY_SECONDS: i64 = 60;

/// A token as made: its id, and what it lets its holder do.
pub struct NewToken {
    pub user: super::ids::UserId,
    pub spec: TokenSpec,
    pub hash: String,
    pub now: i64,
    /// The password hash the current password was checked against: the token is made only if it is still
    /// the account's (a password changed meanwhile revokes tokens, and must not miss this one). `None`
    /// for the operator's command.
    pub checked_password: Option<String>,
}

/// What making a token came to.
#[derive(Debug, PartialEq, Eq)]
pub enum TokenCreated {
    Created(i64),
    /// The account holds [`MAX_TOKENS`] already.
    TooMany,
    /// The account is gone.
    NoAccount,
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;
    /// 2026-12-06 12:00 UTC.
    const NOON: i64 = 1_796_558_400;

    fn form(name: &str, scope: &str, expires: &str) -> TokenForm {
        TokenForm {
            current_password: String::new(),
            name: name.into(),
            scope: scope.into(),
            expires: expires.into(),
        }
    }

    fn problems(form: &TokenForm) -> Vec<(&'static str, Problem)> {
        form.parse(NOON)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.problem))
            .collect()
    }

    #[test]
    fn a_token_expiring_on_a_date_lapses_at_the_end_of_that_day() {
        let spec = form(" deploy bot ", "write", "2026-12-06")
            .parse(NOON)
            .unwrap();
        assert_eq!(spec.name, "deploy bot");
        assert_eq!(spec.scope, TokenScope::Write);
        assert_eq!(spec.expires_at, Some(NOON + DAY / 2));
        assert_eq!(form("n", "read", "").parse(NOON).unwrap().expires_at, None);
        assert_eq!(
            form("n", "read", "2028-02-29")
                .parse(NOON)
                .unwrap()
                .expires_at,
            Some(1_835_481_600)
        );
    }

    #[test]
    fn bad_names_scopes_and_dates_are_each_reported() {
        assert_eq!(
            problems(&form("", "admin", "2026-13-01")),
            vec![
                ("name", Problem::Required),
                ("scope", Problem::TokenScopeInvalid),
                ("expires", Problem::DateInvalid)
            ]
        );
        assert_eq!(
            problems(&form(&"x".repeat(61), "read", "2026-12-05")),
            vec![
                ("name", Problem::TokenNameInvalid),
                ("expires", Problem::ExpiryOutOfRange)
            ]
        );
        for date in [
            "2027-02-29",
            "26-12-07",
            "2026-1-07",
            "+026-12-07",
            "2026-12-0a",
        ] {
            assert_eq!(
                problems(&form("n", "read", date)),
                vec![("expires", Problem::DateInvalid)],
                "{date}"
            );
        }
        assert_eq!(
            problems(&form("n", "read", "2040-01-01")),
            vec![("expires", Problem::ExpiryOutOfRange)]
        );
        assert_eq!(
            problems(&form("a\u{0}b", "write", "")),
            vec![("name", Problem::TokenNameInvalid)]
        );
    }

    #[test]
    fn only_well_formed_tokens_are_looked_up_and_none_is_printed() {
        let token = TokenSecret::generate();
        assert!(token.as_str().starts_with("mbt_") && token.as_str().len() == 68);
        assert_eq!(TokenSecret::parse(token.as_str()), Some(token.clone()));
        assert_ne!(TokenSecret::generate(), token);
        assert_eq!(token.hash().len(), 64);
        assert_eq!(format!("{token:?}"), "TokenSecret(..)");
        for bad in [
            "",
            "mbt_",
            "mbt_XYZ",
            &token.as_str()[4..],
            &format!("{}0", token.as_str()),
        ] {
            assert_eq!(TokenSecret::parse(bad), None, "{bad}");
        }
    }
}
