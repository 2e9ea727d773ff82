//! Question views: each viewer counts at most once an hour, and who viewed is kept only as a hash.

use sha2::{Digest, Sha256};

/// A viewer is counted again on a question only this long after they were last counted on it.
pub const VIEW_WINDOW_SECONDS: i64 = 3600;

/// A viewer as the count knows them: 64 bits of a hash of their session (a user) or their address (a
/// visitor), never the session or the address itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ViewerKey(pub i64);

impl ViewerKey {
    /// The key of a logged-in viewer, from their session cookie.
    pub fn of_session(cookie: &str) -> Self {
        Self::hashed("session", cookie)
    }

    /// The key of a visitor, from their address (as the per-client limits read it).
    pub fn of_address(address: &str) -> Self {
        Self::hashed("address", address)
    }

    fn hashed(kind: &str, value: &str) -> Self {
        let digest = Sha256::new()
            .chain_update(kind)
            .chain_update([0])
            .chain_update(value)
            .finalize();
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        Self(i64::from_le_bytes(first))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_and_addresses_never_share_a_key() {
        assert_eq!(ViewerKey::of_session("abc"), ViewerKey::of_session("abc"));
        assert_ne!(ViewerKey::of_session("abc"), ViewerKey::of_address("abc"));
        assert_ne!(
            ViewerKey::of_address("192.0.2.1"),
            ViewerKey::of_address("192.0.2.2")
        );
    }
}
