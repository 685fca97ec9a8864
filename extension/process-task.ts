// Runs a CLI command as a VS Code task whose terminal shows the program's output live, while the
// extension also keeps that output and the exit code (the Profile command needs both to build its
// summary view). A plain ProcessExecution task would show the output but give it no way to read it.
import { spawn, type ChildProcess } from 'node:child_process';
import * as vscode from 'vscode';

export interface ProcessOutcome {
  exitCode: number | undefined;
  output: string;
}

/** A pseudoterminal that runs one process; Ctrl+C in the terminal kills it. */
class ProcessPseudoterminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  private child: ChildProcess | undefined;
  private output = '';

  constructor(
    private readonly command: string,
    private readonly args: readonly string[],
    private readonly cwd: string | undefined,
    private readonly done: (outcome: ProcessOutcome) => void,
  ) {}

  private show(text: string): void {
    this.output += text;
    // Terminals need CRLF; the program prints LF.
    this.writeEmitter.fire(text.replace(/\r?\n/g, '\r\n'));
  }

  open(): void {
    this.writeEmitter.fire(`\x1b[2m> ${[this.command, ...this.args].join(' ')}\x1b[0m\r\n`);
    const child = spawn(this.command, [...this.args], { cwd: this.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout?.setEncoding('utf8').on('data', (text: string) => this.show(text));
    child.stderr?.setEncoding('utf8').on('data', (text: string) => this.show(text));
    child.on('error', (error) => {
      this.show(`\nwasmscope: could not start ${this.command}: ${error.message}\n`);
      this.finish(undefined);
    });
    child.on('close', (code, signal) => {
      this.writeEmitter.fire(`\r\n\x1b[2m[${signal ? `killed by ${signal}` : `exit code ${code}`}]\x1b[0m\r\n`);
      this.finish(code ?? undefined);
    });
  }

  private finished = false;
  private finish(exitCode: number | undefined): void {
    if (this.finished) return;
    this.finished = true;
    this.done({ exitCode, output: this.output });
    this.closeEmitter.fire(exitCode ?? 1);
  }

  handleInput(data: string): void {
    if (data === '\x03') this.child?.kill('SIGINT');
    else this.child?.stdin?.write(data === '\r' ? '\n' : data);
  }

  close(): void {
    this.child?.kill();
  }
}

/** Runs `command args` as a task named `name`; resolves when the process ends. */
export async function runProcessTask(name: string, command: string, args: readonly string[], cwd: string | undefined, folder: vscode.WorkspaceFolder | undefined): Promise<ProcessOutcome> {
  return new Promise<ProcessOutcome>((resolve) => {
    const execution = new vscode.CustomExecution(async () => new ProcessPseudoterminal(command, args, cwd, resolve));
    const task = new vscode.Task({ type: 'wasmscope', command: name }, folder ?? vscode.TaskScope.Workspace, name, 'wasmscope', execution);
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true };
    vscode.tasks.executeTask(task).then(undefined, (error: unknown) => resolve({ exitCode: undefined, output: `could not start task: ${String(error)}` }));
  });
}
