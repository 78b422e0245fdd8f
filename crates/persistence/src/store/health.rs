//! `HealthCheck`: whether the database answers, its migrations and its backend.

use super::DieselStore;
use crate::connection;
use crate::error::map_diesel;
use diesel::prelude::*;
use koers_domain::ports::{HealthCheck, StoreError};

impl HealthCheck for DieselStore {
    fn check(&self) -> Result<(), StoreError> {
        let mut conn = crate::connection::checkout(&self.pool)?;
        diesel::sql_query("SELECT 1")
            .execute(&mut conn)
            .map(|_| ())
            .map_err(map_diesel)
    }

    fn migrations(&self) -> Result<koers_domain::ports::Migraties, StoreError> {
        let mut conn = crate::connection::checkout(&self.pool)?;
        connection::migrations(&mut conn)
            .map_err(|m| StoreError::Unavailable(koers_domain::ports::Failure::new(m)))
    }

    fn backend(&self) -> &'static str {
        self.backend.as_str()
    }
}
