"""``chuyengia serve`` (what ``make run`` ends with) serves the API as an installed command."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bench.support import free_port, stop_process


def test_serve_command_answers_graphql_from_any_working_directory(database, tmp_path: Path):
    # The console script's own folder, not the project root, is on its sys.path; run from
    # elsewhere so nothing depends on the working directory either.
    port = free_port()
    command = Path(sys.executable).with_name("chuyengia")
    proc = subprocess.Popen([str(command), "serve", "--host", "127.0.0.1", "--port", str(port)],
                            cwd=tmp_path, env=os.environ.copy(), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, f"serve exited early:\n{proc.stdout.read()}"
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "serve did not answer /healthz in 120 s"
            time.sleep(0.5)
        assert httpx.get(f"{base}/readyz", timeout=10).status_code == 200
        answer = httpx.post(f"{base}/graphql", json={"query": "{ techAreas { id } }"},
                            timeout=30)
        assert answer.status_code == 200
        assert answer.json()["data"]["techAreas"], answer.text
    finally:
        stop_process(proc)
