# Shared steps of setup/run and setup/test. Sourced, never run directly.
# Every step is idempotent: it checks first and only does work that is missing.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/credit_policy"
ODOO_CACHE_SRC="$CACHE_DIR/odoo-18.0"
VENV_DIR="${CREDIT_POLICY_VENV:-$CACHE_DIR/venv}"
ODOO_UPSTREAM="https://github.com/odoo/odoo.git"
APT_PACKAGES=(postgresql wkhtmltopdf fonts-noto-cjk chromium
              build-essential python3-dev libpq-dev libldap2-dev libsasl2-dev
              libxml2-dev libxslt1-dev libjpeg-dev zlib1g-dev)

say() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"
    else return 1
    fi
}

ensure_system_packages() {
    command -v apt-get >/dev/null || { say "no apt-get: install ${APT_PACKAGES[*]} yourself"; return 0; }
    local missing=()
    for pkg in "${APT_PACKAGES[@]}"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && { say "system packages present"; return 0; }
    if ! as_root true; then
        say "WARNING: not root and no passwordless sudo; install these packages yourself: ${missing[*]}"
        return 0
    fi
    say "installing system packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

python_imports_odoo18() {
    "$1" -c 'import odoo.release as r, sys; sys.exit(r.version_info[0] != 18)' 2>/dev/null
}

# Odoo source, in the order the foundation issue asks: an importable odoo 18,
# $ODOO_SRC, the per-user cache, a shallow clone of upstream into the cache.
locate_odoo_source() {
    if [ -x "$VENV_DIR/bin/python" ] && python_imports_odoo18 "$VENV_DIR/bin/python"; then
        ODOO_SRC="$("$VENV_DIR/bin/python" -c 'import odoo, os; print(os.path.dirname(os.path.dirname(odoo.__file__)))')"
        say "odoo 18.0 importable from $VENV_DIR ($ODOO_SRC)"
    elif [ -n "${ODOO_SRC:-}" ]; then
        [ -f "$ODOO_SRC/odoo/release.py" ] || die "ODOO_SRC=$ODOO_SRC is not an Odoo source checkout"
        say "odoo source from ODOO_SRC: $ODOO_SRC"
    elif [ -f "$ODOO_CACHE_SRC/odoo/release.py" ]; then
        ODOO_SRC="$ODOO_CACHE_SRC"
        say "odoo source from cache: $ODOO_SRC"
    else
        say "cloning Odoo 18.0 into $ODOO_CACHE_SRC (needs internet)"
        mkdir -p "$CACHE_DIR"
        git clone --depth 1 --branch 18.0 "$ODOO_UPSTREAM" "$ODOO_CACHE_SRC" \
            || die "no Odoo 18.0 source: clone it into $ODOO_CACHE_SRC or set ODOO_SRC"
        ODOO_SRC="$ODOO_CACHE_SRC"
    fi
    export ODOO_SRC
}

pick_python() {
    for candidate in "${PYTHON:-}" python3.11 python3; do
        [ -n "$candidate" ] && command -v "$candidate" >/dev/null || continue
        "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' && { echo "$candidate"; return; }
    done
    die "Python 3.11 is required (set PYTHON=/path/to/python3.11)"
}

# The venv is reinstalled only when Odoo's or our requirements change.
ensure_venv() {
    local stamp="$VENV_DIR/.credit_policy_requirements"
    local wanted
    wanted="$(cat "$ODOO_SRC/requirements.txt" "$REPO_ROOT/setup/requirements.txt" | sha256sum | cut -d' ' -f1) $ODOO_SRC"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
        say "python environment up to date: $VENV_DIR"
    else
        [ -x "$VENV_DIR/bin/python" ] || { say "creating venv $VENV_DIR"; "$(pick_python)" -m venv "$VENV_DIR"; }
        local pip=("$VENV_DIR/bin/python" -m pip install -q --disable-pip-version-check)
        say "installing Odoo's requirements (setuptools<70, no build isolation)"
        "${pip[@]}" 'setuptools<70' wheel 'setuptools_scm<8'
        "${pip[@]}" --no-build-isolation -r "$ODOO_SRC/requirements.txt"
        say "installing odoo 18.0 (editable) and the product's requirements"
        "${pip[@]}" --no-build-isolation --no-deps -e "$ODOO_SRC"
        "${pip[@]}" -r "$REPO_ROOT/setup/requirements.txt"
        echo "$wanted" > "$stamp"
    fi
    PY="$VENV_DIR/bin/python"
    OCA_ADDONS="$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/odoo/addons"
    export PY OCA_ADDONS
}

ensure_postgres() {
    if psql -d postgres -Atc 'select 1' >/dev/null 2>&1; then say "PostgreSQL reachable"; return 0; fi
    if [ "$(id -u)" = 0 ] && command -v pg_lsclusters >/dev/null; then
        local ver cluster
        read -r ver cluster _ < <(pg_lsclusters -h | head -1) || true
        if [ -z "${ver:-}" ]; then
            ver="$(ls /usr/lib/postgresql | sort -n | tail -1)"; cluster=main
            say "creating PostgreSQL cluster $ver/$cluster"
            pg_createcluster "$ver" "$cluster" >/dev/null
        fi
        say "starting PostgreSQL $ver/$cluster"
        pg_ctlcluster "$ver" "$cluster" start 2>/dev/null || true
        for _ in $(seq 30); do su postgres -c "psql -Atc 'select 1'" >/dev/null 2>&1 && break; sleep 1; done
        local me; me="$(id -un)"
        su postgres -c "psql -Atc \"select 1 from pg_roles where rolname='$me'\"" | grep -q 1 \
            || { say "creating superuser role $me"; su postgres -c "createuser -s '$me'"; }
    fi
    psql -d postgres -Atc 'select 1' >/dev/null 2>&1 \
        || die "no PostgreSQL server reachable: start one and set PGHOST/PGPORT/PGUSER/PGPASSWORD, or run setup as root on Debian."
    say "PostgreSQL reachable"
}

# Writes the Odoo configuration used by both commands, one per checkout so
# that several checkouts can share the cache.
write_odoo_conf() {
    ODOO_CONF="$CACHE_DIR/odoo-$(printf '%s' "$REPO_ROOT" | sha256sum | cut -c1-8).conf"
    mkdir -p "$CACHE_DIR/data"
    cat > "$ODOO_CONF" <<CONF
[options]
addons_path = $ODOO_SRC/odoo/addons,$ODOO_SRC/addons,$OCA_ADDONS,$REPO_ROOT
data_dir = $CACHE_DIR/data
db_host = ${PGHOST:-False}
db_port = ${PGPORT:-False}
db_user = ${PGUSER:-False}
db_password = ${PGPASSWORD:-False}
http_interface = 127.0.0.1
list_db = True
CONF
    export ODOO_CONF
}

odoo_bin() { "$PY" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" "$@"; }

PRODUCT_ADDONS="credit_policy,credit_policy_dunning,credit_policy_archive"
# Glue addons, installed by themselves where the Odoo addons they join are
# (credit_policy_mrp: with sale_mrp); the test suite installs them too.
GLUE_ADDONS="credit_policy_mrp"
TESTED_ADDONS="$PRODUCT_ADDONS,$GLUE_ADDONS"
# The Odoo and OCA addons the product depends on, installed once into a template database.
BASE_ADDONS="sale_management,sale_stock,account,mail,base_tier_validation"

# The main company before anything is posted: 华东贸易有限公司 in Shanghai.
# Its country makes account install the Chinese chart of accounts (l10n_cn),
# whose fiscal country sets the company currency to 人民币 (CNY).
MAIN_COMPANY_SETUP="cny = env.ref('base.CNY'); cny.active = True
env.ref('base.main_company').write({'name': '华东贸易有限公司', 'city': '上海', 'street': False, 'zip': False,
    'state_id': False, 'country_id': env.ref('base.cn').id, 'currency_id': cny.id})
env.cr.commit()"
MAIN_COMPANY_CHECK="assert env.ref('base.main_company').currency_id.name == 'CNY', 'the main company is not in CNY'"

db_exists() { psql -d postgres -Atc "select 1 from pg_database where datname='$1'" | grep -q 1; }

drop_db() {
    db_exists "$1" && { say "dropping database $1"; dropdb --force "$1"; }
    rm -rf "$CACHE_DIR/data/filestore/$1"
}

# A template database with Odoo's own addons and demo data, keyed by the Odoo
# source and the Python environment, so that a new test or demo database only
# installs the product's addons.
ensure_template_db() {
    local key
    key="$( (cat "$VENV_DIR/.credit_policy_requirements"; echo "$BASE_ADDONS"; echo "$MAIN_COMPANY_SETUP";
             git -C "$ODOO_SRC" rev-parse HEAD 2>/dev/null || cat "$ODOO_SRC/odoo/release.py") | sha256sum | cut -c1-10)"
    TEMPLATE_DB="credit_policy_base_$key"
    if db_exists "$TEMPLATE_DB"; then
        say "template database $TEMPLATE_DB present"
        return 0
    fi
    say "creating template database $TEMPLATE_DB with $BASE_ADDONS (a few minutes, once)"
    # The main company works in 人民币 (CNY) like the customer: its currency is
    # set after base and before account, so that nothing is posted yet and the
    # chart of accounts and every demo entry are in CNY.
    odoo_bin -d "$TEMPLATE_DB" -i base --stop-after-init --log-level=warn \
        && echo "$MAIN_COMPANY_SETUP" | "$PY" "$ODOO_SRC/odoo-bin" shell -c "$ODOO_CONF" -d "$TEMPLATE_DB" \
            --no-http --log-level=warn >/dev/null \
        && odoo_bin -d "$TEMPLATE_DB" -i "$BASE_ADDONS" --stop-after-init --log-level=warn \
        && echo "$MAIN_COMPANY_CHECK" | "$PY" "$ODOO_SRC/odoo-bin" shell -c "$ODOO_CONF" -d "$TEMPLATE_DB" \
            --no-http --log-level=warn >/dev/null \
        || { drop_db "$TEMPLATE_DB"; die "installing $BASE_ADDONS failed"; }
}

# Copies the template database (and its filestore) into a new database $1.
create_db_from_template() {
    drop_db "$1"
    say "creating database $1 from $TEMPLATE_DB"
    createdb -T "$TEMPLATE_DB" "$1"
    if [ -d "$CACHE_DIR/data/filestore/$TEMPLATE_DB" ]; then
        cp -r "$CACHE_DIR/data/filestore/$TEMPLATE_DB" "$CACHE_DIR/data/filestore/$1"
    fi
}

setup_everything() {
    ensure_system_packages
    locate_odoo_source
    ensure_venv
    ensure_postgres
    write_odoo_conf
    ensure_template_db
}
