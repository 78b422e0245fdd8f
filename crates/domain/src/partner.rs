//! Partners and the explicit basis for sharing with them: organisaties (taalaanbieders and
//! maatschappelijke partners) and toestemmingen after ISO/IEC TS 27560 (header, processing, parties,
//! events). A partner sees a person only while an active toestemming names its organisatie and covers
//! the category and purpose of the call.

use crate::error::{FieldError, FieldErrors};
use crate::inburgeraar::InburgeraarId;
use crate::input::{self, Input};
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

impl Toestemming {
    /// Whether the toestemming is in force on `today`: given, not withdrawn or refused, within its validity.
    pub fn actief_op(&self, today: NaiveDate) -> bool {
        let laatste = self.gebeurtenissen.last().map(|e| e.soort);
        laatste == Some(ToestemmingGebeurtenis::Gegeven)
            && self.geldig_van <= today
            && self.geldig_tot.is_none_or(|tot| today <= tot)
    }

    /// Whether it covers a call for `categorie` with `doel` on `today`. Health data also needs an
    /// article 9 basis.
    pub fn dekt(&self, categorie: Gegevenscategorie, doel: Option<Doel>, today: NaiveDate) -> bool {
        self.actief_op(today)
            && self.gegevenscategorieen.contains(&categorie)
            && doel.is_none_or(|d| self.doelen.contains(&d))
            && (categorie != Gegevenscategorie::Gezondheid
                || self.grondslag == Grondslag::UitdrukkelijkeToestemming)
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
