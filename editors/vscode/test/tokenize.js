// Tokenises every example (and the language example of tests/fmt) with the
// TextMate grammar the extension ships, through vscode-textmate and
// vscode-oniguruma (the engine VS Code itself uses), and checks that
// keywords, strings, interpolations, units and comments get their scopes,
// and that nothing in a valid file is scoped invalid.
'use strict';

const fs = require('fs');
const path = require('path');
const assert = require('assert');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const root = path.join(__dirname, '..', '..', '..');
const grammarPath = path.join(root, 'grammar', 'mcl.tmLanguage.json');

async function registry() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const onigLib = Promise.resolve({
    createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
    createOnigString: (s) => new oniguruma.OnigString(s),
  });
  return new vsctm.Registry({
    onigLib,
    loadGrammar: async (scope) => {
      if (scope !== 'source.mcl') return null;
      return vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath);
    },
  });
}

/** Every token of a text: { text, scopes }. */
function tokenize(grammar, text) {
  const out = [];
  let state = vsctm.INITIAL;
  for (const line of text.split('\n')) {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens) {
      out.push({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    }
    state = r.ruleStack;
  }
  return out;
}

const has = (tok, part) => tok.scopes.some((s) => s.includes(part));

function checkFile(grammar, file) {
  const text = fs.readFileSync(file, 'utf8');
  const tokens = tokenize(grammar, text);
  const name = path.relative(root, file);
  const seen = { keyword: 0, string: 0, interpolation: 0, unit: 0, comment: 0 };
  for (const t of tokens) {
    assert(!has(t, 'invalid'), `${name}: "${t.text}" is scoped ${t.scopes.join(' ')}`);
    const word = t.text.trim();
    if (/^(cluster|import|let|for|in|host|uses|template|service|environment)$/.test(word)
        && !has(t, 'string') && !has(t, 'comment') && !has(t, 'property')) {
      // An item keyword where items start: a storage or keyword scope.
      assert(has(t, 'keyword') || has(t, 'storage.type') || has(t, 'variable'),
        `${name}: keyword "${word}" has ${t.scopes.join(' ')}`);
      if (has(t, 'keyword') || has(t, 'storage.type')) seen.keyword++;
    }
    if (word.startsWith('#')) {
      if (!has(t, 'string')) {
        assert(has(t, 'comment'), `${name}: "${word}" is not a comment`);
        seen.comment++;
      }
    }
    if (has(t, 'string.quoted')) seen.string++;
    if (word === '${') {
      assert(has(t, 'interpolation'), `${name}: \${ has ${t.scopes.join(' ')}`);
      seen.interpolation++;
    }
    if (/^(secs|mins|hrs|days|weeks|ns|us|ms|B|KB|MB|GB|TB)$/.test(word) && has(t, 'constant.numeric')) {
      assert(has(t, 'keyword.other.unit'), `${name}: unit "${word}" has ${t.scopes.join(' ')}`);
      seen.unit++;
    }
  }
  return seen;
}

async function main() {
  const grammar = await (await registry()).loadGrammar('source.mcl');
  assert(grammar, 'the grammar loads');
  const files = fs.readdirSync(path.join(root, 'examples'))
    .filter((f) => f.endsWith('.mcl'))
    .map((f) => path.join(root, 'examples', f));
  assert(files.length >= 5, 'examples found');
  const total = { keyword: 0, string: 0, interpolation: 0, unit: 0, comment: 0 };
  for (const file of files) {
    const seen = checkFile(grammar, file);
    for (const k of Object.keys(total)) total[k] += seen[k];
  }
  // Across the examples, every kind shows up (thegrid.mcl alone has all).
  for (const [k, n] of Object.entries(total)) {
    assert(n > 0, `no ${k} tokens scoped across the examples`);
  }
  const thegrid = checkFile(grammar, path.join(root, 'examples', 'thegrid.mcl'));
  for (const [k, n] of Object.entries(thegrid)) {
    assert(n > 0, `thegrid.mcl: no ${k} scoped`);
  }
  // A unit attached to its number: `30secs` is a number and a unit.
  const units = tokenize(grammar, 'leader { offer_timeout = 30secs  mem = 16GB }');
  const secs = units.find((t) => t.text === 'secs');
  assert(secs && has(secs, 'unit.duration'), JSON.stringify(units));
  const gb = units.find((t) => t.text === 'GB');
  assert(gb && has(gb, 'unit.bytes'), JSON.stringify(units));
  console.log(`tokenized ${files.length} examples: ${JSON.stringify(total)}`);
}

main().catch((e) => {
  console.error(e.message || e);
  process.exit(1);
});
