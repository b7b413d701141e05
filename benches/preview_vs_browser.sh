#!/usr/bin/env bash
# The kiosk's live preview against a browser kiosk's, on the same X server, camera size and frame rate.
#
# For each camera size (640x480 at 20 fps, 1280x720 at 30 fps) and run (3 each), it starts the release
# kiosk binary under Xvfb (1280x800, the CPU renderer) with the simulated camera (MJPEG, like a webcam),
# measures 10 s on the home screen, taps through a claim to the first document screen (live preview with
# the quality checks every 0.4 s; the photo does not take itself, so the live picture stays for the whole
# measurement) and measures 10 s there; then a Chromium kiosk (software rendering, its fake camera)
# on a page that shows getUserMedia's stream of the same size in a <video>, and on a plain form page.
# CPU is utime+stime from /proc/PID/stat over 10 s (Chromium: summed over all its processes), in % of one
# core; PSS from /proc/PID/smaps_rollup (summed likewise). The kiosk's document-screen CPU is also split by
# thread (the screens, the camera's decoding, the runtime's workers running the checks, the rest). First frame: the kiosk's from the camera being
# asked to stream (the documents screen opening) to the first preview handed to the screen, from its log;
# Chromium's from the getUserMedia call to the first frame presented (requestVideoFrameCallback). The kiosk
# runs with the allocator settings of its systemd unit (MALLOC_ARENA_MAX), as installed kiosks do.
#
# Needs: Xvfb, xdotool, xdpyinfo, matchbox-window-manager, chromium (benches/install-bench-deps).
# Usage: benches/preview_vs_browser.sh [path/to/release/lapak-kiosk]
# Env: RUNS (default 3), SECONDS_MEASURED (default 10), BENCH_DISPLAY (default :93),
# BENCH_SIZES (default "640x480x20 1280x720x30": width x height x fps).
set -euo pipefail

cd "$(dirname "$0")/.."
BIN="${1:-target/release/lapak-kiosk}"
RUNS="${RUNS:-3}"
MEASURE="${SECONDS_MEASURED:-10}"
DISPLAY_NUMBER="${BENCH_DISPLAY:-:93}"
read -r -a SIZES <<<"${BENCH_SIZES:-640x480x20 1280x720x30}"
HZ="$(getconf CLK_TCK)"

if [[ ! -x "$BIN" ]]; then
    cargo build --release --locked --bin lapak-kiosk
fi
for tool in Xvfb xdotool xdpyinfo matchbox-window-manager chromium; do
    command -v "$tool" >/dev/null || { echo "missing: $tool (benches/install-bench-deps)" >&2; exit 1; }
done

work="$(mktemp -d)"
chmod 0700 "$work"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

Xvfb "$DISPLAY_NUMBER" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
pids+=($!)
export DISPLAY="$DISPLAY_NUMBER"
export XDG_RUNTIME_DIR="$work"
for _ in $(seq 50); do
    xdpyinfo >/dev/null 2>&1 && break
    sleep 0.1
done
matchbox-window-manager -use_titlebar no >/dev/null 2>&1 &
pids+=($!)
sleep 0.5

# A process and all its descendants.
tree() {
    local pid child
    for pid in "$@"; do
        echo "$pid"
        for child in $(pgrep -P "$pid" || true); do
            tree "$child"
        done
    done
}

# utime+stime in clock ticks of each pid, as "pid ticks" lines.
ticks() {
    local pid
    for pid in "$@"; do
        awk -v pid="$pid" '{ sub(/^.*\) /, ""); print pid, $12 + $13 }' "/proc/$pid/stat" 2>/dev/null || true
    done
}

# CPU of the process tree under $1 over $MEASURE seconds, in % of one core (one decimal).
cpu_percent() {
    local before after
    before="$(ticks $(tree "$1"))"
    sleep "$MEASURE"
    after="$(ticks $(tree "$1"))"
    awk -v hz="$HZ" -v secs="$MEASURE" '
        NR == FNR { start[$1] = $2; next }
        { used += $2 - (($1 in start) ? start[$1] : 0) }
        END { printf "%.1f", 100 * used / hz / secs }' <(echo "$before") <(echo "$after")
}

# utime+stime in clock ticks of each thread of process $1, as "thread-id thread-name ticks" lines.
thread_ticks() {
    local task
    for task in /proc/"$1"/task/*; do
        echo "${task##*/} $(cat "$task/comm" 2>/dev/null) $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "$task/stat" 2>/dev/null)"
    done
}

# Where the kiosk's CPU went between two thread_ticks snapshots ($1 before, $2 after, $3 the main thread's
# name), in % of one core over $MEASURE s: "screens camera workers other" (the screens' thread; the camera's
# capture thread, which decodes the preview; the async runtime's threads, which run the checks of the live
# picture; everything else).
thread_split() {
    awk -v hz="$HZ" -v secs="$MEASURE" -v main="$3" '
        NR == FNR { start[$1] = $3; next }
        {
            used = $3 - (($1 in start) ? start[$1] : 0)
            if ($2 == main) screens += used
            else if ($2 == "camera-capture") camera += used
            else if ($2 ~ /^tokio-/) workers += used
            else other += used
        }
        END {
            f = 100 / hz / secs
            printf "%.1f %.1f %.1f %.1f", screens * f, camera * f, workers * f, other * f
        }' "$1" "$2"
}

# PSS of the process tree under $1, in MiB (one decimal).
pss_mib() {
    local pid total=0 kb
    for pid in $(tree "$1"); do
        kb="$(awk '/^Pss:/ { print $2 }' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)"
        total=$((total + ${kb:-0}))
    done
    awk -v kb="$total" 'BEGIN { printf "%.1f", kb / 1024 }'
}

wait_for_window() {
    for _ in $(seq 150); do
        xdotool search --name "$1" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "no window named '$1' appeared" >&2
    return 1
}

tap() {
    xdotool mousemove "$1" "$2"
    sleep 0.2
    xdotool click 1
    sleep 0.5
    xdotool mousemove "$(($1 + 3))" "$(($2 + 3))"
    sleep 0.5
}

declare -A KEYPAD=([1]="843 160" [2]="1007 160" [3]="1171 160" [4]="843 252" [5]="1007 252" [6]="1171 252"
    [7]="843 343" [8]="1007 343" [9]="1171 343" [0]="1007 435")
digits() {
    local d
    for d in $(echo "$1" | grep -o .); do
        # shellcheck disable=SC2086
        xdotool mousemove ${KEYPAD[$d]} click 1
        sleep 0.2
    done
}
declare -A LETTERS=([Q]="89 377" [W]="211 377" [E]="333 377" [R]="456 377" [T]="578 377" [Y]="700 377"
    [U]="823 377" [I]="945 377" [O]="1067 377" [P]="1190 377" [A]="89 449" [S]="211 449" [D]="333 449"
    [F]="456 449" [G]="578 449" [H]="700 449" [J]="823 449" [K]="945 449" [L]="1067 449" [Z]="96 521"
    [X]="232 521" [C]="368 521" [V]="504 521" [B]="640 521" [N]="776 521" [M]="912 521" [_]="945 593")
letters() {
    local c
    for c in $(echo "$1" | grep -o .); do
        # shellcheck disable=SC2086
        xdotool mousemove ${LETTERS[$c]} click 1
        sleep 0.2
    done
}
NEXT=(1165 732)

# The way from home to the first document screen (the same taps as tests/screenshots.sh; the identity typed,
# as the bench's configuration turns card reading off).
to_documents() {
    tap 640 355                   # Ajukan klaim JHT
    tap 1125 732                  # Saya setuju
    tap 330 328                   # Saya sendiri
    digits 3273011205750001
    tap "${NEXT[@]}"
    tap 330 373                   # date of birth and sex from the NIK: Ya, benar
    digits 12345678901
    tap "${NEXT[@]}"
    letters BUDI_SANTOSO
    tap "${NEXT[@]}"
    letters SRI_WAHYUNI
    tap "${NEXT[@]}"
    tap 330 232                   # Berhenti bekerja
    tap 1049 292                  # the month before last
    tap 724 151                   # its 1st
    tap "${NEXT[@]}"
    digits 1234567890             # the phone: "08" is already there
    tap "${NEXT[@]}"
    tap 640 292                   # balance not above Rp50 juta
    tap 330 232                   # BCA
    digits 1234567890
    tap "${NEXT[@]}"
    tap "${NEXT[@]}"              # the checklist: Mulai foto
    # Park the pointer off the preview so nothing but the camera moves.
    xdotool mousemove 5 795
}

# kiosk WIDTH HEIGHT FPS -> "home_cpu doc_cpu first_frame_ms home_pss doc_pss screens camera workers other"
kiosk() {
    local dir="$work/kiosk-$1x$2-$RANDOM"
    mkdir -p "$dir"
    sed -e "s|^data_dir = .*|data_dir = \"$dir/data\"|" \
        -e "/^\[camera\]/,/^\[/ s|^width = .*|width = $1|" \
        -e "/^\[camera\]/,/^\[/ s|^height = .*|height = $2|" \
        -e "/^\[camera\]/,/^\[/ s|^fps = .*|fps = $3|" \
        -e "s|^auto_capture = .*|auto_capture = false|" \
        -e '/^\[reading\]/,/^enabled/s/^enabled = true/enabled = false/' \
        kiosk-config/kiosk.toml >"$dir/kiosk.toml"
    # The allocator settings the kiosk's unit gives it (kiosk-config/lapak-kiosk.service), as on a kiosk.
    local unit_env
    read -r -a unit_env <<<"$(sed -n 's/^Environment=\(MALLOC_[A-Z_]*=[^ ]*\)$/\1/p' kiosk-config/lapak-kiosk.service | tr '\n' ' ')"
    env "${unit_env[@]}" ICED_BACKEND=tiny-skia LAPAK_LOG=info "$BIN" --config "$dir/kiosk.toml" 2>"$dir/log" &
    local pid=$!
    pids+=("$pid")
    wait_for_window "Kios Lapak"
    sleep 3
    xdotool mousemove 5 795
    grep -q "camera paused" "$dir/log" || { echo "the camera did not rest on home" >&2; exit 1; }
    local home_cpu home_pss doc_cpu doc_pss first
    home_cpu="$(cpu_percent "$pid")"
    home_pss="$(pss_mib "$pid")"
    to_documents
    sleep 2
    first="$(sed 's/\x1b\[[0-9;]*m//g' "$dir/log" | grep -o 'after_ms=[0-9]*' | head -1 | cut -d= -f2)"
    if [[ -z "$first" ]]; then
        local failed="${CARGO_TARGET_DIR:-target}/preview-bench-failed.png"
        echo "the documents screen was not reached (no preview); the screen is in $failed" >&2
        import -window root "$failed" 2>/dev/null || true
        kill "$pid"
        exit 1
    fi
    thread_ticks "$pid" >"$dir/threads-before"
    doc_cpu="$(cpu_percent "$pid")"
    thread_ticks "$pid" >"$dir/threads-after"
    local split
    split="$(thread_split "$dir/threads-before" "$dir/threads-after" "$(basename "$BIN" | cut -c1-15)")"
    doc_pss="$(pss_mib "$pid")"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    echo "$home_cpu $doc_cpu $first $home_pss $doc_pss $split"
}

# chromium PAGE-URL TITLE-TO-WAIT-FOR FPS -> "cpu pss first_frame_ms"
# (its fake camera runs at 20 fps unless told: it is told the rate asked for)
chromium_on() {
    local profile="$work/chromium-$RANDOM"
    mkdir -p "$profile"
    chromium --kiosk --no-sandbox --disable-gpu --use-fake-device-for-media-stream="fps=$3" \
        --use-fake-ui-for-media-stream --no-first-run --no-default-browser-check \
        --disable-background-networking --disable-component-update --disable-sync \
        --password-store=basic --user-data-dir="$profile" "$1" >/dev/null 2>&1 &
    local pid=$!
    pids+=("$pid")
    if ! wait_for_window "$2|camera failed"; then
        kill $(tree "$pid") 2>/dev/null || true
        exit 1
    fi
    if xdotool search --name "camera failed" >/dev/null 2>&1; then
        echo "chromium: $(xdotool search --name "camera failed" getwindowname | head -1)" >&2
        kill $(tree "$pid") 2>/dev/null || true
        exit 1
    fi
    sleep 3
    xdotool mousemove 5 795
    local title first cpu pss
    title="$(xdotool search --name "$2" getwindowname 2>/dev/null | head -1)"
    first="$(echo "$title" | grep -o '[0-9]*' | head -1)"
    cpu="$(cpu_percent "$pid")"
    pss="$(pss_mib "$pid")"
    local all
    all="$(tree "$pid")"
    kill "$pid" 2>/dev/null || true
    sleep 1
    # shellcheck disable=SC2086
    kill $all 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    echo "$cpu $pss ${first:--}"
}

page="file://$PWD/benches/preview"
printf '%-10s %-4s | %-28s | %-22s\n' "camera" "run" "kiosk: home/doc CPU %, 1st ms, PSS MiB" "chromium: CPU %, 1st ms, PSS MiB"
results="$work/results"
: >"$results"
for size in "${SIZES[@]}"; do
    IFS=x read -r w h fps <<<"$size"
    for run in $(seq "$RUNS"); do
        read -r k_home k_doc k_first k_home_pss k_doc_pss k_screens k_camera k_workers k_other <<<"$(kiosk "$w" "$h" "$fps")"
        read -r c_doc c_doc_pss c_first <<<"$(chromium_on "$page/camera.html?width=$w&height=$h&fps=$fps" "first-frame" "$fps")"
        read -r c_home c_home_pss _ <<<"$(chromium_on "$page/form.html" "form ready" 20)"
        printf '%-10s %-4s | home %5s doc %5s, %4s ms, %5s/%5s | form %4s video %5s, %4s ms, %6s/%6s\n' \
            "${w}x${h}@${fps}" "$run" "$k_home" "$k_doc" "$k_first" "$k_home_pss" "$k_doc_pss" \
            "$c_home" "$c_doc" "$c_first" "$c_home_pss" "$c_doc_pss"
        echo "${w}x${h}@${fps} $k_home $k_doc $k_first $k_doc_pss $c_home $c_doc $c_first $c_doc_pss $k_screens $k_camera $k_workers $k_other" >>"$results"
    done
done

echo
echo "medians over $RUNS runs (CPU in % of one core over ${MEASURE} s; PSS in MiB on the camera screen):"
for size in "${SIZES[@]}"; do
    IFS=x read -r w h fps <<<"$size"
    key="${w}x${h}@${fps}"
    median() { grep "^$key " "$results" | awk -v col="$1" '{ print $col }' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
    range() { grep "^$key " "$results" | awk -v col="$1" '{ print $col }' | sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "–" hi }'; }
    k_doc="$(median 3)"
    c_doc="$(median 7)"
    ratio="$(awk -v k="$k_doc" -v c="$c_doc" 'BEGIN { if (c > 0) printf "%.2f", k / c; else print "-" }')"
    echo "$key: kiosk document screen $k_doc % ($(range 3)), first frame $(median 4) ms, PSS $(median 5) MiB;" \
        "chromium video $c_doc % ($(range 7)), first frame $(median 8) ms, PSS $(median 9) MiB; kiosk/chromium $ratio"
    echo "$key: the kiosk's document screen by thread: screens $(median 10) %, camera (preview decoding)" \
        "$(median 11) %, runtime workers (checks of the live picture) $(median 12) %, other $(median 13) %"
    echo "$key: home screen: kiosk $(median 2) % ($(range 2)); chromium form $(median 6) % ($(range 6))"
done
