//! `streamlab serve`: the built web app as static files on 127.0.0.1.
//!
//! The page needs nothing but static files (HTML, JS glue, wasm, the bundled sample), so a
//! small loopback-only HTTP/1.1 server is all a student needs; no third-party server crate.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};

/// Serves `root` on `127.0.0.1:port` until the process is killed; `on_ready` gets the address
/// once the socket is bound (port 0 picks a free port).
pub fn serve(root: &Path, port: u16, on_ready: impl FnOnce(&str)) -> Result<(), String> {
    if !root.join("index.html").is_file() {
        return Err(format!(
            "{} has no index.html: build the web app first (./scripts/serve.sh builds and serves it)",
            root.display()
        ));
    }
    let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    on_ready(&format!("http://{address}/"));
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let root = root.to_path_buf();
        // One thread per connection: browsers open a few at once and keep them alive briefly.
        std::thread::spawn(move || {
            let _ = handle(stream, &root);
        });
    }
    Ok(())
}

/// Answers the requests of one connection (keep-alive until the client closes it).
fn handle(stream: TcpStream, root: &Path) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line)? == 0 {
            return Ok(());
        }
        // Headers are not needed: skip to the blank line.
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header)? == 0 || header == "\r\n" || header == "\n" {
                break;
            }
        }
        let mut parts = request_line.split_whitespace();
        let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
        let response = match method {
            "GET" | "HEAD" => respond(root, target),
            _ => Response::text(405, "Method Not Allowed", "only GET and HEAD are served\n"),
        };
        writer.write_all(&response.head())?;
        if method != "HEAD" {
            writer.write_all(&response.body)?;
        }
        writer.flush()?;
    }
}

/// An HTTP response.
struct Response {
    status: u16,
    reason: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
}

impl Response {
    fn text(status: u16, reason: &'static str, body: &str) -> Self {
        Response { status, reason, content_type: "text/plain; charset=utf-8", body: body.as_bytes().to_vec() }
    }

    fn head(&self) -> Vec<u8> {
        format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\n\r\n",
            self.status,
            self.reason,
            self.content_type,
            self.body.len()
        )
        .into_bytes()
    }
}

/// The file `target` names under `root` (`/` is `index.html`), or 404.
fn respond(root: &Path, target: &str) -> Response {
    let Some(path) = resolve(root, target) else {
        return Response::text(404, "Not Found", "not found\n");
    };
    match std::fs::read(&path) {
        Ok(body) => Response { status: 200, reason: "OK", content_type: content_type(&path), body },
        Err(_) => Response::text(404, "Not Found", "not found\n"),
    }
}

/// Maps a request target to a file inside `root`, refusing anything that would leave it
/// (`..`, absolute paths, encoded or not).
fn resolve(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let decoded = percent_decode(path)?;
    let mut resolved = root.to_path_buf();
    for component in Path::new(decoded.trim_start_matches('/')).components() {
        match component {
            Component::Normal(part) => resolved.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if resolved.is_dir() {
        resolved.push("index.html");
    }
    resolved.is_file().then_some(resolved)
}

/// `%XX` decoding of a URL path; `None` for malformed escapes or non-UTF-8 results.
fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The content type browsers need (wasm must be `application/wasm` for streaming compilation).
fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" | "ipynb" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "md" | "py" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_stay_inside_the_root() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<html>").unwrap();
        std::fs::create_dir(dir.path().join("pkg")).unwrap();
        std::fs::write(dir.path().join("pkg/app.wasm"), [0u8, 97, 115, 109]).unwrap();
        assert_eq!(resolve(dir.path(), "/"), Some(dir.path().join("index.html")));
        assert_eq!(resolve(dir.path(), "/pkg/app.wasm?v=1"), Some(dir.path().join("pkg/app.wasm")));
        assert_eq!(resolve(dir.path(), "/pkg/%61pp.wasm"), Some(dir.path().join("pkg/app.wasm")));
        assert_eq!(resolve(dir.path(), "/../etc/passwd"), None);
        assert_eq!(resolve(dir.path(), "/%2e%2e/etc/passwd"), None);
        assert_eq!(resolve(dir.path(), "/pkg/%zz"), None);
        assert_eq!(resolve(dir.path(), "/missing.js"), None);
        assert_eq!(content_type(Path::new("a.wasm")), "application/wasm");
    }

    #[test]
    fn serves_files_over_http() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<h1>StreamLab</h1>").unwrap();
        let root = dir.path().to_path_buf();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || serve(&root, 0, |addr| tx.send(addr.to_string()).unwrap()));
        let url = rx.recv().unwrap();
        let host = url.trim_start_matches("http://").trim_end_matches('/');
        let mut stream = TcpStream::connect(host).unwrap();
        stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /nope HTTP/1.1\r\n\r\n").unwrap();
        stream.shutdown(std::net::Shutdown::Write).unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stream, &mut text).unwrap();
        assert!(text.starts_with("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 18\r\n"), "{text}");
        assert!(text.contains("<h1>StreamLab</h1>HTTP/1.1 404 Not Found"), "{text}");
    }

    #[test]
    fn refuses_a_root_without_the_app() {
        let dir = tempfile::tempdir().unwrap();
        let err = serve(dir.path(), 0, |_| {}).unwrap_err();
        assert!(err.contains("has no index.html"), "{err}");
    }
}
