#!/usr/bin/env bash
# System packages the tests and documents need: Debian's Chromium (browser tests; never
# `playwright install`, which downloads a browser) and the Noto CJK fonts (Chinese text in
# screenshots and charts), LibreOffice Writer (the work summary converted to PDF in the tests)
# and poppler-utils (pdfinfo, pdftoppm: page sizes and the summary's screenshots). Installed
# when missing and running as root; otherwise explained.
set -u
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
# Calc converts the exported tables to PDF in the tests (their print setup, page by page).
[ -e /usr/lib/libreoffice/program/libsclo.so ] || missing+=(libreoffice-calc-nogui)
command -v pdfinfo >/dev/null 2>&1 || missing+=(poppler-utils)
# libgcrypt does SM4-GCM for the gm crypto profile (core/_sm4gcm.py; without it core.crypto falls
# back to the slower `cryptography` path and tests/core/test_crypto_sm4.py fails). Debian has it
# wherever systemd is; a slim container may not.
ldconfig -p 2>/dev/null | grep -q "libgcrypt\.so\.20 " || missing+=(libgcrypt20)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit $?
fi
echo "注意：缺少系统软件包 ${missing[*]}。浏览器测试和总结的 PDF 测试将被跳过。" >&2
echo "请以 root 身份运行：apt-get install -y --no-install-recommends ${missing[*]}" >&2
exit 0
