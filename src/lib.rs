//! art33: a data-breach incident tracker with 72-hour deadline alerts (GDPR art. 33).
//!
//! Functional core, imperative shell: [`domain`] is pure; [`storage`], [`web`] and [`cli`] are thin
//! shells around it. See `docs/ARCHITECTURE.md` for the architecture.

#![warn(missing_docs)]

pub mod app;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod domain;
pub mod export;
pub mod http_client;
pub mod notify;
pub mod pdf;
pub mod scheduler;
pub mod seed;
pub mod storage;
pub mod telemetry;
pub mod web;
