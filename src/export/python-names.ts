// Why: the safetensors keys and the generated model.py must agree on one name per layer, and that
// name must be a legal nn.Module attribute: a Python identifier, not a keyword, not one of nn.Module's
// own attributes (`self.training = nn.Conv2d(...)` would break model.eval()), no dots (PyTorch uses
// them as key separators). Layer ids ('conv2d-1', 'c1.a') are close to that; this makes them so,
// deterministically, so a file exported today loads with the module generated tomorrow.
import { forwardOrder, type NetworkSpec } from '../model';

const PYTHON_KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif',
  'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or',
  'pass', 'raise', 'return', 'try', 'while', 'with', 'yield', 'match', 'case', 'type', '_',
]);

/** nn.Module attributes and methods a submodule must not shadow, plus the names model.py itself uses. */
const RESERVED = new Set([
  'training', 'forward', 'eval', 'train', 'parameters', 'named_parameters', 'buffers', 'named_buffers', 'children',
  'named_children', 'modules', 'named_modules', 'state_dict', 'load_state_dict', 'to', 'cpu', 'cuda', 'float', 'double',
  'half', 'bfloat16', 'type', 'apply', 'zero_grad', 'register_buffer', 'register_parameter', 'register_module',
  'add_module', 'get_submodule', 'get_parameter', 'get_buffer', 'requires_grad_', 'share_memory', 'extra_repr',
  'dump_patches', 'call_super_init', 'compile', 'ipu', 'xpu', 'mtia', 'to_empty', 'get_extra_state', 'set_extra_state',
  'register_forward_hook', 'register_forward_pre_hook', 'register_backward_hook', 'register_full_backward_hook',
  'register_full_backward_pre_hook', 'register_load_state_dict_post_hook', 'register_state_dict_pre_hook', 'optimizer',
  'load', 'self', 'torch', 'nn', 'x',
]);

/** A legal, non-reserved Python identifier close to `id` (not yet made unique). */
export function pythonIdentifier(id: string): string {
  let name = id.replace(/[^A-Za-z0-9_]/g, '_');
  if (!/^[A-Za-z]/.test(name)) name = `layer_${name}`;
  if (PYTHON_KEYWORDS.has(name) || RESERVED.has(name)) name = `${name}_`;
  return name;
}

/** Hands out unique attribute names: `base`, then `base_2`, `base_3`, … */
export class NameAllocator {
  readonly #taken = new Set<string>();

  take(base: string): string {
    const root = pythonIdentifier(base);
    let name = root;
    for (let n = 2; this.#taken.has(name) || RESERVED.has(name) || PYTHON_KEYWORDS.has(name); n++) name = `${root}_${n}`;
    this.#taken.add(name);
    return name;
  }
}

export interface ModuleNames {
  /** layerId → the layer's attribute name (and the prefix of its state-dict keys). */
  layer: Map<string, string>;
  /** The allocator, with every layer name taken, for helper modules (activations, flattens). */
  extra: NameAllocator;
}

/** One attribute name per layer, in layer order. Layer names are fixed before any helper name, so a
 *  helper (`conv1_act`) can never push a layer's key to another name. */
export function moduleNames(spec: NetworkSpec): ModuleNames {
  const alloc = new NameAllocator();
  const layer = new Map<string, string>();
  for (const l of forwardOrder(spec.layers)) if (!layer.has(l.id)) layer.set(l.id, alloc.take(l.id));
  return { layer, extra: alloc };
}
