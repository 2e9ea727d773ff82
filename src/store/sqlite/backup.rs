//! Online backups and offline restores of the database file.

use std::{
    fs::{File, OpenOptions},
    path::{Path, PathBuf},
};

use nix::fcntl::{Flock, FlockArg};
use rusqlite::{Connection, OpenFlags};

use super::migrations;
use crate::store::StoreError;

fn problem(message: impl Into<String>) -> StoreError {
    StoreError::Refused(message.into())
}

/// The lock file beside the database: every running server holds it shared, a restore exclusively.
fn lock_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// The lock on `database`, or `None` when another process holds it the other way.
fn lock(database: &Path, how: FlockArg) -> Result<Option<Flock<File>>, StoreError> {
    let path = lock_path(database);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|err| problem(format!("cannot open {}: {err}", path.display())))?;
    match Flock::lock(file, how) {
        Ok(held) => Ok(Some(held)),
        Err((_, nix::errno::Errno::EWOULDBLOCK)) => Ok(None),
        Err((_, errno)) => Err(problem(format!("cannot lock {}: {errno}", path.display()))),
    }
}

/// `database` held exclusively, or why not.
fn exclusively(database: &Path) -> Result<Flock<File>, StoreError> {
    lock(database, FlockArg::LockExclusiveNonblock)?.ok_or_else(|| {
        problem(format!(
            "a running miniboard holds {}; stop it first (systemctl stop miniboard)",
            database.display()
        ))
    })
}

/// Held by a running server for as long as it serves the database.
pub struct ServingLock(#[allow(dead_code)] Flock<File>);

/// Holds the database for a whole-board operation (a copy from or into it): refused while a server runs on it.
pub fn hold_exclusively(database: &Path) -> Result<ServingLock, StoreError> {
    exclusively(database).map(ServingLock)
}

/// Marks the database as served, so that `restore` refuses to replace it under the server.
pub fn hold_while_serving(database: &Path) -> Result<ServingLock, StoreError> {
    lock(database, FlockArg::LockSharedNonblock)?
        .map(ServingLock)
        .ok_or_else(|| {
            problem(format!(
                "{} is being restored; try again when it is done",
                database.display()
            ))
        })
}

/// What a checked database file holds.
pub struct Checked {
    pub schema_version: i64,
    pub questions: i64,
}

/// Opens `path` read-only and runs `PRAGMA integrity_check`.
pub fn check(path: &Path) -> Result<Checked, StoreError> {
    if !path.is_file() {
        return Err(problem(format!("{} does not exist", path.display())));
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let verdict: String = conn
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .map_err(|err| {
            problem(format!(
                "{} is not a readable SQLite database: {err}",
                path.display()
            ))
        })?;
    if verdict != "ok" {
        return Err(problem(format!(
            "{} failed the integrity check: {verdict}",
            path.display()
        )));
    }
    let schema_version: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if schema_version > migrations::LATEST {
        return Err(problem(format!(
            "{} is at schema version {schema_version}, newer than this binary ({})",
            path.display(),
            migrations::LATEST
        )));
    }
    let questions = if schema_version >= 2 {
        conn.query_row("SELECT count(*) FROM questions", [], |row| row.get(0))?
    } else {
        0
    };
    Ok(Checked {
        schema_version,
        questions,
    })
}

/// Writes a consistent copy of `database` to `target` while the server keeps serving (a read snapshot,
/// `VACUUM INTO`), then checks the copy. The target is created first, exclusively, with mode 0600 and
/// without following a symbolic link: an existing file or link is never written through, and the copy
/// (which holds every account's password hash) is readable by its owner only.
pub fn backup(database: &Path, target: &Path) -> Result<Checked, StoreError> {
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt};

    if !database.is_file() {
        return Err(problem(format!("{} does not exist", database.display())));
    }
    let created = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(target)
        .map_err(|err| match err.kind() {
            std::io::ErrorKind::AlreadyExists => problem(format!(
                "{} exists; choose a new file name",
                target.display()
            )),
            _ => problem(format!("cannot create {}: {err}", target.display())),
        })?;
    let outcome = copy_into(database, target).and_then(|()| {
        // The name must still be the file made above, not something swapped in meanwhile.
        let made = created.metadata().map_err(|err| problem(err.to_string()))?;
        let now = std::fs::symlink_metadata(target).map_err(|err| problem(err.to_string()))?;
        if now.file_type().is_file() && now.ino() == made.ino() && now.dev() == made.dev() {
            check(target)
        } else {
            Err(problem(format!(
                "{} was replaced while the backup was written",
                target.display()
            )))
        }
    });
    if outcome.is_err() {
        // Only what this command made: the exclusive create above proved nothing else was there.
        let _ = std::fs::remove_file(target);
    }
    outcome
}

/// `VACUUM INTO` an existing empty file (SQLite accepts one).
fn copy_into(database: &Path, target: &Path) -> Result<(), StoreError> {
    let conn = Connection::open_with_flags(database, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    let target_text = target
        .to_str()
        .ok_or_else(|| problem("the backup path is not valid UTF-8"))?;
    conn.execute("VACUUM INTO ?1", [target_text])?;
    Ok(())
}

/// Replaces `database` with the checked contents of `source`. Refuses while a server holds the database.
pub fn restore(database: &Path, source: &Path) -> Result<Checked, StoreError> {
    check(source)?;
    let _exclusive = exclusively(database)?;
    let mut staging = database.as_os_str().to_owned();
    staging.push(".restoring");
    let staging = PathBuf::from(staging);
    let _ = std::fs::remove_file(&staging);
    let source_conn = Connection::open_with_flags(source, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let staging_text = staging
        .to_str()
        .ok_or_else(|| problem("the database path is not valid UTF-8"))?;
    source_conn.execute("VACUUM INTO ?1", [staging_text])?;
    drop(source_conn);
    // The old database's journal must not be replayed into the restored file.
    for suffix in ["-wal", "-shm"] {
        let mut side = database.as_os_str().to_owned();
        side.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(side));
    }
    std::fs::rename(&staging, database)
        .map_err(|err| problem(format!("cannot move the restored file into place: {err}")))?;
    // Bring an older backup up to this binary's schema.
    let mut conn = Connection::open(database)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    migrations::run(&mut conn)?;
    drop(conn);
    check(database)
}
