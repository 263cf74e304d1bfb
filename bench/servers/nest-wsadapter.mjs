// Reference for S5: the inbound path of a plain Nest gateway on @nestjs/platform-ws's default
// WsAdapter (per-connection RxJS pipelines in bindMessageHandlers), doing the same job as
// Tracklight's handlers: JWT at connect, every message validated with Tracklight's own contract
// validator (class-validator DTOs), subscribe/unsubscribe/ping answered with a frame. What differs
// is the dispatch, which is what S5 compares. Written without TypeScript: decorators by hand.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WebSocketGateway, SubscribeMessage } from '@nestjs/websockets';
import { WsAdapter } from '@nestjs/platform-ws';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serveControl } from '../lib/harness.mjs';
import { verifyJwt } from '../lib/common.mjs';

const build = resolve(process.env.TRACKLIGHT_BUILD ?? 'bench/results/build');
const { validateClientObject } = await import(
  pathToFileURL(join(build, 'libs/protocol/src/validation/parse-client-frame.js')).href
);

/**
 * The contract check Tracklight runs on every client frame; an error frame when it fails.
 * @param {string} type
 * @param {unknown} data
 * @returns {{ type: string, data?: any } | undefined} the frame (the build's own types are not loaded here)
 */
function validated(type, data) {
  const parsed = validateClientObject({ type, data });
  return parsed.ok ? parsed.frame : undefined;
}

const invalid = { event: 'error', data: { code: 'INVALID_MESSAGE' } };

// The runner always passes the run's secret.
const secret = /** @type {string} */ (process.env.JWT_SECRET);
/** A connection with the topics it subscribed to. @typedef {import('ws').WebSocket & { topics: Set<string> }} Client */
/** @type {Map<string, Set<Client>>} */
const index = new Map();

class Gateway {
  /**
   * @param {Client} client
   * @param {import('node:http').IncomingMessage} req
   */
  handleConnection(client, req) {
    // an upgrade request always has its url
    const url = new URL(/** @type {string} */ (req.url), 'http://x');
    const claims = verifyJwt(url.searchParams.get('token'), secret);
    if (!claims) {
      client.close(4401);
      return;
    }
    client.topics = new Set();
    client.send(JSON.stringify({ event: 'connected', data: { userId: claims.sub } }));
  }

  /** @param {Client} client */
  handleDisconnect(client) {
    for (const t of client.topics ?? []) index.get(t)?.delete(client);
  }

  /**
   * @param {Client} client
   * @param {unknown} body
   */
  subscribe(client, body) {
    const data = validated('subscribe', body)?.data;
    if (!data) return invalid;
    for (const t of data.topics) {
      if (!index.has(t)) index.set(t, new Set());
      index.get(t)?.add(client);
      client.topics.add(t);
    }
    return { event: 'subscribed', data: { topics: data.topics } };
  }

  /**
   * @param {Client} client
   * @param {unknown} body
   */
  unsubscribe(client, body) {
    const data = validated('unsubscribe', body)?.data;
    if (!data) return invalid;
    for (const t of data.topics) {
      index.get(t)?.delete(client);
      client.topics.delete(t);
    }
    return { event: 'unsubscribed', data: { topics: data.topics } };
  }

  /**
   * @param {Client} _client
   * @param {unknown} body
   */
  ping(_client, body) {
    if (!validated('ping', body)) return invalid;
    return { event: 'pong', data: { serverTime: new Date().toISOString() } };
  }
}

for (const name of ['subscribe', 'unsubscribe', 'ping']) {
  SubscribeMessage(name)(
    Gateway.prototype,
    name,
    /** @type {PropertyDescriptor} */ (Object.getOwnPropertyDescriptor(Gateway.prototype, name)),
  );
}
WebSocketGateway({ path: '/ws' })(Gateway);

class AppModule {}
Module({ providers: [Gateway] })(AppModule);

const app = await NestFactory.create(AppModule, { logger: false });
app.useWebSocketAdapter(new WsAdapter(app));
await app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');

/** @type {import('../lib/types.mjs').Contender['publish']} */
function publish(topic, data) {
  const json = JSON.stringify({ event: 'package_update', data: { topic, data } });
  for (const ws of index.get(topic) ?? []) ws.send(json);
}

serveControl({ publish, port: app.getHttpServer().address().port });
