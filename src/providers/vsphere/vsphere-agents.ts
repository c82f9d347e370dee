import { createHash } from 'node:crypto';
import * as https from 'node:https';
import type { ProviderCredentials } from '../provider';

/**
 * One https.Agent per secret, carrying that secret's TLS trust: its CA bundle,
 * or `rejectUnauthorized: false` when the secret says insecure. The choice
 * lives on the agent only; nothing process-wide (NODE_TLS_REJECT_UNAUTHORIZED,
 * https.globalAgent) is ever touched. Keep-alive sockets are reused across
 * the calls of a listing; an edited secret gets a fresh agent.
 */
export class VsphereAgents {
  private readonly agents = new Map<string, { fingerprint: string; agent: https.Agent }>();

  agentFor(credentials: ProviderCredentials): https.Agent {
    const tls = credentials.tls ?? {};
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([credentials.address ?? '', tls.insecure === true, tls.ca ?? '']))
      .digest('hex');
    const cached = this.agents.get(credentials.secretId);
    if (cached?.fingerprint === fingerprint) return cached.agent;
    cached?.agent.destroy();
    const agent = new https.Agent({
      keepAlive: true,
      maxSockets: 4,
      ...(tls.insecure === true ? { rejectUnauthorized: false } : { rejectUnauthorized: true }),
      ...(tls.ca && tls.insecure !== true ? { ca: tls.ca } : {}),
    });
    this.agents.set(credentials.secretId, { fingerprint, agent });
    return agent;
  }

  destroyAll(): void {
    for (const { agent } of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}
