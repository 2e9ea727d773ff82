//! Where the server listens: a TCP address, a unix socket it creates, or a socket systemd hands over.

use std::{
    net::SocketAddr,
    os::unix::{
        fs::{FileTypeExt, PermissionsExt},
        io::FromRawFd,
        net::{UnixListener, UnixStream},
    },
    path::{Path, PathBuf},
};

use anyhow::{Context, bail};
use poem::listener::{Acceptor, AcceptorExt, BoxAcceptor, Listener, TcpListener};

use crate::config::{Bind, Config};

/// What the server is bound to, for the log and for tests.
#[derive(Clone, Debug)]
pub enum Listening {
    Tcp(SocketAddr),
    Unix(PathBuf),
    /// Inherited from systemd socket activation.
    Activated(String),
}

impl Listening {
    /// The address pages link to when the board's own (`public_url`) is not set, in development: this
    /// server's, with a wildcard address read as this host.
    pub fn address_for_links(&self) -> String {
        match self {
            Listening::Tcp(addr) if addr.ip().is_unspecified() => {
                format!("http://localhost:{}", addr.port())
            }
            Listening::Tcp(addr) => format!("http://{addr}"),
            Listening::Unix(_) | Listening::Activated(_) => "http://localhost".to_owned(),
        }
    }
}

impl std::fmt::Display for Listening {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Tcp(addr) => write!(f, "{addr}"),
            Self::Unix(path) => write!(f, "unix:{}", path.display()),
            Self::Activated(what) => write!(f, "{what} (from systemd)"),
        }
    }
}

/// Removes the socket file this process created when the server stops.
pub struct SocketFile(Option<PathBuf>);

impl Drop for SocketFile {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The first descriptor systemd passes (`SD_LISTEN_FDS_START`).
const FIRST_PASSED_FD: i32 = 3;

/// Opens the listener: systemd's socket when this process was socket-activated, else what `bind` says.
pub async fn open(config: &Config) -> anyhow::Result<(BoxAcceptor, Listening, SocketFile)> {
    if let Some(activated) = activated_socket()? {
        return Ok((activated.0, activated.1, SocketFile(None)));
    }
    match &config.bind {
        Bind::Tcp(address) => {
            let acceptor = TcpListener::bind(address.clone())
                .into_acceptor()
                .await
                .with_context(|| format!("cannot listen on {address}"))?;
            let local = acceptor
                .local_addr()
                .first()
                .and_then(|addr| addr.as_socket_addr().copied())
                .with_context(|| format!("the listener on {address} has no address"))?;
            Ok((acceptor.boxed(), Listening::Tcp(local), SocketFile(None)))
        }
        Bind::Unix(path) => {
            let listener = bind_unix(path, config.socket_group.as_deref())?;
            let acceptor = poem::listener::UnixAcceptor::from_std(listener)
                .with_context(|| format!("cannot serve on {}", path.display()))?;
            Ok((
                acceptor.boxed(),
                Listening::Unix(path.clone()),
                SocketFile(Some(path.clone())),
            ))
        }
    }
}

/// The listening socket systemd passed, if `LISTEN_PID` names this process.
fn activated_socket() -> anyhow::Result<Option<(BoxAcceptor, Listening)>> {
    let for_us = std::env::var("LISTEN_PID")
        .ok()
        .and_then(|pid| pid.parse::<u32>().ok())
        == Some(std::process::id());
    let count = std::env::var("LISTEN_FDS")
        .ok()
        .and_then(|n| n.parse::<u32>().ok())
        .unwrap_or(0);
    if !for_us || count == 0 {
        return Ok(None);
    }
    if count > 1 {
        bail!("systemd passed {count} sockets; miniboard serves exactly one (one ListenStream=)");
    }
    // SAFETY: systemd passed descriptor 3 to this process (LISTEN_PID is ours) and nothing else owns it.
    let unix = unsafe { UnixListener::from_raw_fd(FIRST_PASSED_FD) };
    match unix.local_addr() {
        Ok(addr) => {
            unix.set_nonblocking(true)?;
            let name = addr.as_pathname().map_or_else(
                || "a unix socket".to_owned(),
                |p| format!("unix:{}", p.display()),
            );
            let acceptor = poem::listener::UnixAcceptor::from_std(unix)?;
            Ok(Some((acceptor.boxed(), Listening::Activated(name))))
        }
        Err(_) => {
            // Not a unix socket: a TCP one (ListenStream=127.0.0.1:8000). Take the descriptor back.
            let fd = std::os::unix::io::IntoRawFd::into_raw_fd(unix);
            // SAFETY: the same descriptor, now owned by exactly one listener again.
            let tcp = unsafe { std::net::TcpListener::from_raw_fd(fd) };
            tcp.set_nonblocking(true)?;
            let local = tcp.local_addr()?;
            let acceptor = poem::listener::TcpAcceptor::from_std(tcp)?;
            Ok(Some((
                acceptor.boxed(),
                Listening::Activated(local.to_string()),
            )))
        }
    }
}

/// Binds a unix socket at `path`: a stale socket from a crash is replaced, a live one (another server
/// answering) is refused, and the socket gets mode 0660 and `group`, so only the proxy's group connects.
fn bind_unix(path: &Path, group: Option<&str>) -> anyhow::Result<UnixListener> {
    if let Ok(metadata) = std::fs::symlink_metadata(path) {
        if !metadata.file_type().is_socket() {
            bail!(
                "{} exists and is not a socket; refusing to replace it",
                path.display()
            );
        }
        if UnixStream::connect(path).is_ok() {
            bail!("{} is in use by a running server", path.display());
        }
        std::fs::remove_file(path)
            .with_context(|| format!("cannot remove the stale socket {}", path.display()))?;
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    // Bound under a temporary name, given its mode, then renamed into place: the socket is never
    // reachable with the umask's permissions, not even for a moment.
    let mut staging = path.as_os_str().to_owned();
    staging.push(format!(".{}.binding", std::process::id()));
    let staging = PathBuf::from(staging);
    let _ = std::fs::remove_file(&staging);
    let listener = UnixListener::bind(&staging)
        .with_context(|| format!("cannot bind {}", staging.display()))?;
    let placed = std::fs::set_permissions(&staging, std::fs::Permissions::from_mode(0o660))
        .with_context(|| format!("cannot set the mode of {}", staging.display()))
        .and_then(|()| {
            std::fs::rename(&staging, path)
                .with_context(|| format!("cannot move the socket to {}", path.display()))
        });
    if let Err(err) = placed {
        let _ = std::fs::remove_file(&staging);
        return Err(err);
    }
    if let Some(group) = group {
        let gid = match group.parse::<u32>() {
            Ok(gid) => nix::unistd::Gid::from_raw(gid),
            Err(_) => {
                nix::unistd::Group::from_name(group)
                    .with_context(|| format!("cannot look up group {group}"))?
                    .with_context(|| format!("no group named {group}"))?
                    .gid
            }
        };
        nix::unistd::chown(path, None, Some(gid))
            .with_context(|| format!("cannot give {} to group {group}", path.display()))?;
    }
    listener.set_nonblocking(true)?;
    Ok(listener)
}
