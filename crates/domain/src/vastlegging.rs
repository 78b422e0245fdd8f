//! What a change to a trajectory leaves behind besides its new state: the person after it (a new
//! status moves the person's version), the audit entry (the policy of what the trail keeps) and the
//! events (the change's own, and the status's when it moved). Storage writes these; it decides none of
//! them.

use crate::events::{person_url, Event, EventKind, Wijziging};
use crate::inburgeraar::Inburgeraar;
use crate::inburgeraar::InburgeraarStatus;
use crate::records::Antwoord;
use crate::records::{AuditActie, RequestContext, Verwerkingsactiviteit};
use crate::traject::Traject;

/// What changed, for the audit trail.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditWijziging<'a> {
    pub inburgeraar_id: crate::inburgeraar::InburgeraarId,
    pub resource: &'a str,
    pub resource_id: String,
    pub actie: AuditActie,
    pub oude_waarde: Option<serde_json::Value>,
    pub nieuwe_waarde: Option<serde_json::Value>,
}

/// What a trajectory change decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gewijzigd {
    /// The person's status after the change.
    pub status: InburgeraarStatus,
    /// The answer to the caller; kept for a retry under the same idempotency key.
    pub antwoord: Antwoord,
    /// For a push that replaces an earlier one (the same month of hours, the same enrolment): what it
    /// replaced, worded as its answer, so that the audit trail shows old and new.
    pub vervangen: Option<serde_json::Value>,
}

impl Gewijzigd {
    /// A change that answers `antwoord` and replaces nothing.
    pub fn new(status: InburgeraarStatus, antwoord: Antwoord) -> Self {
        Self {
            status,
            antwoord,
            vervangen: None,
        }
    }
}

/// Everything a trajectory change records besides the trajectory itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Vastlegging {
    /// The person after the change: its status, and a new version when the status moved.
    pub person: Inburgeraar,
    pub audit: AuditWijziging<'static>,
    pub events: Vec<Event>,
}

/// What `wijziging`, done by the caller of `ctx` in `activiteit`, records when it took the trajectory
/// of `person` from `before` to `after` and decided `gewijzigd`.
///
/// The audit trail keeps of a partner's push what it added (and what it replaced: the same month or
/// enrolment), not the whole trajectory; of any other change the trajectory before and after, without
/// health data (`audit:lezen` is not `gezondheid:lezen`). The change's event points at the URL its
/// `wijziging` names, else at the person's resource of its kind.
///
/// # Errors
/// A trajectory that does not serialise (a bug).
pub fn vastlegging(
    ctx: &RequestContext,
    activiteit: Verwerkingsactiviteit,
    wijziging: &Wijziging,
    person: &Inburgeraar,
    before: &Traject,
    after: &Traject,
    gewijzigd: &Gewijzigd,
) -> Result<Vastlegging, serde_json::Error> {
    let id = person.id;
    let mut person_after = person.clone();
    if gewijzigd.status != person.status {
        person_after.status = gewijzigd.status;
        person_after.versie += 1;
        person_after.gewijzigd_op = ctx.now;
    }
    let push = matches!(
        activiteit,
        Verwerkingsactiviteit::VoortgangAanleveren
            | Verwerkingsactiviteit::ExamenresultaatAanleveren
    );
    let (actie, oude_waarde, nieuwe_waarde) = if push {
        let nieuw = Some(gewijzigd.antwoord.body.clone());
        match &gewijzigd.vervangen {
            Some(oud) => (AuditActie::Gewijzigd, Some(oud.clone()), nieuw),
            None => (AuditActie::Aangemaakt, None, nieuw),
        }
    } else {
        (
            AuditActie::Gewijzigd,
            Some(serde_json::to_value(before.zonder_gezondheid())?),
            Some(serde_json::to_value(after.zonder_gezondheid())?),
        )
    };
    let audit = AuditWijziging {
        inburgeraar_id: id,
        resource: wijziging.kind.resource(),
        resource_id: id.to_string(),
        actie,
        oude_waarde,
        nieuwe_waarde,
    };
    let mut events = vec![Event::about(ctx, wijziging, id, &person.gemeente)];
    if person_after.status != person.status && wijziging.kind != EventKind::StatusGewijzigd {
        events.push(Event::new(
            ctx,
            EventKind::StatusGewijzigd,
            person_url(EventKind::StatusGewijzigd, id),
            Some(id),
            Some(person.gemeente.clone()),
        ));
    }
    Ok(Vastlegging {
        person: person_after,
        audit,
        events,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::{ctx, person};
    use crate::traject::BredeIntake;
    use chrono::NaiveDate;
    use serde_json::json;

    fn met_gezondheid() -> Traject {
        Traject {
            brede_intake: Some(BredeIntake {
                datum_start: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
                datum_einde: None,
                leerbaarheidstoets: None,
                opleiding_buitenland: None,
                werkervaring_buitenland: None,
                taalniveau: None,
                digitale_vaardigheden: None,
                financien: None,
                sociale_context: None,
                gezondheid: Some("Rugklachten".into()),
                datum_ontvangst_informatie_derden: None,
            }),
            ..Traject::default()
        }
    }

    #[test]
    fn a_push_keeps_what_it_added_and_what_it_replaced() {
        let p = person();
        let wijziging = Wijziging::of(EventKind::GevolgdeUrenAangeleverd);
        let mut gewijzigd = Gewijzigd::new(p.status, Antwoord::ok(json!({"lesuren": 40})));
        let activiteit = Verwerkingsactiviteit::VoortgangAanleveren;
        let t = Traject::default();
        let nieuw = vastlegging(&ctx(), activiteit, &wijziging, &p, &t, &t, &gewijzigd).unwrap();
        assert_eq!(nieuw.audit.actie, AuditActie::Aangemaakt);
        assert_eq!(nieuw.audit.oude_waarde, None);
        assert_eq!(nieuw.audit.nieuwe_waarde, Some(json!({"lesuren": 40})));
        assert_eq!(nieuw.person, p, "a push moves no status");
        gewijzigd.vervangen = Some(json!({"lesuren": 32}));
        let vervangen =
            vastlegging(&ctx(), activiteit, &wijziging, &p, &t, &t, &gewijzigd).unwrap();
        assert_eq!(vervangen.audit.actie, AuditActie::Gewijzigd);
        assert_eq!(vervangen.audit.oude_waarde, Some(json!({"lesuren": 32})));
        assert_eq!(vervangen.events.len(), 1);
        assert_eq!(vervangen.events[0].kind, EventKind::GevolgdeUrenAangeleverd);
    }

    #[test]
    fn a_change_of_the_gemeente_keeps_before_and_after_without_health_data() {
        let p = person();
        let before = Traject::default();
        let after = met_gezondheid();
        let gewijzigd = Gewijzigd::new(
            InburgeraarStatus::BredeIntake,
            Antwoord::ok(serde_json::Value::Null),
        );
        let vastgelegd = vastlegging(
            &ctx(),
            Verwerkingsactiviteit::TrajectWijzigen,
            &Wijziging::of(EventKind::BredeIntakeVastgelegd),
            &p,
            &before,
            &after,
            &gewijzigd,
        )
        .unwrap();
        let nieuw = vastgelegd.audit.nieuwe_waarde.unwrap();
        assert_eq!(nieuw["bredeIntake"]["datumStart"], "2026-11-01");
        assert!(nieuw["bredeIntake"]["gezondheid"].is_null(), "{nieuw}");
        assert!(!nieuw.to_string().contains("Rugklachten"));
        // The status moved: a new version of the person, and the status's own event too.
        assert_eq!(vastgelegd.person.status, InburgeraarStatus::BredeIntake);
        assert_eq!(vastgelegd.person.versie, p.versie + 1);
        let kinds: Vec<_> = vastgelegd.events.iter().map(|e| e.kind).collect();
        assert_eq!(
            kinds,
            [EventKind::BredeIntakeVastgelegd, EventKind::StatusGewijzigd]
        );
    }
}
