// What the adapter announces in its `initialize` response. Every capability here is implemented
// and covered by a test in test/debug-adapter/.
import type { DebugProtocol } from '@vscode/debugprotocol';

export const CAPABILITIES: DebugProtocol.Capabilities = {
    supportsConfigurationDoneRequest: true,
    supportsFunctionBreakpoints: true,
    supportsConditionalBreakpoints: true,
    supportsHitConditionalBreakpoints: true,
    supportsLogPoints: true,
    supportsEvaluateForHovers: true,
    supportsSetVariable: true,
    supportsCompletionsRequest: true,
    completionTriggerCharacters: ['$'],
    supportsRestartRequest: true,
    supportsTerminateRequest: true,
    supportsDisassembleRequest: true,
    supportsInstructionBreakpoints: true,
    supportsSteppingGranularity: true,
    supportsReadMemoryRequest: true,
    supportsWriteMemoryRequest: true,
    supportsLoadedSourcesRequest: true,
    supportsModulesRequest: true,
    supportsExceptionInfoRequest: true,
    supportsBreakpointLocationsRequest: true,
    supportsDelayedStackTraceLoading: true,
    exceptionBreakpointFilters: [
      { filter: 'traps', label: 'Traps', default: true,
        description: 'Stop at the instruction that traps (unreachable, out-of-bounds access, division by zero, …).' },
      { filter: 'host', label: 'Host errors', default: false,
        description: 'Stop when an imported host function (WASI) fails with an error.' },
    ],
  };
