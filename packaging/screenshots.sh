#!/usr/bin/env bash
# Regenerates the screenshots in docs/screenshots/ under Xvfb: the workbench on its built-in demo run
# (trained and traced on first use), the window and each view saved as PNG.
#   packaging/screenshots.sh [path/to/ndtmoe-workbench]
# token-lanes.png and expert-tokens.png are figures of the builtin:words run of docs/quality.md:
#   ndtmoe trace --run RUN --store words.sqlite
#   ndtmoe export-figures --store words.sqlite --run 1 --out DIR --format png --dpi 96 --sample 3
#   (DIR/token-lanes-sample3.png and DIR/expert-tokens-layer0-expert6.png)
set -euo pipefail
workbench=${1:-build/app/workbench/ndtmoe-workbench}
cd "$(dirname "$0")/.."
mkdir -p docs/screenshots
xvfb-run -a -s "-screen 0 1600x1000x24" "$workbench" --demo --screenshots docs/screenshots
ls -l docs/screenshots
