//! Sign-up and log-in input.

use serde::{Deserialize, Serialize};

use super::{FieldError, Problem, ids::UserId};

/// A user as the rest of the app sees it: never the password hash.
#[derive(Clone, Debug)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub email: String,
    pub created_at: i64,
}

/// The logged-in user, as kept in the session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: UserId,
    pub username: String,
}

impl CurrentUser {
    /// The user as the authorization policy sees them. (Every account is a `User` until moderation brings
    /// other roles; then the role is read fresh for each request.)
    pub fn actor(&self) -> super::policy::Actor {
        super::policy::Actor::user(self.id)
    }
}

/// 3–25 characters of letters (any script, Hangul included), digits, `_` and `-`, in NFKC form (full-width
/// `ｃａｒｏｌ` is `carol`), written in one script or a usual mix (Latin with Hangul, Han or Japanese: UTS #39's
/// "highly restrictive" level), so `саrol` with a Cyrillic `а` is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub const MIN_CHARS: usize = 3;
    pub const MAX_CHARS: usize = 25;

    pub fn parse(raw: &str) -> Result<Self, Problem> {
        use unicode_normalization::UnicodeNormalization;
        use unicode_security::{RestrictionLevel, RestrictionLevelDetection};

        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(Problem::Required);
        }
        // Counted before normalising too: NFKC of a long input is not worth computing.
        if trimmed.chars().count() > 4 * Self::MAX_CHARS {
            return Err(Problem::UsernameLength);
        }
        let name: String = trimmed.nfkc().collect();
        if !(Self::MIN_CHARS..=Self::MAX_CHARS).contains(&name.chars().count()) {
            return Err(Problem::UsernameLength);
        }
        if !name
            .chars()
            .all(|c| c.is_alphabetic() || c.is_ascii_digit() || c == '_' || c == '-')
        {
            return Err(Problem::UsernameCharacters);
        }
        if name.as_str().detect_restriction_level() > RestrictionLevel::HighlyRestrictive {
            return Err(Problem::UsernameMixedScripts);
        }
        Ok(Self(name))
    }

    /// Whether an account could have this name: no longer than the longest, once normalised as names are
    /// (a lower-case key can be longer: `İ` is two characters in lower case).
    pub fn may_exist(raw: &str) -> bool {
        use unicode_normalization::UnicodeNormalization;
        raw.trim()
            .chars()
            .take(4 * Self::MAX_CHARS)
            .nfkc()
            .take(Self::MAX_CHARS + 1)
            .count()
            <= Self::MAX_CHARS
    }

    /// What the name looks like (UTS #39 skeleton of its lower case): two names with one skeleton are
    /// confusable, so only one of them may exist.
    pub fn skeleton(&self) -> String {
        username_skeleton(&self.0)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form uniqueness and log-in compare: letter case does not make a different user.
    pub fn key(&self) -> String {
        username_key(&self.0)
    }
}

/// The lookup key of a typed user name; also used at log-in, where the input is not validated (so it is
/// cut at a few times the longest name first: a megabyte of "username" costs no more than a real one).
pub fn username_key(raw: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    raw.trim()
        .chars()
        .take(4 * Username::MAX_CHARS)
        .nfkc()
        .collect::<String>()
        .to_lowercase()
}

/// The keys a typed name finds its account by: its lookup key, and the name lower-cased as typed, which is
/// the key of an account made before keys were normalised (migration 7 kept it where the normalised one was
/// taken); that older account is the one meant when both exist.
pub fn username_keys(typed: &str) -> [String; 2] {
    [username_key(typed), typed.trim().to_lowercase()]
}

/// The confusable skeleton of a stored or typed name (see [`Username::skeleton`]).
pub fn username_skeleton(name: &str) -> String {
    unicode_security::skeleton(&name.to_lowercase()).collect()
}

/// A syntactically valid address: `local@domain.tld`, at most 254 bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let email = raw.trim();
        if email.is_empty() {
            return Err(Problem::Required);
        }
        let valid = email.len() <= 254
            && email
                .split_once('@')
                .is_some_and(|(local, domain)| valid_local_part(local) && valid_domain(domain));
        if valid {
            Ok(Self(email.to_owned()))
        } else {
            Err(Problem::EmailInvalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Addresses differing only in letter case belong to one person.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

fn valid_local_part(local: &str) -> bool {
    !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c))
}

fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.chars().all(char::is_alphabetic) && tld.chars().count() >= 2)
}

/// A new password: at least 8 characters, at most 1,024 bytes (hashing cost must stay bounded).
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 8;
    pub const MAX_BYTES: usize = 1024;

    pub fn parse(raw: &str) -> Result<Self, Problem> {
        if raw.is_empty() {
            Err(Problem::Required)
        } else if raw.len() > Self::MAX_BYTES {
            Err(Problem::PasswordTooLong)
        } else if raw.chars().count() < Self::MIN_CHARS {
            Err(Problem::PasswordTooShort)
        } else {
            Ok(Self(raw.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One of an account's sessions, as the account page lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionSummary {
    /// What it is stored under (a hash of its id, so no cookie): how the page names it to end it.
    pub key: String,
    pub user_agent: String,
    pub address: String,
    pub created_at: i64,
    pub last_seen_at: i64,
}

/// A browser and system as people name them, from a User-Agent: "Firefox · Linux", "Safari · iPhone";
/// `None` when it names neither.
pub fn device_name(user_agent: &str) -> Option<String> {
    // Order matters: Edge and Opera say Chrome too, Chrome says Safari, Android says Linux.
    const BROWSERS: [(&str, &str); 6] = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ];
    const SYSTEMS: [(&str, &str); 7] = [
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Android", "Android"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ];
    let find = |names: &[(&str, &'static str)]| {
        names
            .iter()
            .find(|(marker, _)| user_agent.contains(marker))
            .map(|(_, name)| *name)
    };
    match (find(&BROWSERS), find(&SYSTEMS)) {
        (Some(browser), Some(system)) => Some(format!("{browser} · {system}")),
        (Some(one), None) | (None, Some(one)) => Some(one.to_owned()),
        (None, None) => None,
    }
}

/// A new password typed twice (`password1`, `password2`, as the sign-up and password forms name them):
/// the first parsed (the caller sends the form back while `errors` holds anything), its problems and the
/// second's added to `errors`.
fn new_password(first: &str, second: &str, errors: &mut Vec<FieldError>) -> Option<Password> {
    let password = Password::parse(first)
        .map_err(|p| errors.push(FieldError::new("password1", p)))
        .ok();
    if second.is_empty() {
        errors.push(FieldError::new("password2", Problem::Required));
    } else if first != second {
        errors.push(FieldError::new("password2", Problem::PasswordsDiffer));
    }
    password
}

/// The password form of the account page, as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct PasswordChangeForm {
    #[serde(default)]
    pub current_password: String,
    #[serde(default)]
    pub password1: String,
    #[serde(default)]
    pub password2: String,
}

impl PasswordChangeForm {
    /// The new password, or every problem with the form at once (whether the current one is right only
    /// the stored hash can tell).
    pub fn parse(&self) -> Result<Password, Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.current_password.is_empty() {
            errors.push(FieldError::new("current_password", Problem::Required));
        }
        let password = new_password(&self.password1, &self.password2, &mut errors);
        match password {
            Some(password) if errors.is_empty() => Ok(password),
            _ => Err(errors),
        }
    }
}

/// The form of a password reset link's page, as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct PasswordResetForm {
    #[serde(default)]
    pub password1: String,
    #[serde(default)]
    pub password2: String,
}

impl PasswordResetForm {
    /// The new password, or every problem with the form at once.
    pub fn parse(&self) -> Result<Password, Vec<FieldError>> {
        let mut errors = Vec::new();
        match new_password(&self.password1, &self.password2, &mut errors) {
            Some(password) if errors.is_empty() => Ok(password),
            _ => Err(errors),
        }
    }
}

/// The account page's form that deletes the account, as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct AccountDeleteForm {
    #[serde(default)]
    pub current_password: String,
}

/// How long a deleted account's name stays taken, so nobody can pass for its owner at once.
pub const DELETED_NAME_HELD_SECONDS: i64 = 30 * 24 * 60 * 60;

/// The "forgot password" form, as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct ForgotPasswordForm {
    #[serde(default)]
    pub email: String,
}

/// The address form of the account page, as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct EmailChangeForm {
    #[serde(default)]
    pub current_password: String,
    #[serde(default)]
    pub email: String,
}

impl EmailChangeForm {
    /// The new address, or every problem with the form at once.
    pub fn parse(&self) -> Result<Email, Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.current_password.is_empty() {
            errors.push(FieldError::new("current_password", Problem::Required));
        }
        let email = Email::parse(&self.email)
            .map_err(|p| errors.push(FieldError::new("email", p)))
            .ok();
        match email {
            Some(email) if errors.is_empty() => Ok(email),
            _ => Err(errors),
        }
    }
}

/// The fields of the sign-up form, as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct SignupForm {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password1: String,
    #[serde(default)]
    pub password2: String,
}

/// Which unique field a new account clashed on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Taken {
    Username,
    /// Another name looks the same (one confusable skeleton).
    LookAlike,
    Email,
}

/// A sign-up that passed every check but uniqueness, which only storage can tell.
pub struct NewAccount {
    pub username: Username,
    pub email: Email,
    pub password: Password,
}

impl SignupForm {
    /// Every problem at once, so the user fixes the form in one go.
    pub fn parse(&self) -> Result<NewAccount, Vec<FieldError>> {
        let mut errors = Vec::new();
        let username = Username::parse(&self.username)
            .map_err(|p| errors.push(FieldError::new("username", p)))
            .ok();
        let email = Email::parse(&self.email)
            .map_err(|p| errors.push(FieldError::new("email", p)))
            .ok();
        let password = new_password(&self.password1, &self.password2, &mut errors);
        match (username, email, password) {
            (Some(username), Some(email), Some(password)) if errors.is_empty() => Ok(NewAccount {
                username,
                email,
                password,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_are_named_by_browser_and_system() {
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        assert_eq!(device_name(firefox).as_deref(), Some("Firefox · Linux"));
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 \
                      (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
        assert_eq!(device_name(iphone).as_deref(), Some("Safari · iPhone"));
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
                    Chrome/126.0 Safari/537.36 Edg/126.0";
        assert_eq!(device_name(edge).as_deref(), Some("Edge · Windows"));
        let android =
            "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36";
        assert_eq!(device_name(android).as_deref(), Some("Chrome · Android"));
        assert_eq!(device_name(""), None);
        assert_eq!(device_name("reqwest"), None);
    }

    #[test]
    fn a_new_password_is_typed_twice_under_the_current_one() {
        let form = |current: &str, one: &str, two: &str| PasswordChangeForm {
            current_password: current.into(),
            password1: one.into(),
            password2: two.into(),
        };
        assert!(
            form("old password", "new password", "new password")
                .parse()
                .is_ok()
        );
        let problems = |f: PasswordChangeForm| -> Vec<(&'static str, Problem)> {
            f.parse()
                .err()
                .expect("refused")
                .into_iter()
                .map(|e| (e.field, e.problem))
                .collect()
        };
        assert_eq!(
            problems(form("", "short", "other")),
            [
                ("current_password", Problem::Required),
                ("password1", Problem::PasswordTooShort),
                ("password2", Problem::PasswordsDiffer)
            ]
        );
    }

    #[test]
    fn usernames_take_letters_of_any_script_digits_underscore_and_dash() {
        for good in ["bob", "홍길동", "user_01", "a-b", &"x".repeat(25)] {
            assert!(Username::parse(good).is_ok(), "{good} refused");
        }
        assert_eq!(Username::parse(""), Err(Problem::Required));
        assert_eq!(Username::parse("ab"), Err(Problem::UsernameLength));
        assert_eq!(
            Username::parse(&"x".repeat(26)),
            Err(Problem::UsernameLength)
        );
        for bad in ["a b c", "bob!", "<script>", "a.b.c", "ab\u{0}c"] {
            assert_eq!(
                Username::parse(bad),
                Err(Problem::UsernameCharacters),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn look_alike_usernames_share_a_skeleton() {
        let carol = Username::parse("carol").expect("valid");
        let full_width = Username::parse("ｃａｒｏｌ").expect("full-width letters are letters");
        assert_eq!(full_width.as_str(), "carol", "NFKC");
        assert_eq!(full_width.skeleton(), carol.skeleton());
        assert_eq!(
            Username::parse("CAROL").expect("valid").skeleton(),
            carol.skeleton()
        );
        // All-Cyrillic letters, one script: allowed as a script, but it looks like a Latin name.
        let cyrillic =
            Username::parse("\u{0441}\u{0430}\u{0441}\u{0430}\u{043E}").expect("one script");
        assert_eq!(
            cyrillic.skeleton(),
            Username::parse("cacao").expect("valid").skeleton()
        );
        assert_ne!(
            Username::parse("caro1").expect("valid").skeleton(),
            Username::parse("card").expect("valid").skeleton()
        );
    }

    #[test]
    fn mixed_scripts_are_refused_unless_the_mix_is_a_usual_one() {
        assert_eq!(
            Username::parse("саrol"),
            Err(Problem::UsernameMixedScripts),
            "Cyrillic а in a Latin name"
        );
        assert_eq!(
            Username::parse("paypаl"),
            Err(Problem::UsernameMixedScripts)
        );
        for fine in ["김철수kim", "田中taro", "홍길동", "ελληνικά", "иван"] {
            assert!(Username::parse(fine).is_ok(), "{fine} refused");
        }
    }

    #[test]
    fn a_name_whose_lower_case_is_longer_can_still_log_in() {
        let name = Username::parse("İbrahim_Yilmaz_Ozturk_123").expect("25 characters");
        assert!(Username::may_exist(name.as_str()));
        assert!(name.key().chars().count() > Username::MAX_CHARS);
        assert!(!Username::may_exist(&"x".repeat(26)));
    }

    #[test]
    fn a_megabyte_username_is_cut_before_it_costs_anything() {
        let huge = "x".repeat(1 << 20);
        assert_eq!(Username::parse(&huge), Err(Problem::UsernameLength));
        assert_eq!(username_key(&huge).len(), 4 * Username::MAX_CHARS);
    }

    #[test]
    fn username_keys_ignore_letter_case() {
        let upper = Username::parse("Alice").expect("valid");
        let lower = Username::parse("alice").expect("valid");
        assert_eq!(upper.key(), lower.key());
    }

    #[test]
    fn emails_need_a_local_part_and_a_dotted_domain() {
        for good in ["a@b.co", "first.last+tag@example.com", "이메일@example.kr"] {
            assert!(Email::parse(good).is_ok(), "{good} refused");
        }
        for bad in [
            "plain",
            "@example.com",
            "a@",
            "a@localhost",
            "a@@b.com",
            "a b@c.com",
            "a@b..com",
            "a@-b.com",
            ".a@b.com",
            "a@b.c0m",
        ] {
            assert_eq!(Email::parse(bad), Err(Problem::EmailInvalid), "{bad}");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(Problem::EmailInvalid));
    }

    #[test]
    fn passwords_are_8_characters_to_1024_bytes() {
        assert!(Password::parse("12345678").is_ok());
        assert!(Password::parse("비밀번호비밀번호").is_ok());
        assert!(matches!(
            Password::parse("1234567"),
            Err(Problem::PasswordTooShort)
        ));
        assert!(Password::parse(&"p".repeat(1024)).is_ok());
        assert!(matches!(
            Password::parse(&"p".repeat(1025)),
            Err(Problem::PasswordTooLong)
        ));
    }

    #[test]
    fn a_signup_form_reports_every_problem_at_once() {
        let form = SignupForm {
            username: "x".into(),
            email: "nope".into(),
            password1: "short".into(),
            password2: "other".into(),
        };
        let errors = form.parse().err().expect("invalid form");
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["username", "email", "password1", "password2"]);
    }
}
