//! Isolation, driven by the served contract: every operation with a path parameter, called by another
//! gemeente and by a partner without a covering toestemming on ids that exist, answers exactly as it
//! does for ids that do not exist (status and body, apart from `instance`), and writes nothing: no
//! audit entry, no processing-log line, no change. A new operation is covered without anyone adding
//! it; one that needs a body fails here until it is given one.

use crate::api_test;
use crate::helpers::*;
use crate::idempotentie::{audit_count, grant, new_person, organisatie, SCOPES};
use serde_json::{json, Value};

/// A valid body for an operation with a path parameter that takes one.
fn body(operation: &str) -> Option<Value> {
    Some(match operation {
        "wijzigInburgeraar" => json!({"naam": "Andere Naam"}),
        "legBredeIntakeVast" => json!({"datumStart": "2026-09-20"}),
        "registreerOnderdeel" => json!({"datumAfronding": "2026-10-01"}),
        "legOntzorgingVast" => json!({
            "status": "ACTIEF", "uitkeringParticipatiewet": true, "verblijfsvergunningAsiel": true,
            "datumStart": "2026-10-01",
            "posten": [
                {"soort": "HUUR", "begunstigde": "Woningstichting", "bedragPerMaandCent": 65000},
                {"soort": "ENERGIE", "begunstigde": "Energie BV", "bedragPerMaandCent": 12000},
                {"soort": "WATER", "begunstigde": "Waterbedrijf", "bedragPerMaandCent": 2500},
                {"soort": "ZORGVERZEKERING", "begunstigde": "Zorgverzekeraar", "bedragPerMaandCent": 14000}
            ]
        }),
        "legGemeenteInstellingenVast" => json!({"ontzorgenMaanden": 12}),
        "stelPipOp" => json!({"leerroute": "B1"}),
        "stelPipVast" => json!({"datumDagtekening": "2026-09-20"}),
        "legVerlengingVast" => {
            json!({"maanden": 6, "grond": "Niet verwijtbaar", "datumBesluit": "2026-10-01"})
        }
        "legOntheffingVast" => {
            json!({"code": "MED", "omvang": "GEHEEL", "datumBesluit": "2026-10-01"})
        }
        "legVrijstellingVast" => json!({"code": "AVI", "datumBesluit": "2026-10-01"}),
        "legStatuswijzigingVast" => {
            json!({"gebeurtenis": "beeindigd", "datum": "2026-10-01", "reden": "NATURALISATIE"})
        }
        "legVoortgangsgesprekVast" => {
            json!({"datum": "2026-11-10", "deelnemers": ["KLANTMANAGER"], "uitkomst": "Loopt."})
        }
        "legParticipatieladderMetingVast" => json!({"datum": "2026-11-01", "trede": 3}),
        "trekToestemmingIn" => json!({"toelichting": "Op verzoek."}),
        "wijzigOrganisatie" => json!({"actief": false}),
        "wijzigAbonnement" => json!({"status": "opgeschort"}),
        "herhaalAfleveringen" => json!({"vanafVolgnummer": 1}),
        "vernieuwGeheim" => json!({"overgangUren": 24}),
        _ => return None,
    })
}

/// The value of a path parameter: of the owner's world, or one that exists nowhere.
fn value(name: &str, world: &World, existing: bool) -> String {
    let random = || uuid::Uuid::new_v4().to_string();
    match (name, existing) {
        ("inburgeraarId", true) => world.person.clone(),
        ("pipId", true) => world.pip.clone(),
        ("toestemmingId", true) => world.toestemming.clone(),
        ("organisatieId", true) => world.organisatie.clone(),
        ("abonnementId", true) => world.abonnement.clone(),
        ("gemeentecode", true) => "0405".to_owned(),
        ("gemeentecode", false) => "9999".to_owned(),
        ("onderdeel", _) => "pvt".to_owned(),
        (_, false) => random(),
        (other, true) => {
            panic!("no existing value for path parameter {other}: add it to tests/api/isolatie.rs")
        }
    }
}

struct World {
    person: String,
    pip: String,
    toestemming: String,
    organisatie: String,
    abonnement: String,
}

fn strip(mut body: Value) -> Value {
    if let Some(object) = body.as_object_mut() {
        object.remove("instance");
    }
    body
}

async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    token: &str,
    body: Option<&Value>,
) -> Answer {
    let method = awc::http::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
    let content_type = if method == awc::http::Method::PATCH {
        "application/merge-patch+json"
    } else {
        "application/json"
    };
    let request = app
        .server()
        .request(method, app.server().url(path))
        .bearer_auth(token)
        .insert_header(("content-type", content_type));
    app.send(request, body.map(Value::to_string).as_deref())
        .await
}

/// What the owner sees of its world: the audit trail's length, the toestemming, and how many
/// processing-log lines name a client other than the owner.
async fn snapshot(app: &TestApp, owner: &str, world: &World) -> (usize, Value, usize) {
    let toestemming = app
        .get(
            &format!("/api/v1/toestemmingen/{}", world.toestemming),
            owner,
        )
        .await
        .body;
    let log = app
        .get(
            &format!(
                "/api/v1/inburgeraars/{}/verwerkingen?pageSize=100",
                world.person
            ),
            owner,
        )
        .await
        .body;
    let foreign = log["resultaten"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|line| line["client"] != "test-client")
        .count();
    (
        audit_count(app, owner, &world.person).await,
        toestemming,
        foreign,
    )
}

api_test!(
    no_operation_reveals_or_changes_what_a_caller_may_not_see,
    |app: TestApp| async move {
        let owner = token(SCOPES, &["0405"]);
        let organisatie_id = organisatie(&app, &owner).await;
        let person = new_person(&app, &owner, 1).await;
        let pip = app
            .post(
                &format!("/api/v1/inburgeraars/{person}/pips"),
                &owner,
                &json!({"leerroute": "B1"}),
            )
            .await;
        assert_eq!(pip.status, 201, "{}", pip.text);
        let abonnement = app
            .post(
                "/api/v1/abonnementen",
                &owner,
                &json!({"callbackUrl": "http://localhost:9/koers"}),
            )
            .await;
        assert_eq!(abonnement.status, 201, "{}", abonnement.text);
        let world = World {
            abonnement: abonnement.body["id"].as_str().unwrap().to_owned(),
            toestemming: grant(&app, &owner, &person, &organisatie_id).await,
            pip: pip.body["id"].as_str().unwrap().to_owned(),
            organisatie: organisatie_id,
            person,
        };
        // Another gemeente with every scope, and a registered partner that no toestemming covers.
        let mut other = claims(SCOPES, &["0855"]);
        other.sub = "andere-gemeente".to_owned();
        let other = sign_hs256(&other, SECRET);
        let uncovered = organisatie(&app, &owner).await;
        let mut partner = claims(SCOPES, &[]);
        partner.sub = "partner-zonder-dekking".to_owned();
        partner.organisatie = Some(uncovered);
        let partner = sign_hs256(&partner, SECRET);

        let before = snapshot(&app, &owner, &world).await;
        let spec = app.get("/api/v1/openapi.json", "").await.body;
        let mut checked = 0;
        for (template, item) in spec["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let Some(parameters) = operation["parameters"].as_array() else {
                    continue;
                };
                let names: Vec<&str> = parameters
                    .iter()
                    .filter(|p| p["in"] == "path")
                    .map(|p| p["name"].as_str().unwrap())
                    .collect();
                if names.is_empty() {
                    continue;
                }
                let id = operation["operationId"].as_str().unwrap();
                let body = if operation.get("requestBody").is_some() {
                    Some(body(id).unwrap_or_else(|| {
                        panic!("no body for {id}: add a valid one to tests/api/isolatie.rs")
                    }))
                } else {
                    None
                };
                let url = |existing: bool| {
                    let mut path = format!("/api/v1{template}");
                    for name in &names {
                        path = path.replace(&format!("{{{name}}}"), &value(name, &world, existing));
                    }
                    path
                };
                // Organisaties are the shared register of partners, no one's personal data: every
                // client with `beheer` reads and manages them, whichever gemeente it acts for.
                if names.contains(&"organisatieId") {
                    continue;
                }
                for (caller, token) in [
                    ("another gemeente", &other),
                    ("an uncovered partner", &partner),
                ] {
                    let missing = call(&app, method, &url(false), token, body.as_ref()).await;
                    let existing = call(&app, method, &url(true), token, body.as_ref()).await;
                    assert_eq!(
                        (existing.status, strip(existing.body.clone())),
                        (missing.status, strip(missing.body.clone())),
                        "{method} {template} as {caller}: existing ids answer like missing ones"
                    );
                    assert_eq!(existing.header("etag"), None, "{id} as {caller}");
                    if caller == "another gemeente" {
                        assert_eq!(
                            missing.status, 404,
                            "{method} {template}: a valid request on a missing id is 404: {}",
                            missing.text
                        );
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked >= 40, "only {checked} calls checked");
        assert_eq!(
            snapshot(&app, &owner, &world).await,
            before,
            "nothing was written about the owner's person"
        );
        let still = app
            .get(
                &format!("/api/v1/abonnementen/{}", world.abonnement),
                &owner,
            )
            .await;
        assert_eq!(
            still.body["status"], "actief",
            "the owner's abonnement is untouched"
        );
    }
);
