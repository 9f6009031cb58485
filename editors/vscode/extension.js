// The MCL extension: starts `mesosc lsp` (the path and the environment
// overlay come from the settings `mcl.server.path` and `mcl.env`) and
// restarts it when either changes. Highlighting is the TextMate grammar
// (syntaxes/, copied from grammar/mcl.tmLanguage.json when packaging).
'use strict';

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function serverOptions() {
  const config = vscode.workspace.getConfiguration('mcl');
  const command = config.get('server.path') || 'mesosc';
  return { command, args: ['lsp'], transport: TransportKind.stdio };
}

function clientOptions() {
  const env = vscode.workspace.getConfiguration('mcl').get('env') || '';
  return {
    documentSelector: [{ language: 'mcl' }],
    initializationOptions: env ? { env } : {},
    synchronize: {
      // Keeps the server's view of which files import which current.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.mcl'),
    },
  };
}

async function start() {
  client = new LanguageClient('mcl', 'MCL (mesosc)', serverOptions(), clientOptions());
  try {
    await client.start();
  } catch (e) {
    vscode.window.showErrorMessage(
      `Cannot start \`${serverOptions().command} lsp\`: ${e.message}. ` +
      'Install mesosc or set "mcl.server.path".');
  }
}

async function activate(context) {
  await start();
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration(async (e) => {
    if (e.affectsConfiguration('mcl')) {
      if (client) {
        await client.stop();
      }
      await start();
    }
  }));
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
