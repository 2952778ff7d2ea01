"""Runs Neo4j 5.26 LTS Community on 127.0.0.1 for this project.

Maven assembles Neo4j from Maven Central into ``launcher/target/lib``; a small launcher class
starts it with Bolt on loopback and authentication on. The password is generated on first start
and kept (mode 0600) in the data folder, which also holds the store, so data persists across
restarts. Every failure names its likely cause: Java missing or too old, the port taken, Maven
unable to fetch, or the server dying during start-up (its log tail is quoted).

A first start stopped before it finished (killed, the machine going down) leaves a store that
Neo4j refuses for ever after ("transaction logs are missing"). When the folder shows that no
database but ``system`` was ever created, it held no data: it is cleared and the start made
again. A store that has a database of its own is never touched; the error then says what to
do.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["LAUNCHER_DIR", "LocalNeo4j", "LocalNeo4jError"]

log = logging.getLogger(__name__)

LAUNCHER_DIR = Path(__file__).resolve().parent / "launcher"
MAIN_CLASS = "vn.chuyengia.neo4j.Launcher"
ADMIN_CLASS = "org.neo4j.cli.AdminTool"  # what neo4j-admin runs
_MISSING_LOGS = "Transaction logs are missing and recovery is not possible"
MIN_JAVA = 17
# The flags Neo4j's own start scripts pass to the JVM.
JVM_FLAGS = [
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+AlwaysPreTouch",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Dfile.encoding=UTF-8",
]


def _tail(path: Path, size: int = 3000) -> str:
    """The last ``size`` bytes of a log file, as text ("" when there is none)."""
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - size))
            return fh.read().decode("utf-8", "replace")
    except FileNotFoundError:
        return ""


class LocalNeo4jError(RuntimeError):
    """The local Neo4j could not be built or started; the message says why and what to do."""


class _MissingLogs(LocalNeo4jError):
    """The server refused its store: the transaction logs are missing (it has exited)."""


@dataclass(frozen=True)
class Status:
    running: bool
    pid: int | None
    uri: str
    data_dir: Path

    def __str__(self) -> str:
        state = f"running (pid {self.pid})" if self.running else "stopped"
        return f"Neo4j {state} at {self.uri}, data in {self.data_dir}"


class LocalNeo4j:
    """One local Neo4j server, identified by its data folder and port."""

    def __init__(self, data_dir: Path, port: int, heap: str = "1g", pagecache: str = "1g"):
        self.data_dir = Path(data_dir).resolve()
        self.port = port
        self.heap = heap
        self.pagecache = pagecache

    # -- paths -----------------------------------------------------------------------------
    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    @property
    def password_file(self) -> Path:
        return self.data_dir / "password"

    @property
    def pid_file(self) -> Path:
        return self.data_dir / "neo4j.pid"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "neo4j.log"

    @property
    def home(self) -> Path:
        return self.data_dir / "home"

    def password(self) -> str:
        """The generated password, created on first use and kept in the data folder."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if not self.password_file.exists():
            fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(24) + "\n")
        return self.password_file.read_text().strip()

    # -- build -----------------------------------------------------------------------------
    @staticmethod
    def check_java() -> str:
        java = shutil.which("java")
        if java is None:
            raise LocalNeo4jError(
                f"Java is not installed: Neo4j 5.26 needs Java {MIN_JAVA} or 21 "
                "(on Debian: apt-get install openjdk-17-jre-headless), or set NEO4J_URI "
                "to use an existing Neo4j"
            )
        out = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
        m = re.search(r'version "(\d+)(?:\.(\d+))?', out)
        major = int(m.group(1)) if m else 0
        if major == 1 and m and m.group(2):
            major = int(m.group(2))
        if major < MIN_JAVA:
            raise LocalNeo4jError(
                f"Java {major or 'of unknown version'} is too old: Neo4j 5.26 needs Java "
                f"{MIN_JAVA} or 21 ({java} said: {out.strip().splitlines()[0] if out else '?'})"
            )
        return java

    @staticmethod
    def is_built() -> bool:
        lib = LAUNCHER_DIR / "target" / "lib"
        cls = LAUNCHER_DIR / "target" / "classes" / "vn" / "chuyengia" / "neo4j" / "Launcher.class"
        return cls.exists() and lib.is_dir() and any(lib.glob("neo4j-kernel-*.jar"))

    @classmethod
    def build(cls) -> None:
        """Fetch Neo4j from Maven Central and compile the launcher (once)."""
        if cls.is_built():
            return
        mvn = shutil.which("mvn")
        if mvn is None:
            raise LocalNeo4jError(
                "Maven is not installed: it fetches Neo4j from Maven Central "
                "(on Debian: apt-get install maven), or set NEO4J_URI to use an existing Neo4j"
            )
        log.info("fetching Neo4j from Maven Central and building the launcher")
        proc = subprocess.run(
            [mvn, "-q", "-B", "package"], cwd=LAUNCHER_DIR, capture_output=True, text=True
        )
        if proc.returncode != 0 or not cls.is_built():
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
            raise LocalNeo4jError(
                "Maven could not fetch Neo4j from Maven Central or build the launcher "
                f"(in {LAUNCHER_DIR}); check network access to Maven Central:\n{tail}"
            )

    # -- run -------------------------------------------------------------------------------
    def _pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            return pid
        cmdline = Path(f"/proc/{pid}/cmdline")
        if cmdline.exists() and MAIN_CLASS.encode() not in cmdline.read_bytes():
            return None  # the pid was reused by something else
        return pid

    def _port_open(self) -> bool:
        with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
            s.settimeout(0.5)
            return s.connect_ex(("127.0.0.1", self.port)) == 0

    def status(self) -> Status:
        pid = self._pid()
        return Status(pid is not None and self._port_open(), pid, self.uri, self.data_dir)

    def start(self, timeout: float = 180.0) -> Status:
        """Start the server unless it runs already; wait until Bolt answers."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with open(self.data_dir / ".start.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            st = self.status()
            if st.running:
                return st
            if self._pid() is not None:  # started by someone else, still coming up
                return self._wait(self._pid(), timeout)
            java = self.check_java()
            if self._port_open():
                raise LocalNeo4jError(
                    f"port {self.port} on 127.0.0.1 is taken by another process; stop it or "
                    "choose another port with CHUYENGIA_NEO4J_PORT"
                )
            self.build()
            password = self.password()
            assert password
            try:
                return self._launch(java, timeout)
            except _MissingLogs:
                if not self._unfinished_first_start():
                    raise LocalNeo4jError(
                        f"Neo4j cannot open the store in {self.home / 'data'}: its transaction "
                        "logs are missing, so it cannot be recovered (files deleted or copied "
                        "without them). Nothing was changed. Restore the folder from a copy, or "
                        "move it aside, start again (an empty registry) and load an export with "
                        "`chuyengia import`.") from None
            log.warning("the store in %s was left by a first start that did not finish (no "
                        "database but system, no transaction logs); it held no data and is "
                        "made again", self.home / "data")
            shutil.rmtree(self.home / "data")
            return self._launch(java, timeout)

    def _unfinished_first_start(self) -> bool:
        """Whether the store is what an interrupted first start leaves: no folder of any
        database but ``system``, neither a store nor transaction logs. Such a store never held
        data (the default database is made before anything can be written to it)."""
        data = self.home / "data"
        for kind in ("databases", "transactions"):
            folder = data / kind
            if folder.is_dir() and any(
                    p.is_dir() and p.name != "system" for p in folder.iterdir()):
                return False
        return True

    def _launch(self, java: str, timeout: float) -> Status:
        """Start the server process (the caller holds the start lock) and wait for Bolt."""
        lib = LAUNCHER_DIR / "target"
        cmd = [
            java,
            f"-Xms{self.heap}",
            f"-Xmx{self.heap}",
            *JVM_FLAGS,
            "-cp",
            f"{lib / 'classes'}{os.pathsep}{lib / 'lib' / '*'}",
            MAIN_CLASS,
            "--home", str(self.home),
            "--port", str(self.port),
            "--password-file", str(self.password_file),
            "--pagecache", self.pagecache,
        ]
        try:
            debug_from = self._debug_log.stat().st_size
        except FileNotFoundError:
            debug_from = 0
        with open(self.log_file, "w") as out:
            proc = subprocess.Popen(
                cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True, cwd=self.data_dir,
            )
        self.pid_file.write_text(str(proc.pid))
        log.info("starting Neo4j (pid %s) on %s", proc.pid, self.uri)
        return self._wait(proc.pid, timeout, proc, debug_from)

    def _wait(self, pid: int | None, timeout: float, proc: subprocess.Popen | None = None,
              debug_from: int = 0) -> Status:
        """Wait for Bolt. For a process started here (``proc``), its exit ends the wait, and so
        does a store it cannot recover (written to its debug log after ``debug_from``): it is
        stopped at once instead of after its own shutdown timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc is not None and (proc.poll() is not None or self._unrecoverable(debug_from)):
                if proc.poll() is None:
                    proc.terminate()
                    try:
                        proc.wait(30)
                    except subprocess.TimeoutExpired:
                        proc.kill()
                        proc.wait()
                kind = (_MissingLogs if self._unrecoverable(debug_from)
                        or _MISSING_LOGS in self._log_tail(20000) else LocalNeo4jError)
                raise kind(
                    f"Neo4j exited during start-up (code {proc.returncode}); "
                    f"the end of {self.log_file}:\n{self._log_tail()}"
                )
            if "READY bolt://" in self._log_tail(4000) and self._port_open():
                return self.status()
            time.sleep(0.25)
        raise LocalNeo4jError(
            f"Neo4j did not accept Bolt connections on {self.uri} within {timeout:.0f} s; "
            f"the end of {self.log_file}:\n{self._log_tail()}"
        )

    @property
    def _debug_log(self) -> Path:
        return self.home / "logs" / "debug.log"

    def _unrecoverable(self, debug_from: int) -> bool:
        """Whether the server's debug log says, after ``debug_from``, that it cannot recover
        the store (a rotated log is read from its start)."""
        try:
            with open(self._debug_log, "rb") as fh:
                fh.seek(0, os.SEEK_END)
                fh.seek(debug_from if fh.tell() >= debug_from else 0)
                return _MISSING_LOGS.encode() in fh.read()
        except FileNotFoundError:
            return False

    def _log_tail(self, size: int = 3000) -> str:
        return _tail(self.log_file, size)

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop the server if it runs; returns whether it was running."""
        pid = self._pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._pid() is None:
                break
            time.sleep(0.2)
        else:
            os.kill(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        return True

    def store_dirs(self, database: str, home: Path | None = None) -> list[Path]:
        """The folders of one database's store and transaction logs under ``home`` (this
        server's own by default)."""
        data = (home or self.home) / "data"
        return [data / "databases" / database, data / "transactions" / database]

    def admin(self, home: Path, args: list[str], log_file: Path) -> None:
        """Run ``neo4j-admin`` (its ``args``, e.g. ``database import full ...``) on a Neo4j home
        folder of its own, never this running server's; its output goes to ``log_file``."""
        java = self.check_java()
        self.build()
        conf = home / "conf"
        conf.mkdir(parents=True, exist_ok=True)
        (conf / "neo4j.conf").touch()
        lib = LAUNCHER_DIR / "target" / "lib" / "*"
        cmd = [java, f"-Xmx{self.heap}", *JVM_FLAGS, "-cp", str(lib), ADMIN_CLASS, *args]
        env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(conf)}
        with open(log_file, "w") as out:
            code = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, env=env, cwd=home,
                                  check=False).returncode
        if code != 0:
            tail = _tail(log_file)
            raise LocalNeo4jError(f"neo4j-admin {' '.join(args[:3])} failed (code {code}); "
                                  f"the end of {log_file}:\n{tail}")

    def kill(self) -> None:
        """Stop at once, as a crash would (fault tests)."""
        pid = self._pid()
        if pid is not None:
            os.kill(pid, signal.SIGKILL)
            while self._pid() is not None:
                time.sleep(0.05)
