//! Settings per gemeente, and the worklist (signaleringen) computed over its people.

use crate::connection::AnyConnection;
use crate::inburgeraars;
use crate::schema::gemeente_instellingen::dsl;
use crate::store::DieselStore;
use crate::transactions::TxError;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use koers_domain::events::{instellingen_url, Event, EventKind};
use koers_domain::gemeente::GemeenteCode;
use koers_domain::instellingen::GemeenteInstellingen;
use koers_domain::pagination::{Page, PageRequest};
use koers_domain::ports::{GemeenteStore, StoreError};
use koers_domain::records::{RequestContext, Verwerkingsactiviteit};
use koers_domain::signalering::{
    signaleringen, SignaleringRegel, SignaleringVraag, DELEN as SIGNALERING_DELEN,
};
use std::collections::{BTreeMap, BinaryHeap};

/// People read per query while walking a gemeente's people.
const BATCH: i64 = 1_000;

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::schema::gemeente_instellingen)]
struct InstellingenRow {
    gemeente: String,
    data: String,
    gewijzigd_op: NaiveDateTime,
}

fn load(
    conn: &mut AnyConnection,
    gemeenten: &[GemeenteCode],
) -> Result<BTreeMap<GemeenteCode, GemeenteInstellingen>, TxError> {
    let rows: Vec<InstellingenRow> = dsl::gemeente_instellingen
        .filter(dsl::gemeente.eq_any(gemeenten.iter().map(|g| g.as_str().to_owned())))
        .select(InstellingenRow::as_select())
        .load(conn)?;
    let mut stored = BTreeMap::new();
    for row in rows {
        let instellingen = serde_json::from_str(&row.data).map_err(|e| {
            StoreError::internal_by(format!("stored settings of {}", row.gemeente), e)
        })?;
        stored.insert(row.gemeente, instellingen);
    }
    Ok(gemeenten
        .iter()
        .map(|g| {
            let instellingen = stored.remove(g.as_str()).unwrap_or_default();
            (g.clone(), instellingen)
        })
        .collect())
}

/// A line ordered by its place in the worklist, for the heap that keeps the first lines of a page.
struct Geordend(String, SignaleringRegel);

impl PartialEq for Geordend {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}
impl Eq for Geordend {}
impl PartialOrd for Geordend {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Geordend {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.cmp(&other.0)
    }
}

impl GemeenteStore for DieselStore {
    fn instellingen(
        &self,
        gemeenten: &[GemeenteCode],
    ) -> Result<BTreeMap<GemeenteCode, GemeenteInstellingen>, StoreError> {
        self.read(|conn| load(conn, gemeenten))
    }

    fn zet_instellingen(
        &self,
        ctx: &RequestContext,
        gemeente: &GemeenteCode,
        instellingen: &GemeenteInstellingen,
    ) -> Result<(), StoreError> {
        let row = InstellingenRow {
            gemeente: gemeente.as_str().to_owned(),
            data: serde_json::to_string(instellingen)
                .map_err(|e| StoreError::internal_by("gemeente settings as JSON", e))?,
            gewijzigd_op: ctx.now,
        };
        self.transaction(|conn| {
            diesel::delete(dsl::gemeente_instellingen.filter(dsl::gemeente.eq(&row.gemeente)))
                .execute(conn)?;
            diesel::insert_into(dsl::gemeente_instellingen)
                .values(&row)
                .execute(conn)?;
            let event = Event::new(
                ctx,
                EventKind::InstellingenGewijzigd,
                instellingen_url(gemeente),
                None,
                Some(gemeente.clone()),
            );
            crate::events::record(conn, &event)?;
            Ok(())
        })?;
        tracing::info!(
            gemeente = gemeente.as_str(),
            client = ctx.principal.client,
            "gemeente settings changed"
        );
        Ok(())
    }

    fn signaleringen(
        &self,
        ctx: &RequestContext,
        vraag: &SignaleringVraag,
        page: &PageRequest,
    ) -> Result<Page<SignaleringRegel>, StoreError> {
        let activiteit = Verwerkingsactiviteit::SignaleringenRaadplegen;
        let today = ctx.now.date();
        let wanted = page.size as usize + 1;
        self.read_logged(ctx, activiteit, |conn| {
            let instellingen = load(conn, &vraag.gemeenten)?;
            // Walks the people in batches and keeps only the first `size + 1` lines after the cursor,
            // so that memory stays flat however many people the gemeenten have.
            let mut first: BinaryHeap<Geordend> = BinaryHeap::with_capacity(wanted + 1);
            let mut after: Option<String> = None;
            loop {
                let batch = inburgeraars::lopende_trajecten(
                    conn,
                    ctx,
                    activiteit,
                    &vraag.gemeenten,
                    after.as_deref(),
                    BATCH,
                    SIGNALERING_DELEN,
                )??;
                let Some((last, _)) = batch.last() else {
                    break;
                };
                after = Some(last.id.to_string());
                let done = batch.len() < usize::try_from(BATCH).unwrap_or(usize::MAX);
                for (person, traject) in &batch {
                    let settings = instellingen
                        .get(&person.gemeente)
                        .cloned()
                        .unwrap_or_default();
                    for signalering in signaleringen(person, traject, &settings, today) {
                        if !vraag.past(&signalering) {
                            continue;
                        }
                        let regel = SignaleringRegel {
                            inburgeraar: person.id,
                            naam: person.naam.clone(),
                            gemeente: person.gemeente.clone(),
                            signalering,
                        };
                        let sleutel = regel.sleutel();
                        if page.after.as_ref().is_some_and(|cursor| sleutel <= *cursor) {
                            continue;
                        }
                        first.push(Geordend(sleutel, regel));
                        if first.len() > wanted {
                            first.pop();
                        }
                    }
                }
                if done {
                    break;
                }
            }
            let lines: Vec<SignaleringRegel> =
                first.into_sorted_vec().into_iter().map(|g| g.1).collect();
            let found = Page::from_overfetch(lines, page.size, SignaleringRegel::sleutel);
            let mut subjects: Vec<_> = found.items.iter().map(|r| r.inburgeraar).collect();
            subjects.sort_unstable_by_key(|id| id.0);
            subjects.dedup();
            Ok((found, subjects))
        })
    }
}
