//! One test binary against the real server: a module per feature.

mod accepted;
mod accounts;
mod answers;
mod authorization;
mod cli;
mod comments;
mod compression;
mod crawling;
mod csrf;
mod deploy;
mod durability;
mod helpers;
mod hostile;
mod likes;
mod login;
mod pages;
mod postgres_tls;
mod questions;
mod search;
mod sessions;
mod static_assets;
mod storage;
mod tags;
mod views;
mod visitor_pages;
mod xss;
