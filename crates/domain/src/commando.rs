//! The changes to a person's trajectory as commands: one type per change, and one pure function that
//! applies a command to the stored state and returns everything that follows from it (the new state,
//! the answer, the audit entry and the events) or a refusal. Storage loads what a command asks for
//! ([`TrajectCommando::selectie`]), runs [`TrajectCommando::uitvoeren`] and writes the outcome; it
//! decides nothing itself.

use crate::error::FieldErrors;
use crate::events::{person_url, pip_url, Event, EventKind, Wijziging};
use crate::gemeente::GemeenteCode;
use crate::gesprekken::{Voortgangsgesprek, VoortgangsgesprekGegevens};
use crate::inburgeraar::{Inburgeraar, InburgeraarGegevens, InburgeraarId, InburgeraarStatus};
use crate::input::Input;
use crate::instellingen::GemeenteInstellingen;
use crate::ontzorging::OntzorgingGegevens;
use crate::participatieladder::{Meting, MetingGegevens};
use crate::partner::Toestemming;
use crate::pip::{Pip, PipGegevens, PipId};
use crate::ports::Refusal;
use crate::records::{Antwoord, AuditActie, RequestContext, Verwerkingsactiviteit};
use crate::status::Gebeurtenis;
use crate::traject::{
    Besluit, BesluitGegevens, BredeIntakeGegevens, Delen, Lijst, OnderdeelGegevens, OnderdeelSoort,
    Selectie, Traject, Verlenging, VerlengingGegevens, Weigering,
};
use crate::vastlegging::{vastlegging, AuditWijziging, Gewijzigd, Vastlegging};
use crate::voortgang::{
    lever_uren_aan, schrijf_in, voeg_resultaat_toe, Examenresultaat, GevolgdeUren, Inschrijving,
};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// One change to a trajectory, with its input as the domain's types.
#[derive(Debug, Clone)]
pub enum Opdracht {
    /// Records (replaces) the brede intake; `met_gezondheid` when the caller may see health data.
    BredeIntake {
        gegevens: BredeIntakeGegevens,
        met_gezondheid: bool,
    },
    /// Adds a concept PIP.
    NieuwePip(PipGegevens),
    /// Fixes a concept PIP on its dagtekening.
    StelPipVast {
        pip: PipId,
        dagtekening: Input<NaiveDate>,
    },
    VerwijderPip(PipId),
    /// Extends the termijn.
    Verleng(VerlengingGegevens),
    /// Replaces the registration of one onderdeel.
    Onderdeel {
        soort: OnderdeelSoort,
        gegevens: OnderdeelGegevens,
    },
    /// Grants an ontheffing (`ontheffing`) or a vrijstelling.
    Besluit {
        ontheffing: bool,
        gegevens: BesluitGegevens,
    },
    /// A status change decided outside the other resources.
    Status {
        gebeurtenis: Gebeurtenis,
        datum: NaiveDate,
        reden: Option<String>,
    },
    /// Replaces the financieel ontzorgen, under the settings of the person's gemeente (those of the
    /// caller's gemeenten; the defaults for one without settings).
    Ontzorging {
        gegevens: OntzorgingGegevens,
        instellingen: BTreeMap<GemeenteCode, GemeenteInstellingen>,
    },
    Gesprek(VoortgangsgesprekGegevens),
    Meting(MetingGegevens),
    /// A partner's push of an enrolment; the same enrolment again replaces it.
    Inschrijving(Inschrijving),
    /// A partner's push of a month's hours; the same month of the same organisatie replaces it.
    GevolgdeUren(GevolgdeUren),
    /// One exam result pushed on its own.
    Examenresultaat(Examenresultaat),
    /// The results of one person in a bulk call, stored together.
    Examenresultaten(Vec<Examenresultaat>),
}

/// A command: the change, and what the request's schema already found wrong with its input (the
/// domain's rules judge the rest, and every invalid field is answered at once).
#[derive(Debug, Clone)]
pub struct TrajectCommando {
    pub opdracht: Opdracht,
    pub invoerfouten: FieldErrors,
}

impl From<Opdracht> for TrajectCommando {
    fn from(opdracht: Opdracht) -> Self {
        Self {
            opdracht,
            invoerfouten: FieldErrors::new(),
        }
    }
}

/// What a command made, for the answer to the caller.
#[derive(Debug, Clone, PartialEq)]
pub enum Resultaat {
    /// Nothing of its own: the answer is the changed part of the trajectory.
    Traject,
    NieuwePip(Pip),
    VastgesteldePip(Pip),
    Verlenging(Verlenging),
    Besluit(Besluit),
    /// The status after a status change.
    Status(InburgeraarStatus),
    Gesprek(Voortgangsgesprek),
    Meting(Meting),
    Inschrijving {
        kept: Inschrijving,
        vervangen: Option<Inschrijving>,
    },
    GevolgdeUren {
        kept: GevolgdeUren,
        vervangen: Option<GevolgdeUren>,
    },
    Examenresultaat(Examenresultaat),
    Examenresultaten(Vec<Examenresultaat>),
}

impl Resultaat {
    /// For a push that replaced an earlier one: that one, as if it had been pushed now (what the
    /// audit trail keeps as the old value).
    pub fn vervangen(&self) -> Option<Resultaat> {
        match self {
            Resultaat::Inschrijving {
                vervangen: Some(oud),
                ..
            } => Some(Resultaat::Inschrijving {
                kept: oud.clone(),
                vervangen: None,
            }),
            Resultaat::GevolgdeUren {
                vervangen: Some(oud),
                ..
            } => Some(Resultaat::GevolgdeUren {
                kept: oud.clone(),
                vervangen: None,
            }),
            _ => None,
        }
    }
}

/// How the answer to a command is worded (the API's representation, which the domain does not know).
/// It is given the person as the command found them, the trajectory after the command, and what the
/// command made.
pub trait Weergave: Sync {
    fn antwoord(&self, person: &Inburgeraar, traject: &Traject, resultaat: &Resultaat) -> Antwoord;
}

/// Why a command led to no change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Afwijzing {
    /// The command is about something that does not exist (a PIP version): the answer of an unknown id.
    NietGevonden,
    Geweigerd(Weigering),
    /// What the change records could not be made (a value that does not serialise): a bug, never
    /// stored without its audit entry.
    Defect(String),
}

impl From<Option<Weigering>> for Afwijzing {
    fn from(weigering: Option<Weigering>) -> Self {
        weigering.map_or(Afwijzing::NietGevonden, Afwijzing::Geweigerd)
    }
}

/// Everything a command leads to.
#[derive(Debug, Clone, PartialEq)]
pub struct Uitkomst {
    /// The trajectory after the command.
    pub traject: Traject,
    /// The answer to the caller, kept for a retry under the same idempotency key.
    pub antwoord: Antwoord,
    /// The person after the command, the audit entry and the events.
    pub vastlegging: Vastlegging,
}

impl TrajectCommando {
    /// The processing the command is (a partner's push needs a toestemming for its category).
    pub fn activiteit(&self) -> Verwerkingsactiviteit {
        match self.opdracht {
            Opdracht::Inschrijving(_) | Opdracht::GevolgdeUren(_) => {
                Verwerkingsactiviteit::VoortgangAanleveren
            }
            Opdracht::Examenresultaat(_) | Opdracht::Examenresultaten(_) => {
                Verwerkingsactiviteit::ExamenresultaatAanleveren
            }
            _ => Verwerkingsactiviteit::TrajectWijzigen,
        }
    }

    /// What of the stored trajectory the command needs: a push only the items it may replace or flag;
    /// any other change the whole trajectory, since its rules may look at any part.
    pub fn selectie(&self) -> Selectie {
        match &self.opdracht {
            Opdracht::Inschrijving(inschrijving) => Selectie::Verwant(inschrijving.verwant()),
            Opdracht::GevolgdeUren(uren) => Selectie::Verwant(uren.verwant()),
            Opdracht::Examenresultaat(resultaat) => Selectie::Verwant(resultaat.verwant()),
            // Of one source, every result of the other; of both, all of the person's results.
            Opdracht::Examenresultaten(resultaten) => Examenresultaat::verwant_aan(resultaten)
                .map_or(
                    Selectie::Lijsten(Delen::GEEN.met(Lijst::Examenresultaten)),
                    Selectie::Verwant,
                ),
            _ => Selectie::Lijsten(Delen::ALLES),
        }
    }

    /// The change's own event: its kind, and the URL of what it made or changed where that is not the
    /// person's resource of its kind.
    fn wijziging(&self, person: InburgeraarId, resultaat: &Resultaat) -> Wijziging {
        use EventKind as K;
        match (&self.opdracht, resultaat) {
            (Opdracht::BredeIntake { .. }, _) => Wijziging::of(K::BredeIntakeVastgelegd),
            (Opdracht::NieuwePip(_), Resultaat::NieuwePip(pip)) => {
                Wijziging::at(K::PipAangemaakt, pip_url(person, pip.id))
            }
            (Opdracht::NieuwePip(_), _) => Wijziging::of(K::PipAangemaakt),
            (Opdracht::StelPipVast { pip, .. }, _) => {
                Wijziging::at(K::PipVastgesteld, pip_url(person, pip))
            }
            (Opdracht::VerwijderPip(pip), _) => {
                Wijziging::at(K::PipVerwijderd, pip_url(person, pip))
            }
            (Opdracht::Verleng(_), _) => Wijziging::of(K::TermijnVerlengd),
            (Opdracht::Onderdeel { soort, .. }, _) => Wijziging::at(
                K::OnderdeelGewijzigd,
                format!(
                    "{}/{}",
                    person_url(K::OnderdeelGewijzigd, person),
                    soort.as_str()
                ),
            ),
            (Opdracht::Besluit { ontheffing, .. }, _) => Wijziging::of(if *ontheffing {
                K::OntheffingVerleend
            } else {
                K::VrijstellingVerleend
            }),
            (Opdracht::Status { .. }, _) => Wijziging::of(K::StatusGewijzigd),
            (Opdracht::Ontzorging { .. }, _) => Wijziging::of(K::OntzorgingGewijzigd),
            (Opdracht::Gesprek(_), _) => Wijziging::of(K::VoortgangsgesprekVastgelegd),
            (Opdracht::Meting(_), _) => Wijziging::of(K::MetingVastgelegd),
            (Opdracht::Inschrijving(_), _) => Wijziging::of(K::InschrijvingAangeleverd),
            (Opdracht::GevolgdeUren(_), _) => Wijziging::of(K::GevolgdeUrenAangeleverd),
            (Opdracht::Examenresultaat(_) | Opdracht::Examenresultaten(_), _) => {
                Wijziging::of(K::ExamenresultaatAangeleverd)
            }
        }
    }

    /// Applies the command by the caller of `ctx` to the trajectory of `person`, as loaded per
    /// [`TrajectCommando::selectie`], and returns everything that follows from it, with the answer
    /// worded by `weergave`.
    ///
    /// # Errors
    /// `NietGevonden` for a command about something that does not exist (a PIP version); the refusal
    /// (the schema's errors and the rules' together, or a conflict with the state); `Defect` for a bug.
    pub fn uitvoeren(
        &self,
        ctx: &RequestContext,
        person: &Inburgeraar,
        before: &Traject,
        weergave: &dyn Weergave,
    ) -> Result<Uitkomst, Afwijzing> {
        let mut after = before.clone();
        let (status, resultaat) = self.toepassen(ctx, person, &mut after)?;
        let antwoord = weergave.antwoord(person, &after, &resultaat);
        let vervangen = resultaat
            .vervangen()
            .map(|oud| weergave.antwoord(person, &after, &oud).body);
        let gewijzigd = Gewijzigd {
            status,
            antwoord,
            vervangen,
        };
        let wijziging = self.wijziging(person.id, &resultaat);
        let vastgelegd = vastlegging(
            ctx,
            self.activiteit(),
            &wijziging,
            person,
            before,
            &after,
            &gewijzigd,
        )
        .map_err(|e| Afwijzing::Defect(format!("audit value: {e}")))?;
        Ok(Uitkomst {
            traject: after,
            antwoord: gewijzigd.antwoord,
            vastlegging: vastgelegd,
        })
    }

    /// The change itself: the person's status after it and what it made.
    fn toepassen(
        &self,
        ctx: &RequestContext,
        person: &Inburgeraar,
        traject: &mut Traject,
    ) -> Result<(InburgeraarStatus, Resultaat), Option<Weigering>> {
        let (now, today, status) = (ctx.now, ctx.now.date(), person.status);
        let gedaan = match &self.opdracht {
            Opdracht::BredeIntake {
                gegevens,
                met_gezondheid,
            } => {
                let result =
                    traject.zet_brede_intake(status, gegevens.clone(), *met_gezondheid, today);
                (self.samen(result)?, Resultaat::Traject)
            }
            Opdracht::NieuwePip(gegevens) => {
                let context = traject.pip_context(person);
                let result = Pip::concept(person.id, gegevens.clone(), &context, now)
                    .map_err(Weigering::from);
                let pip = self.samen(result)?;
                traject.nieuwe_pip(status, pip.clone()).map_err(Some)?;
                (status, Resultaat::NieuwePip(pip))
            }
            Opdracht::StelPipVast { pip, dagtekening } => {
                let result = match traject.stel_pip_vast(person, *pip, dagtekening.clone(), now) {
                    Err(None) => return Err(None),
                    Err(Some(weigering)) => Err(weigering),
                    Ok(vastgesteld) => Ok(vastgesteld),
                };
                let (status, pip) = self.samen(result)?;
                (status, Resultaat::VastgesteldePip(pip))
            }
            Opdracht::VerwijderPip(pip) => {
                let status = traject.verwijder_pip(status, *pip, today)?;
                (status, Resultaat::Traject)
            }
            Opdracht::Verleng(gegevens) => {
                let (status, verlenging) =
                    self.samen(traject.verleng(status, gegevens.clone(), today))?;
                (status, Resultaat::Verlenging(verlenging))
            }
            Opdracht::Onderdeel { soort, gegevens } => {
                let result = traject.zet_onderdeel(person, *soort, gegevens.clone(), today);
                (self.samen(result)?, Resultaat::Traject)
            }
            Opdracht::Besluit {
                ontheffing,
                gegevens,
            } => {
                let result = traject.besluit(status, *ontheffing, gegevens.clone(), today);
                let (status, besluit) = self.samen(result)?;
                (status, Resultaat::Besluit(besluit))
            }
            Opdracht::Status {
                gebeurtenis,
                datum,
                reden,
            } => {
                let result = traject
                    .overgang(status, *gebeurtenis, *datum, reden.clone())
                    .map_err(Weigering::Overgang);
                let status = self.samen(result)?;
                (status, Resultaat::Status(status))
            }
            Opdracht::Ontzorging {
                gegevens,
                instellingen,
            } => {
                let settings = instellingen
                    .get(&person.gemeente)
                    .cloned()
                    .unwrap_or_default();
                let result = traject.zet_ontzorging(gegevens.clone(), person.doelgroep, &settings);
                self.samen(result)?;
                (status, Resultaat::Traject)
            }
            Opdracht::Gesprek(gegevens) => {
                let result = traject.voeg_gesprek_toe(status, gegevens.clone(), today, now);
                (status, Resultaat::Gesprek(self.samen(result)?))
            }
            Opdracht::Meting(gegevens) => {
                let result = traject.voeg_meting_toe(status, gegevens.clone(), today, now);
                (status, Resultaat::Meting(self.samen(result)?))
            }
            Opdracht::Inschrijving(inschrijving) => {
                let (kept, vervangen) =
                    schrijf_in(&mut traject.inschrijvingen, inschrijving.clone());
                (status, Resultaat::Inschrijving { kept, vervangen })
            }
            Opdracht::GevolgdeUren(uren) => {
                let (kept, vervangen) = lever_uren_aan(&mut traject.gevolgde_uren, uren.clone());
                (status, Resultaat::GevolgdeUren { kept, vervangen })
            }
            Opdracht::Examenresultaat(resultaat) => {
                let kept = voeg_resultaat_toe(&mut traject.examenresultaten, resultaat.clone());
                (status, Resultaat::Examenresultaat(kept))
            }
            Opdracht::Examenresultaten(resultaten) => {
                let kept = resultaten
                    .iter()
                    .map(|r| voeg_resultaat_toe(&mut traject.examenresultaten, r.clone()))
                    .collect();
                (status, Resultaat::Examenresultaten(kept))
            }
        };
        // A push's input was judged whole before it became a command; whatever the schema found is
        // still a refusal.
        self.samen(Ok(gedaan))
    }

    /// The rules' verdict joined with the schema's errors: a change the rules accepted is still
    /// refused when the input had errors, and each field is named once.
    fn samen<T>(&self, result: Result<T, Weigering>) -> Result<T, Option<Weigering>> {
        match result {
            Ok(value) => self
                .invoerfouten
                .samen(Ok(value))
                .map_err(|errors| Some(Weigering::Ongeldig(errors))),
            Err(Weigering::Ongeldig(errors)) => Err(Some(Weigering::Ongeldig(
                self.invoerfouten.aangevuld(errors),
            ))),
            Err(other) => Err(Some(other)),
        }
    }
}

/// A change to a person's registration (a merge patch): the input, what the request's schema already
/// found wrong with it, and the versions the caller based the change on (`If-Match`; `None` for any).
#[derive(Debug, Clone)]
pub struct InburgeraarCommando {
    pub gegevens: InburgeraarGegevens,
    pub invoerfouten: FieldErrors,
    pub verwachte_versies: Option<Vec<i64>>,
}

impl InburgeraarCommando {
    /// Applies the change by the caller of `ctx` to `current`: the person after it with its audit entry
    /// and event, or `None` when it changes nothing (no new version, nothing recorded but the
    /// processing).
    ///
    /// # Errors
    /// The outer error is a bug (a value that does not serialise). The refusal: invalid input (judged
    /// before the version, so a wrong body is a 400 whatever the version), or another version than the
    /// caller based the change on.
    pub fn uitvoeren(
        &self,
        ctx: &RequestContext,
        current: &Inburgeraar,
    ) -> Result<Result<Option<Vastlegging>, Refusal>, serde_json::Error> {
        let updated = match self.invoerfouten.samen(current.apply_patch(
            self.gegevens.clone(),
            &ctx.principal,
            ctx.now,
        )) {
            Ok(updated) => updated,
            Err(errors) => return Ok(Err(Refusal::Invalid(errors))),
        };
        if self
            .verwachte_versies
            .as_ref()
            .is_some_and(|versies| !versies.contains(&current.versie))
        {
            return Ok(Err(Refusal::VersionMismatch));
        }
        if &updated == current {
            return Ok(Ok(None));
        }
        let audit = AuditWijziging {
            inburgeraar_id: updated.id,
            resource: EventKind::InburgeraarGewijzigd.resource(),
            resource_id: updated.id.to_string(),
            actie: AuditActie::Gewijzigd,
            oude_waarde: Some(serde_json::to_value(current)?),
            nieuwe_waarde: Some(serde_json::to_value(&updated)?),
        };
        let events = vec![Event::about(
            ctx,
            &Wijziging::of(EventKind::InburgeraarGewijzigd),
            updated.id,
            &updated.gemeente,
        )];
        Ok(Ok(Some(Vastlegging {
            person: updated,
            audit,
            events,
        })))
    }
}

/// What registering `person` records: its audit entry and its event.
///
/// # Errors
/// A person that does not serialise (a bug).
pub fn registratie(
    ctx: &RequestContext,
    person: &Inburgeraar,
) -> Result<Vastlegging, serde_json::Error> {
    Ok(Vastlegging {
        person: person.clone(),
        audit: AuditWijziging {
            inburgeraar_id: person.id,
            resource: EventKind::InburgeraarGeregistreerd.resource(),
            resource_id: person.id.to_string(),
            actie: AuditActie::Aangemaakt,
            oude_waarde: None,
            nieuwe_waarde: Some(serde_json::to_value(person)?),
        },
        events: vec![Event::about(
            ctx,
            &Wijziging::of(EventKind::InburgeraarGeregistreerd),
            person.id,
            &person.gemeente,
        )],
    })
}

/// What recording (`before` none) or withdrawing a toestemming records: its audit entry, before and
/// after, and its event, about the person of `gemeente` it concerns.
///
/// # Errors
/// A toestemming that does not serialise (a bug).
pub fn toestemming_vastlegging(
    ctx: &RequestContext,
    before: Option<&Toestemming>,
    after: &Toestemming,
    gemeente: &GemeenteCode,
) -> Result<(AuditWijziging<'static>, Event), serde_json::Error> {
    let (kind, actie) = match before {
        None => (EventKind::ToestemmingVastgelegd, AuditActie::Aangemaakt),
        Some(_) => (EventKind::ToestemmingIngetrokken, AuditActie::Gewijzigd),
    };
    let audit = AuditWijziging {
        inburgeraar_id: after.inburgeraar_id,
        resource: kind.resource(),
        resource_id: after.id.to_string(),
        actie,
        oude_waarde: before.map(serde_json::to_value).transpose()?,
        nieuwe_waarde: Some(serde_json::to_value(after)?),
    };
    let event = Event::at_person(
        ctx,
        kind,
        crate::events::toestemming_url(after.id),
        after.inburgeraar_id,
        gemeente,
    );
    Ok((audit, event))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::FieldError;
    use crate::testdata::{ctx, person};
    use crate::voortgang::{GevolgdeUrenGegevens, Verwant};
    use serde_json::json;

    /// Answers with what was made, and a location for a new PIP, as the API does.
    struct Echo;

    impl Weergave for Echo {
        fn antwoord(&self, _: &Inburgeraar, _: &Traject, resultaat: &Resultaat) -> Antwoord {
            match resultaat {
                Resultaat::GevolgdeUren { kept, vervangen } => {
                    let body = json!({"lesuren": kept.lesuren});
                    if vervangen.is_some() {
                        Antwoord::ok(body)
                    } else {
                        Antwoord::created_here(body)
                    }
                }
                other => Antwoord::ok(json!(format!("{other:?}").len())),
            }
        }
    }

    fn uren(lesuren: i64) -> GevolgdeUren {
        let gegevens = GevolgdeUrenGegevens {
            maand: Input::Value("2026-10".to_owned()),
            lesuren: Input::Value(lesuren),
            ..GevolgdeUrenGegevens::default()
        };
        GevolgdeUren::nieuw(gegevens, Some(uuid::Uuid::from_u128(7)), ctx().now).unwrap()
    }

    #[test]
    fn a_push_looks_only_at_what_it_may_replace_and_any_other_change_at_everything() {
        let push = TrajectCommando::from(Opdracht::GevolgdeUren(uren(40)));
        assert_eq!(
            push.activiteit(),
            Verwerkingsactiviteit::VoortgangAanleveren
        );
        assert!(matches!(
            push.selectie(),
            Selectie::Verwant(Verwant::GevolgdeUren { .. })
        ));
        let intake = TrajectCommando::from(Opdracht::VerwijderPip(PipId(uuid::Uuid::nil())));
        assert_eq!(intake.activiteit(), Verwerkingsactiviteit::TrajectWijzigen);
        assert_eq!(intake.selectie(), Selectie::Lijsten(Delen::ALLES));
        let leeg = TrajectCommando::from(Opdracht::Examenresultaten(Vec::new()));
        assert_eq!(
            leeg.selectie(),
            Selectie::Lijsten(Delen::GEEN.met(Lijst::Examenresultaten))
        );
    }

    #[test]
    fn a_resent_month_replaces_and_the_trail_keeps_old_and_new() {
        let p = person();
        let eerste = TrajectCommando::from(Opdracht::GevolgdeUren(uren(40)))
            .uitvoeren(&ctx(), &p, &Traject::default(), &Echo)
            .unwrap();
        assert_eq!(eerste.antwoord.status, 201);
        assert_eq!(eerste.vastlegging.audit.actie, AuditActie::Aangemaakt);
        assert_eq!(eerste.vastlegging.events.len(), 1);
        assert_eq!(
            eerste.vastlegging.events[0].kind,
            EventKind::GevolgdeUrenAangeleverd
        );
        let tweede = TrajectCommando::from(Opdracht::GevolgdeUren(uren(32)))
            .uitvoeren(&ctx(), &p, &eerste.traject, &Echo)
            .unwrap();
        assert_eq!(
            tweede.antwoord.status, 200,
            "a replaced month is no new item"
        );
        assert_eq!(
            tweede.traject.gevolgde_uren.len(),
            1,
            "replaced, never added"
        );
        assert_eq!(tweede.traject.gevolgde_uren[0].lesuren, 32);
        let audit = &tweede.vastlegging.audit;
        assert_eq!(audit.actie, AuditActie::Gewijzigd);
        assert_eq!(audit.oude_waarde, Some(json!({"lesuren": 40})));
        assert_eq!(audit.nieuwe_waarde, Some(json!({"lesuren": 32})));
    }

    #[test]
    fn the_schemas_errors_and_the_rules_errors_are_answered_together_each_field_once() {
        let p = person();
        // The schema rejected `grond` (and left it out); the rules find `maanden` missing and would
        // report `grond` missing too.
        let commando = TrajectCommando {
            opdracht: Opdracht::Verleng(VerlengingGegevens {
                maanden: Input::Absent,
                grond: Input::Invalid,
                datum_besluit: Input::Value(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()),
            }),
            invoerfouten: FieldError::new("grond", "maxLength", "Te lang.").into(),
        };
        let Err(Afwijzing::Geweigerd(Weigering::Ongeldig(errors))) =
            commando.uitvoeren(&ctx(), &p, &Traject::default(), &Echo)
        else {
            panic!("refused as invalid");
        };
        let names: Vec<&str> = errors.0.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names.first(), Some(&"grond"), "the schema's error first");
        assert_eq!(names.iter().filter(|n| **n == "grond").count(), 1);
        assert!(names.contains(&"maanden"), "{names:?}");
        // A change the rules accept is still refused when the schema found an error.
        let commando = TrajectCommando {
            opdracht: Opdracht::GevolgdeUren(uren(40)),
            invoerfouten: FieldError::new("extra", "additionalProperties", "Onbekend.").into(),
        };
        let Err(Afwijzing::Geweigerd(Weigering::Ongeldig(errors))) =
            commando.uitvoeren(&ctx(), &p, &Traject::default(), &Echo)
        else {
            panic!("refused as invalid");
        };
        assert_eq!(errors.0.len(), 1);
        assert_eq!(errors.0[0].name, "extra");
    }

    #[test]
    fn a_command_about_a_pip_that_does_not_exist_finds_nothing() {
        let commando = TrajectCommando::from(Opdracht::StelPipVast {
            pip: PipId(uuid::Uuid::from_u128(1)),
            dagtekening: Input::Value(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()),
        });
        let uitkomst = commando.uitvoeren(&ctx(), &person(), &Traject::default(), &Echo);
        assert_eq!(uitkomst, Err(Afwijzing::NietGevonden));
    }

    #[test]
    fn a_change_of_a_registration_is_judged_before_its_version_and_nothing_changed_is_nothing() {
        let p = person();
        let naam = |naam: &str, versies: Option<Vec<i64>>| InburgeraarCommando {
            gegevens: InburgeraarGegevens {
                naam: Input::Value(naam.to_owned()),
                ..InburgeraarGegevens::default()
            },
            invoerfouten: FieldErrors::new(),
            verwachte_versies: versies,
        };
        let gewijzigd = naam("Y", Some(vec![2, 3])).uitvoeren(&ctx(), &p).unwrap();
        let vastgelegd = gewijzigd.unwrap().unwrap();
        assert_eq!(vastgelegd.person.naam, "Y");
        assert_eq!(vastgelegd.audit.actie, AuditActie::Gewijzigd);
        assert_eq!(vastgelegd.audit.oude_waarde.unwrap()["naam"], "X");
        assert_eq!(vastgelegd.events[0].kind, EventKind::InburgeraarGewijzigd);
        assert_eq!(
            naam("Y", Some(vec![2])).uitvoeren(&ctx(), &p).unwrap(),
            Err(Refusal::VersionMismatch)
        );
        assert_eq!(naam("X", None).uitvoeren(&ctx(), &p).unwrap(), Ok(None));
        let mut ongeldig = naam("Y", Some(vec![2]));
        ongeldig.invoerfouten = FieldError::new("naam", "maxLength", "Te lang.").into();
        assert!(matches!(
            ongeldig.uitvoeren(&ctx(), &p).unwrap(),
            Err(Refusal::Invalid(_))
        ));
    }
}
