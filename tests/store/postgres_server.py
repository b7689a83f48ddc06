"""A throwaway PostgreSQL server for the store's tests.

Needs the server binaries (Debian package ``postgresql``: ``/usr/lib/postgresql/<version>/bin``, or
``pg_ctl`` on PATH) and psycopg 3. initdb refuses to run as root, so as root the server runs as the
``postgres`` system user (via ``runuser``); otherwise as the current user. The cluster lives in a fresh
temporary folder, listens on no TCP address at all, only on a unix socket in that folder (on a free port
number, which names the socket), and is deleted at the end.

``ROADMAP_TEST_PG_URL`` (a URL of an existing server's admin database, e.g.
``postgresql+psycopg://me@localhost/postgres``) makes the tests use that server instead.

Run by hand: ``python tests/store/postgres_server.py`` starts one and prints its URL until Ctrl-C.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SYSTEM_USER = "postgres"
DB_USER = "roadmap"


class ServerUnavailable(Exception):
    """Why no server could be started (the tests are skipped with this reason)."""


def find_bindir() -> Path | None:
    """The newest installed PostgreSQL server's bin folder, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb") or shutil.which("pg_ctl")
    return Path(on_path).parent if on_path and (Path(on_path).parent / "pg_ctl").exists() else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PostgresServer:
    bindir: Path
    root: Path
    port: int
    run_as: str | None  # system user the server runs as, None for the current user

    @property
    def admin_url(self) -> str:
        return self.url("postgres")

    def url(self, dbname: str) -> str:
        return f"postgresql+psycopg://{DB_USER}@/{dbname}?host={self.root}&port={self.port}"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        prefix = ["runuser", "-u", self.run_as, "--"] if self.run_as else []
        return subprocess.run([*prefix, *args], capture_output=True, text=True, timeout=120, check=False)

    def start(self) -> None:
        data = self.root / "data"
        done = self._run(str(self.bindir / "initdb"), "-D", str(data), "-U", DB_USER, "--auth=trust", "-E", "UTF8",
                         "--no-sync", "--locale=C")
        if done.returncode != 0:
            raise ServerUnavailable(f"initdb failed: {(done.stderr or done.stdout).strip()[-500:]}")
        options = f"-p {self.port} -k {self.root} -c listen_addresses='' -c max_connections=200"
        done = self._run(str(self.bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l",
                         str(self.root / "server.log"), "-w", "-t", "60", "start")
        if done.returncode != 0:
            log = (self.root / "server.log").read_text(errors="replace")[-500:] if (self.root / "server.log").exists() \
                else ""
            raise ServerUnavailable(f"pg_ctl start failed: {(done.stderr or done.stdout).strip()[-300:]} {log}")

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def start_server() -> PostgresServer:
    """Start a throwaway server, or raise :class:`ServerUnavailable` saying why not."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise ServerUnavailable("psycopg 3 is not installed (pip install 'psycopg[binary]')") from None
    bindir = find_bindir()
    if bindir is None:
        raise ServerUnavailable("PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin or PATH); install "
                                "the Debian package postgresql (make test does so as root) or set ROADMAP_TEST_PG_URL")
    run_as = None
    if os.geteuid() == 0:
        try:
            account = pwd.getpwnam(SYSTEM_USER)
        except KeyError:
            raise ServerUnavailable(f"running as root and there is no '{SYSTEM_USER}' system user to run initdb "
                                    "(initdb refuses root)") from None
        if shutil.which("runuser") is None:
            raise ServerUnavailable("running as root and runuser is missing (initdb refuses root)")
        run_as = SYSTEM_USER
    root = Path(tempfile.mkdtemp(prefix="roadmap-pg-"))
    if run_as:
        os.chown(root, account.pw_uid, account.pw_gid)
    server = PostgresServer(bindir, root, _free_port(), run_as)
    try:
        server.start()
    except BaseException:
        server.stop()
        raise
    return server


if __name__ == "__main__":
    running = start_server()
    print(running.admin_url, flush=True)
    try:
        input("PostgreSQL running; press Enter or Ctrl-C to stop\n")
    except (KeyboardInterrupt, EOFError):
        pass
    finally:
        running.stop()
