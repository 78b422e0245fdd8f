//! Koers persistence: diesel on SQLite (embedded default) and PostgreSQL (production), chosen at run
//! time from the URL scheme. Implements the storage ports of `koers-domain`.

mod abonnementen;
mod connection;
pub(crate) mod dokument;
mod error;
mod events;
mod gemeenten;
pub(crate) mod historie;
mod inburgeraars;
mod partners;
mod projectie;
mod records;
mod schema;
mod store;
mod trajecten;
mod transactions;

pub use connection::{backup, Backend, DatabaseUrl, PoolSettings};
pub use store::DieselStore;
