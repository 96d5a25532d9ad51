//! The accept loop of `serve`: every connection gets a header-read timeout, and at most
//! [`MAX_CONNECTIONS`] are open at once. When a storm of connections that never send a
//! request fills every slot, the oldest of them is closed to make room, so a real
//! browser is answered at once instead of waiting for the timeouts.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot};

/// Connections served at once.
const MAX_CONNECTIONS: usize = 1024;
/// A client must send a request's headers within this time, or the connection closes
/// (an idle keep-alive connection too).
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// One open connection, as the accept loop sees it.
struct Open {
    /// Set once the connection has sent a whole request head.
    spoke: Arc<AtomicBool>,
    /// Closes the connection when sent to (or dropped).
    close: oneshot::Sender<()>,
}

/// The open connections, oldest first.
#[derive(Default)]
struct Table(Mutex<VecDeque<Open>>);

impl Table {
    fn add(&self, open: Open) {
        let mut t = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Forget connections that have ended.
        t.retain(|o| !o.close.is_closed());
        t.push_back(open);
    }

    /// Close the oldest connection that has never sent a request; true if there was one.
    fn evict_silent(&self) -> bool {
        let mut t = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        t.retain(|o| !o.close.is_closed());
        let Some(i) = t.iter().position(|o| !o.spoke.load(Ordering::Relaxed)) else {
            return false;
        };
        t.remove(i).is_some_and(|o| o.close.send(()).is_ok())
    }
}

/// Serve connections forever. Accept errors (too many open files) never stop it.
pub(super) async fn accept(listener: tokio::net::TcpListener, app: Router) {
    raise_file_limit();
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let table = Arc::new(Table::default());
    let opened = Arc::new(AtomicUsize::new(0));
    tokio::spawn(give_back_memory(slots.clone(), opened.clone()));
    loop {
        let stream = match listener.accept().await {
            Ok((s, _)) => s,
            Err(_) => {
                // Out of file descriptors (make room), or a connection reset before
                // accept: wait a moment.
                table.evict_silent();
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Some(permit) = slot(&slots, &table).await else {
            return;
        };
        opened.fetch_add(1, Ordering::Relaxed);
        let spoke = Arc::new(AtomicBool::new(false));
        let (close, closed) = oneshot::channel();
        table.add(Open {
            spoke: spoke.clone(),
            close,
        });
        tokio::spawn(serve_one(stream, app.clone(), spoke, closed, permit));
    }
}

/// A free slot: at once if there is one, else by closing a silent connection, else
/// (every connection is busy with a request) when one ends.
async fn slot(slots: &Arc<Semaphore>, table: &Table) -> Option<OwnedSemaphorePermit> {
    if let Ok(p) = slots.clone().try_acquire_owned() {
        return Some(p);
    }
    table.evict_silent();
    slots.clone().acquire_owned().await.ok()
}

/// After a storm of connections (hundreds opened), hand the freed memory back to the
/// system once they have closed: glibc keeps freed memory in its arenas otherwise.
async fn give_back_memory(slots: Arc<Semaphore>, opened: Arc<AtomicUsize>) {
    let mut since = 0;
    loop {
        tokio::time::sleep(Duration::from_secs(5)).await;
        since += opened.swap(0, Ordering::Relaxed);
        let open = MAX_CONNECTIONS - slots.available_permits();
        // A few stay open for good: the live-reload streams of the author's tabs.
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
/// 1024, below [`MAX_CONNECTIONS`] plus the site's files), as Go's runtime does.
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
    spoke: Arc<AtomicBool>,
    closed: oneshot::Receiver<()>,
    permit: OwnedSemaphorePermit,
) {
    let inner = hyper_util::service::TowerToHyperService::new(app);
    let service = hyper::service::service_fn(move |req| {
        spoke.store(true, Ordering::Relaxed);
        hyper::service::Service::call(&inner, req)
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
    tokio::select! {
        _ = conn => {}
        _ = closed => {}
    }
    drop(permit);
}
