// Reference for S5: the inbound path of a plain Nest gateway on @nestjs/platform-ws's default
// WsAdapter (per-connection RxJS pipelines in bindMessageHandlers), doing the same small job as
// the other contenders: JWT at connect, subscribe/unsubscribe/ping answered with a frame.
// Written without TypeScript, so decorators are applied by hand.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WebSocketGateway, SubscribeMessage } from '@nestjs/websockets';
import { WsAdapter } from '@nestjs/platform-ws';
import { serveControl } from '../lib/harness.mjs';
import { verifyJwt } from '../lib/common.mjs';

const secret = process.env.JWT_SECRET;
const index = new Map();

class Gateway {
  handleConnection(client, req) {
    const url = new URL(req.url, 'http://x');
    const claims = verifyJwt(url.searchParams.get('token'), secret);
    if (!claims) {
      client.close(4401);
      return;
    }
    client.topics = new Set();
    client.send(JSON.stringify({ event: 'connected', data: { userId: claims.sub } }));
  }

  handleDisconnect(client) {
    for (const t of client.topics ?? []) index.get(t)?.delete(client);
  }

  subscribe(client, data) {
    for (const t of data.topics) {
      if (!index.has(t)) index.set(t, new Set());
      index.get(t).add(client);
      client.topics.add(t);
    }
    return { event: 'subscribed', data: { topics: data.topics } };
  }

  unsubscribe(client, data) {
    for (const t of data.topics) {
      index.get(t)?.delete(client);
      client.topics.delete(t);
    }
    return { event: 'unsubscribed', data: { topics: data.topics } };
  }

  ping() {
    return { event: 'pong', data: { serverTime: new Date().toISOString() } };
  }
}

for (const name of ['subscribe', 'unsubscribe', 'ping']) {
  SubscribeMessage(name)(Gateway.prototype, name, Object.getOwnPropertyDescriptor(Gateway.prototype, name));
}
WebSocketGateway({ path: '/ws' })(Gateway);

class AppModule {}
Module({ providers: [Gateway] })(AppModule);

const app = await NestFactory.create(AppModule, { logger: false });
app.useWebSocketAdapter(new WsAdapter(app));
await app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');

function publish(topic, data) {
  const json = JSON.stringify({ event: 'package_update', data: { topic, data } });
  for (const ws of index.get(topic) ?? []) ws.send(json);
}

serveControl({ publish, port: app.getHttpServer().address().port });
