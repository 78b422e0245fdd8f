//! The life of an inburgeraar as a state machine: every transition is validated, and an invalid one
//! names what is allowed from the current state.

use crate::inburgeraar::InburgeraarStatus;
use serde::{Deserialize, Serialize};

text_enum! {
    /// What happens to a person; each event moves the status or is refused.
    Gebeurtenis {
        BredeIntakeGestart => "bredeIntakeGestart",
        PipVastgesteld => "pipVastgesteld",
        TrajectGestart => "trajectGestart",
        Voldaan => "voldaan",
        Ontheven => "ontheven",
        Vrijgesteld => "vrijgesteld",
        TijdelijkVrijgesteld => "tijdelijkVrijgesteld",
        Hervat => "hervat",
        TermijnOverschreden => "termijnOverschreden",
        Verlengd => "verlengd",
        Verhuisd => "verhuisd",
        DoelgroepGewijzigd => "doelgroepGewijzigd",
        Beeindigd => "beeindigd",
        PipIngetrokken => "pipIngetrokken",
    }
}

/// How far the trajectory got: decides where a resumed person returns to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fase {
    /// Nothing recorded yet.
    Aanmelding,
    /// A brede intake is recorded, no PIP fixed.
    Intake,
    /// A PIP is fixed.
    Pip,
}

text_enum! {
    /// DUO's `RedenGeenInburgeringsplicht`, for a duty that ends without voldaan.
    RedenBeeindiging {
        VerblijfsdoelGewijzigd => "VERBLIJFSDOEL_GEWIJZIGD",
        BuitenlandLangerDanJaar => "BUITENLAND",
        Overleden => "OVERLEDEN",
        Naturalisatie => "NATURALISATIE",
        AowLeeftijd => "AOW_LEEFTIJD",
        Overig => "OVERIG",
    }
}

/// A refused transition: the event, where the person stands, and what may happen from there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OngeldigeOvergang {
    pub gebeurtenis: Gebeurtenis,
    pub status: InburgeraarStatus,
    pub toegestaan: Vec<Gebeurtenis>,
}

impl OngeldigeOvergang {
    pub fn uitleg(&self) -> String {
        let toegestaan: Vec<&str> = self.toegestaan.iter().map(|g| g.as_str()).collect();
        format!(
            "`{}` kan niet in status `{}`. Vanuit deze status kan: {}.",
            self.gebeurtenis.as_str(),
            self.status.as_str(),
            if toegestaan.is_empty() {
                "niets meer (eindstatus)".to_owned()
            } else {
                toegestaan.join(", ")
            }
        )
    }
}

/// The statuses in which the duty still runs.
fn actief(status: InburgeraarStatus) -> bool {
    use InburgeraarStatus as S;
    !matches!(
        status,
        S::Voldaan | S::Ontheven | S::Vrijgesteld | S::Beeindigd
    )
}

/// The status after `gebeurtenis` in `status`, or `None` when the transition is not allowed. `fase`
/// says how far the trajectory got (a resumed person returns to the phase it allows).
fn volgende(
    status: InburgeraarStatus,
    gebeurtenis: Gebeurtenis,
    fase: Fase,
) -> Option<InburgeraarStatus> {
    let heeft_pip = fase == Fase::Pip;
    use Gebeurtenis as G;
    use InburgeraarStatus as S;
    let lopend = match fase {
        Fase::Pip => S::InTraject,
        Fase::Intake => S::BredeIntake,
        Fase::Aanmelding => S::Aangemeld,
    };
    match (status, gebeurtenis) {
        (S::Aangemeld, G::BredeIntakeGestart) => Some(S::BredeIntake),
        (S::Aangemeld | S::BredeIntake, G::PipVastgesteld) => Some(S::PipVastgesteld),
        // A later PIP (route switch, afschalen, move) keeps the phase.
        (
            S::PipVastgesteld | S::InTraject | S::TermijnOverschreden | S::Verlengd | S::Verhuisd,
            G::PipVastgesteld,
        ) => Some(if status == S::Verhuisd {
            S::InTraject
        } else {
            status
        }),
        (S::PipVastgesteld, G::TrajectGestart) => Some(S::InTraject),
        (S::InTraject | S::Verlengd, G::TrajectGestart) => Some(status),
        (S::PipVastgesteld | S::InTraject | S::TermijnOverschreden | S::Verlengd, G::Voldaan) => {
            Some(S::Voldaan)
        }
        (s, G::Ontheven) if actief(s) => Some(S::Ontheven),
        (s, G::Vrijgesteld) if actief(s) => Some(S::Vrijgesteld),
        (s, G::Beeindigd) if actief(s) => Some(S::Beeindigd),
        (s, G::TijdelijkVrijgesteld) if actief(s) && s != S::TijdelijkVrijgesteld => {
            Some(S::TijdelijkVrijgesteld)
        }
        (S::TijdelijkVrijgesteld, G::Hervat) => Some(lopend),
        (S::PipVastgesteld | S::InTraject | S::Verlengd, G::TermijnOverschreden) => {
            Some(S::TermijnOverschreden)
        }
        (S::PipVastgesteld | S::InTraject | S::TermijnOverschreden | S::Verlengd, G::Verlengd) => {
            Some(S::Verlengd)
        }
        (s, G::Verhuisd) if actief(s) && s != S::TijdelijkVrijgesteld => {
            Some(if heeft_pip { S::Verhuisd } else { s })
        }
        (s, G::DoelgroepGewijzigd) if actief(s) => Some(s),
        // The only fixed PIP was withdrawn before its term started: back to the phase before it.
        (S::PipVastgesteld, G::PipIngetrokken) if !heeft_pip => Some(lopend),
        _ => None,
    }
}

/// Validates a transition.
///
/// # Errors
/// The refused transition with the events allowed from `status`.
pub fn overgang(
    status: InburgeraarStatus,
    gebeurtenis: Gebeurtenis,
    fase: Fase,
) -> Result<InburgeraarStatus, OngeldigeOvergang> {
    volgende(status, gebeurtenis, fase).ok_or_else(|| OngeldigeOvergang {
        gebeurtenis,
        status,
        toegestaan: toegestaan(status, fase),
    })
}

/// The events allowed from `status`.
pub fn toegestaan(status: InburgeraarStatus, fase: Fase) -> Vec<Gebeurtenis> {
    Gebeurtenis::ALL
        .iter()
        .copied()
        .filter(|g| volgende(status, *g, fase).is_some())
        .collect()
}

/// One entry in the status history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Statuswijziging {
    pub gebeurtenis: Gebeurtenis,
    pub van: InburgeraarStatus,
    pub naar: InburgeraarStatus,
    pub datum: chrono::NaiveDate,
    pub reden: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use Gebeurtenis as G;
    use InburgeraarStatus as S;

    #[test]
    fn the_main_path() {
        let mut status = S::Aangemeld;
        for (event, expected) in [
            (G::BredeIntakeGestart, S::BredeIntake),
            (G::PipVastgesteld, S::PipVastgesteld),
            (G::TrajectGestart, S::InTraject),
            (G::PipVastgesteld, S::InTraject),
            (G::Voldaan, S::Voldaan),
        ] {
            status = overgang(status, event, Fase::Pip).unwrap();
            assert_eq!(status, expected);
        }
    }

    #[test]
    fn side_states() {
        assert_eq!(
            overgang(S::InTraject, G::TermijnOverschreden, Fase::Pip).unwrap(),
            S::TermijnOverschreden
        );
        assert_eq!(
            overgang(S::TermijnOverschreden, G::Verlengd, Fase::Pip).unwrap(),
            S::Verlengd
        );
        assert_eq!(
            overgang(S::Verlengd, G::Voldaan, Fase::Pip).unwrap(),
            S::Voldaan
        );
        assert_eq!(
            overgang(S::InTraject, G::TijdelijkVrijgesteld, Fase::Pip).unwrap(),
            S::TijdelijkVrijgesteld
        );
        assert_eq!(
            overgang(S::TijdelijkVrijgesteld, G::Hervat, Fase::Pip).unwrap(),
            S::InTraject
        );
        assert_eq!(
            overgang(S::TijdelijkVrijgesteld, G::Hervat, Fase::Aanmelding).unwrap(),
            S::Aangemeld
        );
        assert_eq!(
            overgang(S::TijdelijkVrijgesteld, G::Hervat, Fase::Intake).unwrap(),
            S::BredeIntake
        );
        assert_eq!(
            overgang(S::PipVastgesteld, G::PipIngetrokken, Fase::Intake).unwrap(),
            S::BredeIntake
        );
        assert!(overgang(S::PipVastgesteld, G::PipIngetrokken, Fase::Pip).is_err());
        assert_eq!(
            overgang(S::InTraject, G::Verhuisd, Fase::Pip).unwrap(),
            S::Verhuisd
        );
        assert_eq!(
            overgang(S::Verhuisd, G::PipVastgesteld, Fase::Pip).unwrap(),
            S::InTraject
        );
        assert_eq!(
            overgang(S::BredeIntake, G::DoelgroepGewijzigd, Fase::Aanmelding).unwrap(),
            S::BredeIntake
        );
    }

    #[test]
    fn end_states_allow_nothing_and_refusals_say_what_is_allowed() {
        for end in [S::Voldaan, S::Ontheven, S::Vrijgesteld, S::Beeindigd] {
            assert!(toegestaan(end, Fase::Pip).is_empty());
        }
        let refused = overgang(S::Aangemeld, G::Voldaan, Fase::Aanmelding).unwrap_err();
        assert!(refused.toegestaan.contains(&G::BredeIntakeGestart));
        assert!(refused.toegestaan.contains(&G::PipVastgesteld));
        assert!(!refused.toegestaan.contains(&G::Voldaan));
        assert!(refused.uitleg().contains("bredeIntakeGestart"));
        assert!(overgang(S::Voldaan, G::Beeindigd, Fase::Pip).is_err());
    }

    #[test]
    fn every_allowed_event_is_accepted_and_every_other_refused() {
        for status in InburgeraarStatus::ALL {
            for fase in [Fase::Aanmelding, Fase::Intake, Fase::Pip] {
                let allowed = toegestaan(*status, fase);
                for event in Gebeurtenis::ALL {
                    assert_eq!(
                        overgang(*status, *event, fase).is_ok(),
                        allowed.contains(event)
                    );
                }
            }
        }
    }
}
