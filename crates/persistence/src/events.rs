//! The outbox `gebeurtenissen`: events are written inside the transaction of their change and read in
//! sequence order by whoever follows the outbox.

use crate::connection::AnyConnection;
use crate::connection::MultiBackend;
use crate::schema::gebeurtenissen::{self, dsl};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::Error as DieselError;
use koers_domain::events::{Event, EventKind};
use koers_domain::gemeente::GemeenteCode;
use koers_domain::inburgeraar::InburgeraarId;
use koers_domain::ports::{Gebeurtenisvraag, StoreError};
use koers_domain::principal::{Principal, Scope};

/// An event as written: `volgnummer` is the database's.
#[derive(Insertable)]
#[diesel(table_name = gebeurtenissen)]
pub struct NewEventRow {
    pub id: String,
    pub soort: &'static str,
    pub url: String,
    pub inburgeraar_id: Option<String>,
    pub gemeente: Option<String>,
    pub organisatie_id: Option<String>,
    pub tijdstip: NaiveDateTime,
    pub request_id: String,
}

impl From<&Event> for NewEventRow {
    fn from(event: &Event) -> Self {
        Self {
            id: event.id.to_string(),
            soort: event.kind.as_str(),
            url: event.url.clone(),
            inburgeraar_id: event.inburgeraar_id.map(|id| id.to_string()),
            gemeente: event.gemeente.as_ref().map(|g| g.as_str().to_owned()),
            organisatie_id: event.organisatie_id.clone(),
            tijdstip: event.tijdstip,
            request_id: event.request_id.clone(),
        }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = gebeurtenissen)]
struct EventRow {
    volgnummer: i64,
    id: String,
    soort: String,
    url: String,
    inburgeraar_id: Option<String>,
    gemeente: Option<String>,
    organisatie_id: Option<String>,
    tijdstip: NaiveDateTime,
    request_id: String,
}

impl EventRow {
    fn into_domain(self) -> Result<Event, StoreError> {
        let broken = |what: &str| StoreError::internal(format!("stored event {}: {what}", self.id));
        Ok(Event {
            volgnummer: self.volgnummer,
            id: self.id.parse().map_err(|_| broken("id"))?,
            kind: EventKind::from_text(&self.soort).ok_or_else(|| broken("soort"))?,
            inburgeraar_id: self
                .inburgeraar_id
                .as_deref()
                .map(|id| id.parse().map(InburgeraarId).map_err(|_| broken("person")))
                .transpose()?,
            gemeente: self
                .gemeente
                .as_deref()
                .map(|g| GemeenteCode::parse("gemeente", g).map_err(|_| broken("gemeente")))
                .transpose()?,
            url: self.url,
            organisatie_id: self.organisatie_id,
            tijdstip: self.tijdstip,
            request_id: self.request_id,
        })
    }
}

/// Writes one event inside the caller's transaction.
pub fn record(conn: &mut AnyConnection, event: &Event) -> Result<(), DieselError> {
    insert(conn, &[NewEventRow::from(event)])
}

/// Writes events, in the order given, inside the caller's transaction.
pub fn insert(conn: &mut AnyConnection, events: &[NewEventRow]) -> Result<(), DieselError> {
    // PostgreSQL takes at most 65,535 bind parameters per statement: 8 columns x 4,000 rows fits.
    const ROWS_PER_STATEMENT: usize = 4_000;
    if let [event] = events {
        // One event (the common case) is a statement the connection keeps prepared.
        diesel::insert_into(dsl::gebeurtenissen)
            .values(event)
            .execute(conn)?;
        return Ok(());
    }
    for chunk in events.chunks(ROWS_PER_STATEMENT) {
        // Batch inserts do not compile through `MultiConnection`: dispatch per backend.
        let insert = diesel::insert_into(dsl::gebeurtenissen).values(chunk);
        match conn {
            AnyConnection::Postgresql(pg) => insert.execute(pg)?,
            AnyConnection::Sqlite(sqlite) => insert.execute(sqlite)?,
        };
    }
    Ok(())
}

/// Up to `limit` events after `volgnummer`, in sequence order.
pub fn after(
    conn: &mut AnyConnection,
    volgnummer: i64,
    limit: i64,
) -> Result<Result<Vec<Event>, StoreError>, DieselError> {
    let rows = dsl::gebeurtenissen
        .filter(dsl::volgnummer.gt(volgnummer))
        .order(dsl::volgnummer.asc())
        .limit(limit)
        .select(EventRow::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(EventRow::into_domain).collect())
}

/// The number of the newest event (0 when there is none).
pub fn laatste(conn: &mut AnyConnection) -> Result<i64, DieselError> {
    let max: Option<i64> = dsl::gebeurtenissen
        .select(diesel::dsl::max(dsl::volgnummer))
        .first(conn)?;
    Ok(max.unwrap_or(0))
}

/// The events of the change feed that may concern the caller, after `volgnummer`, at most `limit`, in
/// sequence order: narrowed in the query to the caller's gemeenten (a gemeente; the beheerder also the
/// events of no gemeente) or to people the partner holds a toestemming for, to the kinds its scopes read,
/// and to `vraag`. The domain's rule ([`koers_domain::abonnement::zichtbaar`]) then decides per event.
/// Only final events: on PostgreSQL none past the last event below which every transaction has ended.
pub fn feed(
    conn: &mut AnyConnection,
    principal: &Principal,
    vraag: &Gebeurtenisvraag,
    volgnummer: i64,
    limit: i64,
) -> Result<Result<Vec<Event>, StoreError>, DieselError> {
    let soorten: Vec<&'static str> = EventKind::ALL
        .iter()
        .filter(|kind| vraag.soort.is_none_or(|soort| soort == **kind))
        .filter(|kind| {
            principal.has_scope(Scope::AbonnementenBeheren) || principal.has_scope(kind.leesscope())
        })
        .filter(|kind| principal.organisatie.is_none() || kind.categorie().is_some())
        .map(|kind| kind.as_str())
        .collect();
    let mut query = dsl::gebeurtenissen
        .filter(dsl::volgnummer.gt(volgnummer))
        .filter(dsl::soort.eq_any(soorten))
        .into_boxed::<MultiBackend>();
    if let Some(tot) = final_tot(conn)? {
        query = query.filter(dsl::volgnummer.le(tot));
    }
    if let Some(gemeente) = &vraag.gemeente {
        query = query.filter(dsl::gemeente.eq(gemeente.as_str().to_owned()));
    }
    if let Some(person) = vraag.inburgeraar {
        query = query.filter(dsl::inburgeraar_id.eq(person.to_string()));
    }
    query = match &principal.organisatie {
        Some(organisatie) => query.filter(
            dsl::inburgeraar_id.eq_any(
                crate::schema::toestemmingen::table
                    .filter(crate::schema::toestemmingen::organisatie_id.eq(organisatie.clone()))
                    .select(crate::schema::toestemmingen::inburgeraar_id.nullable()),
            ),
        ),
        None => {
            let eigen: Vec<String> = principal
                .gemeenten
                .iter()
                .map(|g| g.as_str().to_owned())
                .collect();
            if principal.has_scope(Scope::Beheer) {
                query.filter(dsl::gemeente.eq_any(eigen).or(dsl::gemeente.is_null()))
            } else {
                query.filter(dsl::gemeente.eq_any(eigen))
            }
        }
    };
    let rows = query
        .order(dsl::volgnummer.asc())
        .limit(limit)
        .select(EventRow::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(EventRow::into_domain).collect())
}

/// On PostgreSQL, the last number below which no event can still be committed (see migration 10): the
/// last number drawn, when for a moment no writer holds the outbox lock (writers hold it shared from
/// drawing a number to the end of their transaction), else the last number known to be final. `None` on
/// SQLite, whose one writer commits in sequence order, so every event it shows is final.
pub(crate) fn final_tot(conn: &mut AnyConnection) -> Result<Option<i64>, DieselError> {
    #[derive(QueryableByName)]
    struct Tot {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        volgnummer: i64,
    }
    #[derive(QueryableByName)]
    struct Vrij {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        vrij: bool,
    }
    let AnyConnection::Postgresql(pg) = conn else {
        return Ok(None);
    };
    let drawn: Tot = diesel::sql_query(
        "SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS volgnummer \
         FROM gebeurtenissen_volgnummer",
    )
    .get_result(pg)?;
    for attempt in 0..FINAL_ATTEMPTS {
        if attempt > 0 {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        // Taken and given back in one statement: the lock is never left held.
        let vrij: Vrij = diesel::sql_query(format!(
            "SELECT CASE WHEN pg_try_advisory_lock({OUTBOX_LOCK}) \
             THEN pg_advisory_unlock({OUTBOX_LOCK}) ELSE false END AS vrij"
        ))
        .get_result(pg)?;
        if vrij.vrij {
            diesel::sql_query(
                "UPDATE gebeurtenissen_stand SET volgnummer = $1 WHERE id = 1 AND volgnummer < $1",
            )
            .bind::<diesel::sql_types::BigInt, _>(drawn.volgnummer)
            .execute(pg)?;
            return Ok(Some(drawn.volgnummer));
        }
    }
    let stand: Tot = diesel::sql_query("SELECT volgnummer FROM gebeurtenissen_stand WHERE id = 1")
        .get_result(pg)?;
    Ok(Some(stand.volgnummer))
}

/// How often a reader tries, a millisecond apart, to find no writer between drawing and committing.
const FINAL_ATTEMPTS: usize = 20;

/// The advisory lock of the outbox (migration 10).
const OUTBOX_LOCK: i64 = 7_358_066_700_042_161;
