//! miniboard: a question-and-answer board in one binary.
//!
//! A request walks one way: `web` parses input into `domain` types, calls `db`, and hands rows to `views`.

pub mod app;
pub mod assets;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod listen;
pub mod markdown;
pub mod passwords;
pub mod seed;
pub mod views;
pub mod web;
