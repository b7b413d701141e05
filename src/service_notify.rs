//! systemd service notifications (the `sd_notify` protocol, one datagram per message to `$NOTIFY_SOCKET`).
//!
//! The kiosk's screens send `READY=1` once they run and `WATCHDOG=1` from the UI loop every second, so the
//! service's `WatchdogSec` restarts a kiosk whose screens froze. Outside systemd (no `NOTIFY_SOCKET`)
//! nothing is sent.

use std::io;
use std::os::unix::net::{SocketAddr, UnixDatagram};

/// The environment variable systemd sets for a service that may notify it.
pub const NOTIFY_SOCKET: &str = "NOTIFY_SOCKET";

/// Sends state changes to systemd.
#[derive(Debug)]
pub struct ServiceNotifier {
    socket: UnixDatagram,
    address: SocketAddr,
}

impl ServiceNotifier {
    /// The notifier for `$NOTIFY_SOCKET`, or `None` when the kiosk does not run under systemd (or the
    /// variable names no usable socket: that is logged and the kiosk runs on without notifying).
    pub fn from_env() -> Option<ServiceNotifier> {
        let target = std::env::var_os(NOTIFY_SOCKET)?;
        let target = target.to_string_lossy().into_owned();
        match ServiceNotifier::for_socket(&target) {
            Ok(notifier) => Some(notifier),
            Err(error) => {
                tracing::warn!(%error, socket = %target, "cannot use the systemd notification socket");
                None
            }
        }
    }

    /// A notifier for a socket path, or an abstract socket name written `@name`.
    pub fn for_socket(target: &str) -> io::Result<ServiceNotifier> {
        let address = match target.strip_prefix('@') {
            Some(name) => {
                use std::os::linux::net::SocketAddrExt as _;
                SocketAddr::from_abstract_name(name.as_bytes())?
            }
            None if target.starts_with('/') => SocketAddr::from_pathname(target)?,
            None => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "neither an absolute path nor an @abstract name",
                ));
            }
        };
        Ok(ServiceNotifier {
            socket: UnixDatagram::unbound()?,
            address,
        })
    }

    /// Sends one notification, e.g. `READY=1`.
    pub fn notify(&self, state: &str) -> io::Result<()> {
        self.socket
            .send_to_addr(state.as_bytes(), &self.address)
            .map(|_| ())
    }

    /// The service is up (the screens run).
    pub fn ready(&self) {
        if let Err(error) = self.notify("READY=1") {
            tracing::warn!(%error, "cannot tell systemd the kiosk is ready");
        }
    }

    /// The UI loop is alive.
    pub fn watchdog(&self) {
        if let Err(error) = self.notify("WATCHDOG=1") {
            tracing::debug!(%error, "cannot send the watchdog notification");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn received(socket: &UnixDatagram) -> String {
        let mut buffer = [0u8; 64];
        let n = socket.recv(&mut buffer).expect("a notification");
        String::from_utf8_lossy(&buffer[..n]).into_owned()
    }

    #[test]
    fn notifications_reach_a_socket_path() {
        let dir = tempfile::tempdir().expect("temp folder");
        let path = dir.path().join("notify");
        let systemd = UnixDatagram::bind(&path).expect("bind");
        let notifier = ServiceNotifier::for_socket(&path.to_string_lossy()).expect("notifier");
        notifier.ready();
        notifier.watchdog();
        assert_eq!(received(&systemd), "READY=1");
        assert_eq!(received(&systemd), "WATCHDOG=1");
    }

    #[test]
    fn notifications_reach_an_abstract_socket() {
        use std::os::linux::net::SocketAddrExt as _;
        let name = format!("lapak-notify-test-{}", std::process::id());
        let address = SocketAddr::from_abstract_name(name.as_bytes()).expect("address");
        let systemd = UnixDatagram::bind_addr(&address).expect("bind");
        let notifier = ServiceNotifier::for_socket(&format!("@{name}")).expect("notifier");
        notifier.watchdog();
        assert_eq!(received(&systemd), "WATCHDOG=1");
    }

    #[test]
    fn a_relative_socket_name_is_refused() {
        assert!(ServiceNotifier::for_socket("notify").is_err());
    }
}
