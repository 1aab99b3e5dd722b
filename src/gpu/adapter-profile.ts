// Why: what is fast differs by adapter (PERFORMANCE-NOTES.md: on SwiftShader, a CPU, big register tiles
// without workgroup memory win; on a real GPU, workgroup-memory tiles in 64–256-thread workgroups win).
// This module decides, once per device, which family of kernels the adapter gets, and records what the
// strategy modules (kernels/*-strategy.ts) may read: vendor, architecture, subgroups, limits. The choice
// can be forced (`?profile=hardware` on a page, the same in a worker's name, or setProfileOverride in
// tests) so the hardware kernels run, and are tested, on SwiftShader too.
import type { GpuLimits } from './limits';

export type ProfileKind = 'software' | 'hardware';

export interface AdapterProfile {
  /** Which kernel family the strategies pick. */
  kind: ProfileKind;
  /** The adapter itself is a software rasteriser (whatever `kind` was forced to). */
  detectedSoftware: boolean;
  /** True when `kind` was forced (query, worker name, test hook) rather than detected. */
  forced: boolean;
  vendor: string;
  architecture: string;
  /** The device has the 'subgroups' feature. */
  subgroups: boolean;
  /** The device has the 'timestamp-query' feature. */
  timestamps: boolean;
  limits: GpuLimits;
}

/** What the profile is computed from: the adapter's info and the device's features and limits. */
export interface ProfileInput {
  info: Pick<GPUAdapterInfo, 'vendor' | 'architecture' | 'device' | 'description'> & { isFallbackAdapter?: boolean };
  features: readonly string[];
  limits: GpuLimits;
}

/** A software rasteriser: SwiftShader (Chromium's), llvmpipe, or one the browser flags as the fallback. */
export function detectSoftware(info: ProfileInput['info']): boolean {
  const text = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`.toLowerCase();
  return info.isFallbackAdapter === true || text.includes('swiftshader') || text.includes('llvmpipe') || text.includes('software');
}

let override: ProfileKind | undefined;

/** Test hook: forces the kind of every profile computed afterwards (undefined: detect again). */
export function setProfileOverride(kind: ProfileKind | undefined): void {
  override = kind;
}

const parseKind = (v: string | null | undefined): ProfileKind | undefined => (v === 'hardware' || v === 'software' ? v : undefined);

/**
 * The kind asked for by the environment: `?profile=` in a page's URL, or `profile=` in a worker's name
 * (the page passes its query on when it starts the engine worker; a worker's own URL is the script's).
 */
export function requestedProfile(): ProfileKind | undefined {
  const g = globalThis as { location?: { search?: string }; name?: unknown };
  const fromQuery = parseKind(g.location?.search ? new URLSearchParams(g.location.search).get('profile') : undefined);
  const fromName = typeof g.name === 'string' ? parseKind(/(?:^|[;?&])profile=(\w+)/.exec(g.name)?.[1]) : undefined;
  return fromQuery ?? fromName;
}

/** The profile of one device: detected, unless forced by `force`, the test hook or the environment. */
export function computeProfile(input: ProfileInput, force?: ProfileKind): AdapterProfile {
  const detectedSoftware = detectSoftware(input.info);
  const forcedKind = force ?? override ?? requestedProfile();
  return {
    kind: forcedKind ?? (detectedSoftware ? 'software' : 'hardware'),
    detectedSoftware,
    forced: forcedKind !== undefined,
    vendor: input.info.vendor,
    architecture: input.info.architecture,
    subgroups: input.features.includes('subgroups'),
    timestamps: input.features.includes('timestamp-query'),
    limits: input.limits,
  };
}
