//! Voortgangsgesprekken: the gemeente monitors progress in conversations whose cadence is local policy
//! (no legal cadence was found; see [`GemeenteInstellingen::gesprek_cadans_maanden`]).

use crate::error::{FieldError, FieldErrors};
use crate::input::{self, Input};
use crate::instellingen::GemeenteInstellingen;
use crate::termijn;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

text_enum! {
    /// Who took part in a conversation.
    Deelnemer {
        Klantmanager => "KLANTMANAGER",
        Taalaanbieder => "TAALAANBIEDER",
        Inburgeraar => "INBURGERAAR",
        Tolk => "TOLK",
        Overig => "OVERIG",
    }
}

use crate::input::MAX_TEKST;

/// One voortgangsgesprek as it took place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Voortgangsgesprek {
    pub id: Uuid,
    pub datum: NaiveDate,
    pub deelnemers: Vec<Deelnemer>,
    pub uitkomst: String,
    pub afspraken: Option<String>,
    /// An explicitly planned next conversation; otherwise the cadence decides.
    pub datum_volgend_gepland: Option<NaiveDate>,
    pub geregistreerd_op: NaiveDateTime,
}

/// What a klantmanager records about a conversation.
#[derive(Debug, Clone, Default)]
pub struct VoortgangsgesprekGegevens {
    pub datum: Input<NaiveDate>,
    pub deelnemers: Input<Vec<Deelnemer>>,
    pub uitkomst: Input<String>,
    pub afspraken: Input<String>,
    pub datum_volgend_gepland: Input<NaiveDate>,
}

/// Reads the participants: at least one, each once; `None` when any is invalid.
fn deelnemers(errors: &mut FieldErrors, input: Input<Vec<Deelnemer>>) -> Option<Vec<Deelnemer>> {
    let items = match input {
        Input::Invalid => return None,
        Input::Absent | Input::Null => Vec::new(),
        Input::Value(items) => items,
    };
    if items.is_empty() {
        errors.add("deelnemers", "required", "Noem ten minste één deelnemer.");
        return None;
    }
    let before = errors.0.len();
    let mut gevonden = Vec::new();
    for (index, deelnemer) in items.into_iter().enumerate() {
        if gevonden.contains(&deelnemer) {
            let name = format!("deelnemers[{index}]");
            errors.add(name, "dubbel", "Elke deelnemer hoogstens een keer.");
        } else {
            gevonden.push(deelnemer);
        }
    }
    (errors.0.len() == before).then_some(gevonden)
}

impl Voortgangsgesprek {
    /// Records a conversation that took place on or before `today`.
    ///
    /// # Errors
    /// Every invalid field; a date in the future; a planned next conversation not after this one.
    pub fn nieuw(
        input: VoortgangsgesprekGegevens,
        today: NaiveDate,
        now: NaiveDateTime,
    ) -> Result<Voortgangsgesprek, FieldErrors> {
        let mut errors = FieldErrors::new();
        let datum = input::required(&mut errors, "datum", input.datum, |f, v| {
            input::past_date(f, v, today)
        });
        let deelnemers = deelnemers(&mut errors, input.deelnemers);
        let uitkomst = input::required(&mut errors, "uitkomst", input.uitkomst, |f, v| {
            input::parse_text(f, &v, 1, MAX_TEKST)
        });
        let afspraken = input::optional(&mut errors, "afspraken", input.afspraken, |f, v| {
            input::parse_text(f, &v, 1, MAX_TEKST)
        });
        let volgend = input::optional(
            &mut errors,
            "datumVolgendGepland",
            input.datum_volgend_gepland,
            |_, v| Ok(v),
        );
        if let (Some(datum), Some(Some(volgend))) = (datum, volgend) {
            if volgend <= datum {
                errors.push(FieldError::new(
                    "datumVolgendGepland",
                    "nietNaGesprek",
                    "Het volgende gesprek ligt na dit gesprek.",
                ));
            }
        }
        errors.finish()?;
        match (datum, deelnemers, uitkomst, afspraken, volgend) {
            (
                Some(datum),
                Some(deelnemers),
                Some(uitkomst),
                Some(afspraken),
                Some(datum_volgend_gepland),
            ) => Ok(Voortgangsgesprek {
                id: Uuid::now_v7(),
                datum,
                deelnemers,
                uitkomst,
                afspraken,
                datum_volgend_gepland,
                geregistreerd_op: now,
            }),
            _ => Err(FieldErrors::new()),
        }
    }
}

/// When the next voortgangsgesprek is due. The latest conversation (by date, then registration)
/// decides: its planned next date if it has one, else its date plus the cadence. Without any
/// conversation the PIP's dagtekening plus the cadence; without either, nothing is due.
pub fn volgend_gesprek(
    gesprekken: &[Voortgangsgesprek],
    pip_dagtekening: Option<NaiveDate>,
    instellingen: &GemeenteInstellingen,
) -> Option<NaiveDate> {
    let cadans = instellingen.gesprek_cadans_maanden;
    match gesprekken
        .iter()
        .max_by_key(|g| (g.datum, g.geregistreerd_op))
    {
        Some(laatste) => Some(
            laatste
                .datum_volgend_gepland
                .unwrap_or_else(|| termijn::add_months(laatste.datum, cadans)),
        ),
        None => pip_dagtekening.map(|d| termijn::add_months(d, cadans)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn now() -> NaiveDateTime {
        d(2026, 6, 1).and_hms_opt(10, 0, 0).unwrap()
    }

    fn input(datum: &str) -> VoortgangsgesprekGegevens {
        VoortgangsgesprekGegevens {
            datum: Input::Value(datum.parse().unwrap()),
            deelnemers: Input::Value(vec![
                "KLANTMANAGER".parse().unwrap(),
                "INBURGERAAR".parse().unwrap(),
            ]),
            uitkomst: Input::Value("Loopt op schema; lesuren op peil.".parse().unwrap()),
            ..VoortgangsgesprekGegevens::default()
        }
    }

    fn gesprek(datum: &str) -> Voortgangsgesprek {
        Voortgangsgesprek::nieuw(input(datum), now().date(), now()).unwrap()
    }

    fn codes(errors: &FieldErrors) -> Vec<(&str, &'static str)> {
        errors.0.iter().map(|e| (e.name.as_str(), e.code)).collect()
    }

    #[test]
    fn a_conversation_is_validated() {
        let ok = gesprek("2026-05-31");
        assert_eq!(
            ok.deelnemers,
            [Deelnemer::Klantmanager, Deelnemer::Inburgeraar]
        );
        assert_eq!(ok.datum_volgend_gepland, None);
        let errors = Voortgangsgesprek::nieuw(
            VoortgangsgesprekGegevens {
                datum: Input::Value("2026-06-02".parse().unwrap()),
                deelnemers: Input::Value(vec![
                    "TOLK".parse().unwrap(),
                    "KLANTMANAGER".parse().unwrap(),
                    "TOLK".parse().unwrap(),
                ]),
                uitkomst: Input::Value("  ".parse().unwrap()),
                afspraken: Input::Value("x".repeat(4001)),
                datum_volgend_gepland: Input::Value("2026-06-01".parse().unwrap()),
            },
            now().date(),
            now(),
        )
        .unwrap_err();
        assert_eq!(
            codes(&errors),
            [
                ("datum", "future"),
                ("deelnemers[2]", "dubbel"),
                ("uitkomst", "minLength"),
                ("afspraken", "maxLength"),
            ]
        );
        let errors = Voortgangsgesprek::nieuw(
            VoortgangsgesprekGegevens {
                deelnemers: Input::Value(vec![]),
                datum_volgend_gepland: Input::Value("2026-05-31".parse().unwrap()),
                ..input("2026-05-31")
            },
            now().date(),
            now(),
        )
        .unwrap_err();
        assert_eq!(
            codes(&errors),
            [
                ("deelnemers", "required"),
                ("datumVolgendGepland", "nietNaGesprek")
            ]
        );
    }

    #[test]
    fn the_next_conversation_by_hand() {
        let drie = GemeenteInstellingen::default();
        let twee = GemeenteInstellingen {
            gesprek_cadans_maanden: 2,
            ..GemeenteInstellingen::default()
        };
        assert_eq!(volgend_gesprek(&[], None, &drie), None);
        // PIP dated 15 January 2026, cadence three months: 15 April 2026.
        assert_eq!(
            volgend_gesprek(&[], Some(d(2026, 1, 15)), &drie),
            Some(d(2026, 4, 15))
        );
        // The latest conversation decides, not the PIP and not the order of registration.
        let gesprekken = [gesprek("2026-05-31"), gesprek("2026-03-01")];
        assert_eq!(
            volgend_gesprek(&gesprekken, Some(d(2026, 1, 15)), &drie),
            Some(d(2026, 8, 31))
        );
        assert_eq!(
            volgend_gesprek(&gesprekken, Some(d(2026, 1, 15)), &twee),
            Some(d(2026, 7, 31))
        );
        // An explicitly planned date wins over the cadence.
        let mut gepland = gesprek("2026-05-31");
        gepland.datum_volgend_gepland = Some(d(2026, 6, 20));
        assert_eq!(
            volgend_gesprek(&[gesprekken[1].clone(), gepland], None, &drie),
            Some(d(2026, 6, 20))
        );
    }

    proptest! {
        #[test]
        fn the_next_conversation_follows_the_latest(
            offsets in proptest::collection::vec(0u64..2000, 1..8),
            cadans in 1u32..=12,
        ) {
            let instellingen = GemeenteInstellingen {
                gesprek_cadans_maanden: cadans,
                ..GemeenteInstellingen::default()
            };
            let gesprekken: Vec<Voortgangsgesprek> = offsets
                .iter()
                .map(|o| {
                    let mut g = gesprek("2020-01-01");
                    g.datum = termijn::add_days(d(2020, 1, 1), *o);
                    g
                })
                .collect();
            let laatste = gesprekken.iter().map(|g| g.datum).max().unwrap();
            let volgend = volgend_gesprek(&gesprekken, Some(d(2019, 1, 1)), &instellingen).unwrap();
            prop_assert!(volgend > laatste);
            prop_assert_eq!(volgend, termijn::add_months(laatste, cadans));
        }
    }
}
