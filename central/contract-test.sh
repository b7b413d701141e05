#!/usr/bin/env bash
# Contract test: runs schemathesis against a real lapak-central on loopback with central/openapi.yaml, then
# checks that what the kiosk sends and receives validates against the same document (sync_contract test).
# Needs: python3 with schemathesis (`pip install schemathesis`, which brings jsonschema and pyyaml).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

command -v schemathesis >/dev/null || { echo "schemathesis is not installed: pip install schemathesis" >&2; exit 1; }
cargo build -p lapak-central --locked
bin="${CARGO_TARGET_DIR:-$root/target}/debug/lapak-central"

work="$(mktemp -d)"
pid=""
cleanup() {
    if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

cat > "$work/central.toml" <<TOML
listen = "127.0.0.1:0"
database = "central.sqlite"
identity_file = "identity.txt"
TOML
"$bin" --config "$work/central.toml" init >/dev/null 2>&1
"$bin" --config "$work/central.toml" serve >"$work/stdout" 2>"$work/central.log" &
pid=$!
url=""
for _ in $(seq 1 100); do
    url="$(sed -n 's/^lapak-central listening on \(http:[^ ]*\)$/\1/p' "$work/stdout")"
    [ -n "$url" ] && break
    sleep 0.1
done
[ -n "$url" ] || { echo "lapak-central did not start:" >&2; cat "$work/central.log" >&2; exit 1; }
echo "lapak-central on $url"

# tus_hooks.py teaches schemathesis the tus chunk media type (application/offset+octet-stream).
(cd "$work" && PYTHONPATH="$here/contract${PYTHONPATH:+:$PYTHONPATH}" SCHEMATHESIS_HOOKS=tus_hooks schemathesis run "$here/openapi.yaml" --url "$url" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,negative_data_rejection,missing_required_header \
    --max-examples "${CONTRACT_MAX_EXAMPLES:-50}" \
    --phases examples,coverage,fuzzing \
    --no-color)

# The kiosk side: real kiosk requests and the service's answers validate against the same schemas.
cargo test -p lapak-central --locked --test sync_contract
echo "contract test passed"
