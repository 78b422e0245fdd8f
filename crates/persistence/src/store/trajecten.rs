//! `TrajectStore`: a person's trajectory, its changes planned on a snapshot and grouped on SQLite.

use super::{DieselStore, Schrijfwijze};
use crate::connection::AnyConnection;
use crate::events::{self, NewEventRow};
use crate::inburgeraars;
use crate::projectie;
use crate::records::{self, AuditRow, VerwerkingRow};
use crate::trajecten;
use crate::transactions::{Tx, TxError};
use koers_domain::commando::{Afwijzing, TrajectCommando, Weergave};
use koers_domain::inburgeraar::{Inburgeraar, InburgeraarId};
use koers_domain::pip::Leerroute;
use koers_domain::ports::{Lijstpagina, Lijstvraag, StoreError, TrajectOutcome, TrajectStore};
use koers_domain::records::{
    Antwoord, IdempotencyKey, IdempotencyRecord, RequestContext, Verwerkingsactiviteit,
};
use koers_domain::signalering::DELEN as SIGNALERING_DELEN;
use koers_domain::traject::{Delen, Selectie, Traject};
use koers_domain::voortgang::{raakt_conflict, Verwant};

impl TrajectStore for DieselStore {
    fn get_traject(
        &self,
        ctx: &RequestContext,
        id: InburgeraarId,
        delen: Delen,
    ) -> Result<Option<(Inburgeraar, Traject)>, StoreError> {
        let activiteit = Verwerkingsactiviteit::TrajectRaadplegen;
        self.read_logged(ctx, activiteit, |conn| {
            let Some(person) = inburgeraars::get_visible(conn, ctx, activiteit, id)?? else {
                return Ok((None, Vec::new()));
            };
            let geladen = trajecten::load(conn, id, Selectie::Lijsten(delen))?;
            Ok((Some((person, geladen.traject)), vec![id]))
        })
    }

    fn update_traject(
        &self,
        ctx: &RequestContext,
        id: InburgeraarId,
        commando: &TrajectCommando,
        idempotency: Option<&IdempotencyKey>,
        weergave: &dyn Weergave,
    ) -> Result<TrajectOutcome<Antwoord>, StoreError> {
        // On SQLite a change is grouped with other writes (see `transactions`). Two changes to one
        // person at once (two providers pushing, say) meet at the version check; the later one is
        // applied again to the new state, and after a few lost races inside one write transaction,
        // where on SQLite nothing can overtake it. On PostgreSQL changes to one person queue on the
        // person's row lock (`plan_traject`), so none is answered as stale for another's sake.
        let change_once = |conn: &mut AnyConnection| {
            self.plan_traject(conn, ctx, id, commando, idempotency, weergave)
        };
        // Where writes are grouped (SQLite), a change is planned on a snapshot and committed with the
        // others waiting; elsewhere (PostgreSQL) it is one transaction at once.
        if let Schrijfwijze::Gegroepeerd(committer) = &self.schrijfwijze {
            for _ in 0..GROUPED_ATTEMPTS {
                let planned = match self.read(change_once)? {
                    Err(outcome) => return Ok(outcome),
                    Ok(planned) => planned,
                };
                let (writes, outcome) = planned.split();
                match committer.commit(Box::new(move |conn| writes.apply(conn))) {
                    Err(StoreError::StaleVersion) => {}
                    other => return other.map(|()| outcome),
                }
            }
        }
        let mut attempt = 0;
        loop {
            let applied = self.transaction(|conn| match change_once(conn)? {
                Err(outcome) => Ok(outcome),
                Ok(planned) => {
                    let (writes, outcome) = planned.split();
                    writes.apply(conn)?;
                    Ok(outcome)
                }
            });
            match applied {
                Err(StoreError::StaleVersion) if attempt < 5 => attempt += 1,
                other => return other,
            }
        }
    }

    fn traject_lijst(
        &self,
        ctx: &RequestContext,
        id: InburgeraarId,
        vraag: &Lijstvraag,
    ) -> Result<Option<Lijstpagina>, StoreError> {
        self.lees_traject_lijst(ctx, id, vraag)
    }
}

/// How often a trajectory change is applied to a fresh snapshot and grouped with other writes before it
/// is applied inside a write transaction of its own.
const GROUPED_ATTEMPTS: usize = 3;

/// The writes of one trajectory change, owned, so that the committer can run them.
struct TrajectWrites {
    id: InburgeraarId,
    geladen: trajecten::Geladen,
    traject: Traject,
    now: chrono::NaiveDateTime,
    person_before: Inburgeraar,
    person_after: Inburgeraar,
    audit: AuditRow,
    events: Vec<NewEventRow>,
    verwerkingen: Vec<VerwerkingRow>,
    idempotency: Option<IdempotencyRecord>,
    projectie: Projectie,
}

/// How a change moves the worklist's due-date projection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Projectie {
    /// Not at all (an enrolment; hours outside a Z-route; a result with nothing to contradict).
    Blijft,
    /// The change loaded every list the signals look at: the projection follows from its result.
    Uit,
    /// From what is stored once the change is written.
    Herlaad,
}

/// How a change loaded as `selectie`, from `before` to `after`, moves the projection.
fn projectie(selectie: Selectie, before: &Traject, after: &Traject) -> Projectie {
    match selectie {
        Selectie::Lijsten(delen) if delen.en(SIGNALERING_DELEN) == delen => Projectie::Uit,
        Selectie::Lijsten(_) => {
            if before == after {
                Projectie::Blijft
            } else {
                Projectie::Herlaad
            }
        }
        Selectie::Verwant(Verwant::Inschrijving { .. }) => Projectie::Blijft,
        // Hours count only toward the Z-route's norms.
        Selectie::Verwant(Verwant::GevolgdeUren { .. }) => {
            if after.actuele_pip().map(|p| p.leerroute) == Some(Leerroute::Z) {
                Projectie::Herlaad
            } else {
                Projectie::Blijft
            }
        }
        // A conflict needs results of the same exam from both sources.
        Selectie::Verwant(Verwant::Examen { .. } | Verwant::Examens { .. }) => {
            if raakt_conflict(&before.examenresultaten, &after.examenresultaten) {
                Projectie::Herlaad
            } else {
                Projectie::Blijft
            }
        }
    }
}

/// A change applied to a snapshot: the writes and the answer once they are stored.
struct PlannedTraject {
    writes: TrajectWrites,
    antwoord: Antwoord,
}

impl PlannedTraject {
    fn split(self) -> (TrajectWrites, TrajectOutcome<Antwoord>) {
        let outcome = TrajectOutcome::Updated(Box::new((
            self.writes.person_after.clone(),
            self.writes.traject.clone(),
            self.antwoord,
        )));
        (self.writes, outcome)
    }
}

impl TrajectWrites {
    /// Stores the change if the trajectory (and, when the status moves, the person) is still at the
    /// version the change was applied to.
    fn apply(&self, conn: &mut AnyConnection) -> Tx<()> {
        if !trajecten::save(conn, self.id, &self.geladen, &self.traject, self.now)? {
            return Err(TxError(StoreError::StaleVersion));
        }
        if self.person_after.versie != self.person_before.versie
            && !inburgeraars::update(conn, &self.person_before, &self.person_after)?
        {
            return Err(TxError(StoreError::StaleVersion));
        }
        match self.projectie {
            Projectie::Blijft => {}
            Projectie::Uit => {
                let gemeente = std::slice::from_ref(&self.person_after.gemeente);
                let instellingen = crate::gemeenten::load(conn, gemeente)?;
                projectie::vervang(conn, &[(&self.person_after, &self.traject)], &instellingen)?;
            }
            Projectie::Herlaad => projectie::herbereken(conn, &self.person_after)?,
        }
        records::insert_audit(conn, &self.audit)?;
        events::insert(conn, &self.events)?;
        records::insert_verwerkingen(conn, &self.verwerkingen)?;
        if let Some(record) = &self.idempotency {
            records::remember_answer(conn, record)?;
        }
        Ok(())
    }
}

impl DieselStore {
    /// Applies the command to the stored trajectory as read on `conn`; the outcome when nothing is
    /// to be written.
    fn plan_traject(
        &self,
        conn: &mut AnyConnection,
        ctx: &RequestContext,
        id: InburgeraarId,
        commando: &TrajectCommando,
        idempotency: Option<&IdempotencyKey>,
        weergave: &dyn Weergave,
    ) -> Tx<Result<PlannedTraject, TrajectOutcome<Antwoord>>> {
        let (activiteit, selectie) = (commando.activiteit(), commando.selectie());
        let Some((person, basis)) =
            inburgeraars::get_visible_with_basis(conn, ctx, activiteit, id)??
        else {
            return Ok(Err(TrajectOutcome::NotFound));
        };
        // Changes to one person queue behind each other rather than race (on PostgreSQL; SQLite has
        // one writer at a time): a push that sends no `If-Match` never depends on what another push did
        // a moment before. The lock is taken only once the person is known to be visible, so that
        // waiting on it tells no one else anything; a person changed in between is read again.
        if inburgeraars::lock(conn, id)?.is_some_and(|versie| versie != person.versie) {
            return Err(TxError(StoreError::StaleVersion));
        }
        let geladen = trajecten::load(conn, id, selectie)?;
        // Everything the change leads to is the domain's decision.
        let uitkomst = match commando.uitvoeren(ctx, &person, &geladen.traject, weergave) {
            Ok(uitkomst) => uitkomst,
            Err(Afwijzing::NietGevonden) => return Ok(Err(TrajectOutcome::NotFound)),
            Err(Afwijzing::Geweigerd(refusal)) => return Ok(Err(TrajectOutcome::Refused(refusal))),
            Err(Afwijzing::Defect(reason)) => return Err(TxError(StoreError::internal(reason))),
        };
        let verwerkingen = records::rows_for(ctx, self.key(), activiteit, &[id], &basis);
        let vastgelegd = uitkomst.vastlegging;
        let audit = records::audit_row(ctx, vastgelegd.audit);
        let events = vastgelegd.events.iter().map(NewEventRow::from).collect();
        let projectie = projectie(selectie, &geladen.traject, &uitkomst.traject);
        Ok(Ok(PlannedTraject {
            writes: TrajectWrites {
                projectie,
                id,
                geladen,
                traject: uitkomst.traject,
                now: ctx.now,
                person_before: person,
                person_after: vastgelegd.person,
                audit,
                events,
                verwerkingen,
                idempotency: idempotency.map(|key| {
                    IdempotencyRecord::new(
                        ctx,
                        key,
                        Some(id),
                        Some(activiteit),
                        uitkomst.antwoord.clone(),
                    )
                }),
            },
            antwoord: uitkomst.antwoord,
        }))
    }
}
