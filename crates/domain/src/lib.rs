//! Koers domain: the types, rules and deadlines of the Wet inburgering 2021.
//!
//! This crate is pure: it knows nothing of HTTP, databases or async runtimes. Input is parsed once into
//! newtypes here, rules are plain functions, and storage is reached only through the ports in [`ports`].

pub mod bsn;
pub mod error;
pub mod gemeente;
pub mod inburgeraar;
pub mod input;
pub mod pagination;
pub mod ports;
pub mod principal;
pub mod records;

pub use error::{FieldError, FieldErrors};
