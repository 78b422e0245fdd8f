//! `InburgeraarStore` and `RegisterStats`: people, their audit trail and processing log.

use super::DieselStore;
use crate::connection::{self, AnyConnection, Backend};
use crate::error::map_diesel;
use crate::events;
use crate::events::NewEventRow;
use crate::inburgeraars;
use crate::records::{self, AuditRow, VerwerkingRow};
use crate::schema::{audit_entries, verwerkingen};
use crate::transactions::TxError;
use diesel::prelude::*;
use koers_domain::commando::{registratie, InburgeraarCommando};
use koers_domain::inburgeraar::{Inburgeraar, InburgeraarFilter, InburgeraarId, Zoekvraag};
use koers_domain::pagination::{Page, PageRequest};
use koers_domain::ports::{InburgeraarStore, RegisterStats, StoreError, UpdateOutcome};
use koers_domain::records::{
    pseudonymise, AuditEntry, IdempotencyRecord, RequestContext, Verwerking, Verwerkingsactiviteit,
};
use koers_domain::traject::Traject;
use koers_domain::vastlegging::Vastlegging;

/// Writes what the domain decided a change records: its audit entry and its events.
fn vastleggen(
    conn: &mut AnyConnection,
    ctx: &RequestContext,
    vastgelegd: Vastlegging,
) -> Result<(), diesel::result::Error> {
    records::insert_audit(conn, &records::audit_row(ctx, vastgelegd.audit))?;
    let events: Vec<NewEventRow> = vastgelegd.events.iter().map(NewEventRow::from).collect();
    events::insert(conn, &events)
}

impl InburgeraarStore for DieselStore {
    fn create_inburgeraar(
        &self,
        ctx: &RequestContext,
        person: &Inburgeraar,
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<(), StoreError> {
        self.transaction(|conn| {
            inburgeraars::insert(conn, person).map_err(Self::identifier_conflict(person))?;
            // A new person's worklist: the PIP deadline and the AOW age, from the start.
            let instellingen =
                crate::gemeenten::load(conn, std::slice::from_ref(&person.gemeente))?;
            crate::projectie::vervang(conn, &[(person, &Traject::default())], &instellingen)?;
            // What a registration records is the domain's decision.
            let vastgelegd = registratie(ctx, person)
                .map_err(|e| TxError(StoreError::internal_by("audit value", e)))?;
            vastleggen(conn, ctx, vastgelegd)?;
            self.log(
                conn,
                ctx,
                Verwerkingsactiviteit::InburgeraarRegistreren,
                &[person.id],
            )?;
            if let Some(record) = idempotency {
                records::remember_answer(conn, record)?;
            }
            Ok(())
        })
    }

    fn get_inburgeraar(
        &self,
        ctx: &RequestContext,
        id: InburgeraarId,
    ) -> Result<Option<Inburgeraar>, StoreError> {
        let activiteit = Verwerkingsactiviteit::InburgeraarRaadplegen;
        if self.backend == Backend::Postgresql && ctx.principal.organisatie.is_none() {
            // The read and its processing-log line in one statement: one round trip, not four.
            let lines = records::rows_for(ctx, self.key(), activiteit, &[id], &Default::default());
            let mut conn = connection::checkout(&self.pool)?;
            if let (AnyConnection::Postgresql(pg), [line]) = (&mut *conn, lines.as_slice()) {
                let found =
                    inburgeraars::get_logged_for_gemeente(pg, ctx, id, line).map_err(map_diesel)?;
                if found.is_some() {
                    metrics::counter!("koers_verwerkingen_written_total").increment(1);
                }
                return found
                    .map(inburgeraars::InburgeraarRow::into_domain)
                    .transpose();
            }
        }
        self.read_logged(ctx, activiteit, |conn| {
            let person = inburgeraars::get_visible(conn, ctx, activiteit, id)??;
            let subjects = person.iter().map(|p| p.id).collect();
            Ok((person, subjects))
        })
    }

    fn list_inburgeraars(
        &self,
        ctx: &RequestContext,
        filter: &InburgeraarFilter,
        page: &PageRequest,
    ) -> Result<Page<Inburgeraar>, StoreError> {
        self.read_logged(ctx, Verwerkingsactiviteit::InburgeraarsOpvragen, |conn| {
            let found = inburgeraars::list_visible(conn, ctx, filter, page)??;
            let ids = found.items.iter().map(|p| p.id).collect();
            Ok((found, ids))
        })
    }

    fn find_inburgeraar(
        &self,
        ctx: &RequestContext,
        vraag: &Zoekvraag,
    ) -> Result<Option<Inburgeraar>, StoreError> {
        self.read_logged(ctx, Verwerkingsactiviteit::InburgeraarZoeken, |conn| {
            let person = inburgeraars::find_visible(conn, ctx, vraag)??;
            let subjects = person.iter().map(|p| p.id).collect();
            Ok((person, subjects))
        })
    }

    fn update_inburgeraar(
        &self,
        ctx: &RequestContext,
        id: InburgeraarId,
        commando: &InburgeraarCommando,
    ) -> Result<UpdateOutcome, StoreError> {
        let activiteit = Verwerkingsactiviteit::InburgeraarWijzigen;
        self.transaction(|conn| {
            let Some(before) = inburgeraars::get_visible(conn, ctx, activiteit, id)?? else {
                return Ok(UpdateOutcome::NotFound);
            };
            let uitgevoerd = commando
                .uitvoeren(ctx, &before)
                .map_err(|e| TxError(StoreError::internal_by("audit value", e)))?;
            let vastgelegd = match uitgevoerd {
                Err(refusal) => return Ok(UpdateOutcome::Refused(refusal)),
                Ok(None) => {
                    // Nothing changed: no write, no audit entry, the same version; the processing
                    // is logged.
                    self.log(conn, ctx, activiteit, &[id])?;
                    return Ok(UpdateOutcome::Updated(before));
                }
                Ok(Some(vastgelegd)) => vastgelegd,
            };
            let updated = vastgelegd.person.clone();
            let applied = inburgeraars::update(conn, &before, &updated)
                .map_err(Self::identifier_conflict(&updated))?;
            if !applied {
                return Err(TxError(StoreError::StaleVersion));
            }
            // The dates of the person (kennisgeving, vestiging, birth), the status and the gemeente
            // move the worklist.
            crate::projectie::herbereken(conn, &updated)?;
            vastleggen(conn, ctx, vastgelegd)?;
            self.log(conn, ctx, activiteit, &[updated.id])?;
            Ok(UpdateOutcome::Updated(updated))
        })
    }

    fn audit_trail(
        &self,
        ctx: &RequestContext,
        id: InburgeraarId,
        page: &PageRequest,
    ) -> Result<Option<Page<AuditEntry>>, StoreError> {
        let activiteit = Verwerkingsactiviteit::AudittrailRaadplegen;
        self.person_page(
            ctx,
            activiteit,
            id,
            page,
            |e: &AuditEntry| e.id.clone(),
            |conn| {
                let mut query = audit_entries::table
                    .filter(audit_entries::inburgeraar_id.eq(id.to_string()))
                    .into_boxed();
                if let Some(before) = &page.after {
                    query = query.filter(audit_entries::id.lt(before.clone()));
                }
                let rows = query
                    .order(audit_entries::id.desc())
                    .limit(i64::from(page.size) + 1)
                    .select(AuditRow::as_select())
                    .load(conn)?;
                Ok(rows
                    .into_iter()
                    .map(AuditRow::into_domain)
                    .collect::<Result<Vec<_>, _>>()?)
            },
        )
    }

    fn verwerkingen(
        &self,
        ctx: &RequestContext,
        id: InburgeraarId,
        page: &PageRequest,
    ) -> Result<Option<Page<Verwerking>>, StoreError> {
        let activiteit = Verwerkingsactiviteit::VerwerkingenRaadplegen;
        self.person_page(
            ctx,
            activiteit,
            id,
            page,
            |v: &Verwerking| v.id.clone(),
            |conn| {
                let mut query = verwerkingen::table
                    .filter(verwerkingen::betrokkene.eq(pseudonymise(self.key(), id)))
                    .into_boxed();
                if let Some(before) = &page.after {
                    query = query.filter(verwerkingen::id.lt(before.clone()));
                }
                let rows = query
                    .order(verwerkingen::id.desc())
                    .limit(i64::from(page.size) + 1)
                    .select(VerwerkingRow::as_select())
                    .load(conn)?;
                Ok(rows.into_iter().map(VerwerkingRow::into_domain).collect())
            },
        )
    }
}

impl RegisterStats for DieselStore {
    fn has_inburgeraars(&self) -> Result<bool, StoreError> {
        let mut conn = crate::connection::checkout(&self.pool)?;
        crate::schema::inburgeraars::table
            .select(crate::schema::inburgeraars::id)
            .first::<String>(&mut conn)
            .optional()
            .map(|first| first.is_some())
            .map_err(map_diesel)
    }
}
