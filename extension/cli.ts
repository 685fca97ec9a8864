// Starting the wasmscope CLI from the extension: which Node runs it and where the bundle is.
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import { cliPath } from './cli-args.js';

export class Cli {
  constructor(private readonly extensionRoot: string) {}

  get script(): string {
    return cliPath(this.extensionRoot);
  }

  /**
   * The Node executable. A setting rather than process.execPath: in desktop VS Code that is
   * Electron, which would need ELECTRON_RUN_AS_NODE and brings Electron's Node version instead of
   * the Node 20+ the toolkit is built for.
   */
  get node(): string {
    return vscode.workspace.getConfiguration('wasmscope').get<string>('node.path') || 'node';
  }

  /** Runs the CLI to completion and returns its stdout; rejects with its stderr (the CLI's located errors). */
  capture(args: readonly string[], cwd?: string): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(this.node, [...args], { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
        if (error) reject(new Error((stderr || stdout || error.message).trim()));
        else resolve(stdout);
      });
    });
  }
}
