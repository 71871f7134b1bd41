# Shared by scripts/start and scripts/test: find Python >= 3.11 and keep .venv installed.
# Sourced, not run.

find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3.11 python3.12 python3.13 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    echo "Strongroom needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)" >&2
    return 1
}

# ensure_venv runtime|dev: (re)install the project into .venv when pyproject.toml changed.
ensure_venv() {
    local extra="$1" stamp=".venv/.installed-$1"
    if [ -f "$stamp" ] && [ "$stamp" -nt pyproject.toml ] && [ -x .venv/bin/strongroom ]; then
        return 0
    fi
    local python
    python=$(find_python)
    [ -x .venv/bin/python ] || "$python" -m venv .venv
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
    if [ "$extra" = "dev" ]; then
        .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
        # The official SDK pins lxml 4; it runs fine on current lxml beside PyXB-X and requests
        # (installed through the dev extra), so it goes in without its own pins.
        .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps "authorizenet==1.1.6"
    else
        .venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
    fi
    touch "$stamp"
}
