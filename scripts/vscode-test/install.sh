#!/usr/bin/env bash
# Installs what scripts/vscode-test/run.mjs needs, once per machine: Debian's Chromium and ripgrep, and
# code-server (VS Code's server and web workbench) into .vscode-test/code-server/, apart from the project's
# dependencies. Safe to run again (it skips what is there) and from several checkouts' shells at once (lock).
# Reaches only Debian's apt and the npm registry. See shared/recipes/vscode-in-ci.md for why each step.
set -euo pipefail

readonly CODE_SERVER_VERSION=4.100.3
# The @vscode/ripgrep that code-server 4.100.3 bundles, and the rg release it would download from GitHub.
readonly VSCODE_RIPGREP_VERSION=1.15.11
readonly RIPGREP_TARBALL=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
readonly APT_PACKAGES=(chromium ripgrep libkrb5-dev pkg-config)

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache_dir="$repo_root/.vscode-test"
install_dir="$cache_dir/code-server"
marker="$install_dir/.installed-$CODE_SERVER_VERSION"

mkdir -p "$cache_dir"
exec 9>"$cache_dir/install.lock"
flock 9

missing_packages=()
for package in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing_packages+=("$package")
  fi
done
if ((${#missing_packages[@]})); then
  echo "vscode-test: apt-get install ${missing_packages[*]}"
  sudo_if_needed=()
  if ((EUID != 0)); then sudo_if_needed=(sudo); fi
  "${sudo_if_needed[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_if_needed[@]}" \
    apt-get install -y -qq --no-install-recommends "${missing_packages[@]}" >/dev/null
else
  echo "vscode-test: apt packages already installed"
fi

if [[ -f "$marker" ]]; then
  echo "vscode-test: code-server $CODE_SERVER_VERSION already installed in ${install_dir#"$repo_root"/}"
  exit 0
fi

echo "vscode-test: installing code-server $CODE_SERVER_VERSION into ${install_dir#"$repo_root"/} (about a minute)"
rm -rf "$install_dir"
mkdir -p "$install_dir/tmp"
echo '{ "private": true }' >"$install_dir/package.json"

# @vscode/ripgrep's postinstall takes rg from this cache before trying GitHub: hand it Debian's rg 13.0.0.
ripgrep_cache="$install_dir/tmp/vscode-ripgrep-cache-$VSCODE_RIPGREP_VERSION"
mkdir -p "$ripgrep_cache"
tar -czf "$ripgrep_cache/$RIPGREP_TARBALL" -C /usr/bin rg

# unsafe_perm: as root, code-server's postinstall refuses to run without it.
# yes: node-pty's postinstall runs `npx node-gyp`, and npx refuses to prompt without a terminal.
(
  cd "$install_dir"
  TMPDIR="$install_dir/tmp" npm_config_yes=true npm_config_unsafe_perm=true \
    npm install --no-audit --no-fund --save-exact --loglevel=error "code-server@$CODE_SERVER_VERSION"
)
rm -rf "$install_dir/tmp"
touch "$marker"
echo "vscode-test: code-server installed"
