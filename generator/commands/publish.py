"""`batchjobs publish [DIR] --repository NAME`: build, tag and push a job's image to ECR.

Prints `<Job>Image=<repository uri>@sha256:...` (what deploy and `aws cloudformation deploy
--parameter-overrides` take) and records it in .batchjobs/images.json, which deploy reads by default.
"""

from __future__ import annotations

import argparse
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from ..errors import CheckFailed, UsageError

HELP = "build the job's image, push it to ECR (repository ensured) and print <Job>Image=<uri>@<digest>"
PLATFORMS = {"x86_64": "linux/amd64", "arm64": "linux/arm64"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..aws import add_aws_arguments
    from ..locate import IMAGES_FILE

    parser.add_argument("directory", nargs="?", type=Path, default=Path("analyzer"), metavar="DIR",
                        help="build context with a Dockerfile (default: analyzer/)")
    parser.add_argument("--repository", required=True, help="ECR repository name, e.g. csv-analyzer")
    parser.add_argument("--parameter", metavar="NAME",
                        help="template parameter to print (default: <Job>Image of the job whose image is in REPOSITORY)")
    parser.add_argument("--config", type=Path, metavar="FILE", help="spec to find the job in (default: config/*.yaml)")
    parser.add_argument("--architecture", choices=sorted(PLATFORMS), help="default: the job's architecture (x86_64 if no job)")
    parser.add_argument("--tag", help="image tag (default: the git commit, plus -dirty-<time> when DIR has uncommitted changes)")
    parser.add_argument("--keep", type=int, default=10, metavar="N", help="lifecycle policy: keep the last N images (default 10)")
    parser.add_argument("--env", metavar="NAME", help="record the image for this environment only (deploy --env NAME uses it)")
    parser.add_argument("--images-file", type=Path,
                        help=f"where to record the parameter for deploy (default: {IMAGES_FILE}, with --env "
                             f"{IMAGES_FILE.parent}/<env>/{IMAGES_FILE.name})")
    add_aws_arguments(parser)


def _git(args: list[str], cwd: Path) -> str:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except OSError:
        raise UsageError("git not found on PATH: pass --tag") from None
    if result.returncode != 0:
        raise UsageError(f"git {' '.join(args)}: {result.stderr.strip() or 'failed'}: pass --tag, or publish from a git checkout")
    return result.stdout.strip()


def git_tag(directory: Path, now: datetime | None = None) -> str:
    """`<short commit>`, or `<short commit>-dirty-<UTC time>` when the build context has changes.

    Only the build context counts (`git status -- DIR`): an edited README or spec elsewhere in the
    checkout does not change the image. A dirty tag carries the time because the repository's tags
    are immutable: a second push of an edited context must not collide with the first."""
    commit = _git(["rev-parse", "--short", "HEAD"], directory)
    if _git(["status", "--porcelain", "--", "."], directory):
        stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%d%H%M%S")
        return f"{commit}-dirty-{stamp}"
    return commit


def image_parameter(args: argparse.Namespace) -> tuple[str, str]:
    """(parameter name, architecture) from --parameter/--architecture or the job using the repository."""
    from ..plan.names import JobNames
    from ..locate import jobs_with_repository

    jobs = jobs_with_repository(args.repository, args.config, args.env) if not (args.parameter and args.architecture) else []
    parameters = sorted({JobNames(name).image_parameter for _, name, _ in jobs})
    architectures = sorted({job.architecture for _, _, job in jobs})
    if args.parameter:
        parameter = args.parameter
    elif len(parameters) == 1:
        parameter = parameters[0]
    elif not parameters:
        where = args.config or "config/*.yaml"
        raise UsageError(f"publish: no job in {where} has its image in ECR repository {args.repository}: pass --parameter NAME")
    else:
        raise UsageError(f"publish: jobs with parameters {', '.join(parameters)} use repository {args.repository}: pass --parameter NAME")
    if args.architecture:
        architecture = args.architecture
    elif len(architectures) > 1:
        raise UsageError(f"publish: the jobs using {args.repository} differ in architecture: pass --architecture")
    else:
        architecture = architectures[0] if architectures else "x86_64"
    return parameter, architecture


def run(args: argparse.Namespace, io) -> int:
    from ..aws import ecr
    from ..aws.session import Aws
    from ..docker import Docker
    from ..locate import images_file, write_image

    context = args.directory
    if not (context / "Dockerfile").is_file():
        raise UsageError(f"publish: {context}/Dockerfile not found: give the build context folder")
    if args.keep < 1:
        raise UsageError("--keep: give a positive number of images")
    parameter, architecture = image_parameter(args)
    platform = PLATFORMS[architecture]
    tag = args.tag or git_tag(context)

    docker = Docker()
    docker.check_daemon()

    aws = Aws.from_args(args)
    repo, created = ecr.ensure_repository(aws, args.repository, args.keep)
    uri = repo["repositoryUri"]
    io.err(f"{'created' if created else 'using'} ECR repository {uri} (scan on push, immutable tags, keep {args.keep})")

    digest = ecr.image_digest(aws, args.repository, tag)
    if digest:
        io.err(f"{uri}:{tag} is already in ECR (tags are immutable): not rebuilding")
    else:
        username, password, endpoint = ecr.login_token(aws, repo.get("registryId"))
        registry = endpoint.removeprefix("https://").removeprefix("http://")
        docker.login(registry, username, password)
        io.err(f"logged in to {registry}")
        local = f"{args.repository}:{tag}"
        io.err(f"building {context} for {platform} as {local}")
        docker.build(context, local, platform)
        remote = f"{uri}:{tag}"
        docker.tag(local, remote)
        io.err(f"pushing {remote}")
        pushed = docker.push(remote)
        # The digest is read back from ECR. An emulator without image storage (moto: `docker push` never
        # reaches it) has no such image: then the digest `docker push` printed is used, said so on stderr.
        digest = ecr.image_digest(aws, args.repository, tag)
        if digest is None:
            if pushed is None:
                raise CheckFailed(f"publish {remote}: ECR has no such image after the push and docker printed no digest")
            io.err(f"warning: ECR does not list {remote}; using the digest docker push printed")
            digest = pushed
        elif pushed and pushed != digest:
            raise CheckFailed(f"publish {remote}: docker pushed {pushed} but ECR holds {digest}")

    image = f"{uri}@{digest}"
    args.images_file = images_file(args.images_file, args.env)
    write_image(args.images_file, parameter, image)
    io.err(f"recorded in {args.images_file} (batchjobs deploy uses it)")
    io.out(f"{parameter}={image}")
    return 0
