//! miniboard: a question-and-answer board in one binary.
//!
//! A request walks one way: `web` takes the input, calls a use case in `board` (which parses it into `domain`
//! types, asks the policy and owns the transaction through `store`), and hands the domain values to `views`.
//! Mail goes the other way: use cases queue it through `store`, and `mail` words it with `views` and sends it.
//! `api` is the second front door beside `web`: the same use cases, answered in JSON.

pub mod api;
pub mod app;
pub mod assets;
pub mod board;
pub mod cli;
pub mod config;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod listen;
pub mod mail;
pub mod markdown;
pub mod passwords;
pub mod search;
pub mod seed;
pub mod signing;
pub mod store;
pub mod sync;
pub mod views;
pub mod web;
