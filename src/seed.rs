//! `koers seed --demo`: the gemeenten of the field and a few dozen inburgeraars, registered through the
//! same domain rules and store as the API, so the demo data is valid by construction.

use anyhow::Context;
use koers_domain::bsn::complete_bsn;
use koers_domain::commando::{Opdracht, Resultaat, TrajectCommando, Weergave};
use koers_domain::gemeente::GemeenteCode;
use koers_domain::gesprekken::{Deelnemer, VoortgangsgesprekGegevens};
use koers_domain::inburgeraar::{Doelgroep, Inburgeraar, InburgeraarGegevens, Regime};
use koers_domain::input::Input;
use koers_domain::ontzorging::{OntzorgingGegevens, OntzorgingStatus, PostGegevens, PostSoort};
use koers_domain::participatieladder::MetingGegevens;
use koers_domain::partner::{
    Doel, Gegevenscategorie, Grondslag, Kanaal, Organisatie, OrganisatieGegevens, OrganisatieSoort,
    Toestemming, ToestemmingGegevens,
};
use koers_domain::pip::{Leerroute, PipGegevens};
use koers_domain::ports::{Store, TrajectOutcome};
use koers_domain::principal::{Principal, Scope};
use koers_domain::records::{truncate_to_micros, Antwoord, RequestContext};
use koers_domain::status::Gebeurtenis;
use koers_domain::traject::{
    BesluitCode, BesluitGegevens, BredeIntakeGegevens, OnderdeelGegevens, OnderdeelSoort, Traject,
    VrijstellingCode,
};
use std::collections::BTreeSet;

/// The demo gemeenten of api.md: regio Westfriesland, Oss, and the Hart van Brabant gemeenten.
pub const DEMO_GEMEENTEN: [(&str, &str); 12] = [
    ("0498", "Drechterland"),
    ("0388", "Enkhuizen"),
    ("0405", "Hoorn"),
    ("1598", "Koggenland"),
    ("1911", "Medemblik"),
    ("0420", "Opmeer"),
    ("0532", "Stede Broec"),
    ("0828", "Oss"),
    ("0855", "Tilburg"),
    ("1723", "Alphen-Chaam"),
    ("0744", "Baarle-Nassau"),
    ("0784", "Gilze en Rijen"),
];

const VOORNAMEN: [&str; 12] = [
    "Amal",
    "Yonas",
    "Mariam",
    "Ahmad",
    "Selam",
    "Oleksandr",
    "Fatima",
    "Tesfay",
    "Nour",
    "Hamid",
    "Lina",
    "Daniel",
];
const ACHTERNAMEN: [&str; 9] = [
    "Haddad",
    "Tesfamariam",
    "Rahimi",
    "Al-Sayed",
    "Kovalenko",
    "Abebe",
    "Yousef",
    "Karimi",
    "Mengistu",
];

/// Loads the demo data when the register is empty; returns how many people were registered.
pub fn demo(store: &dyn Store) -> anyhow::Result<usize> {
    if store
        .has_inburgeraars()
        .context("cannot read the database")?
    {
        return Ok(0);
    }
    let now = truncate_to_micros(chrono::Utc::now().naive_utc());
    let principal = Principal {
        client: "koers-seed".to_owned(),
        gebruiker: None,
        scopes: BTreeSet::from([Scope::InburgeraarsSchrijven]),
        gemeenten: DEMO_GEMEENTEN
            .iter()
            .filter_map(|(code, _)| GemeenteCode::parse("gemeente", code).ok())
            .collect(),
        organisatie: None,
    };
    let ctx = RequestContext {
        principal,
        trace_id: format!("{:032x}", 1),
        span_id: format!("{:016x}", 1),
        request_id: "koers-seed-demo".to_owned(),
        now,
    };
    let taalaanbieders = organisaties(store, &ctx)?;
    let mut count = 0;
    for index in 0..36u32 {
        let (gemeente, _) = DEMO_GEMEENTEN[index as usize % DEMO_GEMEENTEN.len()];
        let doelgroep = Doelgroep::ALL[index as usize % Doelgroep::ALL.len()];
        // Roughly 60 % asielstatushouders, as in the field.
        let doelgroep = if index % 5 < 3 {
            Doelgroep::Asielstatushouder
        } else {
            doelgroep
        };
        let days_ago = 20 + i64::from(index) * 17;
        let kennisgeving = now.date() - chrono::Duration::days(days_ago);
        let vestiging = now.date() - chrono::Duration::days(days_ago - 10);
        let input = InburgeraarGegevens {
            bsn: complete_bsn(10_000_000 + index * 7_919).map_or(Input::Absent, Input::Value),
            v_nummer: Input::Value(format!(
                "{:010}",
                3_000_000_000u64 + u64::from(index) * 1_013
            )),
            naam: Input::Value(format!(
                "{} {}",
                VOORNAMEN[index as usize % VOORNAMEN.len()],
                ACHTERNAMEN[index as usize % ACHTERNAMEN.len()]
            )),
            geboortedatum: chrono::NaiveDate::from_ymd_opt(
                1970 + (index % 35) as i32,
                1 + index % 12,
                1 + index % 28,
            )
            .into(),
            gemeente: Input::Value(gemeente.to_owned()),
            doelgroep: Input::Value(doelgroep),
            regime: Input::Value(if index % 9 == 8 {
                Regime::Wi2013
            } else {
                Regime::Wi2021
            }),
            datum_kennisgeving: Input::Value(kennisgeving),
            datum_vestiging: Input::Value(vestiging),
        };
        let person = Inburgeraar::register(input, &ctx.principal, now)
            .map_err(|errors| anyhow::anyhow!("demo person {index} is invalid: {errors:?}"))?;
        store
            .create_inburgeraar(&ctx, &person, None)
            .with_context(|| format!("cannot store demo person {index}"))?;
        advance(store, &ctx, &person, index)?;
        if index % 6 >= 2 {
            toestemming(store, &ctx, &person, taalaanbieders[index as usize % 2])?;
        }
        count += 1;
    }
    Ok(count)
}

/// The two demo taalaanbieders.
fn organisaties(store: &dyn Store, ctx: &RequestContext) -> anyhow::Result<[uuid::Uuid; 2]> {
    let mut ids = [uuid::Uuid::nil(); 2];
    for (slot, (naam, kvk)) in ids.iter_mut().zip([
        ("Taalschool West-Friesland", "40123456"),
        ("Taalhuis Midden-Brabant", "17654321"),
    ]) {
        let input = OrganisatieGegevens {
            naam: Input::Value(naam.to_owned()),
            soort: Input::Value(OrganisatieSoort::Taalaanbieder),
            kvk_nummer: Input::Value(kvk.to_owned()),
            keurmerk_nummer: Input::Value(format!("BOW-{kvk}")),
            keurmerk_geldig_tot: chrono::NaiveDate::from_ymd_opt(2028, 12, 31).into(),
            ..OrganisatieGegevens::default()
        };
        let organisatie = Organisatie::registreer(input, ctx.now)
            .map_err(|errors| anyhow::anyhow!("demo organisatie is invalid: {errors:?}"))?;
        store
            .create_organisatie(ctx, &organisatie, None)
            .context("cannot store demo organisatie")?;
        *slot = organisatie.id;
    }
    Ok(ids)
}

/// A toestemming for a taalaanbieder to follow the person's progress.
fn toestemming(
    store: &dyn Store,
    ctx: &RequestContext,
    person: &Inburgeraar,
    organisatie: uuid::Uuid,
) -> anyhow::Result<()> {
    let input = ToestemmingGegevens {
        inburgeraar_id: Input::Value(person.id.0),
        organisatie_id: Input::Value(organisatie),
        grondslag: Input::Value(Grondslag::PubliekeTaak),
        doelen: Input::Value(vec![Doel::Taalonderwijs, Doel::Voortgangsbewaking]),
        gegevenscategorieen: Input::Value(vec![
            Gegevenscategorie::Persoonsgegevens,
            Gegevenscategorie::Voortgang,
            Gegevenscategorie::Examenresultaten,
        ]),
        geldig_van: Input::Value(ctx.now.date()),
        kanaal: Input::Value(Kanaal::Digitaal),
        taal_kennisgeving: Input::Value("nl".parse().unwrap_or_default()),
        ..ToestemmingGegevens::default()
    };
    let toestemming = Toestemming::vastleggen(input, "koers-seed", ctx.now)
        .map_err(|errors| anyhow::anyhow!("demo toestemming is invalid: {errors:?}"))?;
    match store
        .create_toestemming(ctx, &toestemming, None)
        .context("cannot store demo toestemming")?
    {
        Ok(()) => Ok(()),
        Err(refusal) => Err(anyhow::anyhow!("demo toestemming refused: {refusal:?}")),
    }
}

/// Moves a demo person through the trajectory as far as their dates allow, by the same rules as the
/// API: 1 in intake, 2 with a fixed PIP, 3 in traject (PVT signed), 4 voldaan, 5 vrijgesteld.
fn advance(
    store: &dyn Store,
    ctx: &RequestContext,
    person: &Inburgeraar,
    index: u32,
) -> anyhow::Result<()> {
    let today = ctx.now.date();
    let Some(vestiging) = person.datum_vestiging else {
        return Ok(());
    };
    let fase = index % 6;
    let dag = |offset: i64| vestiging + chrono::Duration::days(offset);
    let tekst = Input::Value;
    let leerroute = if person.doelgroep.is_asielstatushouder() && index.is_multiple_of(4) {
        Leerroute::Z
    } else {
        Leerroute::B1
    };
    // Each step is a command of its own, as the gemeente would give it through the API.
    let doe = |opdracht: Opdracht| -> anyhow::Result<Traject> {
        let commando = TrajectCommando::from(opdracht);
        match store.update_traject(ctx, person.id, &commando, None, &GeenAntwoord)? {
            TrajectOutcome::Updated(updated) => Ok(updated.1),
            TrajectOutcome::NotFound => Err(anyhow::anyhow!("demo person {index} not found")),
            TrajectOutcome::Refused(refusal) => {
                Err(anyhow::anyhow!("demo person {index}: {refusal:?}"))
            }
        }
    };
    if fase >= 1 && dag(0) <= today {
        doe(Opdracht::BredeIntake {
            gegevens: BredeIntakeGegevens {
                datum_start: tekst(dag(0)),
                taalniveau: Input::Value("A1".to_owned()),
                ..BredeIntakeGegevens::default()
            },
            met_gezondheid: false,
        })?;
    }
    if fase >= 2 && fase != 5 && dag(14) < today {
        let traject = doe(Opdracht::NieuwePip(PipGegevens {
            leerroute: Input::Value(leerroute),
            afspraken: Input::Value("Voortgangsgesprek elke drie maanden".to_owned()),
            ..PipGegevens::default()
        }))?;
        let pip = traject
            .pips
            .last()
            .context("the new PIP is the last version")?
            .id;
        doe(Opdracht::StelPipVast {
            pip,
            dagtekening: tekst(dag(14)),
        })?;
    }
    if (fase == 3 || fase == 4) && dag(45) <= today {
        doe(Opdracht::Onderdeel {
            soort: OnderdeelSoort::Pvt,
            gegevens: OnderdeelGegevens {
                datum_afronding: tekst(dag(45)),
                ..OnderdeelGegevens::default()
            },
        })?;
    }
    if fase == 3 && dag(60) <= today {
        doe(Opdracht::Gesprek(VoortgangsgesprekGegevens {
            datum: tekst(dag(60)),
            deelnemers: Input::Value(vec![
                Deelnemer::Klantmanager,
                Deelnemer::Taalaanbieder,
                Deelnemer::Inburgeraar,
            ]),
            uitkomst: Input::Value("Loopt op schema; spreken vraagt extra oefening.".to_owned()),
            ..VoortgangsgesprekGegevens::default()
        }))?;
        for (offset, trede) in [(20, 2), (60, 3)] {
            doe(Opdracht::Meting(MetingGegevens {
                datum: tekst(dag(offset)),
                trede: Input::Value(trede),
                toelichting: Input::Absent,
            }))?;
        }
    }
    if (2..=3).contains(&fase) && person.doelgroep == Doelgroep::Asielstatushouder {
        // Financieel ontzorgen under art. 56a from the PIP on: rent, energy, water, insurance.
        let post = |soort: PostSoort, begunstigde: &str, cent: i64| PostGegevens {
            soort: Input::Value(soort),
            omschrijving: Input::Absent,
            begunstigde: Input::Value(begunstigde.to_owned()),
            bedrag_per_maand_cent: Input::Value(cent),
        };
        doe(Opdracht::Ontzorging {
            gegevens: OntzorgingGegevens {
                status: Input::Value(OntzorgingStatus::Actief),
                uitkering_participatiewet: Input::Value(true),
                verblijfsvergunning_asiel: Input::Value(true),
                datum_start: tekst(dag(14)),
                posten: Input::Value(vec![
                    post(PostSoort::Huur, "Woningstichting Het Grootslag", 61_500),
                    post(PostSoort::Energie, "Energieleverancier", 11_000),
                    post(PostSoort::Water, "PWN", 2_300),
                    post(PostSoort::Zorgverzekering, "Zorgverzekeraar", 13_800),
                ]),
                ..OntzorgingGegevens::default()
            },
            // The gemeente's settings; a demo gemeente has the defaults.
            instellingen: Default::default(),
        })?;
    }
    if fase == 4 && dag(90) <= today {
        doe(Opdracht::Status {
            gebeurtenis: Gebeurtenis::Voldaan,
            datum: dag(90),
            reden: Some("Diploma inburgering (DUO SS106)".to_owned()),
        })?;
    }
    if fase == 5 {
        doe(Opdracht::Besluit {
            ontheffing: false,
            gegevens: BesluitGegevens {
                code: Input::Value(BesluitCode::Vrijstelling(VrijstellingCode::Avi)),
                datum_besluit: tekst(dag(0).min(today)),
                ..BesluitGegevens::default()
            },
        })?;
    }
    Ok(())
}

/// The demo's commands are answered to no one.
struct GeenAntwoord;

impl Weergave for GeenAntwoord {
    fn antwoord(&self, _: &Inburgeraar, _: &Traject, _: &Resultaat) -> Antwoord {
        Antwoord::ok(serde_json::Value::Null)
    }
}
