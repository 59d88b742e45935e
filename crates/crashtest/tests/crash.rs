//! Kills the crash worker with SIGKILL at fixed writes (deterministic kill points) and at
//! random times, restarts it until its query finishes, and checks with independent readers
//! that each sink holds every input row exactly once: pyarrow through the Parquet sink's
//! `_spark_metadata` (as Spark reads it), Python `deltalake` for Delta tables, and for the
//! windowed counts (complete and update mode) the same result an uninterrupted run gives,
//! itself checked against counts Python computes from the input. The Kafka sink writes to a
//! real broker (tansu, one topic per directory), read back with rdkafka from offset 0 to the
//! end of every partition.
//!
//! A new sink is one more [`Case`]: a scenario in the worker, its kill points, and a reader
//! in `VERIFY`.

#[path = "../../kafka/tests/harness/mod.rs"]
mod harness;

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// A kill point: die at the `nth` write whose path contains `pattern`, `when` it happens.
type KillPoint = (&'static str, usize, &'static str);

/// A scenario of the worker and the writes to kill it at.
struct Case {
    scenario: &'static str,
    kill_points: &'static [KillPoint],
}

const PARQUET: Case = Case {
    scenario: "parquet",
    kill_points: &[
        ("offsets/", 1, "before"),
        ("offsets/", 3, "after"),
        ("sources/0/", 4, "after"),
        ("part-", 3, "torn"),
        ("part-", 5, "after"),
        ("_spark_metadata/", 2, "before"),
        ("_spark_metadata/", 4, "after"),
        ("commits/", 1, "before"),
        ("commits/", 6, "after"),
    ],
};

const DELTA: Case = Case {
    scenario: "delta",
    kill_points: &[
        ("offsets/", 2, "before"),
        ("_delta_log/0", 1, "before"),
        ("_delta_log/0", 2, "after"),
        (".parquet", 3, "before"),
        ("_delta_log/0", 5, "before"),
        ("_delta_log/0", 9, "after"),
        ("commits/", 4, "before"),
        ("commits/", 8, "after"),
    ],
};

const WINDOW_COMPLETE: Case = Case {
    scenario: "window-complete",
    kill_points: &[
        ("state/", 3, "before"),
        ("state/", 5, "after"),
        (".parquet", 2, "before"),
        ("_delta_log/0", 4, "after"),
        ("_delta_log/0", 6, "before"),
        ("commits/", 3, "before"),
        ("offsets/", 5, "after"),
    ],
};

const WINDOW_UPDATE: Case = Case {
    scenario: "window-update",
    kill_points: &[
        ("updates/", 2, "before"),
        ("updates/", 4, "after"),
        ("state/", 4, "before"),
        ("state/", 6, "after"),
        ("commits/", 2, "before"),
        ("offsets/", 7, "after"),
    ],
};

const KAFKA: Case = Case {
    scenario: "kafka",
    kill_points: &[
        ("offsets/", 1, "before"),
        ("offsets/", 3, "after"),
        ("sources/0/", 2, "after"),
        ("commits/", 1, "before"),
        ("commits/", 4, "before"),
        ("commits/", 5, "after"),
        ("offsets/", 7, "after"),
        ("commits/", 8, "before"),
    ],
};

/// Partitions of each Kafka topic: records spread by key, so a replayed batch has to find its
/// records in several partitions.
const KAFKA_PARTITIONS: i32 = 3;

/// How many directories get random kills per scenario.
const RANDOM_RUNS: usize = 2;

/// Reads what each directory's sink holds and what its input says it should hold; prints
/// `<dir>\t<expected>\t<actual>` per directory. Rows are compared as sorted lists of their
/// columns (a multiset): a lost or a duplicated row changes it.
const VERIFY: &str = r#"
import datetime, glob, hashlib, json, os, sys
scenario, dirs = sys.argv[1], sys.argv[2:]
COLUMNS = ("Arrival_Time", "Creation_Time", "Device", "Index", "Model", "User", "gt", "x", "y", "z")
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)

def digest(lines):
    lines = sorted(lines)
    return f"{len(lines)}:" + hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]

def row_key(r):
    return "|".join(repr(r[c]) for c in COLUMNS)

def input_rows(d):
    return [json.loads(l) for f in sorted(glob.glob(d + "/in/*.json")) for l in open(f)]

def window_counts(rows):
    counts = {}
    for r in rows:
        start = (r["Arrival_Time"] // 1000) // 600 * 600 * 1_000_000
        key = f"{start}|{r['gt'] if r['gt'] is not None else 'null'}"
        counts[key] = counts.get(key, 0) + 1
    return digest(f"{k}|{v}" for k, v in counts.items())

def spark_metadata_files(d):
    # Spark's file sink log: every batch file (and compaction) lists the files it added.
    log = d + "/out/_spark_metadata"
    paths = set()
    for name in os.listdir(log):
        if name.startswith("."):
            continue
        lines = open(os.path.join(log, name)).read().splitlines()
        for line in lines[1:]:
            entry = json.loads(line)
            if entry["action"] == "add":
                paths.add(entry["path"])
    return sorted(paths)

def parquet_rows(d):
    import pyarrow.parquet as pq
    rows = []
    for uri in spark_metadata_files(d):
        rows += pq.read_table(uri.removeprefix("file://").removeprefix("file:")).to_pylist()
    return rows

def last_batch(d):
    # The id of the last batch the query committed: the txn version the table must hold.
    return max(int(n) for n in os.listdir(d + "/cp/commits") if n.isdigit())

def delta_table(d):
    import deltalake
    table = deltalake.DeltaTable(d + "/out")
    query_id = json.loads(open(d + "/cp/metadata").read())["id"]
    return table, table.transaction_version(query_id)

for d in dirs:
    rows = input_rows(d)
    if scenario == "parquet":
        expected, actual = digest(map(row_key, rows)), digest(map(row_key, parquet_rows(d)))
    elif scenario == "delta":
        table, txn = delta_table(d)
        expected = digest(map(row_key, rows)) + f" txn {last_batch(d)}"
        actual = digest(map(row_key, table.to_pyarrow_table().to_pylist())) + f" txn {txn}"
    elif scenario == "window-complete":
        table, txn = delta_table(d)
        lines = []
        for r in table.to_pyarrow_table().to_pylist():
            start = (r["window"]["start"] - EPOCH) // datetime.timedelta(microseconds=1)
            lines.append(f"{start}|{r['gt'] if r['gt'] is not None else 'null'}|{r['count']}")
        expected, actual = window_counts(rows) + f" txn {last_batch(d)}", digest(lines) + f" txn {txn}"
    elif scenario == "window-update":
        latest = {}
        for f in sorted(glob.glob(d + "/out/updates/*.txt")):
            for line in open(f).read().splitlines():
                start, gt, count = line.split("|")
                latest[f"{start}|{gt}"] = int(count)
        expected, actual = window_counts(rows), digest(f"{k}|{v}" for k, v in latest.items())
    print(d, expected, actual, sep="\t")
"#;

/// Starts the worker of one case: its scenario and, for Kafka, the broker it writes to.
struct Worker<'a> {
    scenario: &'static str,
    broker: Option<&'a harness::Broker>,
}

impl Worker<'_> {
    /// `crash-worker <scenario> <dir>`, told the broker and the directory's topic for Kafka.
    fn command(&self, dir: &Path) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_crash-worker"));
        command.arg(self.scenario).arg(dir);
        if let Some(broker) = self.broker {
            command.env("STREAMLAB_CRASH_KAFKA_BOOTSTRAP", &broker.bootstrap).env("STREAMLAB_CRASH_KAFKA_TOPIC", topic_of(dir));
        }
        command
    }

    /// A fresh directory (see [`fresh_dir`]) and, for Kafka, its empty topic.
    fn fresh_dir(&self, root: &Path, name: &str) -> PathBuf {
        let dir = fresh_dir(root, name);
        if let Some(broker) = self.broker {
            broker.create_topic(&topic_of(&dir), KAFKA_PARTITIONS as u32);
        }
        dir
    }
}

/// The Kafka topic of a run directory: its name (`kill-3`, `random-0`, ...).
fn topic_of(dir: &Path) -> String {
    dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// `<count>:<hash>` of a multiset of lines (sorted first): a lost or a duplicated line
/// changes it.
fn digest(mut lines: Vec<String>) -> String {
    lines.sort();
    let mut hasher = DefaultHasher::new();
    lines.hash(&mut hasher);
    format!("{}:{:016x}", lines.len(), hasher.finish())
}

/// For each directory, `<dir>\t<expected>\t<actual>` as `VERIFY` prints it: the digest of
/// its input lines and of the values in its topic. Also checks each record's key is the
/// `Index` of its value, so keys did not drift from their rows.
fn verify_kafka(broker: &harness::Broker, dirs: &[PathBuf]) -> String {
    let mut report = String::new();
    for dir in dirs {
        let mut lines = Vec::new();
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("in")).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for file in files {
            lines.extend(std::fs::read_to_string(file).unwrap().lines().map(str::to_string));
        }
        let records = broker.consume_all(&topic_of(dir), KAFKA_PARTITIONS);
        for record in &records {
            let key = String::from_utf8_lossy(record.key.as_deref().unwrap_or_default()).into_owned();
            assert!(record.text().contains(&format!("\"Index\":{key},")), "{}: key {key} on {}", dir.display(), record.text());
        }
        let values = records.iter().map(harness::Consumed::text).collect();
        report.push_str(&format!("{}\t{}\t{}\n", dir.display(), digest(lines), digest(values)));
    }
    report
}

/// The verification interpreter, when it has pyarrow and deltalake.
fn python() -> Option<String> {
    let python = std::env::var("STREAMLAB_PYTHON").unwrap_or_else(|_| "python3".into());
    let works = Command::new(&python).args(["-c", "import pyarrow, deltalake"]).output().is_ok_and(|o| o.status.success());
    if !works {
        eprintln!("SKIPPED: no Python with pyarrow and deltalake at {python}; run `source scripts/env.sh`");
    }
    works.then_some(python)
}

/// A fresh directory under `root` holding the activity files in `in/`, the i-th (by name)
/// modified at 1700000000 + i s, so the file source takes them in name order.
fn fresh_dir(root: &Path, name: &str) -> PathBuf {
    let dir = root.join(name);
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/activity");
    let mut names: Vec<_> = std::fs::read_dir(&data).unwrap().map(|e| e.unwrap().file_name()).collect();
    names.sort();
    for (i, file) in names.iter().enumerate() {
        std::fs::copy(data.join(file), input.join(file)).unwrap();
        let modified = UNIX_EPOCH + Duration::from_secs(1_700_000_000 + i as u64);
        std::fs::File::options().write(true).open(input.join(file)).unwrap().set_modified(modified).unwrap();
    }
    dir
}

fn run_worker(worker: &Worker<'_>, dir: &Path, kill: Option<KillPoint>) -> ExitStatus {
    let mut command = worker.command(dir);
    if let Some((pattern, nth, when)) = kill {
        command.arg(pattern).arg(nth.to_string()).arg(when);
    }
    command.status().expect("the worker starts")
}

/// Restarts the worker without a kill switch until its query finishes.
fn finish(worker: &Worker<'_>, dir: &Path) {
    let status = run_worker(worker, dir, None);
    assert!(status.success(), "{} in {}: the restart failed with {status}", worker.scenario, dir.display());
}

/// A small xorshift generator seeded from the clock: kill times differ between runs, and
/// the seed is printed so a failure can be replayed.
struct Random(u64);

impl Random {
    fn seeded() -> Random {
        let seed = SystemTime::now().duration_since(UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64) | 1;
        eprintln!("random kill seed {seed}");
        Random(seed)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % bound
    }
}

/// Kills the worker from outside at random times, up to three times, then lets it finish.
fn random_kills(worker: &Worker<'_>, dir: &Path, random: &mut Random) {
    let scenario = worker.scenario;
    for _ in 0..3 {
        let mut child = worker.command(dir).spawn().expect("the worker starts");
        let deadline = Instant::now() + Duration::from_millis(20 + random.below(400));
        while Instant::now() < deadline {
            if child.try_wait().expect("the worker runs").is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        match child.try_wait().expect("the worker runs") {
            Some(status) => assert!(status.success(), "{scenario} in {}: {status}", dir.display()),
            None => {
                child.kill().expect("SIGKILL");
                child.wait().expect("the worker is reaped");
            }
        }
    }
    finish(worker, dir);
}

/// Who reads the sinks back: Python's readers (`VERIFY`), or rdkafka for the Kafka topics.
enum Verifier<'a> {
    Python(String),
    Kafka(&'a harness::Broker),
}

/// Runs every kill point and the random kills of `case`, then checks every directory with
/// Python's readers, or with rdkafka when `broker` is the Kafka case's.
fn crash_test(case: &Case, broker: Option<&harness::Broker>) {
    let verifier = match broker {
        Some(broker) => Verifier::Kafka(broker),
        None => match python() {
            Some(python) => Verifier::Python(python),
            None => return,
        },
    };
    let worker = Worker { scenario: case.scenario, broker };
    let root = tempfile::tempdir().unwrap();
    let mut dirs = vec![worker.fresh_dir(root.path(), "uninterrupted")];
    finish(&worker, &dirs[0]);
    let mut labels = HashMap::new();
    for (i, &point) in case.kill_points.iter().enumerate() {
        let dir = worker.fresh_dir(root.path(), &format!("kill-{i}"));
        let status = run_worker(&worker, &dir, Some(point));
        assert_eq!(status.signal(), Some(libc_sigkill()), "{} {point:?}: the kill point was not reached ({status})", case.scenario);
        finish(&worker, &dir);
        labels.insert(dir.to_string_lossy().to_string(), format!("{point:?}"));
        dirs.push(dir);
    }
    let mut random = Random::seeded();
    for i in 0..RANDOM_RUNS {
        let dir = worker.fresh_dir(root.path(), &format!("random-{i}"));
        random_kills(&worker, &dir, &mut random);
        labels.insert(dir.to_string_lossy().to_string(), "random kills".to_string());
        dirs.push(dir);
    }
    let report = match verifier {
        Verifier::Kafka(broker) => verify_kafka(broker, &dirs),
        Verifier::Python(python) => {
            let out = Command::new(&python).args(["-c", VERIFY, case.scenario]).args(&dirs).output().expect("python runs");
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            String::from_utf8(out.stdout).unwrap()
        }
    };
    let lines: Vec<Vec<&str>> = report.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines.len(), dirs.len(), "{report}");
    // Batches may be fewer after a restart (a file logged by the source before the kill joins
    // the next batch, as in Spark), so only the rows, not the txn version, must equal the
    // uninterrupted run's.
    fn rows_of(text: &str) -> &str {
        text.split(" txn ").next().unwrap_or(text)
    }
    let uninterrupted = lines[0][2];
    assert_eq!(lines[0][1], uninterrupted, "{}: the uninterrupted run", case.scenario);
    assert!(uninterrupted.starts_with(if case.scenario.starts_with("window") { "" } else { "16006:" }), "{uninterrupted}");
    for line in &lines[1..] {
        let label = labels.get(line[0]).map_or("?", String::as_str);
        assert_eq!(line[2], line[1], "{} killed at {label}: the sink differs from its input", case.scenario);
        assert_eq!(rows_of(line[2]), rows_of(uninterrupted), "{} killed at {label}: the result differs from the uninterrupted run", case.scenario);
    }
}

/// SIGKILL's number (9 on every Unix this runs on).
fn libc_sigkill() -> i32 {
    9
}

#[test]
fn parquet_sink_survives_kills() {
    crash_test(&PARQUET, None);
}

#[test]
fn delta_sink_survives_kills() {
    crash_test(&DELTA, None);
}

#[test]
fn windowed_counts_in_complete_mode_survive_kills() {
    crash_test(&WINDOW_COMPLETE, None);
}

#[test]
fn windowed_counts_in_update_mode_survive_kills() {
    crash_test(&WINDOW_UPDATE, None);
}

#[test]
fn kafka_sink_survives_kills() {
    let broker = harness::Broker::start();
    crash_test(&KAFKA, Some(&broker));
}
