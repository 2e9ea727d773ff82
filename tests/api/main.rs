//! One test binary against the real server: a module per feature.

mod accounts;
mod cli;
mod csrf;
mod helpers;
mod login;
mod pages;
mod sessions;
mod static_assets;
