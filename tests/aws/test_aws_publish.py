"""publish against moto's ECR, with a fake `docker` on PATH that records its calls.

The fake docker (a small Python script) answers like the real CLI for info, login, build, tag and push.
With FAKE_DOCKER_ECR_ENDPOINT set, its push also stores the image in moto's ECR (PutImage), so the
digest publish reads back with DescribeImages is ECR's; without it, ECR has no image (as with any
emulator a real push never reaches) and publish falls back to the digest `docker push` printed.
"""

from __future__ import annotations

import base64
import json
import shutil
import stat
import subprocess
import sys

import pytest

DIGEST = "sha256:" + "ab" * 32
URI = "123456789012.dkr.ecr.us-east-1.amazonaws.com/csv-analyzer"

FAKE_DOCKER = r'''#!{python}
import hashlib, json, os, sys
args = sys.argv[1:]
stdin = sys.stdin.read() if "--password-stdin" in args else None
with open(os.environ["FAKE_DOCKER_LOG"], "a") as log:
    log.write(json.dumps({{"argv": args, "stdin": stdin}}) + "\n")
mode = os.environ.get("FAKE_DOCKER_MODE", "ok")
verb = args[0]
if verb == "info":
    if mode == "daemon-down":
        sys.stderr.write("Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n")
        sys.exit(1)
    print("27.3.1")
elif verb == "login":
    print("Login Succeeded")
elif verb == "build":
    for n in range(40):
        print(f"#{{n}} step {{n}}")
    if mode == "build-fail":
        print('ERROR: failed to solve: process "/bin/sh -c pip install -r requirements.txt" did not complete successfully: exit code: 1')
        sys.exit(1)
elif verb == "push":
    ref = args[1]
    repo_uri, tag = ref.rsplit(":", 1)
    print(f"The push refers to repository [{{repo_uri}}]")
    if mode == "push-denied":
        sys.stderr.write("denied: User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ecr:InitiateLayerUpload\n")
        sys.exit(1)
    digest = os.environ["FAKE_DOCKER_DIGEST"]
    endpoint = os.environ.get("FAKE_DOCKER_ECR_ENDPOINT")
    if endpoint:
        import boto3
        manifest = json.dumps({{"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                                "config": {{"digest": "sha256:" + "0" * 64, "size": 1, "mediaType": "application/vnd.docker.container.image.v1+json"}},
                                "layers": []}})
        digest = "sha256:" + hashlib.sha256(manifest.encode()).hexdigest()
        boto3.client("ecr", endpoint_url=endpoint, region_name="us-east-1").put_image(
            repositoryName=repo_uri.split("/", 1)[1], imageManifest=manifest, imageTag=tag, imageDigest=digest)
    print(f"{{tag}}: digest: {{digest}} size: 1234")
'''


@pytest.fixture
def fake_docker(tmp_path_factory, monkeypatch, project):
    """A git checkout with analyzer/Dockerfile, and a fake docker first on PATH. Returns the call log reader."""
    outside = tmp_path_factory.mktemp("fake-docker")  # outside the checkout, which must stay clean
    bin_dir = outside / "bin"
    bin_dir.mkdir()
    script = bin_dir / "docker"
    script.write_text(FAKE_DOCKER.format(python=sys.executable))
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    (bin_dir / "git").symlink_to(shutil.which("git"))
    log = outside / "docker-calls.jsonl"
    monkeypatch.setenv("PATH", str(bin_dir))  # nothing else: the real docker client must not be found
    monkeypatch.setenv("FAKE_DOCKER_LOG", str(log))
    monkeypatch.setenv("FAKE_DOCKER_DIGEST", DIGEST)
    (project / "analyzer").mkdir()
    (project / "analyzer" / "Dockerfile").write_text("FROM python:3.11-slim\n")
    (project / ".gitignore").write_text(".batchjobs/\n")  # as in the project: publish's record is not source
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run([*git, "add", "."], cwd=project, check=True)
    subprocess.run([*git, "commit", "-qm", "init"], cwd=project, check=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=project, check=True,
                            capture_output=True, text=True).stdout.strip()

    def calls():
        return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []

    calls.commit = commit
    calls.bin_dir = bin_dir
    return calls


def test_publish_pushes_and_prints_the_parameter_line(cli, boto, fake_docker, moto, monkeypatch, project):
    monkeypatch.setenv("FAKE_DOCKER_ECR_ENDPOINT", moto)
    code, out, err = cli("publish", "analyzer/", "--repository", "csv-analyzer")
    assert code == 0, err
    tag = fake_docker.commit
    calls = fake_docker()
    argvs = [c["argv"] for c in calls]
    assert argvs[0] == ["info", "--format", "{{.ServerVersion}}"]
    assert argvs[1][:4] == ["login", "--username", "AWS", "--password-stdin"]
    assert argvs[2] == ["build", "--platform", "linux/amd64", "--tag", f"csv-analyzer:{tag}", "analyzer"]
    assert argvs[3] == ["tag", f"csv-analyzer:{tag}", f"{URI}:{tag}"]
    assert argvs[4] == ["push", f"{URI}:{tag}"]

    token = boto("ecr").get_authorization_token()["authorizationData"][0]["authorizationToken"]
    password = base64.b64decode(token).decode().split(":", 1)[1]
    assert calls[1]["stdin"] == password
    assert all(password not in " ".join(a) for a in argvs)
    assert password not in out and password not in err

    (image,) = boto("ecr").describe_images(repositoryName="csv-analyzer")["imageDetails"]
    assert out == f"CsvAnalyzerImage={URI}@{image['imageDigest']}\n"
    assert "warning" not in err
    assert json.loads((project / ".batchjobs" / "images.json").read_text()) == {
        "CsvAnalyzerImage": f"{URI}@{image['imageDigest']}"}

    (repo,) = boto("ecr").describe_repositories(repositoryNames=["csv-analyzer"])["repositories"]
    assert repo["imageTagMutability"] == "IMMUTABLE"
    assert repo["imageScanningConfiguration"] == {"scanOnPush": True}
    policy = json.loads(boto("ecr").get_lifecycle_policy(repositoryName="csv-analyzer")["lifecyclePolicyText"])
    assert policy["rules"][0]["selection"]["countNumber"] == 10

    # same commit again: the immutable tag is in ECR, nothing is rebuilt
    code, out2, err = cli("publish", "analyzer/", "--repository", "csv-analyzer")
    assert code == 0 and out2 == out
    assert "already in ECR" in err
    assert len(fake_docker()) == 6  # only one more `docker info`


def test_publish_then_deploy_uses_the_image(cli, boto, fake_docker, moto, monkeypatch, project):
    monkeypatch.setenv("FAKE_DOCKER_ECR_ENDPOINT", moto)
    code, out, err = cli("publish", "analyzer", "--repository", "csv-analyzer")
    assert code == 0, err
    image = out.strip().split("=", 1)[1]
    code, _, err = cli("deploy", "config/csv-analyzer.yaml")
    assert code == 0, err
    stack = boto("cloudformation").describe_stacks(StackName="csv-analyzer")["Stacks"][0]
    assert {p["ParameterKey"]: p["ParameterValue"] for p in stack["Parameters"]} == {"CsvAnalyzerImage": image}


def test_digest_from_push_output_when_ecr_lists_no_image(cli, fake_docker, project):
    (project / "analyzer" / "app.py").write_text("print(1)\n")  # dirty tree
    code, out, err = cli("publish", "analyzer", "--repository", "csv-analyzer", "--parameter", "ReportImage",
                         "--architecture", "arm64")
    assert code == 0, err
    assert out == f"ReportImage={URI}@{DIGEST}\n"
    assert "using the digest docker push printed" in err
    build = [c["argv"] for c in fake_docker() if c["argv"][0] == "build"][0]
    assert build[1:3] == ["--platform", "linux/arm64"]
    assert build[4].startswith(f"csv-analyzer:{fake_docker.commit}-dirty-")


def test_no_docker_on_path(cli, fake_docker, project):
    (fake_docker.bin_dir / "docker").unlink()
    code, _, err = cli("publish", "analyzer", "--repository", "csv-analyzer")
    assert code == 1
    assert err.startswith("error: docker not found on PATH")


def test_daemon_not_running(cli, fake_docker, monkeypatch, project):
    monkeypatch.setenv("FAKE_DOCKER_MODE", "daemon-down")
    code, _, err = cli("publish", "analyzer", "--repository", "csv-analyzer")
    assert code == 1
    assert "the Docker daemon is not running" in err


def test_build_failure_shows_the_tail_of_the_log(cli, fake_docker, monkeypatch, project):
    monkeypatch.setenv("FAKE_DOCKER_MODE", "build-fail")
    code, out, err = cli("publish", "analyzer", "--repository", "csv-analyzer")
    assert code == 1 and out == ""
    assert "docker build analyzer: failed (exit 1); the end of the build log:" in err
    assert "did not complete successfully: exit code: 1" in err
    assert "#39 step 39" in err and "#5 step 5" not in err  # the tail only


def test_push_denied(cli, fake_docker, monkeypatch, project):
    monkeypatch.setenv("FAKE_DOCKER_MODE", "push-denied")
    code, _, err = cli("publish", "analyzer", "--repository", "csv-analyzer")
    assert code == 1
    assert "push denied" in err and "ecr:InitiateLayerUpload" in err
    assert not (project / ".batchjobs" / "images.json").exists()


def test_unknown_repository_needs_parameter(cli, fake_docker, project):
    code, _, err = cli("publish", "analyzer", "--repository", "other")
    assert code == 2
    assert "no job in config/*.yaml has its image in ECR repository other: pass --parameter NAME" in err


def test_changes_outside_the_build_context_leave_the_tag_clean(cli, fake_docker, project):
    (project / "config" / "csv-analyzer.yaml").write_text((project / "config" / "csv-analyzer.yaml").read_text() + "\n")
    (project / "NOTES.md").write_text("untracked, outside analyzer/\n")
    code, _, err = cli("publish", "analyzer", "--repository", "csv-analyzer")
    assert code == 0, err
    build = [c["argv"] for c in fake_docker() if c["argv"][0] == "build"][0]
    assert build[4] == f"csv-analyzer:{fake_docker.commit}"

    (project / "analyzer" / "Dockerfile").write_text("FROM python:3.12-slim\n")  # a change inside it does count
    code, _, err = cli("publish", "analyzer", "--repository", "csv-analyzer")
    assert code == 0, err
    build = [c["argv"] for c in fake_docker() if c["argv"][0] == "build"][-1]
    assert build[4].startswith(f"csv-analyzer:{fake_docker.commit}-dirty-")
