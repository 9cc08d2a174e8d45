#!/usr/bin/env bash
# Runs inside xvfb-run (Ij1GuiTest): ImageJ 1 with its GUI and the yax '_' jar. The startup macro opens the
# Recorder and CT_small.dcm and opens Plugins > yax > Denoise as the menu does (doCommand); here xdotool types a
# sigma into the dialog, imagemagick takes the screenshot, Return presses OK, and the macro writes down what the
# Recorder recorded. Every wait is bounded; ImageJ is killed on the way out.
# Environment: JAVA, CLASSPATH_IJ, IJ_DIR, IJ_HOME, MACRO, OUT.
set -uo pipefail
"$JAVA" -Duser.home="$IJ_HOME" -Djava.library.path=/usr/lib/jni -Dai.djl.offline=true -Xmx1g -cp "$CLASSPATH_IJ" \
  ij.ImageJ -ijpath "$IJ_DIR" -port0 -macro "$MACRO" >"$OUT/imagej.log" 2>&1 &
ij=$!
trap 'kill "$ij" 2>/dev/null; sleep 1; kill -9 "$ij" 2>/dev/null' EXIT

dialog="$(timeout 120 xdotool search --sync --name '^yax denoise$' | head -1)"
[ -n "$dialog" ] || { echo "gui: the Denoise dialog never opened"; exit 3; }
sleep 1
# No window manager: place the windows so that the screenshot shows image, dialog and Recorder side by side.
for w in $(xdotool search --name '^Recorder$'); do xdotool windowmove "$w" 0 380; done
xdotool windowmove "$dialog" 290 100
sleep 1
# Without a window manager, focus follows a click: click into the sigma field (the dialog's first field, top right).
eval "$(xdotool getwindowgeometry --shell "$dialog")"
xdotool mousemove --window "$dialog" $((WIDTH - 60)) 26 click 1
sleep 0.5
xdotool key End $(printf 'BackSpace %.0s' $(seq 12)) # AWT text fields ignore ctrl+a here
xdotool type --delay 50 "25"
sleep 1
import -window root -crop 940x620+0+0 +repage "$OUT/fiji-denoise-dialog.png" || { echo "gui: import failed"; exit 4; }
xdotool key Return
for _ in $(seq 240); do
  [ -s "$OUT/recorded.txt" ] && { echo "gui: recorded"; exit 0; }
  sleep 0.5
done
echo "gui: nothing recorded within 120 s"
exit 5
