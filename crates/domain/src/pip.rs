//! The PIP (persoonlijk plan inburgering en participatie): versions, leerroutes and levels, and DUO's
//! rules for fixing one (`vaststelling`), each in one place.

use crate::error::{FieldError, FieldErrors};
use crate::inburgeraar::{Doelgroep, InburgeraarId};
use crate::input::{self, Input};
use crate::termijn;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

text_enum! {
    /// The leerroute. DUO codes it `B`, `O` and `Z` (see [`Leerroute::duo_code`]).
    Leerroute {
        B1 => "B1",
        Onderwijs => "ONDERWIJS",
        Z => "Z",
    }
}

impl Leerroute {
    /// DUO's code in the PIP API.
    pub fn duo_code(self) -> &'static str {
        match self {
            Leerroute::B1 => "B",
            Leerroute::Onderwijs => "O",
            Leerroute::Z => "Z",
        }
    }
}

text_enum! {
    /// DUO's `NiveauPip`: the minimum level of the language exams.
    Niveau {
        A2 => "A2",
        B1 => "B1",
    }
}

text_enum! {
    /// Exam parts: the four language skills and KNM.
    Examenonderdeel {
        Lezen => "LEZEN",
        Luisteren => "LUISTEREN",
        Schrijven => "SCHRIJVEN",
        Spreken => "SPREKEN",
        Knm => "KNM",
    }
}

text_enum! {
    /// DUO's `Alfabetiseringsonderwijs`: A (analfabeet), AA (anders-gealfabetiseerd), NVT.
    Alfabetisering {
        A => "A",
        Aa => "AA",
        Nvt => "NVT",
    }
}

text_enum! {
    /// A PIP is drafted as a concept and then fixed; a fixed PIP is a decision (beschikking).
    PipStatus {
        Concept => "concept",
        Vastgesteld => "vastgesteld",
    }
}

/// Lesson hours after which a B1-route may scale down to A2 per exam part (Besluit art. 5.5).
pub const AFSCHALEN_MINIMUM_LESUREN: u32 = 600;
/// DUO's bounds of `geschatteIntensiteitB1Route`.
pub const MAX_INTENSITEIT: u32 = 9999;
use crate::input::MAX_TEKST;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PipId(pub Uuid);

impl std::fmt::Display for PipId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// One version of a person's PIP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pip {
    pub id: PipId,
    pub inburgeraar_id: InburgeraarId,
    pub status: PipStatus,
    pub datum_dagtekening: Option<NaiveDate>,
    pub leerroute: Leerroute,
    pub niveau: Option<Niveau>,
    pub geschatte_intensiteit_b1_route: Option<u32>,
    pub indicator_mag_opleiding_afmaken: bool,
    pub indicator_alfabetisering: Alfabetisering,
    /// B1-route: language exam parts scaled down to A2 (afschalen, Wi2021 art. 17(3)).
    #[serde(default)]
    pub afgeschaalde_onderdelen: Vec<Examenonderdeel>,
    pub intensiteit_pvt: Option<String>,
    pub intensiteit_map: Option<String>,
    pub ontzorgen: bool,
    pub voorzieningen: Option<String>,
    pub afspraken: Option<String>,
    pub aangemaakt_op: NaiveDateTime,
    pub gewijzigd_op: NaiveDateTime,
}

/// What a gemeente gives for a concept PIP.
#[derive(Debug, Clone, Default)]
pub struct PipGegevens {
    pub leerroute: Input<Leerroute>,
    pub niveau: Input<Niveau>,
    pub geschatte_intensiteit_b1_route: Input<i64>,
    pub indicator_mag_opleiding_afmaken: Input<bool>,
    pub indicator_alfabetisering: Input<Alfabetisering>,
    pub afgeschaalde_onderdelen: Input<Vec<Examenonderdeel>>,
    pub intensiteit_pvt: Input<String>,
    pub intensiteit_map: Input<String>,
    pub ontzorgen: Input<bool>,
    pub voorzieningen: Input<String>,
    pub afspraken: Input<String>,
}

/// What the rules need to know of the person and their earlier PIPs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipContext {
    pub doelgroep: Doelgroep,
    /// Start of the duty (`datumKennisgeving` stands in for it: the notice follows the start).
    pub start_plicht: Option<NaiveDate>,
    pub datum_vestiging: Option<NaiveDate>,
    /// The first PIP ever fixed for the person, if any.
    pub eerste: Option<(Leerroute, NaiveDate)>,
    /// The current (last fixed) PIP, if any.
    pub actueel: Option<ActuelePip>,
    /// Lesson hours registered so far (for afschalen).
    pub lesuren: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActuelePip {
    pub leerroute: Leerroute,
    pub niveau: Option<Niveau>,
    pub afgeschaald: Vec<Examenonderdeel>,
    pub datum_dagtekening: NaiveDate,
}

/// Reads the exam parts to scale down: language parts only, each once.
fn afgeschaalde_onderdelen(
    errors: &mut FieldErrors,
    input: Input<Vec<Examenonderdeel>>,
) -> Option<Vec<Examenonderdeel>> {
    let Input::Value(items) = input else {
        return (!matches!(input, Input::Invalid)).then(Vec::new);
    };
    let before = errors.0.len();
    let mut parts = Vec::new();
    for (index, part) in items.into_iter().enumerate() {
        let name = format!("afgeschaaldeOnderdelen[{index}]");
        if part == Examenonderdeel::Knm {
            errors.add(
                name,
                "geenTaalonderdeel",
                "Alleen taalonderdelen kunnen naar A2 worden afgeschaald.",
            );
        } else if parts.contains(&part) {
            errors.add(name, "dubbel", "Elk onderdeel hoogstens een keer.");
        } else {
            parts.push(part);
        }
    }
    (errors.0.len() == before).then_some(parts)
}

fn text(max: usize) -> impl Fn(&str, String) -> Result<String, FieldError> {
    move |field, value| input::parse_text(field, &value, 1, max)
}

fn intensiteit(field: &str, value: i64) -> Result<u32, FieldError> {
    u32::try_from(value)
        .ok()
        .filter(|v| (1..=MAX_INTENSITEIT).contains(v))
        .ok_or_else(|| {
            FieldError::new(
                field,
                "range",
                format!("Een geheel aantal uren van 1 tot en met {MAX_INTENSITEIT}."),
            )
        })
}

/// The rules on the content of a PIP (route, level, intensity) that hold for a concept and again at
/// vaststelling. `eerste_pip` says whether no PIP was ever fixed for the person.
pub fn check_inhoud(
    errors: &mut FieldErrors,
    leerroute: Leerroute,
    niveau: Option<Niveau>,
    intensiteit: Option<u32>,
    afgeschaald: &[Examenonderdeel],
    doelgroep: Doelgroep,
    eerste_pip: bool,
) {
    if !afgeschaald.is_empty() {
        let reden = match (leerroute, niveau) {
            (Leerroute::B1, Some(Niveau::A2)) => Some("Bij niveau A2 zijn alle onderdelen al A2."),
            (Leerroute::B1, _) if eerste_pip => {
                Some("Afschalen kan niet in de eerste PIP van een persoon.")
            }
            (Leerroute::B1, _) => None,
            _ => Some("Afschalen kan alleen in de B1-route."),
        };
        if let Some(reden) = reden {
            errors.add("afgeschaaldeOnderdelen", "afschalenNietToegestaan", reden);
        }
    }
    match (leerroute, niveau) {
        (Leerroute::Onderwijs, Some(Niveau::A2)) => errors.add(
            "niveau",
            "niveauNietToegestaan",
            "Niveau A2 past niet bij de onderwijsroute.",
        ),
        (Leerroute::Z, Some(Niveau::B1)) => errors.add(
            "niveau",
            "niveauNietToegestaan",
            "Niveau B1 past niet bij de Z-route.",
        ),
        (Leerroute::B1, Some(Niveau::A2)) if eerste_pip => errors.add(
            "niveau",
            "niveauNietToegestaan",
            "Niveau A2 in de B1-route kan niet in de eerste PIP van een persoon (afschalen kan later).",
        ),
        _ => {}
    }
    if intensiteit.is_some() && !(leerroute == Leerroute::B1 && doelgroep.is_asielstatushouder()) {
        errors.add(
            "geschatteIntensiteitB1Route",
            "nietToegestaan",
            "Alleen voor de B1-route van een asielstatushouder.",
        );
    }
}

/// DUO's default: B1 for the B1-route and the onderwijsroute when no level is given.
pub fn standaard_niveau(leerroute: Leerroute, niveau: Option<Niveau>) -> Option<Niveau> {
    match (leerroute, niveau) {
        (Leerroute::B1 | Leerroute::Onderwijs, None) => Some(Niveau::B1),
        (_, niveau) => niveau,
    }
}

impl Pip {
    /// A new concept PIP.
    ///
    /// # Errors
    /// Every invalid field, including route/level combinations DUO refuses.
    pub fn concept(
        inburgeraar_id: InburgeraarId,
        input: PipGegevens,
        context: &PipContext,
        now: NaiveDateTime,
    ) -> Result<Pip, FieldErrors> {
        let mut errors = FieldErrors::new();
        let leerroute = input::required(&mut errors, "leerroute", input.leerroute, |_, v| Ok(v));
        let niveau = input::optional(&mut errors, "niveau", input.niveau, |_, v| Ok(v));
        let intensiteit = input::optional(
            &mut errors,
            "geschatteIntensiteitB1Route",
            input.geschatte_intensiteit_b1_route,
            intensiteit,
        );
        let afmaken = input::optional(
            &mut errors,
            "indicatorMagOpleidingAfmaken",
            input.indicator_mag_opleiding_afmaken,
            |_, v| Ok(v),
        );
        let afgeschaald = afgeschaalde_onderdelen(&mut errors, input.afgeschaalde_onderdelen);
        let alfabetisering = input::optional(
            &mut errors,
            "indicatorAlfabetiseringsonderwijs",
            input.indicator_alfabetisering,
            |_, v| Ok(v),
        );
        let intensiteit_pvt = input::optional(
            &mut errors,
            "intensiteitPvt",
            input.intensiteit_pvt,
            text(MAX_TEKST),
        );
        let intensiteit_map = input::optional(
            &mut errors,
            "intensiteitMap",
            input.intensiteit_map,
            text(MAX_TEKST),
        );
        let ontzorgen = input::optional(&mut errors, "ontzorgen", input.ontzorgen, |_, v| Ok(v));
        let voorzieningen = input::optional(
            &mut errors,
            "voorzieningen",
            input.voorzieningen,
            text(MAX_TEKST),
        );
        let afspraken = input::optional(&mut errors, "afspraken", input.afspraken, text(MAX_TEKST));
        if let (Some(leerroute), Some(niveau), Some(intensiteit), Some(afgeschaald)) =
            (leerroute, niveau, intensiteit, afgeschaald.as_ref())
        {
            check_inhoud(
                &mut errors,
                leerroute,
                niveau,
                intensiteit,
                afgeschaald,
                context.doelgroep,
                context.eerste.is_none(),
            );
            if leerroute == Leerroute::Onderwijs && matches!(intensiteit_map, Some(Some(_))) {
                errors.add(
                    "intensiteitMap",
                    "nietToegestaan",
                    "De onderwijsroute kent geen MAP.",
                );
            }
        }
        match (
            leerroute,
            niveau,
            intensiteit,
            afgeschaald,
            afmaken,
            alfabetisering,
            intensiteit_pvt,
            intensiteit_map,
            ontzorgen,
            voorzieningen,
            afspraken,
        ) {
            (
                Some(leerroute),
                Some(niveau),
                Some(intensiteit),
                Some(afgeschaald),
                Some(afmaken),
                Some(alfabetisering),
                Some(pvt),
                Some(map),
                Some(ontzorgen),
                Some(voorzieningen),
                Some(afspraken),
            ) if errors.is_empty() => Ok(Pip {
                id: PipId(Uuid::now_v7()),
                inburgeraar_id,
                status: PipStatus::Concept,
                datum_dagtekening: None,
                leerroute,
                niveau: standaard_niveau(leerroute, niveau),
                geschatte_intensiteit_b1_route: intensiteit,
                indicator_mag_opleiding_afmaken: afmaken.unwrap_or(false),
                indicator_alfabetisering: alfabetisering.unwrap_or(Alfabetisering::Nvt),
                afgeschaalde_onderdelen: afgeschaald,
                intensiteit_pvt: pvt,
                intensiteit_map: map,
                ontzorgen: ontzorgen.unwrap_or(false),
                voorzieningen,
                afspraken,
                aangemaakt_op: now,
                gewijzigd_op: now,
            }),
            _ => Err(errors),
        }
    }

    /// Fixes a concept PIP on `datum_dagtekening`, checking every rule of DUO's PIP section against the
    /// person and their earlier PIPs.
    ///
    /// # Errors
    /// `datumDagtekening` before the duty, the settling, the first or the current PIP, or in the future;
    /// a level the route does not allow; a route switch after its last date; afschalen too early; a PIP
    /// that is not a concept.
    pub fn vaststellen(
        &self,
        dagtekening: Input<NaiveDate>,
        context: &PipContext,
        now: NaiveDateTime,
    ) -> Result<Pip, FieldErrors> {
        let mut errors = FieldErrors::new();
        if self.status != PipStatus::Concept {
            errors.add(
                "status",
                "alVastgesteld",
                "Deze PIP is al vastgesteld; stel een nieuwe PIP op.",
            );
            return Err(errors);
        }
        let today = now.date();
        let Some(datum) = input::required(&mut errors, "datumDagtekening", dagtekening, |f, v| {
            input::past_date(f, v, today)
        }) else {
            return Err(errors);
        };
        let field = "datumDagtekening";
        if context.start_plicht.is_some_and(|start| datum < start) {
            errors.add(
                field,
                "voorStartPlicht",
                "De dagtekening ligt voor de start van de inburgeringsplicht.",
            );
        }
        if context
            .datum_vestiging
            .is_some_and(|vestiging| datum < vestiging)
        {
            errors.add(
                field,
                "voorVestiging",
                "De dagtekening ligt voor de vestiging in de gemeente.",
            );
        }
        let vorige = [
            context.eerste.map(|(_, d)| d),
            context.actueel.as_ref().map(|a| a.datum_dagtekening),
        ];
        if vorige.into_iter().flatten().any(|eerder| datum < eerder) {
            errors.add(
                field,
                "voorVorigePip",
                "De dagtekening ligt voor die van de eerste of de actuele PIP.",
            );
        }
        check_inhoud(
            &mut errors,
            self.leerroute,
            self.niveau,
            self.geschatte_intensiteit_b1_route,
            &self.afgeschaalde_onderdelen,
            context.doelgroep,
            context.eerste.is_none(),
        );
        if let (Some(actueel), Some((_, eerste))) = (&context.actueel, context.eerste) {
            let schakelen = actueel.leerroute != self.leerroute;
            let uitzondering =
                actueel.leerroute == Leerroute::Onderwijs && self.leerroute == Leerroute::B1;
            let laatste = termijn::laatste_schakeldatum(termijn::termijn_start(eerste));
            if schakelen && !uitzondering && datum > laatste {
                errors.add(
                    "leerroute",
                    "schakelenVerstreken",
                    format!("Van leerroute wisselen kon tot en met {laatste} (18 maanden na de start van de termijn)."),
                );
            }
            // Afschalen: the whole level to A2, or an exam part that was not at A2 yet.
            let geheel = actueel.niveau != Some(Niveau::A2) && self.niveau == Some(Niveau::A2);
            let per_onderdeel = self
                .afgeschaalde_onderdelen
                .iter()
                .any(|part| !actueel.afgeschaald.contains(part));
            let afschalen = self.leerroute == Leerroute::B1
                && actueel.leerroute == Leerroute::B1
                && (geheel || per_onderdeel);
            if afschalen && context.lesuren < AFSCHALEN_MINIMUM_LESUREN {
                errors.add(
                    "niveau",
                    "afschalenTeVroeg",
                    format!(
                        "Afschalen naar A2 kan pas na {AFSCHALEN_MINIMUM_LESUREN} lesuren; er zijn er {} geregistreerd.",
                        context.lesuren
                    ),
                );
            }
        }
        errors.finish()?;
        Ok(Pip {
            status: PipStatus::Vastgesteld,
            datum_dagtekening: Some(datum),
            gewijzigd_op: now,
            ..self.clone()
        })
    }

    /// Whether this PIP may be deleted: a concept always; a fixed PIP only while its term has not
    /// started and no hours are registered (DUO's rule for removing a PIP).
    ///
    /// # Errors
    /// A reason when it may not.
    pub fn verwijderbaar(&self, termijn_gestart: bool, lesuren: u32) -> Result<(), &'static str> {
        match self.status {
            PipStatus::Concept => Ok(()),
            PipStatus::Vastgesteld if termijn_gestart => {
                Err("De inburgeringstermijn is al vastgesteld; deze PIP kan niet meer worden verwijderd.")
            }
            PipStatus::Vastgesteld if lesuren > 0 => {
                Err("Er zijn al lesuren geregistreerd; deze PIP kan niet meer worden verwijderd.")
            }
            PipStatus::Vastgesteld => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn now() -> NaiveDateTime {
        d(2026, 11, 23).and_hms_opt(12, 0, 0).unwrap()
    }

    fn context() -> PipContext {
        PipContext {
            doelgroep: Doelgroep::Asielstatushouder,
            start_plicht: Some(d(2025, 1, 10)),
            datum_vestiging: Some(d(2025, 2, 1)),
            eerste: None,
            actueel: None,
            lesuren: 0,
        }
    }

    fn concept(
        route: &str,
        niveau: Option<&str>,
        context: &PipContext,
    ) -> Result<Pip, FieldErrors> {
        Pip::concept(
            InburgeraarId(Uuid::nil()),
            PipGegevens {
                leerroute: Input::Value(route.parse().unwrap()),
                niveau: niveau.map_or(Input::Absent, |n| Input::Value(n.parse().unwrap())),
                ..PipGegevens::default()
            },
            context,
            now(),
        )
    }

    fn codes(errors: &FieldErrors) -> Vec<&'static str> {
        errors.0.iter().map(|e| e.code).collect()
    }

    #[test]
    fn level_defaults_and_forbidden_combinations() {
        assert_eq!(
            concept("B1", None, &context()).unwrap().niveau,
            Some(Niveau::B1)
        );
        assert_eq!(
            concept("ONDERWIJS", None, &context()).unwrap().niveau,
            Some(Niveau::B1)
        );
        assert_eq!(concept("Z", None, &context()).unwrap().niveau, None);
        assert_eq!(
            codes(&concept("ONDERWIJS", Some("A2"), &context()).unwrap_err()),
            ["niveauNietToegestaan"]
        );
        assert_eq!(
            codes(&concept("Z", Some("B1"), &context()).unwrap_err()),
            ["niveauNietToegestaan"]
        );
        assert_eq!(
            codes(&concept("B1", Some("A2"), &context()).unwrap_err()),
            ["niveauNietToegestaan"]
        );
        let mut later = context();
        later.eerste = Some((Leerroute::B1, d(2025, 3, 1)));
        assert!(
            concept("B1", Some("A2"), &later).is_ok(),
            "A2 in the B1-route is fine after the first PIP"
        );
        assert!(concept("Z", Some("A2"), &context()).is_ok());
    }

    #[test]
    fn intensity_only_for_asylum_in_the_b1_route() {
        let with = |route: &str, doelgroep: Doelgroep| {
            let mut ctx = context();
            ctx.doelgroep = doelgroep;
            Pip::concept(
                InburgeraarId(Uuid::nil()),
                PipGegevens {
                    leerroute: Input::Value(route.parse().unwrap()),
                    geschatte_intensiteit_b1_route: Input::Value(900),
                    ..PipGegevens::default()
                },
                &ctx,
                now(),
            )
        };
        assert!(with("B1", Doelgroep::Asielstatushouder).is_ok());
        assert!(with("B1", Doelgroep::GezinsvormerMetAsielstatushouder).is_ok());
        assert_eq!(
            codes(&with("B1", Doelgroep::Gezinsvormer).unwrap_err()),
            ["nietToegestaan"]
        );
        assert_eq!(
            codes(&with("Z", Doelgroep::Asielstatushouder).unwrap_err()),
            ["nietToegestaan"]
        );
    }

    #[test]
    fn onderwijsroute_has_no_map() {
        let pip = Pip::concept(
            InburgeraarId(Uuid::nil()),
            PipGegevens {
                leerroute: Input::Value("ONDERWIJS".parse().unwrap()),
                intensiteit_map: Input::Value("12 uur".parse().unwrap()),
                ..PipGegevens::default()
            },
            &context(),
            now(),
        );
        assert_eq!(codes(&pip.unwrap_err()), ["nietToegestaan"]);
    }

    fn fix(pip: &Pip, date: &str, ctx: &PipContext) -> Result<Pip, FieldErrors> {
        pip.vaststellen(Input::Value(date.parse().unwrap()), ctx, now())
    }

    #[test]
    fn dagtekening_rules() {
        let pip = concept("B1", None, &context()).unwrap();
        assert_eq!(
            fix(&pip, "2025-03-01", &context())
                .unwrap()
                .datum_dagtekening,
            Some(d(2025, 3, 1))
        );
        assert_eq!(
            codes(&fix(&pip, "2025-01-05", &context()).unwrap_err()),
            ["voorStartPlicht", "voorVestiging"]
        );
        assert_eq!(
            codes(&fix(&pip, "2025-01-20", &context()).unwrap_err()),
            ["voorVestiging"]
        );
        assert_eq!(
            codes(&fix(&pip, "2027-01-01", &context()).unwrap_err()),
            ["future"]
        );
        let mut later = context();
        later.eerste = Some((Leerroute::B1, d(2025, 3, 1)));
        later.actueel = Some(ActuelePip {
            leerroute: Leerroute::B1,
            niveau: Some(Niveau::B1),
            afgeschaald: vec![],
            datum_dagtekening: d(2025, 6, 1),
        });
        assert_eq!(
            codes(&fix(&pip, "2025-05-01", &later).unwrap_err()),
            ["voorVorigePip"]
        );
        assert!(fix(&pip, "2025-06-01", &later).is_ok());
        let fixed = fix(&pip, "2025-06-01", &later).unwrap();
        assert_eq!(
            codes(&fix(&fixed, "2025-07-01", &later).unwrap_err()),
            ["alVastgesteld"]
        );
    }

    #[test]
    fn route_switch_within_eighteen_months_except_onderwijs_to_b1() {
        let mut ctx = context();
        // First PIP dated 1 March 2025: term starts 2 March 2025, last switch date 2 September 2026.
        ctx.eerste = Some((Leerroute::Z, d(2025, 3, 1)));
        ctx.actueel = Some(ActuelePip {
            leerroute: Leerroute::Z,
            niveau: None,
            afgeschaald: vec![],
            datum_dagtekening: d(2025, 3, 1),
        });
        let to_b1 = concept("B1", None, &ctx).unwrap();
        assert!(fix(&to_b1, "2026-09-02", &ctx).is_ok());
        assert_eq!(
            codes(&fix(&to_b1, "2026-09-03", &ctx).unwrap_err()),
            ["schakelenVerstreken"]
        );
        ctx.actueel = Some(ActuelePip {
            leerroute: Leerroute::Onderwijs,
            niveau: Some(Niveau::B1),
            afgeschaald: vec![],
            datum_dagtekening: d(2025, 3, 1),
        });
        assert!(
            fix(&to_b1, "2026-10-01", &ctx).is_ok(),
            "onderwijsroute to B1-route is always allowed"
        );
        let same_route = concept("ONDERWIJS", None, &ctx).unwrap();
        assert!(
            fix(&same_route, "2026-10-01", &ctx).is_ok(),
            "a new PIP on the same route is no switch"
        );
    }

    #[test]
    fn afschalen_needs_six_hundred_hours() {
        let mut ctx = context();
        ctx.eerste = Some((Leerroute::B1, d(2025, 3, 1)));
        ctx.actueel = Some(ActuelePip {
            leerroute: Leerroute::B1,
            niveau: Some(Niveau::B1),
            afgeschaald: vec![],
            datum_dagtekening: d(2025, 3, 1),
        });
        let a2 = concept("B1", Some("A2"), &ctx).unwrap();
        ctx.lesuren = 599;
        assert_eq!(
            codes(&fix(&a2, "2026-01-05", &ctx).unwrap_err()),
            ["afschalenTeVroeg"]
        );
        ctx.lesuren = 600;
        assert!(fix(&a2, "2026-01-05", &ctx).is_ok());
    }

    #[test]
    fn afschalen_per_exam_part() {
        let mut ctx = context();
        let parts = |list: &[&str]| Input::Value(list.iter().map(|p| p.parse().unwrap()).collect());
        let with_parts = |ctx: &PipContext, route: &str, niveau: Option<&str>, list: &[&str]| {
            Pip::concept(
                InburgeraarId(Uuid::nil()),
                PipGegevens {
                    leerroute: Input::Value(route.parse().unwrap()),
                    niveau: niveau.map_or(Input::Absent, |n| Input::Value(n.parse().unwrap())),
                    afgeschaalde_onderdelen: parts(list),
                    ..PipGegevens::default()
                },
                ctx,
                now(),
            )
        };
        // Never on a first PIP, never outside the B1-route, only language parts, each once.
        assert_eq!(
            codes(&with_parts(&ctx, "B1", None, &["SPREKEN"]).unwrap_err()),
            ["afschalenNietToegestaan"]
        );
        ctx.eerste = Some((Leerroute::B1, d(2025, 3, 1)));
        ctx.actueel = Some(ActuelePip {
            leerroute: Leerroute::B1,
            niveau: Some(Niveau::B1),
            afgeschaald: vec![Examenonderdeel::Schrijven],
            datum_dagtekening: d(2025, 3, 1),
        });
        assert_eq!(
            codes(&with_parts(&ctx, "Z", None, &["SPREKEN"]).unwrap_err()),
            ["afschalenNietToegestaan"]
        );
        assert_eq!(
            codes(&with_parts(&ctx, "B1", None, &["KNM", "SPREKEN", "SPREKEN"]).unwrap_err()),
            ["geenTaalonderdeel", "dubbel"]
        );
        assert_eq!(
            codes(&with_parts(&ctx, "B1", Some("A2"), &["SPREKEN"]).unwrap_err()),
            ["afschalenNietToegestaan"]
        );
        // A new part needs 600 lesuren at vaststelling; keeping an earlier one does not.
        let spreken = with_parts(&ctx, "B1", None, &["SCHRIJVEN", "SPREKEN"]).unwrap();
        assert_eq!(spreken.niveau, Some(Niveau::B1));
        ctx.lesuren = 10;
        assert_eq!(
            codes(&fix(&spreken, "2026-01-05", &ctx).unwrap_err()),
            ["afschalenTeVroeg"]
        );
        let same = with_parts(&ctx, "B1", None, &["SCHRIJVEN"]).unwrap();
        assert!(fix(&same, "2026-01-05", &ctx).is_ok());
        ctx.lesuren = 600;
        assert!(fix(&spreken, "2026-01-05", &ctx).is_ok());
    }

    #[test]
    fn deletion_only_before_the_term_and_without_hours() {
        let pip = concept("B1", None, &context()).unwrap();
        assert!(
            pip.verwijderbaar(true, 10).is_ok(),
            "a concept can always go"
        );
        let fixed = fix(&pip, "2025-03-01", &context()).unwrap();
        assert!(fixed.verwijderbaar(false, 0).is_ok());
        assert!(fixed.verwijderbaar(true, 0).is_err());
        assert!(fixed.verwijderbaar(false, 1).is_err());
    }
}
