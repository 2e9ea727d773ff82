//! Where to send a user after log-in: only ever a path on this site.

/// A path on this site: one leading `/`, never `//` or `/\` (which browsers treat as another host), no
/// scheme, no backslash, no whitespace or control characters (browsers drop tabs and newlines, which
/// would turn `/\t/evil.example` into `//evil.example`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalPath(String);

impl LocalPath {
    pub fn parse(raw: &str) -> Option<Self> {
        let mut chars = raw.chars();
        let local = chars.next() == Some('/')
            && !matches!(chars.next(), Some('/' | '\\'))
            && raw.len() <= 2048
            && !raw
                .chars()
                .any(|c| c == '\\' || c.is_whitespace() || c.is_control());
        local.then(|| Self(raw.to_owned()))
    }

    /// The path to go to: `raw` when it is local, `/` otherwise.
    pub fn or_home(raw: Option<&str>) -> Self {
        raw.and_then(Self::parse)
            .unwrap_or_else(|| Self("/".into()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_this_site_are_followed() {
        for good in [
            "/",
            "/questions/1",
            "/questions?page=2&q=a%20b",
            "/a/b?next=http://x",
        ] {
            assert_eq!(LocalPath::or_home(Some(good)).as_str(), good);
        }
        for bad in [
            "",
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "javascript:alert(1)",
            "evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/ /evil",
            "/a\\b",
        ] {
            assert_eq!(
                LocalPath::or_home(Some(bad)).as_str(),
                "/",
                "{bad:?} followed"
            );
        }
        assert_eq!(LocalPath::or_home(None).as_str(), "/");
    }
}
