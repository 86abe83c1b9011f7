#!/usr/bin/env bash
# Build the vendored GOV.UK Frontend + MOJ Frontend assets into static/.
#
# Outputs (committed, so running the portal never needs Node):
#   static/css/app.css                      compiled from assets/scss/app.scss
#   static/vendor/govuk/assets/...          GOV.UK Frontend images + manifests (no fonts)
#   static/vendor/govuk/govuk-frontend.min.js
#   static/vendor/moj/assets/images/        MOJ Frontend images
#   static/vendor/moj/moj-frontend.min.js   MOJ Frontend ES module build
# static/js/init.mjs is hand-written and not touched by this script.
#
# Idempotent; safe to run from a clean checkout. Called by `make assets`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ASSETS="$ROOT/assets"
STATIC="$ROOT/static"
NM="$ASSETS/node_modules"
GOVUK="$NM/govuk-frontend/dist/govuk"
MOJ="$NM/@ministryofjustice/frontend/moj"

# 1. Install the pinned packages exactly as locked.
(cd "$ASSETS" && npm ci --no-audit --no-fund)

# 2-3. Compile the stylesheet. --load-path must be the folder holding
# node_modules (MOJ forwards "node_modules/govuk-frontend/..."), and
# --quiet-deps only silences dependency warnings when loaded that way.
mkdir -p "$STATIC/css"
"$NM/.bin/sass" \
  --load-path="$ASSETS" \
  --quiet-deps \
  --style=compressed \
  --no-source-map \
  "$ASSETS/scss/app.scss" "$STATIC/css/app.css"

if grep -q "GDS Transport" "$STATIC/css/app.css"; then
  echo "error: app.css still references GDS Transport" >&2
  exit 1
fi
if grep -q "@font-face" "$STATIC/css/app.css"; then
  echo "error: app.css contains @font-face" >&2
  exit 1
fi

# 4. Images (and manifests) - never fonts. Replace wholesale so removed
# upstream files do not linger.
rm -rf "$STATIC/vendor/govuk/assets" "$STATIC/vendor/moj/assets"
mkdir -p "$STATIC/vendor/govuk/assets" "$STATIC/vendor/moj/assets"
cp -R "$GOVUK/assets/images" "$STATIC/vendor/govuk/assets/images"
if [ -f "$GOVUK/assets/manifest.json" ]; then
  cp "$GOVUK/assets/manifest.json" "$STATIC/vendor/govuk/assets/manifest.json"
fi
if [ -d "$GOVUK/assets/rebrand" ]; then
  cp -R "$GOVUK/assets/rebrand" "$STATIC/vendor/govuk/assets/rebrand"
fi
if [ -d "$MOJ/assets/images" ]; then
  cp -R "$MOJ/assets/images" "$STATIC/vendor/moj/assets/images"
fi

# 5. JavaScript: both are self-contained ES modules exporting initAll().
cp "$GOVUK/govuk-frontend.min.js" "$STATIC/vendor/govuk/govuk-frontend.min.js"
cp "$MOJ/moj-frontend.min.js" "$STATIC/vendor/moj/moj-frontend.min.js"

echo "assets built: $(wc -c < "$STATIC/css/app.css") bytes static/css/app.css"
