//! The connection guard: what the HTTP layer would refuse before the app, refused here with a problem.
//!
//! actix-http answers an over-long request target (over 65,534 bytes the `http` crate cannot hold it)
//! or an over-large head with a bare 400 or 431, without a body and without the headers every answer
//! of Koers carries. So every connection is read through [`Guarded`], which follows the HTTP/1.1
//! framing (heads, `Content-Length` and chunked bodies) and holds each request head back until it is
//! complete: a request line over [`MAX_REQUEST_LINE`] is answered 414, a head over [`MAX_HEAD`] or
//! with more than [`MAX_HEADERS`] fields 431, a head that does not parse 400, each as
//! `application/problem+json` with the security headers, and the connection is closed. actix never
//! sees such a head. Everything else passes through unchanged.

use crate::problem::{Problem, PROBLEM_JSON};
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Longest request line (method, target, version) accepted: the longest request target actix-http can
/// represent (the `http` crate's URI limit), with room for the method and the version.
pub const MAX_REQUEST_LINE: usize = 65_534 + 32;
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
}

impl Refusal {
    fn problem(self) -> Problem {
        let (status, slug, title, detail) = match self {
            Refusal::UriTooLong => (
                414,
                "uri-te-lang",
                "URI te lang",
                format!("De verzoekregel is langer dan {MAX_REQUEST_LINE} bytes."),
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
        };
        Problem {
            kind: format!("https://koers.dev/problemen/{slug}"),
            title: title.to_owned(),
            status,
            detail,
            instance: String::new(),
            invalid_params: Vec::new(),
        }
    }

    /// The whole answer, as bytes on the wire; the connection is closed after it.
    pub fn response(self) -> Vec<u8> {
        let problem = self.problem();
        let body = serde_json::to_string(&problem).unwrap_or_default();
        let reason = match problem.status {
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
    /// In a chunked body: the chunk-size line (its size so far, and whether extensions began).
    ChunkSize {
        size: u64,
        digits: usize,
        extension: bool,
    },
    /// The data of a chunk, then its CRLF.
    ChunkData(u64),
    ChunkEnd,
    /// The trailer after the last chunk: whether the current line is still empty.
    Trailer {
        empty_line: bool,
    },
    /// Not HTTP/1.1 framing the guard follows (an upgrade): everything passes.
    Passthrough,
}

/// Follows the framing of the requests on one connection.
#[derive(Debug)]
pub struct Scanner {
    framing: Framing,
    head: Vec<u8>,
}

impl Default for Scanner {
    fn default() -> Self {
        Self {
            framing: Framing::Head,
            head: Vec::new(),
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

    fn follow(&mut self, mut input: &[u8], out: &mut Vec<u8>) -> Result<(), Refusal> {
        while !input.is_empty() {
            match &mut self.framing {
                Framing::Passthrough => {
                    out.extend_from_slice(input);
                    input = &[];
                }
                Framing::Head => {
                    // Blank lines before a request line are allowed (RFC 9112, 2.2).
                    if self.head.is_empty() {
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
                    let start = self.head.len();
                    let end = find_head_end(&self.head, input);
                    let take = end.unwrap_or(input.len());
                    self.head.extend_from_slice(&input[..take]);
                    input = &input[take..];
                    check_limits(&self.head, start)?;
                    if end.is_some() {
                        let head = std::mem::take(&mut self.head);
                        self.framing = framing_after(&head)?;
                        out.extend_from_slice(&head);
                    }
                }
                Framing::Body(remaining) => {
                    if pass(remaining, &mut input, out) {
                        self.framing = Framing::Head;
                    }
                }
                Framing::ChunkSize {
                    size,
                    digits,
                    extension,
                } => {
                    let byte = input[0];
                    out.push(byte);
                    input = &input[1..];
                    match byte {
                        b'\n' => {
                            self.framing = if *size == 0 {
                                Framing::Trailer { empty_line: true }
                            } else {
                                Framing::ChunkData(*size)
                            };
                        }
                        _ if *extension || byte == b'\r' => {}
                        b';' | b' ' | b'\t' => *extension = true,
                        _ => match (byte as char).to_digit(16) {
                            Some(digit) if *digits < 16 => {
                                *size = *size * 16 + u64::from(digit);
                                *digits += 1;
                            }
                            // Not a chunk size: let actix refuse what follows.
                            _ => self.framing = Framing::Passthrough,
                        },
                    }
                }
                Framing::ChunkData(remaining) => {
                    if pass(remaining, &mut input, out) {
                        self.framing = Framing::ChunkEnd;
                    }
                }
                Framing::ChunkEnd => {
                    let byte = input[0];
                    out.push(byte);
                    input = &input[1..];
                    if byte == b'\n' {
                        self.framing = chunk_size();
                    }
                }
                Framing::Trailer { empty_line } => {
                    let byte = input[0];
                    out.push(byte);
                    input = &input[1..];
                    match byte {
                        b'\n' if *empty_line => self.framing = Framing::Head,
                        b'\n' => *empty_line = true,
                        b'\r' => {}
                        _ => *empty_line = false,
                    }
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

fn chunk_size() -> Framing {
    Framing::ChunkSize {
        size: 0,
        digits: 0,
        extension: false,
    }
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

/// The limits, checked on what is held so far (`start`: where the latest bytes begin).
fn check_limits(head: &[u8], start: usize) -> Result<(), Refusal> {
    let line_end = head.iter().position(|b| *b == b'\n');
    if line_end.unwrap_or(head.len()) > MAX_REQUEST_LINE {
        return Err(Refusal::UriTooLong);
    }
    if head.len() > MAX_HEAD {
        return Err(Refusal::HeadTooLarge);
    }
    if head[start..].contains(&b'\n')
        && head.iter().filter(|b| **b == b'\n').count() > MAX_HEADERS + 2
    {
        return Err(Refusal::HeadTooLarge);
    }
    Ok(())
}

/// The framing of what follows a complete head: its body, or the next head.
fn framing_after(head: &[u8]) -> Result<Framing, Refusal> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut headers);
    match request.parse(head) {
        Ok(httparse::Status::Complete(_)) => {}
        Err(httparse::Error::TooManyHeaders) => return Err(Refusal::HeadTooLarge),
        _ => return Err(Refusal::Malformed),
    }
    if request.method == Some("CONNECT") {
        return Ok(Framing::Passthrough);
    }
    let mut framing = Framing::Head;
    for header in request.headers.iter() {
        let value = String::from_utf8_lossy(header.value);
        if header.name.eq_ignore_ascii_case("upgrade") {
            return Ok(Framing::Passthrough);
        }
        if header.name.eq_ignore_ascii_case("transfer-encoding")
            && value.to_ascii_lowercase().contains("chunked")
        {
            return Ok(chunk_size());
        }
        if header.name.eq_ignore_ascii_case("content-length") {
            match value.trim().parse::<u64>() {
                Ok(0) => {}
                Ok(length) => framing = Framing::Body(length),
                Err(_) => return Err(Refusal::Malformed),
            }
        }
    }
    Ok(framing)
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
    /// The answer to a refused head, and how much of it is written.
    refusal: Option<(Vec<u8>, usize)>,
}

impl<T> Guarded<T> {
    pub fn new(inner: T) -> Self {
        Self {
            inner,
            scanner: Scanner::default(),
            ready: Vec::new(),
            refusal: None,
        }
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
            let mut raw = [0u8; 8192];
            let mut read = ReadBuf::new(&mut raw);
            match Pin::new(&mut this.inner).poll_read(cx, &mut read) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Err(error)) => return Poll::Ready(Err(error)),
                Poll::Ready(Ok(())) if read.filled().is_empty() => return Poll::Ready(Ok(())),
                Poll::Ready(Ok(())) => {
                    let (passed, refusal) = this.scanner.feed(read.filled());
                    this.ready = passed;
                    if let Some(refusal) = refusal {
                        tracing::info!(?refusal, "request refused before the app");
                        this.refusal = Some((refusal.response(), 0));
                    }
                }
            }
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Guarded<T> {
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
        if let Some((bytes, written)) = &mut this.refusal {
            while *written < bytes.len() {
                match Pin::new(&mut this.inner).poll_write(cx, &bytes[*written..]) {
                    Poll::Ready(Ok(0)) => break,
                    Poll::Ready(Ok(n)) => *written += n,
                    Poll::Ready(Err(error)) => return Poll::Ready(Err(error)),
                    Poll::Pending => return Poll::Pending,
                }
            }
            if Pin::new(&mut this.inner).poll_flush(cx)?.is_pending() {
                return Poll::Pending;
            }
        }
        Pin::new(&mut this.inner).poll_shutdown(cx)
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

    #[test]
    fn requests_pass_unchanged_whatever_the_pieces() {
        let stream = b"POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;x=1\r\nabc\r\n0\r\nT: v\r\n\r\nGET /c HTTP/1.1\r\n\r\n";
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
                "GET /a HTTP/1.1\r\n\r\nGET /{} HTTP/1.1\r\n",
                "x".repeat(70_000)
            )
            .as_bytes(),
        );
        assert_eq!(
            (passed, refusal),
            (
                b"GET /a HTTP/1.1\r\n\r\n".to_vec(),
                Some(Refusal::UriTooLong)
            )
        );
    }

    #[test]
    fn over_long_lines_and_heads_are_refused_in_any_piece() {
        let long_line = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(100_000));
        assert_eq!(feed_all(&[long_line.as_bytes()]), Err(Refusal::UriTooLong));
        let first = b"GET /ok HTTP/1.1\r\n\r\n".to_vec();
        let mut second = first.clone();
        second.extend_from_slice(long_line.as_bytes());
        assert_eq!(
            feed_all(&[&second]),
            Err(Refusal::UriTooLong),
            "the second request on a kept-alive connection as well"
        );
        let big_header = format!("GET / HTTP/1.1\r\nX-A: {}\r\n\r\n", "b".repeat(100_000));
        let long_but_fine = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(60_000));
        assert!(
            feed_all(&[long_but_fine.as_bytes()]).is_ok(),
            "what actix can take passes"
        );
        assert_eq!(
            feed_all(&[big_header.as_bytes()]),
            Err(Refusal::HeadTooLarge)
        );
        let many: String = (0..200).map(|i| format!("X-{i}: v\r\n")).collect();
        let many = format!("GET / HTTP/1.1\r\n{many}\r\n");
        assert_eq!(feed_all(&[many.as_bytes()]), Err(Refusal::HeadTooLarge));
        assert_eq!(
            feed_all(&[b"NOT HTTP AT ALL\r\n\r\n"]),
            Err(Refusal::Malformed)
        );
    }

    #[test]
    fn a_refusal_is_a_problem_with_the_headers() {
        let text = String::from_utf8(Refusal::UriTooLong.response()).unwrap();
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
    }
}
