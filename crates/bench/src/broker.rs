//! A Kafka-compatible broker for the kafka-delta case: tansu with in-memory storage on a free
//! 127.0.0.1 port, stopped when the [`Broker`] is dropped.
//!
//! Why a copy and not `crates/kafka/tests/harness`: that harness is test-only (and adds a relay
//! to take the broker down, which a benchmark does not need). The binary is `$TANSU_BIN`
//! (`scripts/env.sh`), else the one `scripts/setup.sh` installs under `$STREAMLAB_TOOLS`.

use std::error::Error;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running tansu broker.
pub struct Broker {
    tansu: Child,
    /// `127.0.0.1:<port>`, for `kafka.bootstrap.servers`.
    pub bootstrap: String,
}

/// The tansu binary: `$TANSU_BIN`, else `$STREAMLAB_TOOLS/bin/tansu`
/// (`~/.local/share/streamlab/bin/tansu` by default).
fn tansu_bin() -> PathBuf {
    if let Some(bin) = std::env::var_os("TANSU_BIN") {
        return PathBuf::from(bin);
    }
    let tools = std::env::var_os("STREAMLAB_TOOLS").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".local/share/streamlab")
    });
    tools.join("bin/tansu")
}

impl Broker {
    /// Starts tansu on a free loopback port and waits until it accepts connections.
    pub fn start() -> Result<Broker, Box<dyn Error>> {
        let bin = tansu_bin();
        if !bin.exists() {
            return Err(format!("the tansu broker is missing at {}: run scripts/setup.sh (or set TANSU_BIN)", bin.display()).into());
        }
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let url = format!("tcp://127.0.0.1:{port}");
        let tansu = Command::new(&bin)
            .args(["broker", "--listener-url", &url, "--advertised-listener-url", &url])
            .args(["--storage-engine", "memory://tansu/"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        // Owned from here: dropping it on an error below stops the process.
        let mut broker = Broker { tansu, bootstrap: format!("127.0.0.1:{port}") };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = broker.tansu.try_wait()? {
                return Err(format!("tansu exited before listening: {status}").into());
            }
            if Instant::now() > deadline {
                return Err(format!("tansu did not listen on 127.0.0.1:{port} within 20 s").into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(broker)
    }

    /// Creates `topic` with `partitions` partitions (`tansu topic create`).
    pub fn create_topic(&self, topic: &str, partitions: u32) -> Result<(), Box<dyn Error>> {
        let out = Command::new(tansu_bin())
            .args(["topic", "create", topic, "--broker", &format!("tcp://{}", self.bootstrap)])
            .args(["--partitions", &partitions.to_string()])
            .output()?;
        if !out.status.success() {
            return Err(format!("creating topic {topic}: {}", String::from_utf8_lossy(&out.stderr)).into());
        }
        Ok(())
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        let _ = self.tansu.kill();
        let _ = self.tansu.wait();
    }
}
