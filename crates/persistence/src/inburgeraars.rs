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
use koers_domain::partner::{Gegevenscategorie, Grondslag, OrganisatieSoort};
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
/// the people of its gemeenten; a partner only those for whom a toestemming of its organisatie covers
/// the activity (see [`covered_for_partner`]). Never a loop of checks per grant.
fn visible(ctx: &RequestContext, activiteit: Verwerkingsactiviteit) -> Boxed<'static> {
    let Some(organisatie) = ctx.principal.organisatie.clone() else {
        return dsl::inburgeraars
            .filter(dsl::gemeente.eq_any(visible_gemeenten(&ctx.principal)))
            .into_boxed();
    };
    // An activity without a data category is the gemeente's alone (the domain covers it for no one).
    let Some(categorie) = activiteit.categorie() else {
        return dsl::inburgeraars
            .filter(dsl::id.eq_any(Vec::<String>::new()))
            .into_boxed();
    };
    covered_for_partner(organisatie, categorie, ctx.now.date())
}

/// The people for whom a toestemming of `organisatie` covers a call for data of `categorie` on
/// `today`, as a predicate that lists and searches filter and page inside their query.
///
/// This MIRRORS the domain's rule, [`koers_domain::partner::dekkende_toestemming_voor`], which is the
/// authority (single people and the processing log go through it, see
/// [`crate::partners::dekkende_toestemmingen`]); change both together. Condition by condition: the
/// organisation is active; the toestemming is in force (`van_kracht`: its last event is `GEGEVEN`) and
/// `today` lies within `geldig_van..=geldig_tot`; it names the category; it names a purpose the
/// organisation's kind processes for ([`OrganisatieSoort::doelen`]); for health data its grondslag is
/// explicit consent (art. 9). The test `visible_agrees_with_the_domain_rule` below holds the two
/// together over a matrix of toestemmingen.
fn covered_for_partner(
    organisatie: String,
    categorie: Gegevenscategorie,
    today: NaiveDate,
) -> Boxed<'static> {
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
        // Health data only on explicit consent (written for every category, true for all but health).
        .filter(
            c::categorie
                .ne(Gegevenscategorie::Gezondheid.as_str())
                .or(t::grondslag.eq(Grondslag::UitdrukkelijkeToestemming.as_str())),
        )
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::partners::{self, OrganisatieRow};
    use koers_domain::partner::{
        self as partner, Bewijs, Doel, Kanaal, Organisatie, OrganisatieKern, Toestemming,
        ToestemmingEvent, ToestemmingGebeurtenis,
    };
    use std::collections::{BTreeMap, BTreeSet};
    use uuid::Uuid;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn today() -> NaiveDate {
        d(2026, 6, 15)
    }

    fn now() -> NaiveDateTime {
        today().and_hms_opt(9, 0, 0).unwrap()
    }

    /// The variants of a toestemming the matrix runs through, one dimension each.
    const GEBEURTENISSEN: [&[ToestemmingGebeurtenis]; 3] = [
        &[ToestemmingGebeurtenis::Gegeven],
        &[
            ToestemmingGebeurtenis::Gegeven,
            ToestemmingGebeurtenis::Ingetrokken,
        ],
        &[ToestemmingGebeurtenis::Geweigerd],
    ];

    /// `(geldigVan, geldigTot)` around `today()`: every bound on, just before and just after it.
    fn geldigheden() -> [(NaiveDate, Option<NaiveDate>); 7] {
        [
            (d(2026, 1, 1), None),
            (d(2026, 6, 15), None),
            (d(2026, 6, 16), None),
            (d(2026, 1, 1), Some(d(2026, 6, 14))),
            (d(2026, 1, 1), Some(d(2026, 6, 15))),
            (d(2026, 6, 15), Some(d(2026, 6, 15))),
            (d(2026, 1, 1), Some(d(2026, 12, 31))),
        ]
    }

    const CATEGORIEEN: [&[Gegevenscategorie]; 5] = [
        &[Gegevenscategorie::Persoonsgegevens],
        &[
            Gegevenscategorie::Voortgang,
            Gegevenscategorie::Examenresultaten,
        ],
        &[Gegevenscategorie::Traject, Gegevenscategorie::Gezondheid],
        &[Gegevenscategorie::Gezondheid],
        &[
            Gegevenscategorie::Persoonsgegevens,
            Gegevenscategorie::Traject,
            Gegevenscategorie::Voortgang,
            Gegevenscategorie::Examenresultaten,
            Gegevenscategorie::Gezondheid,
        ],
    ];

    const DOELEN: [&[Doel]; 5] = [
        &[Doel::Taalonderwijs],
        &[Doel::Voortgangsbewaking],
        &[Doel::Begeleiding],
        &[Doel::Participatie, Doel::Voortgangsbewaking],
        &[
            Doel::Taalonderwijs,
            Doel::Begeleiding,
            Doel::Participatie,
            Doel::Voortgangsbewaking,
        ],
    ];

    const GRONDSLAGEN: [Grondslag; 3] = [
        Grondslag::Toestemming,
        Grondslag::UitdrukkelijkeToestemming,
        Grondslag::PubliekeTaak,
    ];

    const VARIANTEN: usize = 3 * 7 * 5 * 5 * 3;

    /// Variant `n` of the matrix (mixed radix over its dimensions). Health data is recorded here with
    /// bases the domain would not accept on input, as stored data might hold: the rule must still
    /// refuse it.
    fn toestemming(n: usize, inburgeraar: &str, organisatie: Uuid) -> Toestemming {
        let mut rest = n;
        let mut next = |radix: usize| {
            let digit = rest % radix;
            rest /= radix;
            digit
        };
        let gebeurtenissen = GEBEURTENISSEN[next(3)];
        let (geldig_van, geldig_tot) = geldigheden()[next(7)];
        let categorieen = CATEGORIEEN[next(5)];
        let doelen = DOELEN[next(5)];
        let grondslag = GRONDSLAGEN[next(3)];
        Toestemming {
            id: Uuid::now_v7(),
            inburgeraar_id: InburgeraarId(Uuid::parse_str(inburgeraar).unwrap()),
            organisatie_id: organisatie,
            grondslag,
            doelen: doelen.to_vec(),
            gegevenscategorieen: categorieen.to_vec(),
            geldig_van,
            geldig_tot,
            bewijs: Bewijs {
                kanaal: Kanaal::Digitaal,
                vastgelegd_door: "klantmanager".into(),
                documentverwijzing: None,
                document_hash: None,
                taal_kennisgeving: "nl".into(),
            },
            gebeurtenissen: gebeurtenissen
                .iter()
                .map(|&soort| ToestemmingEvent {
                    soort,
                    tijdstip: now(),
                    door: "klantmanager".into(),
                    toelichting: None,
                })
                .collect(),
        }
    }

    fn organisatie(soort: OrganisatieSoort, actief: bool) -> Organisatie {
        Organisatie {
            id: Uuid::now_v7(),
            naam: format!("{soort:?} {actief}"),
            soort,
            kvk_nummer: None,
            oin: None,
            keurmerk_nummer: None,
            keurmerk_geldig_tot: None,
            actief,
            aangemaakt_op: now(),
            gewijzigd_op: now(),
        }
    }

    fn person_row(id: &str) -> InburgeraarRow {
        InburgeraarRow {
            id: id.to_owned(),
            bsn: None,
            v_nummer: None,
            naam: "Matrix".into(),
            geboortedatum: None,
            gemeente: "0363".into(),
            doelgroep: Doelgroep::ALL[0].as_str().into(),
            regime: Regime::ALL[0].as_str().into(),
            datum_kennisgeving: None,
            datum_vestiging: None,
            status: InburgeraarStatus::ALL[0].as_str().into(),
            versie: 1,
            aangemaakt_op: now(),
            gewijzigd_op: now(),
        }
    }

    fn ctx(organisatie: &Organisatie) -> RequestContext {
        RequestContext {
            principal: Principal {
                client: "partner".into(),
                gebruiker: None,
                scopes: BTreeSet::new(),
                gemeenten: BTreeSet::new(),
                organisatie: Some(organisatie.id.to_string()),
            },
            trace_id: "0".repeat(32),
            span_id: "0".repeat(16),
            request_id: "matrix".into(),
            now: now(),
        }
    }

    /// For every organisation (both kinds, active or not), every category (health too) and every
    /// activity: the people the list predicate `visible` lets through are exactly those for whom the
    /// domain's rule finds a covering toestemming, and `dekkende_toestemmingen` (single people, the
    /// processing log) names the toestemming the domain chooses. Every person holds toestemmingen of
    /// every organisation, in all combinations of in force / withdrawn / refused, validity bounds
    /// around today, categories, purposes and grondslag; some hold several at once.
    #[test]
    fn visible_agrees_with_the_domain_rule() {
        let mut conn = crate::connection::sqlite_in_memory();
        let organisaties: Vec<Organisatie> = [
            (OrganisatieSoort::Taalaanbieder, true),
            (OrganisatieSoort::Taalaanbieder, false),
            (OrganisatieSoort::MaatschappelijkePartner, true),
            (OrganisatieSoort::MaatschappelijkePartner, false),
        ]
        .into_iter()
        .map(|(soort, actief)| organisatie(soort, actief))
        .collect();
        let enkel = VARIANTEN;
        let meervoudig = 120;
        let people: Vec<String> = (0..enkel + meervoudig)
            .map(|_| Uuid::now_v7().to_string())
            .collect();
        // Per organisation, per person: the toestemmingen as the domain knows them.
        let mut held: Vec<BTreeMap<String, Vec<Toestemming>>> = vec![BTreeMap::new(); 4];
        conn.transaction::<_, DieselError, _>(|conn| {
            for o in &organisaties {
                diesel::insert_into(o::organisaties)
                    .values(OrganisatieRow::from_domain(o)?)
                    .execute(conn)?;
            }
            for id in &people {
                diesel::insert_into(dsl::inburgeraars)
                    .values(person_row(id))
                    .execute(conn)?;
            }
            for (j, o) in organisaties.iter().enumerate() {
                for (i, person) in people.iter().enumerate() {
                    // Each organisation gives each person another variant; the last people hold
                    // three toestemmingen of each organisation.
                    let mut varianten = vec![(i * 7 + j * 131) % VARIANTEN];
                    if i >= enkel {
                        varianten.push((i * 37 + j * 11 + 5) % VARIANTEN);
                        varianten.push((i * 101 + j * 53 + 17) % VARIANTEN);
                    }
                    for n in varianten {
                        let t = toestemming(n, person, o.id);
                        partners::insert_toestemming(conn, &t, now())?;
                        held[j].entry(person.clone()).or_default().push(t);
                    }
                }
            }
            Ok(())
        })
        .unwrap();
        let subjects: Vec<InburgeraarId> = people
            .iter()
            .map(|p| InburgeraarId(Uuid::parse_str(p).unwrap()))
            .collect();
        let expected = |j: usize, rule: &dyn Fn(&[partner::ToestemmingKern]) -> Option<Uuid>| {
            held[j]
                .iter()
                .filter_map(|(person, ts)| {
                    let kernen: Vec<_> = ts.iter().map(Toestemming::kern).collect();
                    rule(&kernen).map(|id| (person.clone(), id.to_string()))
                })
                .collect::<HashMap<String, String>>()
        };
        let ids_of = |query: Boxed<'static>, conn: &mut AnyConnection| -> BTreeSet<String> {
            query
                .select(dsl::id)
                .load::<String>(conn)
                .unwrap()
                .into_iter()
                .collect()
        };
        let mut seen_total = 0;
        let mut several = 0;
        for (j, o) in organisaties.iter().enumerate() {
            let kern = OrganisatieKern::from(o);
            let id = o.id.to_string();
            for &categorie in Gegevenscategorie::ALL {
                let want = expected(j, &|k| {
                    partner::dekkende_toestemming_voor(categorie, kern, k, today())
                });
                let sql = ids_of(
                    covered_for_partner(id.clone(), categorie, today()),
                    &mut conn,
                );
                let want_ids: BTreeSet<String> = want.keys().cloned().collect();
                assert_eq!(sql, want_ids, "{kern:?} {categorie:?}: list predicate");
                let loaded = partners::dekkende_toestemmingen_voor(
                    &mut conn,
                    &id,
                    categorie,
                    today(),
                    &subjects,
                )
                .unwrap();
                assert_eq!(loaded, want, "{kern:?} {categorie:?}: chosen toestemmingen");
                seen_total += want.len();
                several += want
                    .keys()
                    .filter(|p| {
                        held[j][*p]
                            .iter()
                            .filter(|t| t.kern().dekt_voor(categorie, kern.soort, today()))
                            .count()
                            > 1
                    })
                    .count();
            }
            let ctx = ctx(o);
            for activiteit in Verwerkingsactiviteit::ALL {
                let want = expected(j, &|k| {
                    partner::dekkende_toestemming(activiteit, kern, k, today())
                });
                let sql = ids_of(visible(&ctx, activiteit), &mut conn);
                let want_ids: BTreeSet<String> = want.keys().cloned().collect();
                assert_eq!(sql, want_ids, "{kern:?} {activiteit:?}: visible");
                let loaded = partners::dekkende_toestemmingen(
                    &mut conn,
                    &id,
                    activiteit,
                    today(),
                    &subjects,
                )
                .unwrap();
                assert_eq!(
                    loaded, want,
                    "{kern:?} {activiteit:?}: dekkende_toestemmingen"
                );
            }
            // A single person, as a partner's push and read see them.
            let activiteit = Verwerkingsactiviteit::VoortgangAanleveren;
            let want = expected(j, &|k| {
                partner::dekkende_toestemming(activiteit, kern, k, today())
            });
            for subject in subjects.iter().step_by(5) {
                let found = get_visible_with_basis(&mut conn, &ctx, activiteit, *subject)
                    .unwrap()
                    .unwrap();
                let key = subject.to_string();
                match want.get(&key) {
                    Some(basis) => {
                        let (person, grondslagen) = found.unwrap();
                        assert_eq!(person.id, *subject);
                        assert_eq!(grondslagen.get(&key), Some(basis));
                    }
                    None => assert!(found.is_none(), "{kern:?}: {key} must not be seen"),
                }
            }
        }
        // The matrix is not vacuous: people are seen and not seen, some on one of several
        // covering toestemmingen, and health data is seen on explicit consent only.
        assert!(seen_total > 0 && seen_total < 4 * 5 * people.len());
        assert!(
            several > 0,
            "some people are covered by several toestemmingen"
        );
        let gezondheid = expected(0, &|k| {
            partner::dekkende_toestemming_voor(
                Gegevenscategorie::Gezondheid,
                OrganisatieKern::from(&organisaties[0]),
                k,
                today(),
            )
        });
        assert!(!gezondheid.is_empty());
    }
}
