//! Delivering one event to a webhook receiver: a CloudEvent (structured JSON) POSTed to the
//! abonnement's callback URL, signed after Standard Webhooks (`webhook-id`, `webhook-timestamp`,
//! `webhook-signature`: `v1,` + base64 of HMAC-SHA256 over `{id}.{timestamp}.{body}` with the
//! base64-decoded part of a `whsec_` secret after its prefix).
//!
//! What may be called is checked at every delivery, not only when the abonnement is made: the callback
//! URL is judged again ([`callback_url`]), and in production every address its host resolves to must
//! be one Koers may call ([`adres_toegestaan`]). Names are resolved by the client's own resolver
//! (`Adrescontrole`), which refuses before a connection is made, so the addresses checked are the
//! very addresses connected to: a name that resolves to a public address when checked and to a private
//! one when connected (DNS rebinding) has no gap to slip through. A host that is an IP address is never
//! resolved, so it is checked before sending. Redirects are never followed (a 3xx is a failed
//! delivery), and no proxy is used: a proxy would resolve the name itself, past the check.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::{alphabet, Engine};
use hmac::{Hmac, Mac};
use koers_domain::abonnement::{adres_toegestaan, callback_url, cloudevent, Omgeving};
use koers_domain::events::Event;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::header::{HeaderValue, CONTENT_TYPE};
use reqwest::{redirect, Url};
use sha2::Sha256;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The media type of a CloudEvent in structured JSON mode.
pub const CLOUDEVENTS_JSON: &str = "application/cloudevents+json";

/// The prefix of a Standard Webhooks secret.
const GEHEIM_PREFIX: &str = "whsec_";

/// Base64 of a secret, read with or without its padding (the reference libraries accept both).
const GEHEIM_BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// How deliveries are made.
#[derive(Debug, Clone)]
pub struct Afleverinstellingen {
    /// Production: https only, to addresses [`adres_toegestaan`] allows; development: whatever
    /// [`callback_url`] allows there (http to the local machine too), to any address.
    pub omgeving: Omgeving,
    /// The CloudEvents `source`: the deployment's URN.
    pub bron: String,
    /// The API's absolute base URL for `dataref` (`https://koers.example.nl`).
    pub basis_url: String,
    /// How long making a connection (resolving, TCP, TLS) may take.
    pub connect_timeout: Duration,
    /// How long the whole delivery may take, until the receiver's status line and headers.
    pub timeout: Duration,
}

/// Delivers events to webhook receivers: one HTTP client (its connections pooled) and the settings.
#[derive(Debug, Clone)]
pub struct Afleverclient {
    client: reqwest::Client,
    omgeving: Omgeving,
    bron: String,
    basis_url: String,
}

/// The outcome of one delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Afgeleverd {
    /// The receiver's HTTP status, when it answered.
    pub statuscode: Option<u16>,
    /// Why the delivery failed other than by its status: not sent (address refused, invalid secret),
    /// no answer (connection, timeout), or a redirect (with its 3xx status). Never a secret.
    pub fout: Option<String>,
    /// How long it took, checks and connection included.
    pub duur: Duration,
}

impl Afgeleverd {
    /// Whether the receiver took the event: a 2xx status and no fout.
    pub fn geslaagd(&self) -> bool {
        self.fout.is_none()
            && self
                .statuscode
                .is_some_and(|status| (200..300).contains(&status))
    }
}

impl Afleverclient {
    /// A client with these settings.
    ///
    /// # Errors
    /// When the HTTP client cannot be made (its TLS configuration, the OS certificate store).
    pub fn new(instellingen: Afleverinstellingen) -> Result<Self, String> {
        let resolver = Adrescontrole::new(instellingen.omgeving);
        Self::met_resolver(instellingen, resolver)
    }

    fn met_resolver(
        instellingen: Afleverinstellingen,
        resolver: Adrescontrole,
    ) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .user_agent(concat!("Koers/", env!("CARGO_PKG_VERSION"), " (webhooks)"))
            .redirect(redirect::Policy::none())
            .no_proxy()
            .https_only(instellingen.omgeving == Omgeving::Productie)
            .dns_resolver(Arc::new(resolver))
            .connect_timeout(instellingen.connect_timeout)
            .timeout(instellingen.timeout)
            .build()
            .map_err(|error| format!("HTTP-client voor afleveringen niet te maken: {error}"))?;
        Ok(Self {
            client,
            omgeving: instellingen.omgeving,
            bron: instellingen.bron,
            basis_url: instellingen.basis_url,
        })
    }

    /// POSTs `event` as a CloudEvent to `url`, signed with every secret in `geheimen` (Standard
    /// Webhooks `whsec_` secrets, the newest first: the signatures go space-separated in one
    /// `webhook-signature` header, in that order, so that a receiver with either secret verifies
    /// while a secret is being replaced). The body is serialised once and exactly those bytes are
    /// signed and sent; `webhook-id` is the event's id (the same at every attempt, so that a receiver
    /// can drop a repeat), `webhook-timestamp` the moment of sending.
    ///
    /// Nothing is sent, and the outcome has a fout, when the URL is not one Koers may call in its
    /// environment, when a secret is invalid, or when there is none.
    pub async fn afleveren(&self, url: &str, geheimen: &[String], event: &Event) -> Afgeleverd {
        let begin = Instant::now();
        let uitkomst = self.verzenden(url, geheimen, event).await;
        let duur = begin.elapsed();
        match uitkomst {
            Ok(status) => Afgeleverd {
                statuscode: Some(status),
                fout: (300..400)
                    .contains(&status)
                    .then(|| "doorverwijzing niet gevolgd".to_owned()),
                duur,
            },
            Err(fout) => Afgeleverd {
                statuscode: None,
                fout: Some(fout),
                duur,
            },
        }
    }

    async fn verzenden(
        &self,
        url: &str,
        geheimen: &[String],
        event: &Event,
    ) -> Result<u16, String> {
        let doel = self.doel(url)?;
        let body = serde_json::to_vec(&cloudevent(event, &self.bron, &self.basis_url))
            .map_err(|error| format!("het CloudEvent is niet te serialiseren: {error}"))?;
        let id = event.id.to_string();
        let timestamp = chrono::Utc::now().timestamp();
        let handtekeningen = ondertekenen(geheimen, &id, timestamp, &body)?;
        let handtekeningen = HeaderValue::from_str(&handtekeningen)
            .map_err(|_| "de handtekeningen passen niet in een header".to_owned())?;
        let response = self
            .client
            .post(doel)
            .header(CONTENT_TYPE, CLOUDEVENTS_JSON)
            .header("webhook-id", id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", handtekeningen)
            .body(body)
            .send()
            .await
            .map_err(|error| foutmelding(&error))?;
        Ok(response.status().as_u16())
    }

    /// `url` when Koers may call it here: the callback rule again, and in production an IP-address
    /// host checked now (the client's resolver never sees it).
    fn doel(&self, url: &str) -> Result<Url, String> {
        callback_url("callbackUrl", url, self.omgeving)
            .map_err(|error| format!("callback-URL geweigerd: {}", error.reason))?;
        let doel = Url::parse(url).map_err(|error| format!("callback-URL is geen URL: {error}"))?;
        if self.omgeving == Omgeving::Productie {
            if doel.scheme() != "https" {
                return Err("callback-URL geweigerd: alleen https".to_owned());
            }
            ip_host_toegestaan(&doel)?;
        }
        Ok(doel)
    }
}

/// In production: a URL whose host is an IP address, read as the connector reads it (it connects to
/// such a host without resolving it), only when Koers may call that address. A name passes here; the
/// resolver checks its addresses.
fn ip_host_toegestaan(doel: &Url) -> Result<(), String> {
    let host = doel
        .host_str()
        .ok_or_else(|| "callback-URL geweigerd: zonder host".to_owned())?;
    let ip = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>();
    match ip {
        Ok(ip) if !adres_toegestaan(ip) => Err(format!(
            "adres niet toegestaan: {ip} is een adres dat Koers niet mag aanroepen"
        )),
        _ => Ok(()),
    }
}

/// The `webhook-signature` value: a signature with every secret, in the order given.
fn ondertekenen(
    geheimen: &[String],
    id: &str,
    timestamp: i64,
    body: &[u8],
) -> Result<String, String> {
    if geheimen.is_empty() {
        return Err("geen geheim om mee te ondertekenen".to_owned());
    }
    let handtekeningen = geheimen
        .iter()
        .enumerate()
        .map(|(index, geheim)| {
            handtekening(geheim, id, timestamp, body)
                .map_err(|error| format!("geheim {}: {error}", index + 1))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(handtekeningen.join(" "))
}

/// The Standard Webhooks signature of a message: `v1,` + base64(HMAC-SHA256(key, `{id}.{timestamp}.{body}`)),
/// the key being the base64-decoded part of `geheim` after `whsec_`.
///
/// # Errors
/// When `geheim` is no `whsec_` secret with a non-empty base64 key; the text never contains it.
pub fn handtekening(geheim: &str, id: &str, timestamp: i64, body: &[u8]) -> Result<String, String> {
    let sleutel = geheim
        .strip_prefix(GEHEIM_PREFIX)
        .ok_or_else(|| "het geheim begint niet met whsec_".to_owned())?;
    let sleutel = GEHEIM_BASE64
        .decode(sleutel)
        .map_err(|_| "het geheim is na whsec_ geen base64".to_owned())?;
    if sleutel.is_empty() {
        return Err("het geheim is leeg".to_owned());
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(&sleutel)
        .map_err(|_| "het geheim is geen HMAC-sleutel".to_owned())?;
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    Ok(format!(
        "v1,{}",
        STANDARD.encode(mac.finalize().into_bytes())
    ))
}

/// A new secret: `whsec_` + base64 of 32 random bytes, the bytes of two version-4 UUIDs (244 bits from
/// the OS's random source: 122 of each UUID's 128; the other bits are fixed by the UUID format). Well
/// above the 128 bits an HMAC-SHA256 key needs, within the 24 to 64 bytes Standard Webhooks asks, and
/// with no dependency or failure path of its own (`uuid` already draws from the OS, as every id here).
pub fn nieuw_geheim() -> String {
    let mut bytes = [0_u8; 32];
    bytes[..16].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
    bytes[16..].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
    format!("{GEHEIM_PREFIX}{}", STANDARD.encode(bytes))
}

/// Why a name was not resolved: found on an error's chain, so that the delivery's fout says so.
#[derive(Debug)]
struct Adresfout(String);

impl std::fmt::Display for Adresfout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Adresfout {}

/// The client's resolver: resolves through the OS (as tokio does) and, in production, refuses a name
/// when any of its addresses is one Koers may not call. Refusing at resolution means the connection
/// can only be made to the addresses checked.
#[derive(Debug, Clone)]
struct Adrescontrole {
    omgeving: Omgeving,
    /// Names answered without asking the OS, for tests (DNS that resolves a name to the local machine
    /// cannot be counted on). Still checked like any other answer.
    #[cfg(test)]
    vast: Vec<(String, Vec<IpAddr>)>,
}

impl Adrescontrole {
    fn new(omgeving: Omgeving) -> Self {
        Self {
            omgeving,
            #[cfg(test)]
            vast: Vec::new(),
        }
    }

    async fn opzoeken(&self, naam: &str) -> Result<Vec<SocketAddr>, Adresfout> {
        #[cfg(test)]
        if let Some((_, ips)) = self.vast.iter().find(|(vast, _)| vast == naam) {
            return Ok(ips.iter().map(|ip| SocketAddr::new(*ip, 0)).collect());
        }
        tokio::net::lookup_host((naam, 0))
            .await
            .map(Iterator::collect)
            .map_err(|error| Adresfout(format!("{naam} is niet op te zoeken: {error}")))
    }
}

/// The addresses of `naam` when Koers may connect to all of them in `omgeving`.
fn toegestaan(
    naam: &str,
    adressen: Vec<SocketAddr>,
    omgeving: Omgeving,
) -> Result<Vec<SocketAddr>, Adresfout> {
    if adressen.is_empty() {
        return Err(Adresfout(format!("{naam} heeft geen adressen")));
    }
    if omgeving == Omgeving::Productie {
        if let Some(adres) = adressen.iter().find(|adres| !adres_toegestaan(adres.ip())) {
            return Err(Adresfout(format!(
                "adres niet toegestaan: {naam} wijst naar {}, een adres dat Koers niet mag aanroepen",
                adres.ip()
            )));
        }
    }
    Ok(adressen)
}

impl Resolve for Adrescontrole {
    fn resolve(&self, name: Name) -> Resolving {
        let controle = self.clone();
        Box::pin(async move {
            let naam = name.as_str();
            let adressen = controle.opzoeken(naam).await?;
            let adressen = toegestaan(naam, adressen, controle.omgeving)?;
            Ok(Box::new(adressen.into_iter()) as Addrs)
        })
    }
}

/// A failed request as a delivery's fout: a refused address as such, otherwise what failed (timeout,
/// connection, the rest) with the innermost cause. reqwest's own text names the URL, this does not.
fn foutmelding(error: &reqwest::Error) -> String {
    let mut oorzaken = Vec::new();
    let mut bron = std::error::Error::source(error);
    while let Some(oorzaak) = bron {
        if let Some(adresfout) = oorzaak.downcast_ref::<Adresfout>() {
            return adresfout.to_string();
        }
        oorzaken.push(oorzaak.to_string());
        bron = oorzaak.source();
    }
    let soort = if error.is_timeout() {
        "tijdslimiet overschreden"
    } else if error.is_connect() {
        "verbinding mislukt"
    } else {
        "verzenden mislukt"
    };
    match oorzaken.last() {
        Some(oorzaak) => format!("{soort}: {oorzaak}"),
        None => soort.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use koers_domain::events::{pip_url, EventKind};
    use koers_domain::gemeente::GemeenteCode;
    use koers_domain::inburgeraar::InburgeraarId;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    const GEHEIM: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    // --- handtekening and nieuw_geheim --------------------------------------------------------

    #[test]
    fn the_signature_is_the_standard_webhooks_one() {
        // The spec's example, reproduced with the reference library (standardwebhooks 1.3.0):
        // Webhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").sign("msg_p5jXN8AQM9LWM0D4loKWxJek",
        //     datetime.fromtimestamp(1614265330, tz=timezone.utc), '{"test": 2432232314}')
        assert_eq!(
            handtekening(
                GEHEIM,
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1_614_265_330,
                br#"{"test": 2432232314}"#
            )
            .unwrap(),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
        // Every part is signed.
        let anders = [
            handtekening(GEHEIM, "msg_x", 1_614_265_330, br#"{"test": 2432232314}"#),
            handtekening(
                GEHEIM,
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1_614_265_331,
                br#"{"test": 2432232314}"#,
            ),
            handtekening(
                GEHEIM,
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1_614_265_330,
                br#"{"test": 2432232315}"#,
            ),
        ];
        for handtekening in anders {
            assert_ne!(
                handtekening.unwrap(),
                "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
            );
        }
    }

    #[test]
    fn a_secret_without_padding_signs_as_with_it() {
        // 32 random bytes encode with one `=`; the reference libraries accept it left off.
        let geheim = nieuw_geheim();
        let zonder = geheim.trim_end_matches('=');
        assert_ne!(zonder, geheim);
        assert_eq!(
            handtekening(zonder, "id", 1, b"body"),
            handtekening(&geheim, "id", 1, b"body")
        );
    }

    #[test]
    fn an_invalid_secret_is_refused_without_being_named() {
        for geheim in [
            "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "whsec_niet*base64!",
            "whsec_",
            "Whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        ] {
            let fout = handtekening(geheim, "id", 1, b"{}").unwrap_err();
            let sleutel = geheim.split('_').next_back().unwrap();
            assert!(
                sleutel.is_empty() || !fout.contains(sleutel),
                "{fout} names {geheim}"
            );
        }
    }

    #[test]
    fn a_new_secret_is_32_random_bytes_behind_whsec() {
        let een = nieuw_geheim();
        let twee = nieuw_geheim();
        assert_ne!(een, twee);
        for geheim in [&een, &twee] {
            let sleutel = STANDARD
                .decode(geheim.strip_prefix("whsec_").unwrap())
                .unwrap();
            assert_eq!(sleutel.len(), 32);
            assert!(handtekening(geheim, "id", 1, b"{}").is_ok());
        }
    }

    // --- the address check at resolution -------------------------------------------------------

    fn adressen(ips: &[&str]) -> Vec<SocketAddr> {
        ips.iter()
            .map(|ip| SocketAddr::new(ip.parse().unwrap(), 0))
            .collect()
    }

    #[test]
    fn in_production_every_resolved_address_must_be_allowed() {
        let publiek = adressen(&["8.8.8.8", "2a00:1450::1"]);
        assert_eq!(
            toegestaan("ontvanger.nl", publiek.clone(), Omgeving::Productie).unwrap(),
            publiek
        );
        for geweigerd in [
            &["127.0.0.1"][..],
            &["8.8.8.8", "10.0.0.1"],
            &["169.254.169.254"],
            &["2a00:1450::1", "::ffff:192.168.1.1"],
        ] {
            let fout = toegestaan("ontvanger.nl", adressen(geweigerd), Omgeving::Productie)
                .unwrap_err()
                .to_string();
            assert!(fout.starts_with("adres niet toegestaan"), "{fout}");
        }
        assert!(toegestaan("ontvanger.nl", Vec::new(), Omgeving::Productie).is_err());
        // Development: any address.
        let lokaal = adressen(&["127.0.0.1", "10.0.0.1"]);
        assert_eq!(
            toegestaan("localhost", lokaal.clone(), Omgeving::Ontwikkeling).unwrap(),
            lokaal
        );
    }

    #[test]
    fn in_production_an_ip_address_host_is_checked_as_the_url_parser_reads_it() {
        for geweigerd in [
            "https://127.0.0.1/",
            "https://0x7f000001/",
            "https://2130706433:8443/",
            "https://127.1/",
            "https://[::1]/",
            "https://[::ffff:10.0.0.1]/",
            "https://169.254.169.254/latest",
        ] {
            let fout = ip_host_toegestaan(&Url::parse(geweigerd).unwrap()).unwrap_err();
            assert!(
                fout.starts_with("adres niet toegestaan"),
                "{geweigerd}: {fout}"
            );
        }
        for toegestaan in [
            "https://8.8.8.8/",
            "https://[2a00:1450::1]:8443/",
            "https://ontvanger.example.nl/",
        ] {
            assert_eq!(ip_host_toegestaan(&Url::parse(toegestaan).unwrap()), Ok(()));
        }
    }

    // --- a receiver ---------------------------------------------------------------------------

    /// One request as the receiver read it.
    #[derive(Debug, Clone)]
    struct Verzoek {
        methode: String,
        pad: String,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    }

    impl Verzoek {
        fn header(&self, naam: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(naam))
                .map(|(_, v)| v.as_str())
        }
    }

    /// A local HTTP/1.1 receiver on 127.0.0.1 that records what it is sent and answers every
    /// request with `antwoord` (or never, when `None`), closing the connection after it.
    struct Ontvanger {
        poort: u16,
        verbindingen: Arc<AtomicUsize>,
        ontvangen: Arc<Mutex<Vec<Verzoek>>>,
    }

    impl Ontvanger {
        async fn start(antwoord: Option<&'static str>) -> Self {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let poort = listener.local_addr().unwrap().port();
            let verbindingen = Arc::new(AtomicUsize::new(0));
            let ontvangen = Arc::new(Mutex::new(Vec::new()));
            let (teller, lijst) = (Arc::clone(&verbindingen), Arc::clone(&ontvangen));
            tokio::spawn(async move {
                while let Ok((stream, _)) = listener.accept().await {
                    teller.fetch_add(1, Ordering::SeqCst);
                    tokio::spawn(Self::bedienen(stream, antwoord, Arc::clone(&lijst)));
                }
            });
            Self {
                poort,
                verbindingen,
                ontvangen,
            }
        }

        async fn bedienen(
            mut stream: tokio::net::TcpStream,
            antwoord: Option<&'static str>,
            lijst: Arc<Mutex<Vec<Verzoek>>>,
        ) {
            let mut gelezen = Vec::new();
            let mut buffer = [0_u8; 4096];
            let verzoek = loop {
                let Ok(n) = stream.read(&mut buffer).await else {
                    return;
                };
                if n == 0 {
                    return;
                }
                gelezen.extend_from_slice(&buffer[..n]);
                let mut headers = [httparse::EMPTY_HEADER; 64];
                let mut kop = httparse::Request::new(&mut headers);
                let Ok(httparse::Status::Complete(lengte)) = kop.parse(&gelezen) else {
                    continue;
                };
                let headers: Vec<(String, String)> = kop
                    .headers
                    .iter()
                    .map(|h| {
                        (
                            h.name.to_ascii_lowercase(),
                            String::from_utf8_lossy(h.value).into_owned(),
                        )
                    })
                    .collect();
                let inhoud: usize = headers
                    .iter()
                    .find(|(n, _)| n == "content-length")
                    .map_or(0, |(_, v)| v.parse().unwrap());
                if gelezen.len() < lengte + inhoud {
                    continue;
                }
                break Verzoek {
                    methode: kop.method.unwrap_or_default().to_owned(),
                    pad: kop.path.unwrap_or_default().to_owned(),
                    headers,
                    body: gelezen[lengte..lengte + inhoud].to_vec(),
                };
            };
            lijst.lock().unwrap().push(verzoek);
            match antwoord {
                Some(antwoord) => {
                    let _ = stream.write_all(antwoord.as_bytes()).await;
                    let _ = stream.shutdown().await;
                }
                None => tokio::time::sleep(Duration::from_secs(30)).await,
            }
        }

        fn url(&self, scheme: &str, host: &str) -> String {
            format!("{scheme}://{host}:{}/webhooks/koers", self.poort)
        }

        fn ontvangen(&self) -> Vec<Verzoek> {
            self.ontvangen.lock().unwrap().clone()
        }

        fn verbindingen(&self) -> usize {
            self.verbindingen.load(Ordering::SeqCst)
        }
    }

    const OK: &str = "HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n";
    const FOUT: &str =
        "HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";
    const DOORVERWIJZING: &str =
        "HTTP/1.1 302 Found\r\nlocation: /elders\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";

    fn instellingen(omgeving: Omgeving) -> Afleverinstellingen {
        Afleverinstellingen {
            omgeving,
            bron: "urn:nl:koers:test".to_owned(),
            basis_url: "https://koers.example.nl".to_owned(),
            connect_timeout: Duration::from_secs(2),
            timeout: Duration::from_secs(5),
        }
    }

    fn client(omgeving: Omgeving) -> Afleverclient {
        Afleverclient::new(instellingen(omgeving)).unwrap()
    }

    fn event() -> Event {
        let persoon = InburgeraarId::new();
        Event {
            volgnummer: 42,
            id: uuid::Uuid::now_v7(),
            kind: EventKind::PipVastgesteld,
            url: pip_url(persoon, uuid::Uuid::now_v7()),
            inburgeraar_id: Some(persoon),
            gemeente: Some(GemeenteCode::parse("g", "0405").unwrap()),
            organisatie_id: None,
            tijdstip: chrono::Utc::now().naive_utc(),
            request_id: "req-1".to_owned(),
        }
    }

    /// When `KOERS_WEBHOOK_CAPTURE` names a file, the delivery is written there as
    /// `tests/webhooks/verify.py` reads it: one record per secret, each with the request's headers
    /// and body.
    fn vastleggen(verzoek: &Verzoek, geheimen: &[String]) {
        let Some(pad) = std::env::var_os("KOERS_WEBHOOK_CAPTURE") else {
            return;
        };
        let headers: serde_json::Map<String, serde_json::Value> = verzoek
            .headers
            .iter()
            .map(|(n, v)| (n.clone(), v.clone().into()))
            .collect();
        let records: Vec<serde_json::Value> = geheimen
            .iter()
            .map(|geheim| {
                serde_json::json!({
                    "headers": headers,
                    "body": String::from_utf8(verzoek.body.clone()).unwrap(),
                    "secret": geheim,
                })
            })
            .collect();
        std::fs::write(pad, serde_json::to_vec_pretty(&records).unwrap()).unwrap();
    }

    // --- deliveries ---------------------------------------------------------------------------

    #[actix_web::test]
    async fn a_delivery_is_a_signed_structured_cloudevent() {
        let ontvanger = Ontvanger::start(Some(OK)).await;
        let (nieuw, oud) = (nieuw_geheim(), GEHEIM.to_owned());
        let geheimen = [nieuw.clone(), oud.clone()];
        let e = event();
        let voor = chrono::Utc::now().timestamp();
        let afgeleverd = client(Omgeving::Ontwikkeling)
            .afleveren(&ontvanger.url("http", "127.0.0.1"), &geheimen, &e)
            .await;
        let na = chrono::Utc::now().timestamp();
        assert_eq!(afgeleverd.statuscode, Some(204), "{afgeleverd:?}");
        assert_eq!(afgeleverd.fout, None);
        assert!(afgeleverd.geslaagd());

        let ontvangen = ontvanger.ontvangen();
        assert_eq!(ontvangen.len(), 1);
        let verzoek = &ontvangen[0];
        vastleggen(verzoek, &geheimen);
        assert_eq!(verzoek.methode, "POST");
        assert_eq!(verzoek.pad, "/webhooks/koers");
        assert_eq!(
            verzoek.header("content-type"),
            Some("application/cloudevents+json")
        );
        let id = e.id.to_string();
        assert_eq!(verzoek.header("webhook-id"), Some(id.as_str()));
        let timestamp: i64 = verzoek
            .header("webhook-timestamp")
            .unwrap()
            .parse()
            .unwrap();
        assert!((voor..=na).contains(&timestamp));

        // The body: the domain's CloudEvent, as JSON.
        let ce: serde_json::Value = serde_json::from_slice(&verzoek.body).unwrap();
        assert_eq!(ce["specversion"], "1.0");
        assert_eq!(ce["id"], id);
        assert_eq!(
            ce,
            cloudevent(&e, "urn:nl:koers:test", "https://koers.example.nl")
        );

        // One signature per secret, the newest first, each over exactly the bytes received.
        let handtekeningen: Vec<&str> = verzoek
            .header("webhook-signature")
            .unwrap()
            .split(' ')
            .collect();
        assert_eq!(
            handtekeningen,
            [
                handtekening(&nieuw, &id, timestamp, &verzoek.body).unwrap(),
                handtekening(&oud, &id, timestamp, &verzoek.body).unwrap(),
            ]
        );
    }

    #[actix_web::test]
    async fn a_receiver_answering_500_is_a_failed_delivery() {
        let ontvanger = Ontvanger::start(Some(FOUT)).await;
        let afgeleverd = client(Omgeving::Ontwikkeling)
            .afleveren(
                &ontvanger.url("http", "localhost"),
                &[nieuw_geheim()],
                &event(),
            )
            .await;
        assert_eq!(afgeleverd.statuscode, Some(500), "{afgeleverd:?}");
        assert!(!afgeleverd.geslaagd());
        assert_eq!(ontvanger.ontvangen().len(), 1);
    }

    #[actix_web::test]
    async fn a_redirect_is_not_followed() {
        let ontvanger = Ontvanger::start(Some(DOORVERWIJZING)).await;
        let afgeleverd = client(Omgeving::Ontwikkeling)
            .afleveren(
                &ontvanger.url("http", "127.0.0.1"),
                &[nieuw_geheim()],
                &event(),
            )
            .await;
        assert_eq!(afgeleverd.statuscode, Some(302));
        assert_eq!(
            afgeleverd.fout.as_deref(),
            Some("doorverwijzing niet gevolgd")
        );
        assert!(!afgeleverd.geslaagd());
        tokio::time::sleep(Duration::from_millis(100)).await;
        let ontvangen = ontvanger.ontvangen();
        assert_eq!(ontvangen.len(), 1);
        assert_eq!(ontvangen[0].pad, "/webhooks/koers");
    }

    #[actix_web::test]
    async fn production_refuses_the_local_machine_and_http_without_connecting() {
        let ontvanger = Ontvanger::start(Some(OK)).await;
        let productie = client(Omgeving::Productie);
        let poort = ontvanger.poort;
        for url in [
            ontvanger.url("https", "127.0.0.1"),
            ontvanger.url("http", "127.0.0.1"),
            ontvanger.url("https", "localhost"),
            ontvanger.url("https", "[::1]"),
            ontvanger.url("https", "[::ffff:127.0.0.1]"),
            ontvanger.url("https", "0x7f000001"),
            ontvanger.url("https", "2130706433"),
            ontvanger.url("https", "127.1"),
            format!("https://169.254.169.254:{poort}/latest/meta-data"),
            ontvanger.url("http", "ontvanger.example.nl"),
        ] {
            let afgeleverd = productie.afleveren(&url, &[nieuw_geheim()], &event()).await;
            assert_eq!(afgeleverd.statuscode, None, "{url}");
            assert!(afgeleverd.fout.is_some(), "{url}");
            assert!(!afgeleverd.geslaagd(), "{url}");
        }
        assert_eq!(ontvanger.verbindingen(), 0);
        assert!(ontvanger.ontvangen().is_empty());
    }

    #[actix_web::test]
    async fn production_checks_the_addresses_a_name_resolves_to_before_connecting() {
        let ontvanger = Ontvanger::start(Some(OK)).await;
        let mut resolver = Adrescontrole::new(Omgeving::Productie);
        resolver.vast = vec![
            (
                "ontvanger.test".to_owned(),
                vec!["127.0.0.1".parse().unwrap()],
            ),
            (
                "gemengd.test".to_owned(),
                vec!["8.8.8.8".parse().unwrap(), "127.0.0.1".parse().unwrap()],
            ),
        ];
        let productie =
            Afleverclient::met_resolver(instellingen(Omgeving::Productie), resolver).unwrap();
        for host in ["ontvanger.test", "gemengd.test"] {
            let afgeleverd = productie
                .afleveren(&ontvanger.url("https", host), &[nieuw_geheim()], &event())
                .await;
            assert_eq!(afgeleverd.statuscode, None, "{host}");
            let fout = afgeleverd.fout.unwrap();
            assert!(
                fout.starts_with(&format!(
                    "adres niet toegestaan: {host} wijst naar 127.0.0.1"
                )),
                "{fout}"
            );
        }
        assert_eq!(ontvanger.verbindingen(), 0);
    }

    #[actix_web::test]
    async fn development_allows_http_to_the_local_machine() {
        let ontvanger = Ontvanger::start(Some(OK)).await;
        let ontwikkeling = client(Omgeving::Ontwikkeling);
        for host in ["127.0.0.1", "localhost"] {
            let afgeleverd = ontwikkeling
                .afleveren(&ontvanger.url("http", host), &[nieuw_geheim()], &event())
                .await;
            assert!(afgeleverd.geslaagd(), "{host}: {afgeleverd:?}");
        }
        assert_eq!(ontvanger.ontvangen().len(), 2);
    }

    #[actix_web::test]
    async fn without_a_valid_secret_nothing_is_sent_and_no_secret_is_named() {
        let ontvanger = Ontvanger::start(Some(OK)).await;
        let ontwikkeling = client(Omgeving::Ontwikkeling);
        let url = ontvanger.url("http", "127.0.0.1");
        let geen = ontwikkeling.afleveren(&url, &[], &event()).await;
        assert_eq!(
            geen.fout.as_deref(),
            Some("geen geheim om mee te ondertekenen")
        );
        let kapot = "whsec_dit*is*geen*base64".to_owned();
        let ongeldig = ontwikkeling
            .afleveren(&url, &[nieuw_geheim(), kapot.clone()], &event())
            .await;
        let fout = ongeldig.fout.unwrap();
        assert!(fout.starts_with("geheim 2: "), "{fout}");
        assert!(!fout.contains("dit*is"), "{fout}");
        assert_eq!(ontvanger.verbindingen(), 0);
    }

    #[actix_web::test]
    async fn a_receiver_that_does_not_answer_times_out() {
        let ontvanger = Ontvanger::start(None).await;
        let client = Afleverclient::new(Afleverinstellingen {
            timeout: Duration::from_millis(300),
            ..instellingen(Omgeving::Ontwikkeling)
        })
        .unwrap();
        let afgeleverd = client
            .afleveren(
                &ontvanger.url("http", "127.0.0.1"),
                &[nieuw_geheim()],
                &event(),
            )
            .await;
        assert_eq!(afgeleverd.statuscode, None);
        let fout = afgeleverd.fout.unwrap();
        assert!(fout.starts_with("tijdslimiet overschreden"), "{fout}");
        assert!(afgeleverd.duur >= Duration::from_millis(300));
        assert!(afgeleverd.duur < Duration::from_secs(5));
    }

    #[actix_web::test]
    async fn a_refused_connection_is_a_fout() {
        // A port that was just free: nothing listens there.
        let poort = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        };
        let afgeleverd = client(Omgeving::Ontwikkeling)
            .afleveren(
                &format!("http://127.0.0.1:{poort}/"),
                &[nieuw_geheim()],
                &event(),
            )
            .await;
        assert_eq!(afgeleverd.statuscode, None);
        let fout = afgeleverd.fout.unwrap();
        assert!(fout.starts_with("verbinding mislukt"), "{fout}");
        assert!(
            !fout.contains("127.0.0.1:"),
            "the URL is not repeated: {fout}"
        );
    }
}
