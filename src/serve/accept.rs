//! The accept loop of `serve`: every connection is counted and, when the server is
//! full, the one that matters least makes room, so a reader is answered at once.
//!
//! A connection is silent (no request yet), busy (answering a request), idle (a
//! keep-alive connection between requests) or a live-reload stream (an open page
//! listening for rebuilds, for as long as the page is open). Streams have a pool of
//! their own ([`MAX_STREAMS`]), so thousands of open tabs never take the places of
//! requests ([`MAX_CONNECTIONS`]). When the connection places are full, the oldest
//! silent connection is closed, else the oldest idle one; when the stream places are
//! full, the oldest stream is closed (its page reconnects by itself). A silent
//! connection has [`HEADER_TIMEOUT`] to send its request, an idle one
//! [`IDLE_TIMEOUT`] to send the next.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU8, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot};

/// Connections served at once, live-reload streams aside.
const MAX_CONNECTIONS: usize = 1024;
/// Live-reload streams (open pages) at once.
pub(super) const MAX_STREAMS: usize = 8192;
/// A client must send a request's headers within this time, or the connection closes.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// A keep-alive connection may wait this long for its next request.
const IDLE_TIMEOUT: Duration = Duration::from_secs(15);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Silent = 0,
    Busy = 1,
    Idle = 2,
    Stream = 3,
}

/// One open connection, as the accept loop sees it.
pub(super) struct Conn {
    state: AtomicU8,
    /// When the state last changed, in milliseconds since the server started.
    since: AtomicU64,
    /// Closes the connection when sent to (or dropped).
    close: Mutex<Option<oneshot::Sender<()>>>,
    /// Its place among the connections (given back when it becomes a stream).
    place: Mutex<Option<OwnedSemaphorePermit>>,
}

impl Conn {
    fn state(&self) -> State {
        match self.state.load(Ordering::Relaxed) {
            0 => State::Silent,
            1 => State::Busy,
            2 => State::Idle,
            _ => State::Stream,
        }
    }

    fn set(&self, s: State, doors: &Doors) {
        self.state.store(s as u8, Ordering::Relaxed);
        self.since.store(doors.now(), Ordering::Relaxed);
    }

    fn closed(&self) -> bool {
        lock(&self.close)
            .as_ref()
            .is_none_or(oneshot::Sender::is_closed)
    }

    fn close(&self) {
        if let Some(tx) = lock(&self.close).take() {
            let _ = tx.send(());
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Every open connection, oldest first, and the places left.
pub(super) struct Doors {
    table: Mutex<VecDeque<Arc<Conn>>>,
    places: Arc<Semaphore>,
    started: Instant,
    /// Connections opened since memory was last handed back.
    opened: AtomicUsize,
}

/// What a request carries so that its handler can tell the accept loop that the
/// connection became a live-reload stream.
#[derive(Clone)]
pub(super) struct StreamHandle {
    conn: Arc<Conn>,
    doors: Arc<Doors>,
}

impl StreamHandle {
    /// This connection is a live-reload stream from now on: it gives its place back to
    /// requests and takes a stream place, closing the oldest stream when they are full.
    pub(super) fn became_stream(&self) {
        self.doors.became_stream(&self.conn);
    }
}

impl Doors {
    fn new() -> Doors {
        Doors {
            table: Mutex::new(VecDeque::new()),
            places: Arc::new(Semaphore::new(MAX_CONNECTIONS)),
            started: Instant::now(),
            opened: AtomicUsize::new(0),
        }
    }

    fn now(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Forget connections that have ended.
    fn prune(t: &mut VecDeque<Arc<Conn>>) {
        t.retain(|c| !c.closed());
    }

    /// Close the oldest connection in state `s`; whether there was one.
    fn close_oldest(&self, s: State) -> bool {
        let mut t = lock(&self.table);
        Self::prune(&mut t);
        match t.iter().position(|c| c.state() == s) {
            Some(i) => {
                if let Some(c) = t.remove(i) {
                    c.close();
                }
                true
            }
            None => false,
        }
    }

    /// A place for a new connection: at once if there is one, else by closing the oldest
    /// silent, then the oldest idle connection, else (every one is busy) when one ends.
    async fn place(&self) -> Option<OwnedSemaphorePermit> {
        if let Ok(p) = self.places.clone().try_acquire_owned() {
            return Some(p);
        }
        let _ = self.close_oldest(State::Silent) || self.close_oldest(State::Idle);
        self.places.clone().acquire_owned().await.ok()
    }

    fn became_stream(&self, conn: &Arc<Conn>) {
        conn.set(State::Stream, self);
        drop(lock(&conn.place).take());
        let streams = {
            let mut t = lock(&self.table);
            Self::prune(&mut t);
            t.iter().filter(|c| c.state() == State::Stream).count()
        };
        if streams > MAX_STREAMS {
            self.close_oldest(State::Stream);
        }
    }

    /// Close connections that waited too long: silent ones for their headers, idle ones
    /// for their next request.
    fn reap(&self) {
        let now = self.now();
        let mut t = lock(&self.table);
        Self::prune(&mut t);
        for c in t.iter() {
            let waited = Duration::from_millis(now.saturating_sub(c.since.load(Ordering::Relaxed)));
            let limit = match c.state() {
                State::Silent => HEADER_TIMEOUT,
                State::Idle => IDLE_TIMEOUT,
                State::Busy | State::Stream => continue,
            };
            if waited > limit {
                c.close();
            }
        }
    }
}

/// Serve connections forever. Accept errors (too many open files) never stop it.
pub(super) async fn accept(listener: tokio::net::TcpListener, app: Router) {
    raise_file_limit();
    let doors = Arc::new(Doors::new());
    tokio::spawn(upkeep(doors.clone()));
    loop {
        let stream = match listener.accept().await {
            Ok((s, _)) => s,
            Err(_) => {
                // Out of file descriptors (make room), or a connection reset before
                // accept: wait a moment.
                let _ = doors.close_oldest(State::Silent) || doors.close_oldest(State::Idle);
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Some(place) = doors.place().await else {
            return;
        };
        doors.opened.fetch_add(1, Ordering::Relaxed);
        let (close, closed) = oneshot::channel();
        let conn = Arc::new(Conn {
            state: AtomicU8::new(State::Silent as u8),
            since: AtomicU64::new(doors.now()),
            close: Mutex::new(Some(close)),
            place: Mutex::new(Some(place)),
        });
        lock(&doors.table).push_back(conn.clone());
        let handle = StreamHandle {
            conn,
            doors: doors.clone(),
        };
        tokio::spawn(serve_one(stream, app.clone(), handle, closed));
    }
}

/// Once a second: close what waited too long; after a storm of connections (hundreds
/// opened) hand the freed memory back to the system once they have closed (glibc keeps
/// freed memory in its arenas otherwise).
async fn upkeep(doors: Arc<Doors>) {
    let mut since = 0;
    let mut tick = 0u32;
    loop {
        tokio::time::sleep(Duration::from_secs(1)).await;
        doors.reap();
        tick += 1;
        if !tick.is_multiple_of(5) {
            continue;
        }
        since += doors.opened.swap(0, Ordering::Relaxed);
        let open = MAX_CONNECTIONS - doors.places.available_permits();
        if since >= 256 && open <= 16 {
            trim();
            since = 0;
        }
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn trim() {
    // SAFETY: malloc_trim only releases free memory of the allocator; it has no
    // preconditions and touches no live allocation.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn trim() {}

/// Let the process open as many files as the system allows it (the soft limit is often
/// 1024, below the connections and streams plus the site's files), as Go's runtime does.
#[cfg(unix)]
fn raise_file_limit() {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit read and write the one struct passed to them.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 && lim.rlim_cur < lim.rlim_max {
            lim.rlim_cur = lim.rlim_max.min(65_536);
            libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
        }
    }
}

#[cfg(not(unix))]
fn raise_file_limit() {}

async fn serve_one(
    stream: tokio::net::TcpStream,
    app: Router,
    handle: StreamHandle,
    closed: oneshot::Receiver<()>,
) {
    let inner = hyper_util::service::TowerToHyperService::new(app);
    let h = handle.clone();
    let service = hyper::service::service_fn(move |mut req: hyper::Request<_>| {
        h.conn.set(State::Busy, &h.doors);
        req.extensions_mut().insert(h.clone());
        let answer = hyper::service::Service::call(&inner, req);
        let h = h.clone();
        async move {
            let r = answer.await;
            if h.conn.state() == State::Busy {
                h.conn.set(State::Idle, &h.doors);
            }
            r
        }
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
    tokio::select! {
        _ = conn => {}
        _ = closed => {}
    }
    handle.conn.close();
    // The place is free at once, not when the table forgets the connection.
    drop(lock(&handle.conn.place).take());
}
