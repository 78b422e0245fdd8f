//! `InburgeraarStore` and `RegisterStats`: people, their audit trail and processing log.

use super::{audit_value, DieselStore};
use crate::connection::{self, AnyConnection, Backend};
use crate::error::map_diesel;
use crate::events;
use crate::inburgeraars;
use crate::records::{self, AuditRow, Change, VerwerkingRow};
use crate::schema::{audit_entries, verwerkingen};
use crate::transactions::TxError;
use diesel::prelude::*;
use koers_domain::events::{Event, EventKind, Wijziging};
use koers_domain::inburgeraar::{Inburgeraar, InburgeraarFilter, InburgeraarId, Zoekvraag};
use koers_domain::pagination::{Page, PageRequest};
use koers_domain::ports::{InburgeraarStore, Refusal, RegisterStats, StoreError, UpdateOutcome};
use koers_domain::records::{
    pseudonymise, AuditActie, AuditEntry, IdempotencyRecord, RequestContext, Verwerking,
    Verwerkingsactiviteit,
};
use koers_domain::traject::Traject;

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
            records::audit(
                conn,
                ctx,
                Change {
                    inburgeraar_id: person.id,
                    resource: "inburgeraar",
                    resource_id: person.id.to_string(),
                    actie: AuditActie::Aangemaakt,
                    oude_waarde: None,
                    nieuwe_waarde: audit_value(person)?,
                },
            )?;
            events::record(
                conn,
                &Event::about(
                    ctx,
                    &Wijziging::of(EventKind::InburgeraarGeregistreerd),
                    person.id,
                    &person.gemeente,
                ),
            )?;
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
        change: &mut dyn FnMut(&Inburgeraar) -> Result<Inburgeraar, Refusal>,
    ) -> Result<UpdateOutcome, StoreError> {
        self.transaction(|conn| {
            let Some(before) = inburgeraars::get_visible(
                conn,
                ctx,
                Verwerkingsactiviteit::InburgeraarWijzigen,
                id,
            )??
            else {
                return Ok(UpdateOutcome::NotFound);
            };
            let updated = match change(&before) {
                Ok(updated) => updated,
                Err(refusal) => return Ok(UpdateOutcome::Refused(refusal)),
            };
            if updated == before {
                // Nothing changed: no write, no audit entry, the same version; the processing is logged.
                self.log(conn, ctx, Verwerkingsactiviteit::InburgeraarWijzigen, &[id])?;
                return Ok(UpdateOutcome::Updated(before));
            }
            let applied = inburgeraars::update(conn, &before, &updated)
                .map_err(Self::identifier_conflict(&updated))?;
            if !applied {
                return Err(TxError(StoreError::StaleVersion));
            }
            // The dates of the person (kennisgeving, vestiging, birth), the status and the gemeente
            // move the worklist.
            crate::projectie::herbereken(conn, &updated)?;
            records::audit(
                conn,
                ctx,
                Change {
                    inburgeraar_id: updated.id,
                    resource: "inburgeraar",
                    resource_id: updated.id.to_string(),
                    actie: AuditActie::Gewijzigd,
                    oude_waarde: audit_value(&before)?,
                    nieuwe_waarde: audit_value(&updated)?,
                },
            )?;
            events::record(
                conn,
                &Event::about(
                    ctx,
                    &Wijziging::of(EventKind::InburgeraarGewijzigd),
                    updated.id,
                    &updated.gemeente,
                ),
            )?;
            self.log(
                conn,
                ctx,
                Verwerkingsactiviteit::InburgeraarWijzigen,
                &[updated.id],
            )?;
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
