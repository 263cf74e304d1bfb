import { randomUUID } from 'node:crypto';
import { Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config/app-config.js';
import { createRedisClient, whenReady } from '../bus/redis/redis-client.js';
import {
  ClusterAdmin,
  type AdminConnectionSource,
  type ClusterCloseResult,
  type ClusterConnectionList,
  type ConnectionFilter,
} from './cluster-admin.js';
import {
  ClusterAdminChannels,
  parseReply,
  parseRequest,
  type AdminReply,
  type AdminRequest,
} from './cluster-admin-messages.js';
import type { ClusterService } from './cluster.service.js';
import { mergeConnectionLists, type InstanceSlice } from './merge-connection-lists.js';

export interface ClusterAdminOptions {
  /** How long a request waits for the other registered instances before answering without them. */
  replyTimeoutMs: number;
  /** Most connections one instance puts in a list reply. */
  maxItemsPerInstance: number;
  startupTimeoutMs: number;
}

const DEFAULTS: ClusterAdminOptions = { replyTimeoutMs: 500, maxItemsPerInstance: 1_000, startupTimeoutMs: 5_000 };

type RequestBody = { kind: 'list'; filter: ConnectionFilter; max: number } | { kind: 'close'; connectionId: string };

interface Gathered {
  replies: AdminReply[];
  missing: string[];
  /** Redis was unreachable: nobody was asked, and which instances are alive is unknown. */
  cutOff: boolean;
}

/**
 * The admin routes across instances, as a request/reply over Redis pub/sub: the instance
 * answering the HTTP call publishes a request, every other live instance answers on the
 * requester's reply channel, and the requester waits for the instances registered in
 * ClusterService (or the timeout). Its own connections it reads directly.
 */
export class RedisClusterAdmin extends ClusterAdmin implements OnModuleInit, OnApplicationShutdown {
  readonly spansInstances = true;
  private readonly logger = new Logger('ClusterAdmin');
  private readonly instanceId: string;
  private readonly channels: ClusterAdminChannels;
  private readonly options: ClusterAdminOptions;
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly pending = new Map<string, (reply: AdminReply) => void>();
  private source: AdminConnectionSource | undefined;
  private subscribed = false;

  constructor(
    config: AppConfig,
    private readonly cluster: ClusterService,
    options: Partial<ClusterAdminOptions> = {},
  ) {
    super();
    if (!config.redisUrl) throw new Error('RedisClusterAdmin needs REDIS_URL');
    this.instanceId = config.instanceId;
    this.options = { ...DEFAULTS, ...options };
    this.channels = new ClusterAdminChannels(config.redisPrefix);
    this.publisher = createRedisClient(config.redisUrl, 'cluster-admin');
    this.subscriber = createRedisClient(config.redisUrl, 'cluster-admin-sub');
    this.subscriber.on('message', (channel: string, message: string) => this.onMessage(channel, message));
    // A reconnect drops the subscriptions until they are made again: replies would go unheard.
    this.subscriber.on('close', () => (this.subscribed = false));
    this.subscriber.on('ready', () => void this.subscribe());
  }

  async onModuleInit(): Promise<void> {
    if (await whenReady(this.subscriber, this.options.startupTimeoutMs)) await this.subscribe();
  }

  onApplicationShutdown(): void {
    this.subscribed = false;
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }

  setSource(source: AdminConnectionSource): void {
    this.source = source;
  }

  async list(filter: ConnectionFilter, offset: number, limit: number): Promise<ClusterConnectionList> {
    const max = Math.min(offset + limit, this.options.maxItemsPerInstance);
    const own = this.source?.matching(filter, max) ?? { total: 0, items: [] };
    const { replies, missing, cutOff } = await this.gather({ kind: 'list', filter, max });
    const slices: InstanceSlice[] = [{ instanceId: this.instanceId, ...own }];
    for (const r of replies)
      if (r.kind === 'list') slices.push({ instanceId: r.instanceId, total: r.total, items: r.items });
    const merged = mergeConnectionLists(slices, offset, limit);
    return { ...merged, partial: cutOff || missing.length > 0, missingInstances: missing };
  }

  async close(connectionId: string): Promise<ClusterCloseResult> {
    if (this.source?.close(connectionId)) return 'closed';
    const { replies, missing, cutOff } = await this.gather(
      { kind: 'close', connectionId },
      (r) => r.kind === 'close' && r.closed,
    );
    if (replies.some((r) => r.kind === 'close' && r.closed)) return 'closed';
    return cutOff || missing.length ? 'unknown' : 'absent';
  }

  /**
   * Publishes one request and collects replies until every other registered instance answered,
   * `enough` says a reply settles it, or the timeout. Instances not heard from are `missing`.
   */
  private async gather(body: RequestBody, enough?: (reply: AdminReply) => boolean): Promise<Gathered> {
    // Checked first: without Redis the registry read below falls back to this instance alone.
    if (!this.subscribed || this.publisher.status !== 'ready') return { replies: [], missing: [], cutOff: true };
    const others = (await this.cluster.instances()).filter((i) => !i.self).map((i) => i.instanceId);
    if (!others.length) return { replies: [], missing: [], cutOff: false };

    const requestId = randomUUID();
    const request = { ...body, requestId, from: this.instanceId } as AdminRequest;
    const replies = new Map<string, AdminReply>();
    return new Promise<Gathered>((resolve) => {
      let cutOff = false;
      const finish = () => {
        clearTimeout(timer);
        this.pending.delete(requestId);
        resolve({ replies: [...replies.values()], missing: others.filter((id) => !replies.has(id)), cutOff });
      };
      const timer = setTimeout(finish, this.options.replyTimeoutMs);
      this.pending.set(requestId, (reply) => {
        replies.set(reply.instanceId, reply);
        if (enough?.(reply) || others.every((id) => replies.has(id))) finish();
      });
      this.publisher.publish(this.channels.requests, JSON.stringify(request)).catch((err: unknown) => {
        this.logger.warn(`cluster admin request not sent: ${(err as Error).message}`);
        cutOff = true;
        finish();
      });
    });
  }

  private onMessage(channel: string, message: string): void {
    if (channel === this.channels.requests) {
      const request = parseRequest(message);
      if (request && request.from !== this.instanceId) this.answer(request);
      return;
    }
    const reply = parseReply(message);
    if (reply) this.pending.get(reply.requestId)?.(reply);
  }

  private answer(request: AdminRequest): void {
    // Before the admin module wired its source this instance cannot tell: stay silent, so the
    // requester counts it missing rather than empty.
    if (!this.source) return;
    const base = { requestId: request.requestId, instanceId: this.instanceId };
    let reply: AdminReply;
    switch (request.kind) {
      case 'list': {
        const slice = this.source.matching(request.filter, Math.min(request.max, this.options.maxItemsPerInstance));
        reply = { ...base, kind: 'list', ...slice };
        break;
      }
      case 'close':
        reply = { ...base, kind: 'close', closed: this.source.close(request.connectionId) };
        break;
    }
    this.publisher.publish(this.channels.replies(request.from), JSON.stringify(reply)).catch((err: unknown) => {
      this.logger.warn(`cluster admin reply not sent: ${(err as Error).message}`);
    });
  }

  private async subscribe(): Promise<void> {
    try {
      await this.subscriber.subscribe(this.channels.requests, this.channels.replies(this.instanceId));
      this.subscribed = true;
    } catch (err) {
      this.logger.warn(`cluster admin channel unavailable: ${(err as Error).message}`);
    }
  }
}
