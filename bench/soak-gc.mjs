// Preloaded into the soak's gateway (with --expose-gc). SIGWINCH, which is not one of Nest's
// shutdown signals, runs a full garbage collection: each soak report then reads the heap that is
// really retained, not garbage still awaiting collection.
process.on('SIGWINCH', () => globalThis.gc?.());
