#!/usr/bin/env bash
# Security scan: checkov over the committed templates and over templates generated from the test specs.
#
# checkov lives in its own virtual environment (it pins an old boto3 our deploy code cannot use):
# ${CHECKOV_VENV:-.venv-checkov}, created on first use. Zero failed checks or this exits non-zero;
# suppressions live in each resource's Metadata (checkov: skip: [{id, comment}]) with their reason.
set -euo pipefail
cd "$(dirname "$0")/.."

CHECKOV_VENV="${CHECKOV_VENV:-.venv-checkov}"
CHECKOV_SPEC='checkov>=3.3.30,<3.4'
# Specs under tests/ that generate (tests/bad_specs/ is the corpus of specs that must not).
TEST_SPECS=(tests/lint/specs/*.yaml tests/golden/*/spec.yaml)

if [ ! -x "$CHECKOV_VENV/bin/checkov" ]; then
    echo "security-scan: creating $CHECKOV_VENV with $CHECKOV_SPEC" >&2
    python3 -m venv "$CHECKOV_VENV"
    "$CHECKOV_VENV/bin/pip" install -q "$CHECKOV_SPEC"
fi

generated="$(mktemp -d)"
trap 'rm -rf "$generated"' EXIT
batchjobs generate --out "$generated" "${TEST_SPECS[@]}"

status=0
for dir in templates "$generated"; do
    echo "security-scan: checkov over $dir" >&2
    # --skip-download: no calls to Prisma Cloud (CI has no network for it; results are the same checks)
    "$CHECKOV_VENV/bin/checkov" -d "$dir" --framework cloudformation --compact --quiet --skip-download \
        || status=1
done
exit "$status"
