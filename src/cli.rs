//! The command line.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "miniboard",
    version,
    about = "A self-hosted question-and-answer board in one binary"
)]
pub struct Cli {
    /// A TOML file of settings; environment variables (MINIBOARD_*) override it.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Serve the board (the default).
    Serve,
    /// Create or upgrade the database schema, then exit.
    Migrate,
    /// Print the effective configuration, secrets masked.
    Config,
    /// Write a consistent copy of the database to FILE while the board keeps serving.
    Backup {
        /// A new file (an existing one is never overwritten).
        file: PathBuf,
    },
    /// Replace the database with FILE, after checking it; refused while a server holds the database.
    Restore {
        /// A backup made with `miniboard backup`.
        file: PathBuf,
    },
    /// Copy a whole board into an empty database: SQLite to PostgreSQL, or back. Stop the servers first.
    Copy {
        /// The board to copy: a SQLite file or a postgres:// URL.
        #[arg(long)]
        from: String,
        /// An empty database to copy it into: a SQLite file (created) or a postgres:// URL.
        #[arg(long)]
        to: String,
    },
    /// Fill the database with random Korean and English posts (for trying the board and for benchmarks).
    Seed {
        /// Users to add (they all log in with the password `seed-password`).
        #[arg(long, default_value_t = 50)]
        users: u64,
        /// Questions to add.
        #[arg(long, default_value_t = 500)]
        questions: u64,
        /// Answers to add, spread over the questions (newer ones get more).
        #[arg(long, default_value_t = 1500)]
        answers: u64,
        /// Likes to try to add; one a user already gave to a post is skipped.
        #[arg(long, default_value_t = 3000)]
        likes: u64,
        /// Comments to add, a third on questions and the rest on answers.
        #[arg(long, default_value_t = 1000)]
        comments: u64,
        /// Questions whose author accepts one of their answers (at most as many as have answers).
        #[arg(long, default_value_t = 200)]
        accepted: u64,
        /// Views to spread over the questions (this many in all, more on some than others).
        #[arg(long, default_value_t = 50_000)]
        views: u64,
        /// Random seed: the same plan and seed make the same board.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Then give the newest question this many more answers (a long thread, for benchmarks), with an
        /// accepted answer and 30 comments on its first page.
        #[arg(long, default_value_t = 0)]
        thread: u64,
    },
    /// Accounts: list them, or give one a role.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Personal access tokens for the JSON API.
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
}

/// What `miniboard token` does.
#[derive(Debug, Clone, PartialEq, Eq, clap::Subcommand)]
pub enum TokenAction {
    /// Make a token for USERNAME and print it (only the token, for scripts); it is not shown again.
    Create {
        username: String,
        /// `read` (what the account can see) or `write` (also post, edit, like and delete as the account).
        #[arg(long, default_value = "read")]
        scope: String,
        /// What the token is for, as the account page lists it.
        #[arg(long, default_value = "made by the operator")]
        name: String,
        /// The last day it works (YYYY-MM-DD, UTC); without it, it never lapses.
        #[arg(long, default_value = "")]
        expires: String,
    },
}

/// What `miniboard user` does.
#[derive(Debug, Clone, PartialEq, Eq, clap::Subcommand)]
pub enum UserAction {
    /// Print every account (id, name, role, when it joined, a running suspension), oldest first.
    List {
        /// Only moderators and admins.
        #[arg(long)]
        staff: bool,
    },
    /// Give USERNAME a role: `user`, `moderator` (closes questions, suspends users) or `admin` (also gives
    /// roles on the board's /admin/users page). The moderation log records it as the operator's.
    Role { username: String, role: String },
}
