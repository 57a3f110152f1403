#!/usr/bin/env bash
# Install the Debian libraries WeasyPrint uses (and LibreOffice Calc, which a test opens an
# exported CSV in), when they are missing and this machine can.
# Pango is required; libharfbuzz-subset0 makes font subsetting about 4x faster (without it
# WeasyPrint falls back to fontTools). Never fails the build: docgen itself reports a missing
# library clearly when it is needed.
#   --bench    also LibreOffice, which the bench compares with
#   --browser  also Debian's Chromium, which the web app's browser tests drive headless
#              (tests/web/browser; they skip, saying why, when it is missing)
set -u
need=()
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
have_lib 'libpango-1.0.so.0' || need+=(libpango-1.0-0 libpangoft2-1.0-0)
have_lib 'libharfbuzz-subset.so.0' || need+=(libharfbuzz-subset0)
fc-list 2>/dev/null | grep -qi 'dejavu' || need+=(fonts-dejavu-core)
# The tests open an exported CSV in LibreOffice Calc (headless) to see formula-like cells stay
# text: about 90 MB from Debian, under 20 s to unpack on a 2-core machine.
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
if [ "${1:-}" = "--bench" ]; then  # the bench also converts DOCX with LibreOffice Writer
  lo=/usr/lib/libreoffice/program
  if ! command -v soffice >/dev/null 2>&1 || { [ -d "$lo" ] && [ ! -e "$lo/libswlo.so" ]; }; then
    need+=(libreoffice-writer-nogui)
  fi
fi
if [ "${1:-}" = "--browser" ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "note: missing system packages ${need[*]}; install them with apt-get (PDF output, and" \
       "the test that opens a CSV in LibreOffice)." >&2
  exit 0
fi
echo "installing system packages: ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1; then
  apt-get update -qq >/dev/null 2>&1 || true
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
    || echo "note: could not install ${need[*]}; PDF output may be slower or unavailable," \
            "and the LibreOffice test and the browser tests (Chromium) are skipped." >&2
fi
exit 0
