//! Rows and queries of inburgeraars. Visibility (the caller's gemeenten) is a predicate inside every
//! query, one indexed `IN`, whatever the number of gemeenten.

use crate::connection::{AnyConnection, MultiBackend};
use crate::records::parse_id;
use crate::schema::inburgeraars::{self, dsl};
use crate::schema::organisaties::dsl as o;
use crate::schema::toestemming_categorieen::dsl as c;
use crate::schema::toestemming_doelen::dsl as d;
use crate::schema::toestemmingen::dsl as t;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::result::Error as DieselError;
use koers_domain::bsn::Bsn;
use koers_domain::gemeente::GemeenteCode;
use koers_domain::inburgeraar::{
    Doelgroep, Inburgeraar, InburgeraarFilter, InburgeraarId, InburgeraarStatus, Regime, Zoekvraag,
};
use koers_domain::pagination::{Page, PageRequest};
use koers_domain::partner::OrganisatieSoort;
use koers_domain::ports::StoreError;
use koers_domain::principal::Principal;
use koers_domain::records::{RequestContext, Verwerkingsactiviteit};
use std::collections::HashMap;

#[derive(Queryable, QueryableByName, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = inburgeraars, treat_none_as_null = true)]
pub struct InburgeraarRow {
    pub id: String,
    pub bsn: Option<String>,
    pub v_nummer: Option<String>,
    pub naam: String,
    pub geboortedatum: Option<NaiveDate>,
    pub gemeente: String,
    pub doelgroep: String,
    pub regime: String,
    pub datum_kennisgeving: Option<NaiveDate>,
    pub datum_vestiging: Option<NaiveDate>,
    pub status: String,
    pub versie: i64,
    pub aangemaakt_op: NaiveDateTime,
    pub gewijzigd_op: NaiveDateTime,
}

impl From<&Inburgeraar> for InburgeraarRow {
    fn from(person: &Inburgeraar) -> Self {
        Self {
            id: person.id.to_string(),
            bsn: person.bsn.as_ref().map(|b| b.as_str().to_owned()),
            v_nummer: person.v_nummer.clone(),
            naam: person.naam.clone(),
            geboortedatum: person.geboortedatum,
            gemeente: person.gemeente.as_str().to_owned(),
            doelgroep: person.doelgroep.as_str().to_owned(),
            regime: person.regime.as_str().to_owned(),
            datum_kennisgeving: person.datum_kennisgeving,
            datum_vestiging: person.datum_vestiging,
            status: person.status.as_str().to_owned(),
            versie: person.versie,
            aangemaakt_op: person.aangemaakt_op,
            gewijzigd_op: person.gewijzigd_op,
        }
    }
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::internal(format!("stored {what} {value:?} is not valid"))
}

impl InburgeraarRow {
    pub fn into_domain(self) -> Result<Inburgeraar, StoreError> {
        Ok(Inburgeraar {
            id: parse_id(&self.id)?,
            bsn: self
                .bsn
                .map(|b| Bsn::parse("bsn", &b).map_err(|_| corrupt("bsn", &b)))
                .transpose()?,
            v_nummer: self.v_nummer,
            naam: self.naam,
            geboortedatum: self.geboortedatum,
            gemeente: GemeenteCode::parse("gemeente", &self.gemeente)
                .map_err(|_| corrupt("gemeente", &self.gemeente))?,
            doelgroep: Doelgroep::from_text(&self.doelgroep)
                .ok_or_else(|| corrupt("doelgroep", &self.doelgroep))?,
            regime: Regime::from_text(&self.regime)
                .ok_or_else(|| corrupt("regime", &self.regime))?,
            datum_kennisgeving: self.datum_kennisgeving,
            datum_vestiging: self.datum_vestiging,
            status: InburgeraarStatus::from_text(&self.status)
                .ok_or_else(|| corrupt("status", &self.status))?,
            versie: self.versie,
            aangemaakt_op: self.aangemaakt_op,
            gewijzigd_op: self.gewijzigd_op,
        })
    }
}

fn rows_into_domain(rows: Vec<InburgeraarRow>) -> Result<Vec<Inburgeraar>, StoreError> {
    rows.into_iter().map(InburgeraarRow::into_domain).collect()
}

/// The gemeenten whose people the principal may see.
fn visible_gemeenten(principal: &Principal) -> Vec<String> {
    principal
        .gemeenten
        .iter()
        .map(|g| g.as_str().to_owned())
        .collect()
}

type Boxed<'a> = inburgeraars::BoxedQuery<'a, MultiBackend>;

/// The people the caller may see in this activity, as one predicate inside the query: a gemeente sees
/// the people of its gemeenten; a partner only those for whom an active toestemming of its (active)
/// organisatie covers the activity's category today. Never a loop of checks per grant.
fn visible(ctx: &RequestContext, activiteit: Verwerkingsactiviteit) -> Boxed<'static> {
    let Some(organisatie) = ctx.principal.organisatie.clone() else {
        return dsl::inburgeraars
            .filter(dsl::gemeente.eq_any(visible_gemeenten(&ctx.principal)))
            .into_boxed();
    };
    let Some(categorie) = activiteit.categorie() else {
        return dsl::inburgeraars
            .filter(dsl::id.eq_any(Vec::<String>::new()))
            .into_boxed();
    };
    let today = ctx.now.date();
    // The purpose of a partner's call follows from its kind: a taalaanbieder processes for language
    // education and progress, a maatschappelijke partner for guidance and participation.
    let doel_past = |soort: OrganisatieSoort| {
        o::soort
            .eq(soort.as_str())
            .and(d::doel.eq_any(crate::partners::doelen_van(soort)))
    };
    let gedekt = t::toestemmingen
        .inner_join(o::organisaties)
        .inner_join(c::toestemming_categorieen)
        .inner_join(d::toestemming_doelen)
        .filter(t::organisatie_id.eq(organisatie))
        .filter(
            doel_past(OrganisatieSoort::Taalaanbieder)
                .or(doel_past(OrganisatieSoort::MaatschappelijkePartner)),
        )
        .filter(o::actief.eq(true))
        .filter(t::van_kracht.eq(true))
        .filter(t::geldig_van.le(today))
        .filter(t::geldig_tot.is_null().or(t::geldig_tot.ge(today)))
        .filter(c::categorie.eq(categorie.as_str()))
        .select(t::inburgeraar_id);
    dsl::inburgeraars
        .filter(dsl::id.eq_any(gedekt))
        .into_boxed()
}

pub fn insert(conn: &mut AnyConnection, person: &Inburgeraar) -> Result<(), DieselError> {
    diesel::insert_into(dsl::inburgeraars)
        .values(InburgeraarRow::from(person))
        .execute(conn)?;
    Ok(())
}

/// Replaces the row if its version is still the one the change was based on; `false` when not.
pub fn update(
    conn: &mut AnyConnection,
    before: &Inburgeraar,
    updated: &Inburgeraar,
) -> Result<bool, DieselError> {
    let changed = diesel::update(
        dsl::inburgeraars
            .filter(dsl::id.eq(before.id.to_string()))
            .filter(dsl::versie.eq(before.versie)),
    )
    .set(InburgeraarRow::from(updated))
    .execute(conn)?;
    Ok(changed == 1)
}

pub fn get_visible(
    conn: &mut AnyConnection,
    ctx: &RequestContext,
    activiteit: Verwerkingsactiviteit,
    id: InburgeraarId,
) -> Result<Result<Option<Inburgeraar>, StoreError>, DieselError> {
    Ok(get_visible_with_basis(conn, ctx, activiteit, id)?.map(|found| found.map(|(p, _)| p)))
}

/// The people of `ids` the caller may see in `activiteit`, in no particular order.
pub fn visible_by_ids(
    conn: &mut AnyConnection,
    ctx: &RequestContext,
    activiteit: Verwerkingsactiviteit,
    ids: &[String],
) -> crate::transactions::Tx<Vec<Inburgeraar>> {
    let rows = visible(ctx, activiteit)
        .filter(dsl::id.eq_any(ids))
        .select(InburgeraarRow::as_select())
        .load(conn)?;
    Ok(rows_into_domain(rows)?)
}

/// Every stored person after `after` (by id), `limit` at a time, in `gemeente` when one is given,
/// whoever may see them: for maintenance walks (the worklist's projection), never for an answer.
pub fn batch(
    conn: &mut AnyConnection,
    gemeente: Option<&GemeenteCode>,
    after: Option<&str>,
    limit: i64,
) -> crate::transactions::Tx<Vec<Inburgeraar>> {
    let mut query = dsl::inburgeraars.into_boxed();
    if let Some(gemeente) = gemeente {
        query = query.filter(dsl::gemeente.eq(gemeente.as_str().to_owned()));
    }
    if let Some(after) = after {
        query = query.filter(dsl::id.gt(after.to_owned()));
    }
    let rows = query
        .order(dsl::id.asc())
        .limit(limit)
        .select(InburgeraarRow::as_select())
        .load(conn)?;
    Ok(rows_into_domain(rows)?)
}

/// The gemeente of a stored person (for the event of a change made through another resource, such as
/// a toestemming, whose visibility was checked on that resource).
pub fn gemeente_of(
    conn: &mut AnyConnection,
    id: InburgeraarId,
) -> Result<GemeenteCode, crate::transactions::TxError> {
    let code: String = dsl::inburgeraars
        .filter(dsl::id.eq(id.to_string()))
        .select(dsl::gemeente)
        .first(conn)?;
    GemeenteCode::parse("gemeente", &code).map_err(|_| {
        crate::transactions::TxError(StoreError::internal(format!("stored gemeente of {id}")))
    })
}

/// Locks the person's row until the transaction ends (on PostgreSQL) and returns its version then;
/// `None` on SQLite, which has one writer at a time and nothing to lock.
pub fn lock(conn: &mut AnyConnection, id: InburgeraarId) -> Result<Option<i64>, DieselError> {
    match conn {
        AnyConnection::Postgresql(pg) => dsl::inburgeraars
            .filter(dsl::id.eq(id.to_string()))
            .select(dsl::versie)
            .for_update()
            .first(pg)
            .map(Some),
        AnyConnection::Sqlite(_) => Ok(None),
    }
}

/// On PostgreSQL, for a caller acting for gemeenten: the person if it is in one of them, and the
/// processing-log line `line` stored if so, in one statement (one round trip, committed on its own and
/// durable when it returns). Other callers and SQLite take [`get_visible`] and the log's own write.
pub fn get_logged_for_gemeente(
    pg: &mut diesel::PgConnection,
    ctx: &RequestContext,
    id: InburgeraarId,
    line: &crate::records::VerwerkingRow,
) -> Result<Option<InburgeraarRow>, DieselError> {
    GetLogged {
        id: id.to_string(),
        gemeenten: ctx.principal.gemeenten.iter().map(|g| g.as_str()).collect(),
        line,
    }
    .get_result::<InburgeraarRow>(pg)
    .optional()
}

/// The statement of [`get_logged_for_gemeente`]. Written as a query fragment with a static id (rather
/// than `sql_query`) so that each connection prepares it once and keeps it: planning it anew on every
/// read costs more than the round trips it saves.
struct GetLogged<'a> {
    id: String,
    gemeenten: Vec<&'a str>,
    line: &'a crate::records::VerwerkingRow,
}

impl diesel::query_builder::QueryId for GetLogged<'_> {
    type QueryId = GetLogged<'static>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl diesel::query_builder::Query for GetLogged<'_> {
    type SqlType = diesel::sql_types::Untyped;
}

impl RunQueryDsl<diesel::PgConnection> for GetLogged<'_> {}

impl diesel::query_builder::QueryFragment<diesel::pg::Pg> for GetLogged<'_> {
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, diesel::pg::Pg>,
    ) -> QueryResult<()> {
        use diesel::sql_types::{Array, Nullable, Text, Timestamp};
        let line = self.line;
        out.push_sql("WITH gezien AS (SELECT * FROM inburgeraars WHERE id = ");
        out.push_bind_param::<Text, _>(&self.id)?;
        out.push_sql(" AND gemeente = ANY(");
        out.push_bind_param::<Array<Text>, _>(&self.gemeenten)?;
        out.push_sql(
            ")), regel AS (INSERT INTO verwerkingen (id, trace_id, span_id, activiteit_id, \
             activiteit_naam, betrokkene, status, client, gebruiker, organisatie, start_tijd, \
             eind_tijd, toestemming_id) SELECT ",
        );
        for (i, text) in [
            &line.id,
            &line.trace_id,
            &line.span_id,
            &line.activiteit_id,
            &line.activiteit_naam,
            &line.betrokkene,
            &line.status,
            &line.client,
        ]
        .into_iter()
        .enumerate()
        {
            if i > 0 {
                out.push_sql(", ");
            }
            out.push_bind_param::<Text, _>(text)?;
        }
        for optional in [&line.gebruiker, &line.organisatie] {
            out.push_sql(", ");
            out.push_bind_param::<Nullable<Text>, _>(optional)?;
        }
        for moment in [&line.start_tijd, &line.eind_tijd] {
            out.push_sql(", ");
            out.push_bind_param::<Timestamp, _>(moment)?;
        }
        out.push_sql(", ");
        out.push_bind_param::<Nullable<Text>, _>(&line.toestemming_id)?;
        out.push_sql(" FROM gezien) SELECT * FROM gezien");
        Ok(())
    }
}

/// The toestemming a partner relies on, by person id.
pub type Grondslagen = HashMap<String, String>;

/// A visible person with the toestemmingen a partner sees them on (by person id; empty for a gemeente).
pub fn get_visible_with_basis(
    conn: &mut AnyConnection,
    ctx: &RequestContext,
    activiteit: Verwerkingsactiviteit,
    id: InburgeraarId,
) -> Result<Result<Option<(Inburgeraar, Grondslagen)>, StoreError>, DieselError> {
    // One look-up by key, a statement the connection keeps prepared (a boxed query with the caller's
    // gemeenten or a partner's toestemmingen is prepared anew every time), then the caller's right to
    // see this one person: the same rule as `visible`. Unseen is the same answer as absent.
    let Some(row) = dsl::inburgeraars
        .filter(dsl::id.eq(id.to_string()))
        .select(InburgeraarRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(Ok(None));
    };
    let (seen, basis) = match (&ctx.principal.organisatie, activiteit.categorie()) {
        (None, _) => {
            let own = ctx
                .principal
                .gemeenten
                .iter()
                .any(|g| g.as_str() == row.gemeente);
            (own, HashMap::new())
        }
        (Some(_), Some(_)) => {
            let basis = crate::records::grondslagen(conn, ctx, activiteit, &[id])?;
            (!basis.is_empty(), basis)
        }
        (Some(_), None) => (false, HashMap::new()),
    };
    if !seen {
        return Ok(Ok(None));
    }
    Ok(row.into_domain().map(|person| Some((person, basis))))
}

pub fn find_visible(
    conn: &mut AnyConnection,
    ctx: &RequestContext,
    vraag: &Zoekvraag,
) -> Result<Result<Option<Inburgeraar>, StoreError>, DieselError> {
    let query = match vraag {
        Zoekvraag::Bsn(bsn) => visible(ctx, Verwerkingsactiviteit::InburgeraarZoeken)
            .filter(dsl::bsn.eq(bsn.as_str().to_owned())),
        Zoekvraag::VNummer(v) => visible(ctx, Verwerkingsactiviteit::InburgeraarZoeken)
            .filter(dsl::v_nummer.eq(v.clone())),
    };
    let row = query
        .select(InburgeraarRow::as_select())
        .first(conn)
        .optional()?;
    Ok(row.map(InburgeraarRow::into_domain).transpose())
}

pub fn list_visible(
    conn: &mut AnyConnection,
    ctx: &RequestContext,
    filter: &InburgeraarFilter,
    page: &PageRequest,
) -> Result<Result<Page<Inburgeraar>, StoreError>, DieselError> {
    let mut query = visible(ctx, Verwerkingsactiviteit::InburgeraarsOpvragen);
    if let Some(gemeente) = &filter.gemeente {
        query = query.filter(dsl::gemeente.eq(gemeente.as_str().to_owned()));
    }
    if let Some(doelgroep) = filter.doelgroep {
        query = query.filter(dsl::doelgroep.eq(doelgroep.as_str()));
    }
    if let Some(status) = filter.status {
        query = query.filter(dsl::status.eq(status.as_str()));
    }
    if let Some(after) = &page.after {
        query = query.filter(dsl::id.gt(after.clone()));
    }
    let rows = query
        .order(dsl::id.asc())
        .limit(i64::from(page.size) + 1)
        .select(InburgeraarRow::as_select())
        .load(conn)?;
    Ok(rows_into_domain(rows)
        .map(|items| Page::from_overfetch(items, page.size, |p| p.id.to_string())))
}
