//! A throwaway PostgreSQL cluster for tests: Debian's `postgresql` binaries (`initdb`, `pg_ctl`; the newest
//! under `/usr/lib/postgresql/*/bin`, or `LAPAK_PG_BIN`) on a temporary folder, listening on a free loopback
//! port with its unix socket inside the folder and trust authentication for the user `lapak`. PostgreSQL
//! refuses to run as root, so as root (a CI machine) the cluster runs as `nobody`, through `runuser`. The
//! cluster skips fsync (a test's data need not survive a power cut). Stopped (immediately) on drop.
#![allow(dead_code)]

use std::error::Error;
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The database user the cluster trusts.
pub const PG_USER: &str = "lapak";

/// A running PostgreSQL cluster; stopped and deleted on drop.
pub struct PgCluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    run_as: Option<&'static str>,
}

/// The folder of the PostgreSQL server binaries.
fn pg_bin() -> Result<PathBuf, Box<dyn Error>> {
    if let Some(bin) = std::env::var_os("LAPAK_PG_BIN") {
        return Ok(PathBuf::from(bin));
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|e| format!("/usr/lib/postgresql: {e} (install the Debian package postgresql)"))?
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, bin)| bin)
        .ok_or_else(|| "no PostgreSQL server under /usr/lib/postgresql (install postgresql)".into())
}

/// A port free on 127.0.0.1 a moment ago.
fn free_port() -> Result<u16, Box<dyn Error>> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

impl PgCluster {
    /// Makes a new cluster in a temporary folder and starts it.
    pub fn start() -> Result<PgCluster, Box<dyn Error>> {
        let bin = pg_bin()?;
        let dir = tempfile::tempdir()?;
        let run_as = if std::fs::metadata(dir.path())?.uid() == 0 {
            let owned = Command::new("chown")
                .args(["-R", "nobody:"])
                .arg(dir.path())
                .output()?;
            check("chown", &owned)?;
            Some("nobody")
        } else {
            None
        };
        let cluster = PgCluster {
            dir,
            bin,
            port: free_port()?,
            run_as,
        };
        let data = cluster.data();
        let made = cluster.run(
            "initdb",
            &[
                "-D",
                path_str(&data)?,
                "-U",
                PG_USER,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
        )?;
        check("initdb", &made)?;
        cluster.start_again()?;
        Ok(cluster)
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Runs one of the PostgreSQL binaries (as `nobody` when the test runs as root).
    fn run(&self, program: &str, args: &[&str]) -> Result<Output, Box<dyn Error>> {
        let program = self.bin.join(program);
        let output = match self.run_as {
            Some(user) => Command::new("runuser")
                .args(["-u", user, "--"])
                .arg(&program)
                .args(args)
                .current_dir(self.dir.path())
                .output()?,
            None => Command::new(&program)
                .args(args)
                .current_dir(self.dir.path())
                .output()?,
        };
        Ok(output)
    }

    /// Starts the (stopped) cluster again on its port and waits until it accepts connections.
    pub fn start_again(&self) -> Result<(), Box<dyn Error>> {
        let data = self.data();
        let log = self.dir.path().join("postgres.log");
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off -c max_connections=200",
            self.port,
            path_str(self.dir.path())?
        );
        let started = self.run(
            "pg_ctl",
            &[
                "-D",
                path_str(&data)?,
                "-l",
                path_str(&log)?,
                "-o",
                &options,
                "-w",
                "-t",
                "60",
                "start",
            ],
        )?;
        if !started.status.success() {
            let log = std::fs::read_to_string(&log).unwrap_or_default();
            return Err(format!("pg_ctl start failed: {}\n{log}", describe(&started)).into());
        }
        Ok(())
    }

    /// Stops the cluster at once (open connections are cut), as a database server that goes away.
    pub fn stop(&self) -> Result<(), Box<dyn Error>> {
        let data = self.data();
        let stopped = self.run(
            "pg_ctl",
            &[
                "-D",
                path_str(&data)?,
                "-m",
                "immediate",
                "-w",
                "-t",
                "60",
                "stop",
            ],
        )?;
        check("pg_ctl stop", &stopped)
    }

    /// The loopback port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The URL of database `name` on this cluster.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://{PG_USER}@127.0.0.1:{}/{name}", self.port)
    }

    /// Creates an empty database `name` and returns its URL.
    pub fn create_database(&self, name: &str) -> Result<String, Box<dyn Error>> {
        let port = self.port.to_string();
        let made = self.run(
            "createdb",
            &["-h", "127.0.0.1", "-p", &port, "-U", PG_USER, name],
        )?;
        check("createdb", &made)?;
        Ok(self.url(name))
    }

    /// Runs one SQL statement with `psql` on database `name` and returns its unaligned output.
    pub fn psql(&self, name: &str, sql: &str) -> Result<String, Box<dyn Error>> {
        let port = self.port.to_string();
        let ran = self.run(
            "psql",
            &[
                "-h",
                "127.0.0.1",
                "-p",
                &port,
                "-U",
                PG_USER,
                "-d",
                name,
                "-At",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                sql,
            ],
        )?;
        check("psql", &ran)?;
        Ok(String::from_utf8_lossy(&ran.stdout).trim().to_owned())
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

fn path_str(path: &Path) -> Result<&str, Box<dyn Error>> {
    path.to_str()
        .ok_or_else(|| format!("{}: not UTF-8", path.display()).into())
}

fn describe(output: &Output) -> String {
    format!(
        "{}: {}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn check(what: &str, output: &Output) -> Result<(), Box<dyn Error>> {
    if output.status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed: {}", describe(output)).into())
    }
}
