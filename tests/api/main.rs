//! Black-box tests of the assembled Koers app over HTTP. Every API test runs twice: on a fresh SQLite
//! file and on a fresh PostgreSQL database (`api_test!`). PostgreSQL is required: when it cannot be
//! reached the tests fail, they are never skipped.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::missing_panics_doc)]

mod helpers;

mod abonnementen;
mod auth;
mod beheer;
mod contract;
mod conventions;
pub mod crash;
mod cursors;
mod feed;
mod gebeurtenissen;
mod grenzen;
mod idempotentie;
mod inburgeraars;
mod invoer;
mod isolatie;
mod lichamen;
mod limits;
mod migratie;
mod partners;
mod storage;
mod traject;
mod voortgang;
mod webhooks;
mod werklijst;
