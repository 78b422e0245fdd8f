//! `GebeurtenisStore`: the change feed, read from the outbox with what the caller may see.

use super::DieselStore;
use crate::events;
use crate::records::{self, VerwerkingRow};
use crate::transactions::Tx;
use koers_domain::abonnement::zichtbaar;
use koers_domain::events::Event;
use koers_domain::inburgeraar::InburgeraarId;
use koers_domain::pagination::{Page, PageRequest};
use koers_domain::partner::Gegevenscategorie;
use koers_domain::ports::{GebeurtenisStore, Gebeurtenisvraag, StoreError};
use koers_domain::records::{RequestContext, Verwerkingsactiviteit};
use std::collections::{BTreeSet, HashMap};

impl GebeurtenisStore for DieselStore {
    fn gebeurtenissen(
        &self,
        ctx: &RequestContext,
        vraag: &Gebeurtenisvraag,
        page: &PageRequest,
    ) -> Result<Page<Event>, StoreError> {
        // The position is the last event the previous page looked at (its cursor is signed).
        let after: i64 = match page.after.as_deref() {
            None => 0,
            Some(text) => text
                .parse()
                .map_err(|_| StoreError::internal("feed position"))?,
        };
        let size = page.size as usize;
        let read =
            |conn: &mut crate::connection::AnyConnection| -> Tx<(Page<Event>, Vec<VerwerkingRow>)> {
                let scanned =
                    events::feed(conn, &ctx.principal, vraag, after, i64::from(page.size) + 1)??;
                let more = scanned.len() > size;
                let considered = &scanned[..scanned.len().min(size)];
                // What a partner relies on, per category of the events considered, for their people.
                let dekking = match &ctx.principal.organisatie {
                    Some(organisatie) => dekking(conn, organisatie, considered, ctx.now.date())?,
                    None => HashMap::new(),
                };
                let basis_van = |event: &Event| gedekt(&dekking, event);
                let items: Vec<Event> = considered
                    .iter()
                    .filter(|e| zichtbaar(&ctx.principal, e, || basis_van(e).is_some()))
                    .cloned()
                    .collect();
                // A partner's line names the toestemming it relied on (of the first event of the person).
                let mut basis = HashMap::new();
                let mut subjects = Vec::new();
                for event in &items {
                    let Some(person) = event.inburgeraar_id else {
                        continue;
                    };
                    if !subjects.contains(&person) {
                        subjects.push(person);
                        if let Some(toestemming) = basis_van(event) {
                            basis.insert(person.to_string(), toestemming.clone());
                        }
                    }
                }
                let activiteit = Verwerkingsactiviteit::GebeurtenissenVolgen;
                let rows = records::rows_for(ctx, self.key(), activiteit, &subjects, &basis);
                let next_after = more
                    .then(|| considered.last().map(|e| e.volgnummer.to_string()))
                    .flatten();
                Ok((Page { items, next_after }, rows))
            };
        self.read_with_lines(read)
    }

    fn ruim_gebeurtenissen_op(&self, voor: chrono::NaiveDateTime) -> Result<usize, StoreError> {
        use crate::schema::gebeurtenissen::dsl;
        use diesel::prelude::*;
        // In parts, so that no transaction holds the outbox long.
        const PER_KEER: i64 = 10_000;
        let mut totaal = 0;
        loop {
            let weg = self.transaction(|conn| {
                let tot: Option<i64> = dsl::gebeurtenissen
                    .filter(dsl::tijdstip.lt(voor))
                    .order(dsl::volgnummer.asc())
                    .offset(PER_KEER - 1)
                    .select(dsl::volgnummer)
                    .first(conn)
                    .optional()?;
                let mut oud = diesel::delete(dsl::gebeurtenissen)
                    .filter(dsl::tijdstip.lt(voor))
                    .into_boxed();
                if let Some(tot) = tot {
                    oud = oud.filter(dsl::volgnummer.le(tot));
                }
                Ok(oud.execute(conn)?)
            })?;
            totaal += weg;
            if weg < usize::try_from(PER_KEER).unwrap_or(usize::MAX) {
                return Ok(totaal);
            }
        }
    }

    fn laatste_volgnummer(&self) -> Result<i64, StoreError> {
        self.read(|conn| Ok(events::laatste(conn)?))
    }
}

/// The toestemming a partner relies on, per category of `events` and per person they are about
/// (by id): what [`zichtbaar`] asks of a partner's events.
pub(super) fn dekking(
    conn: &mut crate::connection::AnyConnection,
    organisatie: &str,
    events: &[Event],
    today: chrono::NaiveDate,
) -> Result<HashMap<Gegevenscategorie, HashMap<String, String>>, diesel::result::Error> {
    let mut categorieen: Vec<Gegevenscategorie> =
        events.iter().filter_map(|e| e.kind.categorie()).collect();
    categorieen.sort_by_key(|c| c.as_str());
    categorieen.dedup();
    let mut dekking = HashMap::new();
    for categorie in categorieen {
        let people: Vec<InburgeraarId> = events
            .iter()
            .filter(|e| e.kind.categorie() == Some(categorie))
            .filter_map(|e| e.inburgeraar_id)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let gedekt = crate::partners::dekkende_toestemmingen_voor(
            conn,
            organisatie,
            categorie,
            today,
            &people,
        )?;
        dekking.insert(categorie, gedekt);
    }
    Ok(dekking)
}

/// Whether a partner's coverage (from [`dekking`]) covers `event`: the toestemming it relies on.
pub(super) fn gedekt<'a>(
    dekking: &'a HashMap<Gegevenscategorie, HashMap<String, String>>,
    event: &Event,
) -> Option<&'a String> {
    let categorie = event.kind.categorie()?;
    dekking
        .get(&categorie)?
        .get(&event.inburgeraar_id?.to_string())
}
