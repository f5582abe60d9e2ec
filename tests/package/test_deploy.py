"""deploy/gatescope.yaml against the Kubernetes schemas, and the fields docs/DEPLOY.md relies on;
the Dockerfile installs the wheel, and .dockerignore keeps everything the wheel carries."""

from __future__ import annotations

import fnmatch
import tomllib
from typing import Any

import kubernetes_validate
import pytest
import yaml

from app.resources import REPO_ROOT

MANIFEST = REPO_ROOT / "deploy" / "gatescope.yaml"
KUBERNETES = "1.32.0"  # any version still supported; the fields used are stable since 1.23


@pytest.fixture(scope="module")
def documents() -> dict[str, dict[str, Any]]:
    docs = [d for d in yaml.safe_load_all(MANIFEST.read_text(encoding="utf-8")) if d]
    by_kind = {d["kind"]: d for d in docs}
    assert sorted(by_kind) == ["Deployment", "HorizontalPodAutoscaler", "Service"] and len(docs) == 3
    return by_kind


def test_every_document_matches_the_kubernetes_schema(documents: dict[str, dict[str, Any]]) -> None:
    for doc in documents.values():
        # strict: an unknown or misspelt field is an error, not silently ignored by the cluster
        kubernetes_validate.validate(doc, KUBERNETES, strict=True)


def test_probes_resources_service_and_autoscaler_fit_together(documents: dict[str, dict[str, Any]]) -> None:
    deployment, service, hpa = (documents[k] for k in ("Deployment", "Service", "HorizontalPodAutoscaler"))
    pod = deployment["spec"]["template"]
    (container,) = pod["spec"]["containers"]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    for probe in ("readinessProbe", "livenessProbe"):
        get = container[probe]["httpGet"]
        assert get["path"] == "/healthz" and get["port"] in ports, probe
    requests, limits = container["resources"]["requests"], container["resources"]["limits"]
    assert {"cpu", "memory"} <= set(requests) and {"cpu", "memory"} <= set(limits)
    deploy_md = (REPO_ROOT / "docs" / "DEPLOY.md").read_text(encoding="utf-8")
    assert requests["cpu"] in deploy_md and requests["memory"] in deploy_md  # the doc explains them

    labels = pod["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert service["spec"]["selector"].items() <= labels.items()
    assert all(p["targetPort"] in ports or p["targetPort"] in ports.values()
               for p in service["spec"]["ports"])

    target = hpa["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", deployment["metadata"]["name"])
    (metric,) = hpa["spec"]["metrics"]
    assert metric["resource"]["name"] == "cpu" and metric["resource"]["target"]["type"] == "Utilization"
    assert 1 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]


def _ignored(path: str, patterns: list[str]) -> bool:
    """Docker's rule: the last pattern that matches the path or one of its parents decides."""
    parts = path.split("/")
    ignored = False
    for pattern in patterns:
        negated, pattern = pattern.startswith("!"), pattern.lstrip("!")
        if any(fnmatch.fnmatch("/".join(parts[:k]), pattern) for k in range(1, len(parts) + 1)):
            ignored = not negated
    return ignored


def test_the_image_is_built_from_the_wheel_with_everything_it_carries() -> None:
    dockerfile = (REPO_ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "pip wheel" in dockerfile and ".whl" in dockerfile
    assert "pip install -e" not in dockerfile and "--editable" not in dockerfile
    patterns = [line.strip() for line in (REPO_ROOT / ".dockerignore").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wheel = config["tool"]["hatch"]["build"]["targets"]["wheel"]
    needed = [*wheel["force-include"], *wheel["packages"], "pyproject.toml", config["project"]["readme"]]
    for source in needed:
        files = [source] if (REPO_ROOT / source).is_file() else \
            [p.relative_to(REPO_ROOT).as_posix() for p in (REPO_ROOT / source).rglob("*")
             if p.is_file() and "__pycache__" not in p.parts]  # bytecode is not in the wheel
        assert files and not [f for f in files if _ignored(f, patterns)], source
    assert _ignored("tests/api/conftest.py", patterns)  # the rule itself works
