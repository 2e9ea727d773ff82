//! TLS to PostgreSQL, as `sslmode` and `sslrootcert` ask. The suite's PostgreSQL run has a cluster that lets
//! TCP connections in only over TLS (scripts/postgres.sh: a certificate for `localhost` from its own CA, and
//! a second CA it does not chain to); on SQLite there is no connection to secure.

use std::path::{Path, PathBuf};

use miniboard::{
    config::{Database, PostgresUrl},
    store::Store,
};
use reqwest::StatusCode;

use crate::{
    helpers::{browser, spawn_app_with},
    storage::{Probe, test_database},
};

/// The cluster's TLS files and port, and a database on it; `None` when the suite runs on SQLite.
struct TlsCluster {
    tls: PathBuf,
    port: String,
    db: String,
    plain: Database,
}

fn cluster(db_path: &Path) -> Option<TlsCluster> {
    let plain = test_database(db_path);
    let Database::Postgres(url) = &plain else {
        return None;
    };
    let read = url.connection().expect("the suite's URL");
    let socket_dir = read
        .config
        .get_hosts()
        .iter()
        .find_map(|host| match host {
            tokio_postgres::config::Host::Unix(dir) => Some(dir.clone()),
            tokio_postgres::config::Host::Tcp(_) => None,
        })
        .expect("the suite's cluster is reached over its socket");
    let tls = socket_dir.join("tls");
    let port =
        std::fs::read_to_string(tls.join("port")).expect("scripts/postgres.sh wrote the port");
    Some(TlsCluster {
        tls,
        port: port.trim().to_owned(),
        db: read
            .config
            .get_dbname()
            .expect("a database name")
            .to_owned(),
        plain,
    })
}

impl TlsCluster {
    fn url(&self, host: &str, query: &str) -> Database {
        Database::Postgres(PostgresUrl::new(format!(
            "postgres://postgres@{host}:{}/{}?{query}",
            self.port, self.db
        )))
    }

    fn ca(&self, name: &str) -> String {
        self.tls.join(name).display().to_string()
    }
}

async fn refusal(database: &Database) -> String {
    match Store::open(database).await {
        Ok(_) => panic!("{database} connected"),
        Err(err) => err.to_string(),
    }
}

#[tokio::test]
async fn a_board_runs_over_tls_when_the_server_is_who_the_ca_says() {
    let dir = tempfile::tempdir().expect("dir");
    let Some(cluster) = cluster(&dir.path().join("tls.db")) else {
        return; // SQLite: no connection to a server.
    };
    let ca = cluster.ca("ca.crt");
    let database = cluster.url(
        "localhost",
        &format!("sslmode=verify-full&sslrootcert={ca}"),
    );
    let app = spawn_app_with(|config| config.database = database.clone()).await;
    let alice = app.signed_up_user("alice").await;
    let question = app
        .ask(&alice, "Asked over TLS", "Encrypted all the way")
        .await;
    let page = app.get(&browser(), &format!("/questions/{question}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.expect("body").contains("Asked over TLS"));
    // The pool's connections and the listener's are the server's encrypted ones.
    let encrypted = Probe::of(&cluster.plain).encrypted_connections();
    assert!(encrypted >= 2, "{encrypted} encrypted connections");
    app.stop().await;
}

#[tokio::test]
async fn each_sslmode_checks_what_libpq_checks() {
    let dir = tempfile::tempdir().expect("dir");
    let Some(cluster) = cluster(&dir.path().join("modes.db")) else {
        return; // SQLite: no connection to a server.
    };
    let ca = cluster.ca("ca.crt");
    let other_ca = cluster.ca("other-ca.crt");
    // The certificate names localhost: reached by address, only the chain can be checked.
    let by_address = cluster.url(
        "127.0.0.1",
        &format!("sslmode=verify-full&sslrootcert={ca}"),
    );
    let err = refusal(&by_address).await;
    assert!(err.contains("certificate"), "{err}");
    for works in [
        cluster.url("127.0.0.1", &format!("sslmode=verify-ca&sslrootcert={ca}")),
        cluster.url("localhost", "sslmode=require"),
        cluster.url("localhost", ""),
    ] {
        let store = Store::open(&works)
            .await
            .unwrap_or_else(|err| panic!("{works}: {err}"));
        store.ping().await.expect("ping");
    }
    // A server whose certificate does not chain to the CA given is refused, whatever the mode.
    for mode in ["verify-full", "verify-ca", "require"] {
        let wrong_ca = cluster.url(
            "localhost",
            &format!("sslmode={mode}&sslrootcert={other_ca}"),
        );
        let err = refusal(&wrong_ca).await;
        assert!(err.contains("certificate"), "{mode}: {err}");
    }
    // This cluster lets no unencrypted TCP connection in, so one that works above was encrypted.
    let err = refusal(&cluster.url("localhost", "sslmode=disable")).await;
    assert!(err.contains("pg_hba.conf"), "{err}");
    let missing = cluster.url(
        "localhost",
        "sslmode=verify-full&sslrootcert=/nowhere/ca.crt",
    );
    let err = refusal(&missing).await;
    assert!(err.contains("sslrootcert /nowhere/ca.crt"), "{err}");
}
