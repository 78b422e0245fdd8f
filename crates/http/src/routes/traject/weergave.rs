//! The answers to the commands on a trajectory, in the API's representation: what the domain's
//! [`Resultaat`] of a command looks like to the caller, and under which status and location.

use super::dto::{BesluitDto, PipDto, VerlengingDto};
use super::gesprekken::VoortgangsgesprekDto;
use super::json;
use crate::routes::voortgang::dto::{ExamenresultaatDto, GevolgdeUrenDto, InschrijvingDto};
use koers_domain::commando::{Resultaat, Weergave};
use koers_domain::events::{person_url, pip_url, EventKind};
use koers_domain::inburgeraar::Inburgeraar;
use koers_domain::records::Antwoord;
use koers_domain::traject::Traject;
use serde::Serialize;

/// The API's answers to trajectory commands.
pub struct Antwoorden;

impl Weergave for Antwoorden {
    fn antwoord(&self, person: &Inburgeraar, traject: &Traject, resultaat: &Resultaat) -> Antwoord {
        match resultaat {
            // A `PUT` or `DELETE` answers from the trajectory after it (and stores no answer).
            Resultaat::Traject => Antwoord::ok(serde_json::Value::Null),
            Resultaat::NieuwePip(pip) => {
                Antwoord::created(pip_url(person.id, pip.id), json(&PipDto::from(pip)))
            }
            Resultaat::VastgesteldePip(pip) => Antwoord::ok(json(&PipDto::from(pip))),
            Resultaat::Verlenging(verlenging) => {
                Antwoord::created_here(json(&VerlengingDto::from(verlenging)))
            }
            Resultaat::Besluit(besluit) => Antwoord::created_here(json(&BesluitDto::from(besluit))),
            Resultaat::Status(status) => Antwoord::created_here(json(
                &super::statuswijzigingen::overzicht(*status, traject, None),
            )),
            Resultaat::Gesprek(gesprek) => {
                Antwoord::created_here(json(&VoortgangsgesprekDto::from(gesprek)))
            }
            Resultaat::Meting(meting) => {
                Antwoord::created_here(json(&super::participatieladder::antwoord(traject, meting)))
            }
            Resultaat::Inschrijving { kept, vervangen } => {
                let dagtekening = traject.actuele_pip().and_then(|p| p.datum_dagtekening);
                let dto = InschrijvingDto::from_domain(kept, dagtekening);
                created_or_replaced(&dto, vervangen.is_some())
            }
            Resultaat::GevolgdeUren { kept, vervangen } => {
                created_or_replaced(&GevolgdeUrenDto::from(kept), vervangen.is_some())
            }
            Resultaat::Examenresultaat(resultaat) => Antwoord::created(
                person_url(EventKind::ExamenresultaatAangeleverd, person.id),
                json(&ExamenresultaatDto::from_domain(person.id.0, resultaat)),
            ),
            Resultaat::Examenresultaten(resultaten) => {
                let dtos: Vec<ExamenresultaatDto> = resultaten
                    .iter()
                    .map(|r| ExamenresultaatDto::from_domain(person.id.0, r))
                    .collect();
                Antwoord::created_here(json(&dtos))
            }
        }
    }
}

/// The answer to a push that may replace an earlier one: 201 for a new item, 200 for one that replaced
/// (and so updated) an existing one.
fn created_or_replaced<T: Serialize>(item: &T, replaced: bool) -> Antwoord {
    if replaced {
        Antwoord::ok(json(item))
    } else {
        Antwoord::created_here(json(item))
    }
}
