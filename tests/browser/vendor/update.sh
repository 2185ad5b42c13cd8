#!/bin/sh
# Refresh the vendored axe-core from the exact pin in package.json (package-lock.json).
# The copied axe.min.js is committed, so CI needs no npm.
set -e
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
cp node_modules/axe-core/axe.min.js axe.min.js
rm -rf node_modules
