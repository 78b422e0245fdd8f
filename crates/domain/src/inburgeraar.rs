//! The inburgeraar: the person under the duty, with the rules for registering and changing one.

use crate::bsn::Bsn;
use crate::error::{FieldError, FieldErrors};
use crate::gemeente::GemeenteCode;
use crate::input::{self, Change, Input};
use crate::principal::Principal;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Identifies an inburgeraar. Time-ordered (UUID v7), so keyset pages follow creation order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct InburgeraarId(pub Uuid);

impl InburgeraarId {
    pub fn new() -> Self {
        Self(Uuid::now_v7())
    }
}

impl Default for InburgeraarId {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Display for InburgeraarId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

text_enum! {
    /// DUO's `GedetailleerdeDoelgroep` (Inburgeringsplicht API), values verbatim.
    Doelgroep {
        Asielstatushouder => "Asielstatushouder",
        GeestelijkBedienaar => "Geestelijk bedienaar",
        Gezinshereniger => "Gezinshereniger",
        GezinsherenigerMetAsielstatushouder => "Gezinshereniger met Asielstatushouder",
        Gezinsvormer => "Gezinsvormer",
        GezinsvormerMetAsielstatushouder => "Gezinsvormer met Asielstatushouder",
        Overig => "Overig",
    }
}

impl Doelgroep {
    /// DUO's coarse `Doelgroepindeling`: family of asylum holders counts as asielstatushouder under Wi2021.
    pub fn is_asielstatushouder(self) -> bool {
        matches!(
            self,
            Doelgroep::Asielstatushouder
                | Doelgroep::GezinsherenigerMetAsielstatushouder
                | Doelgroep::GezinsvormerMetAsielstatushouder
        )
    }
}

text_enum! {
    /// The law that governs the duty: Wi2021 for duties that started on or after 1 January 2022.
    Regime {
        Wi2021 => "WI2021",
        Wi2013 => "WI2013",
    }
}

text_enum! {
    /// Where the person stands in the trajectory. Derived by the domain, never written by a client.
    InburgeraarStatus {
        Aangemeld => "aangemeld",
        BredeIntake => "bredeIntake",
        PipVastgesteld => "pipVastgesteld",
        InTraject => "inTraject",
        Voldaan => "voldaan",
        Ontheven => "ontheven",
        Vrijgesteld => "vrijgesteld",
        Beeindigd => "beeindigd",
        TijdelijkVrijgesteld => "tijdelijkVrijgesteld",
        TermijnOverschreden => "termijnOverschreden",
        Verlengd => "verlengd",
        Verhuisd => "verhuisd",
    }
}

/// A V-nummer: DUO and IND's ten-digit foreigner number (DUO's contract carries it as an integer;
/// Koers keeps the ten digits as text so that leading zeros survive).
///
/// # Errors
/// `format` when the input is not ten digits.
pub fn parse_v_nummer(field: &str, input: &str) -> Result<String, FieldError> {
    if input.len() == 10 && input.bytes().all(|b| b.is_ascii_digit()) {
        Ok(input.to_owned())
    } else {
        Err(FieldError::new(
            field,
            "format",
            "Een V-nummer bestaat uit precies tien cijfers.",
        ))
    }
}

/// Longest name Koers stores, generous for names in any script.
pub const MAX_NAAM_LENGTH: usize = 200;

/// A registered inburgeraar. Serialises with the API's field names (for the audit trail).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Inburgeraar {
    pub id: InburgeraarId,
    pub bsn: Option<Bsn>,
    pub v_nummer: Option<String>,
    pub naam: String,
    pub geboortedatum: Option<NaiveDate>,
    pub gemeente: GemeenteCode,
    pub doelgroep: Doelgroep,
    pub regime: Regime,
    pub datum_kennisgeving: Option<NaiveDate>,
    pub datum_vestiging: Option<NaiveDate>,
    pub status: InburgeraarStatus,
    /// Increases by one with every change; the ETag of the resource.
    pub versie: i64,
    pub aangemaakt_op: NaiveDateTime,
    pub gewijzigd_op: NaiveDateTime,
}

/// What a client gives to register or change an inburgeraar: each field absent, `null` or a value.
/// Identifiers and the gemeente are parsed here by their newtypes; the rest arrives typed.
#[derive(Debug, Clone, Default)]
pub struct InburgeraarGegevens {
    pub bsn: Input<String>,
    pub v_nummer: Input<String>,
    pub naam: Input<String>,
    pub geboortedatum: Input<NaiveDate>,
    pub gemeente: Input<String>,
    pub doelgroep: Input<Doelgroep>,
    pub regime: Input<Regime>,
    pub datum_kennisgeving: Input<NaiveDate>,
    pub datum_vestiging: Input<NaiveDate>,
}

/// A gemeente the caller may register or move people to.
fn parse_own_gemeente(
    principal: &Principal,
) -> impl Fn(&str, String) -> Result<GemeenteCode, FieldError> + '_ {
    move |field, text| {
        let code = GemeenteCode::parse(field, &text)?;
        if principal.acts_for(&code) {
            Ok(code)
        } else {
            Err(FieldError::new(
                field,
                "gemeenteNietToegestaan",
                "U treedt niet op voor deze gemeente; kies een gemeente uit de claim `gemeenten` van uw token.",
            ))
        }
    }
}

fn parse_naam(field: &str, text: String) -> Result<String, FieldError> {
    input::parse_text(field, &text, 1, MAX_NAAM_LENGTH)
}

fn past_date(today: NaiveDate) -> impl Fn(&str, NaiveDate) -> Result<NaiveDate, FieldError> {
    move |field, date| input::past_date(field, date, today)
}

/// Requires at least one person identifier.
fn check_identifier(errors: &mut FieldErrors, has_bsn: bool, has_v_nummer: bool) {
    if !has_bsn && !has_v_nummer {
        errors.add("bsn", "required", "Geef een BSN, een V-nummer of beide.");
    }
}

impl Inburgeraar {
    /// Registers a new inburgeraar from client input; every invalid field is reported.
    ///
    /// # Errors
    /// All field errors found in `input`.
    pub fn register(
        input: InburgeraarGegevens,
        principal: &Principal,
        now: NaiveDateTime,
    ) -> Result<Inburgeraar, FieldErrors> {
        let today = now.date();
        let mut errors = FieldErrors::new();
        let bsn_given = !matches!(input.bsn, Input::Absent | Input::Null);
        let v_given = !matches!(input.v_nummer, Input::Absent | Input::Null);
        let bsn = input::optional(&mut errors, "bsn", input.bsn, |f, v| Bsn::parse(f, &v));
        let v_nummer = input::optional(&mut errors, "vNummer", input.v_nummer, |f, v| {
            parse_v_nummer(f, &v)
        });
        check_identifier(&mut errors, bsn_given, v_given);
        let naam = input::required(&mut errors, "naam", input.naam, parse_naam);
        let geboortedatum = input::optional(
            &mut errors,
            "geboortedatum",
            input.geboortedatum,
            past_date(today),
        );
        let gemeente = input::required(
            &mut errors,
            "gemeente",
            input.gemeente,
            parse_own_gemeente(principal),
        );
        let doelgroep = input::required(&mut errors, "doelgroep", input.doelgroep, |_, v| Ok(v));
        let regime = input::optional(&mut errors, "regime", input.regime, |_, v| Ok(v));
        let datum_kennisgeving = input::optional(
            &mut errors,
            "datumKennisgeving",
            input.datum_kennisgeving,
            past_date(today),
        );
        let datum_vestiging = input::optional(
            &mut errors,
            "datumVestiging",
            input.datum_vestiging,
            past_date(today),
        );
        match (
            bsn,
            v_nummer,
            naam,
            geboortedatum,
            gemeente,
            doelgroep,
            regime,
            datum_kennisgeving,
            datum_vestiging,
        ) {
            (
                Some(bsn),
                Some(v_nummer),
                Some(naam),
                Some(geboortedatum),
                Some(gemeente),
                Some(doelgroep),
                Some(regime),
                Some(datum_kennisgeving),
                Some(datum_vestiging),
            ) if errors.is_empty() => Ok(Inburgeraar {
                id: InburgeraarId::new(),
                bsn,
                v_nummer,
                naam,
                geboortedatum,
                gemeente,
                doelgroep,
                regime: regime.unwrap_or(Regime::Wi2021),
                datum_kennisgeving,
                datum_vestiging,
                status: InburgeraarStatus::Aangemeld,
                versie: 1,
                aangemaakt_op: now,
                gewijzigd_op: now,
            }),
            _ => Err(errors),
        }
    }

    /// Applies a PATCH; unchanged fields stay, `null` clears an optional field.
    ///
    /// # Errors
    /// All field errors found in `input`, including a change that would leave no identifier.
    pub fn apply_patch(
        &self,
        input: InburgeraarGegevens,
        principal: &Principal,
        now: NaiveDateTime,
    ) -> Result<Inburgeraar, FieldErrors> {
        let today = now.date();
        let mut errors = FieldErrors::new();
        let bsn = input::change(&mut errors, "bsn", input.bsn, true, |f, v| {
            Bsn::parse(f, &v)
        });
        let v_nummer = input::change(&mut errors, "vNummer", input.v_nummer, true, |f, v| {
            parse_v_nummer(f, &v)
        });
        let naam = input::change(&mut errors, "naam", input.naam, false, parse_naam);
        let geboortedatum = input::change(
            &mut errors,
            "geboortedatum",
            input.geboortedatum,
            true,
            past_date(today),
        );
        let gemeente = input::change(
            &mut errors,
            "gemeente",
            input.gemeente,
            false,
            parse_own_gemeente(principal),
        );
        let doelgroep = input::change(&mut errors, "doelgroep", input.doelgroep, false, |_, v| {
            Ok(v)
        });
        let regime = input::change(&mut errors, "regime", input.regime, false, |_, v| Ok(v));
        let datum_kennisgeving = input::change(
            &mut errors,
            "datumKennisgeving",
            input.datum_kennisgeving,
            true,
            past_date(today),
        );
        let datum_vestiging = input::change(
            &mut errors,
            "datumVestiging",
            input.datum_vestiging,
            true,
            past_date(today),
        );
        let updated = Inburgeraar {
            id: self.id,
            bsn: bsn.apply_to_option(&self.bsn),
            v_nummer: v_nummer.apply_to_option(&self.v_nummer),
            naam: naam.apply_to(&self.naam),
            geboortedatum: geboortedatum.apply_to_option(&self.geboortedatum),
            gemeente: gemeente.apply_to(&self.gemeente),
            doelgroep: doelgroep.apply_to(&self.doelgroep),
            regime: regime.apply_to(&self.regime),
            datum_kennisgeving: datum_kennisgeving.apply_to_option(&self.datum_kennisgeving),
            datum_vestiging: datum_vestiging.apply_to_option(&self.datum_vestiging),
            status: self.status,
            versie: self.versie,
            aangemaakt_op: self.aangemaakt_op,
            gewijzigd_op: self.gewijzigd_op,
        };
        // A change that changes nothing is no new version: other clients' If-Match still holds.
        let updated = if updated == *self {
            updated
        } else {
            Inburgeraar {
                versie: self.versie + 1,
                gewijzigd_op: now,
                ..updated
            }
        };
        if bsn != Change::Keep || v_nummer != Change::Keep {
            check_identifier(
                &mut errors,
                updated.bsn.is_some(),
                updated.v_nummer.is_some(),
            );
        }
        errors.finish().map(|()| updated)
    }
}

/// Find one person by an identifier (`POST /inburgeraars/_zoek`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Zoekvraag {
    Bsn(Bsn),
    VNummer(String),
}

impl Zoekvraag {
    /// Exactly one of `bsn` and `vNummer` must be given.
    ///
    /// # Errors
    /// Field errors for a malformed identifier, or when none or both are given.
    pub fn parse(bsn: Input<String>, v_nummer: Input<String>) -> Result<Zoekvraag, FieldErrors> {
        let mut errors = FieldErrors::new();
        let both_absent = matches!(bsn, Input::Absent | Input::Null)
            && matches!(v_nummer, Input::Absent | Input::Null);
        let bsn = input::optional(&mut errors, "bsn", bsn, |f, v| Bsn::parse(f, &v));
        let v_nummer = input::optional(&mut errors, "vNummer", v_nummer, |f, v| {
            parse_v_nummer(f, &v)
        });
        if both_absent {
            errors.add("bsn", "required", "Zoek op een BSN of op een V-nummer.");
        }
        match (bsn, v_nummer) {
            (Some(Some(_)), Some(Some(_))) => {
                errors.add(
                    "vNummer",
                    "exclusive",
                    "Zoek op een BSN of op een V-nummer, niet op beide.",
                );
                Err(errors)
            }
            (Some(Some(bsn)), Some(None)) if errors.is_empty() => Ok(Zoekvraag::Bsn(bsn)),
            (Some(None), Some(Some(v))) if errors.is_empty() => Ok(Zoekvraag::VNummer(v)),
            _ => Err(errors),
        }
    }
}

/// Filters of the list of inburgeraars.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InburgeraarFilter {
    pub gemeente: Option<GemeenteCode>,
    pub doelgroep: Option<Doelgroep>,
    pub status: Option<InburgeraarStatus>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::principal::Scope;
    use std::collections::BTreeSet;

    fn principal() -> Principal {
        Principal {
            client: "test".into(),
            gebruiker: None,
            scopes: BTreeSet::from([Scope::InburgeraarsSchrijven]),
            gemeenten: BTreeSet::from([GemeenteCode::parse("g", "0405").unwrap()]),
            organisatie: None,
        }
    }

    fn now() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 23)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn valid_input() -> InburgeraarGegevens {
        InburgeraarGegevens {
            bsn: Input::Value("123456782".parse().unwrap()),
            naam: Input::Value("  Amal Haddad ".parse().unwrap()),
            gemeente: Input::Value("0405".parse().unwrap()),
            doelgroep: Input::Value(Doelgroep::Asielstatushouder),
            ..InburgeraarGegevens::default()
        }
    }

    #[test]
    fn registers_with_defaults() {
        let person = Inburgeraar::register(valid_input(), &principal(), now()).unwrap();
        assert_eq!(person.naam, "Amal Haddad");
        assert_eq!(person.regime, Regime::Wi2021);
        assert_eq!(person.status, InburgeraarStatus::Aangemeld);
        assert_eq!(person.versie, 1);
    }

    #[test]
    fn reports_every_invalid_field() {
        let input = InburgeraarGegevens {
            bsn: Input::Value("123456789".parse().unwrap()),
            v_nummer: Input::Value("12".parse().unwrap()),
            naam: Input::Value(" ".parse().unwrap()),
            geboortedatum: Input::Value(date(2030, 1, 1)),
            gemeente: Input::Value("0363".parse().unwrap()),
            doelgroep: Input::Invalid,
            regime: Input::Value(Regime::Wi2013),
            datum_kennisgeving: Input::Value(date(1899, 12, 31)),
            datum_vestiging: Input::Invalid,
        };
        let errors = Inburgeraar::register(input, &principal(), now()).unwrap_err();
        let names: Vec<_> = errors.0.iter().map(|e| (e.name.as_str(), e.code)).collect();
        assert_eq!(
            names,
            vec![
                ("bsn", "elfproef"),
                ("vNummer", "format"),
                ("naam", "minLength"),
                ("geboortedatum", "future"),
                ("gemeente", "gemeenteNietToegestaan"),
                ("datumKennisgeving", "date"),
            ]
        );
    }

    #[test]
    fn names_have_a_maximum_length() {
        let too_long = InburgeraarGegevens {
            naam: Input::Value("a".repeat(MAX_NAAM_LENGTH + 1)),
            ..valid_input()
        };
        let errors = Inburgeraar::register(too_long, &principal(), now()).unwrap_err();
        assert_eq!(errors.0[0].code, "maxLength");
        let longest = InburgeraarGegevens {
            naam: Input::Value("é".repeat(MAX_NAAM_LENGTH)),
            ..valid_input()
        };
        assert!(Inburgeraar::register(longest, &principal(), now()).is_ok());
    }

    #[test]
    fn needs_an_identifier() {
        let input = InburgeraarGegevens {
            bsn: Input::Absent,
            ..valid_input()
        };
        let errors = Inburgeraar::register(input, &principal(), now()).unwrap_err();
        assert_eq!(errors.0[0].name, "bsn");
        assert_eq!(errors.0[0].code, "required");
    }

    #[test]
    fn patch_keeps_clears_and_sets() {
        let person = Inburgeraar::register(
            InburgeraarGegevens {
                v_nummer: Input::Value("1234567890".parse().unwrap()),
                datum_vestiging: Input::Value(date(2026, 1, 10)),
                ..valid_input()
            },
            &principal(),
            now(),
        )
        .unwrap();
        let patched = person
            .apply_patch(
                InburgeraarGegevens {
                    naam: Input::Value("Amal H.".parse().unwrap()),
                    datum_vestiging: Input::Null,
                    ..InburgeraarGegevens::default()
                },
                &principal(),
                now(),
            )
            .unwrap();
        assert_eq!(patched.naam, "Amal H.");
        assert_eq!(patched.datum_vestiging, None);
        assert_eq!(patched.bsn, person.bsn);
        assert_eq!(patched.versie, 2);
        let no_id = patched
            .apply_patch(
                InburgeraarGegevens {
                    bsn: Input::Null,
                    v_nummer: Input::Null,
                    naam: Input::Null,
                    ..InburgeraarGegevens::default()
                },
                &principal(),
                now(),
            )
            .unwrap_err();
        let names: Vec<_> = no_id.0.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, vec!["naam", "bsn"]);
    }

    #[test]
    fn zoekvraag_takes_exactly_one_identifier() {
        assert!(matches!(
            Zoekvraag::parse(Input::Value("123456782".parse().unwrap()), Input::Absent),
            Ok(Zoekvraag::Bsn(_))
        ));
        assert!(Zoekvraag::parse(Input::Absent, Input::Absent).is_err());
        assert!(Zoekvraag::parse(
            Input::Value("123456782".parse().unwrap()),
            Input::Value("1234567890".parse().unwrap())
        )
        .is_err());
    }
}
