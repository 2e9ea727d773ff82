//! Password hashing with argon2id, m=7168 KiB, t=5, p=1: of the settings OWASP rates as equally strong
//! (19 MiB with 2 passes is the crate's default), the one that holds the least memory while a hash runs, so
//! a log-in storm costs the server 7 MB, not 19. A stored hash keeps its own settings: older ones verify as
//! they were made. Both calls take tens of milliseconds of CPU: callers run them on a blocking thread, never
//! on the async executor.

use std::sync::OnceLock;

use argon2::{
    Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version,
    password_hash::phc::PasswordHash,
};

/// The memory (KiB) and passes new hashes are made with.
const MEMORY_KIB: u32 = 7 * 1024;
const PASSES: u32 = 5;

fn hasher() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, PASSES, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A PHC string (`$argon2id$v=19$...`) with its own random salt.
pub fn hash(password: &str) -> Result<String, String> {
    hasher()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|err| format!("hashing a password: {err}"))
}

/// Whether `password` matches `stored`. A stored value that does not parse matches nothing.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|parsed| {
        hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Does the work of a real verification against a hash no password matches, so that a log-in for an unknown
/// user takes as long as one with a wrong password.
pub fn verify_against_nothing(password: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash("no password is this one").unwrap_or_default());
    let _ = verify(password, dummy);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let stored = hash("correct horse").expect("hash");
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse", &stored));
        assert!(!verify("wrong horse", &stored));
        assert!(!verify("correct horse", "not a hash"));
    }

    #[test]
    fn new_hashes_hold_7_mib_and_older_ones_verify_with_their_own_settings() {
        let stored = hash("correct horse").expect("hash");
        assert!(
            stored.starts_with("$argon2id$v=19$m=7168,t=5,p=1$"),
            "{stored}"
        );
        let older = Argon2::default()
            .hash_password(b"battery staple")
            .expect("hash")
            .to_string();
        assert!(
            older.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{older}"
        );
        assert!(verify("battery staple", &older));
        assert!(!verify("battery", &older));
    }
}
