"""The docker CLI, through subprocess: daemon check, login (password on stdin), build, tag, push.

Errors say what failed and why, with the tail of the output; a registry password never appears in an
argument list or in a message (it goes to `docker login --password-stdin` and is scrubbed from output).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from .errors import BatchjobsError, ExitStatus

DAEMON_DOWN = "Cannot connect to the Docker daemon"
DENIED_MARKERS = ("denied", "unauthorized", "no basic auth credentials", "authentication required")
DIGEST_RE = re.compile(r"digest: (sha256:[0-9a-f]{64})")
TAIL_LINES = 20


class DockerError(BatchjobsError):
    """docker is missing, its daemon is down, or a docker command failed."""

    exit_status = ExitStatus.CHECK_FAILED


def tail(text: str, lines: int = TAIL_LINES) -> str:
    kept = [line for line in text.strip().splitlines() if line.strip()][-lines:]
    return "\n".join("  " + line for line in kept)


class Docker:
    def __init__(self, executable: str | None = None):
        found = executable or shutil.which("docker")
        if not found:
            raise DockerError("docker not found on PATH: install Docker (https://docs.docker.com/get-docker/) and retry")
        self.executable = found
        self._secrets: list[str] = []

    def _scrub(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "********")
        return text

    def _run(self, args: list[str], *, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
        try:
            result = subprocess.run(
                [self.executable, *args], input=stdin, capture_output=True, text=True, cwd=cwd, check=False
            )
        except OSError as err:
            raise DockerError(f"docker {args[0]}: cannot start {self.executable}: {err.strerror}") from None
        result.stdout = self._scrub(result.stdout or "")
        result.stderr = self._scrub(result.stderr or "")
        if result.returncode != 0 and DAEMON_DOWN in result.stdout + result.stderr:
            raise DockerError(f"docker {args[0]}: the Docker daemon is not running: start Docker (Docker Desktop, or `sudo systemctl start docker`)")
        return result

    def check_daemon(self) -> None:
        result = self._run(["info", "--format", "{{.ServerVersion}}"])
        if result.returncode != 0:
            raise DockerError(f"docker info: the Docker daemon does not answer:\n{tail(result.stderr + result.stdout)}")

    def login(self, registry: str, username: str, password: str) -> None:
        self._secrets.append(password)
        result = self._run(["login", "--username", username, "--password-stdin", registry], stdin=password)
        if result.returncode != 0:
            raise DockerError(f"docker login {registry}: failed:\n{tail(result.stderr + result.stdout)}")

    def build(self, context: Path, image: str, platform: str) -> None:
        result = self._run(["build", "--platform", platform, "--tag", image, str(context)])
        if result.returncode != 0:
            raise DockerError(f"docker build {context}: failed (exit {result.returncode}); the end of the build log:\n"
                              f"{tail(result.stdout + result.stderr)}")

    def tag(self, source: str, target: str) -> None:
        result = self._run(["tag", source, target])
        if result.returncode != 0:
            raise DockerError(f"docker tag {source} {target}: failed:\n{tail(result.stderr + result.stdout)}")

    def push(self, image: str) -> str | None:
        """Push; return the digest `docker push` printed (None if it printed none)."""
        result = self._run(["push", image])
        output = result.stdout + result.stderr
        if result.returncode != 0:
            if any(marker in output.lower() for marker in DENIED_MARKERS):
                raise DockerError(f"docker push {image}: push denied: check the repository policy and your "
                                  f"ecr:InitiateLayerUpload/PutImage permissions:\n{tail(output)}")
            raise DockerError(f"docker push {image}: failed:\n{tail(output)}")
        match = DIGEST_RE.search(output)
        return match.group(1) if match else None
