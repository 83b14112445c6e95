"""Supply chain: pip-audit over the pinned requirements (runtime and development).

Fails on any known vulnerability, and on any pinned package it could not check. The one exception
is when the vulnerability service itself cannot be used from this machine (no network, or a
package mirror that does not serve PyPI's per-release JSON API, which pip-audit reads): a probe of
a release that certainly exists tells the two apart. Then the script says plainly that nothing
was audited and passes, since there is nothing it could decide.
"""

import json
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A release that has been on PyPI for years: if this cannot be read, the service is unusable here.
PROBE = "https://pypi.org/pypi/Django/4.2/json"


def service_problem() -> str | None:
    try:
        with urllib.request.urlopen(PROBE, timeout=20) as answer:
            json.load(answer)["info"]["version"]
    except urllib.error.HTTPError as error:
        return f"{PROBE} answered HTTP {error.code}"
    except (OSError, ValueError, KeyError) as error:
        return f"{PROBE} could not be read: {error}"
    return None


def main() -> int:
    command = [
        sys.executable, "-m", "pip_audit", "--progress-spinner", "off", "--format", "json",
        "--no-deps", "--disable-pip",
        "-r", str(ROOT / "requirements.txt"), "-r", str(ROOT / "requirements-dev.txt"),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True)
    try:
        dependencies = json.loads(result.stdout)["dependencies"]
    except (json.JSONDecodeError, KeyError):
        if problem := service_problem():
            return unreachable(problem)
        print(result.stdout, result.stderr, sep="\n", file=sys.stderr)
        return result.returncode or 1
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if d.get("skip_reason")]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed release yet"
            print(f"VULNERABLE {dependency['name']} {dependency['version']}: {vuln['id']} "
                  f"(fixed in {fixes})")  # fmt: skip
    if vulnerable:
        return 1
    if skipped:
        if problem := service_problem():
            return unreachable(problem)
        for dependency in skipped:
            print(f"NOT AUDITED {dependency['name']}: {dependency['skip_reason']}")
        return 1
    print(f"pip-audit: {len(dependencies)} pinned packages, no known vulnerabilities.")
    return 0


def unreachable(problem: str) -> int:
    print(
        "pip-audit: NOT AUDITED. Its vulnerability service (PyPI's per-release JSON API) cannot "
        f"be used from this machine: {problem}. No package was checked; run `make audit` where "
        "pypi.org is reachable."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
