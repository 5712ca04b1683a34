"""A throwaway PostgreSQL server: `initdb` a cluster in a temporary folder and start it on
a free loopback port. The tests and the benchmarks run Sitrep's PostgreSQL backend on it
(Debian's `postgresql` package; `.ci/run` installs it), and anyone can try team mode with
it before asking for a real server:

    python -m sitrep.store.throwaway   # prints a database URL; stops on Ctrl-C

PostgreSQL refuses to run as root; as root the server runs as the `postgres` user the
Debian package creates.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
from pathlib import Path

DEBIAN_BINARIES = Path("/usr/lib/postgresql")


def binaries() -> Path:
    """The folder holding initdb and pg_ctl: on PATH, or Debian's newest version's."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(DEBIAN_BINARIES.glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if not versions:
        raise FileNotFoundError("initdb not found: install PostgreSQL (apt install postgresql)")
    return versions[-1].parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Cluster:
    """One PostgreSQL server with its data in a fresh temporary folder; `url` names a
    fresh database on it. Use as a context manager: the folder goes when it stops."""

    def __init__(self, durable: bool = False) -> None:
        """`durable`: flush to disk as a production server does (fsync); tests go
        without, which a throwaway server can afford."""
        self.durable = durable
        self.bin = binaries()
        self.folder = Path(tempfile.mkdtemp(prefix="sitrep-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self.owner = "postgres" if os.geteuid() == 0 else None
        if self.owner:
            entry = pwd.getpwnam(self.owner)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        self._databases = 0

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", self.owner, "--"] if self.owner else []
        subprocess.run(
            [*prefix, *command], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )

    def start(self) -> Cluster:
        """initdb (first time only) and start the server; returns when it accepts."""
        if not self.data.exists():
            self._run(
                str(self.bin / "initdb"), "-D", str(self.data), "-U", "sitrep", "-A", "trust",
                "-E", "UTF8", "--no-locale", "--no-sync",
            )  # fmt: skip
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder}"
        options += " -c max_connections=50"
        if not self.durable:
            options += " -c fsync=off -c full_page_writes=off"
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-w", "-t", "60",
            "-l", str(self.folder / "server.log"), "start",
        )  # fmt: skip
        return self

    def stop(self, mode: str = "fast") -> None:
        """Stop the server ("immediate" is a crash, as kill -9 of the postmaster)."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart(self) -> None:
        """Stop and start again (what a server update or a crash does to clients)."""
        self.stop("immediate")
        self.start()

    @property
    def server(self) -> str:
        """The URL of the cluster's maintenance database."""
        return f"postgresql://sitrep@127.0.0.1:{self.port}/postgres"

    def database(self) -> str:
        """Create a fresh, empty database; returns its URL."""
        import psycopg

        self._databases += 1
        name = f"sitrep{self._databases}"
        with psycopg.connect(self.server, autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name}")
        return f"postgresql://sitrep@127.0.0.1:{self.port}/{name}"

    def close(self) -> None:
        """Stop the server if it runs, and remove its folder."""
        if (self.data / "postmaster.pid").exists():
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


if __name__ == "__main__":
    with Cluster() as cluster:
        print(cluster.database(), flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()
