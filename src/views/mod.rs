//! HTML, built with maud. Each component is a function returning `Markup`, used both inside the full page and
//! alone as an htmx fragment. Views hold no SQL and read every string from `i18n`.

pub mod accounts;
pub mod errors;
pub mod forms;
pub mod home;
pub mod layout;

use serde::{Deserialize, Serialize};

use crate::{
    domain::accounts::CurrentUser,
    i18n::{Lang, Texts},
};

/// What every full page needs besides its content.
pub struct PageContext {
    pub lang: Lang,
    pub user: Option<CurrentUser>,
    /// Absent only on responses made outside the session and CSRF layers (static files).
    pub csrf_token: Option<String>,
    pub flashes: Vec<Flash>,
    /// Path and query of this request, so the language switch and "log in" come back here.
    pub here: String,
}

impl PageContext {
    pub fn t(&self) -> &'static Texts {
        self.lang.texts()
    }
}

/// A one-time message shown on the next page after a redirect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flash {
    SignedUp,
    LoggedIn,
    LoggedOut,
}

impl Flash {
    fn text(self, t: &Texts) -> &'static str {
        match self {
            Self::SignedUp => t.flash_signed_up,
            Self::LoggedIn => t.flash_logged_in,
            Self::LoggedOut => t.flash_logged_out,
        }
    }

    fn bootstrap_class(self) -> &'static str {
        match self {
            Self::SignedUp | Self::LoggedIn => "alert-success",
            Self::LoggedOut => "alert-info",
        }
    }
}
