#!/usr/bin/env bash
# The Debian packages, end to end on this machine: builds lapak-kiosk_*.deb and lapak-central_*.deb with
# packaging/build-debs, checks them with dpkg-deb (files, owners, modes, conffiles, Depends), installs both with
# dpkg -i, checks the installed files, the system users, owners and modes, runs `lapak-kiosk config check`,
# `provision` and `doctor --json` as the kiosk's user and the retention purge from its installed unit, starts
# `lapak-central serve` from the ExecStart line of its installed unit (on a loopback port) and asks it for the
# fleet, stops it, purges both packages and checks that nothing is left but what Debian leaves on purpose (the
# system users, and data folders that hold a kiosk key or claims); then installs and purges once more to see
# that empty data folders go. Leaves the machine as it found it, also on failure.
#
#   bash tests/packages.sh [--release] [--no-build]
#
# Packages the debug binaries by default (`bash .ci/test` has built them already: no release build in CI);
# --release packages the binaries build-debs packages by default (the kiosk from the cargo profile `packages`, the
# release build made smaller; lapak-central from `release`); --no-build takes the binaries as they are in the target folder.
#
# Needs root (or sudo) and dpkg-dev (.ci/install-deps). Refuses to run beside an existing installation.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
if [ "$(id -u)" -ne 0 ]; then
    exec sudo --preserve-env=CARGO_TARGET_DIR,PATH,RUSTUP_HOME,CARGO_HOME bash "$0" "$@"
fi
profile_flags=(--debug)
build_flags=()
for argument in "$@"; do
    case "$argument" in
        --release) profile_flags=() ;;
        --no-build) build_flags=(--no-build) ;;
        *) echo "usage: bash tests/packages.sh [--release] [--no-build]" >&2 && exit 2 ;;
    esac
done

started=$SECONDS
users=(lapak lapak-central)
paths=(/etc/lapak-kiosk /etc/lapak-central /var/lib/lapak-kiosk /var/lib/lapak-central /usr/share/lapak-kiosk
    /usr/lib/lapak-kiosk /usr/share/doc/lapak-kiosk /usr/share/doc/lapak-central /usr/bin/lapak-kiosk
    /usr/bin/lapak-central)
device_groups=(video input render dialout)

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
ok() {
    echo "ok: $*"
}

# One run at a time on this machine.
exec 9>/run/lock/lapak-packages-test.lock
flock -w 900 9 || fail "another run of tests/packages.sh holds /run/lock/lapak-packages-test.lock"

# Never touch an installation or users that were here before.
for package in lapak-kiosk lapak-central; do
    if dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null | grep -qv '^not-installed$'; then
        fail "$package is already on this machine ($(dpkg-query -W -f='${db:Status-Status}' "$package")): not touching it"
    fi
done
for user in "${users[@]}"; do
    if getent passwd "$user" >/dev/null || getent group "$user" >/dev/null; then
        fail "the user or group $user already exists: not touching it"
    fi
done
for path in "${paths[@]}"; do
    [ ! -e "$path" ] || fail "$path already exists: not touching it"
done
missing_groups=()
for group in "${device_groups[@]}"; do
    getent group "$group" >/dev/null || missing_groups+=("$group")
done
wants=/etc/systemd/system/timers.target.wants/lapak-kiosk-purge.timer
[ ! -e "$wants" ] && [ ! -L "$wants" ] || fail "$wants already exists: not touching it"

work="$(mktemp -d)"
chmod 0755 "$work"
central_pid=""
cleanup() {
    local status=$?
    set +e
    if [ -n "$central_pid" ] && kill -0 "$central_pid" 2>/dev/null; then
        kill -TERM "$central_pid"
        sleep 1
        kill -KILL "$central_pid" 2>/dev/null
    fi
    for package in lapak-kiosk lapak-central; do
        if dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null | grep -qv '^not-installed$'; then
            dpkg --purge "$package" >/dev/null 2>&1
        fi
    done
    # Everything below was checked absent before the run.
    rm -rf /var/lib/lapak-kiosk /var/lib/lapak-central /etc/lapak-kiosk /etc/lapak-central
    rm -f "$wants"
    for user in "${users[@]}"; do
        getent passwd "$user" >/dev/null && userdel "$user"
        getent group "$user" >/dev/null && groupdel "$user"
    done
    for group in "${missing_groups[@]}"; do
        getent group "$group" >/dev/null && groupdel "$group"
    done
    rm -rf "$work"
    if [ "$status" -eq 0 ]; then
        echo "packages: all checks passed in $((SECONDS - started)) s; the machine is as it was"
    else
        echo "packages: FAILED (exit $status); the machine was put back as it was" >&2
    fi
}
trap cleanup EXIT

# ---- build --------------------------------------------------------------------------------------------------
bash "$root/packaging/build-debs" "${profile_flags[@]}" "${build_flags[@]}" --compress none --out "$work/debs" >"$work/build.log" 2>&1 ||
    {
        cat "$work/build.log" >&2
        fail "packaging/build-debs failed"
    }
version="$(sed -n '/^\[package\]/,/^\[/s/^version = "\([^"]*\)"/\1/p' "$root/Cargo.toml" | head -n 1)"
arch="$(dpkg --print-architecture)"
kiosk_deb="$work/debs/lapak-kiosk_${version}_${arch}.deb"
central_deb="$work/debs/lapak-central_${version}_${arch}.deb"
[ -f "$kiosk_deb" ] && [ -f "$central_deb" ] || fail "build-debs did not make $kiosk_deb and $central_deb"
ok "built $(basename "$kiosk_deb") and $(basename "$central_deb") in $((SECONDS - started)) s"

# ---- the packages as built ----------------------------------------------------------------------------------
field() { dpkg-deb --field "$1" "$2"; }
[ "$(field "$kiosk_deb" Version)" = "$version" ] || fail "kiosk package version is not $version"
kiosk_depends="$(field "$kiosk_deb" Depends)"
for dependency in 'libc6 (>=' 'libasound2 (>=' libwayland-client0 libxkbcommon0 libx11-6 ca-certificates systemd; do
    grep -qF "$dependency" <<<"$kiosk_depends" || fail "lapak-kiosk Depends lacks $dependency: $kiosk_depends"
done
central_depends="$(field "$central_deb" Depends)"
grep -qF 'libc6 (>=' <<<"$central_depends" || fail "lapak-central Depends lacks libc6: $central_depends"
# Both verify TLS against the system's roots: the kiosk its central service, the service an S3 bucket.
grep -qF 'ca-certificates' <<<"$central_depends" || fail "lapak-central Depends lacks ca-certificates: $central_depends"
grep -q 'libasound\|libx11\|wayland' <<<"$central_depends" && fail "lapak-central depends on GUI or sound: $central_depends"
[ "$(dpkg-deb --info "$kiosk_deb" conffiles)" = /etc/lapak-kiosk/kiosk.toml ] || fail "kiosk conffiles"
[ "$(dpkg-deb --info "$central_deb" conffiles)" = /etc/lapak-central/central.toml ] || fail "central conffiles"
ok "control: versions, Depends (kiosk: $kiosk_depends), conffiles"

# "perms owner path" of every entry of package $1.
listing() {
    dpkg-deb --contents "$1" | awk '{ print $1, $2, $6 }'
}
listing "$kiosk_deb" >"$work/kiosk.list"
listing "$central_deb" >"$work/central.list"
expect_entry() {
    grep -qxF -e "$2" "$1" || fail "$(basename "$1" .list) package: no entry '$2'"
}
expect_entry "$work/kiosk.list" "-rwxr-xr-x root/root ./usr/bin/lapak-kiosk"
expect_entry "$work/kiosk.list" "-rwxr-xr-x root/root ./usr/lib/lapak-kiosk/kiosk-session.sh"
expect_entry "$work/kiosk.list" "-rw-r----- root/root ./etc/lapak-kiosk/kiosk.toml"
for file in systemd/system/lapak-kiosk.service systemd/system/lapak-kiosk-purge.service \
    systemd/system/lapak-kiosk-purge.timer sysusers.d/lapak-kiosk.conf tmpfiles.d/lapak-kiosk.conf; do
    expect_entry "$work/kiosk.list" "-rw-r--r-- root/root ./usr/lib/$file"
done
expect_entry "$work/kiosk.list" "-rw-r--r-- root/root ./usr/share/doc/lapak-kiosk/copyright"
expect_entry "$work/kiosk.list" "-rw-r--r-- root/root ./usr/share/doc/lapak-kiosk/FIELD-GUIDE.md"
expect_entry "$work/central.list" "-rwxr-xr-x root/root ./usr/bin/lapak-central"
expect_entry "$work/central.list" "-rw-r----- root/root ./etc/lapak-central/central.toml"
for file in systemd/system/lapak-central.service sysusers.d/lapak-central.conf tmpfiles.d/lapak-central.conf; do
    expect_entry "$work/central.list" "-rw-r--r-- root/root ./usr/lib/$file"
done
for lang in id en; do
    clips="$(find "$root/assets/voice/$lang" -name '*.ogg' | wc -l)"
    packed="$(grep -c "^-rw-r--r-- root/root ./usr/share/lapak-kiosk/voice/$lang/.*\.ogg$" "$work/kiosk.list")"
    [ "$clips" -gt 0 ] && [ "$packed" = "$clips" ] || fail "$lang voice clips: $packed packed of $clips"
done
for list in "$work/kiosk.list" "$work/central.list"; do
    bad="$(awk '$2 != "root/root" || $1 ~ /^.....w/ || $1 ~ /^........w/ || $1 ~ /[sS]/' "$list")"
    [ -z "$bad" ] || fail "entries not root-owned, group/other-writable or set-id: $bad"
    ! grep -q ' \./var/' "$list" || fail "$(basename "$list" .list) package ships files under /var (made at install)"
done
grep -qx 'data_dir = "/var/lib/lapak-kiosk"' <(dpkg-deb --fsys-tarfile "$kiosk_deb" | tar -xO ./etc/lapak-kiosk/kiosk.toml) ||
    fail "the packaged kiosk.toml does not keep its data in /var/lib/lapak-kiosk"
grep -qx 'WatchdogSec=30' <(dpkg-deb --fsys-tarfile "$kiosk_deb" | tar -xO ./usr/lib/systemd/system/lapak-kiosk.service) ||
    fail "the packaged lapak-kiosk.service lost its watchdog"
ok "contents: $(wc -l <"$work/kiosk.list") entries in lapak-kiosk, $(wc -l <"$work/central.list") in lapak-central, all root-owned with the expected modes"

# ---- install ------------------------------------------------------------------------------------------------
install_both() {
    dpkg -i "$kiosk_deb" "$central_deb" >"$work/install.log" 2>&1 || {
        cat "$work/install.log" >&2
        fail "dpkg -i failed"
    }
    for package in lapak-kiosk lapak-central; do
        [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$package")" = "ii " ] || fail "$package is not installed"
    done
}
install_both
ok "dpkg -i of both packages"

# "mode owner:group" of $1.
mode_of() { stat -c '%a %U:%G' "$1"; }
expect_mode() {
    [ "$(mode_of "$1")" = "$2" ] || fail "$1 is $(mode_of "$1"), expected $2"
}
expect_mode /usr/bin/lapak-kiosk "755 root:root"
expect_mode /usr/bin/lapak-central "755 root:root"
expect_mode /usr/lib/lapak-kiosk/kiosk-session.sh "755 root:root"
expect_mode /etc/lapak-kiosk/kiosk.toml "640 root:lapak"
expect_mode /etc/lapak-central/central.toml "640 root:lapak-central"
expect_mode /var/lib/lapak-kiosk "750 lapak:lapak"
expect_mode /var/lib/lapak-central "750 lapak-central:lapak-central"
[ -z "$(dpkg --verify lapak-kiosk lapak-central)" ] || fail "dpkg --verify: $(dpkg --verify lapak-kiosk lapak-central)"
for user in "${users[@]}"; do
    IFS=: read -r _ _ uid _ _ home shell < <(getent passwd "$user")
    [ "$uid" -lt 1000 ] || fail "$user is not a system user (uid $uid)"
    [ "$shell" = /usr/sbin/nologin ] || fail "$user has the login shell $shell"
    [ "$home" = "/var/lib/$([ "$user" = lapak ] && echo lapak-kiosk || echo lapak-central)" ] || fail "$user's home is $home"
done
for group in "${device_groups[@]}"; do
    id -nG lapak | tr ' ' '\n' | grep -qx "$group" || fail "lapak is not in the group $group"
done
[ "$(id -nG lapak-central)" = lapak-central ] || fail "lapak-central is in other groups: $(id -nG lapak-central)"
[ "$(readlink -f "$wants")" = /usr/lib/systemd/system/lapak-kiosk-purge.timer ] || fail "the purge timer is not enabled"
for unit in lapak-kiosk.service lapak-central.service; do
    ! find /etc/systemd/system -name "$unit" | grep -q . || fail "$unit was enabled by the package (it must wait for staff)"
done
if command -v systemd-analyze >/dev/null; then
    systemd-analyze verify /usr/lib/systemd/system/lapak-kiosk.service /usr/lib/systemd/system/lapak-kiosk-purge.service \
        /usr/lib/systemd/system/lapak-kiosk-purge.timer /usr/lib/systemd/system/lapak-central.service \
        >"$work/verify.log" 2>&1 || {
        cat "$work/verify.log" >&2
        fail "systemd-analyze verify refused an installed unit"
    }
fi
# The card reader's model is inside the program (include_bytes! in src/reading/recognizer.rs), not a file of the
# package: whenever the installed kiosk links the recognizer, it must carry the whole model.
model_state="$(python3 - /usr/bin/lapak-kiosk "$root/assets/ocr/ch_PP-OCRv4_rec_infer.w8.onnx" <<'EOF'
import sys
binary = open(sys.argv[1], "rb").read()
model = open(sys.argv[2], "rb").read()
if b"src/reading/recognizer.rs" not in binary:
    print("not linked: the screens do not call the card reader")
elif model[:65536] in binary and model[-65536:] in binary:
    print(f"inside /usr/bin/lapak-kiosk ({len(model):,} bytes)")
else:
    sys.exit(f"{sys.argv[1]} links the card reader but does not carry its model {sys.argv[2]}")
EOF
)" || fail "the card reader's model"
ok "the card reader's model: $model_state"
ok "installed: owners and modes, dpkg --verify clean, users lapak ($(id -nG lapak)) and lapak-central, the purge timer enabled, units verified"

# ---- the kiosk's commands as its user -----------------------------------------------------------------------
cd /
kiosk_config=/etc/lapak-kiosk/kiosk.toml
if runuser -u nobody -- /usr/bin/lapak-kiosk --config "$kiosk_config" config check >"$work/nobody.log" 2>&1; then
    fail "another user could read $kiosk_config"
fi
grep -qi 'permission denied' "$work/nobody.log" || fail "config check as nobody: $(cat "$work/nobody.log")"
runuser -u lapak -- /usr/bin/lapak-kiosk --config "$kiosk_config" config check >"$work/check.log" 2>&1 ||
    fail "config check as lapak: $(cat "$work/check.log")"
grep -qF "configuration: $kiosk_config" "$work/check.log" && grep -q '^data dir: *\/var\/lib\/lapak-kiosk$' "$work/check.log" ||
    fail "config check as lapak: $(cat "$work/check.log")"
runuser -u lapak -- /usr/bin/lapak-kiosk --config "$kiosk_config" provision --number 7 >"$work/provision.log" 2>&1 ||
    fail "provision as lapak: $(cat "$work/provision.log")"
public_key="$(sed -n 's/^public key: *//p' "$work/provision.log")"
expect_mode /var/lib/lapak-kiosk/kiosk.key "600 lapak:lapak"
ok "kiosk: config check as lapak (and refused to nobody), provisioned with the key 0600 in /var/lib/lapak-kiosk"

# A pushed configuration is kept under the data folder (kiosk.toml in /etc stays root's): the kiosk's user can
# keep one there, and every load sets its keys over /etc/lapak-kiosk/kiosk.toml.
runuser -u lapak -- sh -c 'mkdir -p /var/lib/lapak-kiosk/remote-config &&
    printf "[kiosk]\nlocation = \"Balai Desa Pushed\"\n" > /var/lib/lapak-kiosk/remote-config/applied.toml' ||
    fail "the kiosk's user cannot keep a pushed configuration in /var/lib/lapak-kiosk/remote-config"
runuser -u lapak -- /usr/bin/lapak-kiosk --config "$kiosk_config" config check >"$work/pushed.log" 2>&1 ||
    fail "config check with a pushed configuration: $(cat "$work/pushed.log")"
grep -q '^location: *Balai Desa Pushed$' "$work/pushed.log" && grep -q '^pushed: *keys in force from /var/lib/lapak-kiosk/remote-config/applied.toml$' "$work/pushed.log" ||
    fail "config check with a pushed configuration: $(cat "$work/pushed.log")"
runuser -u lapak -- rm -r /var/lib/lapak-kiosk/remote-config
ok "kiosk: a pushed configuration kept by its user in /var/lib/lapak-kiosk/remote-config is in force over /etc"

# ---- lapak-central from its installed unit ------------------------------------------------------------------
central_config=/etc/lapak-central/central.toml
central() { runuser -u lapak-central -- /usr/bin/lapak-central --config "$central_config" "$@"; }
central init >"$work/init.log" 2>&1 || fail "lapak-central init: $(cat "$work/init.log")"
expect_mode /var/lib/lapak-central/central-identity.txt "600 lapak-central:lapak-central"
[ -n "$public_key" ] || fail "no public key in provision's output"
central kiosk add --id KIOSK-00007 --public-key "$public_key" >"$work/add.log" 2>&1 ||
    fail "kiosk add: $(cat "$work/add.log")"
/usr/bin/lapak-central fleet-token >"$work/token.txt" 2>/dev/null
token="$(sed -n 's/^token: //p' "$work/token.txt")"
[ -n "$token" ] || fail "fleet-token printed no token"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
# The operator's edits: a loopback port for this test, and the fleet token's hash.
sed -i "s/^listen = .*/listen = \"127.0.0.1:$port\"/" "$central_config"
# The hash goes on the shipped empty line, above the file's tables (appended, it would land in [blobs]).
token_line="$(grep '^fleet_token_sha256 = ' "$work/token.txt")"
grep -q '^fleet_token_sha256 = ""$' "$central_config" || fail "no empty fleet_token_sha256 line in $central_config"
sed -i "s/^fleet_token_sha256 = \"\"\$/$token_line/" "$central_config"
unit=/usr/lib/systemd/system/lapak-central.service
exec_start="$(sed -n 's/^ExecStart=//p' "$unit")"
unit_user="$(sed -n 's/^User=//p' "$unit")"
unit_dir="$(sed -n 's/^WorkingDirectory=//p' "$unit")"
[ "$unit_user" = lapak-central ] && [ "$unit_dir" = /var/lib/lapak-central ] || fail "lapak-central.service runs as $unit_user in $unit_dir"
read -ra command <<<"$exec_start"
: >"$work/serve.log"
# As systemd would: the unit's user and groups, its working folder, the command itself (no session in between,
# so SIGTERM reaches the service).
(cd "$unit_dir" && exec setpriv --reuid="$unit_user" --regid="$unit_user" --init-groups -- "${command[@]}") \
    >"$work/serve.log" 2>&1 &
central_pid=$!
for _ in $(seq 1 150); do
    grep -q 'listening on' "$work/serve.log" && break
    kill -0 "$central_pid" 2>/dev/null || fail "lapak-central serve stopped: $(cat "$work/serve.log")"
    sleep 0.2
done
grep -qF "listening on http://127.0.0.1:$port" "$work/serve.log" || fail "lapak-central did not listen within 30 s: $(cat "$work/serve.log")"
fleet="$(python3 - "$port" "$token" <<'EOF'
import sys, urllib.request
request = urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}/v1/fleet", headers={"Authorization": f"Bearer {sys.argv[2]}"})
with urllib.request.urlopen(request, timeout=10) as answer:
    print(answer.status, answer.read().decode())
EOF
)" || fail "GET /v1/fleet failed"
[ "${fleet%% *}" = 200 ] && grep -q 'KIOSK-00007' <<<"$fleet" || fail "GET /v1/fleet: $fleet"
ok "lapak-central: '$exec_start' as $unit_user listens on 127.0.0.1:$port and shows KIOSK-00007 in /v1/fleet"

# doctor from the installed program, as the kiosk's user: the installed configuration with ALSA's null device
# (this machine has no speaker) and the running central service.
doctor_config="$work/doctor.toml"
sed -e 's/^device = "default"$/device = "null"/' \
    -e "s|^# central_url = \"http://127.0.0.1:8080\"\$|central_url = \"http://127.0.0.1:$port\"|" \
    "$kiosk_config" >"$doctor_config"
grep -qx 'device = "null"' "$doctor_config" && grep -qx "central_url = \"http://127.0.0.1:$port\"" "$doctor_config" ||
    fail "could not point the doctor's copy of kiosk.toml at the null device and the test's central service"
chmod 0644 "$doctor_config"
runuser -u lapak -- /usr/bin/lapak-kiosk --config "$doctor_config" doctor --json >"$work/doctor.json" 2>"$work/doctor.log" ||
    true
python3 - "$work/doctor.json" "$(find "$root/assets/voice/id" -name '*.ogg' | wc -l)" <<'EOF' || fail "doctor --json: $(cat "$work/doctor.json" "$work/doctor.log")"
import json, sys
report = {check["part"]: check for check in json.load(open(sys.argv[1]))["checks"]}
clips = sys.argv[2]
for part in ("config", "data", "key", "outbox", "central"):
    assert report[part]["verdict"] == "ok", (part, report[part])
sound = report["sound"]
assert sound["verdict"] == "ok", sound
assert sound["detail"].endswith(f"voice clips {clips} id, {clips} en, all playable (/usr/share/lapak-kiosk/voice)"), sound
EOF
ok "doctor --json as lapak: config, data, key, outbox, central ok; the voice clips found in /usr/share/lapak-kiosk/voice"

# The retention purge from its installed unit, without the screens.
unit=/usr/lib/systemd/system/lapak-kiosk-purge.service
exec_start="$(sed -n 's/^ExecStart=//p' "$unit")"
environment="$(sed -n 's/^Environment=LAPAK_CONFIG=//p' "$unit")"
read -ra command <<<"$exec_start"
(cd "$(sed -n 's/^WorkingDirectory=//p' "$unit")" &&
    runuser -u "$(sed -n 's/^User=//p' "$unit")" -- env LAPAK_CONFIG="$environment" "${command[@]}") >"$work/purge.log" 2>&1 ||
    fail "the purge unit's command: $(cat "$work/purge.log")"
grep -q '^purged 0 delivered claim(s) older than 7 days$' "$work/purge.log" || fail "purge: $(cat "$work/purge.log")"
ok "retention purge: '$exec_start' as lapak with LAPAK_CONFIG=$environment"

# The session script as lapak-kiosk.service starts it: the Wayland session hands the display to cage (a
# stand-in on PATH here: this machine has no screen) with the script itself inside; inside, the script runs the
# installed /usr/bin/lapak-kiosk and starts it again each time it exits (here at once: there is no display).
mkdir -p "$work/bin"
printf '#!/bin/sh\necho "cage $*"\n' >"$work/bin/cage"
chmod 0755 "$work/bin/cage"
unit=/usr/lib/systemd/system/lapak-kiosk.service
session="$(sed -n 's/^ExecStart=//p' "$unit")"
session_env=(env -u DISPLAY -u WAYLAND_DISPLAY PATH="$work/bin:/usr/bin:/bin"
    LAPAK_CONFIG="$(sed -n 's/^Environment=LAPAK_CONFIG=//p' "$unit")"
    LAPAK_SESSION="$(sed -n 's/^Environment=LAPAK_SESSION=//p' "$unit")")
runuser -u lapak -- "${session_env[@]}" "$session" >"$work/session.log" 2>&1 || fail "session script: $(cat "$work/session.log")"
grep -qxF "cage -d -s -- $session --inside-wayland" "$work/session.log" || fail "session script: $(cat "$work/session.log")"
(cd /var/lib/lapak-kiosk && runuser -u lapak -- "${session_env[@]}" LAPAK_RESTART_PAUSE_SECS=0.2 timeout 8 "$session" --inside-wayland) \
    >"$work/inside.log" 2>&1 || true
[ "$(grep -c '^kiosk-session: lapak-kiosk exited with status [1-9][0-9]*; starting it again' "$work/inside.log")" -ge 2 ] ||
    fail "inside the session the installed kiosk did not run and start again: $(tail -n 20 "$work/inside.log")"
for _ in $(seq 1 50); do
    pgrep -u lapak -x lapak-kiosk >/dev/null || break
    sleep 0.2
done
pgrep -u lapak -x lapak-kiosk >/dev/null && fail "a kiosk program was still running 10 s after the session stopped"
if runuser -u lapak -- env LAPAK_SESSION=none "$session" >"$work/session.log" 2>&1; then
    fail "the session script accepted LAPAK_SESSION=none"
fi
grep -qF 'LAPAK_SESSION must be "wayland" or "x11"' "$work/session.log" || fail "session script: $(cat "$work/session.log")"
ok "the session script: '$session' hands the display to cage, runs /usr/bin/lapak-kiosk inside and restarts it ($(grep -c 'starting it again' "$work/inside.log") starts in 8 s without a display)"

kill -TERM "$central_pid"
for _ in $(seq 1 75); do
    kill -0 "$central_pid" 2>/dev/null || break
    sleep 0.2
done
kill -0 "$central_pid" 2>/dev/null && fail "lapak-central did not stop within 15 s of SIGTERM"
wait "$central_pid" || fail "lapak-central exited with status $? on SIGTERM: $(cat "$work/serve.log")"
central_pid=""
ok "lapak-central stopped on SIGTERM"

# ---- purge --------------------------------------------------------------------------------------------------
# Every file the packages installed (folders shared with the system stay).
installed_files="$( (dpkg-deb --contents "$kiosk_deb" && dpkg-deb --contents "$central_deb") | awk '$1 !~ /^d/ { print substr($6, 2) }')"
purge_both() {
    dpkg --purge lapak-kiosk lapak-central >"$work/purge-dpkg.log" 2>&1 || {
        cat "$work/purge-dpkg.log" >&2
        fail "dpkg --purge failed"
    }
    for package in lapak-kiosk lapak-central; do
        if dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null | grep -qv '^not-installed$'; then
            fail "$package is still known to dpkg after the purge"
        fi
    done
    while read -r file; do
        [ ! -e "$file" ] && [ ! -L "$file" ] || fail "$file is left after the purge"
    done <<<"$installed_files"
    for path in /etc/lapak-kiosk /etc/lapak-central /usr/share/lapak-kiosk /usr/lib/lapak-kiosk \
        /usr/share/doc/lapak-kiosk /usr/share/doc/lapak-central "$wants"; do
        [ ! -e "$path" ] && [ ! -L "$path" ] || fail "$path is left after the purge"
    done
    leftovers="$(find /etc/systemd /var/lib/systemd/deb-systemd-helper-enabled /var/lib/systemd/deb-systemd-helper-masked \
        -name 'lapak*' 2>/dev/null || true)"
    [ -z "$leftovers" ] || fail "systemd links or state left after the purge: $leftovers"
}
purge_both
# Left on purpose: the system users, and the data folders holding the kiosk key and the central identity.
getent passwd lapak >/dev/null && getent passwd lapak-central >/dev/null || fail "the purge removed a system user"
[ -f /var/lib/lapak-kiosk/kiosk.key ] || fail "the purge deleted the kiosk key"
[ -f /var/lib/lapak-central/central-identity.txt ] || fail "the purge deleted the central identity"
grep -qF 'lapak-kiosk: /var/lib/lapak-kiosk is kept' "$work/purge-dpkg.log" &&
    grep -qF 'lapak-central: /var/lib/lapak-central is kept' "$work/purge-dpkg.log" ||
    fail "the purge did not say which data folders it kept: $(cat "$work/purge-dpkg.log")"
ok "dpkg --purge: every installed file, /etc/lapak-*, the timer link and systemd state gone; users and used data folders kept"

# Once more on a fresh data folder: an unused installation leaves no data folder behind.
rm -rf /var/lib/lapak-kiosk /var/lib/lapak-central
install_both
expect_mode /var/lib/lapak-kiosk "750 lapak:lapak"
purge_both
[ ! -e /var/lib/lapak-kiosk ] && [ ! -e /var/lib/lapak-central ] || fail "the purge left empty data folders"
ok "reinstalled beside the existing users and purged again: the empty data folders are gone"
