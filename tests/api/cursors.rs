//! Cursors are signed and bound to the list and the filter they were made for: following the `Link`
//! pages through everything once; a cursor used on another list, with another filter, on another
//! person's history, tampered with or made by hand is a 400 naming `cursor`.

use crate::api_test;
use crate::helpers::*;
use crate::idempotentie::gemeente_token;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// The `cursor` of a next-page URL.
fn cursor_of(next: &str) -> String {
    next.split(['?', '&'])
        .find_map(|pair| pair.strip_prefix("cursor="))
        .unwrap()
        .to_owned()
}

fn refused(answer: &Answer) {
    answer.assert_problem(400);
    assert_eq!(answer.invalid_names(), ["cursor"], "{}", answer.text);
}

api_test!(
    cursors_work_only_where_they_were_made,
    |app: TestApp| async move {
        let hoorn = gemeente_token(&["0405", "0498"]);
        let mut ids = Vec::new();
        for n in 0..5 {
            let gemeente = if n < 3 { "0405" } else { "0498" };
            let created = app.register(&hoorn, &person(n, gemeente)).await;
            ids.push(created["id"].as_str().unwrap().to_owned());
        }
        // Following the pages gives every person once.
        let mut seen = Vec::new();
        let mut url = "/api/v1/inburgeraars?pageSize=2".to_owned();
        let mut first_next = None;
        loop {
            let page = app.get(&url, &hoorn).await;
            assert_eq!(page.status, 200, "{}", page.text);
            for item in page.body["resultaten"].as_array().unwrap() {
                seen.push(item["id"].as_str().unwrap().to_owned());
            }
            match page.body["volgendePagina"].as_str() {
                Some(next) => {
                    assert!(page.header("link").unwrap().contains(next));
                    first_next.get_or_insert_with(|| next.to_owned());
                    url = next.to_owned();
                }
                None => break,
            }
        }
        seen.sort();
        ids.sort();
        assert_eq!(seen, ids);
        let cursor = cursor_of(&first_next.unwrap());
        // Another page size is fine: it is no filter.
        let resized = app
            .get(
                &format!("/api/v1/inburgeraars?pageSize=3&cursor={cursor}"),
                &hoorn,
            )
            .await;
        assert_eq!(resized.status, 200, "{}", resized.text);

        // Another filter, another list: refused.
        refused(
            &app.get(
                &format!("/api/v1/inburgeraars?pageSize=2&gemeente=0405&cursor={cursor}"),
                &hoorn,
            )
            .await,
        );
        refused(
            &app.get(&format!("/api/v1/signaleringen?cursor={cursor}"), &hoorn)
                .await,
        );
        refused(
            &app.get(&format!("/api/v1/organisaties?cursor={cursor}"), &hoorn)
                .await,
        );
        // Tampered, or made by hand from a real position.
        let (position, tag) = cursor.split_once('.').unwrap();
        let mut bytes = URL_SAFE_NO_PAD.decode(tag).unwrap();
        bytes[0] ^= 1;
        let tampered = format!("{position}.{}", URL_SAFE_NO_PAD.encode(&bytes));
        refused(
            &app.get(
                &format!("/api/v1/inburgeraars?pageSize=2&cursor={tampered}"),
                &hoorn,
            )
            .await,
        );
        let forged = URL_SAFE_NO_PAD.encode(ids[0].as_bytes());
        refused(
            &app.get(
                &format!("/api/v1/inburgeraars?pageSize=2&cursor={forged}"),
                &hoorn,
            )
            .await,
        );
        refused(
            &app.get(
                &format!("/api/v1/inburgeraars?pageSize=2&cursor={position}."),
                &hoorn,
            )
            .await,
        );

        // One person's audit trail cursor does not page another person's.
        for id in &ids[..2] {
            for n in 0..3 {
                let patch = serde_json::json!({"naam": format!("Naam {n}")});
                let url = format!("/api/v1/inburgeraars/{id}");
                let current = app.get(&url, &hoorn).await;
                let etag = current.header("etag").map(str::to_owned);
                assert_eq!(
                    app.patch(&url, &hoorn, &patch, etag.as_deref())
                        .await
                        .status,
                    200
                );
            }
        }
        let trail = app
            .get(
                &format!("/api/v1/inburgeraars/{}/audittrail?pageSize=1", ids[0]),
                &hoorn,
            )
            .await;
        let cursor = cursor_of(trail.body["volgendePagina"].as_str().unwrap());
        let own = app
            .get(
                &format!(
                    "/api/v1/inburgeraars/{}/audittrail?pageSize=1&cursor={cursor}",
                    ids[0]
                ),
                &hoorn,
            )
            .await;
        assert_eq!(own.status, 200, "{}", own.text);
        refused(
            &app.get(
                &format!(
                    "/api/v1/inburgeraars/{}/audittrail?pageSize=1&cursor={cursor}",
                    ids[1]
                ),
                &hoorn,
            )
            .await,
        );
    }
);

api_test!(
    a_worklist_cursor_pages_no_other_list,
    |app: TestApp| async move {
        let hoorn = gemeente_token(&["0405"]);
        // Two asielstatushouders notified 80 days ago without a PIP: two overdue signaleringen.
        let notified = chrono::Utc::now()
            .date_naive()
            .checked_sub_days(chrono::Days::new(80))
            .unwrap()
            .format("%Y-%m-%d")
            .to_string();
        for n in [20, 22] {
            let mut body = person(n, "0405");
            body["datumKennisgeving"] = serde_json::json!(notified);
            body["datumVestiging"] = serde_json::Value::Null;
            app.register(&hoorn, &body).await;
        }
        let first = app.get("/api/v1/signaleringen?pageSize=1", &hoorn).await;
        assert_eq!(first.status, 200, "{}", first.text);
        let next = first.body["volgendePagina"].as_str().unwrap().to_owned();
        let cursor = cursor_of(&next);
        let second = app.get(&next, &hoorn).await;
        assert_eq!(second.status, 200, "{}", second.text);
        assert_eq!(second.body["resultaten"].as_array().unwrap().len(), 1);
        assert_ne!(
            second.body["resultaten"][0], first.body["resultaten"][0],
            "the second page is another signalering"
        );
        refused(
            &app.get(
                &format!("/api/v1/inburgeraars?pageSize=1&cursor={cursor}"),
                &hoorn,
            )
            .await,
        );
        // The same cursor with another filter of the worklist is refused too.
        refused(
            &app.get(
                &format!("/api/v1/signaleringen?pageSize=1&soort=PIP_TERMIJN&cursor={cursor}"),
                &hoorn,
            )
            .await,
        );
    }
);

api_test!(
    a_nul_in_a_query_names_the_parameter,
    |app: TestApp| async move {
        let hoorn = gemeente_token(&["0405"]);
        for (url, name) in [
            ("/api/v1/inburgeraars?gemeente=0405%00", "gemeente"),
            ("/api/v1/inburgeraars?pageSize=2&cursor=%00", "cursor"),
            ("/api/v1/signaleringen?soort=%00PIP_TERMIJN", "soort"),
            ("/api/v1/organisaties?pageSize=1%00", "pageSize"),
        ] {
            let refused = app.get(url, &hoorn).await;
            refused.assert_problem(400);
            assert_eq!(refused.invalid_names(), [name], "{url}: {}", refused.text);
            assert_eq!(refused.body["invalidParams"][0]["code"], "tekens");
        }
        // A NUL in a key names the key, made readable.
        let key = app
            .get("/api/v1/inburgeraars?gemeente%00=0405", &hoorn)
            .await;
        key.assert_problem(400);
        assert_eq!(key.invalid_names(), ["gemeente\\u0000"], "{}", key.text);
    }
);

/// The lists of a person's history, under the person's path: the gemeente's and the partners'.
const PERSON_LISTS: [&str; 9] = [
    "statuswijzigingen",
    "verlengingen",
    "ontheffingen",
    "vrijstellingen",
    "voortgangsgesprekken",
    "participatieladder-metingen",
    "inschrijvingen",
    "gevolgde-uren",
    "examenresultaten",
];

api_test!(
    a_history_cursor_pages_only_its_own_list_of_its_own_person,
    |app: TestApp| async move {
        let hoorn = gemeente_token(&["0405"]);
        let first = crate::traject::filled_history(&app, &hoorn, 30).await;
        let second = crate::traject::filled_history(&app, &hoorn, 31).await;
        for list in crate::traject::HISTORY_LISTS {
            let page = app.get(&format!("{first}/{list}?pageSize=1"), &hoorn).await;
            assert_eq!(page.status, 200, "{list}: {}", page.text);
            let cursor = cursor_of(page.body["volgendePagina"].as_str().unwrap());
            let own = app
                .get(
                    &format!("{first}/{list}?pageSize=1&cursor={cursor}"),
                    &hoorn,
                )
                .await;
            assert_eq!(own.status, 200, "{list}: {}", own.text);
            assert_ne!(own.body["resultaten"], page.body["resultaten"], "{list}");
            // Another person's list, another list of this person: refused.
            refused(
                &app.get(
                    &format!("{second}/{list}?pageSize=1&cursor={cursor}"),
                    &hoorn,
                )
                .await,
            );
            let other = if list == "verlengingen" {
                "ontheffingen"
            } else {
                "verlengingen"
            };
            refused(
                &app.get(
                    &format!("{first}/{other}?pageSize=1&cursor={cursor}"),
                    &hoorn,
                )
                .await,
            );
        }
        for list in PERSON_LISTS {
            // Made by hand, tampered with or garbage.
            refused(
                &app.get(&format!("{first}/{list}?cursor=bogus"), &hoorn)
                    .await,
            );
            let forged = URL_SAFE_NO_PAD.encode(b"1");
            refused(
                &app.get(&format!("{first}/{list}?cursor={forged}.{forged}"), &hoorn)
                    .await,
            );
            for size in ["0", "101", "x"] {
                let answer = app
                    .get(&format!("{first}/{list}?pageSize={size}"), &hoorn)
                    .await;
                answer.assert_problem(400);
                assert_eq!(answer.invalid_names(), ["pageSize"], "{list}");
            }
            let unknown = app.get(&format!("{first}/{list}?sort=datum"), &hoorn).await;
            unknown.assert_problem(400);
            assert_eq!(unknown.invalid_names(), ["sort"], "{list}");
        }
    }
);

api_test!(
    another_gemeente_learns_nothing_from_a_history_list,
    |app: TestApp| async move {
        let hoorn = gemeente_token(&["0405"]);
        let path = crate::traject::filled_history(&app, &hoorn, 32).await;
        let enkhuizen = gemeente_token(&["0388"]);
        let unknown = format!("/api/v1/inburgeraars/{}", uuid::Uuid::now_v7());
        let strip = |answer: &Answer| {
            let mut body = answer.body.clone();
            body.as_object_mut().unwrap().remove("instance");
            body
        };
        for list in PERSON_LISTS {
            for query in ["", "?pageSize=2"] {
                let foreign = app.get(&format!("{path}/{list}{query}"), &enkhuizen).await;
                foreign.assert_problem(404);
                let nobody = app
                    .get(&format!("{unknown}/{list}{query}"), &enkhuizen)
                    .await;
                nobody.assert_problem(404);
                assert_eq!(strip(&foreign), strip(&nobody), "{list}{query}");
                // The owner's gemeente sees it.
                let own = app.get(&format!("{path}/{list}{query}"), &hoorn).await;
                assert_eq!(own.status, 200, "{list}: {}", own.text);
            }
        }
    }
);
