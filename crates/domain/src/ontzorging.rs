//! Financieel ontzorgen (Participatiewet art. 56a): for an inburgeraar on welfare with an asylum permit
//! the gemeente pays at least rent, energy, water and the health-insurance premium from the benefit,
//! for at least the first six months (a gemeente may choose longer). For others it is local policy.

use crate::error::{FieldError, FieldErrors};
use crate::inburgeraar::Doelgroep;
use crate::input::{self, Input};
use crate::instellingen::GemeenteInstellingen;
use crate::termijn;
use crate::traject::Weigering;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

text_enum! {
    /// Where the ontzorging stands. Afbouw (tapering off) is local policy.
    OntzorgingStatus {
        NietVanToepassing => "NIET_VAN_TOEPASSING",
        Actief => "ACTIEF",
        Afbouw => "AFBOUW",
        Beeindigd => "BEEINDIGD",
    }
}

text_enum! {
    /// The fixed costs paid from the benefit.
    PostSoort {
        Huur => "HUUR",
        Energie => "ENERGIE",
        Water => "WATER",
        Zorgverzekering => "ZORGVERZEKERING",
        Overig => "OVERIG",
    }
}

/// The costs art. 56a requires the gemeente to pay for a mandatory case.
pub const VERPLICHTE_POSTEN: [PostSoort; 4] = [
    PostSoort::Huur,
    PostSoort::Energie,
    PostSoort::Water,
    PostSoort::Zorgverzekering,
];

const MAX_KORT: usize = 200;
use crate::input::MAX_TEKST;
const MAX_BEDRAG_CENT: u32 = 1_000_000;

/// One fixed cost paid on the person's behalf.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Post {
    pub soort: PostSoort,
    /// Required for `OVERIG`.
    pub omschrijving: Option<String>,
    /// Who is paid (landlord, energy supplier, insurer).
    pub begunstigde: String,
    /// Euro cents per month.
    pub bedrag_per_maand_cent: u32,
}

/// What a gemeente gives for one post.
#[derive(Debug, Clone, Default)]
pub struct PostGegevens {
    pub soort: Input<PostSoort>,
    pub omschrijving: Input<String>,
    pub begunstigde: Input<String>,
    pub bedrag_per_maand_cent: Input<i64>,
}

/// The ontzorging of one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ontzorging {
    pub status: OntzorgingStatus,
    /// Art. 56a applies: welfare, an asylum permit and an asylum-related doelgroep. Computed.
    pub verplicht: bool,
    pub uitkering_participatiewet: bool,
    pub verblijfsvergunning_asiel: bool,
    pub datum_start: Option<NaiveDate>,
    /// Start plus the gemeente's minimum length; computed at every change, never typed in.
    pub datum_minimaal_einde: Option<NaiveDate>,
    pub posten: Vec<Post>,
    /// Start of the guidance towards financial self-reliance.
    pub datum_start_begeleiding: Option<NaiveDate>,
    pub datum_einde: Option<NaiveDate>,
    pub reden_einde: Option<String>,
}

/// The whole new state of the ontzorging as a gemeente gives it (PUT: what is left out is withdrawn).
#[derive(Debug, Clone, Default)]
pub struct OntzorgingGegevens {
    pub status: Input<OntzorgingStatus>,
    pub uitkering_participatiewet: Input<bool>,
    pub verblijfsvergunning_asiel: Input<bool>,
    pub datum_start: Input<NaiveDate>,
    pub posten: Input<Vec<PostGegevens>>,
    pub datum_start_begeleiding: Input<NaiveDate>,
    pub datum_einde: Input<NaiveDate>,
    pub reden_einde: Input<String>,
}

/// Art. 56a applies to a person on welfare with an asylum permit: an asielstatushouder, or a
/// nareiziger (gezinshereniger/-vormer met asielstatushouder) with a dependent asylum permit. Family
/// on a regular permit is not covered, although Wi2021 counts them as asylum holders.
pub fn is_verplicht(
    uitkering_participatiewet: bool,
    verblijfsvergunning_asiel: bool,
    doelgroep: Doelgroep,
) -> bool {
    uitkering_participatiewet && verblijfsvergunning_asiel && doelgroep.is_asielstatushouder()
}

/// The earliest end of an ontzorging that started on `start`: the gemeente's minimum length in months
/// later, clamped to the end of a shorter month.
pub fn minimaal_einde(start: NaiveDate, instellingen: &GemeenteInstellingen) -> NaiveDate {
    termijn::add_months(start, instellingen.ontzorgen_maanden)
}

/// The statuses the ontzorging may move to from `huidig` (`None`: nothing registered yet).
pub fn toegestane_statussen(huidig: Option<OntzorgingStatus>) -> &'static [OntzorgingStatus] {
    use OntzorgingStatus as S;
    match huidig {
        None | Some(S::NietVanToepassing) => &[S::NietVanToepassing, S::Actief],
        Some(S::Actief | S::Afbouw) => &[S::Actief, S::Afbouw, S::Beeindigd],
        Some(S::Beeindigd) => &[S::Beeindigd],
    }
}

fn kort(field: &str, value: String) -> Result<String, FieldError> {
    input::parse_text(field, &value, 1, MAX_KORT)
}

fn datum(_: &str, value: NaiveDate) -> Result<NaiveDate, FieldError> {
    Ok(value)
}

impl Post {
    fn lees(errors: &mut FieldErrors, prefix: &str, input: PostGegevens) -> Option<Post> {
        let name = |field: &str| format!("{prefix}.{field}");
        let soort = input::required(errors, &name("soort"), input.soort, |_, v| Ok(v));
        let omschrijving = input::optional(errors, &name("omschrijving"), input.omschrijving, kort);
        let begunstigde = input::required(errors, &name("begunstigde"), input.begunstigde, kort);
        let bedrag = input::required(
            errors,
            &name("bedragPerMaandCent"),
            input.bedrag_per_maand_cent,
            |f, v| {
                u32::try_from(v)
                    .ok()
                    .filter(|b| (1..=MAX_BEDRAG_CENT).contains(b))
                    .ok_or_else(|| {
                        FieldError::new(
                            f,
                            "range",
                            format!("Een bedrag in eurocent van 1 tot en met {MAX_BEDRAG_CENT}."),
                        )
                    })
            },
        );
        if let (Some(PostSoort::Overig), Some(None)) = (soort, &omschrijving) {
            errors.add(
                name("omschrijving"),
                "required",
                "Omschrijf een post van soort OVERIG.",
            );
        }
        match (soort, omschrijving, begunstigde, bedrag) {
            (Some(soort), Some(omschrijving), Some(begunstigde), Some(bedrag_per_maand_cent))
                if soort != PostSoort::Overig || omschrijving.is_some() =>
            {
                Some(Post {
                    soort,
                    omschrijving,
                    begunstigde,
                    bedrag_per_maand_cent,
                })
            }
            _ => None,
        }
    }
}

/// Reads the posten; `None` when any of them is invalid (then the rules on the whole list are skipped).
fn lees_posten(errors: &mut FieldErrors, input: Input<Vec<PostGegevens>>) -> Option<Vec<Post>> {
    let items = match input {
        Input::Absent | Input::Null => return Some(Vec::new()),
        Input::Invalid => return None,
        Input::Value(items) => items,
    };
    let mut posten = Vec::new();
    let mut geldig = true;
    for (index, item) in items.into_iter().enumerate() {
        let prefix = format!("posten[{index}]");
        match Post::lees(errors, &prefix, item) {
            Some(post) => posten.push(post),
            None => geldig = false,
        }
    }
    geldig.then_some(posten)
}

fn lijst(statussen: &[OntzorgingStatus]) -> String {
    statussen
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

impl Ontzorging {
    /// Replaces the ontzorging (PUT semantics: the body is the whole new state) after checking every
    /// rule; all invalid fields are reported at once, before the transition is checked.
    ///
    /// # Errors
    /// `Ongeldig` with every invalid field; `Conflict` for a status the current one cannot move to.
    pub fn wijzig(
        huidig: Option<&Ontzorging>,
        input: OntzorgingGegevens,
        doelgroep: Doelgroep,
        instellingen: &GemeenteInstellingen,
    ) -> Result<Ontzorging, Weigering> {
        use OntzorgingStatus as S;
        let mut errors = FieldErrors::new();
        let status = input::required(&mut errors, "status", input.status, |_, v| Ok(v));
        let uitkering = input::optional(
            &mut errors,
            "uitkeringParticipatiewet",
            input.uitkering_participatiewet,
            |_, v| Ok(v),
        );
        let asiel = input::optional(
            &mut errors,
            "verblijfsvergunningAsiel",
            input.verblijfsvergunning_asiel,
            |_, v| Ok(v),
        );
        let start = input::optional(&mut errors, "datumStart", input.datum_start, datum);
        let posten = lees_posten(&mut errors, input.posten);
        let begeleiding = input::optional(
            &mut errors,
            "datumStartBegeleiding",
            input.datum_start_begeleiding,
            datum,
        );
        let einde = input::optional(&mut errors, "datumEinde", input.datum_einde, datum);
        let reden = input::optional(&mut errors, "redenEinde", input.reden_einde, |f, v| {
            input::parse_text(f, &v, 1, MAX_TEKST)
        });

        let verplicht = match (uitkering, asiel) {
            (Some(uitkering), Some(asiel)) => Some(is_verplicht(
                uitkering.unwrap_or(false),
                asiel.unwrap_or(false),
                doelgroep,
            )),
            _ => None,
        };
        let minimaal = start.flatten().map(|s| minimaal_einde(s, instellingen));
        if let Some(status) = status {
            if status == S::NietVanToepassing {
                let velden = [
                    ("datumStart", start.flatten().is_some()),
                    ("posten", posten.as_ref().is_some_and(|p| !p.is_empty())),
                    ("datumStartBegeleiding", begeleiding.flatten().is_some()),
                ];
                for (name, _) in velden.into_iter().filter(|(_, gegeven)| *gegeven) {
                    errors.add(
                        name,
                        "nietToegestaan",
                        "Een ontzorging die niet van toepassing is heeft geen start, posten of begeleiding.",
                    );
                }
            } else if start == Some(None) {
                errors.add(
                    "datumStart",
                    "required",
                    format!(
                        "Een ontzorging met status {} heeft een startdatum.",
                        status.as_str()
                    ),
                );
            }
            if status == S::Beeindigd {
                if einde == Some(None) {
                    errors.add(
                        "datumEinde",
                        "required",
                        "Geef de einddatum van een beëindigde ontzorging.",
                    );
                }
                if reden == Some(None) {
                    errors.add(
                        "redenEinde",
                        "required",
                        "Geef de reden van de beëindiging.",
                    );
                }
            } else {
                for (name, gegeven) in [
                    ("datumEinde", einde.flatten().is_some()),
                    ("redenEinde", reden.as_ref().is_some_and(Option::is_some)),
                ] {
                    if gegeven {
                        errors.add(
                            name,
                            "nietToegestaan",
                            "Een einddatum en een reden horen alleen bij status BEEINDIGD.",
                        );
                    }
                }
            }
            if let (true, Some(true), Some(posten)) = (
                matches!(status, S::Actief | S::Afbouw),
                verplicht,
                posten.as_ref(),
            ) {
                let ontbrekend: Vec<&str> = VERPLICHTE_POSTEN
                    .iter()
                    .filter(|soort| !posten.iter().any(|p| p.soort == **soort))
                    .map(|soort| soort.as_str())
                    .collect();
                if !ontbrekend.is_empty() {
                    errors.add(
                        "posten",
                        "verplichtePosten",
                        format!(
                            "Bij verplicht ontzorgen (Participatiewet art. 56a) betaalt de gemeente ten minste huur, energie, water en zorgverzekering; ontbreekt: {}.",
                            ontbrekend.join(", ")
                        ),
                    );
                }
            }
            if let (S::Beeindigd, Some(true), Some(minimaal), Some(Some(einde))) =
                (status, verplicht, minimaal, einde)
            {
                if einde < minimaal {
                    errors.add(
                        "datumEinde",
                        "voorMinimaleEinddatum",
                        format!(
                            "Verplicht ontzorgen (Participatiewet art. 56a) loopt ten minste {} maanden: tot en met {minimaal}.",
                            instellingen.ontzorgen_maanden
                        ),
                    );
                }
            }
        }
        if let Some(start) = start.flatten() {
            if einde.flatten().is_some_and(|e| e < start) {
                errors.add(
                    "datumEinde",
                    "voorStart",
                    "De einddatum ligt voor de startdatum.",
                );
            }
            if begeleiding.flatten().is_some_and(|b| b < start) {
                errors.add(
                    "datumStartBegeleiding",
                    "voorStart",
                    "De begeleiding naar financiële zelfredzaamheid start niet voor de ontzorging.",
                );
            }
        }
        errors.finish()?;
        let (
            Some(status),
            Some(uitkering),
            Some(asiel),
            Some(verplicht),
            Some(start),
            Some(posten),
            Some(begeleiding),
            Some(einde),
            Some(reden),
        ) = (
            status,
            uitkering,
            asiel,
            verplicht,
            start,
            posten,
            begeleiding,
            einde,
            reden,
        )
        else {
            return Err(Weigering::Ongeldig(FieldErrors::new()));
        };

        let van = huidig.map(|h| h.status);
        let toegestaan = toegestane_statussen(van);
        if !toegestaan.contains(&status) {
            return Err(Weigering::Conflict(match van {
                None => format!(
                    "Een nieuwe ontzorging begint met status {}.",
                    lijst(toegestaan)
                ),
                Some(van) => format!(
                    "Een ontzorging met status {} kan alleen naar status {}.",
                    van.as_str(),
                    lijst(toegestaan)
                ),
            }));
        }
        Ok(Ontzorging {
            status,
            verplicht,
            uitkering_participatiewet: uitkering.unwrap_or(false),
            verblijfsvergunning_asiel: asiel.unwrap_or(false),
            datum_start: start,
            datum_minimaal_einde: minimaal,
            posten,
            datum_start_begeleiding: begeleiding,
            datum_einde: einde,
            reden_einde: reden,
        })
    }

    /// The minimum period is over on `today` (from its last day on).
    pub fn minimaal_einde_bereikt(&self, today: NaiveDate) -> bool {
        self.datum_minimaal_einde.is_some_and(|d| d <= today)
    }

    /// The ontzorging runs: payments are made (ACTIEF) or tapered off (AFBOUW).
    pub fn loopt(&self) -> bool {
        matches!(
            self.status,
            OntzorgingStatus::Actief | OntzorgingStatus::Afbouw
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn post(soort: &str) -> PostGegevens {
        PostGegevens {
            soort: Input::Value(soort.parse().unwrap()),
            omschrijving: Input::Absent,
            begunstigde: Input::Value("Woonstichting Hoorn".parse().unwrap()),
            bedrag_per_maand_cent: Input::Value(65_000),
        }
    }

    fn vier_posten() -> Input<Vec<PostGegevens>> {
        Input::Value(VERPLICHTE_POSTEN.iter().map(|s| post(s.as_str())).collect())
    }

    /// A mandatory case (welfare, asylum permit, asielstatushouder) in `status` from 31 January 2026.
    fn verplicht(status: &str) -> OntzorgingGegevens {
        OntzorgingGegevens {
            status: Input::Value(status.parse().unwrap()),
            uitkering_participatiewet: Input::Value(true),
            verblijfsvergunning_asiel: Input::Value(true),
            datum_start: Input::Value("2026-01-31".parse().unwrap()),
            posten: vier_posten(),
            ..OntzorgingGegevens::default()
        }
    }

    fn beeindigd(einde: &str) -> OntzorgingGegevens {
        OntzorgingGegevens {
            datum_einde: Input::Value(einde.parse().unwrap()),
            reden_einde: Input::Value("Financieel zelfredzaam".parse().unwrap()),
            ..verplicht("BEEINDIGD")
        }
    }

    fn wijzig(
        huidig: Option<&Ontzorging>,
        input: OntzorgingGegevens,
        doelgroep: Doelgroep,
    ) -> Result<Ontzorging, Weigering> {
        Ontzorging::wijzig(huidig, input, doelgroep, &GemeenteInstellingen::default())
    }

    fn codes(weigering: Weigering) -> Vec<(String, &'static str)> {
        match weigering {
            Weigering::Ongeldig(errors) => errors.0.into_iter().map(|e| (e.name, e.code)).collect(),
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    #[test]
    fn the_minimum_end_clamps_at_month_ends() {
        let standaard = GemeenteInstellingen::default();
        assert_eq!(minimaal_einde(d(2026, 1, 31), &standaard), d(2026, 7, 31));
        assert_eq!(minimaal_einde(d(2026, 8, 31), &standaard), d(2027, 2, 28));
        let langer = GemeenteInstellingen {
            ontzorgen_maanden: 12,
            ..standaard
        };
        assert_eq!(minimaal_einde(d(2026, 1, 31), &langer), d(2027, 1, 31));
    }

    #[test]
    fn who_must_be_ontzorgd() {
        assert!(is_verplicht(true, true, Doelgroep::Asielstatushouder));
        assert!(is_verplicht(
            true,
            true,
            Doelgroep::GezinsherenigerMetAsielstatushouder
        ));
        assert!(is_verplicht(
            true,
            true,
            Doelgroep::GezinsvormerMetAsielstatushouder
        ));
        // A nareiziger on a regular permit, no welfare, or a family migrant: local policy only.
        assert!(!is_verplicht(
            true,
            false,
            Doelgroep::GezinsherenigerMetAsielstatushouder
        ));
        assert!(!is_verplicht(false, true, Doelgroep::Asielstatushouder));
        assert!(!is_verplicht(true, true, Doelgroep::Gezinshereniger));
    }

    #[test]
    fn a_mandatory_case_starts_with_the_four_fixed_costs() {
        let actief = wijzig(None, verplicht("ACTIEF"), Doelgroep::Asielstatushouder).unwrap();
        assert!(actief.verplicht);
        assert_eq!(actief.datum_minimaal_einde, Some(d(2026, 7, 31)));
        assert_eq!(actief.posten.len(), 4);
        assert!(!actief.minimaal_einde_bereikt(d(2026, 7, 30)));
        assert!(actief.minimaal_einde_bereikt(d(2026, 7, 31)));

        let zonder_water = OntzorgingGegevens {
            posten: Input::Value(vec![post("HUUR"), post("ENERGIE"), post("OVERIG")]),
            ..verplicht("ACTIEF")
        };
        let Weigering::Ongeldig(errors) =
            wijzig(None, zonder_water, Doelgroep::Asielstatushouder).unwrap_err()
        else {
            panic!("expected field errors");
        };
        let names: Vec<_> = errors.0.iter().map(|e| (e.name.as_str(), e.code)).collect();
        assert_eq!(
            names,
            [("posten[2].omschrijving", "required")],
            "an invalid post skips the rule on the whole list"
        );

        let zonder_water = OntzorgingGegevens {
            posten: Input::Value(vec![post("HUUR"), post("ENERGIE")]),
            ..verplicht("ACTIEF")
        };
        let Weigering::Ongeldig(errors) =
            wijzig(None, zonder_water, Doelgroep::Asielstatushouder).unwrap_err()
        else {
            panic!("expected field errors");
        };
        assert_eq!(errors.0[0].code, "verplichtePosten");
        assert!(errors.0[0]
            .reason
            .ends_with("ontbreekt: WATER, ZORGVERZEKERING."));

        // Not mandatory (a family migrant): the posten are up to the gemeente.
        let vrijwillig = OntzorgingGegevens {
            posten: Input::Value(vec![post("HUUR")]),
            ..verplicht("ACTIEF")
        };
        assert!(
            !wijzig(None, vrijwillig, Doelgroep::Gezinsvormer)
                .unwrap()
                .verplicht
        );
    }

    #[test]
    fn a_mandatory_case_runs_until_its_minimum_end() {
        let actief = wijzig(None, verplicht("ACTIEF"), Doelgroep::Asielstatushouder).unwrap();
        assert_eq!(
            codes(
                wijzig(
                    Some(&actief),
                    beeindigd("2026-07-30"),
                    Doelgroep::Asielstatushouder
                )
                .unwrap_err()
            ),
            [("datumEinde".to_owned(), "voorMinimaleEinddatum")]
        );
        let einde = wijzig(
            Some(&actief),
            beeindigd("2026-07-31"),
            Doelgroep::Asielstatushouder,
        )
        .unwrap();
        assert_eq!(einde.status, OntzorgingStatus::Beeindigd);
        assert_eq!(einde.datum_einde, Some(d(2026, 7, 31)));

        // An optional case (no asylum permit) may end early.
        let vrijwillig = |input: OntzorgingGegevens| OntzorgingGegevens {
            verblijfsvergunning_asiel: Input::Value(false),
            ..input
        };
        let actief = wijzig(
            None,
            vrijwillig(verplicht("ACTIEF")),
            Doelgroep::Asielstatushouder,
        )
        .unwrap();
        assert!(!actief.verplicht);
        assert!(wijzig(
            Some(&actief),
            vrijwillig(beeindigd("2026-03-01")),
            Doelgroep::Asielstatushouder
        )
        .is_ok());

        // A gemeente that ontzorgt twelve months moves the minimum end.
        let langer = GemeenteInstellingen {
            ontzorgen_maanden: 12,
            ..GemeenteInstellingen::default()
        };
        let actief = Ontzorging::wijzig(
            None,
            verplicht("ACTIEF"),
            Doelgroep::Asielstatushouder,
            &langer,
        )
        .unwrap();
        assert_eq!(actief.datum_minimaal_einde, Some(d(2027, 1, 31)));
        let refused = Ontzorging::wijzig(
            Some(&actief),
            beeindigd("2026-07-31"),
            Doelgroep::Asielstatushouder,
            &langer,
        )
        .unwrap_err();
        let Weigering::Ongeldig(errors) = refused else {
            panic!("expected field errors");
        };
        assert_eq!(errors.0[0].code, "voorMinimaleEinddatum");
        assert!(errors.0[0].reason.contains("2027-01-31"));
    }

    #[test]
    fn transitions() {
        use OntzorgingStatus as S;
        let asiel = Doelgroep::Asielstatushouder;
        let conflict = |result: Result<Ontzorging, Weigering>| match result {
            Err(Weigering::Conflict(reden)) => reden,
            other => panic!("expected a conflict, got {other:?}"),
        };
        assert!(conflict(wijzig(None, verplicht("AFBOUW"), asiel)).contains("ACTIEF"));
        assert!(wijzig(
            None,
            OntzorgingGegevens {
                status: Input::Value("NIET_VAN_TOEPASSING".parse().unwrap()),
                ..OntzorgingGegevens::default()
            },
            asiel
        )
        .is_ok());
        let actief = wijzig(None, verplicht("ACTIEF"), asiel).unwrap();
        let afbouw = wijzig(Some(&actief), verplicht("AFBOUW"), asiel).unwrap();
        assert_eq!(afbouw.status, S::Afbouw);
        assert_eq!(
            wijzig(Some(&afbouw), verplicht("ACTIEF"), asiel)
                .unwrap()
                .status,
            S::Actief
        );
        let reden = conflict(wijzig(
            Some(&actief),
            OntzorgingGegevens {
                status: Input::Value("NIET_VAN_TOEPASSING".parse().unwrap()),
                ..OntzorgingGegevens::default()
            },
            asiel,
        ));
        assert_eq!(
            reden,
            "Een ontzorging met status ACTIEF kan alleen naar status ACTIEF, AFBOUW, BEEINDIGD."
        );
        let einde = wijzig(Some(&afbouw), beeindigd("2026-08-01"), asiel).unwrap();
        assert!(conflict(wijzig(Some(&einde), verplicht("ACTIEF"), asiel)).contains("BEEINDIGD"));
        // A corrected ending stays BEEINDIGD.
        let gecorrigeerd = wijzig(Some(&einde), beeindigd("2026-09-01"), asiel).unwrap();
        assert_eq!(gecorrigeerd.datum_einde, Some(d(2026, 9, 1)));
        // Every allowed transition is accepted (with a valid body), every other refused.
        for van in S::ALL {
            for naar in S::ALL {
                let allowed = toegestane_statussen(Some(*van)).contains(naar);
                assert_eq!(
                    allowed,
                    matches!(
                        (van, naar),
                        (S::NietVanToepassing, S::NietVanToepassing | S::Actief)
                            | (S::Actief | S::Afbouw, S::Actief | S::Afbouw | S::Beeindigd)
                            | (S::Beeindigd, S::Beeindigd)
                    )
                );
            }
        }
    }

    #[test]
    fn every_field_error_at_once() {
        let input = OntzorgingGegevens {
            status: Input::Value("AFBOUW".parse().unwrap()),
            uitkering_participatiewet: Input::Value(true),
            verblijfsvergunning_asiel: Input::Value(true),
            datum_start: Input::Absent,
            posten: Input::Value(vec![PostGegevens {
                soort: Input::Invalid,
                begunstigde: Input::Value(" ".parse().unwrap()),
                bedrag_per_maand_cent: Input::Value(0),
                ..PostGegevens::default()
            }]),
            datum_start_begeleiding: Input::Invalid,
            datum_einde: Input::Value("2026-08-01".parse().unwrap()),
            reden_einde: Input::Value("x".parse().unwrap()),
        };
        let found = codes(wijzig(None, input, Doelgroep::Asielstatushouder).unwrap_err());
        let found: Vec<(&str, &str)> = found.iter().map(|(n, c)| (n.as_str(), *c)).collect();
        assert_eq!(
            found,
            [
                ("posten[0].begunstigde", "minLength"),
                ("posten[0].bedragPerMaandCent", "range"),
                ("datumStart", "required"),
                ("datumEinde", "nietToegestaan"),
                ("redenEinde", "nietToegestaan"),
            ]
        );
    }

    #[test]
    fn dates_in_order_and_nothing_for_not_applicable() {
        let asiel = Doelgroep::Asielstatushouder;
        let input = OntzorgingGegevens {
            datum_start_begeleiding: Input::Value("2026-01-30".parse().unwrap()),
            ..beeindigd("2026-01-30")
        };
        let actief = wijzig(None, verplicht("ACTIEF"), asiel).unwrap();
        let found = codes(wijzig(Some(&actief), input, asiel).unwrap_err());
        assert_eq!(
            found,
            [
                ("datumEinde".to_owned(), "voorMinimaleEinddatum"),
                ("datumEinde".to_owned(), "voorStart"),
                ("datumStartBegeleiding".to_owned(), "voorStart"),
            ]
        );
        let beeindigd_zonder = OntzorgingGegevens {
            datum_einde: Input::Absent,
            reden_einde: Input::Null,
            ..verplicht("BEEINDIGD")
        };
        assert_eq!(
            codes(wijzig(Some(&actief), beeindigd_zonder, asiel).unwrap_err()),
            [
                ("datumEinde".to_owned(), "required"),
                ("redenEinde".to_owned(), "required")
            ]
        );
        let nvt = OntzorgingGegevens {
            datum_start_begeleiding: Input::Value("2026-02-01".parse().unwrap()),
            ..verplicht("NIET_VAN_TOEPASSING")
        };
        assert_eq!(
            codes(wijzig(None, nvt, asiel).unwrap_err()),
            [
                ("datumStart".to_owned(), "nietToegestaan"),
                ("posten".to_owned(), "nietToegestaan"),
                ("datumStartBegeleiding".to_owned(), "nietToegestaan"),
            ]
        );
    }

    #[test]
    fn stored_json_uses_the_api_names() {
        let actief = wijzig(
            None,
            verplicht("ACTIEF"),
            Doelgroep::GezinsvormerMetAsielstatushouder,
        )
        .unwrap();
        let json = serde_json::to_value(&actief).unwrap();
        assert_eq!(json["status"], "ACTIEF");
        assert_eq!(json["datumMinimaalEinde"], "2026-07-31");
        assert_eq!(json["posten"][0]["bedragPerMaandCent"], 65_000);
        let terug: Ontzorging = serde_json::from_value(json).unwrap();
        assert_eq!(terug, actief);
    }
}
