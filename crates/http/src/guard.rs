//! The connection guard: what the HTTP layer would refuse before the app, refused here with a problem.
//!
//! actix-http answers a head it cannot or will not take with a bare 400, 408 or 431, without a body and
//! without the headers every answer of Koers carries, and never shows it to the app. A request target
//! over 65,534 bytes cannot even be represented (the `http` crate's `Uri`), so no middleware could
//! answer it. So every connection is read through [`Guarded`], which follows the HTTP/1.1 framing as
//! actix-http does (heads, `Content-Length` and chunked bodies, byte for byte the same states) and holds
//! each request head back until it is complete. It checks the head as actix-http would: a target over
//! [`MAX_TARGET`] bytes is answered 414; a head over [`MAX_HEAD`] bytes or with more than
//! [`MAX_HEADERS`] fields 431; a head actix-http would refuse (it does not parse, a method or URI the
//! `http` crate does not take, no `Host` or two, a doubtful `Content-Length` or `Transfer-Encoding`)
//! and a broken chunked body 400; a first head that is not complete within the request timeout 408.
//! Each as `application/problem+json` with the security headers, after which the connection is closed.
//! actix never sees such a head, so none of its own refusals can be reached (the server switches its
//! request timeout off: the guard keeps it). Everything else passes through unchanged.

use crate::problem::{Problem, PROBLEM_JSON};
use actix_web::rt::time::{sleep, Sleep};
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Longest request target (path and query) accepted: the longest the `http` crate, and so actix-http,
/// can represent.
pub const MAX_TARGET: usize = (u16::MAX - 1) as usize;
/// Largest request head (request line and header fields) accepted, below actix-http's own buffer
/// (128 KiB), so that every head the guard lets through actix can take.
pub const MAX_HEAD: usize = 96 * 1024;
/// Most header fields accepted (actix-http's own limit).
pub const MAX_HEADERS: usize = 96;

/// Why a head is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    UriTooLong,
    HeadTooLarge,
    Malformed,
    /// The first head did not arrive within the request timeout.
    Timeout,
}

impl Refusal {
    fn problem(self, instance: &str) -> Problem {
        let (status, slug, title, detail) = match self {
            Refusal::UriTooLong => (
                414,
                "uri-te-lang",
                "URI te lang",
                format!("Het pad met de query is langer dan {MAX_TARGET} bytes."),
            ),
            Refusal::HeadTooLarge => (
                431,
                "headers-te-groot",
                "Headers te groot",
                format!(
                    "De headers zijn samen groter dan {MAX_HEAD} bytes, of het zijn er meer dan {MAX_HEADERS}."
                ),
            ),
            Refusal::Malformed => (
                400,
                "ongeldig-verzoek",
                "Ongeldig verzoek",
                "Het verzoek is geen geldig HTTP/1.1-verzoek.".to_owned(),
            ),
            Refusal::Timeout => (
                408,
                "verzoek-te-traag",
                "Verzoek te traag",
                "De kop van het verzoek kwam niet op tijd volledig binnen.".to_owned(),
            ),
        };
        Problem {
            kind: format!("https://koers.dev/problemen/{slug}"),
            title: title.to_owned(),
            status,
            detail,
            instance: instance.to_owned(),
            invalid_params: Vec::new(),
        }
    }

    /// The whole answer, as bytes on the wire; the connection is closed after it. `instance`: the
    /// path of the refused request, as far as it is known.
    pub fn response(self, instance: &str) -> Vec<u8> {
        let problem = self.problem(instance);
        let body = serde_json::to_string(&problem).unwrap_or_default();
        let reason = match problem.status {
            408 => "Request Timeout",
            414 => "URI Too Long",
            431 => "Request Header Fields Too Large",
            _ => "Bad Request",
        };
        let mut head = format!("HTTP/1.1 {} {reason}\r\n", problem.status);
        for (name, value) in crate::context::fixed_headers(crate::openapi::API_VERSION) {
            head.push_str(&format!(
                "{}: {}\r\n",
                name.as_str(),
                value.to_str().unwrap_or_default()
            ));
        }
        head.push_str(&format!(
            "x-request-id: {}\r\ncontent-type: {PROBLEM_JSON}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            uuid::Uuid::new_v4(),
            body.len()
        ));
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(body.as_bytes());
        bytes
    }
}

/// Where the reader is in the stream of requests.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Framing {
    /// In a request head, held back until it is complete.
    Head,
    /// In a body of known length: bytes still to come.
    Body(u64),
    /// In a chunked body.
    Chunked(Chunk),
    /// What follows is not requests (a WebSocket upgrade, CONNECT): everything passes, as actix-http
    /// reads it to the end of the stream.
    Passthrough,
}

/// Where in a chunked body the reader is: the states of actix-http's chunked decoder, with the chunk
/// size read so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Chunk {
    SizeFirst,
    SizeRest(u64),
    SizeLws(u64),
    Extension(u64),
    SizeLf(u64),
    /// The data of a chunk: bytes still to come.
    Data(u64),
    DataCr,
    DataLf,
    EndCr,
    Trailer,
    TrailerLf,
    EndLf,
}

impl Chunk {
    /// The state after `byte` (outside chunk data); `None` once the body has ended. A byte that
    /// actix-http's decoder refuses is refused here.
    fn next(self, byte: u8) -> Result<Option<Chunk>, Refusal> {
        use Chunk::*;
        let hex = || {
            (byte as char)
                .to_digit(16)
                .map(u64::from)
                .ok_or(Refusal::Malformed)
        };
        Ok(Some(match (self, byte) {
            (SizeFirst, _) => SizeRest(hex()?),
            (SizeRest(size), b'\t' | b' ') => SizeLws(size),
            (SizeRest(size) | SizeLws(size), b';') => Extension(size),
            (SizeRest(size) | SizeLws(size) | Extension(size), b'\r') => SizeLf(size),
            (SizeRest(size), _) => {
                let digit = hex()?;
                SizeRest(size.checked_mul(16).ok_or(Refusal::Malformed)? + digit)
            }
            (SizeLws(size), b'\t' | b' ') => SizeLws(size),
            (Extension(_), 0x00..=0x08 | 0x0a..=0x1f | 0x7f) => return Err(Refusal::Malformed),
            (Extension(size), _) => Extension(size),
            (SizeLf(0), b'\n') => EndCr,
            (SizeLf(size), b'\n') => Data(size),
            (DataCr, b'\r') => DataLf,
            (DataLf, b'\n') => SizeFirst,
            (EndCr, b'\r') => EndLf,
            (EndCr | Trailer, _) if byte != b'\r' => Trailer,
            (Trailer, b'\r') => TrailerLf,
            (TrailerLf, b'\n') => EndCr,
            (EndLf, b'\n') => return Ok(None),
            _ => return Err(Refusal::Malformed),
        }))
    }
}

/// A request head held back, with what the limits need to know of it, found as its bytes arrive (so
/// that a head sent a byte at a time costs no more than one sent at once).
#[derive(Debug, Default)]
struct Held {
    bytes: Vec<u8>,
    /// Line feeds among the bytes.
    lines: usize,
    /// Where the request line ends (its line feed), once it does.
    line_end: Option<usize>,
    /// Where the target begins (after the first space) and ends (at the second), once known.
    target_start: Option<usize>,
    target_end: Option<usize>,
}

impl Held {
    fn extend(&mut self, new: &[u8]) {
        let offset = self.bytes.len();
        self.bytes.extend_from_slice(new);
        for (index, byte) in new.iter().enumerate() {
            match byte {
                b'\n' => {
                    self.lines += 1;
                    self.line_end.get_or_insert(offset + index);
                }
                b' ' if self.line_end.is_none() => {
                    if self.target_start.is_none() {
                        self.target_start = Some(offset + index + 1);
                    } else if self.target_end.is_none() {
                        self.target_end = Some(offset + index);
                    }
                }
                _ => {}
            }
        }
    }

    /// The request target as far as it has arrived.
    fn target(&self) -> &[u8] {
        match self.target_start {
            Some(start) => {
                let end = self
                    .target_end
                    .or(self.line_end)
                    .unwrap_or(self.bytes.len());
                &self.bytes[start.min(end)..end]
            }
            None => &[],
        }
    }

    /// The limits, on what is held so far.
    fn check(&self) -> Result<(), Refusal> {
        if self.target().len() > MAX_TARGET {
            return Err(Refusal::UriTooLong);
        }
        // The request line, the fields and the blank line that ends them.
        if self.bytes.len() > MAX_HEAD || self.lines > MAX_HEADERS + 2 {
            return Err(Refusal::HeadTooLarge);
        }
        Ok(())
    }

    /// The path of the request, for `instance` (empty when it is not an origin-form path of visible
    /// ASCII), cut where the app cuts it.
    fn instance(&self) -> String {
        let target = self.target();
        let path = target
            .iter()
            .position(|b| *b == b'?' || *b == b'#')
            .map_or(target, |end| &target[..end]);
        match std::str::from_utf8(path) {
            Ok(path) if path.starts_with('/') && path.bytes().all(|b| b.is_ascii_graphic()) => {
                crate::context::instance_of(path).to_owned()
            }
            _ => String::new(),
        }
    }
}

/// Follows the framing of the requests on one connection.
#[derive(Debug)]
pub struct Scanner {
    framing: Framing,
    held: Held,
    /// Heads passed on so far.
    heads: usize,
}

impl Default for Scanner {
    fn default() -> Self {
        Self {
            framing: Framing::Head,
            held: Held::default(),
            heads: 0,
        }
    }
}

impl Scanner {
    /// Takes the bytes read from the client; returns those that may go to actix now and, when a
    /// head is refused, the refusal (what came before it still goes to actix, nothing after it).
    pub fn feed(&mut self, input: &[u8]) -> (Vec<u8>, Option<Refusal>) {
        let mut out = Vec::with_capacity(input.len());
        let refusal = self.follow(input, &mut out).err();
        (out, refusal)
    }

    /// The path of the head held back (or refused), as `instance` of a problem.
    pub fn instance(&self) -> String {
        self.held.instance()
    }

    fn follow(&mut self, mut input: &[u8], out: &mut Vec<u8>) -> Result<(), Refusal> {
        while !input.is_empty() {
            match &mut self.framing {
                Framing::Passthrough => {
                    out.extend_from_slice(input);
                    input = &[];
                }
                Framing::Head => {
                    // Blank lines before a request line are allowed (RFC 9112, 2.2).
                    if self.held.bytes.is_empty() {
                        let blanks = input
                            .iter()
                            .take_while(|b| **b == b'\r' || **b == b'\n')
                            .count();
                        out.extend_from_slice(&input[..blanks]);
                        input = &input[blanks..];
                        if input.is_empty() {
                            break;
                        }
                    }
                    let end = find_head_end(&self.held.bytes, input);
                    let take = end.unwrap_or(input.len());
                    self.held.extend(&input[..take]);
                    input = &input[take..];
                    self.held.check()?;
                    if end.is_some() {
                        self.framing = framing_after(&self.held.bytes)?;
                        out.extend_from_slice(&std::mem::take(&mut self.held).bytes);
                        self.heads += 1;
                    }
                }
                Framing::Body(remaining) => {
                    if pass(remaining, &mut input, out) {
                        self.framing = Framing::Head;
                    }
                }
                Framing::Chunked(Chunk::Data(remaining)) => {
                    if pass(remaining, &mut input, out) {
                        self.framing = Framing::Chunked(Chunk::DataCr);
                    }
                }
                Framing::Chunked(state) => {
                    let byte = input[0];
                    self.framing = match state.next(byte)? {
                        Some(state) => Framing::Chunked(state),
                        None => Framing::Head,
                    };
                    out.push(byte);
                    input = &input[1..];
                }
            }
        }
        Ok(())
    }
}

/// Passes up to `remaining` bytes of a body on; `true` once all of them have passed.
fn pass(remaining: &mut u64, input: &mut &[u8], out: &mut Vec<u8>) -> bool {
    let take = usize::try_from(*remaining)
        .unwrap_or(usize::MAX)
        .min(input.len());
    out.extend_from_slice(&input[..take]);
    *input = &input[take..];
    *remaining -= take as u64;
    *remaining == 0
}

/// Where in `input` the head that `held` began ends (just after its blank line), if it does.
fn find_head_end(held: &[u8], input: &[u8]) -> Option<usize> {
    // The last bytes held, then the input: look for LF (CR) LF across the seam.
    let tail: Vec<u8> = held.iter().rev().take(3).rev().copied().collect();
    let joined: Vec<u8> = tail.iter().chain(input.iter()).copied().collect();
    let mut previous_lf: Option<usize> = None;
    for (index, byte) in joined.iter().enumerate() {
        if *byte == b'\n' {
            if let Some(lf) = previous_lf {
                let between = &joined[lf + 1..index];
                if between.is_empty() || between == b"\r" {
                    return (index + 1).checked_sub(tail.len());
                }
            }
            previous_lf = Some(index);
        }
    }
    None
}

/// A header value as actix-http reads it (`HeaderValue::to_str`: visible ASCII and tabs), trimmed.
fn text(value: &[u8]) -> Result<&str, Refusal> {
    if value
        .iter()
        .all(|b| *b == b'\t' || (b' '..=b'~').contains(b))
    {
        std::str::from_utf8(value)
            .map(str::trim)
            .map_err(|_| Refusal::Malformed)
    } else {
        Err(Refusal::Malformed)
    }
}

/// Checks a complete head as actix-http's decoder does, and gives the framing of what follows it: its
/// body, or the next head. Whatever actix-http would refuse is refused here.
fn framing_after(head: &[u8]) -> Result<Framing, Refusal> {
    use actix_web::http::{Method, Uri};
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut headers);
    match request.parse(head) {
        Ok(httparse::Status::Complete(_)) => {}
        Err(httparse::Error::TooManyHeaders) => return Err(Refusal::HeadTooLarge),
        _ => return Err(Refusal::Malformed),
    }
    let (Some(method), Some(path), Some(version)) = (request.method, request.path, request.version)
    else {
        return Err(Refusal::Malformed);
    };
    let method = Method::from_bytes(method.as_bytes()).map_err(|_| Refusal::Malformed)?;
    if path.len() > MAX_TARGET {
        return Err(Refusal::UriTooLong);
    }
    Uri::try_from(path).map_err(|_| Refusal::Malformed)?;
    let http11 = version == 1;
    let mut host = false;
    let mut length: Option<u64> = None;
    // Whether there is a Transfer-Encoding, and whether it is chunked.
    let mut transfer: Option<bool> = None;
    let mut websocket = false;
    for header in request.headers.iter() {
        let name = header.name;
        if name.eq_ignore_ascii_case("content-length") {
            let value = text(header.value)?;
            if length.is_some() || value.starts_with('+') {
                return Err(Refusal::Malformed);
            }
            length = Some(value.parse().map_err(|_| Refusal::Malformed)?);
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            // Not in HTTP/1.0, once at most, and only `chunked` (`identity` is refused below).
            if !http11 || transfer.is_some() {
                return Err(Refusal::Malformed);
            }
            let value = text(header.value)?;
            if value.eq_ignore_ascii_case("chunked") {
                transfer = Some(true);
            } else if value.eq_ignore_ascii_case("identity") {
                transfer = Some(false);
            } else {
                return Err(Refusal::Malformed);
            }
        } else if name.eq_ignore_ascii_case("host") {
            if host {
                return Err(Refusal::Malformed);
            }
            host = true;
        } else if name.eq_ignore_ascii_case("upgrade") {
            websocket = websocket
                || text(header.value).is_ok_and(|value| value.eq_ignore_ascii_case("websocket"));
        }
    }
    // HTTP/1.1 requires a Host; a Transfer-Encoding must be chunked and not come with a length; an
    // HTTP/1.0 POST needs a length.
    if (http11 && !host)
        || transfer == Some(false)
        || (transfer.is_some() && length.is_some())
        || (!http11 && method == Method::POST && length.is_none() && !websocket)
    {
        return Err(Refusal::Malformed);
    }
    Ok(if transfer == Some(true) {
        Framing::Chunked(Chunk::SizeFirst)
    } else if websocket {
        Framing::Passthrough
    } else {
        match length {
            Some(length) if length > 0 => Framing::Body(length),
            _ if method == Method::CONNECT => Framing::Passthrough,
            _ => Framing::Head,
        }
    })
}

/// Most bytes read and dropped after a refusal, while the connection lingers.
const MAX_DRAIN: usize = 1024 * 1024;

/// The answer to a refused head, and how far writing it and closing have come.
struct Refusing {
    answer: Vec<u8>,
    written: usize,
    /// Whether the writing side is shut (after the answer).
    shut: bool,
    /// Bytes read and dropped since.
    drained: usize,
}

/// A connection read through a [`Scanner`]: refused heads are answered here and never reach actix.
/// After a refusal actix reads the end of the stream (once it has what came before the refused
/// head), answers what it has, and shuts the connection down; the refusal is written then, after
/// actix's own answers, so that the answers keep their order.
pub struct Guarded<T> {
    inner: T,
    scanner: Scanner,
    /// Bytes passed by the scanner that did not fit the reader's buffer yet.
    ready: Vec<u8>,
    /// The answer to a refused head, once there is one.
    refusal: Option<Refusing>,
    /// When the first head must be complete (as actix-http's request timeout, which applies to the
    /// first request of a connection only).
    deadline: Option<Pin<Box<Sleep>>>,
}

impl<T> Guarded<T> {
    /// `request_timeout`: how long the client has to send its first head (none: no bound).
    pub fn new(inner: T, request_timeout: Option<Duration>) -> Self {
        Self {
            inner,
            scanner: Scanner::default(),
            ready: Vec::new(),
            refusal: None,
            deadline: request_timeout.map(|timeout| Box::pin(sleep(timeout))),
        }
    }

    fn refuse(&mut self, refusal: Refusal) {
        tracing::info!(?refusal, "request refused before the app");
        self.refusal = Some(Refusing {
            answer: refusal.response(&self.scanner.instance()),
            written: 0,
            shut: false,
            drained: 0,
        });
    }
}

impl<T: AsyncRead + AsyncWrite + Unpin> AsyncRead for Guarded<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        loop {
            if !this.ready.is_empty() {
                let n = this.ready.len().min(buf.remaining());
                buf.put_slice(&this.ready[..n]);
                this.ready.drain(..n);
                return Poll::Ready(Ok(()));
            }
            if this.refusal.is_some() {
                // Nothing after a refused head reaches actix: for it the client is done.
                return Poll::Ready(Ok(()));
            }
            if this.scanner.heads > 0 {
                this.deadline = None;
            }
            let mut raw = [0u8; 8192];
            let mut read = ReadBuf::new(&mut raw);
            match Pin::new(&mut this.inner).poll_read(cx, &mut read) {
                Poll::Pending => {
                    let late = this
                        .deadline
                        .as_mut()
                        .is_some_and(|deadline| deadline.as_mut().poll(cx).is_ready());
                    if !late {
                        return Poll::Pending;
                    }
                    this.deadline = None;
                    this.refuse(Refusal::Timeout);
                }
                Poll::Ready(Err(error)) => return Poll::Ready(Err(error)),
                Poll::Ready(Ok(())) if read.filled().is_empty() => return Poll::Ready(Ok(())),
                Poll::Ready(Ok(())) => {
                    let (passed, refusal) = this.scanner.feed(read.filled());
                    this.ready = passed;
                    if let Some(refusal) = refusal {
                        this.refuse(refusal);
                    }
                }
            }
        }
    }
}

impl<T: AsyncRead + AsyncWrite + Unpin> AsyncWrite for Guarded<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let Some(refusing) = &mut this.refusal else {
            return Pin::new(&mut this.inner).poll_shutdown(cx);
        };
        while refusing.written < refusing.answer.len() {
            match Pin::new(&mut this.inner).poll_write(cx, &refusing.answer[refusing.written..]) {
                Poll::Ready(Ok(0)) => break,
                Poll::Ready(Ok(n)) => refusing.written += n,
                Poll::Ready(Err(error)) => return Poll::Ready(Err(error)),
                Poll::Pending => return Poll::Pending,
            }
        }
        if !refusing.shut {
            if Pin::new(&mut this.inner).poll_shutdown(cx)?.is_pending() {
                return Poll::Pending;
            }
            refusing.shut = true;
        }
        // A lingering close: what the client still sends after the refused head is read and
        // dropped until it closes (within actix-http's disconnect timeout), because closing with
        // input unread resets the connection, and a reset can take the answer with it before the
        // client has read it.
        let mut scratch = [0u8; 8192];
        while refusing.drained < MAX_DRAIN {
            let mut read = ReadBuf::new(&mut scratch);
            match Pin::new(&mut this.inner).poll_read(cx, &mut read) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Ok(())) if !read.filled().is_empty() => {
                    refusing.drained += read.filled().len();
                }
                Poll::Ready(_) => break,
            }
        }
        Poll::Ready(Ok(()))
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed_all(parts: &[&[u8]]) -> Result<Vec<u8>, Refusal> {
        let mut scanner = Scanner::default();
        let mut out = Vec::new();
        for part in parts {
            let (passed, refusal) = scanner.feed(part);
            out.extend(passed);
            if let Some(refusal) = refusal {
                return Err(refusal);
            }
        }
        Ok(out)
    }

    fn feed(text: &str) -> Result<Vec<u8>, Refusal> {
        feed_all(&[text.as_bytes()])
    }

    #[test]
    fn requests_pass_unchanged_whatever_the_pieces() {
        let stream = b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3;x=1\r\nabc\r\n00000000000000000001 \r\nd\r\n0\r\nT: v\r\n\r\nGET /c HTTP/1.1\r\nHost: x\r\n\r\n";
        for split in 1..stream.len() {
            let (a, b) = stream.split_at(split);
            assert_eq!(
                feed_all(&[a, b]).unwrap(),
                stream.to_vec(),
                "split at {split}"
            );
        }
        let bytes: Vec<&[u8]> = stream.chunks(1).collect();
        assert_eq!(feed_all(&bytes).unwrap(), stream.to_vec());
    }

    #[test]
    fn a_head_is_held_back_until_it_is_complete() {
        let mut scanner = Scanner::default();
        assert_eq!(
            scanner.feed(b"GET / HTTP/1.1\r\nHost: x\r\n"),
            (Vec::new(), None)
        );
        assert_eq!(
            scanner.feed(b"\r\n"),
            (b"GET / HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(), None)
        );
        // What came before a refused head still goes on.
        let (passed, refusal) = scanner.feed(
            format!(
                "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /{} HTTP/1.1\r\n",
                "x".repeat(70_000)
            )
            .as_bytes(),
        );
        assert_eq!(
            (passed, refusal),
            (
                b"GET /a HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
                Some(Refusal::UriTooLong)
            )
        );
        assert_eq!(scanner.instance().len(), crate::openapi::MAX_TEXT);
    }

    #[test]
    fn the_target_is_bounded_where_actix_http_can_no_longer_take_it() {
        for method in ["GET", "OPTIONS"] {
            let at_bound = format!(
                "{method} /{} HTTP/1.1\r\nHost: x\r\n\r\n",
                "a".repeat(MAX_TARGET - 1)
            );
            assert!(
                feed(&at_bound).is_ok(),
                "{method}: a target of {MAX_TARGET} bytes passes"
            );
            let over = format!(
                "{method} /{} HTTP/1.1\r\nHost: x\r\n\r\n",
                "a".repeat(MAX_TARGET)
            );
            assert_eq!(feed(&over), Err(Refusal::UriTooLong), "{method}");
        }
        // Refused before the line is complete, in any piece.
        let long = format!("GET /?q={}", "a".repeat(100_000));
        let pieces: Vec<&[u8]> = long.as_bytes().chunks(7).collect();
        assert_eq!(feed_all(&pieces), Err(Refusal::UriTooLong));
    }

    #[test]
    fn over_long_lines_and_heads_are_refused_in_any_piece() {
        let long_line = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(100_000));
        assert_eq!(feed(&long_line), Err(Refusal::UriTooLong));
        let second = format!("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n{long_line}");
        assert_eq!(
            feed(&second),
            Err(Refusal::UriTooLong),
            "the second request on a kept-alive connection as well"
        );
        let big_header = format!(
            "GET / HTTP/1.1\r\nHost: x\r\nX-A: {}\r\n\r\n",
            "b".repeat(100_000)
        );
        assert_eq!(feed(&big_header), Err(Refusal::HeadTooLarge));
        let fine_header = format!(
            "GET / HTTP/1.1\r\nHost: x\r\nX-A: {}\r\n\r\n",
            "b".repeat(90_000)
        );
        assert!(feed(&fine_header).is_ok(), "what actix can take passes");
        let fields = |n: usize| {
            let many: String = (1..n).map(|i| format!("X-{i}: v\r\n")).collect();
            format!("GET / HTTP/1.1\r\nHost: x\r\n{many}\r\n")
        };
        assert!(feed(&fields(MAX_HEADERS)).is_ok());
        assert_eq!(feed(&fields(MAX_HEADERS + 1)), Err(Refusal::HeadTooLarge));
        assert_eq!(feed(&fields(200)), Err(Refusal::HeadTooLarge));
        // A head a byte at a time is refused as well, without rescanning what is held.
        let bytes: Vec<&[u8]> = big_header.as_bytes().chunks(1).collect();
        assert_eq!(feed_all(&bytes), Err(Refusal::HeadTooLarge));
    }

    #[test]
    fn what_actix_http_would_refuse_is_refused() {
        for head in [
            "NOT HTTP AT ALL\r\n\r\n",
            "GET / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",
            "GET /a<b> HTTP/1.1\r\nHost: x\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: five\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
            "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
            "POST / HTTP/1.0\r\n\r\n",
        ] {
            assert_eq!(feed(head), Err(Refusal::Malformed), "{head:?}");
        }
        // A chunked body that actix-http's decoder refuses.
        for body in [
            "x\r\n",
            "5\n",
            "5\r\nhello\n",
            "1 2\r\n",
            "11111111111111111\r\n",
        ] {
            let request =
                format!("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n{body}");
            assert_eq!(feed(&request), Err(Refusal::Malformed), "{body:?}");
        }
        assert!(
            feed("GET / HTTP/1.0\r\n\r\n").is_ok(),
            "HTTP/1.0 needs no Host"
        );
    }

    #[test]
    fn only_what_actix_http_reads_to_the_end_passes_unread() {
        // An upgrade other than WebSocket does not change the framing: the next head is checked.
        let other = format!(
            "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: h2c\r\n\r\nGET /{} HTTP/1.1\r\n",
            "a".repeat(70_000)
        );
        assert_eq!(feed(&other), Err(Refusal::UriTooLong));
        let websocket = format!(
            "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n{}",
            "a".repeat(70_000)
        );
        assert!(feed(&websocket).is_ok());
    }

    #[test]
    fn a_refusal_is_a_problem_with_the_headers() {
        let text = String::from_utf8(Refusal::UriTooLong.response("/api/v1/x")).unwrap();
        assert!(text.starts_with("HTTP/1.1 414 URI Too Long\r\n"));
        for header in [
            "content-type: application/problem+json",
            "cache-control: no-store",
            "x-frame-options: DENY",
            "api-version: ",
            "connection: close",
        ] {
            assert!(text.contains(header), "{header} in {text}");
        }
        let body = text.split("\r\n\r\n").nth(1).unwrap();
        let problem: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(problem["status"], 414);
        assert_eq!(problem["type"], "https://koers.dev/problemen/uri-te-lang");
        assert_eq!(problem["instance"], "/api/v1/x");
        let text = String::from_utf8(Refusal::Timeout.response("")).unwrap();
        assert!(text.starts_with("HTTP/1.1 408 Request Timeout\r\n"));
    }
}
