// The request channel from the debug session (main thread) to the engine worker, over a
// SharedArrayBuffer. The worker cannot read postMessage while it runs Wasm or sits stopped in
// Atomics.wait, so requests go through shared memory: the main thread writes one JSON request and
// bumps a sequence number; the worker reads it synchronously (stopped), asynchronously (idle), or
// when a probe sees the attention flag (running). Responses and events come back by postMessage,
// which a busy worker can still send.
//
// Layout: Int32 [0] = sequence of the last request written, [1] = sequence last consumed,
// [2] = payload length; then the UTF-8 JSON payload.

const HEADER_BYTES = 16;

// Atomics.waitAsync is in Node 20 but in TypeScript's ES2024 lib, not the ES2022 one we target.
type WaitAsync = (a: Int32Array, index: number, value: number) => { async: boolean; value: Promise<string> | string };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;
export const CHANNEL_BYTES = 8 * 1024 * 1024;

export interface ChannelRequest {
  id: number;
  method: string;
  params: unknown[];
}

// Uint8Array and bigint do not survive JSON; tag them.
function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return { $u8: Buffer.from(value).toString('base64') };
  if (typeof value === 'bigint') return { $big: value.toString() };
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object') {
    const v = value as { $u8?: string; $big?: string };
    if (typeof v.$u8 === 'string') return new Uint8Array(Buffer.from(v.$u8, 'base64'));
    if (typeof v.$big === 'string') return BigInt(v.$big);
  }
  return value;
}

export class RequestChannel {
  readonly control: Int32Array;
  private readonly payload: Uint8Array;
  private seen = 0;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(CHANNEL_BYTES)) {
    this.control = new Int32Array(buffer, 0, 4);
    this.payload = new Uint8Array(buffer, HEADER_BYTES);
  }

  /** Main thread: writes a request (the previous one must have been consumed). */
  send(request: ChannelRequest): void {
    const bytes = Buffer.from(JSON.stringify(request, replacer), 'utf8');
    if (bytes.length > this.payload.length) throw new RangeError(`request of ${bytes.length} bytes exceeds the channel`);
    this.payload.set(bytes);
    Atomics.store(this.control, 2, bytes.length);
    Atomics.add(this.control, 0, 1);
    Atomics.notify(this.control, 0);
  }

  /** Worker: the pending request, if any, without blocking. */
  poll(): ChannelRequest | undefined {
    const seq = Atomics.load(this.control, 0);
    if (seq === this.seen) return undefined;
    this.seen = seq;
    const length = Atomics.load(this.control, 2);
    const text = Buffer.from(this.payload.subarray(0, length)).toString('utf8');
    Atomics.store(this.control, 1, seq);
    return JSON.parse(text, reviver) as ChannelRequest;
  }

  /** Worker: blocks until a request arrives (used while stopped). */
  waitSync(): ChannelRequest {
    for (;;) {
      const r = this.poll();
      if (r) return r;
      Atomics.wait(this.control, 0, this.seen);
    }
  }

  /** Worker: waits without blocking the event loop (used while idle). */
  async waitAsync(): Promise<ChannelRequest> {
    for (;;) {
      const r = this.poll();
      if (r) return r;
      const w = waitAsync(this.control, 0, this.seen);
      if (w.async) await w.value;
    }
  }
}
