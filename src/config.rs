//! Settings, layered so that later wins: built-in defaults < profile < TOML file (`--config`) < environment.
//!
//! Each key is declared once, in [`KEYS`]; every value, wherever it comes from, goes through its parser, so a
//! bad value is reported the same way: one line that names the key and the problem.

use std::{fmt, net::IpAddr, path::Path, path::PathBuf};

/// Where the server listens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Bind {
    /// `host:port`; port 0 picks a free port (tests use it).
    Tcp(String),
    /// `unix:/path`: a unix socket for a reverse proxy on the same host.
    Unix(PathBuf),
}

impl fmt::Display for Bind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Tcp(addr) => f.write_str(addr),
            Self::Unix(path) => write!(f, "unix:{}", path.display()),
        }
    }
}

/// A peer whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrustedProxy {
    /// An address or network, e.g. `127.0.0.1` or `10.0.0.0/8`.
    Network { address: IpAddr, prefix: u8 },
    /// Whatever connects over the unix socket (its permissions already limit who can).
    UnixSocket,
}

impl TrustedProxy {
    pub fn matches(&self, peer: Option<IpAddr>) -> bool {
        match (self, peer) {
            (Self::UnixSocket, None) => true,
            (Self::Network { address, prefix }, Some(peer)) => in_network(peer, *address, *prefix),
            _ => false,
        }
    }
}

fn in_network(peer: IpAddr, network: IpAddr, prefix: u8) -> bool {
    let peer = match (peer, network) {
        // An IPv4 peer on a dual-stack socket arrives as ::ffff:a.b.c.d.
        (IpAddr::V6(v6), IpAddr::V4(_)) => v6.to_ipv4_mapped().map_or(peer, IpAddr::V4),
        _ => peer,
    };
    match (peer, network) {
        (IpAddr::V4(peer), IpAddr::V4(network)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            u32::from(peer) & mask == u32::from(network) & mask
        }
        (IpAddr::V6(peer), IpAddr::V6(network)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            u128::from(peer) & mask == u128::from(network) & mask
        }
        _ => false,
    }
}

impl fmt::Display for TrustedProxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnixSocket => f.write_str("unix"),
            Self::Network { address, prefix } => write!(f, "{address}/{prefix}"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    Development,
    Production,
}

impl Profile {
    pub fn name(self) -> &'static str {
        match self {
            Self::Development => "development",
            Self::Production => "production",
        }
    }
}

/// Where the data lives: the engine and its address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Database {
    /// A SQLite file, created and migrated at start.
    Sqlite(PathBuf),
    /// A PostgreSQL database (`postgres://user:password@host/name`, or `?host=/run/postgresql` for a unix
    /// socket), migrated at start; several app servers can share it.
    Postgres(PostgresUrl),
}

/// A PostgreSQL connection URL; printed without its password.
#[derive(Clone, PartialEq, Eq)]
pub struct PostgresUrl(String);

/// How a PostgreSQL connection uses TLS: libpq's `sslmode`, with libpq's meanings. `Prefer` (the default)
/// and `Require` encrypt without checking who answers unless `sslrootcert` names the CA to check against;
/// `VerifyCa` checks the certificate chain, `VerifyFull` the chain and the host name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    fn parse(value: &str) -> Result<Self, String> {
        Ok(match value {
            "disable" => Self::Disable,
            "prefer" => Self::Prefer,
            "require" => Self::Require,
            "verify-ca" => Self::VerifyCa,
            "verify-full" => Self::VerifyFull,
            other => {
                return Err(format!(
                    "sslmode `{other}` is none of disable, prefer, require, verify-ca, verify-full"
                ));
            }
        })
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Disable => "disable",
            Self::Prefer => "prefer",
            Self::Require => "require",
            Self::VerifyCa => "verify-ca",
            Self::VerifyFull => "verify-full",
        }
    }
}

/// A PostgreSQL URL read: what the client takes, and the TLS settings miniboard handles itself.
pub struct PgConnection {
    pub config: tokio_postgres::Config,
    pub ssl_mode: SslMode,
    /// The CA certificates (PEM) the server's certificate must chain to.
    pub root_cert: Option<PathBuf>,
}

impl PostgresUrl {
    pub fn new(url: impl Into<String>) -> Self {
        Self(url.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Reads the URL: `sslmode` (all five of libpq's values) and `sslrootcert` here, the rest by the client.
    pub fn connection(&self) -> Result<PgConnection, String> {
        let (base, query) = self.0.split_once('?').unwrap_or((&self.0, ""));
        let mut ssl_mode = None;
        let mut root_cert = None;
        let mut kept = Vec::new();
        for pair in query.split('&').filter(|pair| !pair.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            // Keys decoded as the client decodes them: `ssl%6dode` is `sslmode` to it, so to us too.
            let decode = |text: &str| {
                percent_encoding::percent_decode_str(text)
                    .decode_utf8()
                    .map(|text| text.into_owned())
                    .map_err(|_| format!("`{pair}` is not UTF-8 once decoded"))
            };
            let (key, value) = (decode(key)?, decode(value)?);
            match key.as_str() {
                "sslmode" => ssl_mode = Some(SslMode::parse(&value)?),
                "sslrootcert" => root_cert = Some(PathBuf::from(&value)),
                _ => kept.push(pair),
            }
        }
        let rest = if kept.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{}", kept.join("&"))
        };
        let mut config: tokio_postgres::Config =
            rest.parse().map_err(|err: tokio_postgres::Error| {
                std::error::Error::source(&err).map_or(err.to_string(), |cause| cause.to_string())
            })?;
        let ssl_mode = ssl_mode.unwrap_or(SslMode::Prefer);
        if matches!(ssl_mode, SslMode::VerifyCa | SslMode::VerifyFull) && root_cert.is_none() {
            return Err(format!(
                "sslmode={} needs sslrootcert=PATH: the CA certificate(s) to check the server's against",
                ssl_mode.as_str()
            ));
        }
        let over_a_socket = config
            .get_hosts()
            .iter()
            .any(|host| matches!(host, tokio_postgres::config::Host::Unix(_)));
        if over_a_socket && ssl_mode != SslMode::Disable && ssl_mode != SslMode::Prefer {
            return Err(format!(
                "sslmode={} asks for TLS, which a unix socket does not speak: drop it, or connect to host:port",
                ssl_mode.as_str()
            ));
        }
        config.ssl_mode(match ssl_mode {
            SslMode::Disable => tokio_postgres::config::SslMode::Disable,
            SslMode::Prefer => tokio_postgres::config::SslMode::Prefer,
            _ => tokio_postgres::config::SslMode::Require,
        });
        Ok(PgConnection {
            config,
            ssl_mode,
            root_cert,
        })
    }
}

impl fmt::Display for PostgresUrl {
    /// Where it connects, as a URL written anew from what the client reads in it: a password, however it
    /// was spelled, shows as asterisks.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Ok(PgConnection {
            config,
            ssl_mode,
            root_cert,
        }) = self.connection()
        else {
            return f.write_str("postgres://(a URL that does not parse)");
        };
        let tls = || {
            let mut tls = String::new();
            if ssl_mode != SslMode::Prefer {
                tls.push_str(&format!("sslmode={}", ssl_mode.as_str()));
            }
            if let Some(root) = &root_cert {
                if !tls.is_empty() {
                    tls.push('&');
                }
                tls.push_str(&format!("sslrootcert={}", root.display()));
            }
            tls
        };
        let user = config.get_user().unwrap_or_default();
        let password = if config.get_password().is_some() {
            ":********"
        } else {
            ""
        };
        let dbname = config.get_dbname().unwrap_or_default();
        let port = config.get_ports().first().copied().unwrap_or(5432);
        match config.get_hosts().first() {
            Some(tokio_postgres::config::Host::Tcp(host)) => {
                write!(f, "postgres://{user}{password}")?;
                if !user.is_empty() || !password.is_empty() {
                    f.write_str("@")?;
                }
                write!(f, "{host}:{port}/{dbname}")?;
                let tls = tls();
                if !tls.is_empty() {
                    write!(f, "?{tls}")?;
                }
                Ok(())
            }
            Some(tokio_postgres::config::Host::Unix(socket)) => {
                write!(f, "postgresql:///{dbname}?host={}", socket.display())?;
                if port != 5432 {
                    write!(f, "&port={port}")?;
                }
                if !user.is_empty() {
                    write!(f, "&user={user}")?;
                }
                if !password.is_empty() {
                    f.write_str("&password=********")?;
                }
                let tls = tls();
                if !tls.is_empty() {
                    write!(f, "&{tls}")?;
                }
                Ok(())
            }
            None => write!(f, "postgres:///{dbname}"),
        }
    }
}

impl fmt::Debug for PostgresUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PostgresUrl({self})")
    }
}

impl Database {
    /// The SQLite file, for the operator commands that work on one (backup, restore); `None` on PostgreSQL,
    /// whose own tools (pg_dump, base backups) do that.
    pub fn sqlite_path(&self) -> Option<&Path> {
        match self {
            Self::Sqlite(path) => Some(path),
            Self::Postgres(_) => None,
        }
    }

    /// The value `database` is set to for this database, password and all.
    pub fn config_value(&self) -> String {
        match self {
            Self::Sqlite(path) => path.display().to_string(),
            Self::Postgres(url) => url.as_str().to_owned(),
        }
    }

    /// Where an app server keeps its search index unless told: beside a SQLite file (`board.db.search/`),
    /// in the working directory on PostgreSQL. It is a cache of the database, rebuilt from it when missing.
    pub fn default_search_dir(&self) -> PathBuf {
        match self {
            Self::Sqlite(path) => {
                let mut dir = path.clone().into_os_string();
                dir.push(".search");
                PathBuf::from(dir)
            }
            // Named after the database: two boards served from one folder keep apart.
            Self::Postgres(url) => {
                let name = url
                    .connection()
                    .ok()
                    .and_then(|read| read.config.get_dbname().map(str::to_owned))
                    .filter(|name| {
                        !name.is_empty()
                            && !name.contains(['/', '\\'])
                            && name != "."
                            && name != ".."
                    })
                    .unwrap_or_else(|| "miniboard".to_owned());
                PathBuf::from(format!("{name}.search"))
            }
        }
    }
}

impl fmt::Display for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "{}", path.display()),
            Self::Postgres(url) => write!(f, "{url}"),
        }
    }
}

/// A secret that never prints: `Debug` and `Display` show asterisks and its length only.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for deriving keys; never for a log or a page.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret(******** {} bytes)", self.0.len())
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("********")
    }
}

/// The effective configuration of one run.
#[derive(Clone, Debug)]
pub struct Config {
    pub profile: Profile,
    pub bind: Bind,
    pub database: Database,
    /// Where this app server keeps its search index; `None`: the database's default place.
    pub search_dir: Option<PathBuf>,
    /// `None` in development: a generated key is kept in the database instead.
    pub secret_key: Option<Secret>,
    /// A `tracing` filter such as `info` or `miniboard=debug,info`.
    pub log: String,
    /// The offset dates are shown in (stored times are UTC): `+09:00` for a board in Korea.
    pub timezone: time::UtcOffset,
    /// The group that owns the unix socket (mode 0660), so the proxy's user can connect.
    pub socket_group: Option<String>,
    /// Peers whose forwarded headers are believed.
    pub trusted_proxies: Vec<TrustedProxy>,
    /// Per-client limits (sign-ups, uncached searches); off for imports, load tests and test suites. The
    /// log-in throttle is not one of them: it is always on.
    pub rate_limits: bool,
    /// Accounts one client may create in an hour.
    pub signups_per_hour: usize,
    /// Limits on posting (floods from new accounts, bursts, repeats, links); on with `rate_limits`.
    pub write_limits: crate::domain::writing::WriteLimits,
    /// A session ends this long after its log-in, however much it is used.
    pub session_lifetime: std::time::Duration,
    /// How often views are written (at most this long until a view shows in the counts).
    pub views_written_every: std::time::Duration,
    /// The address the board is reached at (`https://board.example.com`), for absolute links: canonical
    /// links, the sitemap, link previews, feeds. Required in production; in development the server's own
    /// address stands in (set when it starts listening).
    pub public_url: Option<String>,
    /// Where mail goes out (`smtp://`, `smtps://`); `None`: each mail is written to the log instead.
    pub smtp_url: Option<SmtpUrl>,
    /// Who the board's mail is from: `miniboard <noreply@example.com>`.
    pub mail_from: String,
    /// Whether an account must verify its address before it may post.
    pub require_verified_email: bool,
    /// Web pages on other sites whose scripts may call the JSON API (CORS): origins such as
    /// `https://app.example.com`, or `*` for any; none by default.
    pub api_cors_origins: Vec<String>,
}

/// An SMTP server's URL as lettre reads it (`smtp://user:pass@host:587?tls=required`, `smtps://...`);
/// shown with its password masked.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpUrl(String);

impl SmtpUrl {
    pub fn parse(value: &str) -> Result<Option<Self>, String> {
        let value = value.trim();
        if value.is_empty() {
            return Ok(None);
        }
        let scheme = value.split_once("://").map(|(scheme, _)| scheme);
        if !matches!(scheme, Some("smtp" | "smtps")) {
            return Err(
                "is not an smtp:// or smtps:// URL (e.g. smtps://user:password@smtp.example.com)"
                    .into(),
            );
        }
        lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(value)
            .map_err(|err| format!("is not an SMTP URL that can be used: {err}"))?;
        Ok(Some(Self(value.to_owned())))
    }

    /// The URL itself, password and all: for the transport only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SmtpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match url::Url::parse(&self.0) {
            Ok(mut url) => {
                if url.password().is_some() {
                    // Only fails for URLs that cannot have a password, which one that has one is not.
                    let _ = url.set_password(Some("********"));
                }
                f.write_str(url.as_str())
            }
            Err(_) => f.write_str("smtp://(a URL that does not parse)"),
        }
    }
}

impl fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SmtpUrl({self})")
    }
}

/// The shortest secret key `production` accepts, in bytes.
pub const MIN_SECRET_KEY_BYTES: usize = 32;

/// A configuration problem: printed as one line, and the process exits with code 2.
#[derive(Debug, thiserror::Error)]
#[error("{key}: {problem}")]
pub struct ConfigError {
    /// The key as the user wrote it: `bind` in a file, `MINIBOARD_BIND` in the environment.
    pub key: String,
    pub problem: String,
}

impl ConfigError {
    fn new(key: impl Into<String>, problem: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            problem: problem.into(),
        }
    }
}

/// One setting: its name in a TOML file (the environment variable is `MINIBOARD_` and the name in capitals),
/// how a text value sets it, and how `miniboard config` shows it. Everything else (the unknown-key check,
/// the layers, the description) follows from this table.
struct Key {
    name: &'static str,
    set: fn(&mut Config, &str) -> Result<(), String>,
    show: fn(&Config) -> String,
}

impl Key {
    fn env(&self) -> String {
        format!("MINIBOARD_{}", self.name.to_uppercase())
    }
}

const DAY_SECONDS: u64 = 24 * 60 * 60;

/// Every setting, in the order `miniboard config` prints them.
const KEYS: &[Key] = &[
    Key {
        name: "profile",
        set: |config, value| {
            config.profile = parse_profile(value)?;
            Ok(())
        },
        show: |config| config.profile.name().to_owned(),
    },
    Key {
        name: "bind",
        set: |config, value| {
            config.bind = parse_bind(value)?;
            Ok(())
        },
        show: |config| config.bind.to_string(),
    },
    Key {
        name: "database",
        set: |config, value| {
            config.database = parse_database(value)?;
            Ok(())
        },
        show: |config| config.database.to_string(),
    },
    Key {
        name: "search_dir",
        set: |config, value| {
            config.search_dir =
                Some(PathBuf::from(value.trim())).filter(|dir| !dir.as_os_str().is_empty());
            Ok(())
        },
        show: |config| config.search_dir().display().to_string(),
    },
    Key {
        name: "secret_key",
        set: |config, value| {
            config.secret_key = Some(Secret::new(value)).filter(|key| !key.is_empty());
            Ok(())
        },
        show: |config| match &config.secret_key {
            Some(key) => format!("{key} ({} bytes)", key.len()),
            None => String::new(),
        },
    },
    Key {
        name: "log",
        set: |config, value| {
            tracing_subscriber::EnvFilter::try_new(value)
                .map_err(|err| format!("not a log filter ({err})"))?;
            config.log = value.to_owned();
            Ok(())
        },
        show: |config| config.log.clone(),
    },
    Key {
        name: "public_url",
        set: |config, value| {
            config.public_url = parse_public_url(value)?;
            Ok(())
        },
        show: |config| config.public_url.clone().unwrap_or_default(),
    },
    Key {
        name: "smtp_url",
        set: |config, value| {
            config.smtp_url = SmtpUrl::parse(value)?;
            Ok(())
        },
        show: |config| {
            config
                .smtp_url
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default()
        },
    },
    Key {
        name: "mail_from",
        set: |config, value| {
            let value = value.trim();
            value.parse::<lettre::message::Mailbox>().map_err(|err| {
                format!(
                    "`{value}` is not an address like `miniboard <noreply@example.com>` ({err})"
                )
            })?;
            config.mail_from = value.to_owned();
            Ok(())
        },
        show: |config| config.mail_from.clone(),
    },
    Key {
        name: "require_verified_email",
        set: |config, value| {
            config.require_verified_email = parse_on_off(value)?;
            Ok(())
        },
        show: |config| on_off(config.require_verified_email),
    },
    Key {
        name: "api_cors_origins",
        set: |config, value| {
            config.api_cors_origins = parse_origins(value)?;
            Ok(())
        },
        show: |config| config.api_cors_origins.join(","),
    },
    Key {
        name: "timezone",
        set: |config, value| {
            config.timezone = parse_timezone(value)?;
            Ok(())
        },
        show: |config| format_timezone(config.timezone),
    },
    Key {
        name: "socket_group",
        set: |config, value| {
            config.socket_group = Some(value.trim().to_owned()).filter(|g| !g.is_empty());
            Ok(())
        },
        show: |config| config.socket_group.clone().unwrap_or_default(),
    },
    Key {
        name: "trusted_proxies",
        set: |config, value| {
            config.trusted_proxies = parse_trusted_proxies(value)?;
            Ok(())
        },
        show: |config| {
            let proxies: Vec<String> = config
                .trusted_proxies
                .iter()
                .map(ToString::to_string)
                .collect();
            proxies.join(",")
        },
    },
    Key {
        name: "rate_limits",
        set: |config, value| {
            config.rate_limits = parse_on_off(value)?;
            Ok(())
        },
        show: |config| on_off(config.rate_limits),
    },
    Key {
        name: "signups_per_hour",
        set: |config, value| {
            config.signups_per_hour = parse_count(value, 1..=1_000_000)? as usize;
            Ok(())
        },
        show: |config| config.signups_per_hour.to_string(),
    },
    Key {
        name: "writes_per_minute",
        set: |config, value| {
            config.write_limits.anyone.count = parse_count(value, 1..=1_000)? as usize;
            Ok(())
        },
        show: |config| config.write_limits.anyone.count.to_string(),
    },
    Key {
        name: "new_account_questions",
        set: |config, value| {
            config.write_limits.new_questions.count = parse_count(value, 0..=1_000)? as usize;
            Ok(())
        },
        show: |config| config.write_limits.new_questions.count.to_string(),
    },
    Key {
        name: "new_account_replies",
        set: |config, value| {
            config.write_limits.new_replies.count = parse_count(value, 0..=1_000)? as usize;
            Ok(())
        },
        show: |config| config.write_limits.new_replies.count.to_string(),
    },
    Key {
        name: "most_links",
        set: |config, value| {
            config.write_limits.most_links = parse_count(value, 0..=1_000)? as usize;
            Ok(())
        },
        show: |config| config.write_limits.most_links.to_string(),
    },
    Key {
        name: "links_reputation",
        set: |config, value| {
            config.write_limits.links_below_reputation =
                parse_count(value, 0..=1_000_000_000)? as i64;
            Ok(())
        },
        show: |config| config.write_limits.links_below_reputation.to_string(),
    },
    Key {
        name: "session_lifetime_days",
        set: |config, value| {
            let days = parse_count(value, 1..=3650)?;
            config.session_lifetime = std::time::Duration::from_secs(days * DAY_SECONDS);
            Ok(())
        },
        show: |config| (config.session_lifetime.as_secs() / DAY_SECONDS).to_string(),
    },
    Key {
        name: "views_written_every_seconds",
        set: |config, value| {
            let seconds = parse_count(value, 1..=300)?;
            config.views_written_every = std::time::Duration::from_secs(seconds);
            Ok(())
        },
        show: |config| config.views_written_every.as_secs().to_string(),
    },
];

impl Config {
    /// Where this app server keeps its search index.
    pub fn search_dir(&self) -> PathBuf {
        self.search_dir
            .clone()
            .unwrap_or_else(|| self.database.default_search_dir())
    }

    /// Defaults of a profile, before any file or variable.
    pub fn for_profile(profile: Profile) -> Self {
        Self {
            profile,
            bind: Bind::Tcp("127.0.0.1:8000".into()),
            database: Database::Sqlite(PathBuf::from("miniboard.db")),
            search_dir: None,
            secret_key: None,
            log: match profile {
                Profile::Development => "info".into(),
                Profile::Production => "info,hyper=warn".into(),
            },
            timezone: time::UtcOffset::UTC,
            socket_group: None,
            trusted_proxies: Vec::new(),
            rate_limits: true,
            signups_per_hour: 10,
            write_limits: Default::default(),
            session_lifetime: std::time::Duration::from_secs(30 * DAY_SECONDS),
            views_written_every: std::time::Duration::from_secs(5),
            public_url: None,
            smtp_url: None,
            mail_from: "miniboard <noreply@localhost>".into(),
            require_verified_email: false,
            api_cors_origins: Vec::new(),
        }
    }

    /// Loads the layers from an optional TOML file and the given environment variables.
    pub fn load(
        file: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let table = match file {
            Some(path) => read_table(path)?,
            None => toml::Table::new(),
        };
        let file_label = |key: &str| match file {
            Some(path) => format!("{key} (in {})", path.display()),
            None => key.to_owned(),
        };

        // Each layer as (label, key, value); unknown keys first: a typo must not be silently ignored.
        let mut layers: Vec<(String, &Key, String)> = Vec::new();
        for (name, value) in &table {
            let Some(key) = KEYS.iter().find(|key| key.name == name) else {
                let known: Vec<&str> = KEYS.iter().map(|key| key.name).collect();
                return Err(ConfigError::new(
                    file_label(name),
                    format!("unknown key; the keys are {}", known.join(", ")),
                ));
            };
            let text = value.as_str().ok_or_else(|| {
                ConfigError::new(
                    file_label(name),
                    format!("expected a string, found {}", value.type_str()),
                )
            })?;
            layers.push((file_label(name), key, text.to_owned()));
        }
        for key in KEYS {
            let var = key.env();
            if let Some(value) = env(&var) {
                layers.push((var, key, value));
            }
        }

        // The profile picks the defaults the other layers override, so it is settled first.
        let mut profile = Profile::Development;
        for (label, key, value) in &layers {
            if key.name == "profile" {
                profile =
                    parse_profile(value).map_err(|problem| ConfigError::new(label, problem))?;
            }
        }
        let mut config = Self::for_profile(profile);
        for (label, key, value) in &layers {
            (key.set)(&mut config, value).map_err(|problem| ConfigError::new(label, problem))?;
        }
        config.check()?;
        Ok(config)
    }

    fn check(&self) -> Result<(), ConfigError> {
        if self.profile == Profile::Production {
            match &self.secret_key {
                None => {
                    return Err(ConfigError::new(
                        "MINIBOARD_SECRET_KEY",
                        "production needs a secret key (at least 32 bytes; e.g. `openssl rand -hex 32`)",
                    ));
                }
                Some(key) if key.len() < MIN_SECRET_KEY_BYTES => {
                    return Err(ConfigError::new(
                        "MINIBOARD_SECRET_KEY",
                        format!(
                            "is {} bytes; production needs at least {MIN_SECRET_KEY_BYTES}",
                            key.len()
                        ),
                    ));
                }
                Some(_) => {}
            }
            if self.public_url.is_none() {
                return Err(ConfigError::new(
                    "MINIBOARD_PUBLIC_URL",
                    "production needs the board's address, e.g. https://board.example.com (canonical links, \
                     the sitemap and link previews are built on it)",
                ));
            }
        }
        Ok(())
    }

    /// Whether cookies carry `Secure`: browsers drop such cookies on plain http, so only in production.
    pub fn secure_cookies(&self) -> bool {
        self.profile == Profile::Production
    }

    /// The effective configuration as TOML, the secret masked.
    pub fn describe(&self) -> String {
        KEYS.iter()
            .map(|key| {
                let value = (key.show)(self);
                let note = match (key.name, value.is_empty()) {
                    ("secret_key", true) => " # not set: a generated key is kept in the database",
                    ("smtp_url", true) => " # not set: mail is written to the log, not sent",
                    _ => "",
                };
                format!("{} = {}{note}\n", key.name, quote(&value))
            })
            .collect()
    }
}

fn parse_on_off(value: &str) -> Result<bool, String> {
    match value.trim() {
        "on" => Ok(true),
        "off" => Ok(false),
        other => Err(format!("`{other}` is not on or off")),
    }
}

fn on_off(value: bool) -> String {
    if value { "on" } else { "off" }.to_owned()
}

/// A whole number within `range`.
fn parse_count(value: &str, range: std::ops::RangeInclusive<u64>) -> Result<u64, String> {
    value
        .trim()
        .parse::<u64>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| {
            format!(
                "`{value}` is not a whole number from {} to {}",
                range.start(),
                range.end()
            )
        })
}

fn quote(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

fn read_table(path: &Path) -> Result<toml::Table, ConfigError> {
    let label = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|err| ConfigError::new(&label, format!("cannot read the file ({err})")))?;
    text.parse::<toml::Table>().map_err(|err| {
        let line = err
            .span()
            .map(|span| text[..span.start.min(text.len())].lines().count().max(1));
        let place = line.map(|n| format!(" at line {n}")).unwrap_or_default();
        ConfigError::new(
            label,
            format!("not valid TOML{place}: {}", err.message().trim()),
        )
    })
}

fn parse_profile(value: &str) -> Result<Profile, String> {
    match value {
        "development" => Ok(Profile::Development),
        "production" => Ok(Profile::Production),
        other => Err(format!(
            "`{other}` is not a profile; use development or production"
        )),
    }
}

/// A SQLite file path, or a PostgreSQL URL.
pub fn parse_database(value: &str) -> Result<Database, String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err("must be a file path or a postgres:// URL, not empty".into());
    }
    let lower = trimmed.to_ascii_lowercase();
    if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
        let url = PostgresUrl::new(trimmed);
        url.connection()
            .map_err(|why| format!("is not a PostgreSQL URL that can be used: {why}"))?;
        return Ok(Database::Postgres(url));
    }
    // A mistyped scheme or a libpq key=value string would otherwise become a new, empty SQLite board.
    if let Some((scheme, _)) = trimmed.split_once("://") {
        return Err(format!(
            "`{scheme}://` is no database miniboard knows: give a SQLite file path or a postgres:// URL"
        ));
    }
    let first = trimmed.split_whitespace().next().unwrap_or_default();
    if [
        "host=",
        "hostaddr=",
        "dbname=",
        "user=",
        "port=",
        "password=",
    ]
    .iter()
    .any(|keyword| first.starts_with(keyword))
    {
        return Err(
            "looks like PostgreSQL's key=value form: write it as a URL, postgresql:///DB?host=/run/postgresql"
                .into(),
        );
    }
    Ok(Database::Sqlite(PathBuf::from(value)))
}

/// `http(s)://host[:port][/path]`, kept without a trailing `/`; empty is unset.
fn parse_public_url(value: &str) -> Result<Option<String>, String> {
    let url = value.trim().trim_end_matches('/');
    if url.is_empty() {
        return Ok(None);
    }
    let problem = || format!("`{value}` is not an address like https://board.example.com");
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(problem)?;
    let host = rest.split('/').next().unwrap_or_default();
    let clean = |c: char| c.is_ascii_alphanumeric() || "-._~:[]%/".contains(c);
    if host.is_empty() || !rest.chars().all(clean) {
        return Err(problem());
    }
    Ok(Some(url.to_owned()))
}

/// `UTC` or an offset such as `+09:00` / `-05:30`.
fn parse_timezone(value: &str) -> Result<time::UtcOffset, String> {
    let problem = || format!("`{value}` is not UTC or an offset like +09:00");
    if value.eq_ignore_ascii_case("utc") || value == "Z" {
        return Ok(time::UtcOffset::UTC);
    }
    let (sign, rest) = match value.split_at_checked(1) {
        Some(("+", rest)) => (1, rest),
        Some(("-", rest)) => (-1, rest),
        _ => return Err(problem()),
    };
    let (hours, minutes) = rest.split_once(':').ok_or_else(problem)?;
    let hours: i8 = hours.parse().map_err(|_| problem())?;
    let minutes: i8 = minutes.parse().map_err(|_| problem())?;
    if !(0..=14).contains(&hours) || !(0..=59).contains(&minutes) {
        return Err(problem());
    }
    time::UtcOffset::from_hms(sign * hours, sign * minutes, 0).map_err(|_| problem())
}

fn format_timezone(offset: time::UtcOffset) -> String {
    if offset.is_utc() {
        return "UTC".into();
    }
    let (hours, minutes, _) = offset.as_hms();
    let sign = if offset.is_negative() { '-' } else { '+' };
    format!("{sign}{:02}:{:02}", hours.abs(), minutes.abs())
}

/// A comma-separated list of origins (`https://app.example.com`, a port if not the scheme's own) or `*`,
/// each as browsers send it in `Origin`: lower case, no path.
fn parse_origins(value: &str) -> Result<Vec<String>, String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            if item == "*" {
                return Ok(item.to_owned());
            }
            let problem =
                || format!("`{item}` is not an origin like https://app.example.com, or *");
            let url = url::Url::parse(item).map_err(|_| problem())?;
            let plain = matches!(url.scheme(), "http" | "https")
                && url.host_str().is_some()
                && url.username().is_empty()
                && url.password().is_none()
                && url.query().is_none()
                && url.fragment().is_none()
                && url.path() == "/";
            if !plain {
                return Err(problem());
            }
            Ok(url.origin().ascii_serialization())
        })
        .collect()
}

/// A comma-separated list of addresses, networks (`10.0.0.0/8`) and `unix`.
fn parse_trusted_proxies(value: &str) -> Result<Vec<TrustedProxy>, String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            if item == "unix" {
                return Ok(TrustedProxy::UnixSocket);
            }
            let problem =
                || format!("`{item}` is not an address, a network like 10.0.0.0/8, or unix");
            let (address, prefix) = match item.split_once('/') {
                Some((address, prefix)) => (address, Some(prefix)),
                None => (item, None),
            };
            let address: IpAddr = address.parse().map_err(|_| problem())?;
            let max = if address.is_ipv4() { 32 } else { 128 };
            let prefix = match prefix {
                Some(prefix) => prefix
                    .parse::<u8>()
                    .ok()
                    .filter(|p| *p <= max)
                    .ok_or_else(problem)?,
                None => max,
            };
            Ok(TrustedProxy::Network { address, prefix })
        })
        .collect()
}

fn parse_bind(value: &str) -> Result<Bind, String> {
    let problem = || format!("`{value}` is not host:port (for example 127.0.0.1:8000)");
    if let Some(path) = value.strip_prefix("unix:") {
        if !path.starts_with('/') {
            return Err(format!(
                "`{value}`: a unix socket needs an absolute path, like unix:/run/miniboard/miniboard.sock"
            ));
        }
        return Ok(Bind::Unix(PathBuf::from(path)));
    }
    let (host, port) = value.rsplit_once(':').ok_or_else(problem)?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() || host.chars().any(char::is_whitespace) || port.parse::<u16>().is_err() {
        return Err(problem());
    }
    Ok(Bind::Tcp(value.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load_env(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::load(None, |name| vars.get(name).cloned())
    }

    #[test]
    fn defaults_serve_development_on_localhost_8000() {
        let config = load_env(&[]).expect("defaults are valid");
        assert_eq!(config.profile, Profile::Development);
        assert_eq!(config.bind, Bind::Tcp("127.0.0.1:8000".into()));
        assert_eq!(
            config.database,
            Database::Sqlite(PathBuf::from("miniboard.db"))
        );
        assert!(!config.secure_cookies());
    }

    #[test]
    fn environment_overrides_defaults() {
        let config = load_env(&[
            ("MINIBOARD_BIND", "0.0.0.0:9000"),
            ("MINIBOARD_LOG", "debug"),
        ])
        .expect("valid values");
        assert_eq!(config.bind, Bind::Tcp("0.0.0.0:9000".into()));
        assert_eq!(config.log, "debug");
    }

    #[test]
    fn production_without_a_long_secret_or_its_address_is_refused() {
        let err = load_env(&[("MINIBOARD_PROFILE", "production")]).err();
        assert_eq!(err.map(|e| e.key), Some("MINIBOARD_SECRET_KEY".into()));
        let address = ("MINIBOARD_PUBLIC_URL", "https://board.example.com");
        let short = load_env(&[
            ("MINIBOARD_PROFILE", "production"),
            ("MINIBOARD_SECRET_KEY", "too-short"),
            address,
        ]);
        assert!(short.is_err());
        let secret = "k".repeat(32);
        let nowhere = load_env(&[
            ("MINIBOARD_PROFILE", "production"),
            ("MINIBOARD_SECRET_KEY", &secret),
        ])
        .err();
        assert_eq!(nowhere.map(|e| e.key), Some("MINIBOARD_PUBLIC_URL".into()));
        let long = load_env(&[
            ("MINIBOARD_PROFILE", "production"),
            ("MINIBOARD_SECRET_KEY", &secret),
            address,
        ])
        .expect("32 bytes and an address are enough");
        assert!(long.secure_cookies());
    }

    #[test]
    fn bad_bind_names_the_variable() {
        for bad in ["8000", "localhost", ":80", "host:99999", "a b:80"] {
            let err = load_env(&[("MINIBOARD_BIND", bad)]).err();
            assert_eq!(
                err.map(|e| e.key),
                Some("MINIBOARD_BIND".into()),
                "{bad} accepted"
            );
        }
        assert!(load_env(&[("MINIBOARD_BIND", "[::1]:8000")]).is_ok());
    }

    #[test]
    fn timezones_are_utc_or_an_offset() {
        let korea = load_env(&[("MINIBOARD_TIMEZONE", "+09:00")]).expect("valid");
        assert_eq!(
            korea.timezone,
            time::UtcOffset::from_hms(9, 0, 0).expect("offset")
        );
        assert!(korea.describe().contains("timezone = \"+09:00\""));
        let india = load_env(&[("MINIBOARD_TIMEZONE", "-05:30")]).expect("valid");
        assert_eq!(
            india.timezone,
            time::UtcOffset::from_hms(-5, -30, 0).expect("offset")
        );
        for bad in ["KST", "9", "+9", "+25:00", "+09:60", "Asia/Seoul"] {
            assert!(load_env(&[("MINIBOARD_TIMEZONE", bad)]).is_err(), "{bad}");
        }
    }

    #[test]
    fn unix_binds_need_an_absolute_path() {
        let config =
            load_env(&[("MINIBOARD_BIND", "unix:/run/miniboard/miniboard.sock")]).expect("valid");
        assert_eq!(
            config.bind,
            Bind::Unix(PathBuf::from("/run/miniboard/miniboard.sock"))
        );
        assert!(load_env(&[("MINIBOARD_BIND", "unix:relative.sock")]).is_err());
    }

    #[test]
    fn cors_origins_are_origins_as_browsers_send_them() {
        let config = load_env(&[(
            "MINIBOARD_API_CORS_ORIGINS",
            " https://App.Example.com , http://localhost:3000,https://x.example:443",
        )])
        .expect("origins");
        assert_eq!(
            config.api_cors_origins,
            [
                "https://app.example.com",
                "http://localhost:3000",
                "https://x.example"
            ]
        );
        assert_eq!(
            load_env(&[("MINIBOARD_API_CORS_ORIGINS", "*")])
                .expect("any")
                .api_cors_origins,
            ["*"]
        );
        for bad in [
            "app.example.com",
            "https://a.example/path",
            "ftp://a.example",
            "https://u:p@a.example",
        ] {
            let err = load_env(&[("MINIBOARD_API_CORS_ORIGINS", bad)]).expect_err(bad);
            assert_eq!(err.key, "MINIBOARD_API_CORS_ORIGINS");
        }
        assert!(load_env(&[]).expect("defaults").api_cors_origins.is_empty());
    }

    #[test]
    fn trusted_proxies_are_addresses_networks_or_the_unix_socket() {
        let config = load_env(&[(
            "MINIBOARD_TRUSTED_PROXIES",
            "127.0.0.1, 10.0.0.0/8, ::1, unix",
        )])
        .expect("valid");
        let trusted = |peer: Option<&str>| {
            let peer = peer.map(|p| p.parse::<IpAddr>().expect("ip"));
            config
                .trusted_proxies
                .iter()
                .any(|proxy| proxy.matches(peer))
        };
        assert!(trusted(Some("127.0.0.1")));
        assert!(trusted(Some("10.20.30.40")));
        assert!(trusted(Some("::ffff:10.1.2.3")));
        assert!(trusted(Some("::1")));
        assert!(trusted(None), "the unix socket");
        assert!(!trusted(Some("192.168.1.1")));
        assert!(!trusted(Some("11.0.0.1")));
        for bad in ["localhost", "10.0.0.0/33", "1.2.3", "::1/129"] {
            assert!(
                load_env(&[("MINIBOARD_TRUSTED_PROXIES", bad)]).is_err(),
                "{bad}"
            );
        }
        assert!(load_env(&[]).expect("defaults").trusted_proxies.is_empty());
    }

    #[test]
    fn rate_limits_switch_off_with_one_key_and_limits_take_whole_numbers() {
        let defaults = load_env(&[]).expect("defaults");
        assert!(defaults.rate_limits);
        assert_eq!(defaults.session_lifetime.as_secs(), 30 * DAY_SECONDS);
        let off = load_env(&[
            ("MINIBOARD_RATE_LIMITS", "off"),
            ("MINIBOARD_SIGNUPS_PER_HOUR", "3"),
            ("MINIBOARD_SESSION_LIFETIME_DAYS", "7"),
        ])
        .expect("valid");
        assert!(!off.rate_limits);
        assert_eq!(off.signups_per_hour, 3);
        assert_eq!(off.session_lifetime.as_secs(), 7 * DAY_SECONDS);
        assert!(off.describe().contains("rate_limits = \"off\""));
        for (key, bad) in [
            ("MINIBOARD_RATE_LIMITS", "maybe"),
            ("MINIBOARD_SIGNUPS_PER_HOUR", "0"),
            ("MINIBOARD_SIGNUPS_PER_HOUR", "-1"),
            ("MINIBOARD_SESSION_LIFETIME_DAYS", "lots"),
        ] {
            let err = load_env(&[(key, bad)]).err();
            assert_eq!(err.map(|e| e.key), Some(key.to_owned()), "{bad}");
        }
    }

    #[test]
    fn tls_to_postgres_is_read_as_libpq_reads_it() {
        let read = |url: &str| PostgresUrl::new(url).connection();
        let full = read("postgres://board@db.example/miniboard?sslmode=verify-full&sslrootcert=/etc/ssl/db%20ca.pem&connect_timeout=5")
            .expect("verify-full with its CA");
        assert_eq!(full.ssl_mode, SslMode::VerifyFull);
        assert_eq!(full.root_cert, Some(PathBuf::from("/etc/ssl/db ca.pem")));
        assert_eq!(
            full.config.get_ssl_mode(),
            tokio_postgres::config::SslMode::Require
        );
        assert_eq!(
            full.config.get_connect_timeout(),
            Some(&std::time::Duration::from_secs(5)),
            "the other options still reach the client"
        );
        assert_eq!(
            PostgresUrl::new(
                "postgres://board@db.example/miniboard?sslmode=verify-ca&sslrootcert=/ca.pem"
            )
            .to_string(),
            "postgres://board@db.example:5432/miniboard?sslmode=verify-ca&sslrootcert=/ca.pem"
        );
        let encoded =
            read("postgres://board@db.example/miniboard?ssl%6dode=verify-ca&sslrootcert=/ca.pem")
                .expect("an encoded key");
        assert_eq!(encoded.ssl_mode, SslMode::VerifyCa, "a key is read decoded");
        let plain = read("postgres://board@db.example/miniboard").expect("a URL");
        assert_eq!(plain.ssl_mode, SslMode::Prefer, "libpq's default");
        for (url, says) in [
            ("postgres://b@db/m?sslmode=verify-full", "needs sslrootcert"),
            ("postgres://b@db/m?sslmode=always", "none of disable"),
            (
                "postgresql:///m?host=/run/postgresql&sslmode=require",
                "unix socket",
            ),
        ] {
            let err = read(url).err().expect(url);
            assert!(err.contains(says), "{url}: {err}");
        }
    }

    #[test]
    fn a_postgres_url_is_taken_and_shown_without_its_password() {
        let config = load_env(&[(
            "MINIBOARD_DATABASE",
            "postgres://board:s3cret@db.example:5433/miniboard?sslmode=disable",
        )])
        .expect("a URL");
        assert!(matches!(config.database, Database::Postgres(_)));
        let shown = config.describe();
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(
            shown.contains("postgres://board:********@db.example:5433/miniboard"),
            "{shown}"
        );
        // However the password is spelled, it does not show.
        for spelled in [
            "postgresql:///db?host=/run/postgresql&user=u&pass%77ord=Qz9pw",
            "postgres://u:Qz/9pw@host/db",
            "postgres://u:Qz?9pw@host/db",
        ] {
            if let Ok(config) = load_env(&[("MINIBOARD_DATABASE", spelled)]) {
                let shown = config.describe();
                assert!(!shown.contains("Qz") && !shown.contains("9pw"), "{shown}");
            }
        }
        assert!(
            shown.contains("search_dir = \"miniboard.search\""),
            "{shown}"
        );
        let socket = load_env(&[(
            "MINIBOARD_DATABASE",
            "postgresql:///miniboard?host=/run/postgresql",
        )])
        .expect("a socket URL");
        assert_eq!(
            socket.database.to_string(),
            "postgresql:///miniboard?host=/run/postgresql"
        );
        let in_query = load_env(&[(
            "MINIBOARD_DATABASE",
            "postgresql:///db?host=/run/postgresql&user=board&password=s3cret-pw",
        )])
        .expect("a URL with the password in its query");
        let shown = in_query.describe();
        assert!(!shown.contains("s3cret-pw"), "{shown}");
        assert!(shown.contains("password=********"), "{shown}");
        // What is not a database is refused, not taken for a new SQLite file.
        for typo in [
            "postgress:///miniboard?host=/run/postgresql",
            "mysql://board@db/board",
            "host=/run/postgresql dbname=miniboard",
        ] {
            let err = load_env(&[("MINIBOARD_DATABASE", typo)]).expect_err(typo);
            assert_eq!(err.key, "MINIBOARD_DATABASE");
        }
        let err = load_env(&[("MINIBOARD_DATABASE", "postgres://x/y?bogus_option=1")])
            .expect_err("refused");
        assert!(err.problem.contains("bogus_option"), "{}", err.problem);
        assert_eq!(err.key, "MINIBOARD_DATABASE");
        assert!(err.problem.contains("PostgreSQL"), "{}", err.problem);
        assert!(!err.to_string().contains('\n'));
    }

    #[test]
    fn every_key_is_declared_once_and_described() {
        let config = load_env(&[]).expect("defaults");
        let text = config.describe();
        for key in KEYS {
            assert_eq!(
                KEYS.iter().filter(|other| other.name == key.name).count(),
                1
            );
            assert!(text.contains(&format!("\n{} = ", key.name)) || text.starts_with(key.name));
        }
        // What `describe` prints loads back as the same settings.
        let file =
            std::env::temp_dir().join(format!("miniboard-describe-{}.toml", std::process::id()));
        std::fs::write(&file, &text).expect("write");
        let again = Config::load(Some(&file), |_| None).expect("loads back");
        let _ = std::fs::remove_file(&file);
        assert_eq!(again.describe(), text);
    }

    #[test]
    fn the_secret_is_masked_when_described() {
        let config = load_env(&[("MINIBOARD_SECRET_KEY", "hunter2-hunter2-hunter2-hunter2-x")])
            .expect("valid");
        let text = config.describe();
        assert!(!text.contains("hunter2"));
        assert!(text.contains("********"));
        assert!(
            !format!("{config:?}").contains("hunter2"),
            "nor in a debug print"
        );
    }

    #[test]
    fn the_smtp_password_is_masked_and_a_bad_url_refused() {
        let config = load_env(&[
            (
                "MINIBOARD_SMTP_URL",
                "smtp://mailer:s3cret-pass@smtp.example.com:587?tls=required",
            ),
            ("MINIBOARD_MAIL_FROM", "Board <noreply@example.com>"),
        ])
        .expect("valid");
        let text = config.describe();
        assert!(!text.contains("s3cret-pass"), "{text}");
        assert!(text.contains("smtp://mailer:********@smtp.example.com:587?tls=required"));
        assert!(!format!("{config:?}").contains("s3cret-pass"));
        assert_eq!(
            config.smtp_url.as_ref().map(SmtpUrl::expose),
            Some("smtp://mailer:s3cret-pass@smtp.example.com:587?tls=required")
        );
        let unset = load_env(&[]).expect("valid").describe();
        assert!(unset.contains("smtp_url = \"\" # not set: mail is written to the log"));
        for bad in ["http://smtp.example.com", "smtp.example.com", "smtps://"] {
            let err = load_env(&[("MINIBOARD_SMTP_URL", bad)]).expect_err(bad);
            assert_eq!(err.key, "MINIBOARD_SMTP_URL", "{bad}");
        }
        let err = load_env(&[("MINIBOARD_MAIL_FROM", "not an address")]).expect_err("invalid");
        assert_eq!(err.key, "MINIBOARD_MAIL_FROM");
        let verified = load_env(&[("MINIBOARD_REQUIRE_VERIFIED_EMAIL", "on")]).expect("valid");
        assert!(verified.require_verified_email);
    }

    #[test]
    fn the_public_url_is_an_http_address_kept_without_its_trailing_slash() {
        let set = |value: &str| load_env(&[("MINIBOARD_PUBLIC_URL", value)]);
        assert_eq!(
            set("https://board.example.com/")
                .expect("valid")
                .public_url
                .as_deref(),
            Some("https://board.example.com")
        );
        assert_eq!(
            set("http://127.0.0.1:8000/qa")
                .expect("valid")
                .public_url
                .as_deref(),
            Some("http://127.0.0.1:8000/qa")
        );
        assert_eq!(set(" ").expect("valid").public_url, None);
        for bad in [
            "board.example.com",
            "ftp://x.org",
            "https://",
            "https://a.org/?q=1",
            "https://a b.org",
        ] {
            assert!(set(bad).is_err(), "{bad}");
        }
    }
}
