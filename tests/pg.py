"""A throwaway PostgreSQL 15 cluster for the test session, on a free loopback port."""

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

PG_BIN = Path(os.environ.get("PIA_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresCluster:
    """initdb + pg_ctl start; stopped by PID with SIGINT (fast shutdown)."""

    def __init__(self) -> None:
        if not (PG_BIN / "initdb").exists():
            raise RuntimeError(
                f"PostgreSQL 15 is missing ({PG_BIN}); make test installs it (apt: postgresql)."
            )
        self.root = Path(tempfile.mkdtemp(prefix="pia-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            pg = pwd.getpwnam("postgres")
            os.chown(self.root, pg.pw_uid, pg.pw_gid)

    def _run(self, *args: str) -> None:
        cmd = [str(a) for a in args]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)

    def start(self) -> "PostgresCluster":
        self._run(
            PG_BIN / "initdb",
            "-D",
            self.data,
            "-U",
            "app",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        options = (
            f"-h 127.0.0.1 -p {self.port} -k {self.root} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
            # A test that waits on a lock its own session holds fails instead of hanging.
            "-c lock_timeout=20s"
        )
        self._run(
            PG_BIN / "pg_ctl",
            "-D",
            self.data,
            "-l",
            self.root / "log",
            "-w",
            "-o",
            options,
            "start",
        )
        return self

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://app@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str) -> None:
        """Run one statement outside a transaction (CREATE/DROP DATABASE)."""
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=app dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(sql)

    def stop(self) -> None:
        pid_file = self.data / "postmaster.pid"
        if pid_file.exists():
            pid = int(pid_file.read_text().splitlines()[0])
            try:
                os.kill(pid, signal.SIGINT)
                for _ in range(200):
                    os.kill(pid, 0)
                    time.sleep(0.05)
            except ProcessLookupError:
                pass
        shutil.rmtree(self.root, ignore_errors=True)
