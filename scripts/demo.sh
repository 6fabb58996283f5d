#!/usr/bin/env bash
# The README demo: index the shipped sample (surahs 112-114 by two reciters) into a fresh
# AYAH_HOME with the embedded default (no Redis, no PostgreSQL, no network), then identify
# the sample clips.
set -euo pipefail
cd "$(dirname "$0")/.."
export AYAH_HOME="${AYAH_HOME:-$(mktemp -d -t ayah-demo-XXXXXX)}"
echo "AYAH_HOME=$AYAH_HOME"
echo "\$ ayah add-reciter data/samples/akhdar --name 'Ibrahim Al-Akhdar' --riwayah hafs --style murattal"
node bin/ayah add-reciter data/samples/akhdar --name 'Ibrahim Al-Akhdar' --name-ar 'إبراهيم الأخضر' --riwayah hafs --style murattal
echo "\$ ayah add-reciter data/samples/salama --name 'Yasser Salama' --riwayah hafs --style hadr"
node bin/ayah add-reciter data/samples/salama --name 'Yasser Salama' --riwayah hafs --style hadr
echo "\$ ayah identify data/samples/clips/*"
node bin/ayah identify --top 2 data/samples/clips/*
echo "\$ ayah identify --json data/samples/clips/phone-113-2-3.ogg"
node bin/ayah identify --json data/samples/clips/phone-113-2-3.ogg
