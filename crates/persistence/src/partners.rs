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
    Gegevenscategorie, Organisatie, OrganisatieSoort, Toestemming, ToestemmingGebeurtenis,
};
use koers_domain::ports::StoreError;
use koers_domain::principal::Principal;
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

fn van_kracht(t: &Toestemming) -> bool {
    t.gebeurtenissen.last().map(|e| e.soort) == Some(ToestemmingGebeurtenis::Gegeven)
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
        van_kracht: van_kracht(t),
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
            toestemmingen::van_kracht.eq(van_kracht(t)),
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

/// For each subject, an active toestemming of `organisatie` covering `categorie` today.
pub fn dekkende_toestemmingen(
    conn: &mut AnyConnection,
    organisatie: &str,
    categorie: Gegevenscategorie,
    today: chrono::NaiveDate,
    subjects: &[InburgeraarId],
) -> Result<HashMap<String, String>, DieselError> {
    let ids: Vec<String> = subjects.iter().map(ToString::to_string).collect();
    let pairs: Vec<(String, String)> = toestemmingen::table
        .inner_join(organisaties::table)
        .inner_join(toestemming_categorieen::table)
        .inner_join(toestemming_doelen::table)
        .filter(toestemmingen::organisatie_id.eq(organisatie.to_owned()))
        .filter(
            organisaties::soort
                .eq(OrganisatieSoort::Taalaanbieder.as_str())
                .and(toestemming_doelen::doel.eq_any(doelen_van(OrganisatieSoort::Taalaanbieder)))
                .or(organisaties::soort
                    .eq(OrganisatieSoort::MaatschappelijkePartner.as_str())
                    .and(
                        toestemming_doelen::doel
                            .eq_any(doelen_van(OrganisatieSoort::MaatschappelijkePartner)),
                    )),
        )
        .filter(toestemmingen::inburgeraar_id.eq_any(ids))
        .filter(organisaties::actief.eq(true))
        .filter(toestemmingen::van_kracht.eq(true))
        .filter(toestemmingen::geldig_van.le(today))
        .filter(
            toestemmingen::geldig_tot
                .is_null()
                .or(toestemmingen::geldig_tot.ge(today)),
        )
        .filter(toestemming_categorieen::categorie.eq(categorie.as_str()))
        .order(toestemmingen::id.asc())
        .select((toestemmingen::inburgeraar_id, toestemmingen::id))
        .load(conn)?;
    Ok(pairs.into_iter().collect())
}
