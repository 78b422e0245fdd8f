//! The worklist: what a klantmanager has to act on for one person on a given day, each signal with its
//! due date and the rule it comes from. Computed from the person and the trajectory, never stored: a
//! signal disappears as soon as its cause is resolved.

use crate::inburgeraar::{Inburgeraar, InburgeraarStatus};
use crate::instellingen::GemeenteInstellingen;
use crate::ontzorging::OntzorgingStatus;
use crate::pip::Leerroute;
use crate::termijn::{self, Termijn};
use crate::traject::{self, Delen, Lijst, Traject, Z_ROUTE_LESUREN, Z_ROUTE_PARTICIPATIE_UREN};
use crate::voortgang::{Bron, Examenresultaat, GevolgdeUren};
use chrono::NaiveDate;
use serde::Serialize;

text_enum! {
    /// The kinds of signals, in the order they are listed on the same day.
    #[derive(PartialOrd, Ord)]
    SignaleringSoort {
        PipTermijn => "PIP_TERMIJN",
        TermijnEinde => "TERMIJN_EINDE",
        Schakeldatum => "SCHAKELDATUM",
        OntzorgingMinimaalEinde => "ONTZORGING_MINIMAAL_EINDE",
        Voortgangsgesprek => "VOORTGANGSGESPREK",
        AowLeeftijd => "AOW_LEEFTIJD",
        ZRouteUren => "Z_ROUTE_UREN",
        ExamenConflict => "EXAMEN_CONFLICT",
    }
}

impl SignaleringSoort {
    /// The rule the signal comes from, with its source.
    pub fn regel(self) -> &'static str {
        match self {
            SignaleringSoort::PipTermijn => "Besluit inburgering 2021 art. 5.3: de PIP wordt vastgesteld binnen tien weken na de kennisgeving of, als die later is, de vestiging in de gemeente; wachten op informatie van derden verlengt dat tot twee weken na ontvangst.",
            SignaleringSoort::TermijnEinde => "Wet inburgering 2021 art. 7: de inburgeringstermijn loopt drie jaar vanaf de dag na de dagtekening van de eerste PIP, plus de verlengingen die DUO besluit.",
            SignaleringSoort::Schakeldatum => "Wet inburgering 2021: van leerroute wisselen (een nieuwe PIP) kan tot en met achttien maanden na de start van de inburgeringstermijn; van de onderwijsroute naar de B1-route blijft daarna mogelijk.",
            SignaleringSoort::OntzorgingMinimaalEinde => "Participatiewet art. 56a: de gemeente betaalt ten minste de eerste zes maanden van de bijstand huur, energie, water en zorgverzekering uit de uitkering; langer ontzorgen, afbouw en beëindiging zijn lokaal beleid.",
            SignaleringSoort::Voortgangsgesprek => "Lokaal beleid: de gemeente bewaakt de voortgang van de PIP in voortgangsgesprekken, met de cadans uit de gemeente-instellingen (er is geen wettelijke cadans).",
            SignaleringSoort::AowLeeftijd => "Wet inburgering 2021: wie de AOW-leeftijd bereikt is niet meer inburgeringsplichtig; DUO meldt dit zes maanden vooraf (SS128).",
            SignaleringSoort::ZRouteUren => "Besluit inburgering 2021 art. 3.14: de Z-route omvat 800 uur taalles en KNM en, voor asielstatushouders, 800 uur participatie; de gemeente rondt af met een eindgesprek en meldt de afronding aan DUO.",
            SignaleringSoort::ExamenConflict => "DUO neemt de inburgeringsexamens af en registreert de uitslag; spreekt de taalaanbieder DUO tegen, dan geldt de uitslag van DUO.",
        }
    }
}

/// One item on the worklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Signalering {
    pub soort: SignaleringSoort,
    /// The due date (for a reached norm: the date it was reached).
    pub datum: NaiveDate,
    /// The due date lies before today.
    pub verstreken: bool,
    /// The rule it comes from, with its legal source.
    pub regel: &'static str,
    pub omschrijving: String,
}

/// What a caller asks of the worklist: the gemeenten (already limited to the caller's), and optionally
/// one kind and a window of due dates.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SignaleringVraag {
    pub gemeenten: Vec<crate::gemeente::GemeenteCode>,
    pub soort: Option<SignaleringSoort>,
    pub datum_vanaf: Option<NaiveDate>,
    pub datum_tot: Option<NaiveDate>,
}

impl SignaleringVraag {
    /// The signal matches the kind and the window (both bounds inclusive).
    pub fn past(&self, signalering: &Signalering) -> bool {
        self.soort.is_none_or(|soort| soort == signalering.soort)
            && self
                .datum_vanaf
                .is_none_or(|vanaf| signalering.datum >= vanaf)
            && self.datum_tot.is_none_or(|tot| signalering.datum <= tot)
    }
}

/// One line of the worklist: the person and one of their signals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignaleringRegel {
    pub inburgeraar: crate::inburgeraar::InburgeraarId,
    pub naam: String,
    pub gemeente: crate::gemeente::GemeenteCode,
    pub signalering: Signalering,
}

impl SignaleringRegel {
    /// The line's place in the worklist, as text that sorts the same way: due date, kind, person. Also
    /// the cursor of a page.
    pub fn sleutel(&self) -> String {
        let soort = SignaleringSoort::ALL
            .iter()
            .position(|s| *s == self.signalering.soort)
            .unwrap_or_default();
        format!(
            "{}|{soort:02}|{}",
            self.signalering.datum.format("%Y-%m-%d"),
            self.inburgeraar
        )
    }
}

/// The lists of a trajectory the signals look at (besides the document): the extensions (the term),
/// the conversations, the hours (the Z-route) and the exam results (conflicts with DUO).
pub const DELEN: Delen = Delen::TERMIJN
    .met(Lijst::Voortgangsgesprekken)
    .met(Lijst::GevolgdeUren)
    .met(Lijst::Examenresultaten);

/// A signal as the person and the trajectory fix it, whatever the day: its due date and the days on
/// which it shows. The worklist keeps these per person, maintained with every change (a projection),
/// and picks those of the day it is asked on; [`signaleringen`] is the same, for one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verwachting {
    pub soort: SignaleringSoort,
    /// The due date. `None`: the day it is looked at (hours the gemeente registered carry no date).
    pub datum: Option<NaiveDate>,
    /// The due date is never after the day it is looked at (a norm reached in the running month is
    /// due from today, not from the month's end).
    pub hooguit_vandaag: bool,
    /// The first day it shows; `None`: from the start.
    pub vanaf: Option<NaiveDate>,
    /// The last day it shows; `None`: until its cause is resolved.
    pub tot: Option<NaiveDate>,
    tekst: Tekst,
}

/// How a signal's description reads, given the day.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tekst {
    PipTermijn,
    TermijnEinde,
    Schakeldatum { onderwijsroute: bool },
    Ontzorging { afbouw: bool },
    Voortgangsgesprek,
    AowLeeftijd,
    Vast(String),
}

impl Verwachting {
    /// The due date on `today`.
    pub fn datum_op(&self, today: NaiveDate) -> NaiveDate {
        match (self.datum, self.hooguit_vandaag) {
            (None, _) => today,
            (Some(datum), true) => datum.min(today),
            (Some(datum), false) => datum,
        }
    }

    /// Whether it shows on `today`.
    pub fn toont_op(&self, today: NaiveDate) -> bool {
        self.vanaf.is_none_or(|vanaf| vanaf <= today) && self.tot.is_none_or(|tot| today <= tot)
    }

    /// The signal on `today`, if it shows then.
    pub fn op(&self, today: NaiveDate) -> Option<Signalering> {
        if !self.toont_op(today) {
            return None;
        }
        let datum = self.datum_op(today);
        let voorbij = datum < today;
        let omschrijving = match &self.tekst {
            Tekst::PipTermijn if voorbij => {
                format!("De PIP had uiterlijk {datum} vastgesteld moeten zijn.")
            }
            Tekst::PipTermijn => format!("Stel de PIP uiterlijk {datum} vast."),
            Tekst::TermijnEinde if voorbij => {
                format!("De inburgeringstermijn is op {datum} verstreken.")
            }
            Tekst::TermijnEinde => format!("De inburgeringstermijn eindigt op {datum}."),
            Tekst::Schakeldatum { onderwijsroute } => {
                let mut tekst = format!("Van leerroute wisselen kan nog tot en met {datum}.");
                if *onderwijsroute {
                    tekst.push_str(" Van de onderwijsroute naar de B1-route kan ook daarna.");
                }
                tekst
            }
            Tekst::Ontzorging { afbouw: true } => format!("De minimale periode van ontzorgen liep tot {datum} en de afbouw loopt: beëindig de ontzorging zodra de inburgeraar financieel zelfredzaam is."),
            Tekst::Ontzorging { afbouw: false } => format!("De minimale periode van ontzorgen liep tot {datum}: besluit over afbouw of beëindiging."),
            Tekst::Voortgangsgesprek if voorbij => {
                format!("Het voortgangsgesprek had uiterlijk {datum} moeten plaatsvinden.")
            }
            Tekst::Voortgangsgesprek => format!("Voer het voortgangsgesprek uiterlijk {datum}."),
            Tekst::AowLeeftijd if voorbij => format!("De inburgeraar heeft op {datum} de AOW-leeftijd bereikt: beëindig de inburgeringsplicht."),
            Tekst::AowLeeftijd => format!("De inburgeraar bereikt op {datum} de AOW-leeftijd; dan eindigt de inburgeringsplicht."),
            Tekst::Vast(tekst) => tekst.clone(),
        };
        Some(Signalering {
            soort: self.soort,
            datum,
            verstreken: voorbij,
            regel: self.soort.regel(),
            omschrijving,
        })
    }
}

/// The day `dagen` days before `datum`: a signal due on `datum` with a horizon of `dagen` shows from
/// then.
fn dagen_voor(datum: NaiveDate, dagen: u32) -> NaiveDate {
    datum
        .checked_sub_days(chrono::Days::new(dagen.into()))
        .unwrap_or(NaiveDate::MIN)
}

/// Every signal the person and the trajectory fix, each with the days it shows (see [`signaleringen`]
/// for the rules).
pub fn verwachtingen(
    person: &Inburgeraar,
    traject: &Traject,
    instellingen: &GemeenteInstellingen,
) -> Vec<Verwachting> {
    if traject::plicht_beeindigd(person.status) {
        return Vec::new();
    }
    let loopt = person.status != InburgeraarStatus::TijdelijkVrijgesteld;
    let mut out = Vec::new();
    let mut verwacht = |soort, datum: NaiveDate, vanaf: Option<NaiveDate>, tot, tekst| {
        out.push(Verwachting {
            soort,
            datum: Some(datum),
            hooguit_vandaag: false,
            vanaf,
            tot,
            tekst,
        });
    };
    let termijn = traject.termijn();
    let pip = traject.actuele_pip();

    // PIP_TERMIJN: no PIP fixed yet; shows from the horizon before the deadline.
    if let (true, None, Some(deadline)) = (loopt, pip, traject.pip_deadline(person)) {
        let vanaf = dagen_voor(deadline, instellingen.horizon_pip_dagen);
        verwacht(
            SignaleringSoort::PipTermijn,
            deadline,
            Some(vanaf),
            None,
            Tekst::PipTermijn,
        );
    }

    if let (true, Some(termijn)) = (loopt, &termijn) {
        // TERMIJN_EINDE: from the horizon before the end, and after it.
        let einde = termijn.datum_einde;
        let vanaf = termijn::sub_months(einde, instellingen.horizon_termijn_maanden);
        verwacht(
            SignaleringSoort::TermijnEinde,
            einde,
            Some(vanaf),
            None,
            Tekst::TermijnEinde,
        );
        // SCHAKELDATUM: for every route (each has a switch that closes: B1 and Z to any other route,
        // onderwijsroute to the Z-route), only until the date passes: then nothing can be done.
        let laatste = termijn.laatste_schakeldatum;
        let vanaf = dagen_voor(laatste, instellingen.horizon_schakeldatum_dagen);
        let onderwijsroute = pip.map(|p| p.leerroute) == Some(Leerroute::Onderwijs);
        verwacht(
            SignaleringSoort::Schakeldatum,
            laatste,
            Some(vanaf),
            Some(laatste),
            Tekst::Schakeldatum { onderwijsroute },
        );
    }

    // ONTZORGING_MINIMAAL_EINDE: a running ontzorging, once its minimum period is over.
    if let Some(ontzorging) = traject.ontzorging.as_ref().filter(|o| o.loopt()) {
        if let Some(minimaal) = ontzorging.datum_minimaal_einde {
            let afbouw = ontzorging.status == OntzorgingStatus::Afbouw;
            verwacht(
                SignaleringSoort::OntzorgingMinimaalEinde,
                minimaal,
                Some(minimaal),
                None,
                Tekst::Ontzorging { afbouw },
            );
        }
    }

    // VOORTGANGSGESPREK: with a PIP, from the horizon before the next conversation.
    if let (true, Some(_), Some(volgend)) = (loopt, pip, traject.volgend_gesprek(instellingen)) {
        let vanaf = dagen_voor(volgend, instellingen.horizon_gesprek_dagen);
        verwacht(
            SignaleringSoort::Voortgangsgesprek,
            volgend,
            Some(vanaf),
            None,
            Tekst::Voortgangsgesprek,
        );
    }

    // AOW_LEEFTIJD: also before the PIP, and also during a temporary exemption.
    if let Some(geboortedatum) = person.geboortedatum {
        let aow = termijn::aow_datum(geboortedatum);
        let vanaf = termijn::sub_months(aow, instellingen.horizon_aow_maanden);
        verwacht(
            SignaleringSoort::AowLeeftijd,
            aow,
            Some(vanaf),
            None,
            Tekst::AowLeeftijd,
        );
    }

    // Z_ROUTE_UREN: in a Z-route not yet completed.
    let z_afgerond = traject
        .z_route
        .as_ref()
        .is_some_and(|z| z.datum_afronding.is_some());
    if let (Some(Leerroute::Z), false) = (pip.map(|p| p.leerroute), z_afgerond) {
        let asiel = person.doelgroep.is_asielstatushouder();
        let (les, participatie) = traject.z_route_uren();
        let uren = if asiel {
            format!("{les} van {Z_ROUTE_LESUREN} lesuren en {participatie} van {Z_ROUTE_PARTICIPATIE_UREN} participatie-uren")
        } else {
            format!("{les} van {Z_ROUTE_LESUREN} lesuren")
        };
        let gehaald =
            les >= Z_ROUTE_LESUREN && (!asiel || participatie >= Z_ROUTE_PARTICIPATIE_UREN);
        let achter =
            les < Z_ROUTE_LESUREN / 2 || (asiel && participatie < Z_ROUTE_PARTICIPATIE_UREN / 2);
        if gehaald {
            // Due since the end of the month whose report reached the norm, never after today; hours
            // the gemeente registered carry no date: due today.
            out.push(Verwachting {
                soort: SignaleringSoort::ZRouteUren,
                datum: norm_bereikt(&traject.gevolgde_uren, asiel),
                hooguit_vandaag: true,
                vanaf: None,
                tot: None,
                tekst: Tekst::Vast(format!("De uren van de Z-route zijn gehaald ({uren}): plan het eindgesprek en registreer de afronding van de Z-route.")),
            });
        } else if let (true, true, Some(termijn)) = (loopt, achter, &termijn) {
            // Behind once more than half of the term has passed.
            let vanaf = halverwege(termijn).succ_opt().unwrap_or(NaiveDate::MAX);
            out.push(Verwachting {
                soort: SignaleringSoort::ZRouteUren,
                datum: Some(termijn.datum_einde),
                hooguit_vandaag: false,
                vanaf: Some(vanaf),
                tot: None,
                tekst: Tekst::Vast(format!("Meer dan de helft van de termijn is voorbij en minder dan de helft van de uren is gehaald ({uren}); de termijn eindigt op {}.", termijn.datum_einde)),
            });
        }
    }

    // EXAMEN_CONFLICT: a provider contradicted DUO and has not yet reported DUO's result itself.
    for (datum, omschrijving) in examenconflicten(&traject.examenresultaten) {
        out.push(Verwachting {
            soort: SignaleringSoort::ExamenConflict,
            datum: Some(datum),
            hooguit_vandaag: false,
            vanaf: None,
            tot: None,
            tekst: Tekst::Vast(omschrijving),
        });
    }
    out
}

/// The signals of one person on `today`, sorted by due date and then kind.
///
/// Only while the duty runs: an ended duty (voldaan, ontheven, vrijgesteld, beëindigd) has none. During
/// a temporary exemption the term and the guidance pause, so the PIP deadline, the term end, the last
/// switch date, the voortgangsgesprek and the Z-route's half-term check are left out; the AOW age, the
/// ontzorging, reached Z-route hours and exam conflicts still show.
pub fn signaleringen(
    person: &Inburgeraar,
    traject: &Traject,
    instellingen: &GemeenteInstellingen,
    today: NaiveDate,
) -> Vec<Signalering> {
    let mut out: Vec<Signalering> = verwachtingen(person, traject, instellingen)
        .iter()
        .filter_map(|verwachting| verwachting.op(today))
        .collect();
    out.sort_by_key(|s| (s.datum, s.soort));
    out
}

/// The middle of the term, in days (extensions included).
fn halverwege(termijn: &Termijn) -> NaiveDate {
    let dagen = (termijn.datum_einde - termijn.datum_start).num_days() / 2;
    termijn::add_days(termijn.datum_start, u64::try_from(dagen).unwrap_or(0))
}

/// The last day of the month in which the providers' monthly reports reached the Z-route norms, or
/// `None` when the reports alone do not reach them (the gemeente registered the hours, undated).
fn norm_bereikt(uren: &[GevolgdeUren], asiel: bool) -> Option<NaiveDate> {
    let mut maanden: Vec<&GevolgdeUren> = uren.iter().collect();
    maanden.sort_by_key(|u| u.maand);
    let mut les = 0u32;
    let mut participatie = 0u32;
    let mut les_gehaald = None;
    let mut participatie_gehaald = None;
    for maand in maanden {
        les = les.saturating_add(maand.lesuren.saturating_add(maand.lesuren_brede_intake));
        participatie = participatie.saturating_add(maand.participatie_uren);
        let einde_maand = termijn::add_months(maand.maand, 1)
            .pred_opt()
            .unwrap_or(maand.maand);
        if les >= Z_ROUTE_LESUREN {
            les_gehaald.get_or_insert(einde_maand);
        }
        if participatie >= Z_ROUTE_PARTICIPATIE_UREN {
            participatie_gehaald.get_or_insert(einde_maand);
        }
    }
    if asiel {
        Some(les_gehaald?.max(participatie_gehaald?))
    } else {
        les_gehaald
    }
}

/// One (date, description) per exam where a provider reported a result that DUO's result contradicts
/// and the provider's latest result for that exam still differs from DUO's latest. "Latest" is the
/// order of registration (the list order).
fn examenconflicten(resultaten: &[Examenresultaat]) -> Vec<(NaiveDate, String)> {
    let mut out = Vec::new();
    let mut gezien: Vec<&Examenresultaat> = Vec::new();
    for conflict in resultaten
        .iter()
        .filter(|r| r.bron == Bron::Aanbieder && r.conflict_met_duo)
    {
        if gezien.iter().any(|g| g.zelfde_examen(conflict)) {
            continue;
        }
        gezien.push(conflict);
        let laatste = |bron: Bron| {
            resultaten
                .iter()
                .rev()
                .find(|r| r.bron == bron && r.zelfde_examen(conflict))
        };
        if let (Some(aanbieder), Some(duo)) = (laatste(Bron::Aanbieder), laatste(Bron::Duo)) {
            if aanbieder.uitslag != duo.uitslag {
                out.push((
                    conflict.datum_examen,
                    format!(
                        "De taalaanbieder meldde {} voor {} {} op {}, DUO {}; de uitslag van DUO geldt: laat de taalaanbieder het resultaat corrigeren.",
                        aanbieder.uitslag.as_str(),
                        conflict.onderdeel.as_str(),
                        conflict.niveau.as_str(),
                        conflict.datum_examen,
                        duo.uitslag.as_str()
                    ),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gemeente::GemeenteCode;
    use crate::gesprekken::VoortgangsgesprekGegevens;
    use crate::inburgeraar::{Doelgroep, InburgeraarId, Regime};
    use crate::input::Input;
    use crate::ontzorging::{OntzorgingGegevens, PostGegevens, PostSoort, VERPLICHTE_POSTEN};
    use crate::pip::{Alfabetisering, Pip, PipGegevens, PipId, PipStatus};
    use crate::traject::{OnderdeelGegevens, OnderdeelSoort, VerlengingGegevens};
    use crate::voortgang::{
        self, Bron, ExamenNiveau, ExamenOnderdeel, ExamenUitslag, ExamenresultaatGegevens,
    };
    use chrono::NaiveDateTime;
    use uuid::Uuid;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn at(date: NaiveDate) -> NaiveDateTime {
        date.and_hms_opt(9, 0, 0).unwrap()
    }

    /// An asielstatushouder notified on 5 January 2026 (PIP due 16 March 2026), born 1 January 1990.
    fn person(status: InburgeraarStatus) -> Inburgeraar {
        let now = at(d(2026, 1, 5));
        Inburgeraar {
            id: InburgeraarId::new(),
            bsn: None,
            v_nummer: Some("0000000001".into()),
            naam: "X".into(),
            geboortedatum: Some(d(1990, 1, 1)),
            gemeente: GemeenteCode::parse("g", "0405").unwrap(),
            doelgroep: Doelgroep::Asielstatushouder,
            regime: Regime::Wi2021,
            datum_kennisgeving: Some(d(2026, 1, 5)),
            datum_vestiging: None,
            status,
            versie: 1,
            aangemaakt_op: now,
            gewijzigd_op: now,
        }
    }

    /// A fixed PIP dated 14 March 2025: the term runs from 15 March 2025 to 15 March 2028, the last
    /// switch date is 15 September 2026.
    fn met_pip(route: Leerroute) -> Traject {
        let now = at(d(2025, 3, 14));
        Traject {
            pips: vec![Pip {
                id: PipId(Uuid::now_v7()),
                inburgeraar_id: InburgeraarId(Uuid::nil()),
                status: PipStatus::Vastgesteld,
                datum_dagtekening: Some(d(2025, 3, 14)),
                leerroute: route,
                niveau: None,
                geschatte_intensiteit_b1_route: None,
                indicator_mag_opleiding_afmaken: false,
                indicator_alfabetisering: Alfabetisering::Nvt,
                afgeschaalde_onderdelen: vec![],
                intensiteit_pvt: None,
                intensiteit_map: None,
                ontzorgen: true,
                voorzieningen: None,
                afspraken: None,
                aangemaakt_op: now,
                gewijzigd_op: now,
            }],
            ..Traject::default()
        }
    }

    fn soorten(
        person: &Inburgeraar,
        traject: &Traject,
        today: NaiveDate,
    ) -> Vec<(SignaleringSoort, NaiveDate, bool)> {
        signaleringen(person, traject, &GemeenteInstellingen::default(), today)
            .into_iter()
            .map(|s| (s.soort, s.datum, s.verstreken))
            .collect()
    }

    fn van(
        soort: SignaleringSoort,
        person: &Inburgeraar,
        traject: &Traject,
        today: NaiveDate,
    ) -> Vec<(NaiveDate, bool)> {
        soorten(person, traject, today)
            .into_iter()
            .filter(|(s, _, _)| *s == soort)
            .map(|(_, datum, verstreken)| (datum, verstreken))
            .collect()
    }

    #[test]
    fn the_pip_deadline_from_two_weeks_before_until_a_pip_is_fixed() {
        use SignaleringSoort::PipTermijn;
        let person = person(InburgeraarStatus::Aangemeld);
        let mut traject = Traject::default();
        // Due 16 March 2026; the horizon of 14 days opens on 2 March.
        assert!(van(PipTermijn, &person, &traject, d(2026, 3, 1)).is_empty());
        assert_eq!(
            van(PipTermijn, &person, &traject, d(2026, 3, 2)),
            [(d(2026, 3, 16), false)]
        );
        assert_eq!(
            van(PipTermijn, &person, &traject, d(2026, 3, 17)),
            [(d(2026, 3, 16), true)]
        );
        let signal = &signaleringen(
            &person,
            &traject,
            &GemeenteInstellingen::default(),
            d(2026, 3, 17),
        )[0];
        assert!(signal
            .regel
            .starts_with("Besluit inburgering 2021 art. 5.3"));
        assert_eq!(
            signal.omschrijving,
            "De PIP had uiterlijk 2026-03-16 vastgesteld moeten zijn."
        );
        // A wider horizon opens earlier.
        let ruim = GemeenteInstellingen {
            horizon_pip_dagen: 30,
            ..GemeenteInstellingen::default()
        };
        assert_eq!(
            signaleringen(&person, &traject, &ruim, d(2026, 2, 14)).len(),
            1
        );

        // Fixing the PIP resolves it.
        let now = at(d(2026, 3, 17));
        let concept = Pip::concept(
            person.id,
            PipGegevens {
                leerroute: Input::Value("B1".parse().unwrap()),
                ..PipGegevens::default()
            },
            &traject.pip_context(&person),
            now,
        )
        .unwrap();
        let pip_id = concept.id;
        traject.nieuwe_pip(person.status, concept).unwrap();
        traject
            .stel_pip_vast(
                &person,
                pip_id,
                Input::Value("2026-03-17".parse().unwrap()),
                now,
            )
            .unwrap();
        assert!(van(PipTermijn, &person, &traject, d(2026, 3, 17)).is_empty());
    }

    #[test]
    fn the_term_end_from_two_months_before_until_an_extension() {
        use SignaleringSoort::TermijnEinde;
        let person = person(InburgeraarStatus::InTraject);
        let mut traject = met_pip(Leerroute::B1);
        assert!(van(TermijnEinde, &person, &traject, d(2028, 1, 14)).is_empty());
        assert_eq!(
            van(TermijnEinde, &person, &traject, d(2028, 1, 15)),
            [(d(2028, 3, 15), false)]
        );
        assert_eq!(
            van(TermijnEinde, &person, &traject, d(2028, 3, 16)),
            [(d(2028, 3, 15), true)]
        );
        // DUO extends by six months: the end moves to 15 September 2028, beyond the horizon.
        traject
            .verleng(
                person.status,
                VerlengingGegevens {
                    maanden: Input::Value(6),
                    grond: Input::Value("Aantoonbare inzet".parse().unwrap()),
                    datum_besluit: Input::Value("2028-01-15".parse().unwrap()),
                },
                d(2028, 1, 15),
            )
            .unwrap();
        assert!(van(TermijnEinde, &person, &traject, d(2028, 1, 15)).is_empty());
        assert_eq!(
            van(TermijnEinde, &person, &traject, d(2028, 7, 15)),
            [(d(2028, 9, 15), false)]
        );
    }

    #[test]
    fn the_last_switch_date_sixty_days_ahead_and_gone_once_passed() {
        use SignaleringSoort::Schakeldatum;
        let person = person(InburgeraarStatus::InTraject);
        let traject = met_pip(Leerroute::Z);
        // 15 September 2026 minus 60 days is 17 July 2026.
        assert!(van(Schakeldatum, &person, &traject, d(2026, 7, 16)).is_empty());
        assert_eq!(
            van(Schakeldatum, &person, &traject, d(2026, 7, 17)),
            [(d(2026, 9, 15), false)]
        );
        assert_eq!(
            van(Schakeldatum, &person, &traject, d(2026, 9, 15)),
            [(d(2026, 9, 15), false)]
        );
        assert!(van(Schakeldatum, &person, &traject, d(2026, 9, 16)).is_empty());
        let onderwijs = met_pip(Leerroute::Onderwijs);
        let signal = signaleringen(
            &person,
            &onderwijs,
            &GemeenteInstellingen::default(),
            d(2026, 9, 1),
        )
        .into_iter()
        .find(|s| s.soort == Schakeldatum)
        .unwrap();
        assert!(signal
            .omschrijving
            .contains("naar de B1-route kan ook daarna"));
    }

    fn ontzorging(status: &str) -> OntzorgingGegevens {
        let post = |soort: &PostSoort| PostGegevens {
            soort: Input::Value(*soort),
            begunstigde: Input::Value("Begunstigde".parse().unwrap()),
            bedrag_per_maand_cent: Input::Value(10_000),
            ..PostGegevens::default()
        };
        OntzorgingGegevens {
            status: Input::Value(status.parse().unwrap()),
            uitkering_participatiewet: Input::Value(true),
            verblijfsvergunning_asiel: Input::Value(true),
            datum_start: Input::Value("2026-01-31".parse().unwrap()),
            posten: Input::Value(VERPLICHTE_POSTEN.iter().map(post).collect()),
            ..OntzorgingGegevens::default()
        }
    }

    #[test]
    fn the_minimum_ontzorging_reached_until_it_ends() {
        use SignaleringSoort::OntzorgingMinimaalEinde;
        let person = person(InburgeraarStatus::InTraject);
        let instellingen = GemeenteInstellingen::default();
        let mut traject = met_pip(Leerroute::B1);
        traject
            .zet_ontzorging(ontzorging("ACTIEF"), person.doelgroep, &instellingen)
            .unwrap();
        // Started 31 January 2026: the minimum period ends on 31 July 2026.
        assert!(van(OntzorgingMinimaalEinde, &person, &traject, d(2026, 7, 30)).is_empty());
        assert_eq!(
            van(OntzorgingMinimaalEinde, &person, &traject, d(2026, 7, 31)),
            [(d(2026, 7, 31), false)]
        );
        traject
            .zet_ontzorging(ontzorging("AFBOUW"), person.doelgroep, &instellingen)
            .unwrap();
        assert_eq!(
            van(OntzorgingMinimaalEinde, &person, &traject, d(2026, 8, 10)),
            [(d(2026, 7, 31), true)]
        );
        traject
            .zet_ontzorging(
                OntzorgingGegevens {
                    datum_einde: Input::Value("2026-08-10".parse().unwrap()),
                    reden_einde: Input::Value("Financieel zelfredzaam".parse().unwrap()),
                    ..ontzorging("BEEINDIGD")
                },
                person.doelgroep,
                &instellingen,
            )
            .unwrap();
        assert!(van(OntzorgingMinimaalEinde, &person, &traject, d(2026, 8, 10)).is_empty());
    }

    #[test]
    fn the_voortgangsgesprek_two_weeks_ahead_until_one_is_recorded() {
        use SignaleringSoort::Voortgangsgesprek;
        let person = person(InburgeraarStatus::InTraject);
        let mut traject = met_pip(Leerroute::B1);
        // PIP dated 14 March 2025, cadence three months: due 14 June 2025, signalled from 31 May.
        assert!(van(Voortgangsgesprek, &person, &traject, d(2025, 5, 30)).is_empty());
        assert_eq!(
            van(Voortgangsgesprek, &person, &traject, d(2025, 5, 31)),
            [(d(2025, 6, 14), false)]
        );
        assert_eq!(
            van(Voortgangsgesprek, &person, &traject, d(2025, 6, 20)),
            [(d(2025, 6, 14), true)]
        );
        traject
            .voeg_gesprek_toe(
                person.status,
                VoortgangsgesprekGegevens {
                    datum: Input::Value("2025-06-20".parse().unwrap()),
                    deelnemers: Input::Value(vec!["KLANTMANAGER".parse().unwrap()]),
                    uitkomst: Input::Value("Op schema.".parse().unwrap()),
                    ..VoortgangsgesprekGegevens::default()
                },
                d(2025, 6, 20),
                at(d(2025, 6, 20)),
            )
            .unwrap();
        assert_eq!(
            traject.volgend_gesprek(&GemeenteInstellingen::default()),
            Some(d(2025, 9, 20))
        );
        assert!(van(Voortgangsgesprek, &person, &traject, d(2025, 6, 20)).is_empty());
        assert_eq!(
            van(Voortgangsgesprek, &person, &traject, d(2025, 9, 6)),
            [(d(2025, 9, 20), false)]
        );
        // Without a PIP there is no cadence to follow.
        let mut zonder_pip = traject.clone();
        zonder_pip.pips.clear();
        assert!(van(Voortgangsgesprek, &person, &zonder_pip, d(2025, 12, 1)).is_empty());
    }

    #[test]
    fn the_aow_age_six_months_ahead_also_before_the_pip() {
        use SignaleringSoort::AowLeeftijd;
        let mut person = person(InburgeraarStatus::Aangemeld);
        // Born 1 January 1960: AOW age (67) on 1 January 2027, signalled from 1 July 2026.
        person.geboortedatum = Some(d(1960, 1, 1));
        let traject = Traject::default();
        assert!(van(AowLeeftijd, &person, &traject, d(2026, 6, 30)).is_empty());
        assert_eq!(
            van(AowLeeftijd, &person, &traject, d(2026, 7, 1)),
            [(d(2027, 1, 1), false)]
        );
        assert_eq!(
            van(AowLeeftijd, &person, &traject, d(2027, 1, 2)),
            [(d(2027, 1, 1), true)]
        );
        person.geboortedatum = None;
        assert!(van(AowLeeftijd, &person, &traject, d(2027, 1, 2)).is_empty());
    }

    fn uren(maand: NaiveDate, lesuren: u32, participatie_uren: u32) -> GevolgdeUren {
        GevolgdeUren {
            id: Uuid::now_v7(),
            organisatie_id: None,
            maand,
            lesuren,
            lesuren_brede_intake: 0,
            participatie_uren,
            verzuim_uren: 0,
            geregistreerd_op: at(maand),
        }
    }

    #[test]
    fn z_route_hours_reached_until_the_route_is_completed() {
        use SignaleringSoort::ZRouteUren;
        let mut person = person(InburgeraarStatus::InTraject);
        person.doelgroep = Doelgroep::Gezinsvormer;
        let mut traject = met_pip(Leerroute::Z);
        traject.gevolgde_uren = vec![uren(d(2026, 2, 1), 300, 0), uren(d(2026, 1, 1), 499, 0)];
        assert!(van(ZRouteUren, &person, &traject, d(2026, 3, 10)).is_empty());
        traject.gevolgde_uren.push(uren(d(2026, 3, 1), 1, 0));
        // 800 lesuren reached with the March report: due since the end of March.
        assert_eq!(
            van(ZRouteUren, &person, &traject, d(2026, 4, 10)),
            [(d(2026, 3, 31), true)]
        );
        // An asielstatushouder also needs 800 participatie-uren.
        person.doelgroep = Doelgroep::Asielstatushouder;
        assert!(van(ZRouteUren, &person, &traject, d(2026, 4, 10)).is_empty());
        traject.gevolgde_uren.push(uren(d(2026, 4, 1), 0, 800));
        assert_eq!(
            van(ZRouteUren, &person, &traject, d(2026, 4, 10)),
            [(d(2026, 4, 10), false)],
            "a report for the running month counts from today, not its end"
        );
        assert_eq!(
            van(ZRouteUren, &person, &traject, d(2026, 5, 10)),
            [(d(2026, 4, 30), true)]
        );
        // Hours the gemeente registered carry no date: due today.
        let mut geregistreerd = met_pip(Leerroute::Z);
        geregistreerd.z_route = Some(crate::traject::Onderdeel {
            lesuren: 800,
            participatie_uren: 800,
            ..crate::traject::Onderdeel::default()
        });
        assert_eq!(
            van(ZRouteUren, &person, &geregistreerd, d(2026, 5, 10)),
            [(d(2026, 5, 10), false)]
        );
        // Completing the Z-route resolves it.
        traject
            .zet_onderdeel(
                &person,
                OnderdeelSoort::ZRoute,
                OnderdeelGegevens {
                    datum_afronding: Input::Value("2026-05-01".parse().unwrap()),
                    ..OnderdeelGegevens::default()
                },
                d(2026, 5, 10),
            )
            .unwrap();
        assert!(van(ZRouteUren, &person, &traject, d(2026, 5, 10)).is_empty());
    }

    #[test]
    fn z_route_behind_schedule_after_half_the_term() {
        use SignaleringSoort::ZRouteUren;
        let mut person = person(InburgeraarStatus::InTraject);
        person.doelgroep = Doelgroep::Gezinsvormer;
        let mut traject = met_pip(Leerroute::Z);
        traject.gevolgde_uren = vec![uren(d(2026, 1, 1), 399, 0)];
        // The term from 15 March 2025 to 15 March 2028 is 1096 days; halfway is 14 September 2026.
        assert_eq!(halverwege(&traject.termijn().unwrap()), d(2026, 9, 14));
        assert!(van(ZRouteUren, &person, &traject, d(2026, 9, 14)).is_empty());
        assert_eq!(
            van(ZRouteUren, &person, &traject, d(2026, 9, 15)),
            [(d(2028, 3, 15), false)]
        );
        traject.gevolgde_uren.push(uren(d(2026, 2, 1), 1, 0));
        assert!(van(ZRouteUren, &person, &traject, d(2026, 9, 15)).is_empty());
        // An asielstatushouder with half the lessons but little participation is behind as well.
        person.doelgroep = Doelgroep::Asielstatushouder;
        assert_eq!(
            van(ZRouteUren, &person, &traject, d(2026, 9, 15)),
            [(d(2028, 3, 15), false)]
        );
        traject.gevolgde_uren.push(uren(d(2026, 3, 1), 0, 400));
        assert!(van(ZRouteUren, &person, &traject, d(2026, 9, 15)).is_empty());
        // Not in another route.
        let mut b1 = met_pip(Leerroute::B1);
        b1.gevolgde_uren = vec![uren(d(2026, 1, 1), 10, 0)];
        assert!(van(ZRouteUren, &person, &b1, d(2026, 9, 15)).is_empty());
    }

    fn resultaat(uitslag: &str, bron: &str) -> crate::voortgang::Examenresultaat {
        crate::voortgang::Examenresultaat::nieuw(
            ExamenresultaatGegevens {
                onderdeel: Input::Value(ExamenOnderdeel::Lezen),
                niveau: Input::Value(ExamenNiveau::from_text("A2").unwrap()),
                uitslag: Input::Value(ExamenUitslag::from_text(uitslag).unwrap()),
                datum_examen: Input::Value(d(2026, 4, 1)),
                bron: Input::Value(Bron::from_text(bron).unwrap()),
                ..ExamenresultaatGegevens::default()
            },
            None,
            at(d(2026, 5, 1)),
        )
        .unwrap()
    }

    #[test]
    fn an_exam_conflict_until_the_provider_corrects_it() {
        use SignaleringSoort::ExamenConflict;
        let person = person(InburgeraarStatus::InTraject);
        let mut traject = met_pip(Leerroute::B1);
        voortgang::voeg_resultaat_toe(
            &mut traject.examenresultaten,
            resultaat("GESLAAGD", "AANBIEDER"),
        );
        assert!(van(ExamenConflict, &person, &traject, d(2026, 5, 1)).is_empty());
        voortgang::voeg_resultaat_toe(&mut traject.examenresultaten, resultaat("GEZAKT", "DUO"));
        assert_eq!(
            van(ExamenConflict, &person, &traject, d(2026, 5, 1)),
            [(d(2026, 4, 1), true)]
        );
        // A second contradicting report is the same exam: still one signal.
        voortgang::voeg_resultaat_toe(
            &mut traject.examenresultaten,
            resultaat("GESLAAGD", "AANBIEDER"),
        );
        let signals = signaleringen(
            &person,
            &traject,
            &GemeenteInstellingen::default(),
            d(2026, 5, 1),
        );
        let conflicts: Vec<_> = signals
            .iter()
            .filter(|s| s.soort == ExamenConflict)
            .collect();
        assert_eq!(conflicts.len(), 1);
        assert!(conflicts[0]
            .omschrijving
            .contains("GESLAAGD voor LEZEN A2 op 2026-04-01, DUO GEZAKT"));
        voortgang::voeg_resultaat_toe(
            &mut traject.examenresultaten,
            resultaat("GEZAKT", "AANBIEDER"),
        );
        assert!(van(ExamenConflict, &person, &traject, d(2026, 5, 1)).is_empty());
    }

    #[test]
    fn an_ended_duty_has_no_signals_and_a_pause_only_some() {
        let mut person = person(InburgeraarStatus::InTraject);
        // AOW age on 1 December 2026.
        person.geboortedatum = Some(d(1959, 12, 1));
        let mut traject = met_pip(Leerroute::Z);
        voortgang::voeg_resultaat_toe(
            &mut traject.examenresultaten,
            resultaat("GESLAAGD", "AANBIEDER"),
        );
        voortgang::voeg_resultaat_toe(&mut traject.examenresultaten, resultaat("GEZAKT", "DUO"));
        traject
            .zet_ontzorging(
                ontzorging("ACTIEF"),
                person.doelgroep,
                &GemeenteInstellingen::default(),
            )
            .unwrap();
        // Past half of the term without hours, the last switch date today, the ontzorging past its
        // minimum, no conversation since the PIP, an exam conflict and the AOW age near.
        let today = d(2026, 9, 15);
        let alle: Vec<SignaleringSoort> = soorten(&person, &traject, today)
            .into_iter()
            .map(|(s, _, _)| s)
            .collect();
        use SignaleringSoort as S;
        assert_eq!(
            alle,
            [
                S::Voortgangsgesprek,
                S::ExamenConflict,
                S::OntzorgingMinimaalEinde,
                S::Schakeldatum,
                S::AowLeeftijd,
                S::ZRouteUren,
            ]
        );
        let signals = signaleringen(&person, &traject, &GemeenteInstellingen::default(), today);
        let datums: Vec<NaiveDate> = signals.iter().map(|s| s.datum).collect();
        assert!(datums.windows(2).all(|w| w[0] <= w[1]), "sorted by date");

        person.status = InburgeraarStatus::TijdelijkVrijgesteld;
        let gepauzeerd: Vec<SignaleringSoort> = soorten(&person, &traject, today)
            .into_iter()
            .map(|(s, _, _)| s)
            .collect();
        assert_eq!(
            gepauzeerd,
            [
                S::ExamenConflict,
                S::OntzorgingMinimaalEinde,
                S::AowLeeftijd
            ]
        );

        for geeindigd in [
            InburgeraarStatus::Voldaan,
            InburgeraarStatus::Ontheven,
            InburgeraarStatus::Vrijgesteld,
            InburgeraarStatus::Beeindigd,
        ] {
            person.status = geeindigd;
            assert!(
                signaleringen(&person, &traject, &GemeenteInstellingen::default(), today)
                    .is_empty()
            );
        }
    }

    #[test]
    fn every_signal_names_its_rule() {
        for soort in SignaleringSoort::ALL {
            assert!(soort.regel().len() > 40, "{soort:?}");
        }
        let json = serde_json::to_value(Signalering {
            soort: SignaleringSoort::ZRouteUren,
            datum: d(2026, 1, 1),
            verstreken: false,
            regel: SignaleringSoort::ZRouteUren.regel(),
            omschrijving: "x".into(),
        })
        .unwrap();
        assert_eq!(json["soort"], "Z_ROUTE_UREN");
        assert_eq!(json["verstreken"], false);
    }
}
