// proc_exit unwinds the guest by throwing; whoever called _start catches this and turns it into
// the exit code (createWasi().start does it for you).

export class WasiExit extends Error {
  constructor(readonly code: number) {
    super(`WASI program exited with code ${code}`);
    this.name = 'WasiExit';
  }
}
