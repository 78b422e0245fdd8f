//! `PartnerStore`: organisaties and the toestemmingen that let them process a person's data.

use super::DieselStore;
use crate::error::map_diesel;
use crate::events;
use crate::inburgeraars;
use crate::partners::{self, OrganisatieRow, ToestemmingRow};
use crate::records;
use crate::schema::{organisaties, toestemmingen};
use crate::transactions::TxError;
use diesel::prelude::*;
use koers_domain::commando::toestemming_vastlegging;
use koers_domain::events::{organisatie_url, Event, EventKind};
use koers_domain::inburgeraar::InburgeraarId;
use koers_domain::pagination::{Page, PageRequest};
use koers_domain::partner::{Organisatie, OrganisatieSoort, Toestemming};
use koers_domain::ports::{PartnerStore, StoreError};
use koers_domain::records::{
    Antwoord, IdempotencyKey, IdempotencyRecord, RequestContext, Verwerkingsactiviteit,
};
use koers_domain::traject::Weigering;
use uuid::Uuid;

impl PartnerStore for DieselStore {
    fn create_organisatie(
        &self,
        ctx: &RequestContext,
        organisatie: &Organisatie,
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<(), StoreError> {
        self.transaction(|conn| {
            diesel::insert_into(organisaties::table)
                .values(OrganisatieRow::from_domain(organisatie)?)
                .execute(conn)?;
            let url = organisatie_url(organisatie.id);
            let event = Event::new(ctx, EventKind::OrganisatieGeregistreerd, url, None, None);
            events::record(conn, &event)?;
            if let Some(record) = idempotency {
                records::remember_answer(conn, record)?;
            }
            Ok(())
        })
    }

    fn get_organisatie(&self, id: Uuid) -> Result<Option<Organisatie>, StoreError> {
        let mut conn = crate::connection::checkout(&self.pool)?;
        organisaties::table
            .filter(organisaties::id.eq(id.to_string()))
            .select(OrganisatieRow::as_select())
            .first(&mut conn)
            .optional()
            .map_err(map_diesel)?
            .map(OrganisatieRow::into_domain)
            .transpose()
    }

    fn list_organisaties(&self, page: &PageRequest) -> Result<Page<Organisatie>, StoreError> {
        let mut conn = crate::connection::checkout(&self.pool)?;
        let mut query = organisaties::table.into_boxed();
        if let Some(after) = &page.after {
            query = query.filter(organisaties::id.gt(after.clone()));
        }
        let rows = query
            .order(organisaties::id.asc())
            .limit(i64::from(page.size) + 1)
            .select(OrganisatieRow::as_select())
            .load(&mut conn)
            .map_err(map_diesel)?;
        let items = rows
            .into_iter()
            .map(OrganisatieRow::into_domain)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_overfetch(items, page.size, |o| o.id.to_string()))
    }

    fn set_organisatie_actief(
        &self,
        ctx: &RequestContext,
        id: Uuid,
        actief: bool,
    ) -> Result<Option<Organisatie>, StoreError> {
        self.transaction(|conn| {
            let Some(row) = organisaties::table
                .filter(organisaties::id.eq(id.to_string()))
                .select(OrganisatieRow::as_select())
                .first(conn)
                .optional()?
            else {
                return Ok(None);
            };
            let mut organisatie = row.into_domain()?;
            organisatie.actief = actief;
            organisatie.gewijzigd_op = ctx.now;
            diesel::update(organisaties::table.filter(organisaties::id.eq(id.to_string())))
                .set(OrganisatieRow::from_domain(&organisatie)?)
                .execute(conn)?;
            let url = organisatie_url(id);
            events::record(
                conn,
                &Event::new(ctx, EventKind::OrganisatieGewijzigd, url, None, None),
            )?;
            Ok(Some(organisatie))
        })
    }

    fn create_toestemming(
        &self,
        ctx: &RequestContext,
        toestemming: &Toestemming,
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<Result<(), Weigering>, StoreError> {
        self.transaction(|conn| {
            let person = inburgeraars::get_visible(
                conn,
                ctx,
                Verwerkingsactiviteit::ToestemmingVastleggen,
                toestemming.inburgeraar_id,
            )??;
            let mut errors = koers_domain::FieldErrors::new();
            if person.is_none() {
                errors.add(
                    "inburgeraarId",
                    "onbekend",
                    "Geen inburgeraar met deze id in uw gemeenten.",
                );
            }
            match partners::organisatie_soort(conn, toestemming.organisatie_id)?
                .as_deref()
                .and_then(OrganisatieSoort::from_text)
            {
                None => errors.add(
                    "organisatieId",
                    "onbekend",
                    "Geen geregistreerde organisatie met deze id.",
                ),
                Some(soort)
                    if !toestemming
                        .doelen
                        .iter()
                        .any(|d| soort.doelen().contains(d)) =>
                {
                    let passend: Vec<&str> = soort.doelen().iter().map(|d| d.as_str()).collect();
                    errors.add(
                        "doelen",
                        "doelPastNiet",
                        format!(
                            "Deze organisatie verwerkt alleen voor: {}.",
                            passend.join(", ")
                        ),
                    );
                }
                Some(_) => {}
            }
            let Some(person) = person.filter(|_| errors.is_empty()) else {
                return Ok(Err(Weigering::Ongeldig(errors)));
            };
            partners::insert_toestemming(conn, toestemming, ctx.now)?;
            // What the change records is the domain's decision.
            let (audit, event) = toestemming_vastlegging(ctx, None, toestemming, &person.gemeente)
                .map_err(|e| TxError(StoreError::internal_by("audit value", e)))?;
            events::record(conn, &event)?;
            records::audit(conn, ctx, audit)?;
            self.log(
                conn,
                ctx,
                Verwerkingsactiviteit::ToestemmingVastleggen,
                &[toestemming.inburgeraar_id],
            )?;
            if let Some(record) = idempotency {
                records::remember_answer(conn, record)?;
            }
            Ok(Ok(()))
        })
    }

    fn list_toestemmingen(
        &self,
        ctx: &RequestContext,
        inburgeraar: InburgeraarId,
    ) -> Result<Option<Vec<Toestemming>>, StoreError> {
        self.transaction(|conn| {
            if inburgeraars::get_visible(
                conn,
                ctx,
                Verwerkingsactiviteit::ToestemmingRaadplegen,
                inburgeraar,
            )??
            .is_none()
            {
                return Ok(None);
            }
            let rows = toestemmingen::table
                .filter(toestemmingen::inburgeraar_id.eq(inburgeraar.to_string()))
                .order(toestemmingen::id.asc())
                .select(ToestemmingRow::as_select())
                .load(conn)?;
            let list = rows
                .into_iter()
                .map(ToestemmingRow::into_domain)
                .collect::<Result<Vec<_>, _>>()?;
            self.log(
                conn,
                ctx,
                Verwerkingsactiviteit::ToestemmingRaadplegen,
                &[inburgeraar],
            )?;
            Ok(Some(list))
        })
    }

    fn get_toestemming(
        &self,
        ctx: &RequestContext,
        id: Uuid,
    ) -> Result<Option<Toestemming>, StoreError> {
        self.transaction(|conn| {
            let row = partners::visible_toestemmingen(&ctx.principal)
                .filter(toestemmingen::id.eq(id.to_string()))
                .select(ToestemmingRow::as_select())
                .first(conn)
                .optional()?;
            let Some(toestemming) = row.map(ToestemmingRow::into_domain).transpose()? else {
                return Ok(None);
            };
            self.log(
                conn,
                ctx,
                Verwerkingsactiviteit::ToestemmingRaadplegen,
                &[toestemming.inburgeraar_id],
            )?;
            Ok(Some(toestemming))
        })
    }

    fn trek_toestemming_in(
        &self,
        ctx: &RequestContext,
        id: Uuid,
        toelichting: Option<String>,
        idempotency: Option<&IdempotencyKey>,
        antwoord: &(dyn Fn(&Toestemming) -> Antwoord + Sync),
    ) -> Result<Option<Result<Antwoord, Weigering>>, StoreError> {
        self.transaction(|conn| {
            let row = partners::visible_toestemmingen(&ctx.principal)
                .filter(toestemmingen::id.eq(id.to_string()))
                .select(ToestemmingRow::as_select())
                .first(conn)
                .optional()?;
            let Some(before) = row.map(ToestemmingRow::into_domain).transpose()? else {
                return Ok(None);
            };
            let mut after = before.clone();
            let door = ctx
                .principal
                .gebruiker
                .clone()
                .unwrap_or_else(|| ctx.principal.client.clone());
            if let Err(reason) = after.trek_in(&door, toelichting.clone(), ctx.now) {
                return Ok(Some(Err(Weigering::Conflict(reason.to_owned()))));
            }
            partners::update_toestemming(conn, &after, ctx.now)?;
            let gemeente = inburgeraars::gemeente_of(conn, after.inburgeraar_id)?;
            let (audit, event) = toestemming_vastlegging(ctx, Some(&before), &after, &gemeente)
                .map_err(|e| TxError(StoreError::internal_by("audit value", e)))?;
            events::record(conn, &event)?;
            records::audit(conn, ctx, audit)?;
            self.log(
                conn,
                ctx,
                Verwerkingsactiviteit::ToestemmingIntrekken,
                &[after.inburgeraar_id],
            )?;
            let antwoord = antwoord(&after);
            if let Some(key) = idempotency {
                records::remember_answer(
                    conn,
                    &IdempotencyRecord::new(
                        ctx,
                        key,
                        Some(after.inburgeraar_id),
                        Some(Verwerkingsactiviteit::ToestemmingIntrekken),
                        antwoord.clone(),
                    ),
                )?;
            }
            Ok(Some(Ok(antwoord)))
        })
    }
}
