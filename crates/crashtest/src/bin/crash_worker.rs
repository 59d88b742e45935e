//! `crash-worker <scenario> <dir> [<pattern> <nth> <before|after|torn>]`: runs the scenario's
//! query in `dir` to completion, dying with SIGKILL at the `nth` write whose path contains
//! `pattern` when one is given. Exit 0 when the query finished, 2 on a query error. The
//! `kafka` scenario writes to the broker and topic in `STREAMLAB_CRASH_KAFKA_BOOTSTRAP` and
//! `STREAMLAB_CRASH_KAFKA_TOPIC`.

use std::sync::Arc;

use streamlab_crashtest::scenario::{local, run, session, KafkaTarget, Scenario};
use streamlab_crashtest::{install_killing_object_store, KillSwitch, KillingStorage, When};
use streamlab_storage::{Storage, WriteBehind};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: crash-worker <parquet|delta|window-complete|window-update|kafka> <dir> [<pattern> <nth> <before|after|torn>]";
    let (Some(scenario), Some(dir)) = (args.first().and_then(|s| Scenario::parse(s)), args.get(1)) else {
        eprintln!("{usage}");
        std::process::exit(64);
    };
    let storage = match (args.get(2), args.get(3).and_then(|n| n.parse().ok()), args.get(4).and_then(|w| When::parse(w))) {
        (Some(pattern), Some(nth), Some(when)) => {
            let switch = Arc::new(KillSwitch::new(pattern, nth, when));
            install_killing_object_store(switch.clone());
            Arc::new(KillingStorage::new(local(dir), switch))
        }
        (None, _, _) => local(dir),
        _ => {
            eprintln!("{usage}");
            std::process::exit(64);
        }
    };
    // As `streamlab run` does: writes go behind on a second thread, so a kill also lands
    // between an operation's return and its arrival on the disk.
    let storage: Arc<dyn Storage> = Arc::new(WriteBehind::new(storage));
    if let Err(error) = run(&session(storage), scenario, KafkaTarget::from_env().as_ref()) {
        eprintln!("{error}");
        std::process::exit(2);
    }
}
