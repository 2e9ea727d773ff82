//! Question views: each viewer counts at most once an hour, and who viewed is kept only as a keyed hash.

use sha2::{Digest, Sha256};

use super::ids::UserId;

/// A viewer is counted again on a question only this long after they were last counted on it.
pub const VIEW_WINDOW_SECONDS: i64 = 3600;

/// Who views a question page: a logged-in user (as the session layer found them), or a visitor by address.
#[derive(Clone, Copy, Debug)]
pub enum Viewer<'a> {
    User(UserId),
    Address(&'a str),
}

/// A viewer as the count knows them: 64 bits of a hash of who they are, keyed with a secret of the server's,
/// so the stored value cannot be turned back into an address by trying every one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ViewerKey(pub i64);

impl ViewerKey {
    pub fn of(key: &[u8; 32], viewer: Viewer) -> Self {
        let (kind, value) = match viewer {
            Viewer::User(id) => ("user", id.0.to_string()),
            Viewer::Address(address) => ("address", address.to_owned()),
        };
        let digest = Sha256::new()
            .chain_update(key)
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
    fn users_and_addresses_never_share_a_key_and_the_key_depends_on_the_secret() {
        let key = [7u8; 32];
        let of = |viewer| ViewerKey::of(&key, viewer);
        assert_eq!(of(Viewer::User(UserId(12))), of(Viewer::User(UserId(12))));
        assert_ne!(of(Viewer::User(UserId(12))), of(Viewer::Address("12")));
        assert_ne!(
            of(Viewer::Address("192.0.2.1")),
            of(Viewer::Address("192.0.2.2"))
        );
        assert_ne!(
            ViewerKey::of(&[8u8; 32], Viewer::Address("192.0.2.1")),
            of(Viewer::Address("192.0.2.1"))
        );
    }
}
