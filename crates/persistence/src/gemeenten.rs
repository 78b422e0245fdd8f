//! Settings per gemeente, and the worklist (signaleringen) computed over its people.

use crate::connection::AnyConnection;
use crate::inburgeraars;
use crate::projectie::{self, Kandidaat};
use crate::schema::gemeente_instellingen::dsl;
use crate::store::DieselStore;
use crate::transactions::TxError;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use koers_domain::events::{instellingen_url, Event, EventKind};
use koers_domain::gemeente::GemeenteCode;
use koers_domain::inburgeraar::Inburgeraar;
use koers_domain::instellingen::GemeenteInstellingen;
use koers_domain::pagination::{Page, PageRequest};
use koers_domain::ports::{GemeenteStore, StoreError};
use koers_domain::records::{RequestContext, Verwerkingsactiviteit};
use koers_domain::signalering::Signalering;
use koers_domain::signalering::{
    signaleringen, SignaleringRegel, SignaleringVraag, DELEN as SIGNALERING_DELEN,
};
use std::collections::{BTreeMap, HashMap, VecDeque};

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::schema::gemeente_instellingen)]
struct InstellingenRow {
    gemeente: String,
    data: String,
    gewijzigd_op: NaiveDateTime,
}

pub(crate) fn load(
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
            // The horizons and the cadence move the worklist of every person of the gemeente.
            projectie::herbereken_alle(conn, Some(gemeente))?;
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
        // A candidate gives a line unless its person is out of sight: read about a page at a time.
        let batch = i64::from(page.size) + 1;
        self.read_logged(ctx, activiteit, |conn| {
            let instellingen = load(conn, &vraag.gemeenten)?;
            let after = page.after.as_deref().map(projectie::positie).transpose()?;
            // The lines due "today" are few and read at once; the rest come from the projection in
            // worklist order, a batch at a time, until the page is full.
            let mut zwevend: VecDeque<Kandidaat> =
                projectie::zwevende(conn, vraag, today, after.as_ref())?.into();
            let mut positie = after;
            let mut lines: Vec<SignaleringRegel> = Vec::new();
            loop {
                let mut kandidaten = projectie::vaste(conn, vraag, today, positie.as_ref(), batch)?;
                let uitgeput = kandidaten.len() < usize::try_from(batch).unwrap_or(usize::MAX);
                let grens = kandidaten.last().cloned();
                while let Some(k) = zwevend.front() {
                    if !uitgeput && grens.as_ref().is_some_and(|g| k > g) {
                        break;
                    }
                    kandidaten.extend(zwevend.pop_front());
                }
                kandidaten.sort();
                kandidaten.dedup();
                lines.extend(regels(conn, ctx, &instellingen, vraag, today, &kandidaten)?);
                if lines.len() >= wanted || uitgeput {
                    break;
                }
                positie = grens.map(|g| (g.datum, g.rang, g.inburgeraar_id));
            }
            let found = Page::from_overfetch(lines, page.size, SignaleringRegel::sleutel);
            let mut subjects: Vec<_> = found.items.iter().map(|r| r.inburgeraar).collect();
            subjects.sort_unstable_by_key(|id| id.0);
            subjects.dedup();
            Ok((found, subjects))
        })
    }
}

/// The worklist's lines for the candidates of the projection, in their order: the signals of each
/// (visible) person on `today` as the domain words them, those of the candidate's kind and date.
fn regels(
    conn: &mut AnyConnection,
    ctx: &RequestContext,
    instellingen: &BTreeMap<GemeenteCode, GemeenteInstellingen>,
    vraag: &SignaleringVraag,
    today: chrono::NaiveDate,
    kandidaten: &[Kandidaat],
) -> Result<Vec<SignaleringRegel>, TxError> {
    let activiteit = Verwerkingsactiviteit::SignaleringenRaadplegen;
    let mut ids: Vec<String> = kandidaten
        .iter()
        .map(|k| k.inburgeraar_id.clone())
        .collect();
    ids.sort();
    ids.dedup();
    let people = inburgeraars::visible_by_ids(conn, ctx, activiteit, &ids)?;
    let person_ids: Vec<_> = people.iter().map(|p| p.id).collect();
    let trajecten = crate::trajecten::load_many(conn, &person_ids, SIGNALERING_DELEN)?;
    let standaard = GemeenteInstellingen::default();
    let signalen: HashMap<String, (&Inburgeraar, Vec<Signalering>)> = people
        .iter()
        .zip(&trajecten)
        .map(|(person, traject)| {
            let settings = instellingen.get(&person.gemeente).unwrap_or(&standaard);
            let signalen = signaleringen(person, traject, settings, today);
            (person.id.to_string(), (person, signalen))
        })
        .collect();
    let mut lines = Vec::new();
    for kandidaat in kandidaten {
        let Some((person, signalen)) = signalen.get(&kandidaat.inburgeraar_id) else {
            continue;
        };
        for signalering in signalen {
            if signalering.soort == kandidaat.soort
                && signalering.datum == kandidaat.datum
                && vraag.past(signalering)
            {
                lines.push(SignaleringRegel {
                    inburgeraar: person.id,
                    naam: person.naam.clone(),
                    gemeente: person.gemeente.clone(),
                    signalering: signalering.clone(),
                });
            }
        }
    }
    Ok(lines)
}
