//! `koers seed --synthetic N`: N inburgeraars over 342 gemeenten with a realistic mix (about 60 %
//! asielstatushouders, all three routes, every phase, PIPs, onderdelen, gevolgde uren and
//! examenresultaten), built by the same domain rules as the API and deterministic for a given seed.
//! Bulk-loaded without audit entries or processing-log lines: synthetic people are no one's data.

use anyhow::Context;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use koers_domain::bsn::complete_bsn;
use koers_domain::gemeente::GemeenteCode;
use koers_domain::inburgeraar::{Doelgroep, Inburgeraar, InburgeraarGegevens, InburgeraarId};
use koers_domain::input::Input;
use koers_domain::pip::{Leerroute, Pip, PipGegevens, PipId};
use koers_domain::ports::RegisterStats;
use koers_domain::principal::{Principal, Scope};
use koers_domain::traject::{
    BredeIntakeGegevens, OnderdeelGegevens, OnderdeelSoort, Traject, Weigering,
};
use koers_domain::voortgang::{
    voeg_resultaat_toe, Bron, ExamenNiveau, ExamenOnderdeel, ExamenUitslag, Examenresultaat,
    ExamenresultaatGegevens, GevolgdeUren, GevolgdeUrenGegevens,
};
use koers_persistence::DieselStore;
use std::collections::BTreeSet;
use std::io::Write;
use uuid::Uuid;

/// People stored per transaction.
const BATCH: u64 = 5_000;
/// The number of gemeenten in the Netherlands (2023-2025).
pub const GEMEENTEN: u32 = 342;

/// SplitMix64: small, fast and fully determined by its seed.
struct Rng(u64);

impl Rng {
    fn for_person(seed: u64, index: u64) -> Self {
        Rng(seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound.max(1)
    }

    fn uuid(&mut self, millis: u64) -> Uuid {
        let mut random = [0u8; 10];
        random[..8].copy_from_slice(&self.next().to_le_bytes());
        random[8..].copy_from_slice(&self.next().to_le_bytes()[..2]);
        uuid::Builder::from_unix_timestamp_millis(millis, &random).into_uuid()
    }
}

/// A four-digit code for gemeente `n` of 342, spread over the CBS range.
fn gemeentecode(n: u32) -> String {
    format!("{:04}", 3 + n * 5)
}

fn datum(d: NaiveDate) -> Input<NaiveDate> {
    Input::Value(d)
}

/// One synthetic person and their trajectory, by the domain's own rules.
fn person(
    seed: u64,
    index: u64,
    reference: NaiveDateTime,
) -> anyhow::Result<(Inburgeraar, Traject)> {
    let mut rng = Rng::for_person(seed, index);
    let today = reference.date();
    let gemeente = gemeentecode(u32::try_from(rng.below(u64::from(GEMEENTEN)))?);
    let doelgroep = if rng.below(100) < 60 {
        Doelgroep::Asielstatushouder
    } else {
        Doelgroep::ALL[1 + rng.below(Doelgroep::ALL.len() as u64 - 1) as usize]
    };
    let kennisgeving = today - Duration::days(70 + rng.below(1_200) as i64);
    let vestiging = kennisgeving + Duration::days(rng.below(60) as i64);
    let geboren = NaiveDate::from_ymd_opt(
        1962 + rng.below(44) as i32,
        1 + rng.below(12) as u32,
        1 + rng.below(28) as u32,
    )
    .context("synthetic birth date")?;
    let principal = Principal {
        client: "koers-synthetic".to_owned(),
        gebruiker: None,
        scopes: BTreeSet::from([Scope::InburgeraarsSchrijven]),
        gemeenten: BTreeSet::from([
            GemeenteCode::parse("gemeente", &gemeente).map_err(|e| anyhow::anyhow!("{e:?}"))?
        ]),
        organisatie: None,
    };
    let input = InburgeraarGegevens {
        bsn: complete_bsn(u32::try_from(20_000_000 + index)?).map_or(Input::Absent, Input::Value),
        v_nummer: Input::Value(format!("{:010}", 6_000_000_000 + index)),
        naam: Input::Value(format!("Synthetische inburgeraar {index}")),
        geboortedatum: Input::Value(geboren),
        gemeente: Input::Value(gemeente),
        doelgroep: Input::Value(doelgroep),
        datum_kennisgeving: Input::Value(kennisgeving),
        datum_vestiging: Input::Value(vestiging),
        ..InburgeraarGegevens::default()
    };
    let mut person = Inburgeraar::register(input, &principal, reference)
        .map_err(|e| anyhow::anyhow!("person {index}: {e:?}"))?;
    let base_millis = u64::try_from(reference.and_utc().timestamp_millis())?;
    person.id = InburgeraarId(rng.uuid(base_millis + index));
    let mut traject = Traject::default();
    let fase = rng.below(100);
    let step = |result: Result<koers_domain::inburgeraar::InburgeraarStatus, Weigering>| {
        result.map_err(|e| anyhow::anyhow!("person {index}: {e:?}"))
    };
    if fase >= 10 {
        let intake = BredeIntakeGegevens {
            datum_start: datum(vestiging),
            ..BredeIntakeGegevens::default()
        };
        person.status = step(traject.zet_brede_intake(person.status, intake, false, today))?;
    }
    let dagtekening = vestiging + Duration::days(14 + rng.below(50) as i64);
    if fase >= 25 && dagtekening < today {
        let leerroute = match rng.below(100) {
            0..=59 => Leerroute::B1,
            60..=84 => Leerroute::Z,
            _ => Leerroute::Onderwijs,
        };
        let pip_input = PipGegevens {
            leerroute: Input::Value(leerroute),
            ..PipGegevens::default()
        };
        let mut pip = Pip::concept(
            person.id,
            pip_input,
            &traject.pip_context(&person),
            reference,
        )
        .map_err(|e| anyhow::anyhow!("person {index}: {e:?}"))?;
        pip.id = PipId(rng.uuid(base_millis + index));
        let id = pip.id;
        traject
            .nieuwe_pip(person.status, pip)
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        person.status = traject
            .stel_pip_vast(&person, id, datum(dagtekening), reference)
            .map_err(|e| anyhow::anyhow!("person {index}: {e:?}"))?
            .0;
        let pvt = dagtekening + Duration::days(30 + rng.below(120) as i64);
        if fase >= 45 && pvt <= today {
            let input = OnderdeelGegevens {
                datum_afronding: datum(pvt),
                ..OnderdeelGegevens::default()
            };
            person.status =
                step(traject.zet_onderdeel(&person, OnderdeelSoort::Pvt, input, today))?;
            let mut maand = dagtekening + Duration::days(31);
            while maand + Duration::days(31) <= today && traject.gevolgde_uren.len() < 6 {
                let input = GevolgdeUrenGegevens {
                    maand: Input::Value(maand.format("%Y-%m").to_string()),
                    lesuren: Input::Value(20 + rng.below(60) as i64),
                    verzuim_uren: Input::Value(rng.below(8) as i64),
                    ..GevolgdeUrenGegevens::default()
                };
                let mut uren = GevolgdeUren::nieuw(input, None, reference)
                    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
                uren.id = rng.uuid(base_millis + index);
                traject.gevolgde_uren.push(uren);
                maand += Duration::days(31);
            }
            if pvt + Duration::days(60) <= today {
                let input = ExamenresultaatGegevens {
                    onderdeel: Input::Value(ExamenOnderdeel::Knm),
                    niveau: Input::Value(ExamenNiveau::A2),
                    uitslag: Input::Value(if rng.below(4) == 0 {
                        ExamenUitslag::Gezakt
                    } else {
                        ExamenUitslag::Geslaagd
                    }),
                    datum_examen: Input::Value(pvt + Duration::days(60)),
                    bron: Input::Value(Bron::Duo),
                    ..ExamenresultaatGegevens::default()
                };
                let mut resultaat = Examenresultaat::nieuw(input, None, reference)
                    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
                resultaat.id = rng.uuid(base_millis + index);
                voeg_resultaat_toe(&mut traject.examenresultaten, resultaat);
            }
            if fase >= 90 && pvt + Duration::days(90) <= today {
                person.status = traject
                    .overgang(
                        person.status,
                        koers_domain::status::Gebeurtenis::Voldaan,
                        pvt + Duration::days(90),
                        None,
                    )
                    .map_err(|e| anyhow::anyhow!("person {index}: {e:?}"))?;
            }
        }
    }
    Ok((person, traject))
}

/// Fills an empty database with `count` synthetic people; returns how many were stored.
pub fn load(store: &DieselStore, count: u64, seed: u64) -> anyhow::Result<u64> {
    if store
        .has_inburgeraars()
        .context("cannot read the database")?
    {
        return Ok(0);
    }
    // A fixed reference moment: the same seed gives the same people whenever it runs.
    let reference = NaiveDate::from_ymd_opt(2026, 11, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .context("reference date")?;
    let started = std::time::Instant::now();
    let mut stored = 0;
    while stored < count {
        let end = (stored + BATCH).min(count);
        let batch = (stored..end)
            .map(|index| person(seed, index, reference))
            .collect::<anyhow::Result<Vec<_>>>()?;
        store
            .bulk_load(&batch)
            .context("cannot store synthetic people")?;
        stored = end;
        let done = stored * 40 / count.max(1);
        eprint!(
            "\r[{}{}] {stored}/{count} ({:.0} s)",
            "#".repeat(done as usize),
            " ".repeat(40 - done as usize),
            started.elapsed().as_secs_f64()
        );
        std::io::stderr().flush().ok();
    }
    eprintln!();
    Ok(stored)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_people() {
        let reference = NaiveDate::from_ymd_opt(2026, 11, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        let a: Vec<_> = (0..200).map(|i| person(7, i, reference).unwrap()).collect();
        let b: Vec<_> = (0..200).map(|i| person(7, i, reference).unwrap()).collect();
        assert_eq!(a, b);
        let other = person(8, 0, reference).unwrap();
        assert_ne!(other.0.id, a[0].0.id);
        let asiel = a
            .iter()
            .filter(|(p, _)| p.doelgroep.is_asielstatushouder())
            .count();
        assert!(
            (80..=160).contains(&asiel),
            "about 60 % asielstatushouders: {asiel}"
        );
        let statuses: BTreeSet<&str> = a.iter().map(|(p, _)| p.status.as_str()).collect();
        for status in [
            "aangemeld",
            "bredeIntake",
            "pipVastgesteld",
            "inTraject",
            "voldaan",
        ] {
            assert!(
                statuses.contains(status),
                "{status} missing from {statuses:?}"
            );
        }
        let gemeenten: BTreeSet<&str> = a.iter().map(|(p, _)| p.gemeente.as_str()).collect();
        assert!(gemeenten.len() > 100);
    }
}
