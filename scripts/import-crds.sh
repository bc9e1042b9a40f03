#!/usr/bin/env bash
# Regenerates imports/monitoring.coreos.com.ts from the vendored prometheus-operator CRDs.
# `cdk8s import` names a module after the CRD group, so importing the files one by one would make
# each overwrite the last: feed it all of them as one multi-document file instead.
set -euo pipefail
cd "$(dirname "$0")/.."
crd_dir=crds/prometheus-operator-v0.93.1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for f in "$crd_dir"/*.yaml; do cat "$f"; echo; done > "$work/monitoring.coreos.com.yaml"
npx cdk8s import --no-save --language typescript --output imports "$work/monitoring.coreos.com.yaml"
