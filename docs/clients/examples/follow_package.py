#!/usr/bin/env python3
"""Follow one package through Tracklight's per-resource endpoint with the `websockets` library.

Usage: python3 follow_package.py ws://localhost:3000 TRACKING_NUMBER TOKEN [EVENTS]

Prints every frame as one JSON line (the `connected` frame, the package's snapshot, then each
package_update) and the bare `pong` answering the plain-text heartbeat; exits after EVENTS
package updates (default: run until interrupted). A close by the server prints
{"closed": CODE} and exits with status 2: 4404 means no such package, 4401 a bad token.
"""

import asyncio
import json
import sys

import websockets


def close_code(error):
    received = getattr(error, "rcvd", None)  # websockets >= 10
    return received.code if received is not None else getattr(error, "code", None)


async def follow(base, tracking_number, token, events):
    url = f"{base}/ws/packages/{tracking_number}?token={token}"
    # The server also pings every heartbeatIntervalMs; websockets answers those frames itself.
    async with websockets.connect(url) as ws:
        updates = 0
        while events is None or updates < events:
            raw = await ws.recv()
            if raw == "pong":
                print("pong", flush=True)
                continue
            frame = json.loads(raw)
            print(json.dumps(frame), flush=True)
            if frame["type"] == "connected":
                await ws.send("ping")  # the plain-text heartbeat: answered with the text "pong"
            elif frame["type"] == "package_update":
                updates += 1


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    base, tracking_number, token = sys.argv[1:4]
    events = int(sys.argv[4]) if len(sys.argv) > 4 else None
    try:
        asyncio.run(follow(base, tracking_number, token, events))
    except websockets.exceptions.ConnectionClosed as error:
        print(json.dumps({"closed": close_code(error)}), flush=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
