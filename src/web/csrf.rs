//! CSRF tokens bound to who is asking. A logged-in user's token is derived from their session id, a
//! visitor's from a random nonce in a cookie of their own, each with an HMAC under the secret key: a token
//! from one session is worthless in another, and one from before a log-in or log-out is worthless after it
//! (the session id changes at both, and the visitor's nonce is dropped at both). Each page gets the secret
//! under a fresh random mask, so no two pages carry the same token text (nothing stable for a compression
//! side channel to guess at).

use std::sync::Arc;

use poem::{Endpoint, IntoResponse, Request, Response, session::Session, web::CsrfToken};
use rand::RngCore;

use super::session::{self, CookieNames};
use crate::signing::{from_hex, hmac, to_hex};

/// What a request's token must unmask to; put in the request by [`bind_tokens`].
#[derive(Clone, Copy)]
pub struct ExpectedSecret([u8; 32]);

/// The key tokens are derived with (from the configured or generated secret key).
#[derive(Clone)]
pub struct CsrfKey(pub [u8; 32]);

/// The secret under a fresh mask: `hex(mask || mask ^ secret)`.
fn masked(secret: &[u8; 32]) -> String {
    let mut mask = [0u8; 32];
    rand::rng().fill_bytes(&mut mask);
    let mut token = mask.to_vec();
    token.extend(mask.iter().zip(secret).map(|(m, s)| m ^ s));
    to_hex(&token)
}

/// Whether `token` unmasks to `secret`, compared in constant time.
fn unmasks_to(token: &str, secret: &[u8; 32]) -> bool {
    let Some(bytes) = from_hex(token.trim()).filter(|bytes| bytes.len() == 64) else {
        return false;
    };
    let (mask, hidden) = bytes.split_at(32);
    let difference = mask
        .iter()
        .zip(hidden)
        .zip(secret)
        .fold(0u8, |acc, ((m, h), s)| acc | (m ^ h ^ s));
    difference == 0
}

impl ExpectedSecret {
    pub fn accepts(&self, token: &str) -> bool {
        unmasks_to(token, &self.0)
    }
}

/// A visitor's nonce as it may appear in the cookie: 32 hex digits.
fn valid_nonce(value: &str) -> bool {
    value.len() == 32 && value.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Inside the session layer: works out what this request's tokens are bound to, gives the page a masked
/// token and the CSRF check the secret. A visitor without a nonce gets one (a cookie for the browser session).
pub async fn bind_tokens<E: Endpoint>(next: Arc<E>, mut req: Request) -> poem::Result<Response> {
    let Some(state) = req.data::<Arc<super::AppState>>().cloned() else {
        return next.call(req).await.map(IntoResponse::into_response);
    };
    let names = CookieNames::for_config(&state.config);
    let logged_in = req
        .extensions()
        .get::<Session>()
        .and_then(session::current_user)
        .is_some();
    let session_id = req
        .cookie()
        .get(names.session)
        .map(|cookie| cookie.value_str().to_owned());
    let binding = match session_id {
        Some(id) if logged_in => format!("session:{id}"),
        _ => {
            let nonce = req
                .cookie()
                .get(names.csrf)
                .map(|cookie| cookie.value_str().to_owned())
                .filter(|nonce| valid_nonce(nonce));
            let nonce = match nonce {
                Some(nonce) => nonce,
                None => {
                    let mut fresh = [0u8; 16];
                    rand::rng().fill_bytes(&mut fresh);
                    let nonce = to_hex(&fresh);
                    req.cookie()
                        .add(session::private_cookie(names.csrf, &nonce, &state.config));
                    nonce
                }
            };
            format!("visitor:{nonce}")
        }
    };
    let secret = hmac(&state.csrf_key.0, binding.as_bytes());
    req.extensions_mut().insert(ExpectedSecret(secret));
    req.extensions_mut().insert(CsrfToken(masked(&secret)));
    next.call(req).await.map(IntoResponse::into_response)
}

/// Drops the visitor's nonce, so the tokens of pages shown before a log-in or log-out stop working.
pub fn rotate_visitor_nonce(req: &Request) {
    if let Some(state) = req.data::<Arc<super::AppState>>() {
        let names = CookieNames::for_config(&state.config);
        session::remove_private_cookie(req.cookie(), names.csrf, &state.config);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_unmasks_to_its_secret_only() {
        let secret = hmac(&[7; 32], b"session:abc");
        let other = hmac(&[7; 32], b"session:abd");
        let token = masked(&secret);
        assert_ne!(token, masked(&secret), "a fresh mask each time");
        assert!(unmasks_to(&token, &secret));
        assert!(!unmasks_to(&token, &other));
        assert!(!unmasks_to("", &secret));
        assert!(!unmasks_to(&token[..126], &secret));
        assert!(!unmasks_to(&"zz".repeat(64), &secret));
    }
}
