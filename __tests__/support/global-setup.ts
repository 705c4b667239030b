import { ensureSynthesized } from '../../local/synth';

/** Synthesizes cdktf.out once, before any worker starts, so suites that read it never race to write it. */
export default function globalSetup(): void {
  ensureSynthesized();
}
