# Shared by scripts/demo and scripts/test: find Python >= 3.12 and prepare the virtualenv.

find_python() {
  local candidates=(python3.13 python3.12 python3)
  if command -v pyenv >/dev/null 2>&1; then
    local root; root=$(pyenv root 2>/dev/null || true)
    for v in "$root"/versions/3.13* "$root"/versions/3.12*; do
      [ -x "$v/bin/python3" ] && candidates+=("$v/bin/python3")
    done
  fi
  for cand in "${candidates[@]}"; do
    if command -v "$cand" >/dev/null 2>&1 && \
       "$cand" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
      command -v "$cand"
      return 0
    fi
  done
  echo "Loket needs Python 3.12 or newer (tried: python3.13, python3.12, python3)." >&2
  echo "Install one (for example: apt-get install python3.12 python3.12-venv) and try again." >&2
  return 1
}

ensure_venv() {
  # $1: extras to install ("" or "[dev]")
  local extras="$1" py venv stamp want
  venv="${LOKET_VENV:-.venv}"
  if [ ! -x "$venv/bin/python" ] || \
     ! "$venv/bin/python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
    py=$(find_python) || exit 1
    echo "==> Creating virtual environment with $("$py" --version)"
    rm -rf "$venv"
    "$py" -m venv "$venv"
  fi
  want="$(cat pyproject.toml | sha256sum | cut -c1-16)$extras"
  stamp="$venv/.loket-installed"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "==> Installing Loket and its dependencies"
    "$venv/bin/python" -m pip install --quiet --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
    "$venv/bin/python" -m pip install --quiet -e ".$extras" 2>&1 | grep -v '^WARNING: Location' || true
    "$venv/bin/python" -c 'import loket, django' || { echo "Installation failed." >&2; exit 1; }
    echo "$want" > "$stamp"
  fi
  export PATH="$PWD/$venv/bin:$PATH"
}

apt_install() {
  # Install Debian packages that are missing; needs root (as on the CI and dev machines).
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "==> Installing system packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
