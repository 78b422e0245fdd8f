//! Rows of organisaties and toestemmingen. The full records are JSON; the columns that visibility
//! filters on (active, in force, validity, categories) are real, indexed columns.

use crate::connection::AnyConnection;
use crate::schema::{
    inburgeraars, organisaties, toestemming_categorieen, toestemming_doelen, toestemmingen,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::Error as DieselError;
use koers_domain::inburgeraar::InburgeraarId;
use koers_domain::partner::{
    self, Doel, Gegevenscategorie, Grondslag, Organisatie, OrganisatieKern, OrganisatieSoort,
    Toestemming, ToestemmingKern,
};
use koers_domain::ports::StoreError;
use koers_domain::principal::Principal;
use koers_domain::records::Verwerkingsactiviteit;
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = organisaties)]
pub struct OrganisatieRow {
    pub id: String,
    pub naam: String,
    pub soort: String,
    pub actief: bool,
    pub data: String,
    pub aangemaakt_op: NaiveDateTime,
    pub gewijzigd_op: NaiveDateTime,
}

fn json_error(e: serde_json::Error) -> DieselError {
    DieselError::SerializationError(Box::new(e))
}

impl OrganisatieRow {
    pub fn from_domain(o: &Organisatie) -> Result<Self, DieselError> {
        Ok(Self {
            id: o.id.to_string(),
            naam: o.naam.clone(),
            soort: o.soort.as_str().to_owned(),
            actief: o.actief,
            data: serde_json::to_string(o).map_err(json_error)?,
            aangemaakt_op: o.aangemaakt_op,
            gewijzigd_op: o.gewijzigd_op,
        })
    }

    pub fn into_domain(self) -> Result<Organisatie, StoreError> {
        serde_json::from_str(&self.data)
            .map_err(|e| StoreError::internal_by(format!("organisatie {}", self.id), e))
    }
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = toestemmingen)]
pub struct ToestemmingRow {
    pub id: String,
    pub inburgeraar_id: String,
    pub organisatie_id: String,
    pub grondslag: String,
    pub van_kracht: bool,
    pub geldig_van: chrono::NaiveDate,
    pub geldig_tot: Option<chrono::NaiveDate>,
    pub data: String,
    pub aangemaakt_op: NaiveDateTime,
    pub gewijzigd_op: NaiveDateTime,
}

impl ToestemmingRow {
    pub fn into_domain(self) -> Result<Toestemming, StoreError> {
        serde_json::from_str(&self.data)
            .map_err(|e| StoreError::internal_by(format!("toestemming {}", self.id), e))
    }
}

pub fn insert_toestemming(
    conn: &mut AnyConnection,
    t: &Toestemming,
    now: NaiveDateTime,
) -> Result<(), DieselError> {
    let row = ToestemmingRow {
        id: t.id.to_string(),
        inburgeraar_id: t.inburgeraar_id.to_string(),
        organisatie_id: t.organisatie_id.to_string(),
        grondslag: t.grondslag.as_str().to_owned(),
        van_kracht: t.van_kracht(),
        geldig_van: t.geldig_van,
        geldig_tot: t.geldig_tot,
        data: serde_json::to_string(t).map_err(json_error)?,
        aangemaakt_op: now,
        gewijzigd_op: now,
    };
    diesel::insert_into(toestemmingen::table)
        .values(&row)
        .execute(conn)?;
    for doel in &t.doelen {
        diesel::insert_into(toestemming_doelen::table)
            .values((
                toestemming_doelen::toestemming_id.eq(t.id.to_string()),
                toestemming_doelen::doel.eq(doel.as_str()),
            ))
            .execute(conn)?;
    }
    for categorie in &t.gegevenscategorieen {
        diesel::insert_into(toestemming_categorieen::table)
            .values((
                toestemming_categorieen::toestemming_id.eq(t.id.to_string()),
                toestemming_categorieen::categorie.eq(categorie.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn update_toestemming(
    conn: &mut AnyConnection,
    t: &Toestemming,
    now: NaiveDateTime,
) -> Result<(), DieselError> {
    diesel::update(toestemmingen::table.filter(toestemmingen::id.eq(t.id.to_string())))
        .set((
            toestemmingen::van_kracht.eq(t.van_kracht()),
            toestemmingen::data.eq(serde_json::to_string(t).map_err(json_error)?),
            toestemmingen::gewijzigd_op.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The toestemmingen of people in the principal's gemeenten (the gemeente manages them).
pub fn visible_toestemmingen(
    principal: &Principal,
) -> toestemmingen::BoxedQuery<'static, crate::connection::MultiBackend> {
    let gemeenten: Vec<String> = if principal.organisatie.is_some() {
        Vec::new()
    } else {
        principal
            .gemeenten
            .iter()
            .map(|g| g.as_str().to_owned())
            .collect()
    };
    toestemmingen::table
        .filter(
            toestemmingen::inburgeraar_id.eq_any(
                inburgeraars::table
                    .filter(inburgeraars::gemeente.eq_any(gemeenten))
                    .select(inburgeraars::id),
            ),
        )
        .into_boxed()
}

pub fn organisatie_soort(
    conn: &mut AnyConnection,
    id: Uuid,
) -> Result<Option<String>, DieselError> {
    organisaties::table
        .filter(organisaties::id.eq(id.to_string()))
        .select(organisaties::soort)
        .first::<String>(conn)
        .optional()
}

/// The purposes each kind of organisation processes for, as text, for the visibility predicate.
pub fn doelen_van(soort: OrganisatieSoort) -> Vec<&'static str> {
    soort.doelen().iter().map(|d| d.as_str()).collect()
}

/// For each subject (by person id), the toestemming of `organisatie` a partner's call in
/// `activiteit` relies on today (by id), for the subjects that have one: the domain's rule
/// ([`partner::dekkende_toestemming`]) asked for each subject, over candidates read in one query.
/// An activity without a data category is covered for no one, without a query.
pub fn dekkende_toestemmingen(
    conn: &mut AnyConnection,
    organisatie: &str,
    activiteit: Verwerkingsactiviteit,
    today: chrono::NaiveDate,
    subjects: &[InburgeraarId],
) -> Result<HashMap<String, String>, DieselError> {
    match activiteit.categorie() {
        Some(categorie) => {
            dekkende_toestemmingen_voor(conn, organisatie, categorie, today, subjects)
        }
        None => Ok(HashMap::new()),
    }
}

/// One candidate row: a toestemming of the organisation for a subject, with one of its purposes.
type Kandidaat = (
    String,                    // toestemmingen.id
    String,                    // toestemmingen.inburgeraar_id
    String,                    // toestemmingen.grondslag
    bool,                      // toestemmingen.van_kracht
    chrono::NaiveDate,         // toestemmingen.geldig_van
    Option<chrono::NaiveDate>, // toestemmingen.geldig_tot
    String,                    // organisaties.soort
    bool,                      // organisaties.actief
    String,                    // toestemming_doelen.doel
);

fn corrupt(what: &str, value: &str) -> DieselError {
    DieselError::DeserializationError(format!("stored {what} {value:?} is not valid").into())
}

/// [`dekkende_toestemmingen`] for data of `categorie` (also the categories no activity reads yet, such
/// as health data).
///
/// One query reads every toestemming of `organisatie` for the subjects that names `categorie` (the
/// only pre-filter besides organisatie and subject: the rule needs the category, and the filter keeps
/// the rows to one per toestemming and purpose), with its organisation and each of its purposes; in
/// force or not, valid today or not, fitting purpose or not: the domain decides that. The rows are
/// grouped per toestemming and per subject in memory.
pub(crate) fn dekkende_toestemmingen_voor(
    conn: &mut AnyConnection,
    organisatie: &str,
    categorie: Gegevenscategorie,
    today: chrono::NaiveDate,
    subjects: &[InburgeraarId],
) -> Result<HashMap<String, String>, DieselError> {
    let ids: Vec<String> = subjects.iter().map(ToString::to_string).collect();
    let rows: Vec<Kandidaat> = toestemmingen::table
        .inner_join(organisaties::table)
        .inner_join(toestemming_categorieen::table)
        .inner_join(toestemming_doelen::table)
        .filter(toestemmingen::organisatie_id.eq(organisatie.to_owned()))
        .filter(toestemmingen::inburgeraar_id.eq_any(ids))
        .filter(toestemming_categorieen::categorie.eq(categorie.as_str()))
        .select((
            toestemmingen::id,
            toestemmingen::inburgeraar_id,
            toestemmingen::grondslag,
            toestemmingen::van_kracht,
            toestemmingen::geldig_van,
            toestemmingen::geldig_tot,
            organisaties::soort,
            organisaties::actief,
            toestemming_doelen::doel,
        ))
        .load(conn)?;
    // Every row names the same organisation (the filter on organisatie_id).
    let mut organisatie_kern = None;
    // Per toestemming id: its subject and what the rule reads of it.
    let mut per_toestemming: HashMap<String, (String, ToestemmingKern)> = HashMap::new();
    for (id, subject, grondslag, van_kracht, geldig_van, geldig_tot, soort, actief, doel) in rows {
        if organisatie_kern.is_none() {
            organisatie_kern = Some(OrganisatieKern {
                soort: OrganisatieSoort::from_text(&soort)
                    .ok_or_else(|| corrupt("organisatie soort", &soort))?,
                actief,
            });
        }
        let doel = Doel::from_text(&doel).ok_or_else(|| corrupt("doel", &doel))?;
        if let Some((_, kern)) = per_toestemming.get_mut(&id) {
            if !kern.doelen.contains(&doel) {
                kern.doelen.push(doel);
            }
            continue;
        }
        let kern = ToestemmingKern {
            id: Uuid::parse_str(&id).map_err(|_| corrupt("toestemming id", &id))?,
            grondslag: Grondslag::from_text(&grondslag)
                .ok_or_else(|| corrupt("grondslag", &grondslag))?,
            van_kracht,
            geldig_van,
            geldig_tot,
            doelen: vec![doel],
            gegevenscategorieen: vec![categorie],
        };
        per_toestemming.insert(id, (subject, kern));
    }
    let Some(organisatie_kern) = organisatie_kern else {
        return Ok(HashMap::new());
    };
    let mut per_subject: HashMap<String, Vec<ToestemmingKern>> = HashMap::new();
    for (subject, kern) in per_toestemming.into_values() {
        per_subject.entry(subject).or_default().push(kern);
    }
    Ok(per_subject
        .into_iter()
        .filter_map(|(subject, kernen)| {
            partner::dekkende_toestemming_voor(categorie, organisatie_kern, &kernen, today)
                .map(|id| (subject, id.to_string()))
        })
        .collect())
}
