#!/bin/sh
# Runs the Lapak Kiosk screens fullscreen on the kiosk's own display and restarts them whenever they stop.
#
# Started by lapak-kiosk.service (as the lapak user on tty1). LAPAK_SESSION chooses the display:
#   wayland  cage, a compositor that shows one program fullscreen (apt install cage)       [default]
#   x11      Xorg with matchbox-window-manager, no title bars (apt install xserver-xorg xinit
#            matchbox-window-manager x11-xserver-utils); a non-root X server needs
#            "allowed_users=anybody" and "needs_root_rights=yes" in /etc/X11/Xwrapper.config.
# The configuration comes from LAPAK_CONFIG (the service sets /etc/lapak-kiosk/kiosk.toml).
#
# Inside the session the kiosk program runs in a loop: when it exits ("Tutup aplikasi" in maintenance mode, or
# a crash) it starts again after a short pause, without restarting the display. If the display itself stops,
# the service restarts the whole session.

set -u

KIOSK_BIN="${LAPAK_KIOSK_BIN:-/usr/bin/lapak-kiosk}"
SESSION="${LAPAK_SESSION:-wayland}"
PAUSE_SECS="${LAPAK_RESTART_PAUSE_SECS:-2}"

log() {
    echo "kiosk-session: $*" >&2
}

# Runs the kiosk program again and again; never returns.
run_kiosk_forever() {
    while true; do
        "$KIOSK_BIN"
        status=$?
        log "lapak-kiosk exited with status $status; starting it again in ${PAUSE_SECS}s"
        sleep "$PAUSE_SECS"
    done
}

if [ ! -x "$KIOSK_BIN" ]; then
    log "cannot run $KIOSK_BIN: install the kiosk program there or set LAPAK_KIOSK_BIN"
    exit 1
fi

case "${1:-}" in
    --inside-wayland)
        run_kiosk_forever
        ;;
    --inside-x11)
        # No screen saver, no blanking, no power saving: the kiosk screen stays on.
        xset s off -dpms s noblank 2>/dev/null || log "xset not found: the screen may blank"
        matchbox-window-manager -use_titlebar no -use_cursor no &
        run_kiosk_forever
        ;;
esac

case "$SESSION" in
    wayland)
        if ! command -v cage >/dev/null 2>&1; then
            log "cage is not installed (apt install cage), or set LAPAK_SESSION=x11"
            exit 1
        fi
        # -d: no client-side decorations; -s: allow switching to a text console (Ctrl+Alt+F2) for staff.
        exec cage -d -s -- "$0" --inside-wayland
        ;;
    x11)
        if ! command -v xinit >/dev/null 2>&1; then
            log "xinit is not installed (apt install xinit xserver-xorg matchbox-window-manager)"
            exit 1
        fi
        exec xinit "$0" --inside-x11 -- :0 vt1 -nocursor -nolisten tcp
        ;;
    *)
        log "LAPAK_SESSION must be \"wayland\" or \"x11\", not \"$SESSION\""
        exit 1
        ;;
esac
