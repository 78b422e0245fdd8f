//! The trajectory of one inburgeraar as one aggregate: brede intake, PIP versions, extensions,
//! onderdelen (MAP, PVT, KNM, Z-route), ontheffingen and vrijstellingen, and the status history.
//! Every change is a pure function from the old aggregate to the new one plus the status it leads to.

use crate::error::{FieldError, FieldErrors};
use crate::gesprekken::{self, Voortgangsgesprek, VoortgangsgesprekGegevens};
use crate::inburgeraar::{Doelgroep, Inburgeraar, InburgeraarStatus};
use crate::input::{self, Input};
use crate::instellingen::GemeenteInstellingen;
use crate::ontzorging::{Ontzorging, OntzorgingGegevens};
use crate::participatieladder::{Meting, MetingGegevens};
pub use crate::pip::Examenonderdeel;
use crate::pip::{ActuelePip, Leerroute, Pip, PipContext, PipId, PipStatus};
use crate::status::{self, Gebeurtenis, OngeldigeOvergang, Statuswijziging};
use crate::termijn::{self, Termijn};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Z-route: 800 lesuren for everyone, and 800 participatie-uren for asielstatushouders (Besluit 3.14).
pub const Z_ROUTE_LESUREN: u32 = termijn::Z_ROUTE_DEFAULTS.0;
pub const Z_ROUTE_PARTICIPATIE_UREN: u32 = termijn::Z_ROUTE_DEFAULTS.1;
const MAX_UREN: i64 = 10_000;
use crate::input::MAX_TEKST;

/// Why a change to the trajectory was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Weigering {
    /// Invalid input: 400.
    Ongeldig(FieldErrors),
    /// Not possible in the current state: 409 with an explanation.
    Conflict(String),
    /// The status does not allow this: 409 naming what is allowed.
    Overgang(OngeldigeOvergang),
    /// The caller lacks the scope for part of the input: 403.
    GeenToegang(&'static str),
}

impl From<FieldErrors> for Weigering {
    fn from(errors: FieldErrors) -> Self {
        Weigering::Ongeldig(errors)
    }
}

impl From<OngeldigeOvergang> for Weigering {
    fn from(refused: OngeldigeOvergang) -> Self {
        Weigering::Overgang(refused)
    }
}

text_enum! {
    /// Outcome of the leerbaarheidstoets.
    LbtResultaat {
        Haalbaar => "B1_HAALBAAR",
        NietHaalbaar => "B1_NIET_HAALBAAR",
    }
}

/// The leerbaarheidstoets: a result, or a recorded exemption.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Leerbaarheidstoets {
    pub resultaat: Option<LbtResultaat>,
    pub score: Option<u32>,
    pub datum: Option<NaiveDate>,
    pub vrijstelling_reden: Option<String>,
}

/// The brede intake. `gezondheid` is special-category data: only callers with `gezondheid:lezen`
/// write or read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BredeIntake {
    pub datum_start: NaiveDate,
    pub datum_einde: Option<NaiveDate>,
    pub leerbaarheidstoets: Option<Leerbaarheidstoets>,
    pub opleiding_buitenland: Option<String>,
    pub werkervaring_buitenland: Option<String>,
    pub taalniveau: Option<String>,
    pub digitale_vaardigheden: Option<String>,
    pub financien: Option<String>,
    pub sociale_context: Option<String>,
    pub gezondheid: Option<String>,
    /// When information of third parties the PIP waited for arrived (extends the PIP deadline).
    pub datum_ontvangst_informatie_derden: Option<NaiveDate>,
}

/// What a gemeente gives for the brede intake; the leerbaarheidstoets fields are flattened with
/// prefix `lbt`.
#[derive(Debug, Clone, Default)]
pub struct BredeIntakeGegevens {
    pub datum_start: Input<NaiveDate>,
    pub datum_einde: Input<NaiveDate>,
    pub lbt_resultaat: Input<LbtResultaat>,
    pub lbt_score: Input<i64>,
    pub lbt_datum: Input<NaiveDate>,
    pub lbt_vrijstelling_reden: Input<String>,
    pub opleiding_buitenland: Input<String>,
    pub werkervaring_buitenland: Input<String>,
    pub taalniveau: Input<String>,
    pub digitale_vaardigheden: Input<String>,
    pub financien: Input<String>,
    pub sociale_context: Input<String>,
    pub gezondheid: Input<String>,
    pub datum_ontvangst_informatie_derden: Input<NaiveDate>,
}

text_enum! {
    /// The onderdelen of the trajectory that the gemeente registers.
    OnderdeelSoort {
        Map => "map",
        Pvt => "pvt",
        Knm => "knm",
        ZRoute => "z-route",
    }
}

text_enum! {
    /// DUO's `Verwijtbaar` (Ja/Nee).
    Verwijtbaar {
        Ja => "Ja",
        Nee => "Nee",
    }
}

/// The registration of one onderdeel. For MAP the date is the eindgesprek, for PVT the signing, for KNM
/// the completion, for the Z-route the completion (`datumAfrondingZroute`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Onderdeel {
    pub datum_afronding: Option<NaiveDate>,
    pub verwijtbaar: Option<Verwijtbaar>,
    pub lesuren: u32,
    pub participatie_uren: u32,
}

/// What a gemeente gives for an onderdeel.
#[derive(Debug, Clone, Default)]
pub struct OnderdeelGegevens {
    pub datum_afronding: Input<NaiveDate>,
    pub verwijtbaar: Input<Verwijtbaar>,
    pub lesuren: Input<i64>,
    pub participatie_uren: Input<i64>,
}

text_enum! {
    /// DUO's ontheffing codes: medical (MED) or special circumstances (BIO).
    OntheffingCode {
        Med => "MED",
        Bio => "BIO",
    }
}

text_enum! {
    /// DUO's vrijstelling codes: full (AVI, DIP, DOC, INB), partial per exam part (GED), temporary (INS, OPL).
    VrijstellingCode {
        Avi => "AVI",
        Dip => "DIP",
        Doc => "DOC",
        Inb => "INB",
        Ged => "GED",
        Ins => "INS",
        Opl => "OPL",
    }
}

impl VrijstellingCode {
    fn omvang(self) -> Omvang {
        match self {
            VrijstellingCode::Avi
            | VrijstellingCode::Dip
            | VrijstellingCode::Doc
            | VrijstellingCode::Inb => Omvang::Geheel,
            VrijstellingCode::Ged => Omvang::Gedeeltelijk,
            VrijstellingCode::Ins | VrijstellingCode::Opl => Omvang::Tijdelijk,
        }
    }
}

text_enum! {
    /// How far a decision reaches.
    Omvang {
        Geheel => "GEHEEL",
        Gedeeltelijk => "GEDEELTELIJK",
        Tijdelijk => "TIJDELIJK",
    }
}

/// A DUO decision mirrored in Koers: an ontheffing or a vrijstelling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Besluit {
    pub id: String,
    pub code: String,
    pub omvang: Omvang,
    pub examenonderdelen: Vec<Examenonderdeel>,
    pub datum_besluit: NaiveDate,
    pub datum_einde: Option<NaiveDate>,
}

/// The code of a DUO decision: an ontheffing's or a vrijstelling's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BesluitCode {
    Ontheffing(OntheffingCode),
    Vrijstelling(VrijstellingCode),
}

impl BesluitCode {
    pub fn as_str(self) -> &'static str {
        match self {
            BesluitCode::Ontheffing(code) => code.as_str(),
            BesluitCode::Vrijstelling(code) => code.as_str(),
        }
    }

    /// The reach the code itself fixes (a vrijstelling's); an ontheffing's is given.
    fn vaste_omvang(self) -> Option<Omvang> {
        match self {
            BesluitCode::Ontheffing(_) => None,
            BesluitCode::Vrijstelling(code) => Some(code.omvang()),
        }
    }
}

/// What a gemeente gives about a DUO decision.
#[derive(Debug, Clone, Default)]
pub struct BesluitGegevens {
    pub code: Input<BesluitCode>,
    pub omvang: Input<Omvang>,
    pub examenonderdelen: Input<Vec<Examenonderdeel>>,
    pub datum_besluit: Input<NaiveDate>,
    pub datum_einde: Input<NaiveDate>,
}

/// An extension of the term decided by DUO.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Verlenging {
    pub id: String,
    pub maanden: u32,
    pub grond: String,
    pub datum_besluit: NaiveDate,
}

/// What a gemeente gives about an extension decided by DUO.
#[derive(Debug, Clone, Default)]
pub struct VerlengingGegevens {
    pub maanden: Input<i64>,
    pub grond: Input<String>,
    pub datum_besluit: Input<NaiveDate>,
}

/// The whole trajectory of one person.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Traject {
    pub brede_intake: Option<BredeIntake>,
    pub pips: Vec<StoredPip>,
    pub verlengingen: Vec<Verlenging>,
    pub map: Option<Onderdeel>,
    pub pvt: Option<Onderdeel>,
    pub knm: Option<Onderdeel>,
    pub z_route: Option<Onderdeel>,
    pub ontheffingen: Vec<Besluit>,
    pub vrijstellingen: Vec<Besluit>,
    pub statushistorie: Vec<Statuswijziging>,
    /// Pushed by taalaanbieders (and DUO through the gemeente).
    #[serde(default)]
    pub inschrijvingen: Vec<crate::voortgang::Inschrijving>,
    #[serde(default)]
    pub gevolgde_uren: Vec<crate::voortgang::GevolgdeUren>,
    #[serde(default)]
    pub examenresultaten: Vec<crate::voortgang::Examenresultaat>,
    /// Financieel ontzorgen (Participatiewet art. 56a).
    #[serde(default)]
    pub ontzorging: Option<Ontzorging>,
    #[serde(default)]
    pub voortgangsgesprekken: Vec<Voortgangsgesprek>,
    #[serde(default)]
    pub participatieladder: Vec<Meting>,
}

/// The lists of a trajectory that grow with its history. Each is stored apart from the document (the
/// brede intake, the PIPs, the onderdelen and the ontzorging, which are edited as a whole).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lijst {
    Verlengingen,
    Ontheffingen,
    Vrijstellingen,
    Statushistorie,
    Inschrijvingen,
    GevolgdeUren,
    Examenresultaten,
    Voortgangsgesprekken,
    Participatieladder,
}

impl Lijst {
    pub const ALL: [Lijst; 9] = [
        Lijst::Verlengingen,
        Lijst::Ontheffingen,
        Lijst::Vrijstellingen,
        Lijst::Statushistorie,
        Lijst::Inschrijvingen,
        Lijst::GevolgdeUren,
        Lijst::Examenresultaten,
        Lijst::Voortgangsgesprekken,
        Lijst::Participatieladder,
    ];
}

/// A set of lists: what a read or a change of a trajectory needs besides the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Delen(u16);

impl Delen {
    /// The document alone.
    pub const GEEN: Delen = Delen(0);
    /// Everything: for a change by the gemeente, whose rules may look at any part.
    pub const ALLES: Delen = Delen((1 << Lijst::ALL.len()) - 1);
    /// What the termijn and its overview need: the extensions (the PIPs are in the document).
    pub const TERMIJN: Delen = Delen::GEEN.met(Lijst::Verlengingen);
    /// What the lesson hours need (`Traject::lesuren`, `Traject::z_route_uren`).
    pub const UREN: Delen = Delen::GEEN.met(Lijst::GevolgdeUren);
    /// What `GET …/voortgang` shows.
    pub const VOORTGANG: Delen = Delen::GEEN
        .met(Lijst::Inschrijvingen)
        .met(Lijst::GevolgdeUren)
        .met(Lijst::Examenresultaten);

    /// This set and `lijst`.
    pub const fn met(self, lijst: Lijst) -> Delen {
        Delen(self.0 | 1 << lijst as u16)
    }

    /// This set and every list of `other`.
    pub const fn en(self, other: Delen) -> Delen {
        Delen(self.0 | other.0)
    }

    pub const fn bevat(self, lijst: Lijst) -> bool {
        self.0 & (1 << lijst as u16) != 0
    }
}

/// What of a trajectory storage loads for a read or a change: the document always, with the lists
/// named, or for a push only the earlier items it may replace or flag. Lists not loaded are empty in
/// the loaded `Traject`; a change may still append to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selectie {
    Lijsten(Delen),
    Verwant(crate::voortgang::Verwant),
}

/// A PIP as stored in the aggregate (the domain `Pip` without its owner, which the aggregate knows).
pub type StoredPip = Pip;

fn past(today: NaiveDate) -> impl Fn(&str, NaiveDate) -> Result<NaiveDate, FieldError> {
    move |field, value| input::past_date(field, value, today)
}

fn text(field: &str, value: String) -> Result<String, FieldError> {
    input::parse_text(field, &value, 1, MAX_TEKST)
}

fn uren(field: &str, value: i64) -> Result<u32, FieldError> {
    if (0..=MAX_UREN).contains(&value) {
        Ok(u32::try_from(value).unwrap_or(0))
    } else {
        Err(FieldError::new(
            field,
            "range",
            format!("Een geheel aantal uren van 0 tot en met {MAX_UREN}."),
        ))
    }
}

impl Traject {
    /// The aggregate without special-category data, for the audit trail and callers without
    /// `gezondheid:lezen`.
    pub fn zonder_gezondheid(&self) -> Traject {
        let mut copy = self.clone();
        if let Some(intake) = copy.brede_intake.as_mut() {
            intake.gezondheid = None;
        }
        copy
    }

    /// The current PIP: the last one fixed.
    pub fn actuele_pip(&self) -> Option<&Pip> {
        self.pips
            .iter()
            .filter(|p| p.status == PipStatus::Vastgesteld)
            .max_by_key(|p| (p.datum_dagtekening, p.gewijzigd_op))
    }

    /// How far the trajectory got.
    pub fn fase(&self) -> status::Fase {
        if self.actuele_pip().is_some() {
            status::Fase::Pip
        } else if self.brede_intake.is_some() {
            status::Fase::Intake
        } else {
            status::Fase::Aanmelding
        }
    }

    /// The first PIP ever fixed: it starts the term.
    pub fn eerste_pip(&self) -> Option<&Pip> {
        self.pips
            .iter()
            .filter(|p| p.status == PipStatus::Vastgesteld)
            .min_by_key(|p| (p.datum_dagtekening, p.gewijzigd_op))
    }

    pub fn termijn(&self) -> Option<Termijn> {
        let eerste = self.eerste_pip()?.datum_dagtekening?;
        let maanden: Vec<u32> = self.verlengingen.iter().map(|v| v.maanden).collect();
        Some(Termijn::bereken(eerste, &maanden))
    }

    /// Lesson hours registered so far (Z-route hours now; the providers' hours once they push them).
    /// Lesson hours at the provider (DUO `ParticipatieAlsTaalles`) as the providers reported them, or
    /// the Z-route's registered lesson hours when the gemeente registered more.
    pub fn lesuren(&self) -> u32 {
        self.lesuren_bij(self.gevolgde_uren.iter().map(|u| u.lesuren).sum())
    }

    /// [`Traject::lesuren`] for the lesson hours the providers reported in all (`gerapporteerd`), when
    /// not every month of them is loaded.
    pub fn lesuren_bij(&self, gerapporteerd: u32) -> u32 {
        gerapporteerd.max(self.z_route.as_ref().map_or(0, |z| z.lesuren))
    }

    /// Z-route hours toward the 800/800 norms: lessons (at the provider and in the intake) and
    /// participation, reported or registered, whichever is higher.
    pub fn z_route_uren(&self) -> (u32, u32) {
        let les: u32 = self
            .gevolgde_uren
            .iter()
            .map(|u| u.lesuren + u.lesuren_brede_intake)
            .sum();
        let participatie: u32 = self.gevolgde_uren.iter().map(|u| u.participatie_uren).sum();
        let geregistreerd = self.z_route.as_ref();
        (
            les.max(geregistreerd.map_or(0, |z| z.lesuren)),
            participatie.max(geregistreerd.map_or(0, |z| z.participatie_uren)),
        )
    }

    pub fn pip_context(&self, person: &Inburgeraar) -> PipContext {
        PipContext {
            doelgroep: person.doelgroep,
            start_plicht: person.datum_kennisgeving,
            datum_vestiging: person.datum_vestiging,
            eerste: self
                .eerste_pip()
                .and_then(|p| Some((p.leerroute, p.datum_dagtekening?))),
            actueel: self.actuele_pip().and_then(|p| {
                Some(ActuelePip {
                    leerroute: p.leerroute,
                    niveau: p.niveau,
                    afgeschaald: p.afgeschaalde_onderdelen.clone(),
                    datum_dagtekening: p.datum_dagtekening?,
                })
            }),
            lesuren: self.lesuren(),
        }
    }

    /// Applies an event to the status, recording it in the history.
    ///
    /// # Errors
    /// The refused transition.
    pub fn overgang(
        &mut self,
        status: InburgeraarStatus,
        gebeurtenis: Gebeurtenis,
        datum: NaiveDate,
        reden: Option<String>,
    ) -> Result<InburgeraarStatus, OngeldigeOvergang> {
        let naar = status::overgang(status, gebeurtenis, self.fase())?;
        self.statushistorie.push(Statuswijziging {
            gebeurtenis,
            van: status,
            naar,
            datum,
            reden,
        });
        Ok(naar)
    }

    /// Records the brede intake; the first one moves an aangemeld person into the intake phase.
    ///
    /// # Errors
    /// Every invalid field; `gezondheid` when the caller may not write health data.
    pub fn zet_brede_intake(
        &mut self,
        status: InburgeraarStatus,
        input: BredeIntakeGegevens,
        mag_gezondheid: bool,
        today: NaiveDate,
    ) -> Result<InburgeraarStatus, Weigering> {
        let mut errors = FieldErrors::new();
        let start = input::required(&mut errors, "datumStart", input.datum_start, past(today));
        let einde = input::optional(&mut errors, "datumEinde", input.datum_einde, past(today));
        let resultaat = input::optional(
            &mut errors,
            "leerbaarheidstoets.resultaat",
            input.lbt_resultaat,
            |_, v| Ok(v),
        );
        let score = input::optional(
            &mut errors,
            "leerbaarheidstoets.score",
            input.lbt_score,
            |f, v| {
                u32::try_from(v)
                    .ok()
                    .filter(|s| *s <= 100)
                    .ok_or_else(|| FieldError::new(f, "range", "Een score van 0 tot en met 100."))
            },
        );
        let lbt_datum = input::optional(
            &mut errors,
            "leerbaarheidstoets.datum",
            input.lbt_datum,
            past(today),
        );
        let vrijstelling = input::optional(
            &mut errors,
            "leerbaarheidstoets.vrijstellingReden",
            input.lbt_vrijstelling_reden,
            text,
        );
        let mut tekst =
            |name: &str, value: Input<String>| input::optional(&mut errors, name, value, text);
        let opleiding = tekst("opleidingBuitenland", input.opleiding_buitenland);
        let werk = tekst("werkervaringBuitenland", input.werkervaring_buitenland);
        let taal = tekst("taalniveau", input.taalniveau);
        let digitaal = tekst("digitaleVaardigheden", input.digitale_vaardigheden);
        let financien = tekst("financien", input.financien);
        let sociaal = tekst("socialeContext", input.sociale_context);
        let gezondheid_gegeven = !input.gezondheid.is_absent();
        let gezondheid = tekst("gezondheid", input.gezondheid);
        let derden = input::optional(
            &mut errors,
            "datumOntvangstInformatieDerden",
            input.datum_ontvangst_informatie_derden,
            past(today),
        );
        if let (Some(start), Some(Some(einde))) = (start, einde) {
            if einde < start {
                errors.add(
                    "datumEinde",
                    "voorStart",
                    "De einddatum ligt voor de startdatum.",
                );
            }
        }
        if let (Some(Some(_)), Some(Some(_))) = (resultaat, &vrijstelling) {
            errors.add(
                "leerbaarheidstoets.vrijstellingReden",
                "exclusief",
                "Een resultaat of een vrijstelling, niet beide.",
            );
        }
        if let (Some(Some(_)), Some(None)) = (resultaat, lbt_datum) {
            errors.add(
                "leerbaarheidstoets.datum",
                "required",
                "Geef de datum van de toets bij een resultaat.",
            );
        }
        errors.finish()?;
        let (
            Some(start),
            Some(einde),
            Some(resultaat),
            Some(score),
            Some(lbt_datum),
            Some(vrijstelling),
            Some(gezondheid),
        ) = (
            start,
            einde,
            resultaat,
            score,
            lbt_datum,
            vrijstelling,
            gezondheid,
        )
        else {
            return Err(Weigering::Ongeldig(FieldErrors::new()));
        };
        let gezondheid = if mag_gezondheid {
            gezondheid
        } else if gezondheid_gegeven {
            return Err(Weigering::GeenToegang("gezondheid:lezen"));
        } else {
            // Without the scope the caller does not see health data, and its write keeps it as it was.
            self.brede_intake
                .as_ref()
                .and_then(|b| b.gezondheid.clone())
        };
        let lbt = (resultaat.is_some()
            || score.is_some()
            || lbt_datum.is_some()
            || vrijstelling.is_some())
        .then_some(Leerbaarheidstoets {
            resultaat,
            score,
            datum: lbt_datum,
            vrijstelling_reden: vrijstelling,
        });
        let eerste_keer = self.brede_intake.is_none();
        self.brede_intake = Some(BredeIntake {
            datum_start: start,
            datum_einde: einde,
            leerbaarheidstoets: lbt,
            opleiding_buitenland: opleiding.flatten(),
            werkervaring_buitenland: werk.flatten(),
            taalniveau: taal.flatten(),
            digitale_vaardigheden: digitaal.flatten(),
            financien: financien.flatten(),
            sociale_context: sociaal.flatten(),
            gezondheid,
            datum_ontvangst_informatie_derden: derden.flatten(),
        });
        if eerste_keer && status == InburgeraarStatus::Aangemeld {
            Ok(self.overgang(status, Gebeurtenis::BredeIntakeGestart, start, None)?)
        } else {
            Ok(status)
        }
    }

    /// Adds a concept PIP.
    ///
    /// # Errors
    /// Invalid input, or a person whose duty has ended.
    pub fn nieuwe_pip(&mut self, status: InburgeraarStatus, pip: Pip) -> Result<(), Weigering> {
        eindstatus(status)?;
        self.pips.push(pip);
        Ok(())
    }

    /// Fixes a concept PIP; the first one starts the term.
    ///
    /// # Errors
    /// Every DUO rule that fails, or a transition the status does not allow.
    pub fn stel_pip_vast(
        &mut self,
        person: &Inburgeraar,
        pip_id: PipId,
        dagtekening: Input<NaiveDate>,
        now: chrono::NaiveDateTime,
    ) -> Result<(InburgeraarStatus, Pip), Option<Weigering>> {
        let context = self.pip_context(person);
        let index = self.pips.iter().position(|p| p.id == pip_id).ok_or(None)?;
        if self.pips[index].status != PipStatus::Concept {
            return Err(Some(Weigering::Conflict(
                "Deze PIP is al vastgesteld; stel een nieuwe PIP op.".to_owned(),
            )));
        }
        let fixed = self.pips[index]
            .vaststellen(dagtekening, &context, now)
            .map_err(|e| Some(Weigering::Ongeldig(e)))?;
        let datum = fixed.datum_dagtekening.unwrap_or(now.date());
        self.pips[index] = fixed.clone();
        let status = self
            .overgang(
                person.status,
                Gebeurtenis::PipVastgesteld,
                datum,
                Some(fixed.leerroute.as_str().to_owned()),
            )
            .map_err(|e| Some(Weigering::Overgang(e)))?;
        Ok((status, fixed))
    }

    /// Deletes a PIP where DUO's rule allows it.
    ///
    /// # Errors
    /// `None` when there is no such PIP; a conflict when it may not be deleted.
    pub fn verwijder_pip(
        &mut self,
        status: InburgeraarStatus,
        pip_id: PipId,
        today: NaiveDate,
    ) -> Result<InburgeraarStatus, Option<Weigering>> {
        let index = self.pips.iter().position(|p| p.id == pip_id).ok_or(None)?;
        let pip = &self.pips[index];
        let is_eerste = self.eerste_pip().map(|p| p.id) == Some(pip_id);
        let gestart = is_eerste && self.termijn().is_some_and(|t| t.datum_start <= today)
            || (!is_eerste && pip.status == PipStatus::Vastgesteld);
        pip.verwijderbaar(gestart, self.lesuren())
            .map_err(|reason| Some(Weigering::Conflict(reason.to_owned())))?;
        let was_vastgesteld = pip.status == PipStatus::Vastgesteld;
        self.pips.remove(index);
        if was_vastgesteld && self.actuele_pip().is_none() {
            // The only fixed PIP went: the status returns to the phase before it.
            return self
                .overgang(status, Gebeurtenis::PipIngetrokken, today, None)
                .map_err(|e| Some(Weigering::Overgang(e)));
        }
        Ok(status)
    }

    /// Records an extension decided by DUO.
    ///
    /// # Errors
    /// Invalid input; no term yet; a status that does not allow an extension.
    pub fn verleng(
        &mut self,
        status: InburgeraarStatus,
        input: VerlengingGegevens,
        today: NaiveDate,
    ) -> Result<(InburgeraarStatus, Verlenging), Weigering> {
        let mut errors = FieldErrors::new();
        let maanden = input::required(&mut errors, "maanden", input.maanden, |f, v| {
            u32::try_from(v)
                .ok()
                .filter(|m| (1..=24).contains(m))
                .ok_or_else(|| {
                    FieldError::new(f, "range", "Een verlenging is 1 tot en met 24 maanden.")
                })
        });
        let grond = input::required(&mut errors, "grond", input.grond, text);
        let datum = input::required(
            &mut errors,
            "datumBesluit",
            input.datum_besluit,
            past(today),
        );
        errors.finish()?;
        let (Some(maanden), Some(grond), Some(datum)) = (maanden, grond, datum) else {
            return Err(Weigering::Ongeldig(FieldErrors::new()));
        };
        if self.termijn().is_none() {
            return Err(Weigering::Conflict(
                "Er loopt nog geen inburgeringstermijn: stel eerst een PIP vast.".to_owned(),
            ));
        }
        let verlenging = Verlenging {
            id: uuid::Uuid::now_v7().to_string(),
            maanden,
            grond,
            datum_besluit: datum,
        };
        let status = self.overgang(
            status,
            Gebeurtenis::Verlengd,
            datum,
            Some(verlenging.grond.clone()),
        )?;
        self.verlengingen.push(verlenging.clone());
        Ok((status, verlenging))
    }

    fn onderdeel(&self, soort: OnderdeelSoort) -> Option<&Onderdeel> {
        match soort {
            OnderdeelSoort::Map => self.map.as_ref(),
            OnderdeelSoort::Pvt => self.pvt.as_ref(),
            OnderdeelSoort::Knm => self.knm.as_ref(),
            OnderdeelSoort::ZRoute => self.z_route.as_ref(),
        }
    }

    /// Replaces the registration of an onderdeel (PUT semantics: what is left out is withdrawn), with
    /// DUO's rules for dates and `verwijtbaar`. Completing the trajectory makes the person voldaan.
    ///
    /// # Errors
    /// Invalid input; no current PIP or term; an onderdeel the route does not have; a status that is
    /// already final.
    pub fn zet_onderdeel(
        &mut self,
        person: &Inburgeraar,
        soort: OnderdeelSoort,
        input: OnderdeelGegevens,
        today: NaiveDate,
    ) -> Result<InburgeraarStatus, Weigering> {
        eindstatus(person.status)?;
        let Some(pip) = self.actuele_pip().cloned() else {
            return Err(Weigering::Conflict(
                "Er is geen vastgestelde PIP: registreer onderdelen na de vaststelling.".to_owned(),
            ));
        };
        let Some(termijn) = self.termijn() else {
            return Err(Weigering::Conflict(
                "Er loopt nog geen inburgeringstermijn.".to_owned(),
            ));
        };
        match (soort, pip.leerroute) {
            (OnderdeelSoort::Map, Leerroute::Onderwijs) => {
                return Err(Weigering::Conflict(
                    "De onderwijsroute kent geen MAP.".to_owned(),
                ));
            }
            (OnderdeelSoort::ZRoute, route) if route != Leerroute::Z => {
                return Err(Weigering::Conflict(
                    "Alleen in de Z-route worden Z-route-uren en de afronding geregistreerd."
                        .to_owned(),
                ));
            }
            _ => {}
        }
        let mut errors = FieldErrors::new();
        let datum = input::optional(
            &mut errors,
            "datumAfronding",
            input.datum_afronding,
            past(today),
        );
        let verwijtbaar =
            input::optional(&mut errors, "verwijtbaar", input.verwijtbaar, |_, v| Ok(v));
        let lesuren = input::optional(&mut errors, "lesuren", input.lesuren, uren);
        let participatie = input::optional(
            &mut errors,
            "participatieUren",
            input.participatie_uren,
            uren,
        );
        if soort != OnderdeelSoort::ZRoute {
            for (name, value) in [("lesuren", &lesuren), ("participatieUren", &participatie)] {
                if matches!(value, Some(Some(_))) {
                    errors.add(
                        name,
                        "nietToegestaan",
                        "Uren worden alleen bij de Z-route geregistreerd.",
                    );
                }
            }
        }
        if let Some(Some(datum)) = datum {
            if datum < termijn.datum_start {
                errors.add(
                    "datumAfronding",
                    "voorStartTermijn",
                    format!(
                        "De datum ligt voor de start van de termijn ({}).",
                        termijn.datum_start
                    ),
                );
            }
            let z_afgerond = self.z_route.as_ref().and_then(|z| z.datum_afronding);
            if soort != OnderdeelSoort::ZRoute && z_afgerond.is_some_and(|z| datum > z) {
                errors.add(
                    "datumAfronding",
                    "naAfrondingZroute",
                    "De datum ligt na de afronding van de Z-route.",
                );
            }
        }
        if matches!(soort, OnderdeelSoort::Map | OnderdeelSoort::Pvt) {
            check_verwijtbaar(
                &mut errors,
                &termijn,
                datum.flatten(),
                verwijtbaar.flatten(),
                today,
            );
        } else if matches!(verwijtbaar, Some(Some(_))) {
            errors.add(
                "verwijtbaar",
                "nietToegestaan",
                "Verwijtbaar hoort alleen bij MAP en PVT.",
            );
        }
        if soort != OnderdeelSoort::ZRoute
            && matches!(datum, Some(None))
            && self
                .z_route
                .as_ref()
                .is_some_and(|z| z.datum_afronding.is_some())
        {
            errors.add(
                "datumAfronding",
                "zRouteAfgerond",
                "Na de afronding van de Z-route kan deze datum niet worden ingetrokken.",
            );
        }
        errors.finish()?;
        let onderdeel_datum = datum.flatten();
        let onderdeel = Onderdeel {
            datum_afronding: datum.flatten(),
            verwijtbaar: verwijtbaar.flatten(),
            lesuren: lesuren.flatten().unwrap_or(0),
            participatie_uren: participatie.flatten().unwrap_or(0),
        };
        let slot = match soort {
            OnderdeelSoort::Map => &mut self.map,
            OnderdeelSoort::Pvt => &mut self.pvt,
            OnderdeelSoort::Knm => &mut self.knm,
            OnderdeelSoort::ZRoute => &mut self.z_route,
        };
        *slot = Some(onderdeel);
        let mut status = person.status;
        if status == InburgeraarStatus::PipVastgesteld {
            // The trajectory starts with the first onderdeel: on its date when it has one.
            status = self.overgang(
                status,
                Gebeurtenis::TrajectGestart,
                onderdeel_datum.unwrap_or(today),
                Some(soort.as_str().to_owned()),
            )?;
        }
        if let Some(afgerond) = self.voldaan_datum(person.doelgroep, pip.leerroute) {
            status = self.overgang(
                status,
                Gebeurtenis::Voldaan,
                afgerond,
                Some("Z-route, PVT en MAP afgerond".to_owned()),
            )?;
        }
        Ok(status)
    }

    /// The Z-route is complete when the route's completion, PVT and MAP are registered and the hours
    /// are met: then the duty is voldaan (DUO event SS141). The other routes end with DUO's diploma.
    fn voldaan_datum(&self, doelgroep: Doelgroep, leerroute: Leerroute) -> Option<NaiveDate> {
        if leerroute != Leerroute::Z {
            return None;
        }
        let z = self.z_route.as_ref()?;
        let (lesuren, participatie_uren) = self.z_route_uren();
        let uren_gehaald = lesuren >= Z_ROUTE_LESUREN
            && (!doelgroep.is_asielstatushouder()
                || participatie_uren >= Z_ROUTE_PARTICIPATIE_UREN);
        let datums = [
            z.datum_afronding,
            self.onderdeel(OnderdeelSoort::Pvt)?.datum_afronding,
            self.onderdeel(OnderdeelSoort::Map)?.datum_afronding,
        ];
        if uren_gehaald && datums.iter().all(Option::is_some) {
            datums.into_iter().flatten().max()
        } else {
            None
        }
    }

    /// Records an ontheffing (MED/BIO) or vrijstelling (AVI, DIP, DOC, INB, GED, INS, OPL) decided by
    /// DUO, and its effect on the status.
    ///
    /// # Errors
    /// Invalid input, or a status the decision cannot apply to.
    pub fn besluit(
        &mut self,
        status: InburgeraarStatus,
        ontheffing: bool,
        input: BesluitGegevens,
        today: NaiveDate,
    ) -> Result<(InburgeraarStatus, Besluit), Weigering> {
        let mut errors = FieldErrors::new();
        let code = input::required(&mut errors, "code", input.code, |f, code| {
            if matches!(code, BesluitCode::Ontheffing(_)) == ontheffing {
                Ok((code.as_str(), code.vaste_omvang()))
            } else {
                Err(FieldError::new(
                    f,
                    "enum",
                    "Deze code hoort bij het andere soort besluit.",
                ))
            }
        });
        let omvang_input = input::optional(&mut errors, "omvang", input.omvang, |_, v| Ok(v));
        let datum = input::required(
            &mut errors,
            "datumBesluit",
            input.datum_besluit,
            past(today),
        );
        let einde = input::optional(&mut errors, "datumEinde", input.datum_einde, |_, v| Ok(v));
        let onderdelen = match input.examenonderdelen {
            Input::Value(items) => items,
            Input::Absent | Input::Null | Input::Invalid => Vec::new(),
        };
        errors.finish()?;
        let (Some((code, vaste_omvang)), Some(omvang_input), Some(datum), Some(einde)) =
            (code, omvang_input, datum, einde)
        else {
            return Err(Weigering::Ongeldig(FieldErrors::new()));
        };
        let mut errors = FieldErrors::new();
        let omvang = match (vaste_omvang, omvang_input) {
            (Some(vast), None) => vast,
            (Some(vast), Some(gegeven)) if vast == gegeven => vast,
            (Some(vast), Some(_)) => {
                errors.add(
                    "omvang",
                    "code",
                    format!("Code {code} is altijd {}.", vast.as_str()),
                );
                vast
            }
            (None, Some(Omvang::Tijdelijk)) => {
                errors.add(
                    "omvang",
                    "enum",
                    "Een ontheffing is GEHEEL of GEDEELTELIJK.",
                );
                Omvang::Tijdelijk
            }
            (None, Some(gegeven)) => gegeven,
            (None, None) => {
                errors.add("omvang", "required", "Geef GEHEEL of GEDEELTELIJK.");
                Omvang::Geheel
            }
        };
        if omvang == Omvang::Gedeeltelijk && onderdelen.is_empty() {
            errors.add(
                "examenonderdelen",
                "required",
                "Noem de examenonderdelen van een gedeeltelijk besluit.",
            );
        }
        if omvang != Omvang::Gedeeltelijk && !onderdelen.is_empty() {
            errors.add(
                "examenonderdelen",
                "nietToegestaan",
                "Alleen een gedeeltelijk besluit noemt examenonderdelen.",
            );
        }
        if omvang == Omvang::Tijdelijk && einde.is_none() {
            errors.add(
                "datumEinde",
                "required",
                "Een tijdelijke vrijstelling heeft een einddatum.",
            );
        }
        if einde.is_some_and(|e| e < datum) {
            errors.add(
                "datumEinde",
                "voorBesluit",
                "De einddatum ligt voor de datum van het besluit.",
            );
        }
        errors.finish()?;
        let besluit = Besluit {
            id: uuid::Uuid::now_v7().to_string(),
            code: code.to_owned(),
            omvang,
            examenonderdelen: onderdelen,
            datum_besluit: datum,
            datum_einde: einde,
        };
        let gebeurtenis = match (ontheffing, omvang) {
            (true, Omvang::Geheel) => Some(Gebeurtenis::Ontheven),
            (false, Omvang::Geheel) => Some(Gebeurtenis::Vrijgesteld),
            (false, Omvang::Tijdelijk) => Some(Gebeurtenis::TijdelijkVrijgesteld),
            _ => None,
        };
        let status = match gebeurtenis {
            Some(g) => self.overgang(status, g, datum, Some(code.to_owned()))?,
            None => {
                eindstatus(status)?;
                status
            }
        };
        if ontheffing {
            self.ontheffingen.push(besluit.clone());
        } else {
            self.vrijstellingen.push(besluit.clone());
        }
        Ok((status, besluit))
    }
}

impl Traject {
    /// Replaces the ontzorging (PUT semantics). Financieel ontzorgen rests on the Participatiewet, not
    /// on the duty: it can still be wound down and ended after the duty ended.
    ///
    /// # Errors
    /// Every invalid field; a status the current one cannot move to.
    pub fn zet_ontzorging(
        &mut self,
        input: OntzorgingGegevens,
        doelgroep: Doelgroep,
        instellingen: &GemeenteInstellingen,
    ) -> Result<Ontzorging, Weigering> {
        let ontzorging =
            Ontzorging::wijzig(self.ontzorging.as_ref(), input, doelgroep, instellingen)?;
        self.ontzorging = Some(ontzorging.clone());
        Ok(ontzorging)
    }

    /// Records a voortgangsgesprek.
    ///
    /// # Errors
    /// A duty that has ended; every invalid field.
    pub fn voeg_gesprek_toe(
        &mut self,
        status: InburgeraarStatus,
        input: VoortgangsgesprekGegevens,
        today: NaiveDate,
        now: chrono::NaiveDateTime,
    ) -> Result<Voortgangsgesprek, Weigering> {
        eindstatus(status)?;
        let gesprek = Voortgangsgesprek::nieuw(input, today, now)?;
        self.voortgangsgesprekken.push(gesprek.clone());
        Ok(gesprek)
    }

    /// Records a measurement on the participatieladder.
    ///
    /// # Errors
    /// A duty that has ended; every invalid field.
    pub fn voeg_meting_toe(
        &mut self,
        status: InburgeraarStatus,
        input: MetingGegevens,
        today: NaiveDate,
        now: chrono::NaiveDateTime,
    ) -> Result<Meting, Weigering> {
        eindstatus(status)?;
        let meting = Meting::nieuw(input, today, now)?;
        self.participatieladder.push(meting.clone());
        Ok(meting)
    }

    /// When the next voortgangsgesprek is due: after the latest conversation, or else after the
    /// dagtekening of the current PIP (the first PIP's when the current one has none).
    pub fn volgend_gesprek(&self, instellingen: &GemeenteInstellingen) -> Option<NaiveDate> {
        let dagtekening = self
            .actuele_pip()
            .and_then(|p| p.datum_dagtekening)
            .or_else(|| self.eerste_pip().and_then(|p| p.datum_dagtekening));
        gesprekken::volgend_gesprek(&self.voortgangsgesprekken, dagtekening, instellingen)
    }
}

/// DUO's rules for `verwijtbaar` on MAP and PVT.
fn check_verwijtbaar(
    errors: &mut FieldErrors,
    termijn: &Termijn,
    datum: Option<NaiveDate>,
    verwijtbaar: Option<Verwijtbaar>,
    today: NaiveDate,
) {
    let overschreden = termijn.overschreden(today);
    match verwijtbaar {
        None if overschreden && datum.is_some_and(|d| d > termijn.datum_einde) => errors.add(
            "verwijtbaar",
            "required",
            "De termijn is overschreden: geef aan of dat verwijtbaar is (Ja/Nee).",
        ),
        None => {}
        Some(_) if datum.is_some_and(|d| d <= termijn.datum_einde) => errors.add(
            "verwijtbaar",
            "nietToegestaan",
            "Verwijtbaar wordt niet gegeven als de datum voor het einde van de termijn ligt.",
        ),
        Some(Verwijtbaar::Ja) if !overschreden => errors.add(
            "verwijtbaar",
            "nietToegestaan",
            "Verwijtbaar = Ja kan alleen als de termijn is overschreden.",
        ),
        Some(Verwijtbaar::Nee) if !(overschreden || termijn.in_eindfase(today)) => errors.add(
            "verwijtbaar",
            "nietToegestaan",
            "Verwijtbaar = Nee kan alleen als de termijn binnen twee maanden eindigt of is overschreden.",
        ),
        Some(_) => {}
    }
}

/// The duty has ended (voldaan, ontheven, vrijgesteld, beëindigd): no event can follow.
pub fn plicht_beeindigd(status: InburgeraarStatus) -> bool {
    status::toegestaan(status, status::Fase::Pip).is_empty()
}

/// Refuses changes once the duty has ended.
fn eindstatus(status: InburgeraarStatus) -> Result<(), Weigering> {
    if plicht_beeindigd(status) {
        Err(Weigering::Conflict(format!(
            "De inburgeringsplicht is beëindigd (status `{}`); het traject kan niet meer worden gewijzigd.",
            status.as_str()
        )))
    } else {
        Ok(())
    }
}

/// The term as shown to clients, with the PIP deadline and warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermijnOverzicht {
    pub stand: TermijnStand,
    pub termijn: Option<Termijn>,
    pub pip_deadline: Option<NaiveDate>,
    pub datum_aow: Option<NaiveDate>,
    pub waarschuwingen: Vec<termijn::Waarschuwing>,
}

text_enum! {
    /// Where the term stands: not started (no PIP), running, suspended by a temporary exemption, or
    /// ended with the duty (voldaan, ontheven, vrijgesteld, beëindigd).
    TermijnStand {
        NietGestart => "nietGestart",
        Loopt => "loopt",
        Opgeschort => "opgeschort",
        Beeindigd => "beeindigd",
    }
}

impl Traject {
    /// When the PIP is due: ten weeks after the notice or the settling, extended by an awaited
    /// third-party report recorded in the brede intake. `None` without a notice date.
    pub fn pip_deadline(&self, person: &Inburgeraar) -> Option<NaiveDate> {
        person.datum_kennisgeving.map(|k| {
            termijn::pip_deadline(
                k,
                person.datum_vestiging,
                self.brede_intake
                    .as_ref()
                    .and_then(|b| b.datum_ontvangst_informatie_derden),
            )
        })
    }

    pub fn overzicht(&self, person: &Inburgeraar, today: NaiveDate) -> TermijnOverzicht {
        let termijn = self.termijn();
        let stand = match (person.status, &termijn) {
            (s, _) if plicht_beeindigd(s) => TermijnStand::Beeindigd,
            (InburgeraarStatus::TijdelijkVrijgesteld, _) => TermijnStand::Opgeschort,
            (_, None) => TermijnStand::NietGestart,
            (_, Some(_)) => TermijnStand::Loopt,
        };
        let pip_deadline = self.pip_deadline(person);
        // Warnings only while the duty runs: an ended duty has no deadlines left.
        let mut waarschuwingen = match (&termijn, stand) {
            (Some(t), TermijnStand::Loopt) => {
                termijn::waarschuwingen(t, person.geboortedatum, today)
            }
            _ => Vec::new(),
        };
        if stand == TermijnStand::NietGestart && pip_deadline.is_some_and(|d| d < today) {
            waarschuwingen.push(termijn::Waarschuwing {
                soort: "pipTermijnVerstreken",
                datum: pip_deadline.unwrap_or(today),
                omschrijving: "De PIP had al vastgesteld moeten zijn.",
            });
        }
        TermijnOverzicht {
            stand,
            termijn,
            pip_deadline,
            datum_aow: person.geboortedatum.map(termijn::aow_datum),
            waarschuwingen,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn codes(errors: &FieldErrors) -> Vec<&'static str> {
        errors.0.iter().map(|e| e.code).collect()
    }

    /// DUO's rules for `verwijtbaar` on a term from 2 March 2025 to 2 March 2028.
    #[test]
    fn verwijtbaar_only_around_an_overrun() {
        let termijn = Termijn::bereken(d(2025, 3, 1), &[]);
        assert_eq!(termijn.datum_einde, d(2028, 3, 2));
        let check =
            |datum: Option<NaiveDate>, verwijtbaar: Option<Verwijtbaar>, today: NaiveDate| {
                let mut errors = FieldErrors::new();
                check_verwijtbaar(&mut errors, &termijn, datum, verwijtbaar, today);
                codes(&errors)
            };
        let during = d(2026, 6, 1);
        let end_phase = d(2028, 1, 15);
        let after = d(2028, 6, 1);
        // In time: no verwijtbaar at all.
        assert!(check(Some(d(2026, 5, 1)), None, during).is_empty());
        assert_eq!(
            check(Some(d(2026, 5, 1)), Some(Verwijtbaar::Nee), during),
            ["nietToegestaan"]
        );
        // Ja only after an overrun, Nee only in the last two months or after.
        assert_eq!(
            check(None, Some(Verwijtbaar::Ja), end_phase),
            ["nietToegestaan"]
        );
        assert!(check(None, Some(Verwijtbaar::Nee), end_phase).is_empty());
        assert_eq!(
            check(None, Some(Verwijtbaar::Nee), during),
            ["nietToegestaan"]
        );
        assert!(check(Some(d(2028, 5, 1)), Some(Verwijtbaar::Ja), after).is_empty());
        // Completed after the end: verwijtbaar must be given.
        assert_eq!(check(Some(d(2028, 5, 1)), None, after), ["required"]);
    }

    #[test]
    fn stored_json_from_before_ontzorging_gesprekken_and_ladder_still_reads() {
        let oud = r#"{"bredeIntake":null,"pips":[],"verlengingen":[],"map":null,"pvt":null,"knm":null,"zRoute":null,"ontheffingen":[],"vrijstellingen":[],"statushistorie":[]}"#;
        let traject: Traject = serde_json::from_str(oud).unwrap();
        assert_eq!(traject, Traject::default());
        let json = serde_json::to_value(&traject).unwrap();
        assert_eq!(json["ontzorging"], serde_json::Value::Null);
        assert_eq!(json["voortgangsgesprekken"], serde_json::json!([]));
        assert_eq!(json["participatieladder"], serde_json::json!([]));
    }

    #[test]
    fn an_ended_duty_refuses_ontzorging_gesprekken_and_metingen() {
        let today = d(2026, 6, 1);
        let now = today.and_hms_opt(9, 0, 0).unwrap();
        let instellingen = GemeenteInstellingen::default();
        let mut traject = Traject::default();
        let gesprek = || VoortgangsgesprekGegevens {
            datum: Input::Value("2026-05-01".parse().unwrap()),
            deelnemers: Input::Value(vec!["TOLK".parse().unwrap()]),
            uitkomst: Input::Value("Goed gesprek.".parse().unwrap()),
            ..VoortgangsgesprekGegevens::default()
        };
        let meting = || MetingGegevens {
            datum: Input::Value("2026-05-01".parse().unwrap()),
            trede: Input::Value(3),
            toelichting: Input::Absent,
        };
        let ontzorging = || OntzorgingGegevens {
            status: Input::Value("NIET_VAN_TOEPASSING".parse().unwrap()),
            ..OntzorgingGegevens::default()
        };
        let status = InburgeraarStatus::Voldaan;
        let conflict =
            |w: Weigering| matches!(w, Weigering::Conflict(r) if r.contains("`voldaan`"));
        assert!(conflict(
            traject
                .voeg_gesprek_toe(status, gesprek(), today, now)
                .unwrap_err()
        ));
        assert!(conflict(
            traject
                .voeg_meting_toe(status, meting(), today, now)
                .unwrap_err()
        ));
        assert_eq!(traject, Traject::default());
        // Financieel ontzorgen rests on the Participatiewet: it outlives the duty.
        let mut ended = Traject::default();
        ended
            .zet_ontzorging(ontzorging(), Doelgroep::Asielstatushouder, &instellingen)
            .unwrap();
        assert!(ended.ontzorging.is_some());

        let status = InburgeraarStatus::BredeIntake;
        traject
            .voeg_gesprek_toe(status, gesprek(), today, now)
            .unwrap();
        traject
            .voeg_meting_toe(status, meting(), today, now)
            .unwrap();
        traject
            .zet_ontzorging(ontzorging(), Doelgroep::Asielstatushouder, &instellingen)
            .unwrap();
        assert_eq!(traject.voortgangsgesprekken.len(), 1);
        assert_eq!(traject.participatieladder.len(), 1);
        assert!(traject.ontzorging.is_some());
        // Invalid input is a 400, not a conflict.
        let leeg = traject
            .voeg_meting_toe(status, MetingGegevens::default(), today, now)
            .unwrap_err();
        assert!(matches!(leeg, Weigering::Ongeldig(e) if e.0.len() == 2));
    }

    #[test]
    fn the_next_conversation_follows_the_current_pip() {
        let now = d(2026, 1, 15).and_hms_opt(9, 0, 0).unwrap();
        let pip = |dagtekening: NaiveDate| Pip {
            id: PipId(uuid::Uuid::now_v7()),
            inburgeraar_id: crate::inburgeraar::InburgeraarId(uuid::Uuid::nil()),
            status: PipStatus::Vastgesteld,
            datum_dagtekening: Some(dagtekening),
            leerroute: Leerroute::B1,
            niveau: None,
            geschatte_intensiteit_b1_route: None,
            indicator_mag_opleiding_afmaken: false,
            indicator_alfabetisering: crate::pip::Alfabetisering::Nvt,
            afgeschaalde_onderdelen: vec![],
            intensiteit_pvt: None,
            intensiteit_map: None,
            ontzorgen: false,
            voorzieningen: None,
            afspraken: None,
            aangemaakt_op: now,
            gewijzigd_op: now,
        };
        let instellingen = GemeenteInstellingen::default();
        let mut traject = Traject::default();
        assert_eq!(traject.volgend_gesprek(&instellingen), None);
        traject.pips.push(pip(d(2026, 1, 15)));
        assert_eq!(traject.volgend_gesprek(&instellingen), Some(d(2026, 4, 15)));
        // A later PIP (a route switch) restarts the cadence.
        traject.pips.push(pip(d(2026, 2, 28)));
        assert_eq!(traject.volgend_gesprek(&instellingen), Some(d(2026, 5, 28)));
    }

    #[test]
    fn an_ended_duty_stops_the_term_and_its_warnings() {
        use crate::gemeente::GemeenteCode;
        use crate::inburgeraar::{InburgeraarId, Regime};
        let now = d(2026, 11, 23).and_hms_opt(0, 0, 0).unwrap();
        let mut person = Inburgeraar {
            id: InburgeraarId::new(),
            bsn: None,
            v_nummer: Some("0000000001".into()),
            naam: "X".into(),
            geboortedatum: Some(d(1960, 1, 1)),
            gemeente: GemeenteCode::parse("g", "0405").unwrap(),
            doelgroep: Doelgroep::Overig,
            regime: Regime::Wi2021,
            datum_kennisgeving: Some(d(2025, 1, 1)),
            datum_vestiging: None,
            status: InburgeraarStatus::Aangemeld,
            versie: 1,
            aangemaakt_op: now,
            gewijzigd_op: now,
        };
        let traject = Traject::default();
        let overzicht = traject.overzicht(&person, now.date());
        assert_eq!(overzicht.stand, TermijnStand::NietGestart);
        assert_eq!(overzicht.waarschuwingen[0].soort, "pipTermijnVerstreken");
        person.status = InburgeraarStatus::Ontheven;
        let ended = traject.overzicht(&person, now.date());
        assert_eq!(ended.stand, TermijnStand::Beeindigd);
        assert!(ended.waarschuwingen.is_empty());
        person.status = InburgeraarStatus::TijdelijkVrijgesteld;
        assert_eq!(
            traject.overzicht(&person, now.date()).stand,
            TermijnStand::Opgeschort
        );
    }
}
