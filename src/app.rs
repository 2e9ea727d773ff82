//! Builds the server from a configuration: opens the database, binds the listener, and runs until a signal.

use std::{sync::Arc, time::Duration};

use poem::{Server, listener::BoxAcceptor};
use rand::Rng;
use sha2::{Digest, Sha256};

use crate::{
    config::{Config, Database},
    listen::{self, Listening, SocketFile},
    search::SearchIndex,
    store::{Store, sqlite::backup::ServingLock},
    web::{self, AppState, session::spawn_session_purger},
};

/// How long shutdown waits for requests in flight.
const GRACE: Duration = Duration::from_secs(20);

/// A bound, ready server; `run` serves it.
pub struct App {
    acceptor: BoxAcceptor,
    state: Arc<AppState>,
    listening: Listening,
    socket_file: SocketFile,
    _serving: Option<ServingLock>,
}

impl App {
    /// Opens and migrates the database and binds the listener, so that `port()` is known before serving.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let serving = match &config.database {
            Database::Sqlite(path) => Some(crate::store::sqlite::backup::hold_while_serving(path)?),
            Database::Postgres(_) => None,
        };
        let store = Store::open(&config.database).await?;
        if crate::store::copy::interrupted(&store).await? {
            anyhow::bail!(
                "{}: a copy into this database did not finish; run the same miniboard copy again",
                config.database
            );
        }
        let search = SearchIndex::open(&config.search_dir(), &store).await?;
        let secret = secret_key(&config, &store).await?;
        let (acceptor, listening, socket_file) = listen::open(&config).await?;
        let mut config = config;
        if config.public_url.is_none() {
            // Development only (production requires it): the address this server answers on.
            config.public_url = Some(listening.address_for_links());
        }
        Ok(Self {
            acceptor,
            state: Arc::new(AppState::new(
                store,
                search,
                config,
                web::Keys {
                    csrf: derive_key(&secret, b"miniboard csrf"),
                    views: derive_key(&secret, b"miniboard views"),
                    unsubscribe: derive_key(&secret, b"miniboard unsubscribe"),
                    links: derive_key(&secret, b"miniboard links"),
                },
            )?),
            listening,
            socket_file,
            _serving: serving,
        })
    }

    /// The TCP port, when listening on TCP (0 otherwise).
    pub fn port(&self) -> u16 {
        match &self.listening {
            Listening::Tcp(addr) => addr.port(),
            _ => 0,
        }
    }

    pub fn listening(&self) -> &Listening {
        &self.listening
    }

    /// Serves until `shutdown` completes, then stops accepting, lets requests in flight finish (up to 20 s),
    /// and closes the pool.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let purger =
            spawn_session_purger(self.state.store.clone(), self.state.config.session_lifetime);
        let indexer = spawn_indexer(self.state.clone());
        let view_writer = spawn_view_writer(self.state.clone());
        let fan_out = crate::board::notifications::spawn_fan_out(self.state.store.clone());
        let mail_sender =
            crate::mail::spawn_sender(self.state.store.clone(), self.state.mailer.clone());
        if !self.state.mailer.sends() {
            match self.state.config.profile {
                crate::config::Profile::Production => tracing::warn!(
                    "mail is off: no smtp_url is set, so mail (password resets, confirmations, \
                     notifications) is written to the log instead of sent"
                ),
                crate::config::Profile::Development => {
                    tracing::info!("no smtp_url: mail is written to the log instead of sent")
                }
            }
        }
        tracing::info!(
            address = %self.listening,
            profile = self.state.config.profile.name(),
            database = %self.state.config.database,
            "miniboard is serving"
        );
        let endpoint = web::endpoint(self.state.clone());
        let result = Server::new_with_acceptor(self.acceptor)
            .run_with_graceful_shutdown(endpoint, shutdown, Some(GRACE))
            .await;
        purger.abort();
        indexer.abort();
        view_writer.abort();
        fan_out.abort();
        mail_sender.abort();
        // The views of the last few seconds, counted before the pool closes.
        write_views(&self.state).await;
        drop(self.socket_file);
        tracing::info!("miniboard stopped");
        result
    }
}

/// The configured secret, or in development one generated once and kept in the database, so that sessions
/// and forms survive a restart.
async fn secret_key(config: &Config, store: &Store) -> anyhow::Result<String> {
    if let Some(key) = &config.secret_key {
        return Ok(key.expose().to_owned());
    }
    let bytes: [u8; 32] = rand::rng().random();
    let candidate = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(store.setting_or_insert("secret_key", candidate).await?)
}

/// Takes what other requests and other servers changed into the search index, every second (a change a
/// request makes itself is taken in by that request).
fn spawn_indexer(state: Arc<AppState>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every_second = tokio::time::interval(Duration::from_secs(1));
        every_second.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every_second.tick().await;
            state.index_now().await;
        }
    })
}

/// Writes the views waiting, every few seconds (`views_written_every_seconds`).
fn spawn_view_writer(state: Arc<AppState>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(state.config.views_written_every);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            write_views(&state).await;
        }
    })
}

async fn write_views(state: &AppState) {
    if let Err(err) = state.views.write(&state.store, crate::domain::now()).await {
        tracing::warn!(%err, "views were not counted");
    }
}

/// A 32-byte key for one purpose, derived from the secret, so no two uses share a key.
fn derive_key(secret: &str, purpose: &[u8]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(purpose);
    hasher.update([0]);
    hasher.update(secret.as_bytes());
    hasher.finalize().into()
}

/// Completes on SIGTERM or SIGINT. The handlers are installed when this is called, not when the future is
/// first polled, so a signal that arrives while the server is still starting is not lost (call it first).
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    use tokio::signal::unix::{SignalKind, signal};
    let terminate = signal(SignalKind::terminate());
    let interrupt = signal(SignalKind::interrupt());
    async move {
        match (terminate, interrupt) {
            (Ok(mut terminate), Ok(mut interrupt)) => {
                tokio::select! {
                    _ = terminate.recv() => {}
                    _ = interrupt.recv() => {}
                }
            }
            (terminate, interrupt) => {
                tracing::warn!(
                    terminate = terminate.is_ok(),
                    interrupt = interrupt.is_ok(),
                    "cannot listen for both SIGTERM and SIGINT; waiting for Ctrl-C only"
                );
                let _ = tokio::signal::ctrl_c().await;
            }
        }
        tracing::info!("shutting down: finishing requests in flight");
    }
}
