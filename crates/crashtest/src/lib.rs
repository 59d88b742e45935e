//! Crash testing StreamLab's exactly-once guarantee: a worker process runs a streaming query
//! and SIGKILLs itself at a chosen write ([`KillSwitch`]), through the engine's storage
//! ([`KillingStorage`]) or delta-rs' object store ([`install_killing_object_store`]); the
//! driver (`tests/crash.rs`) restarts it until the query finishes and checks the sink holds
//! every input row exactly once.
//!
//! Why deterministic kill points: a kill "between the Delta commit and the checkpoint commit"
//! or "with a half-written part file" happens once in thousands of random kills; naming the
//! write to die at makes every such window tested on every run.
//!
//! ```
//! use streamlab_crashtest::{KillSwitch, When};
//! let switch = KillSwitch::new("commits/", 2, When::Before);
//! assert_eq!(switch.on_write("/cp/commits/0"), None);
//! assert_eq!(switch.on_write("/cp/offsets/1"), None);
//! assert_eq!(switch.on_write("/cp/commits/1"), Some(When::Before));
//! ```

mod kill;
mod object_store;
pub mod scenario;
mod storage;

pub use kill::{die, KillSwitch, When};
pub use object_store::install_killing_object_store;
pub use storage::KillingStorage;
