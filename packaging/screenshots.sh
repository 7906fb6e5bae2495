#!/usr/bin/env bash
# Regenerates the screenshots in docs/screenshots/ under Xvfb: the workbench on its built-in demo run
# (trained and traced on first use), the window and each view saved as PNG.
#   packaging/screenshots.sh [path/to/ndtmoe-workbench]
set -euo pipefail
workbench=${1:-build/app/workbench/ndtmoe-workbench}
cd "$(dirname "$0")/.."
mkdir -p docs/screenshots
xvfb-run -a -s "-screen 0 1600x1000x24" "$workbench" --demo --screenshots docs/screenshots
ls -l docs/screenshots
