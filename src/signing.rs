//! Keyed signatures over the `sha2` already here: HMAC-SHA256 (RFC 2104), and the tokens signed with it
//! that need no row of their own (an unsubscribe link's).

use sha2::{Digest, Sha256};

use crate::domain::{
    ids::UserId,
    mail::{LinkToken, MailStream},
};

/// Turns a one-use link's seed (what the queued mail keeps) into the token the link carries.
#[derive(Clone)]
pub struct LinkKey(pub [u8; 32]);

impl LinkKey {
    pub fn token(&self, seed: &str) -> LinkToken {
        LinkToken::from_bytes(&hmac(&self.0, seed.as_bytes()))
    }
}

/// HMAC-SHA256 of `message` under `key`.
pub fn hmac(key: &[u8; 32], message: &[u8]) -> [u8; 32] {
    let mut inner_pad = [0x36u8; 64];
    let mut outer_pad = [0x5cu8; 64];
    for (at, byte) in key.iter().enumerate() {
        inner_pad[at] ^= byte;
        outer_pad[at] ^= byte;
    }
    let inner = Sha256::new()
        .chain_update(inner_pad)
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(outer_pad)
        .chain_update(inner)
        .finalize()
        .into()
}

pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

pub fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(&text[at..at + 2], 16).ok())
        .collect()
}

/// Whether two byte strings are equal, in time that does not depend on where they differ.
pub fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

/// What an unsubscribe link stops: one kind of notification mail for one account. The link carries it
/// signed (`7-answer-…`), so it needs no row, works from any app server, and cannot be made for someone
/// else without the key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unsubscribe {
    pub user: UserId,
    pub stream: MailStream,
}

/// Signature bytes an unsubscribe token carries (128 bits).
const UNSUBSCRIBE_SIGNATURE_BYTES: usize = 16;

impl Unsubscribe {
    fn signature(&self, key: &[u8; 32]) -> [u8; UNSUBSCRIBE_SIGNATURE_BYTES] {
        let message = format!("unsubscribe {} {}", self.user.0, self.stream.code());
        let mut signature = [0u8; UNSUBSCRIBE_SIGNATURE_BYTES];
        signature.copy_from_slice(&hmac(key, message.as_bytes())[..UNSUBSCRIBE_SIGNATURE_BYTES]);
        signature
    }

    pub fn token(&self, key: &[u8; 32]) -> String {
        format!(
            "{}-{}-{}",
            self.user.0,
            self.stream.code(),
            to_hex(&self.signature(key))
        )
    }

    /// What a token stops, if `key` signed it.
    pub fn verify(token: &str, key: &[u8; 32]) -> Option<Self> {
        let mut parts = token.splitn(3, '-');
        let user = parts.next()?.parse::<i64>().ok().filter(|id| *id > 0)?;
        let stream = MailStream::from_code(parts.next()?)?;
        let signature = from_hex(parts.next()?)?;
        let claimed = Self {
            user: UserId(user),
            stream,
        };
        same(&signature, &claimed.signature(key)).then_some(claimed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::notifications::NotificationKind;

    #[test]
    fn hmac_matches_rfc_4231_test_case_2_shape() {
        // RFC 4231 case 2 uses a 4-byte key; padded with zeros to 32 bytes it is the same HMAC.
        let mut key = [0u8; 32];
        key[..4].copy_from_slice(b"Jefe");
        assert_eq!(
            to_hex(&hmac(&key, b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn an_unsubscribe_token_works_for_its_account_and_kind_only() {
        let key = [7u8; 32];
        let mine = Unsubscribe {
            user: UserId(7),
            stream: MailStream::Kind(NotificationKind::Answer),
        };
        let token = mine.token(&key);
        assert_eq!(Unsubscribe::verify(&token, &key), Some(mine));
        assert_eq!(Unsubscribe::verify(&token, &[8u8; 32]), None, "another key");
        let theirs = token.replacen("7-", "8-", 1);
        assert_eq!(Unsubscribe::verify(&theirs, &key), None, "another account");
        let other_kind = token.replace("answer", "mention");
        assert_eq!(Unsubscribe::verify(&other_kind, &key), None, "another kind");
        assert_eq!(Unsubscribe::verify("7-answer-", &key), None);
        let digest = Unsubscribe {
            user: UserId(7),
            stream: MailStream::Digest,
        };
        assert_eq!(Unsubscribe::verify(&digest.token(&key), &key), Some(digest));
        assert_eq!(Unsubscribe::verify("garbage", &key), None);
    }
}
