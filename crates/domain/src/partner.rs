//! Partners and the explicit basis for sharing with them: organisaties (taalaanbieders and
//! maatschappelijke partners) and toestemmingen after ISO/IEC TS 27560 (header, processing, parties,
//! events). A partner sees a person only while an active toestemming names its organisatie and covers
//! the category and purpose of the call.

use crate::error::{FieldError, FieldErrors};
use crate::inburgeraar::InburgeraarId;
use crate::input::{self, Input};
use crate::records::Verwerkingsactiviteit;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

text_enum! {
    /// The kind of partner.
    OrganisatieSoort {
        Taalaanbieder => "TAALAANBIEDER",
        MaatschappelijkePartner => "MAATSCHAPPELIJKE_PARTNER",
    }
}

impl OrganisatieSoort {
    /// The purposes an organisation of this kind processes for; a toestemming counts for it only for
    /// these purposes.
    pub fn doelen(self) -> &'static [Doel] {
        match self {
            OrganisatieSoort::Taalaanbieder => &[Doel::Taalonderwijs, Doel::Voortgangsbewaking],
            OrganisatieSoort::MaatschappelijkePartner => &[Doel::Begeleiding, Doel::Participatie],
        }
    }
}

/// A registered partner organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Organisatie {
    pub id: Uuid,
    pub naam: String,
    pub soort: OrganisatieSoort,
    pub kvk_nummer: Option<String>,
    pub oin: Option<String>,
    /// Blik op Werk keurmerk (taalaanbieders).
    pub keurmerk_nummer: Option<String>,
    pub keurmerk_geldig_tot: Option<NaiveDate>,
    pub actief: bool,
    pub aangemaakt_op: NaiveDateTime,
    pub gewijzigd_op: NaiveDateTime,
}

/// What a client gives to register an organisatie.
#[derive(Debug, Clone, Default)]
pub struct OrganisatieGegevens {
    pub naam: Input<String>,
    pub soort: Input<OrganisatieSoort>,
    pub kvk_nummer: Input<String>,
    pub oin: Input<String>,
    pub keurmerk_nummer: Input<String>,
    pub keurmerk_geldig_tot: Input<NaiveDate>,
    pub actief: Input<bool>,
}

fn digits(len: usize, what: &'static str) -> impl Fn(&str, String) -> Result<String, FieldError> {
    move |field, value| {
        if value.len() == len && value.bytes().all(|b| b.is_ascii_digit()) {
            Ok(value)
        } else {
            Err(FieldError::new(
                field,
                "format",
                format!("Een {what} bestaat uit {len} cijfers."),
            ))
        }
    }
}

impl Organisatie {
    /// Registers a partner. A taalaanbieder needs its Blik op Werk keurmerk.
    ///
    /// # Errors
    /// Every invalid field.
    pub fn registreer(
        input: OrganisatieGegevens,
        now: NaiveDateTime,
    ) -> Result<Organisatie, FieldErrors> {
        let mut errors = FieldErrors::new();
        let naam = input::required(&mut errors, "naam", input.naam, |f, v| {
            input::parse_text(f, &v, 1, 200)
        });
        let soort = input::required(&mut errors, "soort", input.soort, |_, v| Ok(v));
        let kvk = input::optional(
            &mut errors,
            "kvkNummer",
            input.kvk_nummer,
            digits(8, "KvK-nummer"),
        );
        let oin = input::optional(&mut errors, "oin", input.oin, digits(20, "OIN"));
        let keurmerk = input::optional(
            &mut errors,
            "keurmerkNummer",
            input.keurmerk_nummer,
            |f, v| input::parse_text(f, &v, 1, 50),
        );
        let geldig = input::optional(
            &mut errors,
            "keurmerkGeldigTot",
            input.keurmerk_geldig_tot,
            |_, v| Ok(v),
        );
        let actief = input::optional(&mut errors, "actief", input.actief, |_, v| Ok(v));
        if soort == Some(OrganisatieSoort::Taalaanbieder) {
            if matches!(keurmerk, Some(None)) {
                errors.add(
                    "keurmerkNummer",
                    "required",
                    "Een taalaanbieder heeft een Blik op Werk keurmerk.",
                );
            }
            if matches!(geldig, Some(None)) {
                errors.add(
                    "keurmerkGeldigTot",
                    "required",
                    "Geef de geldigheid van het keurmerk.",
                );
            }
        }
        errors.finish()?;
        match (naam, soort, kvk, oin, keurmerk, geldig, actief) {
            (
                Some(naam),
                Some(soort),
                Some(kvk),
                Some(oin),
                Some(keurmerk),
                Some(geldig),
                Some(actief),
            ) => Ok(Organisatie {
                id: Uuid::now_v7(),
                naam,
                soort,
                kvk_nummer: kvk,
                oin,
                keurmerk_nummer: keurmerk,
                keurmerk_geldig_tot: geldig,
                actief: actief.unwrap_or(true),
                aangemaakt_op: now,
                gewijzigd_op: now,
            }),
            _ => Err(FieldErrors::new()),
        }
    }
}

text_enum! {
    /// The AVG basis of a sharing: article 6 (1) a, c, e, b; and article 9 (2) a for health data.
    Grondslag {
        Toestemming => "TOESTEMMING",
        WettelijkeVerplichting => "WETTELIJKE_VERPLICHTING",
        PubliekeTaak => "PUBLIEKE_TAAK",
        Overeenkomst => "OVEREENKOMST",
        UitdrukkelijkeToestemming => "UITDRUKKELIJKE_TOESTEMMING_ART9",
    }
}

text_enum! {
    /// The categories of data a toestemming covers.
    Gegevenscategorie {
        Persoonsgegevens => "PERSOONSGEGEVENS",
        Traject => "TRAJECT",
        Voortgang => "VOORTGANG",
        Examenresultaten => "EXAMENRESULTATEN",
        Gezondheid => "GEZONDHEID",
    }
}

text_enum! {
    /// The purposes a toestemming covers.
    Doel {
        Taalonderwijs => "TAALONDERWIJS",
        Begeleiding => "MAATSCHAPPELIJKE_BEGELEIDING",
        Participatie => "PARTICIPATIE",
        Voortgangsbewaking => "VOORTGANGSBEWAKING",
    }
}

text_enum! {
    /// The events of a toestemming (append-only).
    ToestemmingGebeurtenis {
        Gegeven => "GEGEVEN",
        Ingetrokken => "INGETROKKEN",
        Verlopen => "VERLOPEN",
        Geweigerd => "GEWEIGERD",
    }
}

text_enum! {
    /// How consent was recorded.
    Kanaal {
        Schriftelijk => "SCHRIFTELIJK",
        Digitaal => "DIGITAAL",
        Mondeling => "MONDELING",
    }
}

/// One event in the history of a toestemming.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToestemmingEvent {
    pub soort: ToestemmingGebeurtenis,
    pub tijdstip: NaiveDateTime,
    pub door: String,
    pub toelichting: Option<String>,
}

/// The evidence of a toestemming.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bewijs {
    pub kanaal: Kanaal,
    pub vastgelegd_door: String,
    pub documentverwijzing: Option<String>,
    pub document_hash: Option<String>,
    pub taal_kennisgeving: String,
}

/// The record that lets one organisatie receive or supply data about one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Toestemming {
    pub id: Uuid,
    pub inburgeraar_id: InburgeraarId,
    pub organisatie_id: Uuid,
    pub grondslag: Grondslag,
    pub doelen: Vec<Doel>,
    pub gegevenscategorieen: Vec<Gegevenscategorie>,
    pub geldig_van: NaiveDate,
    pub geldig_tot: Option<NaiveDate>,
    pub bewijs: Bewijs,
    pub gebeurtenissen: Vec<ToestemmingEvent>,
}

/// Whether a toestemming is in force on `today`: given and neither withdrawn nor refused since
/// (`van_kracht`), and `today` within its validity, both bounds inclusive.
fn in_kracht_op(
    van_kracht: bool,
    geldig_van: NaiveDate,
    geldig_tot: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    van_kracht && geldig_van <= today && geldig_tot.is_none_or(|tot| today <= tot)
}

/// Whether `grondslag` is a basis for data of `categorie`: health data needs explicit consent
/// (AVG art. 9 (2) a), every other category any recorded basis.
fn grondslag_volstaat(categorie: Gegevenscategorie, grondslag: Grondslag) -> bool {
    categorie != Gegevenscategorie::Gezondheid || grondslag == Grondslag::UitdrukkelijkeToestemming
}

impl Toestemming {
    /// Whether its last event is `GEGEVEN`: given, and neither withdrawn nor refused since.
    pub fn van_kracht(&self) -> bool {
        self.gebeurtenissen.last().map(|e| e.soort) == Some(ToestemmingGebeurtenis::Gegeven)
    }

    /// Whether the toestemming is in force on `today`: given, not withdrawn or refused, within its validity.
    pub fn actief_op(&self, today: NaiveDate) -> bool {
        in_kracht_op(self.van_kracht(), self.geldig_van, self.geldig_tot, today)
    }

    /// Whether it covers a call for `categorie` with `doel` on `today`. Health data also needs an
    /// article 9 basis.
    pub fn dekt(&self, categorie: Gegevenscategorie, doel: Option<Doel>, today: NaiveDate) -> bool {
        self.actief_op(today)
            && self.gegevenscategorieen.contains(&categorie)
            && doel.is_none_or(|d| self.doelen.contains(&d))
            && grondslag_volstaat(categorie, self.grondslag)
    }

    /// What the sharing rule ([`dekkende_toestemming`]) reads of this toestemming.
    pub fn kern(&self) -> ToestemmingKern {
        ToestemmingKern {
            id: self.id,
            grondslag: self.grondslag,
            van_kracht: self.van_kracht(),
            geldig_van: self.geldig_van,
            geldig_tot: self.geldig_tot,
            doelen: self.doelen.clone(),
            gegevenscategorieen: self.gegevenscategorieen.clone(),
        }
    }

    /// The status shown to clients: the last event, or `VERLOPEN` once past `geldigTot`.
    pub fn status_op(&self, today: NaiveDate) -> ToestemmingGebeurtenis {
        match self.gebeurtenissen.last().map(|e| e.soort) {
            Some(ToestemmingGebeurtenis::Gegeven)
                if self.geldig_tot.is_some_and(|tot| today > tot) =>
            {
                ToestemmingGebeurtenis::Verlopen
            }
            Some(soort) => soort,
            None => ToestemmingGebeurtenis::Geweigerd,
        }
    }

    /// Withdraws the toestemming: an event is added, history is never rewritten.
    ///
    /// # Errors
    /// A reason when it is not in force (already withdrawn or refused).
    pub fn trek_in(
        &mut self,
        door: &str,
        toelichting: Option<String>,
        now: NaiveDateTime,
    ) -> Result<(), &'static str> {
        match self.gebeurtenissen.last().map(|e| e.soort) {
            Some(ToestemmingGebeurtenis::Gegeven) => {
                self.gebeurtenissen.push(ToestemmingEvent {
                    soort: ToestemmingGebeurtenis::Ingetrokken,
                    tijdstip: now,
                    door: door.to_owned(),
                    toelichting,
                });
                Ok(())
            }
            _ => Err("Deze toestemming is niet (meer) van kracht."),
        }
    }
}

/// What the sharing rule reads of a partner organisation: its kind (which fixes the purposes it
/// processes for) and whether it is active.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrganisatieKern {
    pub soort: OrganisatieSoort,
    pub actief: bool,
}

impl From<&Organisatie> for OrganisatieKern {
    fn from(o: &Organisatie) -> Self {
        OrganisatieKern {
            soort: o.soort,
            actief: o.actief,
        }
    }
}

/// What the sharing rule reads of a toestemming: no evidence, no history beyond whether it is still
/// in force. Storage can fill it from its indexed columns without reading the full record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToestemmingKern {
    pub id: Uuid,
    pub grondslag: Grondslag,
    /// Its last event is `GEGEVEN` (see [`Toestemming::van_kracht`]).
    pub van_kracht: bool,
    pub geldig_van: NaiveDate,
    pub geldig_tot: Option<NaiveDate>,
    pub doelen: Vec<Doel>,
    pub gegevenscategorieen: Vec<Gegevenscategorie>,
}

impl ToestemmingKern {
    /// Whether it covers a call of an organisation of `soort` for `categorie` on `today`: in force
    /// (given, not withdrawn or refused, `today` within `geldig_van..=geldig_tot`), naming the
    /// category, naming at least one purpose the organisation processes for
    /// ([`OrganisatieSoort::doelen`]), and for health data resting on explicit consent (art. 9).
    pub fn dekt_voor(
        &self,
        categorie: Gegevenscategorie,
        soort: OrganisatieSoort,
        today: NaiveDate,
    ) -> bool {
        in_kracht_op(self.van_kracht, self.geldig_van, self.geldig_tot, today)
            && self.gegevenscategorieen.contains(&categorie)
            && self.doelen.iter().any(|d| soort.doelen().contains(d))
            && grondslag_volstaat(categorie, self.grondslag)
    }
}

/// The toestemming a partner's call in `activiteit` relies on, of the toestemmingen `organisatie`
/// holds for one person; `None` when the partner may not process the person in this activity.
///
/// An activity without a data category ([`Verwerkingsactiviteit::categorie`]) is the gemeente's
/// alone: no toestemming covers it. Otherwise see [`dekkende_toestemming_voor`].
pub fn dekkende_toestemming(
    activiteit: Verwerkingsactiviteit,
    organisatie: OrganisatieKern,
    toestemmingen: &[ToestemmingKern],
    today: NaiveDate,
) -> Option<Uuid> {
    dekkende_toestemming_voor(activiteit.categorie()?, organisatie, toestemmingen, today)
}

/// The toestemming a partner's call for data of `categorie` relies on, of the toestemmingen
/// `organisatie` holds for one person; `None` when there is none.
///
/// An inactive organisation relies on nothing. Otherwise a toestemming counts when it covers the call
/// ([`ToestemmingKern::dekt_voor`]). When several count, the one with the greatest id is chosen: ids
/// are UUIDv7, so that is the most recently recorded, and it is what the storage's query chose before
/// this rule moved here (the last of the covering toestemmingen in id order).
pub fn dekkende_toestemming_voor(
    categorie: Gegevenscategorie,
    organisatie: OrganisatieKern,
    toestemmingen: &[ToestemmingKern],
    today: NaiveDate,
) -> Option<Uuid> {
    if !organisatie.actief {
        return None;
    }
    toestemmingen
        .iter()
        .filter(|t| t.dekt_voor(categorie, organisatie.soort, today))
        .map(|t| t.id)
        .max()
}

/// What a client gives to record a toestemming.
#[derive(Debug, Clone, Default)]
pub struct ToestemmingGegevens {
    pub inburgeraar_id: Input<Uuid>,
    pub organisatie_id: Input<Uuid>,
    pub grondslag: Input<Grondslag>,
    pub doelen: Input<Vec<Doel>>,
    pub gegevenscategorieen: Input<Vec<Gegevenscategorie>>,
    pub geldig_van: Input<NaiveDate>,
    pub geldig_tot: Input<NaiveDate>,
    pub geweigerd: Input<bool>,
    pub kanaal: Input<Kanaal>,
    pub documentverwijzing: Input<String>,
    pub document_hash: Input<String>,
    pub taal_kennisgeving: Input<String>,
    pub toelichting: Input<String>,
}

/// A non-empty list of distinct values.
fn lijst<T: PartialEq + Copy>(
    errors: &mut FieldErrors,
    name: &'static str,
    input: Input<Vec<T>>,
) -> Option<Vec<T>> {
    let items = match input {
        Input::Value(items) if !items.is_empty() => items,
        Input::Invalid => return None,
        _ => {
            errors.add(name, "required", "Noem er minstens een.");
            return None;
        }
    };
    let mut out = Vec::new();
    for (index, item) in items.into_iter().enumerate() {
        if out.contains(&item) {
            errors.add(
                format!("{name}[{index}]"),
                "dubbel",
                "Elke waarde hoogstens een keer.",
            );
        } else {
            out.push(item);
        }
    }
    Some(out)
}

impl Toestemming {
    /// Records a toestemming (or its refusal) given by `door`.
    ///
    /// # Errors
    /// Every invalid field; health data without an article 9 basis.
    pub fn vastleggen(
        input: ToestemmingGegevens,
        door: &str,
        now: NaiveDateTime,
    ) -> Result<Toestemming, FieldErrors> {
        let mut errors = FieldErrors::new();
        let inburgeraar = input::required(
            &mut errors,
            "inburgeraarId",
            input.inburgeraar_id,
            |_, v| Ok(v),
        );
        let organisatie = input::required(
            &mut errors,
            "organisatieId",
            input.organisatie_id,
            |_, v| Ok(v),
        );
        let grondslag = input::required(&mut errors, "grondslag", input.grondslag, |_, v| Ok(v));
        let doelen = lijst(&mut errors, "doelen", input.doelen);
        let categorieen = lijst(
            &mut errors,
            "gegevenscategorieen",
            input.gegevenscategorieen,
        );
        let van = input::required(&mut errors, "geldigVan", input.geldig_van, |_, v| Ok(v));
        let tot = input::optional(&mut errors, "geldigTot", input.geldig_tot, |_, v| Ok(v));
        let geweigerd = input::optional(&mut errors, "geweigerd", input.geweigerd, |_, v| Ok(v));
        let kanaal = input::required(&mut errors, "bewijs.kanaal", input.kanaal, |_, v| Ok(v));
        let verwijzing = input::optional(
            &mut errors,
            "bewijs.documentverwijzing",
            input.documentverwijzing,
            |f, v| input::parse_text(f, &v, 1, 500),
        );
        let hash = input::optional(
            &mut errors,
            "bewijs.documentHash",
            input.document_hash,
            |f, v| {
                if v.len() == 64
                    && v.bytes()
                        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
                {
                    Ok(v)
                } else {
                    Err(FieldError::new(
                        f,
                        "format",
                        "SHA-256 van het document: 64 kleine hexadecimale tekens.",
                    ))
                }
            },
        );
        let taal = input::required(
            &mut errors,
            "bewijs.taalKennisgeving",
            input.taal_kennisgeving,
            |f, v| {
                if v.len() == 2 && v.bytes().all(|b| b.is_ascii_lowercase()) {
                    Ok(v)
                } else {
                    Err(FieldError::new(
                        f,
                        "format",
                        "Taalcode volgens ISO 639-1, bijvoorbeeld nl, ar of ti.",
                    ))
                }
            },
        );
        let toelichting = input::optional(&mut errors, "toelichting", input.toelichting, |f, v| {
            input::parse_text(f, &v, 1, 1000)
        });
        if let (Some(van), Some(Some(tot))) = (van, tot) {
            if tot < van {
                errors.add(
                    "geldigTot",
                    "voorGeldigVan",
                    "geldigTot ligt voor geldigVan.",
                );
            }
        }
        if let (Some(grondslag), Some(categorieen)) = (grondslag, &categorieen) {
            if categorieen.contains(&Gegevenscategorie::Gezondheid)
                && grondslag != Grondslag::UitdrukkelijkeToestemming
            {
                errors.add(
                    "grondslag",
                    "art9Vereist",
                    "Gezondheidsgegevens vragen uitdrukkelijke toestemming (AVG art. 9 lid 2 onder a).",
                );
            }
        }
        errors.finish()?;
        let (
            Some(inburgeraar),
            Some(organisatie),
            Some(grondslag),
            Some(doelen),
            Some(categorieen),
            Some(van),
            Some(tot),
            Some(geweigerd),
            Some(kanaal),
            Some(verwijzing),
            Some(hash),
            Some(taal),
            Some(toelichting),
        ) = (
            inburgeraar,
            organisatie,
            grondslag,
            doelen,
            categorieen,
            van,
            tot,
            geweigerd,
            kanaal,
            verwijzing,
            hash,
            taal,
            toelichting,
        )
        else {
            return Err(FieldErrors::new());
        };
        Ok(Toestemming {
            id: Uuid::now_v7(),
            inburgeraar_id: InburgeraarId(inburgeraar),
            organisatie_id: organisatie,
            grondslag,
            doelen,
            gegevenscategorieen: categorieen,
            geldig_van: van,
            geldig_tot: tot,
            bewijs: Bewijs {
                kanaal,
                vastgelegd_door: door.to_owned(),
                documentverwijzing: verwijzing,
                document_hash: hash,
                taal_kennisgeving: taal,
            },
            gebeurtenissen: vec![ToestemmingEvent {
                soort: if geweigerd == Some(true) {
                    ToestemmingGebeurtenis::Geweigerd
                } else {
                    ToestemmingGebeurtenis::Gegeven
                },
                tijdstip: now,
                door: door.to_owned(),
                toelichting,
            }],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn now() -> NaiveDateTime {
        d(2026, 11, 23).and_hms_opt(9, 0, 0).unwrap()
    }

    fn toestemming(grondslag: Grondslag, categorieen: Vec<Gegevenscategorie>) -> Toestemming {
        Toestemming {
            id: Uuid::nil(),
            inburgeraar_id: InburgeraarId(Uuid::nil()),
            organisatie_id: Uuid::nil(),
            grondslag,
            doelen: vec![Doel::Taalonderwijs],
            gegevenscategorieen: categorieen,
            geldig_van: d(2026, 1, 1),
            geldig_tot: Some(d(2026, 12, 31)),
            bewijs: Bewijs {
                kanaal: Kanaal::Schriftelijk,
                vastgelegd_door: "klantmanager-1".into(),
                documentverwijzing: None,
                document_hash: None,
                taal_kennisgeving: "ar".into(),
            },
            gebeurtenissen: vec![ToestemmingEvent {
                soort: ToestemmingGebeurtenis::Gegeven,
                tijdstip: now(),
                door: "klantmanager-1".into(),
                toelichting: None,
            }],
        }
    }

    #[test]
    fn in_force_only_within_its_validity_and_until_withdrawn() {
        let mut t = toestemming(Grondslag::Toestemming, vec![Gegevenscategorie::Voortgang]);
        assert!(!t.actief_op(d(2025, 12, 31)));
        assert!(t.actief_op(d(2026, 6, 1)));
        assert!(!t.actief_op(d(2027, 1, 1)));
        assert_eq!(t.status_op(d(2027, 1, 1)), ToestemmingGebeurtenis::Verlopen);
        t.trek_in("inburgeraar", Some("Wil niet meer delen".into()), now())
            .unwrap();
        assert!(!t.actief_op(d(2026, 6, 1)));
        assert_eq!(
            t.gebeurtenissen.len(),
            2,
            "withdrawal appends, never rewrites"
        );
        assert!(t.trek_in("x", None, now()).is_err());
    }

    #[test]
    fn covers_only_its_categories_purposes_and_health_with_article_9() {
        let t = toestemming(
            Grondslag::Toestemming,
            vec![Gegevenscategorie::Voortgang, Gegevenscategorie::Gezondheid],
        );
        let today = d(2026, 6, 1);
        assert!(t.dekt(
            Gegevenscategorie::Voortgang,
            Some(Doel::Taalonderwijs),
            today
        ));
        assert!(!t.dekt(Gegevenscategorie::Voortgang, Some(Doel::Begeleiding), today));
        assert!(!t.dekt(Gegevenscategorie::Examenresultaten, None, today));
        assert!(
            !t.dekt(Gegevenscategorie::Gezondheid, None, today),
            "health needs article 9"
        );
        let art9 = toestemming(
            Grondslag::UitdrukkelijkeToestemming,
            vec![Gegevenscategorie::Gezondheid],
        );
        assert!(art9.dekt(Gegevenscategorie::Gezondheid, None, today));
    }

    const TAALAANBIEDER: OrganisatieKern = OrganisatieKern {
        soort: OrganisatieSoort::Taalaanbieder,
        actief: true,
    };
    const PARTNER: OrganisatieKern = OrganisatieKern {
        soort: OrganisatieSoort::MaatschappelijkePartner,
        actief: true,
    };

    /// In force from 1 January to 31 December 2026, for progress, for language education.
    fn kern(id: u128) -> ToestemmingKern {
        ToestemmingKern {
            id: Uuid::from_u128(id),
            grondslag: Grondslag::Toestemming,
            van_kracht: true,
            geldig_van: d(2026, 1, 1),
            geldig_tot: Some(d(2026, 12, 31)),
            doelen: vec![Doel::Taalonderwijs],
            gegevenscategorieen: vec![Gegevenscategorie::Voortgang],
        }
    }

    fn push(t: &ToestemmingKern, today: NaiveDate) -> Option<u128> {
        dekkende_toestemming(
            Verwerkingsactiviteit::VoortgangAanleveren,
            TAALAANBIEDER,
            std::slice::from_ref(t),
            today,
        )
        .map(|id| id.as_u128())
    }

    #[test]
    fn a_partner_relies_on_a_toestemming_only_within_its_validity_both_bounds_inclusive() {
        let t = kern(7);
        assert_eq!(push(&t, d(2025, 12, 31)), None, "the day before geldigVan");
        assert_eq!(push(&t, d(2026, 1, 1)), Some(7), "geldigVan itself");
        assert_eq!(push(&t, d(2026, 6, 1)), Some(7));
        assert_eq!(push(&t, d(2026, 12, 31)), Some(7), "geldigTot itself");
        assert_eq!(push(&t, d(2027, 1, 1)), None, "the day after geldigTot");
        let open = ToestemmingKern {
            geldig_tot: None,
            ..kern(7)
        };
        assert_eq!(
            push(&open, d(2040, 1, 1)),
            Some(7),
            "no end: in force for good"
        );
    }

    #[test]
    fn a_withdrawn_or_refused_toestemming_covers_nothing() {
        let today = d(2026, 6, 1);
        let mut given = toestemming(Grondslag::Toestemming, vec![Gegevenscategorie::Voortgang]);
        assert!(given.kern().van_kracht);
        assert_eq!(push(&given.kern(), today), Some(0));
        given.trek_in("inburgeraar", None, now()).unwrap();
        assert!(!given.kern().van_kracht);
        assert_eq!(push(&given.kern(), today), None, "withdrawn");
        let mut refused = toestemming(Grondslag::Toestemming, vec![Gegevenscategorie::Voortgang]);
        refused.gebeurtenissen[0].soort = ToestemmingGebeurtenis::Geweigerd;
        assert_eq!(push(&refused.kern(), today), None, "refused");
    }

    #[test]
    fn a_toestemming_covers_only_the_category_of_the_activity() {
        let today = d(2026, 6, 1);
        let t = [kern(1)]; // VOORTGANG only
        let dekt = |a| dekkende_toestemming(a, TAALAANBIEDER, &t, today).is_some();
        assert!(dekt(Verwerkingsactiviteit::VoortgangAanleveren));
        assert!(!dekt(Verwerkingsactiviteit::ExamenresultaatAanleveren));
        assert!(!dekt(Verwerkingsactiviteit::InburgeraarRaadplegen));
        assert!(!dekt(Verwerkingsactiviteit::TrajectRaadplegen));
        let breed = [ToestemmingKern {
            gegevenscategorieen: vec![
                Gegevenscategorie::Persoonsgegevens,
                Gegevenscategorie::Examenresultaten,
            ],
            ..kern(1)
        }];
        let dekt = |a| dekkende_toestemming(a, TAALAANBIEDER, &breed, today).is_some();
        assert!(dekt(Verwerkingsactiviteit::InburgeraarsOpvragen));
        assert!(dekt(Verwerkingsactiviteit::InburgeraarZoeken));
        assert!(dekt(Verwerkingsactiviteit::ExamenresultaatAanleveren));
        assert!(!dekt(Verwerkingsactiviteit::VoortgangAanleveren));
    }

    #[test]
    fn the_purpose_must_be_one_the_kind_of_organisation_processes_for() {
        let today = d(2026, 6, 1);
        let voor = |doelen: Vec<Doel>, organisatie| {
            let t = [ToestemmingKern { doelen, ..kern(1) }];
            dekkende_toestemming(
                Verwerkingsactiviteit::VoortgangAanleveren,
                organisatie,
                &t,
                today,
            )
            .is_some()
        };
        assert!(voor(vec![Doel::Taalonderwijs], TAALAANBIEDER));
        assert!(voor(vec![Doel::Voortgangsbewaking], TAALAANBIEDER));
        assert!(!voor(vec![Doel::Taalonderwijs], PARTNER));
        assert!(!voor(vec![Doel::Begeleiding], TAALAANBIEDER));
        assert!(!voor(vec![Doel::Participatie], TAALAANBIEDER));
        assert!(voor(vec![Doel::Begeleiding], PARTNER));
        assert!(voor(vec![Doel::Participatie], PARTNER));
        // One fitting purpose is enough.
        assert!(voor(
            vec![Doel::Begeleiding, Doel::Voortgangsbewaking],
            TAALAANBIEDER
        ));
        assert!(voor(
            vec![Doel::Begeleiding, Doel::Voortgangsbewaking],
            PARTNER
        ));
    }

    #[test]
    fn health_data_needs_explicit_consent() {
        let today = d(2026, 6, 1);
        let gezondheid = |grondslag| {
            [ToestemmingKern {
                grondslag,
                gegevenscategorieen: vec![
                    Gegevenscategorie::Gezondheid,
                    Gegevenscategorie::Voortgang,
                ],
                ..kern(3)
            }]
        };
        for grondslag in Grondslag::ALL.iter().copied() {
            let t = gezondheid(grondslag);
            let health =
                dekkende_toestemming_voor(Gegevenscategorie::Gezondheid, TAALAANBIEDER, &t, today);
            assert_eq!(
                health.is_some(),
                grondslag == Grondslag::UitdrukkelijkeToestemming,
                "{grondslag:?}"
            );
            // Any basis will do for the other categories.
            assert_eq!(
                dekkende_toestemming_voor(Gegevenscategorie::Voortgang, TAALAANBIEDER, &t, today),
                Some(Uuid::from_u128(3)),
                "{grondslag:?}"
            );
        }
    }

    #[test]
    fn an_inactive_organisation_relies_on_nothing() {
        let today = d(2026, 6, 1);
        let t = [kern(1)];
        let inactief = OrganisatieKern {
            actief: false,
            ..TAALAANBIEDER
        };
        let a = Verwerkingsactiviteit::VoortgangAanleveren;
        assert!(dekkende_toestemming(a, TAALAANBIEDER, &t, today).is_some());
        assert_eq!(dekkende_toestemming(a, inactief, &t, today), None);
    }

    #[test]
    fn an_activity_without_a_category_is_never_covered() {
        let today = d(2026, 6, 1);
        let alles = [ToestemmingKern {
            grondslag: Grondslag::UitdrukkelijkeToestemming,
            geldig_tot: None,
            doelen: Doel::ALL.to_vec(),
            gegevenscategorieen: Gegevenscategorie::ALL.to_vec(),
            ..kern(1)
        }];
        for activiteit in Verwerkingsactiviteit::ALL {
            for organisatie in [TAALAANBIEDER, PARTNER] {
                assert_eq!(
                    dekkende_toestemming(activiteit, organisatie, &alles, today).is_some(),
                    activiteit.categorie().is_some(),
                    "{activiteit:?}"
                );
            }
        }
    }

    #[test]
    fn of_several_covering_toestemmingen_the_greatest_id_is_chosen() {
        let today = d(2026, 6, 1);
        let ingetrokken = ToestemmingKern {
            van_kracht: false,
            ..kern(9)
        };
        let andere_categorie = ToestemmingKern {
            gegevenscategorieen: vec![Gegevenscategorie::Traject],
            ..kern(8)
        };
        let a = Verwerkingsactiviteit::VoortgangAanleveren;
        let t = [kern(2), ingetrokken, kern(5), andere_categorie, kern(3)];
        assert_eq!(
            dekkende_toestemming(a, TAALAANBIEDER, &t, today),
            Some(Uuid::from_u128(5)),
            "5 is the greatest of the covering 2, 5 and 3; 9 is withdrawn, 8 is for another category"
        );
        let mut omgekeerd = t.clone();
        omgekeerd.reverse();
        assert_eq!(
            dekkende_toestemming(a, TAALAANBIEDER, &omgekeerd, today),
            Some(Uuid::from_u128(5)),
            "the order given does not matter"
        );
        assert_eq!(dekkende_toestemming(a, TAALAANBIEDER, &[], today), None);
    }

    #[test]
    fn a_taalaanbieder_needs_its_keurmerk() {
        let input = OrganisatieGegevens {
            naam: Input::Value("Taalschool West".parse().unwrap()),
            soort: Input::Value(OrganisatieSoort::Taalaanbieder),
            kvk_nummer: Input::Value("1234567".parse().unwrap()),
            ..OrganisatieGegevens::default()
        };
        let errors = Organisatie::registreer(input, now()).unwrap_err();
        let names: Vec<_> = errors.0.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["kvkNummer", "keurmerkNummer", "keurmerkGeldigTot"]);
        let partner = Organisatie::registreer(
            OrganisatieGegevens {
                naam: Input::Value("VluchtelingenWerk".parse().unwrap()),
                soort: Input::Value(OrganisatieSoort::MaatschappelijkePartner),
                ..OrganisatieGegevens::default()
            },
            now(),
        )
        .unwrap();
        assert!(partner.actief);
    }
}
