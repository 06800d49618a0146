"""A bare Flask-SocketIO server on gevent: the yardstick that bench/fanout.py compares us with."""

from gevent import monkey

# Patch before anything else imports sockets or threads, as `roundtable serve` does.
monkey.patch_all()

import argparse  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402

from flask import Flask  # noqa: E402
from flask_socketio import SocketIO, emit, join_room  # noqa: E402

PARTICIPANTS = "/participant"
FACILITATORS = "/facilitator"
ROOM = "round:1"
CONSOLE = "console:1"


def build(step_ids: list[str]) -> tuple[Flask, SocketIO]:
    """The same socket traffic as Roundtable's, with no database, sign-in or pages around it."""
    app = Flask(__name__)
    socketio = SocketIO(app, async_mode="gevent", max_http_buffer_size=16 * 1024)
    state: dict[str, Any] = {"status": "lobby", "index": 0}

    def payload() -> dict[str, Any]:
        return {
            "status": state["status"],
            "step_id": step_ids[state["index"]],
            "step_number": state["index"] + 1,
            "step_count": len(step_ids),
            "sent_at": time.time(),
        }

    @socketio.on("connect", namespace=PARTICIPANTS)
    def participant_connect(_auth: Any = None) -> None:
        join_room(ROOM)
        emit("round_state", payload())

    @socketio.on("connect", namespace=FACILITATORS)
    def facilitator_connect(_auth: Any = None) -> None:
        return None

    @socketio.on("watch", namespace=FACILITATORS)
    def watch(_data: Any = None) -> dict[str, Any]:
        join_room(CONSOLE)
        return {"ok": True}

    @socketio.on("command", namespace=FACILITATORS)
    def command(data: Any) -> dict[str, Any]:
        name = data.get("command") if isinstance(data, dict) else None
        if name == "start" and state["status"] == "lobby":
            state["status"] = "running"
        elif name == "next" and state["status"] == "running":
            if state["index"] + 1 >= len(step_ids):
                return {"ok": False, "error": "last step"}
            state["index"] += 1
        elif name == "back" and state["status"] == "running":
            if state["index"] == 0:
                return {"ok": False, "error": "first step"}
            state["index"] -= 1
        else:
            return {"ok": False, "error": "not a command here"}
        message = payload()
        socketio.emit("round_state", message, to=ROOM, namespace=PARTICIPANTS)
        socketio.emit("round_state", message, to=CONSOLE, namespace=FACILITATORS)
        return {"ok": True, "status": state["status"], "step_number": state["index"] + 1}

    return app, socketio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--step-ids", required=True, help="comma-separated step ids")
    args = parser.parse_args()
    app, socketio = build(args.step_ids.split(","))
    print(f"bare server at http://{args.host}:{args.port}/", flush=True)
    socketio.run(app, host=args.host, port=args.port, log_output=False)


if __name__ == "__main__":
    main()
