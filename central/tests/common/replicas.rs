//! A round-robin TCP balancer on loopback in front of several `lapak-central` replicas: each new connection
//! goes to the next replica, or to the one after it when that one does not answer (as a load balancer with
//! health checks would); when none answers the connection is closed at once.
#![allow(dead_code)]

use std::io::ErrorKind;
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// The balancer; stopped on drop.
pub struct RoundRobin {
    port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl RoundRobin {
    /// Listens on a free loopback port and forwards to the loopback ports `upstreams`.
    pub fn start(upstreams: Vec<u16>) -> RoundRobin {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the balancer");
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let port = listener.local_addr().expect("balancer address").port();
        let stop = Arc::new(AtomicBool::new(false));
        let next = AtomicUsize::new(0);
        let stopping = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            while !stopping.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((client, _)) => {
                        let first = next.fetch_add(1, Ordering::Relaxed);
                        let upstream = (0..upstreams.len()).find_map(|i| {
                            let port = upstreams[(first + i) % upstreams.len()];
                            TcpStream::connect(("127.0.0.1", port)).ok()
                        });
                        match upstream {
                            Some(upstream) => pipe(client, upstream),
                            None => drop(client),
                        }
                    }
                    Err(e) if e.kind() == ErrorKind::WouldBlock => {
                        std::thread::sleep(Duration::from_millis(5));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        RoundRobin {
            port,
            stop,
            thread: Some(thread),
        }
    }

    /// The port clients connect to.
    pub fn port(&self) -> u16 {
        self.port
    }
}

/// Copies both ways until either side closes.
fn pipe(client: TcpStream, upstream: TcpStream) {
    let _ = client.set_nonblocking(false);
    let (Ok(client_read), Ok(upstream_read)) = (client.try_clone(), upstream.try_clone()) else {
        return;
    };
    std::thread::spawn(move || copy(client_read, upstream));
    std::thread::spawn(move || copy(upstream_read, client));
}

fn copy(mut from: TcpStream, mut to: TcpStream) {
    let _ = std::io::copy(&mut from, &mut to);
    let _ = to.shutdown(Shutdown::Write);
    let _ = from.shutdown(Shutdown::Read);
}

impl Drop for RoundRobin {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
