//! Running a stand-in's router on 127.0.0.1 from plain synchronous code: its own thread and tokio
//! runtime, started before `spawn` returns (the socket is already listening), and stopped on drop —
//! open connections finish their request, idle ones close, slow faults are cut short, and the thread
//! is joined. Its methods are the switches and records every stand-in has (faults, latency, rate
//! limit, the request log); a platform's stand-in derefs to it and adds its own data.

use std::io;
use std::net::{SocketAddr, TcpListener};
use std::sync::mpsc;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use axum::Router;

use crate::faults::Fault;
use crate::harness::Harness;
use crate::record::{AppliedChange, RecordedRequest, Stats};

/// How long requests still in progress get to finish after shutdown begins.
const DRAIN: Duration = Duration::from_secs(3);

/// A stand-in's server while it runs: where it listens and its shared switches.
pub struct RunningServer {
    addr: SocketAddr,
    harness: Arc<Harness>,
    thread: Option<JoinHandle<()>>,
}

impl RunningServer {
    /// Binds `127.0.0.1:port` (0: a free port) and serves `router` on a thread named `name`.
    pub(crate) fn spawn(
        name: &str,
        port: u16,
        router: Router,
        harness: Arc<Harness>,
    ) -> io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let (ready_tx, ready_rx) = mpsc::channel::<io::Result<()>>();
        let signal = harness.shutdown_signal();
        let thread = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || serve(listener, router, signal, ready_tx))?;
        match ready_rx.recv() {
            Ok(Ok(())) => Ok(Self {
                addr,
                harness,
                thread: Some(thread),
            }),
            Ok(Err(e)) => {
                let _ = thread.join();
                Err(e)
            }
            Err(_) => {
                let _ = thread.join();
                Err(io::Error::other(
                    "the stand-in's server thread ended before it was ready",
                ))
            }
        }
    }

    /// A platform's stand-in: its API and own admin routes (`api`, state applied), the shared admin
    /// routes, `not_found` for any other path or method (in the platform's error shape), every API
    /// request through the gate (faults, latency, rate limit, log); served as `spawn` does.
    pub(crate) fn spawn_platform<H, T>(
        name: &str,
        port: u16,
        api: Router,
        not_found: H,
        harness: Arc<Harness>,
    ) -> io::Result<Self>
    where
        H: axum::handler::Handler<T, ()> + Clone,
        T: 'static,
    {
        let router = api
            .merge(crate::admin::routes(Arc::clone(&harness)))
            .fallback(not_found.clone())
            .method_not_allowed_fallback(not_found)
            .layer(axum::middleware::from_fn_with_state(
                Arc::clone(&harness),
                crate::gate::gate,
            ));
        Self::spawn(name, port, router, harness)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`: what paths such as Gumroad's `next_page_url` resolve against.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `http://127.0.0.1:PORT/__admin`.
    pub fn admin_url(&self) -> String {
        format!("{}/__admin", self.origin())
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Replaces every pending fault with this one.
    pub fn set_fault(&self, fault: Fault) {
        self.harness.set_fault(fault);
    }

    /// Queues a fault after the pending ones (see [`Fault`] for which requests it takes).
    pub fn push_fault(&self, fault: Fault) {
        self.harness.push_fault(fault);
    }

    pub fn clear_faults(&self) {
        self.harness.clear_faults();
    }

    pub fn pending_faults(&self) -> Vec<Fault> {
        self.harness.pending_faults()
    }

    /// The data changes faults have made so far.
    pub fn applied_changes(&self) -> Vec<AppliedChange> {
        self.harness.applied_changes()
    }

    pub fn set_latency(&self, latency: Duration) {
        self.harness.set_latency(latency);
    }

    /// A new limit (the window starts empty), or none.
    pub fn set_rate_limit(&self, rate_limit: Option<(u32, Duration)>) {
        self.harness.set_rate_limit(rate_limit);
    }

    /// Requests to the API routes (admin ones excluded), oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.harness.requests()
    }

    pub fn stats(&self) -> Stats {
        self.harness.stats()
    }

    /// Forgets the log, the counters and the applied changes.
    pub fn clear_requests(&self) {
        self.harness.clear_requests();
    }
}

fn serve(
    listener: TcpListener,
    router: Router,
    signal: tokio::sync::watch::Receiver<bool>,
    ready: mpsc::Sender<io::Result<()>>,
) {
    // One thread is plenty: handlers are short, and waits (latency, slow faults) are async.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::from_std(listener) {
            Ok(l) => l,
            Err(e) => {
                let _ = ready.send(Err(e));
                return;
            }
        };
        let _ = ready.send(Ok(()));
        let mut stop = signal.clone();
        let server = axum::serve(listener, router).with_graceful_shutdown(async move {
            let _ = stop.wait_for(|down| *down).await;
        });
        let mut drain = signal;
        tokio::select! {
            _ = server => {}
            _ = async {
                let _ = drain.wait_for(|down| *down).await;
                tokio::time::sleep(DRAIN).await;
            } => {}
        }
    });
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.harness.shut_down();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
