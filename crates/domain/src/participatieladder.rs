//! The participatieladder (VNG/Divosa): six rungs from isolated to paid work without support, measured
//! about twice a year. Local practice from the Participatiewet, not a Wi2021 legal element.

use crate::error::{FieldError, FieldErrors};
use crate::input::{self, Input};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use uuid::Uuid;

/// One rung of the ladder, 1 to 6; serialised as its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Trede(u8);

impl Trede {
    pub const LAAGSTE: u8 = 1;
    pub const HOOGSTE: u8 = 6;

    pub fn new(trede: u8) -> Option<Trede> {
        (Self::LAAGSTE..=Self::HOOGSTE)
            .contains(&trede)
            .then_some(Trede(trede))
    }

    /// Parses the wire value of a field.
    ///
    /// # Errors
    /// `range` outside 1..=6.
    pub fn parse(field: &str, value: i64) -> Result<Trede, FieldError> {
        u8::try_from(value)
            .ok()
            .and_then(Trede::new)
            .ok_or_else(|| {
                FieldError::new(
                    field,
                    "range",
                    format!(
                        "Een trede van de participatieladder van {} tot en met {}.",
                        Self::LAAGSTE,
                        Self::HOOGSTE
                    ),
                )
            })
    }

    pub fn get(self) -> u8 {
        self.0
    }

    /// The rung's Dutch name.
    pub fn naam(self) -> &'static str {
        match self.0 {
            1 => "geïsoleerd",
            2 => "sociale contacten buiten de deur",
            3 => "deelname georganiseerde activiteiten",
            4 => "onbetaald werk",
            5 => "betaald werk met ondersteuning",
            _ => "betaald werk zonder ondersteuning",
        }
    }
}

impl TryFrom<u8> for Trede {
    type Error = String;

    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Trede::new(value).ok_or_else(|| format!("trede {value} ligt niet tussen 1 en 6"))
    }
}

impl From<Trede> for u8 {
    fn from(trede: Trede) -> u8 {
        trede.0
    }
}

use crate::input::MAX_TEKST;

/// One measurement on the ladder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Meting {
    pub id: Uuid,
    pub datum: NaiveDate,
    pub trede: Trede,
    pub toelichting: Option<String>,
    pub geregistreerd_op: NaiveDateTime,
}

/// What a klantmanager records about a measurement.
#[derive(Debug, Clone, Default)]
pub struct MetingGegevens {
    pub datum: Input<NaiveDate>,
    pub trede: Input<i64>,
    pub toelichting: Input<String>,
}

impl Meting {
    /// Records a measurement taken on or before `today`.
    ///
    /// # Errors
    /// Every invalid field; a date in the future.
    pub fn nieuw(
        input: MetingGegevens,
        today: NaiveDate,
        now: NaiveDateTime,
    ) -> Result<Meting, FieldErrors> {
        let mut errors = FieldErrors::new();
        let datum = input::required(&mut errors, "datum", input.datum, |f, v| {
            input::past_date(f, v, today)
        });
        let trede = input::required(&mut errors, "trede", input.trede, Trede::parse);
        let toelichting = input::optional(&mut errors, "toelichting", input.toelichting, |f, v| {
            input::parse_text(f, &v, 1, MAX_TEKST)
        });
        errors.finish()?;
        match (datum, trede, toelichting) {
            (Some(datum), Some(trede), Some(toelichting)) => Ok(Meting {
                id: Uuid::now_v7(),
                datum,
                trede,
                toelichting,
                geregistreerd_op: now,
            }),
            _ => Err(FieldErrors::new()),
        }
    }
}

text_enum! {
    /// The movement of a measurement relative to the one before it.
    Beweging {
        Eerste => "EERSTE",
        Omhoog => "OMHOOG",
        Gelijk => "GELIJK",
        Omlaag => "OMLAAG",
    }
}

/// The measurements in order (date, then registration), each with its movement since the one before.
pub fn historie(metingen: &[Meting]) -> Vec<(Meting, Beweging)> {
    let mut sorted: Vec<&Meting> = metingen.iter().collect();
    sorted.sort_by_key(|m| (m.datum, m.geregistreerd_op, m.id));
    let mut vorige: Option<Trede> = None;
    sorted
        .into_iter()
        .map(|meting| {
            let beweging = match vorige.map(|v| meting.trede.cmp(&v)) {
                None => Beweging::Eerste,
                Some(Ordering::Greater) => Beweging::Omhoog,
                Some(Ordering::Equal) => Beweging::Gelijk,
                Some(Ordering::Less) => Beweging::Omlaag,
            };
            vorige = Some(meting.trede);
            (meting.clone(), beweging)
        })
        .collect()
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

    fn meting(datum: &str, trede: i64) -> Meting {
        Meting::nieuw(
            MetingGegevens {
                datum: Input::Value(datum.parse().unwrap()),
                trede: Input::Value(trede),
                toelichting: Input::Absent,
            },
            now().date(),
            now(),
        )
        .unwrap()
    }

    #[test]
    fn rungs_and_their_names() {
        assert_eq!(Trede::new(1).unwrap().naam(), "geïsoleerd");
        assert_eq!(
            Trede::new(6).unwrap().naam(),
            "betaald werk zonder ondersteuning"
        );
        assert!(Trede::new(0).is_none());
        assert!(Trede::new(7).is_none());
        assert_eq!(Trede::parse("trede", 300).unwrap_err().code, "range");
        assert_eq!(serde_json::to_string(&Trede::new(4).unwrap()).unwrap(), "4");
        assert!(serde_json::from_str::<Trede>("7").is_err());
        assert_eq!(serde_json::from_str::<Trede>("3").unwrap().get(), 3);
    }

    #[test]
    fn a_measurement_is_validated() {
        let errors = Meting::nieuw(
            MetingGegevens {
                datum: Input::Value("2026-06-02".parse().unwrap()),
                trede: Input::Value(0),
                toelichting: Input::Value("".parse().unwrap()),
            },
            now().date(),
            now(),
        )
        .unwrap_err();
        let codes: Vec<_> = errors.0.iter().map(|e| (e.name.as_str(), e.code)).collect();
        assert_eq!(
            codes,
            [
                ("datum", "future"),
                ("trede", "range"),
                ("toelichting", "minLength")
            ]
        );
        let json = serde_json::to_value(meting("2026-05-01", 3)).unwrap();
        assert_eq!(json["trede"], 3);
        assert_eq!(json["datum"], "2026-05-01");
    }

    #[test]
    fn the_history_in_date_order() {
        let metingen = [
            meting("2026-01-10", 3),
            meting("2025-07-01", 1),
            meting("2025-12-01", 3),
            meting("2026-05-01", 2),
        ];
        let historie = historie(&metingen);
        let gezien: Vec<(NaiveDate, u8, Beweging)> = historie
            .iter()
            .map(|(m, b)| (m.datum, m.trede.get(), *b))
            .collect();
        assert_eq!(
            gezien,
            [
                (d(2025, 7, 1), 1, Beweging::Eerste),
                (d(2025, 12, 1), 3, Beweging::Omhoog),
                (d(2026, 1, 10), 3, Beweging::Gelijk),
                (d(2026, 5, 1), 2, Beweging::Omlaag),
            ]
        );
        assert!(super::historie(&[]).is_empty());
    }

    proptest! {
        #[test]
        fn movements_follow_the_rungs(metingen in proptest::collection::vec((0u64..1000, 1u8..=6), 0..12)) {
            let metingen: Vec<Meting> = metingen
                .into_iter()
                .map(|(offset, trede)| {
                    let mut m = meting("2020-01-01", 1);
                    m.datum = crate::termijn::add_days(d(2020, 1, 1), offset);
                    m.trede = Trede::new(trede).unwrap();
                    m
                })
                .collect();
            let historie = historie(&metingen);
            prop_assert_eq!(historie.len(), metingen.len());
            for (index, (meting, beweging)) in historie.iter().enumerate() {
                if index == 0 {
                    prop_assert_eq!(*beweging, Beweging::Eerste);
                    continue;
                }
                let vorige = &historie[index - 1].0;
                prop_assert!(vorige.datum <= meting.datum);
                let verwacht = match meting.trede.cmp(&vorige.trede) {
                    Ordering::Greater => Beweging::Omhoog,
                    Ordering::Equal => Beweging::Gelijk,
                    Ordering::Less => Beweging::Omlaag,
                };
                prop_assert_eq!(*beweging, verwacht);
            }
            // Up and down steps net out to the rise from the first to the last rung at most.
            if let (Some(first), Some(last)) = (historie.first(), historie.last()) {
                let omhoog = historie.iter().filter(|(_, b)| *b == Beweging::Omhoog).count();
                let omlaag = historie.iter().filter(|(_, b)| *b == Beweging::Omlaag).count();
                if last.0.trede > first.0.trede { prop_assert!(omhoog >= 1); }
                if last.0.trede < first.0.trede { prop_assert!(omlaag >= 1); }
            }
        }
    }
}
