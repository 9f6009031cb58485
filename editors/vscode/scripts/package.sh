#!/bin/sh
# Packages the extension into mcl-VERSION.vsix (in editors/vscode/) with
# @vscode/vsce from the npm registry. The TextMate grammar has one source,
# grammar/mcl.tmLanguage.json at the repository's root: it is copied into
# syntaxes/ here (syntaxes/ is not committed). npm installs only when
# node_modules/ is missing or older than package.json.
set -eu
cd "$(dirname "$0")/.."
mkdir -p syntaxes
cp ../../grammar/mcl.tmLanguage.json syntaxes/mcl.tmLanguage.json
if [ ! -d node_modules ] || [ package.json -nt node_modules ]; then
  npm install --no-audit --no-fund --loglevel=error
  touch node_modules
fi
npx --no-install vsce package --skip-license --allow-missing-repository "$@"
