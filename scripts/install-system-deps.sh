#!/usr/bin/env bash
# Install the Debian libraries and fonts WeasyPrint uses (and LibreOffice Calc, which a test
# opens an exported CSV in), when they are missing and this machine can.
# Pango is required; libharfbuzz-subset0 makes font subsetting about 4x faster (without it
# WeasyPrint falls back to fontTools); the Noto fonts print the world's scripts. Never fails the
# build: docgen itself reports a missing library, or a character no font has, clearly.
#   --bench    also LibreOffice, which the bench compares with
#   --browser  also Debian's Chromium, which the web app's browser tests drive headless
#              (tests/web/browser; they skip, saying why, when it is missing)
set -u
need=()
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
have_lib 'libpango-1.0.so.0' || need+=(libpango-1.0-0 libpangoft2-1.0-0)
have_lib 'libharfbuzz-subset.so.0' || need+=(libharfbuzz-subset0)
fc-list 2>/dev/null | grep -qi 'dejavu' || need+=(fonts-dejavu-core)
# Fonts the PDF falls back to for scripts docgen's own fonts lack, so that a family's Chinese,
# Urdu or Bengali name, or an emoji in a note, prints instead of empty boxes (Debian 12 sizes:
# download / installed). Without them docgen warns at each field holding such characters.
have_font() { fc-list : family 2>/dev/null | grep -qi "$1"; }
have_font 'Noto Naskh Arabic' || need+=(fonts-noto-core)          # 12 / 42 MB: Arabic, Urdu, Indic...
have_font 'Noto Sans CJK SC' || need+=(fonts-noto-cjk)            # 57 / 91 MB: Chinese, Japanese, Korean
have_font 'Noto Color Emoji' || need+=(fonts-noto-color-emoji)    # 10 / 11 MB
# Arial's metric twin: the Word documents name Arial, and LibreOffice (which the tests and the
# bench convert them with) then lays them out as Word would, on the same number of pages.
have_font 'Liberation Sans' || need+=(fonts-liberation)            # 1 / 2 MB
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
