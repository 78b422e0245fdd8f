//! The outbox: every acknowledged change has its event, written in the change's transaction, and no
//! event exists without its change. Every changing operation of the served contract is exercised here
//! (a new one fails the coverage check until it is added); refused, failed and replayed requests leave
//! no event; events name ids and URLs, never a BSN or a name. The crash test (`crash.rs`) checks the
//! same after SIGKILL.

use crate::api_test;
use crate::helpers::*;
use koers_domain::events::Event;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

const SCOPES: &str = "inburgeraars:lezen inburgeraars:schrijven intake:lezen intake:schrijven \
gezondheid:lezen pip:lezen pip:vaststellen voortgang:aanleveren toestemmingen:beheren audit:lezen beheer \
abonnementen:beheren";

/// One acknowledged change: the operation, its request id and the person it is about, if any.
struct Done {
    operation: &'static str,
    request_id: String,
    person: Option<String>,
    expected: &'static str,
}

struct Scenario<'a> {
    app: &'a TestApp,
    done: Vec<Done>,
}

impl Scenario<'_> {
    /// Sends a change, asserts it was acknowledged, and records the event it must have left.
    #[allow(clippy::too_many_arguments)]
    async fn change(
        &mut self,
        operation: &'static str,
        method: &str,
        url: &str,
        token: &str,
        body: Option<Value>,
        person: Option<&str>,
        expected: &'static str,
    ) -> Value {
        let request = match method {
            "post" => self.app.server().post(url),
            "put" => self.app.server().put(url),
            "patch" => self.app.server().patch(url),
            "delete" => self.app.server().delete(url),
            other => panic!("{other}"),
        };
        let content_type = if method == "patch" {
            "application/merge-patch+json"
        } else {
            "application/json"
        };
        let request = request
            .bearer_auth(token)
            .insert_header(("content-type", content_type));
        let text = body.map(|b| b.to_string());
        let answer = send(request, text.as_deref()).await;
        assert!(
            (200..300).contains(&answer.status),
            "{operation}: {} {}",
            answer.status,
            answer.text
        );
        self.done.push(Done {
            operation,
            request_id: answer.header("x-request-id").unwrap().to_owned(),
            person: person.map(str::to_owned),
            expected,
        });
        answer.body
    }
}

fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

api_test!(
    every_acknowledged_change_has_its_event_and_no_event_is_without_its_change,
    |app: TestApp| async move {
        let token = token(SCOPES, &["0405"]);
        let mut s = Scenario {
            app: &app,
            done: Vec::new(),
        };
        let body = person(92, "0405");
        let (bsn, naam) = (
            body["bsn"].as_str().unwrap().to_owned(),
            body["naam"].as_str().unwrap().to_owned(),
        );
        let first = s
            .change(
                "registreerInburgeraar",
                "post",
                "/api/v1/inburgeraars",
                &token,
                Some(body),
                None,
                "inburgeraar.geregistreerd",
            )
            .await;
        let pid = id(&first);
        s.done.last_mut().unwrap().person = Some(pid.clone());
        let base = format!("/api/v1/inburgeraars/{pid}");
        let p = Some(pid.as_str());
        s.change(
            "wijzigInburgeraar",
            "patch",
            &base,
            &token,
            Some(json!({"naam": "Persoon 92 Gewijzigd"})),
            p,
            "inburgeraar.gewijzigd",
        )
        .await;
        s.change(
            "legBredeIntakeVast",
            "put",
            &format!("{base}/brede-intake"),
            &token,
            Some(json!({"datumStart": "2026-09-20"})),
            p,
            "brede-intake.vastgelegd",
        )
        .await;
        let pip = s
            .change(
                "stelPipOp",
                "post",
                &format!("{base}/pips"),
                &token,
                Some(json!({"leerroute": "B1"})),
                p,
                "pip.aangemaakt",
            )
            .await;
        s.change(
            "stelPipVast",
            "post",
            &format!("{base}/pips/{}/vaststelling", id(&pip)),
            &token,
            Some(json!({"datumDagtekening": "2026-10-01"})),
            p,
            "pip.vastgesteld",
        )
        .await;
        let concept = s
            .change(
                "stelPipOp",
                "post",
                &format!("{base}/pips"),
                &token,
                Some(json!({"leerroute": "B1"})),
                p,
                "pip.aangemaakt",
            )
            .await;
        s.change(
            "verwijderPip",
            "delete",
            &format!("{base}/pips/{}", id(&concept)),
            &token,
            None,
            p,
            "pip.verwijderd",
        )
        .await;
        s.change(
            "registreerOnderdeel",
            "put",
            &format!("{base}/onderdelen/map"),
            &token,
            Some(json!({"datumAfronding": "2026-11-01"})),
            p,
            "onderdeel.gewijzigd",
        )
        .await;
        s.change(
            "legVerlengingVast",
            "post",
            &format!("{base}/verlengingen"),
            &token,
            Some(json!({"maanden": 6, "grond": "Ziekte", "datumBesluit": "2026-11-01"})),
            p,
            "termijn.verlengd",
        )
        .await;
        s.change(
            "legOntzorgingVast",
            "put",
            &format!("{base}/ontzorging"),
            &token,
            Some(json!({"status": "ACTIEF", "uitkeringParticipatiewet": true,
                        "verblijfsvergunningAsiel": true, "datumStart": "2026-10-01",
                        "posten": [
                            {"soort": "HUUR", "begunstigde": "Woningstichting", "bedragPerMaandCent": 65000},
                            {"soort": "ENERGIE", "begunstigde": "Energie", "bedragPerMaandCent": 12000},
                            {"soort": "WATER", "begunstigde": "Water", "bedragPerMaandCent": 2500},
                            {"soort": "ZORGVERZEKERING", "begunstigde": "Zorg", "bedragPerMaandCent": 14000}]})),
            p,
            "ontzorging.gewijzigd",
        )
        .await;
        s.change(
            "legVoortgangsgesprekVast",
            "post",
            &format!("{base}/voortgangsgesprekken"),
            &token,
            Some(json!({"datum": "2026-11-01", "deelnemers": ["TOLK"], "uitkomst": "Goed"})),
            p,
            "voortgangsgesprek.vastgelegd",
        )
        .await;
        s.change(
            "legParticipatieladderMetingVast",
            "post",
            &format!("{base}/participatieladder-metingen"),
            &token,
            Some(json!({"datum": "2026-11-01", "trede": 3})),
            p,
            "participatieladder-meting.vastgelegd",
        )
        .await;

        // Partners: an organisatie, a toestemming, the pushes under it, and its withdrawal.
        let organisatie = s
            .change(
                "registreerOrganisatie",
                "post",
                "/api/v1/organisaties",
                &token,
                Some(json!({"naam": "Taalschool Uit", "soort": "TAALAANBIEDER",
                            "keurmerkNummer": "BOW-7", "keurmerkGeldigTot": "2028-01-01"})),
                None,
                "organisatie.geregistreerd",
            )
            .await;
        let org = id(&organisatie);
        let toestemming = s
            .change(
                "legToestemmingVast",
                "post",
                "/api/v1/toestemmingen",
                &token,
                Some(json!({"inburgeraarId": pid, "organisatieId": org, "grondslag": "PUBLIEKE_TAAK",
                            "doelen": ["TAALONDERWIJS"], "gegevenscategorieen": ["VOORTGANG", "EXAMENRESULTATEN"],
                            "geldigVan": "2026-01-01", "bewijs": {"kanaal": "DIGITAAL", "taalKennisgeving": "nl"}})),
                p,
                "toestemming.vastgelegd",
            )
            .await;
        let mut claims = claims("voortgang:aanleveren", &[]);
        claims.organisatie = Some(org.clone());
        let partner = sign_hs256(&claims, SECRET);
        s.change(
            "leverInschrijvingAan",
            "post",
            "/api/v1/inschrijvingen",
            &partner,
            Some(
                json!({"inburgeraarId": pid, "soort": "CURSUS", "omschrijving": "B1 intensief",
                        "datumStart": "2026-10-05", "urenPerWeek": 8}),
            ),
            p,
            "inschrijving.aangeleverd",
        )
        .await;
        s.change(
            "leverGevolgdeUrenAan",
            "post",
            "/api/v1/gevolgde-uren",
            &partner,
            Some(json!({"inburgeraarId": pid, "maand": "2026-10", "lesuren": 40})),
            p,
            "gevolgde-uren.aangeleverd",
        )
        .await;
        let resultaat = |uitslag: &str| {
            json!({"inburgeraarId": pid, "onderdeel": "LEZEN", "niveau": "B1", "uitslag": uitslag,
                   "datumExamen": "2026-10-14", "bron": "AANBIEDER"})
        };
        s.change(
            "leverExamenresultaatAan",
            "post",
            "/api/v1/examenresultaten",
            &partner,
            Some(resultaat("GEZAKT")),
            p,
            "examenresultaat.aangeleverd",
        )
        .await;
        // A bulk call stores each person's part as one change: one event per person.
        s.change(
            "leverExamenresultatenAanInBulk",
            "post",
            "/api/v1/examenresultaten/_bulk",
            &partner,
            Some(json!({"resultaten": [resultaat("GESLAAGD"), resultaat("GESLAAGD")]})),
            p,
            "examenresultaat.aangeleverd",
        )
        .await;
        s.change(
            "trekToestemmingIn",
            "post",
            &format!("/api/v1/toestemmingen/{}/intrekking", id(&toestemming)),
            &token,
            Some(json!({"toelichting": "Cursus gestopt"})),
            p,
            "toestemming.ingetrokken",
        )
        .await;
        s.change(
            "wijzigOrganisatie",
            "patch",
            &format!("/api/v1/organisaties/{org}"),
            &token,
            Some(json!({"actief": false})),
            None,
            "organisatie.gewijzigd",
        )
        .await;
        s.change(
            "legGemeenteInstellingenVast",
            "put",
            "/api/v1/gemeenten/0405/instellingen",
            &token,
            Some(json!({"gesprekCadansMaanden": 3})),
            None,
            "gemeente-instellingen.gewijzigd",
        )
        .await;
        let abonnement = s
            .change(
                "maakAbonnement",
                "post",
                "/api/v1/abonnementen",
                &token,
                Some(json!({"callbackUrl": "http://127.0.0.1:9/koers", "soorten": ["pip.vastgesteld"]})),
                None,
                "abonnement.aangemaakt",
            )
            .await;
        let abonnement = format!("/api/v1/abonnementen/{}", id(&abonnement));
        s.change(
            "wijzigAbonnement",
            "patch",
            &abonnement,
            &token,
            Some(json!({"status": "opgeschort"})),
            None,
            "abonnement.gewijzigd",
        )
        .await;
        s.change(
            "herhaalAfleveringen",
            "post",
            &format!("{abonnement}/herhaling"),
            &token,
            Some(json!({"vanafVolgnummer": 1})),
            None,
            "abonnement.gewijzigd",
        )
        .await;
        s.change(
            "vernieuwGeheim",
            "post",
            &format!("{abonnement}/geheim-vernieuwing"),
            &token,
            Some(json!({"overgangUren": 2})),
            None,
            "abonnement.gewijzigd",
        )
        .await;
        s.change(
            "zegAbonnementOp",
            "delete",
            &abonnement,
            &token,
            None,
            None,
            "abonnement.verwijderd",
        )
        .await;

        // Besluiten and a status change, on people of their own (each moves the status).
        for (n, operation, sub, body, expected) in [
            (
                94,
                "legOntheffingVast",
                "ontheffingen",
                json!({"code": "MED", "omvang": "GEHEEL", "datumBesluit": "2026-11-01"}),
                "ontheffing.verleend",
            ),
            (
                96,
                "legVrijstellingVast",
                "vrijstellingen",
                json!({"code": "AVI", "datumBesluit": "2026-11-01"}),
                "vrijstelling.verleend",
            ),
            (
                98,
                "legStatuswijzigingVast",
                "statuswijzigingen",
                json!({"gebeurtenis": "beeindigd", "datum": "2026-11-01", "reden": "NATURALISATIE"}),
                "inburgeraar.status-gewijzigd",
            ),
        ] {
            let other = s
                .change(
                    "registreerInburgeraar",
                    "post",
                    "/api/v1/inburgeraars",
                    &token,
                    Some(person(n, "0405")),
                    None,
                    "inburgeraar.geregistreerd",
                )
                .await;
            let oid = id(&other);
            s.done.last_mut().unwrap().person = Some(oid.clone());
            s.change(
                operation,
                "post",
                &format!("/api/v1/inburgeraars/{oid}/{sub}"),
                &token,
                Some(body),
                Some(&oid),
                expected,
            )
            .await;
        }

        // Every changing operation of the contract was exercised (searching is a read).
        let spec = app.get("/api/v1/openapi.json", "").await.body;
        let mut changing = BTreeSet::new();
        for item in spec["paths"].as_object().unwrap().values() {
            for (method, operation) in item.as_object().unwrap() {
                let name = operation["operationId"].as_str().unwrap_or_default();
                if ["post", "put", "patch", "delete"].contains(&method.as_str())
                    && name != "zoekInburgeraarOpIdentificatie"
                {
                    changing.insert(name.to_owned());
                }
            }
        }
        let covered: BTreeSet<String> = s.done.iter().map(|d| d.operation.to_owned()).collect();
        assert_eq!(covered, changing, "every changing operation is exercised");

        // Requests that change nothing leave no event: refused, not found, and a replay.
        let before = app.events().await.len();
        let refused = app
            .post("/api/v1/inburgeraars", &token, &json!({"naam": 5}))
            .await;
        assert_eq!(refused.status, 400);
        let missing = app
            .post(
                &format!("{base}/pips/{}/vaststelling", uuid::Uuid::now_v7()),
                &token,
                &json!({"datumDagtekening": "2026-10-01"}),
            )
            .await;
        assert_eq!(missing.status, 404);
        let keyed = || {
            app.server()
                .post(format!("{base}/voortgangsgesprekken"))
                .bearer_auth(&token)
                .insert_header(("content-type", "application/json"))
                .insert_header(("idempotency-key", "gesprek-1"))
        };
        let gesprek =
            json!({"datum": "2026-11-02", "deelnemers": ["TOLK"], "uitkomst": "Goed"}).to_string();
        let once = send(keyed(), Some(&gesprek)).await;
        assert_eq!(once.status, 201, "{}", once.text);
        let again = send(keyed(), Some(&gesprek)).await;
        assert_eq!(again.status, 201);
        let after = app.events().await;
        assert_eq!(
            after.len(),
            before + 1,
            "only the first keyed request changed anything"
        );
        s.done.push(Done {
            operation: "legVoortgangsgesprekVast",
            request_id: once.header("x-request-id").unwrap().to_owned(),
            person: Some(pid.clone()),
            expected: "voortgangsgesprek.vastgelegd",
        });

        // Each acknowledged change has exactly its own event (and one for a status it moved); each
        // event belongs to an acknowledged change.
        let events = after;
        let mut by_request: BTreeMap<&str, Vec<&Event>> = BTreeMap::new();
        for event in &events {
            by_request.entry(&event.request_id).or_default().push(event);
        }
        let acknowledged: BTreeSet<&str> = s.done.iter().map(|d| d.request_id.as_str()).collect();
        let orphans: Vec<&str> = by_request
            .keys()
            .filter(|r| !acknowledged.contains(*r))
            .copied()
            .collect();
        assert!(
            orphans.is_empty(),
            "events without an acknowledged change: {orphans:?}"
        );
        for done in &s.done {
            let own = by_request
                .get(done.request_id.as_str())
                .unwrap_or_else(|| panic!("{} left no event", done.operation));
            let kinds: Vec<&str> = own.iter().map(|e| e.kind.as_str()).collect();
            assert_eq!(kinds[0], done.expected, "{}", done.operation);
            assert!(
                kinds.len() == 1
                    || (kinds.len() == 2 && kinds[1] == "inburgeraar.status-gewijzigd"),
                "{}: {kinds:?}",
                done.operation
            );
            for event in own {
                assert_eq!(
                    event.inburgeraar_id.map(|i| i.to_string()),
                    done.person,
                    "{}",
                    done.operation
                );
                assert!(event.url.starts_with("/api/v1/"), "{}", event.url);
            }
        }
        // A status change is announced exactly when the status moved.
        let statuses = by_request
            .values()
            .flatten()
            .filter(|e| e.kind.as_str() == "inburgeraar.status-gewijzigd")
            .count();
        assert!(
            statuses >= 4,
            "the fixed PIP and the three besluiten move a status: {statuses}"
        );

        // The sequence rises, ids are unique; events are thin and point at the contract's resources.
        assert!(events.windows(2).all(|w| w[0].volgnummer < w[1].volgnummer));
        let ids: BTreeSet<_> = events.iter().map(|e| e.id).collect();
        assert_eq!(ids.len(), events.len());
        let paths: Vec<String> = spec["paths"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, item)| item.get("get").is_some())
            .map(|(path, _)| format!("/api/v1{path}"))
            .collect();
        for event in &events {
            let text = format!("{event:?}");
            assert!(!text.contains(&bsn) && !text.contains(&naam), "{text}");
            assert!(
                paths.iter().any(|path| matches_template(path, &event.url)),
                "{} is no resource of the contract",
                event.url
            );
            if event.inburgeraar_id.is_some() {
                assert_eq!(event.gemeente.as_ref().map(|g| g.as_str()), Some("0405"));
            }
        }
        // What a partner pushed names the partner; what the gemeente did names no organisatie.
        for event in &events {
            let pushed = event.kind.as_str().ends_with(".aangeleverd");
            assert_eq!(
                event.organisatie_id.as_deref(),
                pushed.then_some(org.as_str()),
                "{}",
                event.kind.as_str()
            );
        }
        // The URL of what a change created is the created resource.
        let pip_event = events
            .iter()
            .find(|e| e.kind.as_str() == "pip.aangemaakt")
            .unwrap();
        assert_eq!(pip_event.url, format!("{base}/pips/{}", id(&pip)));
    }
);

/// Whether `url` is an instance of the path template `template` (`{name}` matches one segment).
fn matches_template(template: &str, url: &str) -> bool {
    let (t, u): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), url.split('/').collect());
    t.len() == u.len()
        && t.iter()
            .zip(&u)
            .all(|(t, u)| (t.starts_with('{') && !u.is_empty()) || t == u)
}
