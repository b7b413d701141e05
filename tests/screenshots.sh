#!/usr/bin/env bash
# Screenshots of the kiosk for the README: runs the real binary under Xvfb (1280x800) with
# matchbox-window-manager (so fullscreen works), taps through the screens with xdotool and saves PNGs to
# docs/screenshots/.
#
# Needs (Debian): xvfb matchbox-window-manager xdotool imagemagick libx11-6 libx11-xcb1 libxcursor1 libxi6
# libxkbcommon-x11-0. No system fonts are needed: the kiosk embeds its own.
#
# Usage: tests/screenshots.sh [path/to/lapak-kiosk]   (default: target/debug/lapak-kiosk, built if missing)
set -euo pipefail

cd "$(dirname "$0")/.."
BIN="${1:-target/debug/lapak-kiosk}"
OUT=docs/screenshots
DISPLAY_NUMBER="${SCREENSHOT_DISPLAY:-:91}"

if [[ ! -x "$BIN" ]]; then
    cargo build --bin lapak-kiosk
fi
mkdir -p "$OUT"

runtime_dir="$(mktemp -d)"
chmod 0700 "$runtime_dir"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    rm -rf "$runtime_dir"
}
trap cleanup EXIT

Xvfb "$DISPLAY_NUMBER" -screen 0 1280x800x24 -nolisten tcp &
pids+=($!)
export DISPLAY="$DISPLAY_NUMBER"
export XDG_RUNTIME_DIR="$runtime_dir"
for _ in $(seq 50); do
    xdpyinfo >/dev/null 2>&1 && break
    sleep 0.1
done
matchbox-window-manager -use_titlebar no &
pids+=($!)
sleep 0.5

# The CPU renderer: the same pixels on every machine.
ICED_BACKEND="${ICED_BACKEND:-tiny-skia}" "$BIN" &
pids+=($!)

wait_for_window() {
    for _ in $(seq 100); do
        if xdotool search --name "Lapak Kiosk" >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.1
    done
    echo "the kiosk window did not appear" >&2
    return 1
}

shot() {
    # Nudge the pointer so the window gets an event and redraws, then let it settle.
    xdotool mousemove_relative 1 1 mousemove_relative -- -1 -1
    sleep "${SHOT_DELAY:-2}"
    import -window root "$OUT/$1.png"
    echo "saved $OUT/$1.png"
}

tap() {
    xdotool mousemove "$1" "$2"
    sleep 0.2
    xdotool click 1
    sleep "${TAP_DELAY:-0.8}"
}

wait_for_window
shot 01-home
# "Ajukan klaim JHT" (the first big button, centred).
tap 640 420
shot 02-consent
# "Saya setuju" (bottom right).
tap 1150 740
# NIK on the keypad: the keypad sits on the right; keys are 80 px tall with 12 px gaps.
key() {
    local x0=820 y0=150 w=164 h=92
    case "$1" in
        1) tap $((x0 + 0 * w)) $((y0 + 0 * h)) ;;
        2) tap $((x0 + 1 * w)) $((y0 + 0 * h)) ;;
        3) tap $((x0 + 2 * w)) $((y0 + 0 * h)) ;;
        4) tap $((x0 + 0 * w)) $((y0 + 1 * h)) ;;
        5) tap $((x0 + 1 * w)) $((y0 + 1 * h)) ;;
        6) tap $((x0 + 2 * w)) $((y0 + 1 * h)) ;;
        7) tap $((x0 + 0 * w)) $((y0 + 2 * h)) ;;
        8) tap $((x0 + 1 * w)) $((y0 + 2 * h)) ;;
        9) tap $((x0 + 2 * w)) $((y0 + 2 * h)) ;;
        0) tap $((x0 + 1 * w)) $((y0 + 3 * h)) ;;
    esac
}
for digit in 3 1 7 4 0 1 5 2 0 3 8 5 0 0 0 1; do
    key "$digit"
done
shot 03-identity-nik
tap 1150 740
shot 04-identity-confirm
# "English" in the header.
tap 1200 40
shot 05-identity-confirm-en
