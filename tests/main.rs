//! The one integration test binary (`docs/ARCHITECTURE.md` §13). Run with `cargo test`; set
//! `ART33_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres` to run every storage and
//! API test on PostgreSQL too.
#![allow(clippy::unwrap_used, reason = "tests unwrap: a panic is how a test fails")]

mod support;

mod ap_report;
mod api;
mod architecture;
mod audit;
mod audit_chains;
mod browser;
mod calendar;
mod cli;
mod faults;
mod forms;
mod group_commit;
mod hardening;
mod incidents;
mod live;
mod live_webhooks;
mod login;
mod mails;
mod metrics;
mod migrations;
mod newcomer;
mod oidc;
mod pages;
mod personal_data;
mod profile;
mod requeue;
mod round_trips;
mod scheduler;
mod security;
mod webhooks;
