//! `IdempotencyStore`: the stored answers of idempotent requests, and their logged replays.

use super::DieselStore;
use crate::records;
use koers_domain::ports::{IdempotencyStore, Replay, StoreError};
use koers_domain::records::{IdempotencyRecord, RequestContext, Verwerkingsactiviteit};

impl IdempotencyStore for DieselStore {
    fn find_idempotency(&self, ctx: &RequestContext, key: &str) -> Result<Replay, StoreError> {
        // A replay discloses the stored answer again: it is logged for the person it is about, as the
        // activity the first request was.
        self.read_logged_as(ctx, |conn| {
            let replay = records::find_answer(conn, ctx, key)??;
            let logged = match &replay {
                Replay::Stored(IdempotencyRecord {
                    subject: Some(subject),
                    activiteit: Some(activiteit),
                    ..
                }) => (*activiteit, vec![*subject]),
                _ => (Verwerkingsactiviteit::InburgeraarRaadplegen, Vec::new()),
            };
            Ok((replay, logged.0, logged.1))
        })
    }

    fn claim_idempotency(&self, record: &IdempotencyRecord) -> Result<(), StoreError> {
        self.transaction(|conn| Ok(records::remember_answer(conn, record)?))
    }
}
