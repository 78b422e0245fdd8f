//! The stored form of a trajectory's document (`trajecten.data`, its version in `trajecten.vorm`):
//! what of a trajectory is edited as a whole, the brede intake, the PIPs, the onderdelen (MAP, PVT,
//! KNM, Z-route) and the ontzorging. The lists that grow with the history are stored apart.
//!
//! Why a form of its own: the document used to be the domain's serde form of `Traject`, so renaming a
//! field, adding a required one or changing a type in the domain silently changed what is written, and
//! could make every stored document unreadable. Here the stored form is a set of types that only
//! storage uses, converted field by field to and from the domain, so a change to the domain breaks the
//! build here instead of the data on disk.
//!
//! V1 is exactly the domain's serde form at the time of the move, so documents written before it read
//! as V1 without conversion (the keys of the moved lists, still present in old documents, are
//! ignored). The enums reuse the domain's text enums: their text is the stable DUO/API vocabulary.
//!
//! The rule: a stored form is never edited once documents are written in it. A change is a new form
//! (`TrajectDocumentV2`, `VORM = 2`) with an upgrade from every older one in [`decode`], which must
//! keep reading every vorm ever written.

use chrono::{NaiveDate, NaiveDateTime};
use koers_domain::inburgeraar::InburgeraarId;
use koers_domain::ontzorging::{Ontzorging, OntzorgingStatus, Post, PostSoort};
use koers_domain::pip::{
    Alfabetisering, Examenonderdeel, Leerroute, Niveau, Pip, PipId, PipStatus,
};
use koers_domain::ports::StoreError;
use koers_domain::traject::{
    BredeIntake, LbtResultaat, Leerbaarheidstoets, Onderdeel, Traject, Verwijtbaar,
};
use serde::{Deserialize, Serialize};

/// The version of the stored form that [`encode`] writes (column `trajecten.vorm`).
pub const VORM: i32 = 1;

/// The trajectory's document as written with `vorm` 1. Unknown keys are ignored: documents from before
/// the lists moved to tables of their own still carry them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrajectDocumentV1 {
    pub brede_intake: Option<BredeIntakeV1>,
    pub pips: Vec<PipV1>,
    pub map: Option<OnderdeelV1>,
    pub pvt: Option<OnderdeelV1>,
    pub knm: Option<OnderdeelV1>,
    pub z_route: Option<OnderdeelV1>,
    #[serde(default)]
    pub ontzorging: Option<OntzorgingV1>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BredeIntakeV1 {
    pub datum_start: NaiveDate,
    pub datum_einde: Option<NaiveDate>,
    pub leerbaarheidstoets: Option<LeerbaarheidstoetsV1>,
    pub opleiding_buitenland: Option<String>,
    pub werkervaring_buitenland: Option<String>,
    pub taalniveau: Option<String>,
    pub digitale_vaardigheden: Option<String>,
    pub financien: Option<String>,
    pub sociale_context: Option<String>,
    pub gezondheid: Option<String>,
    pub datum_ontvangst_informatie_derden: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LeerbaarheidstoetsV1 {
    pub resultaat: Option<LbtResultaat>,
    pub score: Option<u32>,
    pub datum: Option<NaiveDate>,
    pub vrijstelling_reden: Option<String>,
}

/// One PIP version; it carries its owner's id, as the domain's serde form did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PipV1 {
    pub id: PipId,
    pub inburgeraar_id: InburgeraarId,
    pub status: PipStatus,
    pub datum_dagtekening: Option<NaiveDate>,
    pub leerroute: Leerroute,
    pub niveau: Option<Niveau>,
    pub geschatte_intensiteit_b1_route: Option<u32>,
    pub indicator_mag_opleiding_afmaken: bool,
    pub indicator_alfabetisering: Alfabetisering,
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OnderdeelV1 {
    pub datum_afronding: Option<NaiveDate>,
    pub verwijtbaar: Option<Verwijtbaar>,
    pub lesuren: u32,
    pub participatie_uren: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OntzorgingV1 {
    pub status: OntzorgingStatus,
    pub verplicht: bool,
    pub uitkering_participatiewet: bool,
    pub verblijfsvergunning_asiel: bool,
    pub datum_start: Option<NaiveDate>,
    pub datum_minimaal_einde: Option<NaiveDate>,
    pub posten: Vec<PostV1>,
    pub datum_start_begeleiding: Option<NaiveDate>,
    pub datum_einde: Option<NaiveDate>,
    pub reden_einde: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostV1 {
    pub soort: PostSoort,
    pub omschrijving: Option<String>,
    pub begunstigde: String,
    pub bedrag_per_maand_cent: u32,
}

impl From<&Traject> for TrajectDocumentV1 {
    fn from(traject: &Traject) -> Self {
        TrajectDocumentV1 {
            brede_intake: traject.brede_intake.as_ref().map(BredeIntakeV1::from),
            pips: traject.pips.iter().map(PipV1::from).collect(),
            map: traject.map.as_ref().map(OnderdeelV1::from),
            pvt: traject.pvt.as_ref().map(OnderdeelV1::from),
            knm: traject.knm.as_ref().map(OnderdeelV1::from),
            z_route: traject.z_route.as_ref().map(OnderdeelV1::from),
            ontzorging: traject.ontzorging.as_ref().map(OntzorgingV1::from),
        }
    }
}

impl TrajectDocumentV1 {
    /// The trajectory with the document's parts filled and every list empty.
    pub fn into_traject(self) -> Traject {
        Traject {
            brede_intake: self.brede_intake.map(BredeIntakeV1::into_domain),
            pips: self.pips.into_iter().map(PipV1::into_domain).collect(),
            map: self.map.map(OnderdeelV1::into_domain),
            pvt: self.pvt.map(OnderdeelV1::into_domain),
            knm: self.knm.map(OnderdeelV1::into_domain),
            z_route: self.z_route.map(OnderdeelV1::into_domain),
            ontzorging: self.ontzorging.map(OntzorgingV1::into_domain),
            ..Traject::default()
        }
    }
}

impl From<&BredeIntake> for BredeIntakeV1 {
    fn from(intake: &BredeIntake) -> Self {
        BredeIntakeV1 {
            datum_start: intake.datum_start,
            datum_einde: intake.datum_einde,
            leerbaarheidstoets: intake
                .leerbaarheidstoets
                .as_ref()
                .map(LeerbaarheidstoetsV1::from),
            opleiding_buitenland: intake.opleiding_buitenland.clone(),
            werkervaring_buitenland: intake.werkervaring_buitenland.clone(),
            taalniveau: intake.taalniveau.clone(),
            digitale_vaardigheden: intake.digitale_vaardigheden.clone(),
            financien: intake.financien.clone(),
            sociale_context: intake.sociale_context.clone(),
            gezondheid: intake.gezondheid.clone(),
            datum_ontvangst_informatie_derden: intake.datum_ontvangst_informatie_derden,
        }
    }
}

impl BredeIntakeV1 {
    fn into_domain(self) -> BredeIntake {
        BredeIntake {
            datum_start: self.datum_start,
            datum_einde: self.datum_einde,
            leerbaarheidstoets: self
                .leerbaarheidstoets
                .map(LeerbaarheidstoetsV1::into_domain),
            opleiding_buitenland: self.opleiding_buitenland,
            werkervaring_buitenland: self.werkervaring_buitenland,
            taalniveau: self.taalniveau,
            digitale_vaardigheden: self.digitale_vaardigheden,
            financien: self.financien,
            sociale_context: self.sociale_context,
            gezondheid: self.gezondheid,
            datum_ontvangst_informatie_derden: self.datum_ontvangst_informatie_derden,
        }
    }
}

impl From<&Leerbaarheidstoets> for LeerbaarheidstoetsV1 {
    fn from(toets: &Leerbaarheidstoets) -> Self {
        LeerbaarheidstoetsV1 {
            resultaat: toets.resultaat,
            score: toets.score,
            datum: toets.datum,
            vrijstelling_reden: toets.vrijstelling_reden.clone(),
        }
    }
}

impl LeerbaarheidstoetsV1 {
    fn into_domain(self) -> Leerbaarheidstoets {
        Leerbaarheidstoets {
            resultaat: self.resultaat,
            score: self.score,
            datum: self.datum,
            vrijstelling_reden: self.vrijstelling_reden,
        }
    }
}

impl From<&Pip> for PipV1 {
    fn from(pip: &Pip) -> Self {
        PipV1 {
            id: pip.id,
            inburgeraar_id: pip.inburgeraar_id,
            status: pip.status,
            datum_dagtekening: pip.datum_dagtekening,
            leerroute: pip.leerroute,
            niveau: pip.niveau,
            geschatte_intensiteit_b1_route: pip.geschatte_intensiteit_b1_route,
            indicator_mag_opleiding_afmaken: pip.indicator_mag_opleiding_afmaken,
            indicator_alfabetisering: pip.indicator_alfabetisering,
            afgeschaalde_onderdelen: pip.afgeschaalde_onderdelen.clone(),
            intensiteit_pvt: pip.intensiteit_pvt.clone(),
            intensiteit_map: pip.intensiteit_map.clone(),
            ontzorgen: pip.ontzorgen,
            voorzieningen: pip.voorzieningen.clone(),
            afspraken: pip.afspraken.clone(),
            aangemaakt_op: pip.aangemaakt_op,
            gewijzigd_op: pip.gewijzigd_op,
        }
    }
}

impl PipV1 {
    fn into_domain(self) -> Pip {
        Pip {
            id: self.id,
            inburgeraar_id: self.inburgeraar_id,
            status: self.status,
            datum_dagtekening: self.datum_dagtekening,
            leerroute: self.leerroute,
            niveau: self.niveau,
            geschatte_intensiteit_b1_route: self.geschatte_intensiteit_b1_route,
            indicator_mag_opleiding_afmaken: self.indicator_mag_opleiding_afmaken,
            indicator_alfabetisering: self.indicator_alfabetisering,
            afgeschaalde_onderdelen: self.afgeschaalde_onderdelen,
            intensiteit_pvt: self.intensiteit_pvt,
            intensiteit_map: self.intensiteit_map,
            ontzorgen: self.ontzorgen,
            voorzieningen: self.voorzieningen,
            afspraken: self.afspraken,
            aangemaakt_op: self.aangemaakt_op,
            gewijzigd_op: self.gewijzigd_op,
        }
    }
}

impl From<&Onderdeel> for OnderdeelV1 {
    fn from(onderdeel: &Onderdeel) -> Self {
        OnderdeelV1 {
            datum_afronding: onderdeel.datum_afronding,
            verwijtbaar: onderdeel.verwijtbaar,
            lesuren: onderdeel.lesuren,
            participatie_uren: onderdeel.participatie_uren,
        }
    }
}

impl OnderdeelV1 {
    fn into_domain(self) -> Onderdeel {
        Onderdeel {
            datum_afronding: self.datum_afronding,
            verwijtbaar: self.verwijtbaar,
            lesuren: self.lesuren,
            participatie_uren: self.participatie_uren,
        }
    }
}

impl From<&Ontzorging> for OntzorgingV1 {
    fn from(ontzorging: &Ontzorging) -> Self {
        OntzorgingV1 {
            status: ontzorging.status,
            verplicht: ontzorging.verplicht,
            uitkering_participatiewet: ontzorging.uitkering_participatiewet,
            verblijfsvergunning_asiel: ontzorging.verblijfsvergunning_asiel,
            datum_start: ontzorging.datum_start,
            datum_minimaal_einde: ontzorging.datum_minimaal_einde,
            posten: ontzorging.posten.iter().map(PostV1::from).collect(),
            datum_start_begeleiding: ontzorging.datum_start_begeleiding,
            datum_einde: ontzorging.datum_einde,
            reden_einde: ontzorging.reden_einde.clone(),
        }
    }
}

impl OntzorgingV1 {
    fn into_domain(self) -> Ontzorging {
        Ontzorging {
            status: self.status,
            verplicht: self.verplicht,
            uitkering_participatiewet: self.uitkering_participatiewet,
            verblijfsvergunning_asiel: self.verblijfsvergunning_asiel,
            datum_start: self.datum_start,
            datum_minimaal_einde: self.datum_minimaal_einde,
            posten: self.posten.into_iter().map(PostV1::into_domain).collect(),
            datum_start_begeleiding: self.datum_start_begeleiding,
            datum_einde: self.datum_einde,
            reden_einde: self.reden_einde,
        }
    }
}

impl From<&Post> for PostV1 {
    fn from(post: &Post) -> Self {
        PostV1 {
            soort: post.soort,
            omschrijving: post.omschrijving.clone(),
            begunstigde: post.begunstigde.clone(),
            bedrag_per_maand_cent: post.bedrag_per_maand_cent,
        }
    }
}

impl PostV1 {
    fn into_domain(self) -> Post {
        Post {
            soort: self.soort,
            omschrijving: self.omschrijving,
            begunstigde: self.begunstigde,
            bedrag_per_maand_cent: self.bedrag_per_maand_cent,
        }
    }
}

/// The document of `traject` in the current stored form ([`VORM`]); its lists are not part of it.
///
/// # Errors
/// Only if serde_json fails to write (it does not for these types).
pub fn encode(traject: &Traject) -> Result<String, serde_json::Error> {
    serde_json::to_string(&TrajectDocumentV1::from(traject))
}

/// Reads a document stored in form `vorm`: the trajectory with the document's parts filled and every
/// list empty.
///
/// # Errors
/// `Internal` for a vorm this build does not know or a document that does not read in its form.
pub fn decode(vorm: i32, data: &str) -> Result<Traject, StoreError> {
    match vorm {
        1 => serde_json::from_str::<TrajectDocumentV1>(data)
            .map(TrajectDocumentV1::into_traject)
            .map_err(|e| {
                StoreError::internal_by(format!("trajectdocument of vorm {vorm} is unreadable"), e)
            }),
        _ => Err(StoreError::internal(format!(
            "trajectdocument of unknown vorm {vorm} (this build reads vorm 1 to {VORM})"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use koers_domain::gesprekken::{Deelnemer, Voortgangsgesprek};
    use koers_domain::inburgeraar::InburgeraarStatus;
    use koers_domain::participatieladder::{Meting, Trede};
    use koers_domain::status::{Gebeurtenis, Statuswijziging};
    use koers_domain::traject::{Besluit, Omvang, Verlenging};
    use koers_domain::voortgang::{
        Bron, ExamenNiveau, ExamenOnderdeel, ExamenUitslag, Examenresultaat, GevolgdeUren,
        Inschrijving, InschrijvingSoort, RedenGeenUitslag,
    };
    use serde_json::Value;
    use uuid::Uuid;

    const SNAPSHOT_V1: &str = include_str!("snapshots/trajectdocument-v1.json");

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn t(y: i32, m: u32, day: u32, h: u32, min: u32) -> NaiveDateTime {
        d(y, m, day).and_hms_opt(h, min, 0).unwrap()
    }

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn onderdeel(datum: NaiveDate, verwijtbaar: Verwijtbaar, uren: u32) -> Onderdeel {
        Onderdeel {
            datum_afronding: Some(datum),
            verwijtbaar: Some(verwijtbaar),
            lesuren: uren,
            participatie_uren: uren / 2,
        }
    }

    fn pip(n: u128, status: PipStatus, dagtekening: NaiveDate) -> Pip {
        Pip {
            id: PipId(id(0x0100 + n)),
            inburgeraar_id: InburgeraarId(id(0x0001)),
            status,
            datum_dagtekening: Some(dagtekening),
            leerroute: Leerroute::B1,
            niveau: Some(Niveau::B1),
            geschatte_intensiteit_b1_route: Some(600),
            indicator_mag_opleiding_afmaken: true,
            indicator_alfabetisering: Alfabetisering::Aa,
            afgeschaalde_onderdelen: vec![Examenonderdeel::Lezen, Examenonderdeel::Spreken],
            intensiteit_pvt: Some("8 uur per week".into()),
            intensiteit_map: Some("4 uur per week".into()),
            ontzorgen: true,
            voorzieningen: Some("Kinderopvang".into()),
            afspraken: Some("Taalles op dinsdag en donderdag".into()),
            aangemaakt_op: t(2026, 1, 10, 9, 30),
            gewijzigd_op: t(2026, 1, 12, 14, 5),
        }
    }

    /// The document's parts all filled: every option given, every list with two items.
    fn document() -> Traject {
        Traject {
            brede_intake: Some(BredeIntake {
                datum_start: d(2025, 11, 3),
                datum_einde: Some(d(2025, 12, 19)),
                leerbaarheidstoets: Some(Leerbaarheidstoets {
                    resultaat: Some(LbtResultaat::Haalbaar),
                    score: Some(42),
                    datum: Some(d(2025, 11, 17)),
                    vrijstelling_reden: Some("Eerder afgenomen".into()),
                }),
                opleiding_buitenland: Some("Bachelor bouwkunde".into()),
                werkervaring_buitenland: Some("Vijf jaar uitvoerder".into()),
                taalniveau: Some("A1".into()),
                digitale_vaardigheden: Some("Goed".into()),
                financien: Some("Uitkering Participatiewet".into()),
                sociale_context: Some("Gezin met twee kinderen".into()),
                gezondheid: Some("Geen bijzonderheden".into()),
                datum_ontvangst_informatie_derden: Some(d(2025, 12, 1)),
            }),
            pips: vec![
                pip(1, PipStatus::Vastgesteld, d(2026, 1, 12)),
                pip(2, PipStatus::Concept, d(2026, 3, 2)),
            ],
            map: Some(onderdeel(d(2026, 9, 1), Verwijtbaar::Nee, 0)),
            pvt: Some(onderdeel(d(2026, 10, 5), Verwijtbaar::Ja, 0)),
            knm: Some(onderdeel(d(2026, 11, 2), Verwijtbaar::Nee, 0)),
            z_route: Some(onderdeel(d(2027, 6, 30), Verwijtbaar::Ja, 800)),
            ontzorging: Some(Ontzorging {
                status: OntzorgingStatus::Actief,
                verplicht: true,
                uitkering_participatiewet: true,
                verblijfsvergunning_asiel: true,
                datum_start: Some(d(2025, 11, 1)),
                datum_minimaal_einde: Some(d(2026, 5, 1)),
                posten: vec![
                    Post {
                        soort: PostSoort::Huur,
                        omschrijving: Some("Kale huur".into()),
                        begunstigde: "Woningstichting".into(),
                        bedrag_per_maand_cent: 65_000,
                    },
                    Post {
                        soort: PostSoort::Overig,
                        omschrijving: Some("Internet".into()),
                        begunstigde: "Provider".into(),
                        bedrag_per_maand_cent: 4_500,
                    },
                ],
                datum_start_begeleiding: Some(d(2026, 2, 1)),
                datum_einde: Some(d(2026, 11, 1)),
                reden_einde: Some("Financieel zelfredzaam".into()),
            }),
            ..Traject::default()
        }
    }

    /// The document with every list filled as well, as the whole trajectory was stored before.
    fn met_lijsten() -> Traject {
        let besluit = |n: u128, code: &str| Besluit {
            id: id(0x0200 + n).to_string(),
            code: code.into(),
            omvang: Omvang::Geheel,
            examenonderdelen: vec![Examenonderdeel::Knm],
            datum_besluit: d(2026, 4, 1),
            datum_einde: Some(d(2026, 10, 1)),
        };
        let geregistreerd = t(2026, 5, 1, 8, 0);
        Traject {
            verlengingen: vec![Verlenging {
                id: id(0x0300).to_string(),
                maanden: 6,
                grond: "Ziekte".into(),
                datum_besluit: d(2026, 4, 1),
            }],
            ontheffingen: vec![besluit(1, "MED")],
            vrijstellingen: vec![besluit(2, "AVI")],
            statushistorie: vec![Statuswijziging {
                gebeurtenis: Gebeurtenis::BredeIntakeGestart,
                van: InburgeraarStatus::Aangemeld,
                naar: InburgeraarStatus::BredeIntake,
                datum: d(2025, 11, 3),
                reden: Some("Intake gestart".into()),
            }],
            inschrijvingen: vec![Inschrijving {
                id: id(0x0400),
                organisatie_id: Some(id(0x0500)),
                soort: InschrijvingSoort::Cursus,
                omschrijving: "B1-cursus".into(),
                datum_start: d(2026, 2, 1),
                datum_einde: Some(d(2027, 2, 1)),
                uren_per_week: 12,
                geregistreerd_op: geregistreerd,
            }],
            gevolgde_uren: vec![GevolgdeUren {
                id: id(0x0401),
                organisatie_id: Some(id(0x0500)),
                maand: d(2026, 3, 1),
                lesuren: 40,
                lesuren_brede_intake: 2,
                participatie_uren: 8,
                verzuim_uren: 1,
                geregistreerd_op: geregistreerd,
            }],
            examenresultaten: vec![Examenresultaat {
                id: id(0x0402),
                organisatie_id: Some(id(0x0500)),
                onderdeel: ExamenOnderdeel::Lezen,
                niveau: ExamenNiveau::B1,
                uitslag: ExamenUitslag::Geen,
                reden_geen: Some(RedenGeenUitslag::Verwijtbaar),
                datum_examen: d(2026, 4, 20),
                bron: Bron::Aanbieder,
                conflict_met_duo: false,
                geregistreerd_op: geregistreerd,
            }],
            voortgangsgesprekken: vec![Voortgangsgesprek {
                id: id(0x0403),
                datum: d(2026, 4, 15),
                deelnemers: vec![Deelnemer::Klantmanager],
                uitkomst: "Op schema".into(),
                afspraken: Some("Meer spreken".into()),
                datum_volgend_gepland: Some(d(2026, 7, 15)),
                geregistreerd_op: geregistreerd,
            }],
            participatieladder: vec![Meting {
                id: id(0x0404),
                datum: d(2026, 4, 15),
                trede: Trede::new(3).unwrap(),
                toelichting: Some("Vrijwilligerswerk".into()),
                geregistreerd_op: geregistreerd,
            }],
            ..document()
        }
    }

    #[test]
    fn a_full_document_is_written_as_the_v1_snapshot_and_reads_back() {
        let traject = document();
        let encoded: Value = serde_json::from_str(&encode(&traject).unwrap()).unwrap();
        let snapshot: Value = serde_json::from_str(SNAPSHOT_V1).unwrap();
        assert_eq!(
            encoded,
            snapshot,
            "the stored form V1 changed; never edit V1, add a new VORM with an upgrade. Now written:\n{}\n",
            serde_json::to_string_pretty(&TrajectDocumentV1::from(&traject)).unwrap()
        );
        assert_eq!(decode(1, SNAPSHOT_V1).unwrap(), traject);
    }

    #[test]
    fn an_empty_document_round_trips() {
        let traject = Traject::default();
        let data = encode(&traject).unwrap();
        assert_eq!(decode(VORM, &data).unwrap(), traject);
    }

    #[test]
    fn a_document_in_the_old_domain_form_reads_as_v1_without_its_lists() {
        let traject = met_lijsten();
        let oud = serde_json::to_value(&traject).unwrap();
        for lijst in [
            "verlengingen",
            "ontheffingen",
            "vrijstellingen",
            "statushistorie",
            "inschrijvingen",
            "gevolgdeUren",
            "examenresultaten",
            "voortgangsgesprekken",
            "participatieladder",
        ] {
            assert!(
                oud[lijst].as_array().is_some_and(|items| !items.is_empty()),
                "{lijst}"
            );
        }
        let read = decode(1, &oud.to_string()).unwrap();
        assert_eq!(read, document());
        assert!(read.verlengingen.is_empty() && read.participatieladder.is_empty());
    }

    #[test]
    fn documents_from_before_the_ontzorging_and_afschalen_read() {
        let mut oud = serde_json::to_value(document()).unwrap();
        let object = oud.as_object_mut().unwrap();
        object.remove("ontzorging");
        for pip in object["pips"].as_array_mut().unwrap() {
            pip.as_object_mut()
                .unwrap()
                .remove("afgeschaaldeOnderdelen");
        }
        let read = decode(1, &oud.to_string()).unwrap();
        assert_eq!(read.ontzorging, None);
        assert!(read
            .pips
            .iter()
            .all(|p| p.afgeschaalde_onderdelen.is_empty()));
        assert_eq!(read.brede_intake, document().brede_intake);
    }

    #[test]
    fn an_unknown_vorm_or_bad_json_is_an_error() {
        let data = encode(&document()).unwrap();
        let unknown = decode(2, &data).unwrap_err();
        assert!(matches!(unknown, StoreError::Internal(_)));
        assert!(unknown.to_string().contains("vorm 2"), "{unknown}");
        assert!(matches!(decode(0, &data), Err(StoreError::Internal(_))));
        for bad in ["", "{", "[]", "null", r#"{"pips": 3}"#] {
            let error = decode(1, bad).unwrap_err();
            assert!(matches!(error, StoreError::Internal(_)), "{bad}");
            assert!(error.to_string().contains("vorm 1"), "{error}");
        }
    }
}
