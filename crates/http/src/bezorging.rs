//! The delivery of events to abonnementen, running in every node: tasks that claim an abonnement with
//! events due, deliver them one by one in order (each marked delivered only after a 2xx, in the
//! database), and after a failure plan the next attempt by the retry schedule, or suspend the
//! abonnement when the schedule is spent. What is shared lives in the database: a node that stops
//! loses nothing, and another takes over when its claim runs out.

use crate::aflevering::Afleverclient;
use chrono::{NaiveDateTime, TimeDelta, Utc};
use koers_domain::abonnement::Herhaalschema;
use koers_domain::ports::{Aflevering, Bezorgd, Bezorging, Store, StoreError};
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

/// How a node delivers.
#[derive(Debug, Clone)]
pub struct Bezorginstellingen {
    /// This node's name in claims (unique per process).
    pub node: String,
    /// How many abonnementen this node delivers at once.
    pub taken: usize,
    /// At most this many events per claim.
    pub batch: usize,
    /// How long to wait before looking again when nothing is due.
    pub wacht: Duration,
    /// How long a claim lasts without news from its node (renewed with every attempt).
    pub claim: Duration,
    pub schema: Herhaalschema,
}

/// Starts this node's delivery tasks on the running actix system.
pub fn start(
    store: Arc<dyn Store>,
    client: Arc<Afleverclient>,
    instellingen: Bezorginstellingen,
) -> Vec<actix_web::rt::task::JoinHandle<()>> {
    (0..instellingen.taken.max(1))
        .map(|_| {
            let (store, client, instellingen) = (
                Arc::clone(&store),
                Arc::clone(&client),
                instellingen.clone(),
            );
            actix_web::rt::spawn(async move { taak(store, client, instellingen).await })
        })
        .collect()
}

fn nu() -> NaiveDateTime {
    Utc::now().naive_utc()
}

fn plus(t: NaiveDateTime, d: Duration) -> NaiveDateTime {
    t + TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX)
}

/// A number in [0, 1) from the operating system's randomness (the jitter of the retry schedule).
fn toeval() -> f64 {
    let bytes = Uuid::new_v4().into_bytes();
    let mut first = [0u8; 8];
    first.copy_from_slice(&bytes[..8]);
    (u64::from_le_bytes(first) >> 11) as f64 / (1u64 << 53) as f64
}

async fn blocking<T: Send + 'static>(
    store: &Arc<dyn Store>,
    work: impl FnOnce(&dyn Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    let store = Arc::clone(store);
    actix_web::rt::task::spawn_blocking(move || work(store.as_ref()))
        .await
        .map_err(|e| StoreError::internal(format!("delivery task: {e}")))?
}

async fn taak(store: Arc<dyn Store>, client: Arc<Afleverclient>, instellingen: Bezorginstellingen) {
    loop {
        let (node, batch, claim) = (
            instellingen.node.clone(),
            instellingen.batch,
            instellingen.claim,
        );
        let now = nu();
        let geclaimd = blocking(&store, move |store| {
            store.claim_bezorging(&node, now, plus(now, claim), batch)
        })
        .await;
        match geclaimd {
            Ok(Some(bezorging)) => {
                if let Err(error) = bezorg(&store, &client, &instellingen, bezorging).await {
                    tracing::warn!(error = %error, "delivery interrupted; the claim runs out and it is taken up again");
                    actix_web::rt::time::sleep(instellingen.wacht).await;
                }
            }
            Ok(None) => actix_web::rt::time::sleep(instellingen.wacht).await,
            Err(error) => {
                tracing::warn!(error = %error, "claiming a delivery failed");
                actix_web::rt::time::sleep(instellingen.wacht).await;
            }
        }
    }
}

/// Delivers a claimed abonnement's events in order until one fails or all are done.
async fn bezorg(
    store: &Arc<dyn Store>,
    client: &Afleverclient,
    instellingen: &Bezorginstellingen,
    bezorging: Bezorging,
) -> Result<(), StoreError> {
    let Bezorging {
        abonnement,
        geheimen,
        events,
    } = bezorging;
    let mut positie = abonnement.positie;
    let mut einde = None;
    for uitgaand in events {
        let event = &uitgaand.event;
        if !uitgaand.gaat {
            positie = event.volgnummer;
            continue;
        }
        let tijdstip = nu();
        let afgeleverd = client
            .afleveren(&abonnement.callback_url, &geheimen, event)
            .await;
        let aflevering = Aflevering {
            id: Uuid::now_v7(),
            abonnement_id: abonnement.id,
            volgnummer: event.volgnummer,
            gebeurtenis_id: event.id,
            tijdstip,
            statuscode: afgeleverd.statuscode,
            fout: afgeleverd.fout.clone(),
            duur_ms: u32::try_from(afgeleverd.duur.as_millis()).unwrap_or(u32::MAX),
            geslaagd: afgeleverd.geslaagd(),
        };
        let (node, tot) = (instellingen.node.clone(), plus(nu(), instellingen.claim));
        let (vastgelegd, door, uit) = (
            aflevering.clone(),
            abonnement.bevoegdheid.clone(),
            uitgaand.clone(),
        );
        blocking(store, move |store| {
            store.vastleggen_aflevering(&node, &vastgelegd, tot, &door, &uit)
        })
        .await?;
        if aflevering.geslaagd {
            positie = event.volgnummer;
            continue;
        }
        let mislukt = abonnement.pogingen.saturating_add(1);
        let volgende_poging = instellingen
            .schema
            .wachttijd(mislukt, toeval())
            .map(|wacht| nu() + wacht);
        let fout = afgeleverd.fout.unwrap_or_else(|| {
            format!(
                "status {}",
                afgeleverd
                    .statuscode
                    .map_or("-".to_owned(), |c| c.to_string())
            )
        });
        if volgende_poging.is_none() {
            tracing::warn!(abonnement = %abonnement.id, "deliveries kept failing: abonnement opgeschort");
        }
        einde = Some(Bezorgd::Mislukt {
            positie,
            volgende_poging,
            fout,
        });
        break;
    }
    let bezorgd = einde.unwrap_or(Bezorgd::Tot { positie });
    let (node, id) = (instellingen.node.clone(), abonnement.id);
    blocking(store, move |store| {
        store.einde_bezorging(&node, id, &bezorgd, nu())
    })
    .await
}

/// Starts the removal of events older than `bewaartermijn` from the outbox, once at start and then
/// every `interval`. Every node may run it: a delete is the same whoever runs it.
pub fn start_opruimen(
    store: Arc<dyn Store>,
    bewaartermijn: TimeDelta,
    interval: Duration,
) -> actix_web::rt::task::JoinHandle<()> {
    actix_web::rt::spawn(async move {
        loop {
            let voor = nu() - bewaartermijn;
            match blocking(&store, move |store| store.ruim_gebeurtenissen_op(voor)).await {
                Ok(0) => {}
                Ok(weg) => tracing::info!(weg, %voor, "events past their keeping time removed"),
                Err(error) => tracing::warn!(error = %error, "removing old events failed"),
            }
            actix_web::rt::time::sleep(interval).await;
        }
    })
}
