//! Operating the binary: unix sockets, socket activation, trusted proxies, backup and restore.

use std::{
    io::{Read, Write},
    os::unix::{fs::PermissionsExt, net::UnixStream, process::CommandExt},
    path::Path,
    process::Stdio,
    time::{Duration, Instant},
};

use reqwest::StatusCode;

use crate::helpers::{PASSWORD, browser, miniboard_command, spawn_app_with};

/// A bare HTTP/1.1 GET over a unix socket; returns the status line and the body.
fn get_over_socket(socket: &Path, path: &str) -> String {
    let mut stream = UnixStream::connect(socket).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    response
}

fn wait_for(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if ready() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("timed out waiting for {what}");
}

/// A child server that is killed if the test fails before stopping it.
struct Running(std::process::Child);

impl Running {
    fn terminate(mut self) -> std::process::ExitStatus {
        let pid = libc::pid_t::try_from(self.0.id()).expect("pid");
        // SAFETY: kill(2) on our own, not yet reaped child.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
        self.0.wait().expect("wait")
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

#[test]
fn a_unix_socket_replaces_a_stale_one_refuses_a_live_one_and_goes_on_shutdown() {
    let dir = tempfile::tempdir().expect("dir");
    let socket = dir.path().join("run").join("miniboard.sock");
    std::fs::create_dir_all(socket.parent().expect("parent")).expect("mkdir");
    // A crash leaves the socket file behind with nobody listening.
    drop(std::os::unix::net::UnixListener::bind(&socket).expect("stale socket"));
    assert!(socket.exists());

    let bind = format!("unix:{}", socket.display());
    let db = dir.path().join("miniboard.db");
    let server = Running(
        miniboard_command()
            .env("MINIBOARD_BIND", &bind)
            .env("MINIBOARD_DATABASE", &db)
            .stderr(Stdio::null())
            .spawn()
            .expect("start"),
    );
    wait_for("the socket to answer", || {
        UnixStream::connect(&socket).is_ok()
    });
    let mode = std::fs::metadata(&socket)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o660);
    let response = get_over_socket(&socket, "/healthz");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.ends_with("ok\n"));

    // A second server on the same socket is refused and the first keeps serving.
    let second = miniboard_command()
        .env("MINIBOARD_BIND", &bind)
        .env("MINIBOARD_DATABASE", dir.path().join("other.db"))
        .output()
        .expect("second");
    assert!(!second.status.success());
    assert!(String::from_utf8_lossy(&second.stderr).contains("in use by a running server"));
    assert!(get_over_socket(&socket, "/healthz").starts_with("HTTP/1.1 200"));

    assert_eq!(server.terminate().code(), Some(0));
    assert!(!socket.exists(), "removed on shutdown");
}

#[test]
fn a_socket_passed_by_systemd_is_served_and_left_in_place() {
    let dir = tempfile::tempdir().expect("dir");
    let socket = dir.path().join("activated.sock");
    let listener = std::os::unix::net::UnixListener::bind(&socket).expect("bind");
    let fd = std::os::unix::io::AsRawFd::as_raw_fd(&listener);
    // As systemd does it: the socket as descriptor 3, LISTEN_FDS=1 and LISTEN_PID naming the server, which
    // the shell knows ($$) because it execs into the server.
    let binary = miniboard_command().get_program().to_owned();
    let mut command = std::process::Command::new("sh");
    command
        .args(["-c", "LISTEN_PID=$$ exec \"$0\""])
        .arg(binary)
        .env("MINIBOARD_DATABASE", dir.path().join("miniboard.db"))
        // Whatever `bind` says, the inherited socket wins.
        .env("MINIBOARD_BIND", "127.0.0.1:1")
        .env("LISTEN_FDS", "1")
        .env_remove("LISTEN_PID")
        .stdin(Stdio::null())
        .stderr(Stdio::null());
    // SAFETY: dup2 and fcntl are async-signal-safe, the only calls between fork and exec.
    unsafe {
        command.pre_exec(move || {
            // dup2 onto itself keeps close-on-exec, so clear it explicitly as well.
            if libc::dup2(fd, 3) < 0 || libc::fcntl(3, libc::F_SETFD, 0) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let server = Running(command.spawn().expect("start"));
    let response = get_over_socket(&socket, "/healthz");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert_eq!(server.terminate().code(), Some(0));
    assert!(socket.exists(), "systemd's socket is systemd's to remove");
    drop(listener);
}

/// A server that believes `X-Forwarded-For` from these networks, as behind a proxy.
async fn behind_proxies(networks: &[(&str, u8)]) -> crate::helpers::TestApp {
    let trusted: Vec<miniboard::config::TrustedProxy> = networks
        .iter()
        .map(
            |(address, prefix)| miniboard::config::TrustedProxy::Network {
                address: address.parse().expect("ip"),
                prefix: *prefix,
            },
        )
        .collect();
    spawn_app_with(move |config| config.trusted_proxies = trusted).await
}

/// A log-in sent through the proxy with `forwarded_for` as its `X-Forwarded-For`.
async fn log_in_from(
    app: &crate::helpers::TestApp,
    client: &reqwest::Client,
    token: &str,
    forwarded_for: &str,
    username: &str,
    password: &str,
) -> StatusCode {
    client
        .post(app.url("/login"))
        .header("X-Forwarded-For", forwarded_for)
        .form(&[
            ("username", username),
            ("password", password),
            ("csrf_token", token),
        ])
        .send()
        .await
        .expect("POST")
        .status()
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_throttle_counts_the_forwarded_client() {
    let app = behind_proxies(&[("127.0.0.1", 32)]).await;
    let attacker = browser();
    let token = app.csrf_token(&attacker).await;
    for n in 0..50 {
        let guess = format!("guess{n}");
        let status = log_in_from(&app, &attacker, &token, "203.0.113.7", &guess, "wrong").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let throttled = log_in_from(&app, &attacker, &token, "203.0.113.7", "someone", "x").await;
    assert_eq!(throttled, StatusCode::TOO_MANY_REQUESTS);
    // Another client behind the same proxy is not punished for it.
    app.signed_up_user("carol").await;
    let other = log_in_from(&app, &attacker, &token, "198.51.100.2", "carol", PASSWORD).await;
    assert_eq!(other, StatusCode::SEE_OTHER);
    app.stop().await;
}

#[tokio::test]
async fn guesses_from_one_address_do_not_lock_the_owner_out_elsewhere() {
    let app = behind_proxies(&[("127.0.0.1", 32)]).await;
    app.signed_up_user("dave").await;
    let attacker = browser();
    let token = app.csrf_token(&attacker).await;
    for _ in 0..5 {
        let status = log_in_from(&app, &attacker, &token, "203.0.113.7", "dave", "wrong").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let status = log_in_from(&app, &attacker, &token, "203.0.113.7", "dave", PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    // The owner, at home.
    let status = log_in_from(&app, &attacker, &token, "198.51.100.2", "dave", PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    app.stop().await;
}

#[tokio::test]
async fn a_forwarded_address_the_client_wrote_is_not_believed() {
    let app = behind_proxies(&[("127.0.0.1", 32), ("10.0.0.0", 8)]).await;
    let client = browser();
    let token = app.csrf_token(&client).await;
    // Every entry is a trusted network's, so none can be told from one the client wrote: the nearest hop
    // counts, not the leftmost entry, which the client writes afresh each time.
    for n in 0..50 {
        let (forwarded, guess) = (format!("10.9.{n}.1, 10.0.0.5"), format!("guess{n}"));
        let status = log_in_from(&app, &client, &token, &forwarded, &guess, "wrong").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "try {n}");
    }
    let status = log_in_from(&app, &client, &token, "10.9.99.1, 10.0.0.5", "other", "x").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    app.stop().await;
}

#[test]
fn backup_and_restore_check_what_they_copy() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("miniboard.db");
    let seeded = miniboard_command()
        .args([
            "seed",
            "--users",
            "3",
            "--questions",
            "12",
            "--answers",
            "5",
            "--likes",
            "5",
        ])
        .env("MINIBOARD_DATABASE", &db)
        .output()
        .expect("seed");
    assert!(seeded.status.success());
    let run = |args: &[&str]| {
        miniboard_command()
            .args(args)
            .env("MINIBOARD_DATABASE", &db)
            .output()
            .expect("run")
    };
    let backup = dir.path().join("backup.db");
    let made = run(&["backup", backup.to_str().expect("path")]);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    assert!(String::from_utf8_lossy(&made.stdout).contains("integrity_check ok"));
    assert!(String::from_utf8_lossy(&made.stdout).contains("12 questions"));
    let again = run(&["backup", backup.to_str().expect("path")]);
    assert!(
        !again.status.success(),
        "an existing file is never overwritten"
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&backup)
        .expect("backup")
        .permissions()
        .mode();
    assert_eq!(
        mode & 0o777,
        0o600,
        "the copy holds password hashes: {mode:o}"
    );
    // A link planted where the backup goes is not followed, dangling or not.
    let planted = dir.path().join("planted.db");
    let aimed_at = dir.path().join("elsewhere.db");
    std::os::unix::fs::symlink(&aimed_at, &planted).expect("symlink");
    let through_link = run(&["backup", planted.to_str().expect("path")]);
    assert!(!through_link.status.success());
    assert!(!aimed_at.exists(), "nothing was written through the link");
    assert!(
        std::fs::symlink_metadata(&planted)
            .expect("link")
            .file_type()
            .is_symlink(),
        "the link is left as it was"
    );

    // Lose data, then restore.
    let conn = rusqlite::Connection::open(&db).expect("db");
    conn.execute("DELETE FROM answers", []).expect("delete");
    drop(conn);
    let restored = run(&["restore", backup.to_str().expect("path")]);
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    let count: i64 = rusqlite::Connection::open(&db)
        .expect("db")
        .query_row("SELECT count(*) FROM answers", [], |row| row.get(0))
        .expect("count");
    assert_eq!(count, 5);

    // A file that is not a database is refused, and the database is untouched.
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"this is not sqlite").expect("write");
    let refused = run(&["restore", junk.to_str().expect("path")]);
    assert!(!refused.status.success());
    let count: i64 = rusqlite::Connection::open(&db)
        .expect("db")
        .query_row("SELECT count(*) FROM answers", [], |row| row.get(0))
        .expect("count");
    assert_eq!(count, 5);
}
