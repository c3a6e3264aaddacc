"""boto3 clients built from settings (moto's server locally, AWS otherwise). One per process."""
from __future__ import annotations

import functools

from functions.core.config import Settings


@functools.lru_cache(maxsize=32)
def client(service: str, region: str, endpoint: str | None):
    import boto3  # lazy: most requests use only PynamoDB's own client (cold start, M1)
    from botocore.config import Config

    config = Config(retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=2, read_timeout=5)
    return boto3.client(service, region_name=region, endpoint_url=endpoint, config=config)


def for_settings(settings: Settings, service: str):
    return client(service, settings.region, settings.aws_endpoint)


class Secrets:
    """SSM Parameter Store SecureStrings, read once per process (never logged)."""

    def __init__(self, ssm) -> None:
        self._ssm = ssm
        self._cache: dict[str, str] = {}

    def get(self, name: str) -> str:
        if name not in self._cache:
            answer = self._ssm.get_parameter(Name=name, WithDecryption=True)
            self._cache[name] = answer["Parameter"]["Value"]
        return self._cache[name]
