import type { XdrApiFile } from '../../knowledge/xdr-api.js';
import type { IrohClient } from './iroh-client.js';
import { deviceList, parseDevice, type ModuleInstance, type ModuleType, type SseDevice } from './xdr-model.js';

/** The profile's XDR API client for one run: the ID, and the secret read from the vault when first needed. */
export interface XdrConfig {
  clientId: string;
  secret(): string | null;
}

/**
 * What the XDR checks of one run share: the client (and with it the access token, in memory for
 * this run only), the scopes the token was granted, the SSE device list (fetched once for the
 * device and the module checks), the device matched as this appliance and the email modules found.
 */
export class XdrSession {
  client: IrohClient | null = null;
  /** Scopes of the token; empty when the answer listed none (then nothing is skipped for scopes). */
  scopes: string[] = [];
  matched: SseDevice | null = null;
  modules: { instance: ModuleInstance; type: ModuleType | undefined }[] = [];
  private devicesMemo: Promise<SseDevice[]> | null = null;
  private readonly others: IrohClient[] = [];

  constructor(readonly config: XdrConfig | null) {}

  /** SSE devices, one paged fetch per run however many checks ask. */
  devices(signal: AbortSignal, api: XdrApiFile): Promise<SseDevice[]> {
    const client = this.client;
    if (!client) return Promise.reject(new Error('the XDR API client did not authenticate'));
    if (!this.devicesMemo) {
      this.devicesMemo = client.list(api.paths.devices, signal, (json) => deviceList(json, api)).then((items) => items.map((item, i) => parseDevice(item, i, api)));
      this.devicesMemo.catch(() => {
        this.devicesMemo = null;
      });
    }
    return this.devicesMemo;
  }

  /** Clients made to ask other regions' token endpoints; closed with the run. */
  track(client: IrohClient): IrohClient {
    this.others.push(client);
    return client;
  }

  async close(): Promise<void> {
    await Promise.all([this.client?.close(), ...this.others.map((c) => c.close())]);
  }
}
