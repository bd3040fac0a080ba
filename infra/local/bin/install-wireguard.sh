#!/usr/bin/env bash
# Installs what provisioning, kioskctl and the WireGuard tunnel tests need on a Debian machine:
# wireguard-tools (wg), wireguard-go (userspace WireGuard for kernels without the module) and
# iproute2 (ip, ip netns). Idempotent: installs only what is missing. Needs root (or sudo).
set -euo pipefail

missing=()
command -v wg >/dev/null 2>&1 || missing+=(wireguard-tools)
command -v wireguard-go >/dev/null 2>&1 || missing+=(wireguard-go)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)

if [ ${#missing[@]} -eq 0 ]; then
  echo "[install-wireguard] wg, wireguard-go and ip are installed"
else
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "[install-wireguard] run as root to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  echo "[install-wireguard] installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# wireguard-go needs the TUN device; without it no tunnel can come up on this machine.
if [ ! -c /dev/net/tun ]; then
  echo "[install-wireguard] warning: /dev/net/tun is missing; wireguard-go cannot create interfaces here" >&2
fi
