//! The OpenAPI document: collected by utoipa-actix-web from the handlers of the assembled app, then
//! completed here in one place with what every operation shares (version header, error answers,
//! security), so that no handler repeats it.

use crate::problem::{InvalidParam, Problem, PROBLEM_JSON};
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::Operation;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::server::Server;
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr};

/// The version of the contract: `info.version` and the `API-Version` header of every answer.
pub const API_VERSION: &str = "1.0.0";
/// Where the API lives; the paths of the document are relative to it.
pub const BASE_PATH: &str = "/api/v1";
const SECURITY_SCHEME: &str = "bearer";

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Koers API",
        version = "1.0.0",
        description = "Koers is de open API voor de uitvoering van de Wet inburgering 2021 door gemeenten en regio's: \
inburgeraars, brede intake, PIP en leerroutes, termijnen, ontzorging en voortgang, en de gegevensuitwisseling \
met taalaanbieders en partners, alleen op een vastgelegde grondslag of toestemming. Elke verwerking van \
persoonsgegevens komt in het verwerkingenlogboek van de betrokkene.\n\n\
Authenticatie: `Authorization: Bearer <JWT>`. Een ontwikkeltoken maakt u met `koers token`.",
        contact(name = "Koers", email = "koers@koers.dev", url = "https://koers.dev"),
        license(name = "EUPL-1.2", identifier = "EUPL-1.2"),
    ),
    tags(
        (name = "Inburgeraars", description = "De inburgeringsplichtigen: registreren, opvragen, wijzigen en zoeken."),
        (name = "Traject", description = "Het inburgeringstraject: brede intake, PIP en leerroute, termijn en verlengingen, onderdelen (MAP, PVT, KNM, Z-route), ontheffingen, vrijstellingen en statuswijzigingen."),
        (name = "Partners", description = "Taalaanbieders en maatschappelijke partners, en de toestemmingen en grondslagen waarop gegevens met hen worden gedeeld."),
        (name = "Voortgang", description = "Wat taalaanbieders aanleveren: inschrijvingen, gevolgde uren en examenresultaten, alleen op een actieve toestemming."),
        (name = "Ontzorging en voortgang", description = "Financieel ontzorgen, voortgangsgesprekken, de participatieladder en de werklijst met signaleringen voor klantmanagers."),
        (name = "Gebeurtenissen", description = "Wat er veranderde, in volgorde en zonder inhoud: de wijzigingsfeed, en abonnementen die gebeurtenissen als CloudEvents afgeleverd krijgen."),
        (name = "Verantwoording", description = "Audittrail en verwerkingenlogboek per persoon."),
        (name = "Beheer", description = "Gezondheid van de dienst en de instellingen van gemeenten."),
    ),
    components(schemas(Problem, InvalidParam)),
)]
struct ApiDoc;

/// The longest text the contract allows where a schema names no bound of its own.
pub const MAX_TEXT: usize = koers_domain::input::MAX_TEKST;
/// The pattern of free text: at least one character that is not white space in ECMA-262's sense
/// (`koers_domain::input::is_space`), written out so that it means the same in every engine, and no
/// U+0000 anywhere (PostgreSQL cannot store it).
pub const VISIBLE: &str = r"^[^\u0000]*[^\u0000\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff][^\u0000]*$";
/// The pattern of any other text a client sends: no U+0000 (PostgreSQL cannot store it).
pub const STORABLE: &str = r"^[^\u0000]*$";
/// The longest array the contract allows where a schema names no bound of its own.
pub const MAX_ITEMS: usize = 1000;

/// The base document: info, tags and shared schemas, before the handlers add their paths.
pub fn base() -> OpenApi {
    <ApiDoc as utoipa::OpenApi>::openapi()
}

/// The error answers every operation may give, by status: (status, component name, description).
const ERRORS: [(&str, &str, &str); 13] = [
    (
        "400",
        "OngeldigeInvoer",
        "Ongeldige invoer: `invalidParams` noemt elk ongeldig veld en elke ongeldige parameter.",
    ),
    (
        "401",
        "NietGeauthenticeerd",
        "Geen, een ongeldig of een verlopen token.",
    ),
    (
        "403",
        "GeenToegang",
        "Het token mist de scope voor deze bewerking.",
    ),
    (
        "404",
        "NietGevonden",
        "De resource bestaat niet, of niet voor deze aanroeper.",
    ),
    (
        "409",
        "Conflict",
        "Conflict met de huidige staat, of een hergebruikte Idempotency-Key.",
    ),
    (
        "412",
        "VerouderdeVersie",
        "De `If-Match` hoort niet bij de huidige versie.",
    ),
    ("413", "TeGrootVerzoek", "De body is groter dan toegestaan."),
    (
        "415",
        "MediatypeNietOndersteund",
        "De body heeft een ander mediatype dan JSON.",
    ),
    (
        "414",
        "UriTeLang",
        "Het doel van het verzoek (pad en query) is langer dan 65.534 bytes.",
    ),
    (
        "431",
        "HeadersTeGroot",
        "De headers zijn samen groter dan 96 KiB, of het zijn er meer dan 96.",
    ),
    (
        "429",
        "TeVeelVerzoeken",
        "Te veel verzoeken van dit adres of deze client; `Retry-After` zegt na hoeveel seconden het weer kan.",
    ),
    ("500", "InterneFout", "Onverwachte fout; gelogd."),
    (
        "503",
        "NietBeschikbaar",
        "De database is tijdelijk niet bereikbaar.",
    ),
];

fn version_header() -> utoipa::openapi::header::Header {
    HeaderBuilder::new()
        .schema(
            ObjectBuilder::new()
                .schema_type(SchemaType::Type(Type::String))
                .examples([serde_json::json!(API_VERSION)]),
        )
        .description(Some("Volledige versie van de API (SemVer)."))
        .build()
}

/// The headers of every answer: the version, the request id, and the caller's rate-limit budget.
fn common_headers() -> Vec<(String, utoipa::openapi::header::Header)> {
    let request_id = HeaderBuilder::new()
        .schema(
            ObjectBuilder::new()
                .schema_type(SchemaType::Type(Type::String))
                .max_length(Some(64))
                .pattern(Some("^[A-Za-z0-9._-]+$")),
        )
        .description(Some(
            "Identificatie van het verzoek: die van de client (`X-Request-Id`, tot 64 tekens) of een nieuwe UUID; ook in de logs.",
        ))
        .build();
    let mut headers = vec![
        ("API-Version".to_owned(), version_header()),
        ("X-Request-Id".to_owned(), request_id),
    ];
    headers.extend(rate_limit_headers());
    headers
}

/// The budget of the caller under its rate limit (IETF draft RateLimit header fields), on every answer
/// while a limit applies: the client's once the token is verified, else the remote address's.
fn rate_limit_headers() -> [(String, utoipa::openapi::header::Header); 3] {
    let header = |description: &str| {
        HeaderBuilder::new()
            .schema(
                ObjectBuilder::new()
                    .schema_type(SchemaType::Type(Type::Integer))
                    .minimum(Some(0))
                    .maximum(Some(u32::MAX)),
            )
            .description(Some(description))
            .build()
    };
    [
        (
            "RateLimit-Limit".to_owned(),
            header("Hoeveel verzoeken achter elkaar zijn toegestaan."),
        ),
        (
            "RateLimit-Remaining".to_owned(),
            header("Hoeveel daarvan er nog over zijn."),
        ),
        (
            "RateLimit-Reset".to_owned(),
            header("Seconden tot het volle aantal weer beschikbaar is."),
        ),
    ]
}

/// Operations whose body names a person the caller may not see.
const PUSH_PATHS: [&str; 3] = ["/inschrijvingen", "/gevolgde-uren", "/examenresultaten"];

/// Which error answers apply to an operation.
fn error_statuses(path: &str, method: &str, operation: &Operation) -> Vec<&'static str> {
    let secured = operation.security.as_ref().is_none_or(|requirements| {
        requirements
            .iter()
            .any(|r| *r != SecurityRequirement::default())
    });
    let mut statuses = vec!["400"];
    if secured {
        statuses.extend(["401", "403"]);
    }
    // A path with an id, or a push about a person: the person may not exist for the caller.
    if path.contains('{') || PUSH_PATHS.contains(&path) {
        statuses.push("404");
    }
    // Any change can meet a conflicting state (a taken identifier, a reused key, a status that does
    // not allow it); a search cannot.
    if method != "get" && !path.ends_with("/_zoek") {
        statuses.push("409");
    }
    if method == "patch" {
        statuses.push("412");
    }
    if operation.request_body.is_some() {
        statuses.extend(["413", "415"]);
    }
    // Every request counts toward the rate limit of its address (and, authenticated, its client),
    // and every request line and head has its bound (`guard`).
    statuses.extend(["414", "429", "431", "500", "503"]);
    statuses
}

fn complete_operation(path: &str, method: &str, operation: &mut Operation) {
    let statuses = error_statuses(path, method, operation);
    if operation.security.is_none() {
        operation.security = Some(vec![SecurityRequirement::new(
            SECURITY_SCHEME,
            Vec::<String>::new(),
        )]);
    }
    for response in operation.responses.responses.values_mut() {
        if let RefOr::T(response) = response {
            response.headers.extend(common_headers());
        }
    }
    for (status, name, _) in ERRORS
        .iter()
        .filter(|(status, _, _)| statuses.contains(status))
    {
        operation
            .responses
            .responses
            .entry((*status).to_owned())
            .or_insert_with(|| RefOr::Ref(Ref::from_response_name(*name)));
    }
}

/// Schemas for parameters that the handlers declare as plain strings but check against a closed set
/// or a format: one place, from the domain's own value lists.
fn complete_parameters(path: &str, operation: &mut Operation) {
    for parameter in operation.parameters.iter_mut().flatten() {
        let schema: Option<RefOr<utoipa::openapi::schema::Schema>> = match parameter.name.as_str() {
            "doelgroep" => Some(crate::schemas::of::<crate::schemas::Doelgroep>()),
            "status" if path == "/inburgeraars" => {
                Some(crate::schemas::of::<crate::schemas::InburgeraarStatus>())
            }
            "onderdeel" => Some(crate::schemas::of::<crate::schemas::OnderdeelSoort>()),
            "soort" if path == "/signaleringen" => {
                Some(crate::schemas::of::<crate::schemas::SignaleringSoort>())
            }
            "cursor" => Some(
                ObjectBuilder::new()
                    .schema_type(SchemaType::Type(Type::String))
                    .min_length(Some(1))
                    .max_length(Some(256))
                    .pattern(Some("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$"))
                    .into(),
            ),
            "gemeente" | "gemeentecode" => Some(
                ObjectBuilder::new()
                    .schema_type(SchemaType::Type(Type::String))
                    .min_length(Some(4))
                    .max_length(Some(4))
                    .pattern(Some("^[0-9]{4}$"))
                    .into(),
            ),
            name if name == crate::idempotency::HEADER => Some(
                ObjectBuilder::new()
                    .schema_type(SchemaType::Type(Type::String))
                    .min_length(Some(1))
                    .max_length(Some(255))
                    .pattern(Some("^[!-~]+$"))
                    .into(),
            ),
            _ => None,
        };
        if let Some(schema) = schema {
            parameter.schema = Some(schema);
        }
    }
}

/// Whether a POST on `path` changes something: every POST but a search (`_zoek`, api.md). Each of them
/// honours `Idempotency-Key` (`idempotency::perform`).
pub fn changes(path: &str) -> bool {
    !path.ends_with("/_zoek")
}

/// Declares the `Idempotency-Key` header on a changing POST (its schema: `complete_parameters`).
fn declare_idempotency_key(operation: &mut Operation) {
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    let parameters = operation.parameters.get_or_insert_with(Vec::new);
    if parameters
        .iter()
        .any(|p| p.name == crate::idempotency::HEADER)
    {
        return;
    }
    parameters.push(
        ParameterBuilder::new()
            .name(crate::idempotency::HEADER)
            .parameter_in(ParameterIn::Header)
            .required(utoipa::openapi::Required::False)
            .description(Some(
                "Unieke sleutel per verzoek (bijvoorbeeld een UUID). Een herhaling met dezelfde sleutel en \
                 body geeft het eerste antwoord terug (met `Idempotent-Replayed: true`) en slaat niets \
                 dubbel op; dezelfde sleutel met een andere body geeft 409. Een sleutel geldt per client en \
                 de gemeenten of organisatie waarvoor die optreedt.",
            ))
            .build(),
    );
}

/// Completes the document collected from the app: relative paths under the server `/api/v1`, shared
/// error answers, the version header and bearer security.
pub fn finalize(mut api: OpenApi) -> OpenApi {
    api.servers = Some(vec![Server::new(BASE_PATH)]);
    let paths = std::mem::take(&mut api.paths.paths);
    for (path, mut item) in paths {
        let relative = path.strip_prefix(BASE_PATH).unwrap_or(&path).to_owned();
        for (method, operation) in [
            ("get", &mut item.get),
            ("post", &mut item.post),
            ("put", &mut item.put),
            ("patch", &mut item.patch),
            ("delete", &mut item.delete),
        ] {
            if let Some(operation) = operation {
                complete_operation(&relative, method, operation);
                if method == "post" && changes(&relative) {
                    declare_idempotency_key(operation);
                }
                complete_parameters(&relative, operation);
            }
        }
        api.paths.paths.insert(relative, item);
    }
    link_created(&mut api);
    let components = api.components.get_or_insert_with(Default::default);
    components.schemas.extend(crate::schemas::all());
    components.security_schemes.insert(
        SECURITY_SCHEME.to_owned(),
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("JWT")
                .description(Some("JWT met de claims `iss`, `aud`, `exp`, `sub`, `scope` en `gemeenten` of `organisatie`, volgens de JWT Best Current Practices (RFC8725): `alg: none` en tokens in de query string worden geweigerd. Maak een ontwikkeltoken met `koers token`."))
                .build(),
        ),
    );
    for (status, name, description) in ERRORS {
        let mut response = ResponseBuilder::new().description(description);
        for (name, header) in common_headers() {
            response = response.header(name, header);
        }
        if status == "429" {
            response = response.header(
                "Retry-After",
                HeaderBuilder::new()
                    .schema(
                        ObjectBuilder::new()
                            .schema_type(SchemaType::Type(Type::Integer))
                            .minimum(Some(0))
                            .maximum(Some(86_400)),
                    )
                    .description(Some(
                        "Seconden tot een nieuw verzoek weer wordt toegelaten.",
                    ))
                    .build(),
            );
        }
        components.responses.insert(
            name.to_owned(),
            RefOr::T(
                response
                    .content(
                        PROBLEM_JSON,
                        ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name("Problem")))
                            .build(),
                    )
                    .build(),
            ),
        );
    }
    api
}

/// The operations of a path item, with their methods.
fn operations(item: &utoipa::openapi::PathItem) -> Vec<(&'static str, &Operation)> {
    [
        ("get", &item.get),
        ("post", &item.post),
        ("put", &item.put),
        ("patch", &item.patch),
        ("delete", &item.delete),
    ]
    .into_iter()
    .filter_map(|(method, operation)| operation.as_ref().map(|o| (method, o)))
    .collect()
}

/// The path parameters of a path (`/a/{x}/b/{y}`: `x`, `y`).
fn path_parameters(path: &str) -> Vec<&str> {
    path.split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .collect()
}

/// OpenAPI links from every creating operation (a POST answering 201) to the operations on what it
/// created: those under its own path and one more parameter, which the new resource's `id` fills; the
/// parameters they share come from the request. A client (or a stateful fuzzer) can follow them from
/// a create to reading, changing and deleting what it made.
fn link_created(api: &mut OpenApi) {
    use utoipa::openapi::link::LinkBuilder;
    let mut links: Vec<(String, String, utoipa::openapi::link::Link)> = Vec::new();
    for (path, item) in &api.paths.paths {
        let Some(create) = &item.post else { continue };
        if !create.responses.responses.contains_key("201") {
            continue;
        }
        let own = path_parameters(path);
        for (target_path, target) in &api.paths.paths {
            let Some(rest) = target_path.strip_prefix(path.as_str()) else {
                continue;
            };
            let Some(new) = rest
                .split('/')
                .nth(1)
                .and_then(|s| s.strip_prefix('{')?.strip_suffix('}'))
            else {
                continue;
            };
            // On what was created itself, not on what lies below it (a PIP of a new person).
            if path_parameters(target_path).len() != own.len() + 1 {
                continue;
            }
            for (_, operation) in operations(target) {
                let Some(operation_id) = &operation.operation_id else {
                    continue;
                };
                let mut link = LinkBuilder::new()
                    .operation_id(operation_id.clone())
                    .description(format!("Met de `id` van wat is aangemaakt als `{new}`."))
                    .parameter(new, "$response.body#/id");
                for shared in &own {
                    link = link.parameter(*shared, format!("$request.path.{shared}"));
                }
                links.push((path.clone(), operation_id.clone(), link.build()));
            }
        }
    }
    for (path, name, link) in links {
        let created = api
            .paths
            .paths
            .get_mut(&path)
            .and_then(|item| item.post.as_mut())
            .and_then(|post| post.responses.responses.get_mut("201"));
        if let Some(RefOr::T(response)) = created {
            response.links.insert(name, RefOr::T(link));
        }
    }
}

/// Bounds every string, integer and array in the document (OWASP API4:2023, unrestricted resource
/// consumption): the server enforces limits, so the contract states them. Walks the JSON form, where
/// every schema looks alike whatever utoipa type it came from.
fn bound(value: &mut serde_json::Value) {
    use serde_json::{json, Value};
    match value {
        Value::Object(map) => {
            let types: Vec<String> = match map.get("type") {
                Some(Value::String(t)) => vec![t.clone()],
                Some(Value::Array(ts)) => ts
                    .iter()
                    .filter_map(|t| t.as_str().map(str::to_owned))
                    .collect(),
                _ => Vec::new(),
            };
            let has = |map: &serde_json::Map<String, Value>, key: &str| map.contains_key(key);
            // A date, date-time or uuid is bounded by its format (generators warn at a maxLength).
            let fixed = matches!(
                map.get("format").and_then(Value::as_str),
                Some("date" | "date-time" | "uuid")
            );
            if types.iter().any(|t| t == "string")
                && !has(map, "maxLength")
                && !has(map, "enum")
                && !fixed
            {
                map.insert("maxLength".to_owned(), json!(MAX_TEXT));
            }
            // Free text needs a visible character: one pattern, spelled so that every regular
            // expression engine (ECMA-262 in clients, Rust's in the server) reads it alike.
            if map.get("pattern").and_then(Value::as_str) == Some(r"\S") {
                map.insert("pattern".to_owned(), json!(VISIBLE));
            }
            if types.iter().any(|t| t == "integer") {
                if !has(map, "format") {
                    map.insert("format".to_owned(), json!("int64"));
                }
                if !has(map, "minimum") {
                    map.insert("minimum".to_owned(), json!(-2_147_483_648_i64));
                }
                if !has(map, "maximum") {
                    map.insert("maximum".to_owned(), json!(2_147_483_647_i64));
                }
            }
            if types.iter().any(|t| t == "array") && !has(map, "maxItems") {
                map.insert("maxItems".to_owned(), json!(MAX_ITEMS));
            }
            for (key, child) in map.iter_mut() {
                // Examples are data, not schemas.
                if key != "example" && key != "examples" {
                    bound(child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(bound),
        _ => {}
    }
}

/// The environment a server URL belongs to, as the contract declares it (OWASP API9:2023): `local` for
/// this machine, `production` otherwise.
fn environment(url: &str) -> &'static str {
    let authority = url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_default();
    // An IPv6 host is in brackets; any other ends at the port.
    let host = match authority.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    };
    if matches!(host, "localhost" | "127.0.0.1" | "::1") || host.ends_with(".localhost") {
        "local"
    } else {
        "production"
    }
}

/// The years of a date a client may send. Every date Koers computes from them (a term's end, the
/// earliest end of an ontzorging) then still has four digits of year, inside `format: date`.
pub const INPUT_YEARS: std::ops::RangeInclusive<i32> = 1900..=2099;

/// The component schemas a value refers to (`$ref: #/components/schemas/…`), added to `found`.
fn schema_refs(value: &serde_json::Value, found: &mut Vec<String>) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                found.push(name.to_owned());
            }
            map.values().for_each(|v| schema_refs(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| schema_refs(v, found)),
        _ => {}
    }
}

/// The components the operations of a (published) document take as their request bodies.
pub fn request_bodies(document: &serde_json::Value) -> Vec<String> {
    let mut bodies = Vec::new();
    let operations = document
        .get("paths")
        .and_then(serde_json::Value::as_object)
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(serde_json::Value::as_object)
        .flat_map(|item| item.values());
    for operation in operations {
        if let Some(body) = operation.get("requestBody") {
            schema_refs(body, &mut bodies);
        }
    }
    bodies
}

/// What the contract says of every date of a request body (and of what its schemas refer to): the
/// range of [`INPUT_YEARS`], which the server's check of `format: date` enforces (`validation`).
/// Said in words: a `pattern` beside `format: date` makes client generators warn and drop it.
const INPUT_DATE_RANGE: &str = "Een datum van 1900-01-01 tot en met 2099-12-31.";

/// Gives every date of a request body the range of [`INPUT_YEARS`], in its description, and every
/// other text without a pattern the [`STORABLE`] one; what is only answered keeps the whole of
/// `format: date` and of text.
fn limit_input_dates(document: &mut serde_json::Value) {
    use serde_json::Value;
    fn limit(value: &mut Value) {
        match value {
            Value::Object(map) => {
                let text = match map.get("type") {
                    Some(Value::String(t)) => t == "string",
                    Some(Value::Array(ts)) => ts.iter().any(|t| t == "string"),
                    _ => false,
                };
                if text
                    && !map.contains_key("pattern")
                    && !map.contains_key("enum")
                    && !map.contains_key("format")
                {
                    map.insert("pattern".to_owned(), Value::from(STORABLE));
                }
                if map.get("format").and_then(Value::as_str) == Some("date") {
                    let said = map
                        .get("description")
                        .and_then(Value::as_str)
                        .map_or_else(String::new, |d| format!("{d} "));
                    if !said.contains(INPUT_DATE_RANGE) {
                        map.insert(
                            "description".to_owned(),
                            Value::from(format!("{said}{INPUT_DATE_RANGE}")),
                        );
                    }
                }
                map.values_mut().for_each(limit);
            }
            Value::Array(items) => items.iter_mut().for_each(limit),
            _ => {}
        }
    }
    let mut pending = request_bodies(document);
    let mut requests = std::collections::BTreeSet::new();
    while let Some(name) = pending.pop() {
        if requests.insert(name.clone()) {
            if let Some(schema) = document.pointer(&format!("/components/schemas/{name}")) {
                schema_refs(schema, &mut pending);
            }
        }
    }
    for name in requests {
        if let Some(schema) = document.pointer_mut(&format!("/components/schemas/{name}")) {
            limit(schema);
        }
    }
}

/// utoipa 5 writes a link's `operationId` as `operation_id`; the document spells it as OpenAPI does.
fn spell_links(document: &mut serde_json::Value) {
    use serde_json::Value;
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    let links = paths
        .values_mut()
        .filter_map(Value::as_object_mut)
        .flat_map(|item| item.values_mut())
        .filter_map(|operation| operation.get_mut("responses")?.as_object_mut())
        .flat_map(|responses| responses.values_mut())
        .filter_map(|response| response.get_mut("links")?.as_object_mut())
        .flat_map(|links| links.values_mut())
        .filter_map(Value::as_object_mut);
    for link in links {
        if let Some(id) = link.remove("operation_id") {
            link.insert("operationId".to_owned(), id);
        }
    }
}

/// The published form of the document: the absolute server URL from `public_url` (`KOERS_PUBLIC_URL`),
/// bounded schemas and the servers' audience declared (OWASP API9:2023). What `/api/v1/openapi.json`
/// serves and `koers openapi` writes.
pub fn published(api: &OpenApi, public_url: &str) -> serde_json::Value {
    let mut value = serde_json::to_value(api).unwrap_or_default();
    // The server as clients reach it, so that a client generated from the document needs no host.
    let url = format!("{}{BASE_PATH}", public_url.trim_end_matches('/'));
    value["servers"] = serde_json::json!([{
        "description": format!("Koers API, versie 1 ({})", environment(&url)),
        "url": url,
    }]);
    if let Some(components) = value.get_mut("components") {
        bound(components);
    }
    limit_input_dates(&mut value);
    spell_links(&mut value);
    if let Some(paths) = value.get_mut("paths") {
        bound(paths);
    }
    if let Some(servers) = value
        .get_mut("servers")
        .and_then(serde_json::Value::as_array_mut)
    {
        for server in servers {
            server["x-internal"] = serde_json::json!(false);
        }
    }
    value
}

/// The published document as JSON (pretty, with a final newline) and as YAML.
pub fn published_texts(api: &OpenApi, public_url: &str) -> (String, String) {
    let value = published(api, public_url);
    let json = serde_json::to_string_pretty(&value).unwrap_or_default() + "\n";
    let yaml = serde_norway::to_string(&value).unwrap_or_default();
    (json, yaml)
}

/// The method names a path of the document allows, for 405 answers.
pub fn allowed_methods(api: &OpenApi, request_path: &str) -> Option<Vec<&'static str>> {
    let relative = request_path.strip_prefix(BASE_PATH)?;
    let wanted: Vec<&str> = relative.split('/').collect();
    api.paths.paths.iter().find_map(|(path, item)| {
        let pattern: Vec<&str> = path.split('/').collect();
        let matches = pattern.len() == wanted.len()
            && pattern
                .iter()
                .zip(&wanted)
                .all(|(p, w)| (p.starts_with('{') && !w.is_empty()) || p == w);
        matches.then(|| {
            [
                ("GET", item.get.is_some()),
                ("POST", item.post.is_some()),
                ("PUT", item.put.is_some()),
                ("PATCH", item.patch.is_some()),
                ("DELETE", item.delete.is_some()),
            ]
            .into_iter()
            .filter_map(|(name, present)| present.then_some(name))
            .collect()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::environment;

    #[test]
    fn a_server_on_this_machine_is_local() {
        for url in [
            "http://127.0.0.1:8080/api/v1",
            "http://localhost/api/v1",
            "http://[::1]:8080/api/v1",
            "http://koers.localhost:8080/api/v1",
        ] {
            assert_eq!(environment(url), "local", "{url}");
        }
        for url in [
            "https://koers.example/api/v1",
            "https://[2001:db8::1]/api/v1",
        ] {
            assert_eq!(environment(url), "production", "{url}");
        }
    }
}
