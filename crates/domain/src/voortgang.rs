//! What taalaanbieders (and DUO, through the gemeente) push: inschrijvingen, gevolgde uren per month
//! in DUO's categories, and examenresultaten, where DUO's result is authoritative.

use crate::error::{FieldError, FieldErrors};
use crate::input::{self, Input};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

text_enum! {
    /// What a person is enrolled in.
    InschrijvingSoort {
        Cursus => "CURSUS",
        Leerwerkroute => "LEERWERKROUTE",
    }
}

/// A person enrolled with a taalaanbieder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Inschrijving {
    pub id: Uuid,
    pub organisatie_id: Option<Uuid>,
    pub soort: InschrijvingSoort,
    pub omschrijving: String,
    pub datum_start: NaiveDate,
    pub datum_einde: Option<NaiveDate>,
    pub uren_per_week: u32,
    pub geregistreerd_op: NaiveDateTime,
}

/// What a taalaanbieder gives about an enrolment.
#[derive(Debug, Clone, Default)]
pub struct InschrijvingGegevens {
    pub soort: Input<InschrijvingSoort>,
    pub omschrijving: Input<String>,
    pub datum_start: Input<NaiveDate>,
    pub datum_einde: Input<NaiveDate>,
    pub uren_per_week: Input<i64>,
}

fn uren(max: i64) -> impl Fn(&str, i64) -> Result<u32, FieldError> {
    move |field, value| {
        u32::try_from(value)
            .ok()
            .filter(|v| i64::from(*v) <= max)
            .ok_or_else(|| {
                FieldError::new(
                    field,
                    "range",
                    format!("Een geheel aantal uren van 0 tot en met {max}."),
                )
            })
    }
}

impl Inschrijving {
    /// # Errors
    /// Every invalid field.
    pub fn nieuw(
        input: InschrijvingGegevens,
        organisatie_id: Option<Uuid>,
        now: NaiveDateTime,
    ) -> Result<Inschrijving, FieldErrors> {
        let mut errors = FieldErrors::new();
        let soort = input::required(&mut errors, "soort", input.soort, |_, v| Ok(v));
        let omschrijving =
            input::required(&mut errors, "omschrijving", input.omschrijving, |f, v| {
                input::parse_text(f, &v, 1, 200)
            });
        let start = input::required(&mut errors, "datumStart", input.datum_start, |_, v| Ok(v));
        let einde = input::optional(&mut errors, "datumEinde", input.datum_einde, |_, v| Ok(v));
        let per_week = input::required(&mut errors, "urenPerWeek", input.uren_per_week, |f, v| {
            uren(40)(f, v).and_then(|u| {
                if u == 0 {
                    Err(FieldError::new(f, "range", "Minstens 1 uur per week."))
                } else {
                    Ok(u)
                }
            })
        });
        if let (Some(start), Some(Some(einde))) = (start, einde) {
            if einde < start {
                errors.add(
                    "datumEinde",
                    "voorStart",
                    "De einddatum ligt voor de startdatum.",
                );
            }
        }
        errors.finish()?;
        match (soort, omschrijving, start, einde, per_week) {
            (
                Some(soort),
                Some(omschrijving),
                Some(datum_start),
                Some(datum_einde),
                Some(uren_per_week),
            ) => Ok(Inschrijving {
                id: Uuid::now_v7(),
                organisatie_id,
                soort,
                omschrijving,
                datum_start,
                datum_einde,
                uren_per_week,
                geregistreerd_op: now,
            }),
            _ => Err(FieldErrors::new()),
        }
    }

    /// Days between the PIP's dagtekening and the start of the course (waiting time for statistics).
    pub fn wachttijd_dagen(&self, pip_dagtekening: Option<NaiveDate>) -> Option<i64> {
        pip_dagtekening.map(|d| (self.datum_start - d).num_days())
    }
}

/// The hours of one month, in DUO's GevolgdeUren categories.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GevolgdeUren {
    pub id: Uuid,
    pub organisatie_id: Option<Uuid>,
    /// First day of the month.
    pub maand: NaiveDate,
    /// DUO `ParticipatieAlsTaalles`: Dutch and KNM lessons at the provider.
    pub lesuren: u32,
    /// DUO `TaallesEnKnmBredeIntake`: lessons during the brede intake.
    pub lesuren_brede_intake: u32,
    /// DUO `ParticipatieactiviteitenBredeIntake`: participation activities (Z-route).
    pub participatie_uren: u32,
    pub verzuim_uren: u32,
    pub geregistreerd_op: NaiveDateTime,
}

/// What a taalaanbieder gives about the hours of a month (`maand` as JJJJ-MM).
#[derive(Debug, Clone, Default)]
pub struct GevolgdeUrenGegevens {
    pub maand: Input<String>,
    pub lesuren: Input<i64>,
    pub lesuren_brede_intake: Input<i64>,
    pub participatie_uren: Input<i64>,
    pub verzuim_uren: Input<i64>,
}

/// Hours in a month at most (31 days of 24 hours).
const MAX_UREN_PER_MAAND: i64 = 744;

impl GevolgdeUren {
    /// # Errors
    /// Every invalid field; a month in the future.
    pub fn nieuw(
        input: GevolgdeUrenGegevens,
        organisatie_id: Option<Uuid>,
        now: NaiveDateTime,
    ) -> Result<GevolgdeUren, FieldErrors> {
        let mut errors = FieldErrors::new();
        let today = now.date();
        let maand = input::required(&mut errors, "maand", input.maand, |f, v| {
            let first = input::parse_date(f, &format!("{v}-01"))
                .map_err(|_| FieldError::new(f, "format", "Een maand als JJJJ-MM."))?;
            if v.len() != 7 {
                return Err(FieldError::new(f, "format", "Een maand als JJJJ-MM."));
            }
            if (first.year(), first.month()) > (today.year(), today.month()) {
                return Err(FieldError::new(
                    f,
                    "future",
                    "Uren worden achteraf per maand aangeleverd.",
                ));
            }
            Ok(first)
        });
        let les = input::optional(
            &mut errors,
            "lesuren",
            input.lesuren,
            uren(MAX_UREN_PER_MAAND),
        );
        let intake = input::optional(
            &mut errors,
            "lesurenBredeIntake",
            input.lesuren_brede_intake,
            uren(MAX_UREN_PER_MAAND),
        );
        let participatie = input::optional(
            &mut errors,
            "participatieUren",
            input.participatie_uren,
            uren(MAX_UREN_PER_MAAND),
        );
        let verzuim = input::optional(
            &mut errors,
            "verzuimUren",
            input.verzuim_uren,
            uren(MAX_UREN_PER_MAAND),
        );
        errors.finish()?;
        match (maand, les, intake, participatie, verzuim) {
            (Some(maand), Some(les), Some(intake), Some(participatie), Some(verzuim)) => {
                Ok(GevolgdeUren {
                    id: Uuid::now_v7(),
                    organisatie_id,
                    maand,
                    lesuren: les.unwrap_or(0),
                    lesuren_brede_intake: intake.unwrap_or(0),
                    participatie_uren: participatie.unwrap_or(0),
                    verzuim_uren: verzuim.unwrap_or(0),
                    geregistreerd_op: now,
                })
            }
            _ => Err(FieldErrors::new()),
        }
    }
}

text_enum! {
    /// Exam parts DUO runs, including the staatsexamens NT2.
    ExamenOnderdeel {
        Lezen => "LEZEN",
        Luisteren => "LUISTEREN",
        Schrijven => "SCHRIJVEN",
        Spreken => "SPREKEN",
        Knm => "KNM",
        StaatsexamenNt2I => "STAATSEXAMEN_NT2_I",
        StaatsexamenNt2II => "STAATSEXAMEN_NT2_II",
    }
}

text_enum! {
    /// Exam levels.
    ExamenNiveau {
        A1 => "A1",
        A2 => "A2",
        B1 => "B1",
        B2 => "B2",
    }
}

text_enum! {
    /// DUO's results: Geslaagd, Gezakt, or Geen (with a reason).
    ExamenUitslag {
        Geslaagd => "GESLAAGD",
        Gezakt => "GEZAKT",
        Geen => "GEEN",
    }
}

text_enum! {
    /// DUO's reasons for no result.
    RedenGeenUitslag {
        Verwijtbaar => "VERWIJTBAAR",
        NietVerwijtbaar => "NIET_VERWIJTBAAR",
        Afgemeld => "AFGEMELD",
        Absent => "ABSENT",
    }
}

text_enum! {
    /// Who reports the result; DUO's is authoritative.
    Bron {
        Aanbieder => "AANBIEDER",
        Duo => "DUO",
    }
}

/// One exam result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Examenresultaat {
    pub id: Uuid,
    pub organisatie_id: Option<Uuid>,
    pub onderdeel: ExamenOnderdeel,
    pub niveau: ExamenNiveau,
    pub uitslag: ExamenUitslag,
    pub reden_geen: Option<RedenGeenUitslag>,
    pub datum_examen: NaiveDate,
    pub bron: Bron,
    /// A provider's result that DUO's result for the same exam contradicts; DUO's counts.
    pub conflict_met_duo: bool,
    pub geregistreerd_op: NaiveDateTime,
}

/// What is reported about an exam.
#[derive(Debug, Clone, Default)]
pub struct ExamenresultaatGegevens {
    pub onderdeel: Input<ExamenOnderdeel>,
    pub niveau: Input<ExamenNiveau>,
    pub uitslag: Input<ExamenUitslag>,
    pub reden_geen: Input<RedenGeenUitslag>,
    pub datum_examen: Input<NaiveDate>,
    pub bron: Input<Bron>,
}

impl Examenresultaat {
    /// A result as reported. Partners report as `AANBIEDER` only; `DUO` is for the gemeente's link.
    ///
    /// # Errors
    /// Every invalid field; a reason missing for `GEEN` or given otherwise; a date in the future.
    pub fn nieuw(
        input: ExamenresultaatGegevens,
        organisatie_id: Option<Uuid>,
        now: NaiveDateTime,
    ) -> Result<Examenresultaat, FieldErrors> {
        let mut errors = FieldErrors::new();
        let onderdeel = input::required(&mut errors, "onderdeel", input.onderdeel, |_, v| Ok(v));
        let niveau = input::required(&mut errors, "niveau", input.niveau, |_, v| Ok(v));
        let uitslag = input::required(&mut errors, "uitslag", input.uitslag, |_, v| Ok(v));
        let reden = input::optional(&mut errors, "redenGeen", input.reden_geen, |_, v| Ok(v));
        let datum = input::required(&mut errors, "datumExamen", input.datum_examen, |f, v| {
            input::past_date(f, v, now.date())
        });
        let bron = input::required(&mut errors, "bron", input.bron, |f, bron| {
            if bron == Bron::Duo && organisatie_id.is_some() {
                return Err(FieldError::new(f, "nietToegestaan", "Een partner levert resultaten aan als AANBIEDER; DUO's resultaten komen via de gemeente."));
            }
            Ok(bron)
        });
        match (uitslag, &reden) {
            (Some(ExamenUitslag::Geen), Some(None)) => {
                errors.add("redenGeen", "required", "Geef de reden bij uitslag GEEN.")
            }
            (Some(ExamenUitslag::Geslaagd | ExamenUitslag::Gezakt), Some(Some(_))) => {
                errors.add(
                    "redenGeen",
                    "nietToegestaan",
                    "Een reden hoort alleen bij uitslag GEEN.",
                );
            }
            _ => {}
        }
        errors.finish()?;
        match (onderdeel, niveau, uitslag, reden, datum, bron) {
            (
                Some(onderdeel),
                Some(niveau),
                Some(uitslag),
                Some(reden_geen),
                Some(datum_examen),
                Some(bron),
            ) => Ok(Examenresultaat {
                id: Uuid::now_v7(),
                organisatie_id,
                onderdeel,
                niveau,
                uitslag,
                reden_geen,
                datum_examen,
                bron,
                conflict_met_duo: false,
                geregistreerd_op: now,
            }),
            _ => Err(FieldErrors::new()),
        }
    }

    /// The same exam: part, level and date.
    pub(crate) fn zelfde_examen(&self, other: &Examenresultaat) -> bool {
        (self.onderdeel, self.niveau, self.datum_examen)
            == (other.onderdeel, other.niveau, other.datum_examen)
    }
}

/// The earlier pushes a new one is compared with: the same enrolment (organisatie, soort and start),
/// the same month of hours of the same organisatie, or the same exam (part, level and date). A push
/// replaces or flags only what is `Verwant` to it, so storage loads only those items for a push.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verwant {
    Inschrijving {
        organisatie_id: Option<Uuid>,
        soort: InschrijvingSoort,
        datum_start: NaiveDate,
    },
    GevolgdeUren {
        organisatie_id: Option<Uuid>,
        maand: NaiveDate,
    },
    /// The results of the same exam from the other source: a provider's result is compared with
    /// DUO's, DUO's flags the providers' it contradicts.
    Examen {
        onderdeel: ExamenOnderdeel,
        niveau: ExamenNiveau,
        datum_examen: NaiveDate,
        bron: Bron,
    },
    /// Every result from one source: what several results of one source (a bulk call's part for one
    /// person) are compared with, the other source's.
    Examens { bron: Bron },
}

impl Inschrijving {
    /// What makes two enrolments the same enrolment.
    pub fn verwant(&self) -> Verwant {
        Verwant::Inschrijving {
            organisatie_id: self.organisatie_id,
            soort: self.soort,
            datum_start: self.datum_start,
        }
    }
}

impl GevolgdeUren {
    /// What makes two reports of hours the same month's (DUO: per person, organisatie and month).
    pub fn verwant(&self) -> Verwant {
        Verwant::GevolgdeUren {
            organisatie_id: self.organisatie_id,
            maand: self.maand,
        }
    }
}

impl Bron {
    /// The source a result of this source is compared with.
    pub fn andere(self) -> Bron {
        match self {
            Bron::Aanbieder => Bron::Duo,
            Bron::Duo => Bron::Aanbieder,
        }
    }
}

impl Examenresultaat {
    /// The results this one is compared with when it is added (`voeg_resultaat_toe`): those of the same
    /// exam from the other source.
    pub fn verwant(&self) -> Verwant {
        Verwant::Examen {
            onderdeel: self.onderdeel,
            niveau: self.niveau,
            datum_examen: self.datum_examen,
            bron: self.bron.andere(),
        }
    }

    /// What the results of `resultaten` together are compared with: every result of the other source
    /// when they share one source, else `None` (every result of the person).
    pub fn verwant_aan(resultaten: &[Examenresultaat]) -> Option<Verwant> {
        let bron = resultaten.first()?.bron;
        resultaten
            .iter()
            .all(|r| r.bron == bron)
            .then(|| Verwant::Examens {
                bron: bron.andere(),
            })
    }
}

/// Keeps `nieuw` in `items` as a state, not a sum: an item that is `zelfde` as it (and any earlier
/// duplicate of that) is replaced, and `nieuw` takes over the first one's id, so a resend changes
/// nothing and a correction replaces. Returns what is kept and what it replaced.
fn vervang_of_voeg_toe<T: Clone>(
    items: &mut Vec<T>,
    mut nieuw: T,
    zelfde: impl Fn(&T, &T) -> bool,
    id: impl Fn(&mut T) -> &mut Uuid,
) -> (T, Option<T>) {
    let vervangen = items.iter().find(|item| zelfde(item, &nieuw)).cloned();
    if let Some(oud) = &vervangen {
        let mut oud = oud.clone();
        *id(&mut nieuw) = *id(&mut oud);
        items.retain(|item| !zelfde(item, &nieuw));
    }
    items.push(nieuw.clone());
    (nieuw, vervangen)
}

/// Records the hours of one month: DUO's GevolgdeUren are per person, organisatie and month, so a second
/// push for the same month of the same organisatie replaces the first and never adds to it. Returns
/// the kept record and the one it replaced.
pub fn lever_uren_aan(
    uren: &mut Vec<GevolgdeUren>,
    nieuw: GevolgdeUren,
) -> (GevolgdeUren, Option<GevolgdeUren>) {
    vervang_of_voeg_toe(
        uren,
        nieuw,
        |a, b| a.verwant() == b.verwant(),
        |u| &mut u.id,
    )
}

/// Records an enrolment: one that repeats an existing one (same organisatie, soort and start) is the
/// same enrolment, updated, not a second one. Returns the kept enrolment and the one it replaced.
pub fn schrijf_in(
    inschrijvingen: &mut Vec<Inschrijving>,
    nieuw: Inschrijving,
) -> (Inschrijving, Option<Inschrijving>) {
    vervang_of_voeg_toe(
        inschrijvingen,
        nieuw,
        |a, b| a.verwant() == b.verwant(),
        |i| &mut i.id,
    )
}

/// Whether adding results took `before` to `after` in a way that can move a conflict with DUO: a new
/// result shares its exam with a result of the other source (a conflict, or its resolution, needs
/// both). Results of exams only one source reported move nothing.
pub fn raakt_conflict(before: &[Examenresultaat], after: &[Examenresultaat]) -> bool {
    after
        .iter()
        .filter(|nieuw| !before.iter().any(|oud| oud.id == nieuw.id))
        .any(|nieuw| {
            after
                .iter()
                .any(|ander| ander.bron != nieuw.bron && ander.zelfde_examen(nieuw))
        })
}

/// Adds a result to the list, flagging every provider result that DUO's results contradict.
pub fn voeg_resultaat_toe(
    resultaten: &mut Vec<Examenresultaat>,
    mut nieuw: Examenresultaat,
) -> Examenresultaat {
    let tegenspraak =
        |a: &Examenresultaat, b: &Examenresultaat| a.zelfde_examen(b) && a.uitslag != b.uitslag;
    match nieuw.bron {
        Bron::Aanbieder => {
            nieuw.conflict_met_duo = resultaten
                .iter()
                .any(|r| r.bron == Bron::Duo && tegenspraak(r, &nieuw));
        }
        Bron::Duo => {
            for bestaand in resultaten.iter_mut().filter(|r| r.bron == Bron::Aanbieder) {
                if tegenspraak(bestaand, &nieuw) {
                    bestaand.conflict_met_duo = true;
                }
            }
        }
    }
    resultaten.push(nieuw.clone());
    nieuw
}

#[cfg(test)]
mod tests {
    use super::*;

    fn maand(maand: &str, lesuren: i64, organisatie: Option<Uuid>) -> GevolgdeUren {
        GevolgdeUren::nieuw(
            GevolgdeUrenGegevens {
                maand: Input::Value(maand.to_owned()),
                lesuren: Input::Value(lesuren),
                ..GevolgdeUrenGegevens::default()
            },
            organisatie,
            now(),
        )
        .unwrap()
    }

    #[test]
    fn a_resent_month_replaces_and_never_adds() {
        let aanbieder = Some(Uuid::from_u128(7));
        let mut uren = Vec::new();
        let (eerste, vervangen) = lever_uren_aan(&mut uren, maand("2026-10", 40, aanbieder));
        assert_eq!(vervangen, None);
        let (tweede, vervangen) = lever_uren_aan(&mut uren, maand("2026-10", 40, aanbieder));
        assert_eq!(vervangen.map(|v| v.id), Some(eerste.id));
        assert_eq!(tweede.id, eerste.id, "the month keeps its identity");
        assert_eq!(uren.iter().map(|u| u.lesuren).sum::<u32>(), 40);
        // A correction replaces the figure.
        lever_uren_aan(&mut uren, maand("2026-10", 32, aanbieder));
        assert_eq!(uren.iter().map(|u| u.lesuren).sum::<u32>(), 32);
        // Another month, or another organisatie's month, adds.
        lever_uren_aan(&mut uren, maand("2026-09", 10, aanbieder));
        lever_uren_aan(&mut uren, maand("2026-10", 5, Some(Uuid::from_u128(8))));
        assert_eq!(uren.iter().map(|u| u.lesuren).sum::<u32>(), 47);
        assert_eq!(uren.len(), 3);
    }

    #[test]
    fn a_repeated_enrolment_is_the_same_enrolment() {
        let inschrijving = |start: &str, soort: &str, uren: i64| {
            Inschrijving::nieuw(
                InschrijvingGegevens {
                    soort: Input::Value(InschrijvingSoort::from_text(soort).unwrap()),
                    omschrijving: Input::Value("B1 intensief".parse().unwrap()),
                    datum_start: Input::Value(start.parse().unwrap()),
                    datum_einde: Input::Absent,
                    uren_per_week: Input::Value(uren),
                },
                Some(Uuid::from_u128(7)),
                now(),
            )
            .unwrap()
        };
        let mut lijst = Vec::new();
        let (eerste, _) = schrijf_in(&mut lijst, inschrijving("2026-09-01", "CURSUS", 12));
        let (zelfde, vervangen) = schrijf_in(&mut lijst, inschrijving("2026-09-01", "CURSUS", 16));
        assert_eq!(vervangen.map(|v| v.uren_per_week), Some(12));
        assert_eq!((zelfde.id, zelfde.uren_per_week), (eerste.id, 16));
        assert_eq!(lijst.len(), 1);
        schrijf_in(&mut lijst, inschrijving("2026-09-01", "LEERWERKROUTE", 16));
        schrijf_in(&mut lijst, inschrijving("2026-10-01", "CURSUS", 16));
        assert_eq!(lijst.len(), 3);
    }

    fn now() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 23)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
    }

    fn result(uitslag: &str, bron: &str) -> Examenresultaat {
        Examenresultaat::nieuw(
            ExamenresultaatGegevens {
                onderdeel: Input::Value(ExamenOnderdeel::from_text("LEZEN").unwrap()),
                niveau: Input::Value(ExamenNiveau::from_text("B1").unwrap()),
                uitslag: Input::Value(ExamenUitslag::from_text(uitslag).unwrap()),
                datum_examen: Input::Value("2026-10-01".parse().unwrap()),
                bron: Input::Value(Bron::from_text(bron).unwrap()),
                ..ExamenresultaatGegevens::default()
            },
            None,
            now(),
        )
        .unwrap()
    }

    #[test]
    fn duo_is_authoritative_both_ways() {
        let mut list = Vec::new();
        let provider = voeg_resultaat_toe(&mut list, result("GESLAAGD", "AANBIEDER"));
        assert!(!provider.conflict_met_duo);
        voeg_resultaat_toe(&mut list, result("GEZAKT", "DUO"));
        assert!(
            list[0].conflict_met_duo,
            "a later DUO result flags the provider's"
        );
        let late = voeg_resultaat_toe(&mut list, result("GESLAAGD", "AANBIEDER"));
        assert!(
            late.conflict_met_duo,
            "a provider result against DUO's is flagged at once"
        );
        let agreeing = voeg_resultaat_toe(&mut list, result("GEZAKT", "AANBIEDER"));
        assert!(!agreeing.conflict_met_duo);
    }

    #[test]
    fn results_are_validated() {
        let errors = Examenresultaat::nieuw(
            ExamenresultaatGegevens {
                onderdeel: Input::Invalid,
                niveau: Input::Invalid,
                uitslag: Input::Value(ExamenUitslag::Geen),
                datum_examen: Input::Value("2030-01-01".parse().unwrap()),
                bron: Input::Value(Bron::Duo),
                ..ExamenresultaatGegevens::default()
            },
            Some(Uuid::nil()),
            now(),
        )
        .unwrap_err();
        let names: Vec<_> = errors.0.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["datumExamen", "bron", "redenGeen"]);
    }

    #[test]
    fn hours_per_month_not_in_the_future() {
        let uren = |maand: &str| {
            GevolgdeUren::nieuw(
                GevolgdeUrenGegevens {
                    maand: Input::Value(maand.parse().unwrap()),
                    lesuren: Input::Value(40),
                    ..GevolgdeUrenGegevens::default()
                },
                None,
                now(),
            )
        };
        assert_eq!(
            uren("2026-11").unwrap().maand,
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()
        );
        assert_eq!(uren("2026-12").unwrap_err().0[0].code, "future");
        assert_eq!(uren("2026-13").unwrap_err().0[0].code, "format");
        assert_eq!(uren("2026-1").unwrap_err().0[0].code, "format");
    }

    fn resultaat(exam: u8, uitslag: bool, duo: bool) -> Examenresultaat {
        let onderdelen = [ExamenOnderdeel::Lezen, ExamenOnderdeel::Luisteren];
        Examenresultaat {
            id: Uuid::now_v7(),
            organisatie_id: (!duo).then(|| Uuid::from_u128(7)),
            onderdeel: onderdelen[usize::from(exam % 2)],
            niveau: ExamenNiveau::B1,
            uitslag: if uitslag {
                ExamenUitslag::Geslaagd
            } else {
                ExamenUitslag::Gezakt
            },
            reden_geen: None,
            datum_examen: NaiveDate::from_ymd_opt(2026, 10, 1 + u32::from(exam / 2)).unwrap(),
            bron: if duo { Bron::Duo } else { Bron::Aanbieder },
            conflict_met_duo: false,
            geregistreerd_op: now(),
        }
    }

    proptest::proptest! {
        /// Storage applies a push only to the items `Verwant` to it: that must decide exactly what
        /// applying it to the whole list decides (the kept item, what it replaced, what it flagged).
        #[test]
        fn a_push_decides_the_same_on_its_verwant_items_as_on_the_whole_list(
            pushes in proptest::collection::vec((0u8..4, proptest::bool::ANY, proptest::bool::ANY), 1..24),
            maanden in proptest::collection::vec((0u8..3, 0u8..2, 0i64..80), 1..24),
        ) {
            let mut hele = Vec::new();
            for (exam, uitslag, duo) in pushes {
                let nieuw = resultaat(exam, uitslag, duo);
                // What storage loads for the push: the results of the same exam from the other source.
                let verwant = nieuw.verwant();
                let mut deel: Vec<Examenresultaat> = hele
                    .iter()
                    .filter(|r: &&Examenresultaat| {
                        matches!(verwant, Verwant::Examen { onderdeel, niveau, datum_examen, bron }
                            if (r.onderdeel, r.niveau, r.datum_examen, r.bron) == (onderdeel, niveau, datum_examen, bron))
                    })
                    .cloned()
                    .collect();
                // And what it loads for a bulk call's part of one source: every result of the other.
                let mut van_bron: Vec<Examenresultaat> = hele
                    .iter()
                    .filter(|r: &&Examenresultaat| r.bron == nieuw.bron.andere())
                    .cloned()
                    .collect();
                let uit_bron = voeg_resultaat_toe(&mut van_bron, nieuw.clone());
                let uit_deel = voeg_resultaat_toe(&mut deel, nieuw.clone());
                proptest::prop_assert_eq!(&uit_bron, &uit_deel);
                let uit_hele = voeg_resultaat_toe(&mut hele, nieuw);
                proptest::prop_assert_eq!(&uit_deel, &uit_hele);
                for item in &deel {
                    proptest::prop_assert!(hele.contains(item), "the part agrees with the whole");
                }
            }
            let mut hele = Vec::new();
            for (m, organisatie, lesuren) in maanden {
                let nieuw = maand(
                    &format!("2026-0{}", m + 1),
                    lesuren,
                    Some(Uuid::from_u128(u128::from(organisatie))),
                );
                let mut deel: Vec<GevolgdeUren> =
                    hele.iter().filter(|u: &&GevolgdeUren| u.verwant() == nieuw.verwant()).cloned().collect();
                let (kept_deel, vervangen_deel) = lever_uren_aan(&mut deel, nieuw.clone());
                let (kept_hele, vervangen_hele) = lever_uren_aan(&mut hele, nieuw);
                proptest::prop_assert_eq!(kept_deel, kept_hele);
                proptest::prop_assert_eq!(vervangen_deel, vervangen_hele);
            }
        }
    }

    #[test]
    fn only_a_result_of_an_exam_both_sources_reported_can_move_a_conflict() {
        let duo = resultaat(0, false, true);
        let eigen_examen = resultaat(0, true, false);
        let ander_examen = resultaat(1, true, false);
        let before = vec![duo.clone()];
        let mut after = before.clone();
        after.push(ander_examen.clone());
        assert!(
            !raakt_conflict(&before, &after),
            "another exam moves nothing"
        );
        after.push(eigen_examen);
        assert!(raakt_conflict(&before, &after), "the same exam as DUO's");
        assert!(!raakt_conflict(&after, &after), "nothing new");
        assert!(!raakt_conflict(&[], &[ander_examen]), "one source alone");
    }
}
