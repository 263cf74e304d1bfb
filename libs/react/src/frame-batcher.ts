/**
 * Coalesces many `schedule()` calls into one callback per animation frame (or ~16 ms where there
 * are no frames), so a burst of events costs one React render, not one per event.
 */
export class FrameBatcher {
  private handle?: { kind: 'raf'; id: number } | { kind: 'timeout'; id: ReturnType<typeof setTimeout> };

  constructor(private readonly flush: () => void) {}

  schedule(): void {
    if (this.handle) return;
    const run = () => {
      this.handle = undefined;
      this.flush();
    };
    if (typeof requestAnimationFrame === 'function') {
      this.handle = { kind: 'raf', id: requestAnimationFrame(run) };
    } else {
      this.handle = { kind: 'timeout', id: setTimeout(run, 16) };
    }
  }

  cancel(): void {
    if (!this.handle) return;
    if (this.handle.kind === 'raf') cancelAnimationFrame(this.handle.id);
    else clearTimeout(this.handle.id);
    this.handle = undefined;
  }
}
