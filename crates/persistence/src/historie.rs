//! Rows of the appended history of a trajectory: one table per list of `Traject` (migration 8), one row
//! per item. Every row names the person and `volgorde`, the item's position in the person's list (from
//! 0; for besluiten within its soort), so that the rows ordered by `volgorde` give the list back.
//!
//! Enums are stored as the text of their serde form, a list of enums as a JSON array (the text
//! serde_json writes), uuids as text. A stored value that does not convert back is an internal error
//! naming its table and column, never a panic.

use crate::schema::{
    besluiten, examenresultaten, gevolgde_uren, inschrijvingen, participatieladder_metingen,
    statuswijzigingen, verlengingen, voortgangsgesprekken,
};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use koers_domain::gesprekken::{Deelnemer, Voortgangsgesprek};
use koers_domain::inburgeraar::{InburgeraarId, InburgeraarStatus};
use koers_domain::participatieladder::{Meting, Trede};
use koers_domain::ports::StoreError;
use koers_domain::status::{Gebeurtenis, Statuswijziging};
use koers_domain::traject::{Besluit, Examenonderdeel, Omvang, Verlenging};
use koers_domain::voortgang::{
    Bron, ExamenNiveau, ExamenOnderdeel, ExamenUitslag, Examenresultaat, GevolgdeUren,
    Inschrijving, InschrijvingSoort, RedenGeenUitslag,
};
use uuid::Uuid;

/// A stored value that is not what its column should hold.
fn corrupt(table: &str, column: &str, value: &str) -> StoreError {
    StoreError::internal(format!("stored {table}.{column} {value:?} is not valid"))
}

/// An enum column back into its enum.
fn enum_of<T>(
    table: &str,
    column: &str,
    value: &str,
    from_text: impl Fn(&str) -> Option<T>,
) -> Result<T, StoreError> {
    from_text(value).ok_or_else(|| corrupt(table, column, value))
}

fn uuid_of(table: &str, column: &str, value: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(value)
        .map_err(|e| StoreError::internal_by(format!("stored {table}.{column} {value:?}"), e))
}

fn optional_uuid_of(
    table: &str,
    column: &str,
    value: Option<&str>,
) -> Result<Option<Uuid>, StoreError> {
    value.map(|v| uuid_of(table, column, v)).transpose()
}

/// A count of hours or months (a `u32` in the domain) from its BIGINT column.
fn u32_of(table: &str, column: &str, value: i64) -> Result<u32, StoreError> {
    u32::try_from(value).map_err(|_| corrupt(table, column, &value.to_string()))
}

/// A list of enums as the JSON array serde_json writes for it (their serde texts, no spaces).
fn json_list<T: Copy>(items: &[T], as_str: impl Fn(T) -> &'static str) -> String {
    serde_json::Value::Array(
        items
            .iter()
            .map(|item| serde_json::Value::from(as_str(*item)))
            .collect(),
    )
    .to_string()
}

/// A JSON array column back into its list.
fn list_of<T: serde::de::DeserializeOwned>(
    table: &str,
    column: &str,
    value: &str,
) -> Result<Vec<T>, StoreError> {
    serde_json::from_str(value)
        .map_err(|e| StoreError::internal_by(format!("stored {table}.{column} {value:?}"), e))
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = verlengingen, treat_none_as_null = true)]
pub struct VerlengingRow {
    pub id: String,
    pub inburgeraar_id: String,
    pub volgorde: i64,
    pub maanden: i64,
    pub grond: String,
    pub datum_besluit: NaiveDate,
}

impl VerlengingRow {
    pub fn from_domain(inburgeraar_id: InburgeraarId, volgorde: i64, item: &Verlenging) -> Self {
        Self {
            id: item.id.clone(),
            inburgeraar_id: inburgeraar_id.to_string(),
            volgorde,
            maanden: i64::from(item.maanden),
            grond: item.grond.clone(),
            datum_besluit: item.datum_besluit,
        }
    }

    pub fn into_domain(self) -> Result<Verlenging, StoreError> {
        Ok(Verlenging {
            maanden: u32_of("verlengingen", "maanden", self.maanden)?,
            id: self.id,
            grond: self.grond,
            datum_besluit: self.datum_besluit,
        })
    }
}

/// Which list of `Traject` a besluit belongs to: the `soort` column of `besluiten`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BesluitSoort {
    Ontheffing,
    Vrijstelling,
}

impl BesluitSoort {
    pub fn as_str(self) -> &'static str {
        match self {
            BesluitSoort::Ontheffing => "ontheffing",
            BesluitSoort::Vrijstelling => "vrijstelling",
        }
    }

    pub fn from_text(text: &str) -> Option<Self> {
        [BesluitSoort::Ontheffing, BesluitSoort::Vrijstelling]
            .into_iter()
            .find(|soort| soort.as_str() == text)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = besluiten, treat_none_as_null = true)]
pub struct BesluitRow {
    pub id: String,
    pub inburgeraar_id: String,
    pub soort: String,
    pub volgorde: i64,
    pub code: String,
    pub omvang: String,
    pub examenonderdelen: String,
    pub datum_besluit: NaiveDate,
    pub datum_einde: Option<NaiveDate>,
}

impl BesluitRow {
    pub fn from_domain(
        inburgeraar_id: InburgeraarId,
        volgorde: i64,
        soort: BesluitSoort,
        item: &Besluit,
    ) -> Self {
        Self {
            id: item.id.clone(),
            inburgeraar_id: inburgeraar_id.to_string(),
            soort: soort.as_str().to_owned(),
            volgorde,
            code: item.code.clone(),
            omvang: item.omvang.as_str().to_owned(),
            examenonderdelen: json_list(&item.examenonderdelen, Examenonderdeel::as_str),
            datum_besluit: item.datum_besluit,
            datum_einde: item.datum_einde,
        }
    }

    /// The list the besluit belongs to.
    ///
    /// # Errors
    /// A `soort` that is neither `ontheffing` nor `vrijstelling`.
    pub fn soort(&self) -> Result<BesluitSoort, StoreError> {
        enum_of("besluiten", "soort", &self.soort, BesluitSoort::from_text)
    }

    pub fn into_domain(self) -> Result<Besluit, StoreError> {
        const T: &str = "besluiten";
        self.soort()?;
        Ok(Besluit {
            omvang: enum_of(T, "omvang", &self.omvang, Omvang::from_text)?,
            examenonderdelen: list_of(T, "examenonderdelen", &self.examenonderdelen)?,
            id: self.id,
            code: self.code,
            datum_besluit: self.datum_besluit,
            datum_einde: self.datum_einde,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = statuswijzigingen, treat_none_as_null = true)]
pub struct StatuswijzigingRow {
    pub inburgeraar_id: String,
    pub volgorde: i64,
    pub gebeurtenis: String,
    pub van: String,
    pub naar: String,
    pub datum: NaiveDate,
    pub reden: Option<String>,
}

impl StatuswijzigingRow {
    pub fn from_domain(
        inburgeraar_id: InburgeraarId,
        volgorde: i64,
        item: &Statuswijziging,
    ) -> Self {
        Self {
            inburgeraar_id: inburgeraar_id.to_string(),
            volgorde,
            gebeurtenis: item.gebeurtenis.as_str().to_owned(),
            van: item.van.as_str().to_owned(),
            naar: item.naar.as_str().to_owned(),
            datum: item.datum,
            reden: item.reden.clone(),
        }
    }

    pub fn into_domain(self) -> Result<Statuswijziging, StoreError> {
        const T: &str = "statuswijzigingen";
        Ok(Statuswijziging {
            gebeurtenis: enum_of(T, "gebeurtenis", &self.gebeurtenis, Gebeurtenis::from_text)?,
            van: enum_of(T, "van", &self.van, InburgeraarStatus::from_text)?,
            naar: enum_of(T, "naar", &self.naar, InburgeraarStatus::from_text)?,
            datum: self.datum,
            reden: self.reden,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = inschrijvingen, treat_none_as_null = true)]
pub struct InschrijvingRow {
    pub id: String,
    pub inburgeraar_id: String,
    pub volgorde: i64,
    pub organisatie_id: Option<String>,
    pub soort: String,
    pub omschrijving: String,
    pub datum_start: NaiveDate,
    pub datum_einde: Option<NaiveDate>,
    pub uren_per_week: i64,
    pub geregistreerd_op: NaiveDateTime,
}

impl InschrijvingRow {
    pub fn from_domain(inburgeraar_id: InburgeraarId, volgorde: i64, item: &Inschrijving) -> Self {
        Self {
            id: item.id.to_string(),
            inburgeraar_id: inburgeraar_id.to_string(),
            volgorde,
            organisatie_id: item.organisatie_id.map(|o| o.to_string()),
            soort: item.soort.as_str().to_owned(),
            omschrijving: item.omschrijving.clone(),
            datum_start: item.datum_start,
            datum_einde: item.datum_einde,
            uren_per_week: i64::from(item.uren_per_week),
            geregistreerd_op: item.geregistreerd_op,
        }
    }

    pub fn into_domain(self) -> Result<Inschrijving, StoreError> {
        const T: &str = "inschrijvingen";
        Ok(Inschrijving {
            id: uuid_of(T, "id", &self.id)?,
            organisatie_id: optional_uuid_of(T, "organisatie_id", self.organisatie_id.as_deref())?,
            soort: enum_of(T, "soort", &self.soort, InschrijvingSoort::from_text)?,
            omschrijving: self.omschrijving,
            datum_start: self.datum_start,
            datum_einde: self.datum_einde,
            uren_per_week: u32_of(T, "uren_per_week", self.uren_per_week)?,
            geregistreerd_op: self.geregistreerd_op,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = gevolgde_uren, treat_none_as_null = true)]
pub struct GevolgdeUrenRow {
    pub id: String,
    pub inburgeraar_id: String,
    pub volgorde: i64,
    pub organisatie_id: Option<String>,
    pub maand: NaiveDate,
    pub lesuren: i64,
    pub lesuren_brede_intake: i64,
    pub participatie_uren: i64,
    pub verzuim_uren: i64,
    pub geregistreerd_op: NaiveDateTime,
}

impl GevolgdeUrenRow {
    pub fn from_domain(inburgeraar_id: InburgeraarId, volgorde: i64, item: &GevolgdeUren) -> Self {
        Self {
            id: item.id.to_string(),
            inburgeraar_id: inburgeraar_id.to_string(),
            volgorde,
            organisatie_id: item.organisatie_id.map(|o| o.to_string()),
            maand: item.maand,
            lesuren: i64::from(item.lesuren),
            lesuren_brede_intake: i64::from(item.lesuren_brede_intake),
            participatie_uren: i64::from(item.participatie_uren),
            verzuim_uren: i64::from(item.verzuim_uren),
            geregistreerd_op: item.geregistreerd_op,
        }
    }

    pub fn into_domain(self) -> Result<GevolgdeUren, StoreError> {
        const T: &str = "gevolgde_uren";
        Ok(GevolgdeUren {
            id: uuid_of(T, "id", &self.id)?,
            organisatie_id: optional_uuid_of(T, "organisatie_id", self.organisatie_id.as_deref())?,
            maand: self.maand,
            lesuren: u32_of(T, "lesuren", self.lesuren)?,
            lesuren_brede_intake: u32_of(T, "lesuren_brede_intake", self.lesuren_brede_intake)?,
            participatie_uren: u32_of(T, "participatie_uren", self.participatie_uren)?,
            verzuim_uren: u32_of(T, "verzuim_uren", self.verzuim_uren)?,
            geregistreerd_op: self.geregistreerd_op,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = examenresultaten, treat_none_as_null = true)]
pub struct ExamenresultaatRow {
    pub id: String,
    pub inburgeraar_id: String,
    pub volgorde: i64,
    pub organisatie_id: Option<String>,
    pub onderdeel: String,
    pub niveau: String,
    pub uitslag: String,
    pub reden_geen: Option<String>,
    pub datum_examen: NaiveDate,
    pub bron: String,
    pub conflict_met_duo: bool,
    pub geregistreerd_op: NaiveDateTime,
}

impl ExamenresultaatRow {
    pub fn from_domain(
        inburgeraar_id: InburgeraarId,
        volgorde: i64,
        item: &Examenresultaat,
    ) -> Self {
        Self {
            id: item.id.to_string(),
            inburgeraar_id: inburgeraar_id.to_string(),
            volgorde,
            organisatie_id: item.organisatie_id.map(|o| o.to_string()),
            onderdeel: item.onderdeel.as_str().to_owned(),
            niveau: item.niveau.as_str().to_owned(),
            uitslag: item.uitslag.as_str().to_owned(),
            reden_geen: item.reden_geen.map(|r| r.as_str().to_owned()),
            datum_examen: item.datum_examen,
            bron: item.bron.as_str().to_owned(),
            conflict_met_duo: item.conflict_met_duo,
            geregistreerd_op: item.geregistreerd_op,
        }
    }

    pub fn into_domain(self) -> Result<Examenresultaat, StoreError> {
        const T: &str = "examenresultaten";
        Ok(Examenresultaat {
            id: uuid_of(T, "id", &self.id)?,
            organisatie_id: optional_uuid_of(T, "organisatie_id", self.organisatie_id.as_deref())?,
            onderdeel: enum_of(T, "onderdeel", &self.onderdeel, ExamenOnderdeel::from_text)?,
            niveau: enum_of(T, "niveau", &self.niveau, ExamenNiveau::from_text)?,
            uitslag: enum_of(T, "uitslag", &self.uitslag, ExamenUitslag::from_text)?,
            reden_geen: self
                .reden_geen
                .map(|r| enum_of(T, "reden_geen", &r, RedenGeenUitslag::from_text))
                .transpose()?,
            datum_examen: self.datum_examen,
            bron: enum_of(T, "bron", &self.bron, Bron::from_text)?,
            conflict_met_duo: self.conflict_met_duo,
            geregistreerd_op: self.geregistreerd_op,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = voortgangsgesprekken, treat_none_as_null = true)]
pub struct VoortgangsgesprekRow {
    pub id: String,
    pub inburgeraar_id: String,
    pub volgorde: i64,
    pub datum: NaiveDate,
    pub deelnemers: String,
    pub uitkomst: String,
    pub afspraken: Option<String>,
    pub datum_volgend_gepland: Option<NaiveDate>,
    pub geregistreerd_op: NaiveDateTime,
}

impl VoortgangsgesprekRow {
    pub fn from_domain(
        inburgeraar_id: InburgeraarId,
        volgorde: i64,
        item: &Voortgangsgesprek,
    ) -> Self {
        Self {
            id: item.id.to_string(),
            inburgeraar_id: inburgeraar_id.to_string(),
            volgorde,
            datum: item.datum,
            deelnemers: json_list(&item.deelnemers, Deelnemer::as_str),
            uitkomst: item.uitkomst.clone(),
            afspraken: item.afspraken.clone(),
            datum_volgend_gepland: item.datum_volgend_gepland,
            geregistreerd_op: item.geregistreerd_op,
        }
    }

    pub fn into_domain(self) -> Result<Voortgangsgesprek, StoreError> {
        const T: &str = "voortgangsgesprekken";
        Ok(Voortgangsgesprek {
            id: uuid_of(T, "id", &self.id)?,
            datum: self.datum,
            deelnemers: list_of(T, "deelnemers", &self.deelnemers)?,
            uitkomst: self.uitkomst,
            afspraken: self.afspraken,
            datum_volgend_gepland: self.datum_volgend_gepland,
            geregistreerd_op: self.geregistreerd_op,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = participatieladder_metingen, treat_none_as_null = true)]
pub struct MetingRow {
    pub id: String,
    pub inburgeraar_id: String,
    pub volgorde: i64,
    pub datum: NaiveDate,
    pub trede: i64,
    pub toelichting: Option<String>,
    pub geregistreerd_op: NaiveDateTime,
}

impl MetingRow {
    pub fn from_domain(inburgeraar_id: InburgeraarId, volgorde: i64, item: &Meting) -> Self {
        Self {
            id: item.id.to_string(),
            inburgeraar_id: inburgeraar_id.to_string(),
            volgorde,
            datum: item.datum,
            trede: i64::from(item.trede.get()),
            toelichting: item.toelichting.clone(),
            geregistreerd_op: item.geregistreerd_op,
        }
    }

    pub fn into_domain(self) -> Result<Meting, StoreError> {
        const T: &str = "participatieladder_metingen";
        Ok(Meting {
            id: uuid_of(T, "id", &self.id)?,
            datum: self.datum,
            trede: u8::try_from(self.trede)
                .ok()
                .and_then(Trede::new)
                .ok_or_else(|| corrupt(T, "trede", &self.trede.to_string()))?,
            toelichting: self.toelichting,
            geregistreerd_op: self.geregistreerd_op,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn ts(micro: u32) -> NaiveDateTime {
        d(2026, 12, 5).and_hms_micro_opt(10, 11, 12, micro).unwrap()
    }

    fn person() -> InburgeraarId {
        InburgeraarId(Uuid::now_v7())
    }

    fn org() -> Option<Uuid> {
        Some(Uuid::now_v7())
    }

    fn round_trip<I, R>(
        item: &I,
        from_domain: impl Fn(InburgeraarId, i64, &I) -> R,
        into_domain: impl Fn(R) -> Result<I, StoreError>,
    ) where
        I: PartialEq + std::fmt::Debug,
    {
        let row = from_domain(person(), 3, item);
        assert_eq!(&into_domain(row).unwrap(), item);
    }

    #[test]
    fn verlengingen_round_trip() {
        let item = Verlenging {
            id: Uuid::now_v7().to_string(),
            maanden: 6,
            grond: "Ziekte".into(),
            datum_besluit: d(2026, 3, 1),
        };
        round_trip(
            &item,
            VerlengingRow::from_domain,
            VerlengingRow::into_domain,
        );
        let row = VerlengingRow::from_domain(person(), 0, &item);
        assert_eq!((row.volgorde, row.maanden), (0, 6));
    }

    #[test]
    fn besluiten_round_trip_full_and_minimal() {
        let vol = Besluit {
            id: Uuid::now_v7().to_string(),
            code: "GED".into(),
            omvang: Omvang::Gedeeltelijk,
            examenonderdelen: vec![Examenonderdeel::Lezen, Examenonderdeel::Knm],
            datum_besluit: d(2026, 2, 1),
            datum_einde: Some(d(2027, 2, 1)),
        };
        let minimaal = Besluit {
            examenonderdelen: vec![],
            datum_einde: None,
            omvang: Omvang::Geheel,
            ..vol.clone()
        };
        for soort in [BesluitSoort::Ontheffing, BesluitSoort::Vrijstelling] {
            for item in [&vol, &minimaal] {
                let row = BesluitRow::from_domain(person(), 1, soort, item);
                assert_eq!(row.soort().unwrap(), soort);
                assert_eq!(&row.into_domain().unwrap(), item);
            }
        }
        let row = BesluitRow::from_domain(person(), 0, BesluitSoort::Vrijstelling, &vol);
        assert_eq!(row.soort, "vrijstelling");
        assert_eq!(row.omvang, "GEDEELTELIJK");
        // The text serde_json writes for the list.
        assert_eq!(
            row.examenonderdelen,
            serde_json::to_string(&vol.examenonderdelen).unwrap()
        );
        assert_eq!(row.examenonderdelen, r#"["LEZEN","KNM"]"#);
        assert_eq!(
            BesluitRow::from_domain(person(), 0, BesluitSoort::Ontheffing, &minimaal)
                .examenonderdelen,
            "[]"
        );
    }

    #[test]
    fn statuswijzigingen_round_trip_full_and_minimal() {
        let vol = Statuswijziging {
            gebeurtenis: Gebeurtenis::TijdelijkVrijgesteld,
            van: InburgeraarStatus::InTraject,
            naar: InburgeraarStatus::TijdelijkVrijgesteld,
            datum: d(2026, 4, 1),
            reden: Some("Opleiding".into()),
        };
        let minimaal = Statuswijziging {
            reden: None,
            ..vol.clone()
        };
        for item in [&vol, &minimaal] {
            round_trip(
                item,
                StatuswijzigingRow::from_domain,
                StatuswijzigingRow::into_domain,
            );
        }
        let row = StatuswijzigingRow::from_domain(person(), 2, &vol);
        assert_eq!(row.gebeurtenis, "tijdelijkVrijgesteld");
        assert_eq!(row.van, "inTraject");
    }

    #[test]
    fn inschrijvingen_round_trip_full_and_minimal() {
        let vol = Inschrijving {
            id: Uuid::now_v7(),
            organisatie_id: org(),
            soort: InschrijvingSoort::Leerwerkroute,
            omschrijving: "B1-cursus".into(),
            datum_start: d(2026, 1, 5),
            datum_einde: Some(d(2026, 12, 18)),
            uren_per_week: 12,
            geregistreerd_op: ts(123_456),
        };
        let minimaal = Inschrijving {
            organisatie_id: None,
            datum_einde: None,
            ..vol.clone()
        };
        for item in [&vol, &minimaal] {
            round_trip(
                item,
                InschrijvingRow::from_domain,
                InschrijvingRow::into_domain,
            );
        }
    }

    #[test]
    fn gevolgde_uren_round_trip_full_and_minimal() {
        let vol = GevolgdeUren {
            id: Uuid::now_v7(),
            organisatie_id: org(),
            maand: d(2026, 11, 1),
            lesuren: 40,
            lesuren_brede_intake: 4,
            participatie_uren: 20,
            verzuim_uren: 2,
            geregistreerd_op: ts(0),
        };
        let minimaal = GevolgdeUren {
            organisatie_id: None,
            lesuren: 0,
            lesuren_brede_intake: 0,
            participatie_uren: 0,
            verzuim_uren: 0,
            ..vol.clone()
        };
        for item in [&vol, &minimaal] {
            round_trip(
                item,
                GevolgdeUrenRow::from_domain,
                GevolgdeUrenRow::into_domain,
            );
        }
        let max = GevolgdeUren {
            lesuren: u32::MAX,
            ..vol.clone()
        };
        round_trip(
            &max,
            GevolgdeUrenRow::from_domain,
            GevolgdeUrenRow::into_domain,
        );
    }

    #[test]
    fn examenresultaten_round_trip_full_and_minimal() {
        let vol = Examenresultaat {
            id: Uuid::now_v7(),
            organisatie_id: org(),
            onderdeel: ExamenOnderdeel::StaatsexamenNt2II,
            niveau: ExamenNiveau::B2,
            uitslag: ExamenUitslag::Geen,
            reden_geen: Some(RedenGeenUitslag::NietVerwijtbaar),
            datum_examen: d(2026, 10, 1),
            bron: Bron::Aanbieder,
            conflict_met_duo: true,
            geregistreerd_op: ts(500_000),
        };
        let minimaal = Examenresultaat {
            organisatie_id: None,
            uitslag: ExamenUitslag::Geslaagd,
            reden_geen: None,
            bron: Bron::Duo,
            conflict_met_duo: false,
            ..vol.clone()
        };
        for item in [&vol, &minimaal] {
            round_trip(
                item,
                ExamenresultaatRow::from_domain,
                ExamenresultaatRow::into_domain,
            );
        }
        let row = ExamenresultaatRow::from_domain(person(), 0, &vol);
        assert_eq!(row.onderdeel, "STAATSEXAMEN_NT2_II");
        assert_eq!(row.reden_geen.as_deref(), Some("NIET_VERWIJTBAAR"));
    }

    #[test]
    fn voortgangsgesprekken_round_trip_full_and_minimal() {
        let vol = Voortgangsgesprek {
            id: Uuid::now_v7(),
            datum: d(2026, 9, 1),
            deelnemers: vec![Deelnemer::Klantmanager, Deelnemer::Tolk],
            uitkomst: "Loopt op schema.".into(),
            afspraken: Some("Extra lesuren.".into()),
            datum_volgend_gepland: Some(d(2026, 12, 1)),
            geregistreerd_op: ts(1),
        };
        let minimaal = Voortgangsgesprek {
            deelnemers: vec![Deelnemer::Inburgeraar],
            afspraken: None,
            datum_volgend_gepland: None,
            ..vol.clone()
        };
        for item in [&vol, &minimaal] {
            round_trip(
                item,
                VoortgangsgesprekRow::from_domain,
                VoortgangsgesprekRow::into_domain,
            );
        }
        assert_eq!(
            VoortgangsgesprekRow::from_domain(person(), 0, &vol).deelnemers,
            r#"["KLANTMANAGER","TOLK"]"#
        );
    }

    #[test]
    fn participatieladder_round_trip_full_and_minimal() {
        let vol = Meting {
            id: Uuid::now_v7(),
            datum: d(2026, 6, 1),
            trede: Trede::new(6).unwrap(),
            toelichting: Some("Betaald werk.".into()),
            geregistreerd_op: ts(999_999),
        };
        let minimaal = Meting {
            trede: Trede::new(1).unwrap(),
            toelichting: None,
            ..vol.clone()
        };
        for item in [&vol, &minimaal] {
            round_trip(item, MetingRow::from_domain, MetingRow::into_domain);
        }
        assert_eq!(MetingRow::from_domain(person(), 0, &vol).trede, 6);
    }

    /// A stored value that does not convert is an error naming table and column, not a panic.
    #[test]
    fn corrupt_values_are_errors_naming_table_and_column() {
        let message = |e: StoreError| e.to_string() + &format!("{e:?}");
        let uren = GevolgdeUren {
            id: Uuid::now_v7(),
            organisatie_id: None,
            maand: d(2026, 11, 1),
            lesuren: 1,
            lesuren_brede_intake: 0,
            participatie_uren: 0,
            verzuim_uren: 0,
            geregistreerd_op: ts(0),
        };
        let mut row = GevolgdeUrenRow::from_domain(person(), 0, &uren);
        row.lesuren = -1;
        assert!(message(row.clone().into_domain().unwrap_err()).contains("gevolgde_uren.lesuren"));
        row.lesuren = i64::from(u32::MAX) + 1;
        assert!(message(row.clone().into_domain().unwrap_err()).contains("gevolgde_uren.lesuren"));
        row.lesuren = 1;
        row.organisatie_id = Some("geen-uuid".into());
        assert!(message(row.into_domain().unwrap_err()).contains("gevolgde_uren.organisatie_id"));

        let besluit = Besluit {
            id: "b".into(),
            code: "MED".into(),
            omvang: Omvang::Geheel,
            examenonderdelen: vec![],
            datum_besluit: d(2026, 1, 1),
            datum_einde: None,
        };
        let goed = BesluitRow::from_domain(person(), 0, BesluitSoort::Ontheffing, &besluit);
        for (column, row) in [
            (
                "besluiten.soort",
                BesluitRow {
                    soort: "besluit".into(),
                    ..goed.clone()
                },
            ),
            (
                "besluiten.omvang",
                BesluitRow {
                    omvang: "geheel".into(),
                    ..goed.clone()
                },
            ),
            (
                "besluiten.examenonderdelen",
                BesluitRow {
                    examenonderdelen: r#"["LEZEN","DANSEN"]"#.into(),
                    ..goed.clone()
                },
            ),
            (
                "besluiten.examenonderdelen",
                BesluitRow {
                    examenonderdelen: "LEZEN".into(),
                    ..goed.clone()
                },
            ),
        ] {
            assert!(message(row.into_domain().unwrap_err()).contains(column));
        }

        let wijziging = Statuswijziging {
            gebeurtenis: Gebeurtenis::Hervat,
            van: InburgeraarStatus::TijdelijkVrijgesteld,
            naar: InburgeraarStatus::InTraject,
            datum: d(2026, 1, 1),
            reden: None,
        };
        let row = StatuswijzigingRow {
            naar: "klaar".into(),
            ..StatuswijzigingRow::from_domain(person(), 0, &wijziging)
        };
        assert!(message(row.into_domain().unwrap_err()).contains("statuswijzigingen.naar"));

        let meting = Meting {
            id: Uuid::now_v7(),
            datum: d(2026, 6, 1),
            trede: Trede::new(2).unwrap(),
            toelichting: None,
            geregistreerd_op: ts(0),
        };
        for trede in [0, 7, 300, -1] {
            let row = MetingRow {
                trede,
                ..MetingRow::from_domain(person(), 0, &meting)
            };
            assert!(message(row.into_domain().unwrap_err())
                .contains("participatieladder_metingen.trede"));
        }
    }

    /// The tables as migrated on SQLite hold and give back every row type through the connection the
    /// store uses: `schema.rs` mirrors migration 8 (column names, order and types).
    #[test]
    fn every_row_is_stored_and_loaded_on_sqlite() {
        use crate::connection::AnyConnection;
        use diesel::sqlite::SqliteConnection;
        use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
        const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");

        let mut sqlite = SqliteConnection::establish(":memory:").unwrap();
        sqlite.run_pending_migrations(MIGRATIONS).unwrap();
        let mut conn = AnyConnection::Sqlite(sqlite);
        let id = person();
        diesel::sql_query(format!(
            "INSERT INTO inburgeraars (id, naam, gemeente, doelgroep, regime, status, versie, \
             aangemaakt_op, gewijzigd_op) VALUES ('{id}', 'X', '0405', 'Overig', 'Wi2021', \
             'aangemeld', 1, '2026-12-05 10:00:00', '2026-12-05 10:00:00')"
        ))
        .execute(&mut conn)
        .unwrap();
        let verlenging = VerlengingRow::from_domain(
            id,
            0,
            &Verlenging {
                id: "v".into(),
                maanden: 6,
                grond: "Ziekte".into(),
                datum_besluit: d(2026, 3, 1),
            },
        );
        let besluit = BesluitRow::from_domain(
            id,
            0,
            BesluitSoort::Vrijstelling,
            &Besluit {
                id: "b".into(),
                code: "GED".into(),
                omvang: Omvang::Gedeeltelijk,
                examenonderdelen: vec![Examenonderdeel::Spreken],
                datum_besluit: d(2026, 2, 1),
                datum_einde: Some(d(2027, 2, 1)),
            },
        );
        let wijziging = StatuswijzigingRow::from_domain(
            id,
            0,
            &Statuswijziging {
                gebeurtenis: Gebeurtenis::BredeIntakeGestart,
                van: InburgeraarStatus::Aangemeld,
                naar: InburgeraarStatus::BredeIntake,
                datum: d(2026, 1, 2),
                reden: Some("r".into()),
            },
        );
        let inschrijving = InschrijvingRow::from_domain(
            id,
            0,
            &Inschrijving {
                id: Uuid::now_v7(),
                organisatie_id: org(),
                soort: InschrijvingSoort::Cursus,
                omschrijving: "o".into(),
                datum_start: d(2026, 1, 5),
                datum_einde: Some(d(2026, 6, 5)),
                uren_per_week: 8,
                geregistreerd_op: ts(123_456),
            },
        );
        let uren = GevolgdeUrenRow::from_domain(
            id,
            0,
            &GevolgdeUren {
                id: Uuid::now_v7(),
                organisatie_id: None,
                maand: d(2026, 5, 1),
                lesuren: 1,
                lesuren_brede_intake: 2,
                participatie_uren: 3,
                verzuim_uren: 4,
                geregistreerd_op: ts(0),
            },
        );
        let resultaat = ExamenresultaatRow::from_domain(
            id,
            0,
            &Examenresultaat {
                id: Uuid::now_v7(),
                organisatie_id: org(),
                onderdeel: ExamenOnderdeel::Lezen,
                niveau: ExamenNiveau::B1,
                uitslag: ExamenUitslag::Gezakt,
                reden_geen: None,
                datum_examen: d(2026, 4, 1),
                bron: Bron::Aanbieder,
                conflict_met_duo: true,
                geregistreerd_op: ts(10),
            },
        );
        let gesprek = VoortgangsgesprekRow::from_domain(
            id,
            0,
            &Voortgangsgesprek {
                id: Uuid::now_v7(),
                datum: d(2026, 9, 1),
                deelnemers: vec![Deelnemer::Overig],
                uitkomst: "u".into(),
                afspraken: None,
                datum_volgend_gepland: Some(d(2026, 12, 1)),
                geregistreerd_op: ts(20),
            },
        );
        let meting = MetingRow::from_domain(
            id,
            0,
            &Meting {
                id: Uuid::now_v7(),
                datum: d(2026, 6, 1),
                trede: Trede::new(4).unwrap(),
                toelichting: Some("t".into()),
                geregistreerd_op: ts(30),
            },
        );

        macro_rules! stored_and_loaded {
            ($table:ident, $row:ident, $value:expr) => {{
                diesel::insert_into($table::table)
                    .values(&$value)
                    .execute(&mut conn)
                    .unwrap();
                let loaded: Vec<$row> = $table::table
                    .select($row::as_select())
                    .load(&mut conn)
                    .unwrap();
                assert_eq!(loaded, std::slice::from_ref(&$value));
                // The changeset of a row writes every column but its key.
                diesel::update($table::table)
                    .set(&$value)
                    .execute(&mut conn)
                    .unwrap();
            }};
        }
        stored_and_loaded!(verlengingen, VerlengingRow, verlenging);
        stored_and_loaded!(besluiten, BesluitRow, besluit);
        stored_and_loaded!(statuswijzigingen, StatuswijzigingRow, wijziging);
        stored_and_loaded!(inschrijvingen, InschrijvingRow, inschrijving);
        stored_and_loaded!(gevolgde_uren, GevolgdeUrenRow, uren);
        stored_and_loaded!(examenresultaten, ExamenresultaatRow, resultaat);
        stored_and_loaded!(voortgangsgesprekken, VoortgangsgesprekRow, gesprek);
        stored_and_loaded!(participatieladder_metingen, MetingRow, meting);
    }
}
