//! `AbonnementStore`: abonnementen on events, each its client's own.

use super::DieselStore;
use crate::abonnementen::AbonnementRow;
use crate::error::map_diesel;
use crate::events;
use crate::records;
use crate::schema::{abonnementen, afleveringen, idempotente_antwoorden};
use diesel::prelude::*;
use koers_domain::abonnement::{eigenaar, Abonnement, AbonnementStatus};
use koers_domain::events::{abonnement_url, Event, EventKind};
use koers_domain::pagination::{Page, PageRequest};
use koers_domain::ports::{AbonnementStore, StoreError};
use koers_domain::records::{Antwoord, IdempotencyKey, IdempotencyRecord, RequestContext};
use uuid::Uuid;

/// The abonnement `id` if it is the caller's (its client with the authority it acted with).
type Eigen = diesel::dsl::Filter<
    diesel::dsl::Filter<abonnementen::table, diesel::dsl::Eq<abonnementen::id, String>>,
    diesel::dsl::Eq<abonnementen::eigenaar, String>,
>;

fn eigen(ctx: &RequestContext, id: Uuid) -> Eigen {
    abonnementen::table
        .filter(abonnementen::id.eq(id.to_string()))
        .filter(abonnementen::eigenaar.eq(eigenaar(&ctx.principal)))
}

/// The row of the caller's abonnement `id`, if there is one.
fn eigen_rij(
    conn: &mut crate::connection::AnyConnection,
    ctx: &RequestContext,
    id: Uuid,
) -> Result<Option<AbonnementRow>, diesel::result::Error> {
    eigen(ctx, id)
        .select(AbonnementRow::as_select())
        .first(conn)
        .optional()
}

/// The event of a change to an abonnement: no person's, no gemeente's.
fn event(ctx: &RequestContext, kind: EventKind, id: Uuid) -> Event {
    Event::new(ctx, kind, abonnement_url(id), None, None)
}

impl AbonnementStore for DieselStore {
    fn create_abonnement(
        &self,
        ctx: &RequestContext,
        abonnement: &Abonnement,
        geheim: &str,
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<(), StoreError> {
        let row = AbonnementRow::nieuw(abonnement, geheim)?;
        self.transaction(|conn| {
            diesel::insert_into(abonnementen::table)
                .values(&row)
                .execute(conn)?;
            events::record(
                conn,
                &event(ctx, EventKind::AbonnementAangemaakt, abonnement.id),
            )?;
            if let Some(record) = idempotency {
                records::remember_answer(conn, record)?;
            }
            Ok(())
        })
    }

    fn list_abonnementen(
        &self,
        ctx: &RequestContext,
        page: &PageRequest,
    ) -> Result<Page<Abonnement>, StoreError> {
        let mut conn = crate::connection::checkout(&self.pool)?;
        let mut query = abonnementen::table
            .filter(abonnementen::eigenaar.eq(eigenaar(&ctx.principal)))
            .into_boxed();
        if let Some(after) = &page.after {
            query = query.filter(abonnementen::id.gt(after.clone()));
        }
        let rows = query
            .order(abonnementen::id.asc())
            .limit(i64::from(page.size) + 1)
            .select(AbonnementRow::as_select())
            .load(&mut conn)
            .map_err(map_diesel)?;
        let items = rows
            .into_iter()
            .map(AbonnementRow::into_domain)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_overfetch(items, page.size, |a| a.id.to_string()))
    }

    fn get_abonnement(
        &self,
        ctx: &RequestContext,
        id: Uuid,
    ) -> Result<Option<Abonnement>, StoreError> {
        let mut conn = crate::connection::checkout(&self.pool)?;
        eigen_rij(&mut conn, ctx, id)
            .map_err(map_diesel)?
            .map(AbonnementRow::into_domain)
            .transpose()
    }

    fn zet_abonnement_status(
        &self,
        ctx: &RequestContext,
        id: Uuid,
        status: AbonnementStatus,
    ) -> Result<Option<Abonnement>, StoreError> {
        self.transaction(|conn| {
            let Some(row) = eigen_rij(conn, ctx, id)? else {
                return Ok(None);
            };
            let eigen = eigen(ctx, id);
            let mut abonnement = row.into_domain()?;
            if abonnement.status == status {
                return Ok(Some(abonnement));
            }
            abonnement.status = status;
            abonnement.gewijzigd_op = ctx.now;
            if status == AbonnementStatus::Actief {
                // Resumed: the retries start afresh, delivery goes on where it stopped.
                abonnement.pogingen = 0;
                abonnement.volgende_poging = None;
            }
            diesel::update(eigen)
                .set((
                    abonnementen::status.eq(status.as_str()),
                    abonnementen::gewijzigd_op.eq(ctx.now),
                    abonnementen::pogingen
                        .eq(i32::try_from(abonnement.pogingen).unwrap_or(i32::MAX)),
                    abonnementen::volgende_poging.eq(abonnement.volgende_poging),
                ))
                .execute(conn)?;
            events::record(conn, &event(ctx, EventKind::AbonnementGewijzigd, id))?;
            Ok(Some(abonnement))
        })
    }

    fn herhaal_vanaf(
        &self,
        ctx: &RequestContext,
        id: Uuid,
        vanaf: i64,
        idempotency: Option<&IdempotencyKey>,
        antwoord: &(dyn Fn(&Abonnement) -> Antwoord + Sync),
    ) -> Result<Option<Result<Antwoord, i64>>, StoreError> {
        self.transaction(|conn| {
            let Some(row) = eigen_rij(conn, ctx, id)? else {
                return Ok(None);
            };
            let eigen = eigen(ctx, id);
            let mut abonnement = row.into_domain()?;
            let positie = vanaf.saturating_sub(1).max(0);
            if positie > abonnement.positie {
                return Ok(Some(Err(abonnement.positie)));
            }
            abonnement.positie = positie;
            abonnement.pogingen = 0;
            abonnement.volgende_poging = None;
            abonnement.gewijzigd_op = ctx.now;
            diesel::update(eigen)
                .set((
                    abonnementen::positie.eq(positie),
                    abonnementen::pogingen.eq(0),
                    abonnementen::volgende_poging.eq(None::<chrono::NaiveDateTime>),
                    abonnementen::gewijzigd_op.eq(ctx.now),
                ))
                .execute(conn)?;
            events::record(conn, &event(ctx, EventKind::AbonnementGewijzigd, id))?;
            let antwoord = antwoord(&abonnement);
            if let Some(key) = idempotency {
                records::remember_answer(
                    conn,
                    &IdempotencyRecord::new(ctx, key, None, None, antwoord.clone()),
                )?;
            }
            Ok(Some(Ok(antwoord)))
        })
    }

    fn vernieuw_geheim(
        &self,
        ctx: &RequestContext,
        id: Uuid,
        geheim: &str,
        overgang_tot: chrono::NaiveDateTime,
        idempotency: Option<&IdempotencyKey>,
        antwoord: &(dyn Fn(&Abonnement) -> Antwoord + Sync),
    ) -> Result<Option<Antwoord>, StoreError> {
        self.transaction(|conn| {
            let Some(mut row) = eigen_rij(conn, ctx, id)? else {
                return Ok(None);
            };
            let eigen = eigen(ctx, id);
            row.vernieuw_geheim(geheim, ctx.now, overgang_tot)?;
            row.gewijzigd_op = ctx.now;
            diesel::update(eigen)
                .set((
                    abonnementen::geheimen.eq(&row.geheimen),
                    abonnementen::gewijzigd_op.eq(ctx.now),
                ))
                .execute(conn)?;
            events::record(conn, &event(ctx, EventKind::AbonnementGewijzigd, id))?;
            let antwoord = antwoord(&row.into_domain()?);
            if let Some(key) = idempotency {
                records::remember_answer(
                    conn,
                    &IdempotencyRecord::new(ctx, key, None, None, antwoord.clone()),
                )?;
            }
            Ok(Some(antwoord))
        })
    }

    fn verwijder_abonnement(&self, ctx: &RequestContext, id: Uuid) -> Result<bool, StoreError> {
        self.transaction(|conn| {
            let eigen = eigen(ctx, id);
            let exists =
                diesel::select(diesel::dsl::exists(eigen.clone())).get_result::<bool>(conn)?;
            if !exists {
                return Ok(false);
            }
            diesel::delete(
                afleveringen::table.filter(afleveringen::abonnement_id.eq(id.to_string())),
            )
            .execute(conn)?;
            diesel::delete(eigen).execute(conn)?;
            // Its creation's answer is forgotten with it: a retry of that request after the end makes
            // a new abonnement rather than answer with one that is gone.
            diesel::delete(
                idempotente_antwoorden::table
                    .filter(idempotente_antwoorden::location.eq(abonnement_url(id))),
            )
            .execute(conn)?;
            events::record(conn, &event(ctx, EventKind::AbonnementVerwijderd, id))?;
            Ok(true)
        })
    }
}
