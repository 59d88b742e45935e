//! A real Kafka-compatible broker for tests: tansu on 127.0.0.1, started per test and stopped
//! when the [`Broker`] is dropped, plus small producer/consumer helpers.
//!
//! Clients reach tansu through a TCP relay on the advertised port, so a test can take the
//! broker "down" ([`Broker::pause`]: the port refuses connections and open ones are cut) and
//! bring it back ([`Broker::resume`]) with its topics intact — tansu's memory storage would
//! lose them on a real restart. The binary is `$TANSU_BIN`, else the one `scripts/setup.sh`
//! installs under `$STREAMLAB_TOOLS` (`~/.local/share/streamlab`); a test without it fails
//! with that message rather than passing.
//!
//! Shared by `crates/kafka/tests`, `crates/cli/tests/kafka.rs` (`#[path]`).

#![allow(dead_code)] // each test binary uses a different part

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::error::KafkaError;
use rdkafka::message::{Header, Headers, Message, OwnedHeaders};
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::{ClientConfig, Offset, TopicPartitionList};

/// The tansu binary.
pub fn tansu_bin() -> PathBuf {
    if let Some(bin) = std::env::var_os("TANSU_BIN") {
        return PathBuf::from(bin);
    }
    let tools = std::env::var_os("STREAMLAB_TOOLS").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".local/share/streamlab")
    });
    tools.join("bin/tansu")
}

/// A free TCP port on loopback.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

fn wait_for_port(port: u16, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("tansu exited early: {status}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("tansu did not listen on 127.0.0.1:{port}");
}

/// A running broker (see the module docs).
pub struct Broker {
    tansu: Child,
    relay: Relay,
    /// `127.0.0.1:<port>` for `kafka.bootstrap.servers`.
    pub bootstrap: String,
}

impl Broker {
    /// Starts tansu with memory storage behind a relay.
    pub fn start() -> Broker {
        let bin = tansu_bin();
        assert!(bin.exists(), "the tansu broker is missing at {}: run scripts/setup.sh (or set TANSU_BIN)", bin.display());
        let (inner, outer) = (free_port(), free_port());
        let mut tansu = Command::new(&bin)
            .args(["broker", "--listener-url", &format!("tcp://127.0.0.1:{inner}")])
            .args(["--advertised-listener-url", &format!("tcp://127.0.0.1:{outer}")])
            .args(["--storage-engine", "memory://tansu/"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("tansu starts");
        wait_for_port(inner, &mut tansu);
        let relay = Relay::new(outer, inner);
        relay.start();
        Broker { tansu, relay, bootstrap: format!("127.0.0.1:{outer}") }
    }

    /// Takes the broker off the network: connections are refused and open ones cut.
    pub fn pause(&self) {
        self.relay.stop();
    }

    /// Puts the broker back on the same port, data intact.
    pub fn resume(&self) {
        self.relay.start();
    }

    /// Creates `topic` with `partitions` partitions.
    pub fn create_topic(&self, topic: &str, partitions: u32) {
        let out = Command::new(tansu_bin())
            .args(["topic", "create", topic, "--broker", &format!("tcp://{}", self.bootstrap)])
            .args(["--partitions", &partitions.to_string()])
            .output()
            .expect("tansu topic create runs");
        assert!(out.status.success(), "creating {topic}: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// Produces `(key, value)` records to `topic` (partition chosen by librdkafka unless
    /// `partition` is given), in order, and waits for every delivery.
    pub fn produce(&self, topic: &str, partition: Option<i32>, records: &[(Option<&[u8]>, &[u8])]) {
        let producer: BaseProducer =
            ClientConfig::new().set("bootstrap.servers", &self.bootstrap).set("linger.ms", "5").create().expect("producer");
        for (key, value) in records {
            let mut record: BaseRecord<'_, [u8], [u8]> = BaseRecord::to(topic).payload(value);
            if let Some(key) = key {
                record = record.key(key);
            }
            if let Some(p) = partition {
                record = record.partition(p);
            }
            let mut pending = record;
            loop {
                match producer.send(pending) {
                    Ok(()) => break,
                    Err((KafkaError::MessageProduction(_), back)) => {
                        producer.poll(Duration::from_millis(50));
                        pending = back;
                    }
                    Err((e, _)) => panic!("produce to {topic}: {e}"),
                }
            }
        }
        producer.flush(Duration::from_secs(30)).expect("all records delivered");
    }

    /// Every record of `topic`'s `partitions` partitions, read from offset 0 until each
    /// partition's end: `(partition, offset, key, value, headers)`, by partition then offset.
    pub fn consume_all(&self, topic: &str, partitions: i32) -> Vec<Consumed> {
        let consumer: BaseConsumer = ClientConfig::new()
            .set("bootstrap.servers", &self.bootstrap)
            .set("group.id", "streamlab-tests")
            .set("enable.partition.eof", "true")
            .set("enable.auto.commit", "false")
            .create()
            .expect("consumer");
        let mut assignment = TopicPartitionList::new();
        for p in 0..partitions {
            assignment.add_partition_offset(topic, p, Offset::Beginning).expect("assignment");
        }
        consumer.assign(&assignment).expect("assign");
        let mut open: std::collections::BTreeSet<i32> = (0..partitions).collect();
        let mut out = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        while !open.is_empty() {
            assert!(Instant::now() < deadline, "reading {topic} timed out");
            match consumer.poll(Duration::from_millis(100)) {
                Some(Ok(m)) => out.push(Consumed {
                    partition: m.partition(),
                    offset: m.offset(),
                    key: m.key().map(<[u8]>::to_vec),
                    value: m.payload().map(<[u8]>::to_vec),
                    headers: m
                        .headers()
                        .map(|h| h.iter().map(|x| (x.key.to_string(), x.value.map(<[u8]>::to_vec).unwrap_or_default())).collect())
                        .unwrap_or_default(),
                }),
                Some(Err(KafkaError::PartitionEOF(p))) => {
                    open.remove(&p);
                }
                Some(Err(e)) => panic!("consume {topic}: {e}"),
                None => {}
            }
        }
        out.sort_by_key(|c| (c.partition, c.offset));
        out
    }

    /// Produces one record with headers (to fake what a crashed sink left behind).
    pub fn produce_with_headers(&self, topic: &str, value: &[u8], headers: &[(&str, &str)]) {
        let producer: BaseProducer = ClientConfig::new().set("bootstrap.servers", &self.bootstrap).create().expect("producer");
        let mut owned = OwnedHeaders::new();
        for (k, v) in headers {
            owned = owned.insert(Header { key: k, value: Some(v.as_bytes()) });
        }
        producer.send(BaseRecord::<'_, [u8], [u8]>::to(topic).payload(value).headers(owned)).map_err(|(e, _)| e).expect("send");
        producer.flush(Duration::from_secs(30)).expect("delivered");
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        self.relay.stop();
        let _ = self.tansu.kill();
        let _ = self.tansu.wait();
    }
}

/// A consumed record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consumed {
    pub partition: i32,
    pub offset: i64,
    pub key: Option<Vec<u8>>,
    pub value: Option<Vec<u8>>,
    pub headers: Vec<(String, Vec<u8>)>,
}

impl Consumed {
    /// The value as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(self.value.as_deref().unwrap_or_default()).into_owned()
    }

    /// A header's value as text.
    pub fn header(&self, key: &str) -> Option<String> {
        self.headers.iter().find(|(k, _)| k == key).map(|(_, v)| String::from_utf8_lossy(v).into_owned())
    }
}

/// A TCP relay from `port` to `target` that can stop and start listening.
struct Relay {
    port: u16,
    target: u16,
    running: Arc<AtomicBool>,
    connections: Arc<Mutex<Vec<TcpStream>>>,
    acceptor: Mutex<Option<JoinHandle<()>>>,
}

impl Relay {
    fn new(port: u16, target: u16) -> Relay {
        Relay {
            port,
            target,
            running: Arc::new(AtomicBool::new(false)),
            connections: Arc::new(Mutex::new(Vec::new())),
            acceptor: Mutex::new(None),
        }
    }

    fn start(&self) {
        let listener = {
            let deadline = Instant::now() + Duration::from_secs(10);
            loop {
                match TcpListener::bind(("127.0.0.1", self.port)) {
                    Ok(l) => break l,
                    Err(e) if Instant::now() > deadline => panic!("relay cannot listen on {}: {e}", self.port),
                    Err(_) => std::thread::sleep(Duration::from_millis(50)),
                }
            }
        };
        listener.set_nonblocking(true).expect("non-blocking listener");
        self.running.store(true, Ordering::SeqCst);
        let (running, connections, target) = (self.running.clone(), self.connections.clone(), self.target);
        let handle = std::thread::spawn(move || {
            while running.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((client, _)) => {
                        let Ok(server) = TcpStream::connect(("127.0.0.1", target)) else { continue };
                        let _ = client.set_nonblocking(false);
                        if let (Ok(c), Ok(s)) = (client.try_clone(), server.try_clone()) {
                            if let Ok(mut open) = connections.lock() {
                                open.push(c);
                                open.push(s);
                            }
                        }
                        pipe(&client, &server);
                        pipe(&server, &client);
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        *self.acceptor.lock().expect("relay lock") = Some(handle);
    }

    fn stop(&self) {
        self.running.store(false, Ordering::SeqCst);
        if let Some(handle) = self.acceptor.lock().expect("relay lock").take() {
            let _ = handle.join();
        }
        for stream in self.connections.lock().expect("relay lock").drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

/// Copies bytes from `from` to `to` on a thread until either side closes.
fn pipe(from: &TcpStream, to: &TcpStream) {
    let (Ok(mut from), Ok(mut to)) = (from.try_clone(), to.try_clone()) else { return };
    std::thread::spawn(move || {
        let mut buffer = [0u8; 64 * 1024];
        loop {
            match from.read(&mut buffer) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if to.write_all(&buffer[..n]).is_err() {
                        break;
                    }
                }
            }
        }
        let _ = to.shutdown(Shutdown::Both);
        let _ = from.shutdown(Shutdown::Both);
    });
}
