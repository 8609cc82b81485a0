"""ECR: the repository publish pushes to, the registry login token, an image's digest."""

from __future__ import annotations

import base64
import json
from typing import Any

from ..errors import AwsError
from .session import Aws, call


def lifecycle_policy(keep: int) -> str:
    return json.dumps({"rules": [{
        "rulePriority": 1,
        "description": f"keep the last {keep} images",
        "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": keep},
        "action": {"type": "expire"},
    }]})


def ensure_repository(aws: Aws, name: str, keep: int) -> tuple[dict[str, Any], bool]:
    """The repository (created if missing) with scan on push, immutable tags and the lifecycle policy.

    Returns (repository, created)."""
    ecr = aws.client("ecr")
    created = False
    try:
        repo = call(f"describe ECR repository {name}", ecr.describe_repositories, repositoryNames=[name])["repositories"][0]
    except AwsError as err:
        if "RepositoryNotFoundException" not in str(err):
            raise
        repo = call(f"create ECR repository {name}", ecr.create_repository, repositoryName=name,
                    imageScanningConfiguration={"scanOnPush": True}, imageTagMutability="IMMUTABLE")["repository"]
        created = True
    if not (repo.get("imageScanningConfiguration") or {}).get("scanOnPush"):
        call(f"turn on scan on push for {name}", ecr.put_image_scanning_configuration, repositoryName=name,
             imageScanningConfiguration={"scanOnPush": True})
    if repo.get("imageTagMutability") != "IMMUTABLE":
        call(f"make tags immutable in {name}", ecr.put_image_tag_mutability, repositoryName=name,
             imageTagMutability="IMMUTABLE")
    call(f"put lifecycle policy on {name}", ecr.put_lifecycle_policy, repositoryName=name,
         lifecyclePolicyText=lifecycle_policy(keep))
    return repo, created


def login_token(aws: Aws, registry_id: str | None = None) -> tuple[str, str, str]:
    """(username, password, registry endpoint) from ecr:GetAuthorizationToken."""
    ecr = aws.client("ecr")
    kwargs = {"registryIds": [registry_id]} if registry_id else {}
    data = call("get ECR authorization token", ecr.get_authorization_token, **kwargs)["authorizationData"][0]
    username, _, password = base64.b64decode(data["authorizationToken"]).decode().partition(":")
    return username, password, data["proxyEndpoint"]


def image_digest(aws: Aws, repository: str, tag: str) -> str | None:
    """The digest ECR holds for ``repository:tag``, or None if there is no such image."""
    ecr = aws.client("ecr")
    try:
        images = call(f"describe image {repository}:{tag}", ecr.describe_images, repositoryName=repository,
                      imageIds=[{"imageTag": tag}])["imageDetails"]
    except AwsError as err:
        if "ImageNotFoundException" in str(err):
            return None
        raise
    return images[0]["imageDigest"] if images else None
