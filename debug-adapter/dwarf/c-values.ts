// C/C++ values as the debugger shows them, from the symbol engine's remote objects: scalars by
// their C formatting (the engine's own: chars as 'q', floats shortest), pointers by the address
// they hold (expanding to the pointee), strings quoted, aggregates by type name (expanding to
// members or elements).
import type { Chrome } from '@vscode/dwarf-debugging/chrome-cxx/mnt/extension-api.js';

type RemoteObject = Chrome.DevTools.RemoteObject;
type PropertyDescriptor = Chrome.DevTools.PropertyDescriptor;

/** Where a value comes from: a frame's parameter/local, a global, an aggregate's member, an expression. */
export type VariableScope = 'parameter' | 'local' | 'global' | 'member' | 'expression';

export interface CVariable {
  /** The variable's name, a member's name, an element's index, or a pointee's address. */
  name: string;
  /** C/C++ type when known (variables, aggregates); empty for scalar members. */
  type: string;
  /** Display text: `42`, `1.5`, `'q'`, `"square"`, `0x112c8` (a pointer), `int[5]` (an aggregate). */
  value: string;
  scope: VariableScope;
  /** Set when the value expands (struct members, array elements, pointee): pass to `children()`. */
  children?: string;
  /** Where the value lives in linear memory, when it does (for DAP memory references). */
  memoryAddress?: number;
  memorySize?: number;
}

const POINTEE_NAME = /^0x[0-9a-f]+$/i;

export async function describeValue(
  name: string,
  obj: RemoteObject,
  type: string | undefined,
  scope: VariableScope,
  peek: (objectId: string) => Promise<PropertyDescriptor[]>,
): Promise<CVariable> {
  const description = obj.description ?? (obj.value !== undefined ? String(obj.value) : obj.type);
  const out: CVariable = { name, type: type ?? '', value: description, scope };
  if (obj.linearMemoryAddress !== undefined && obj.linearMemoryAddress >= 0) {
    out.memoryAddress = obj.linearMemoryAddress;
    if (obj.linearMemorySize !== undefined) out.memorySize = obj.linearMemorySize;
  }
  if (obj.type === 'object' || obj.type === 'array') {
    if (!out.type) out.type = description;
    if (obj.objectId && obj.hasChildren) {
      out.children = obj.objectId;
      // A pointer's one child is named by the address it points to: that address is its value.
      if (/\*\s*$/.test(out.type)) {
        const props = await peek(obj.objectId);
        const only = props.length === 1 ? props[0] : undefined;
        if (only && POINTEE_NAME.test(only.name)) out.value = only.name;
      }
    } else if (/\*\s*$/.test(out.type)) {
      // A pointer with nothing to expand is null (or points nowhere readable).
      out.value = description === out.type ? 'NULL' : description;
    }
  } else if (obj.type === 'string' && !description.startsWith("'")) {
    out.value = JSON.stringify(description);
  } else if (obj.type === 'null') {
    out.value = 'NULL';
  }
  return out;
}
