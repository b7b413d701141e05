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
# A fresh data folder, so the journey always starts from an empty outbox and makes reference 0000 100 000 011.
# The identity typed on the keypad ([reading] enabled = false): the pictures show the keypad and every question.
sed -e "s|^data_dir = .*|data_dir = \"$runtime_dir/data\"|" -e '/^\[reading\]/,/^enabled/s/^enabled = true/enabled = false/' \
    kiosk-config/kiosk.toml > "$runtime_dir/kiosk.toml"
ICED_BACKEND="${ICED_BACKEND:-tiny-skia}" LAPAK_LOG=warn "$BIN" --config "$runtime_dir/kiosk.toml" &
pids+=($!)

wait_for_window() {
    for _ in $(seq 100); do
        if xdotool search --name "Kios Lapak" >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.1
    done
    echo "the kiosk window did not appear" >&2
    return 1
}

shot() {
    # iced redraws on input: move the pointer a little, let it settle, then grab the screen.
    xdotool mousemove_relative 2 2
    sleep "${SHOT_DELAY:-1.5}"
    import -window root "$OUT/$1.png"
    echo "saved $OUT/$1.png"
}

tap() {
    xdotool mousemove "$1" "$2"
    sleep 0.3
    xdotool click 1
    sleep 0.7
    # A second pointer event makes the window draw the state the tap produced.
    xdotool mousemove "$(($1 + 3))" "$(($2 + 3))"
    sleep "${TAP_DELAY:-0.7}"
}

# The numeric keypad (right half of the identity, KPJ, date, phone and account screens).
declare -A KEYPAD=([1]="843 160" [2]="1007 160" [3]="1171 160" [4]="843 252" [5]="1007 252" [6]="1171 252"
    [7]="843 343" [8]="1007 343" [9]="1171 343" [0]="1007 435")
digits() {
    local d
    for d in $(echo "$1" | grep -o .); do
        # shellcheck disable=SC2086
        xdotool mousemove ${KEYPAD[$d]} click 1
        sleep 0.25
    done
}

# The letter keyboard of the name screens; `_` is the space bar.
declare -A LETTERS=([Q]="89 377" [W]="211 377" [E]="333 377" [R]="456 377" [T]="578 377" [Y]="700 377"
    [U]="823 377" [I]="945 377" [O]="1067 377" [P]="1190 377" [A]="89 449" [S]="211 449" [D]="333 449"
    [F]="456 449" [G]="578 449" [H]="700 449" [J]="823 449" [K]="945 449" [L]="1067 449" [Z]="96 521"
    [X]="232 521" [C]="368 521" [V]="504 521" [B]="640 521" [N]="776 521" [M]="912 521" [_]="945 593")
letters() {
    local c
    for c in $(echo "$1" | grep -o .); do
        # shellcheck disable=SC2086
        xdotool mousemove ${LETTERS[$c]} click 1
        sleep 0.25
    done
}

NEXT=(1165 732)

wait_for_window
sleep 2
shot 01-home
tap 640 355                       # Ajukan klaim JHT
shot 02-consent
tap 1125 732                      # Saya setuju
tap 330 328                       # Klaim ini untuk siapa? Saya sendiri
digits 3273011205750001
shot 03-identity-keypad
tap "${NEXT[@]}"
tap 330 373                       # date of birth and sex from the NIK: Ya, benar
digits 12345678901
tap "${NEXT[@]}"
letters BUDI_SANTOSO
tap "${NEXT[@]}"
letters SRI_WAHYUNI
tap "${NEXT[@]}"
shot 05-reason
tap 330 232                       # Berhenti bekerja (mengundurkan diri)
shot 05a-reason-months            # the last twelve months, this one first
tap 1049 292                      # the month before last
tap 724 151                       # its 1st: over a month ago, may be claimed
shot 05b-reason-date
tap "${NEXT[@]}"
digits 1234567890                 # the phone: "08" is already there
tap "${NEXT[@]}"                  # no e-mail question unless "Tambah e-mail" is tapped
tap 640 292                       # balance not above Rp50 juta
tap 330 232                       # BCA
digits 1234567890
shot 05c-bank-account             # the account holder shown under the number, the participant's name
tap "${NEXT[@]}"
shot 04a-checklist                # the reason's documents, each with a drawn example, before the first photo
tap "${NEXT[@]}"                  # Mulai foto
# The simulated card is steady from the start: the countdown runs, then the photo takes itself.
sleep "${COUNTDOWN_AT:-1}"
shot 04-document-capture          # the live picture, the guide and the countdown
sleep "${TAKEN_AT:-2.4}"
shot 04b-document-taken           # the photo as stored, a short look before it goes on by itself
for _ in 1 2 3 4; do
    sleep 8                       # no tap: each photo takes itself and goes on by itself
done
sleep 3                           # the simulated camera turns to the face
shot 06-face-photo
sleep 10
shot 07-review
tap 1128 732                      # Kirim klaim
sleep 2
shot 08-saved
tap 1158 732                      # Selesai: back to the home screen
sleep 1
# Five quick taps on the kiosk name (top left) open the staff PIN screen; the demo config's PIN is 123456.
xdotool mousemove 150 44
for _ in 1 2 3 4 5; do
    xdotool click 1
    sleep 0.3
done
sleep 1
digits 123456
tap "${NEXT[@]}"                  # Masuk
sleep 2
shot 09-maintenance
