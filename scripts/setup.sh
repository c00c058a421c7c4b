#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks: the simulation/synthesis tools (apt) and the npm
# dependencies pinned by package-lock.json. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v verilator >/dev/null || need+=(verilator)
command -v yosys >/dev/null && command -v yosys-abc >/dev/null || need+=(yosys)
command -v iverilog >/dev/null || need+=(iverilog)
command -v g++ >/dev/null || need+=(g++)
command -v make >/dev/null || need+=(make)
# Verilator builds compile its runtime through ccache: identical in every build, compiled once.
command -v ccache >/dev/null || need+=(ccache)
command -v tclsh >/dev/null || need+=(tcl)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
npm ci --no-audit --no-fund
