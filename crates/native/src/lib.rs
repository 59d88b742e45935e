//! What only a native build can give the engine: the local disk and the system clock.
