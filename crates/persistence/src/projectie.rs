//! The worklist's due-date projection (`signaleringsdatums`, migration 9): per person the signals its
//! trajectory fixes (the domain's `verwachtingen`), each with its due date and the days it shows. It is
//! written in the transaction of every change that moves it, and `GET /signaleringen` reads it as a
//! range query over the caller's gemeenten in worklist order. The rules stay in the domain: the
//! projection only finds the people and signals of a page, whose wording is then computed for them.

use crate::connection::AnyConnection;
use crate::inburgeraars;
use crate::schema::signaleringsdatums::{self, dsl};
use crate::transactions::Tx;
use chrono::NaiveDate;
use diesel::prelude::*;
use koers_domain::gemeente::GemeenteCode;
use koers_domain::inburgeraar::Inburgeraar;
use koers_domain::instellingen::GemeenteInstellingen;
use koers_domain::ports::StoreError;
use koers_domain::signalering::{verwachtingen, SignaleringSoort, SignaleringVraag, DELEN};
use koers_domain::traject::Traject;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = signaleringsdatums)]
pub struct ProjectieRow {
    pub inburgeraar_id: String,
    pub nummer: i32,
    pub gemeente: String,
    pub soort: String,
    pub rang: i32,
    pub datum: Option<NaiveDate>,
    pub hooguit_vandaag: bool,
    pub vanaf: Option<NaiveDate>,
    pub tot: Option<NaiveDate>,
}

/// The rank of a kind among the kinds: the order of signals due on the same day.
fn rang(soort: SignaleringSoort) -> i32 {
    SignaleringSoort::ALL
        .iter()
        .position(|s| *s == soort)
        .and_then(|p| i32::try_from(p).ok())
        .unwrap_or(i32::MAX)
}

/// The projection of one person.
fn rows(
    person: &Inburgeraar,
    traject: &Traject,
    instellingen: &GemeenteInstellingen,
) -> Vec<ProjectieRow> {
    verwachtingen(person, traject, instellingen)
        .into_iter()
        .zip(0..)
        .map(|(v, nummer)| ProjectieRow {
            inburgeraar_id: person.id.to_string(),
            nummer,
            gemeente: person.gemeente.as_str().to_owned(),
            soort: v.soort.as_str().to_owned(),
            rang: rang(v.soort),
            datum: v.datum,
            hooguit_vandaag: v.hooguit_vandaag,
            vanaf: v.vanaf,
            tot: v.tot,
        })
        .collect()
}

/// Replaces the projection of `people`, each with its trajectory (the lists of `signalering::DELEN`
/// loaded) and the settings of the gemeenten they are in.
pub fn vervang(
    conn: &mut AnyConnection,
    people: &[(&Inburgeraar, &Traject)],
    instellingen: &BTreeMap<GemeenteCode, GemeenteInstellingen>,
) -> Tx<()> {
    let ids: Vec<String> = people.iter().map(|(p, _)| p.id.to_string()).collect();
    diesel::delete(dsl::signaleringsdatums.filter(dsl::inburgeraar_id.eq_any(&ids)))
        .execute(conn)?;
    let standaard = GemeenteInstellingen::default();
    let nieuw: Vec<ProjectieRow> = people
        .iter()
        .flat_map(|(person, traject)| {
            let settings = instellingen.get(&person.gemeente).unwrap_or(&standaard);
            rows(person, traject, settings)
        })
        .collect();
    // 9 columns x 4,000 rows stays under PostgreSQL's 65,535 bind parameters.
    for chunk in nieuw.chunks(4_000) {
        // Batch inserts do not compile through `MultiConnection`: dispatch per backend.
        let insert = diesel::insert_into(dsl::signaleringsdatums).values(chunk);
        match &mut *conn {
            AnyConnection::Postgresql(pg) => insert.execute(pg)?,
            AnyConnection::Sqlite(sqlite) => insert.execute(sqlite)?,
        };
    }
    Ok(())
}

/// Recomputes the projection of one person from what is stored, after the change's own writes.
pub fn herbereken(conn: &mut AnyConnection, person: &Inburgeraar) -> Tx<()> {
    let traject = crate::trajecten::load_many(conn, &[person.id], DELEN)?
        .pop()
        .unwrap_or_default();
    let instellingen = crate::gemeenten::load(conn, std::slice::from_ref(&person.gemeente))?;
    vervang(conn, &[(person, &traject)], &instellingen)
}

/// Walks every stored person (or those of one gemeente) in batches, each with its trajectory (the lists
/// the signals look at) and the settings of its gemeente; returns how many people it went over.
fn per_batch(
    conn: &mut AnyConnection,
    gemeente: Option<&GemeenteCode>,
    mut each: impl FnMut(
        &mut AnyConnection,
        &[(&Inburgeraar, &Traject)],
        &BTreeMap<GemeenteCode, GemeenteInstellingen>,
    ) -> Tx<()>,
) -> Tx<usize> {
    const BATCH: i64 = 1_000;
    let mut after: Option<String> = None;
    let mut count = 0;
    loop {
        let people = inburgeraars::batch(conn, gemeente, after.as_deref(), BATCH)?;
        let Some(last) = people.last() else {
            break;
        };
        after = Some(last.id.to_string());
        let ids: Vec<_> = people.iter().map(|p| p.id).collect();
        let trajecten = crate::trajecten::load_many(conn, &ids, DELEN)?;
        let mut gemeenten: Vec<GemeenteCode> = people.iter().map(|p| p.gemeente.clone()).collect();
        gemeenten.sort();
        gemeenten.dedup();
        let instellingen = crate::gemeenten::load(conn, &gemeenten)?;
        let pairs: Vec<(&Inburgeraar, &Traject)> = people.iter().zip(&trajecten).collect();
        each(conn, &pairs, &instellingen)?;
        count += people.len();
        if people.len() < usize::try_from(BATCH).unwrap_or(usize::MAX) {
            break;
        }
    }
    Ok(count)
}

/// Recomputes the projection of every stored person, or of those of one gemeente (after its settings
/// changed), in batches; returns how many people it went over.
pub fn herbereken_alle(conn: &mut AnyConnection, gemeente: Option<&GemeenteCode>) -> Tx<usize> {
    per_batch(conn, gemeente, vervang)
}

/// How many stored people's projection differs from what their stored person and trajectory give now
/// (0 when every change kept it up to date): a consistency check for tests and operations.
pub fn afwijkingen(conn: &mut AnyConnection) -> Tx<usize> {
    let mut afwijkend = 0;
    per_batch(conn, None, |conn, people, instellingen| {
        let keys: Vec<String> = people.iter().map(|(p, _)| p.id.to_string()).collect();
        let mut stored: BTreeMap<String, Vec<ProjectieRow>> = BTreeMap::new();
        for row in dsl::signaleringsdatums
            .filter(dsl::inburgeraar_id.eq_any(&keys))
            .order((dsl::inburgeraar_id.asc(), dsl::nummer.asc()))
            .select(ProjectieRow::as_select())
            .load(conn)?
        {
            stored
                .entry(row.inburgeraar_id.clone())
                .or_default()
                .push(row);
        }
        let standaard = GemeenteInstellingen::default();
        for (person, traject) in people {
            let settings = instellingen.get(&person.gemeente).unwrap_or(&standaard);
            let expected = rows(person, traject, settings);
            let found = stored.remove(&person.id.to_string()).unwrap_or_default();
            if expected != found {
                tracing::warn!(inburgeraar = %person.id, "worklist projection differs");
                afwijkend += 1;
            }
        }
        Ok(())
    })?;
    Ok(afwijkend)
}

/// A line of the projection that may be on the worklist of a day: the person, the kind and the due
/// date on that day, in worklist order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Kandidaat {
    pub datum: NaiveDate,
    pub rang: i32,
    pub inburgeraar_id: String,
    pub soort: SignaleringSoort,
}

/// Where a page of the worklist starts: after this due date, rank and person.
pub type Positie = (NaiveDate, i32, String);

/// Reads a worklist cursor (`SignaleringRegel::sleutel`: `date|rank|person`).
///
/// # Errors
/// A cursor that is not one (it is signed by the HTTP layer, so this is a bug).
pub fn positie(cursor: &str) -> Result<Positie, StoreError> {
    let mut parts = cursor.splitn(3, '|');
    let (Some(datum), Some(rang), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(StoreError::internal(
            "worklist cursor without its three parts",
        ));
    };
    let datum = datum
        .parse()
        .map_err(|e| StoreError::internal_by("worklist cursor date", e))?;
    let rang = rang
        .parse()
        .map_err(|e| StoreError::internal_by("worklist cursor rank", e))?;
    Ok((datum, rang, id.to_owned()))
}

/// A candidate from its row; `today` is its due date when it has none or one after today (read only for
/// signals due at most today).
fn kandidaat(row: (String, String, i32, Option<NaiveDate>), today: NaiveDate) -> Tx<Kandidaat> {
    let (inburgeraar_id, soort, rang, datum) = row;
    let soort = SignaleringSoort::from_text(&soort)
        .ok_or_else(|| StoreError::internal(format!("stored signal kind {soort:?}")))?;
    Ok(Kandidaat {
        datum: datum.map_or(today, |d| d.min(today)),
        rang,
        inburgeraar_id,
        soort,
    })
}

/// Up to `limit` lines after `after` that show on `today` and whose due date is fixed, in worklist
/// order: an indexed range query.
pub fn vaste(
    conn: &mut AnyConnection,
    vraag: &SignaleringVraag,
    today: NaiveDate,
    after: Option<&Positie>,
    limit: i64,
) -> Tx<Vec<Kandidaat>> {
    let gemeenten: Vec<String> = vraag
        .gemeenten
        .iter()
        .map(|g| g.as_str().to_owned())
        .collect();
    let mut query = dsl::signaleringsdatums
        .filter(dsl::gemeente.eq_any(gemeenten))
        .filter(dsl::datum.is_not_null())
        .filter(dsl::vanaf.is_null().or(dsl::vanaf.le(today)))
        .filter(dsl::tot.is_null().or(dsl::tot.ge(today)))
        // A due date that is at most today and lies after it is today's: read by `zwevende`.
        .filter(dsl::hooguit_vandaag.eq(false).or(dsl::datum.le(today)))
        .into_boxed();
    if let Some(soort) = vraag.soort {
        query = query.filter(dsl::soort.eq(soort.as_str()));
    }
    if let Some(vanaf) = vraag.datum_vanaf {
        query = query.filter(dsl::datum.ge(vanaf));
    }
    if let Some(tot) = vraag.datum_tot {
        query = query.filter(dsl::datum.le(tot));
    }
    if let Some((datum, rang, id)) = after {
        query = query.filter(
            dsl::datum.gt(*datum).or(dsl::datum.eq(*datum).and(
                dsl::rang
                    .gt(*rang)
                    .or(dsl::rang.eq(*rang).and(dsl::inburgeraar_id.gt(id.clone()))),
            )),
        );
    }
    query
        .order((dsl::datum.asc(), dsl::rang.asc(), dsl::inburgeraar_id.asc()))
        .limit(limit)
        .select((dsl::inburgeraar_id, dsl::soort, dsl::rang, dsl::datum))
        .load::<(String, String, i32, Option<NaiveDate>)>(conn)?
        .into_iter()
        // Every date here is fixed: none is after today unless it is allowed to be.
        .map(|row| kandidaat(row, NaiveDate::MAX))
        .collect()
}

/// The lines due on `today` because their due date is the day asked (no date, or one after today that
/// is at most today's), after `after` and in the window, in worklist order. Few: hours of a Z-route
/// reached and not yet completed.
pub fn zwevende(
    conn: &mut AnyConnection,
    vraag: &SignaleringVraag,
    today: NaiveDate,
    after: Option<&Positie>,
) -> Tx<Vec<Kandidaat>> {
    let gemeenten: Vec<String> = vraag
        .gemeenten
        .iter()
        .map(|g| g.as_str().to_owned())
        .collect();
    let mut query = dsl::signaleringsdatums
        .filter(dsl::gemeente.eq_any(gemeenten))
        // The bare column, as the partial index `signaleringsdatums_zwevend` says it.
        .filter(dsl::hooguit_vandaag)
        .filter(dsl::datum.is_null().or(dsl::datum.gt(today)))
        .filter(dsl::vanaf.is_null().or(dsl::vanaf.le(today)))
        .filter(dsl::tot.is_null().or(dsl::tot.ge(today)))
        .into_boxed();
    if let Some(soort) = vraag.soort {
        query = query.filter(dsl::soort.eq(soort.as_str()));
    }
    let mut found = query
        .select((dsl::inburgeraar_id, dsl::soort, dsl::rang, dsl::datum))
        .load::<(String, String, i32, Option<NaiveDate>)>(conn)?
        .into_iter()
        .map(|row| kandidaat(row, today))
        .collect::<Tx<Vec<_>>>()?;
    found.retain(|k| {
        vraag.datum_vanaf.is_none_or(|vanaf| k.datum >= vanaf)
            && vraag.datum_tot.is_none_or(|tot| k.datum <= tot)
            && after.is_none_or(|(datum, rang, id)| {
                (k.datum, k.rang, k.inburgeraar_id.as_str()) > (*datum, *rang, id.as_str())
            })
    });
    found.sort();
    Ok(found)
}
