// Why: one place acquires the GPU. It reports what the adapter is and can do, explains in plain
// words what to do when WebGPU is missing, and turns a lost device into an event the rest can act on.
import { detectSoftware } from './adapter-profile';
import { pickLimits, type GpuLimits } from './limits';

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** True when the adapter is a software rasteriser (SwiftShader), for display; kernels read the
   *  profile (adapter-profile.ts), which tests and `?profile=` can force. */
  isSoftware: boolean;
  /** The browser's own word that this is its fallback (software) adapter, where it says so. */
  isFallbackAdapter?: boolean;
  features: string[];
}

export type { GpuLimits } from './limits';

export type WebGpuUnavailableReason = 'no-navigator-gpu' | 'no-adapter' | 'device-request-failed' | 'insecure-context';

/** Thrown when this browser cannot give us a GPUDevice; `help` says what to do about it. */
export class WebGpuUnavailableError extends Error {
  override name = 'WebGpuUnavailableError';
  constructor(
    readonly reason: WebGpuUnavailableReason,
    detail: string,
    readonly help: string,
  ) {
    super(detail);
  }
}

export const WEBGPU_HELP =
  'convplay trains on your GPU through WebGPU. Use a current Chrome, Edge or Chromium (version 113 or later; ' +
  'Safari 26 and Firefox 141 on Windows also work). On Linux, start Chromium with ' +
  '--enable-unsafe-webgpu --enable-features=Vulkan (add --enable-unsafe-swiftshader on a machine without a GPU). ' +
  'Open the page from http://localhost or https, not from a file.';

export interface DeviceLostInfo {
  reason: GPUDeviceLostReason;
  message: string;
}

function summarise(info: GPUAdapterInfo & { isFallbackAdapter?: boolean }, features: Iterable<string>): AdapterSummary {
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isSoftware: detectSoftware(info),
    ...(info.isFallbackAdapter !== undefined && { isFallbackAdapter: info.isFallbackAdapter }),
    features: [...features].sort(),
  };
}

export interface AcquiredDevice {
  device: GPUDevice;
  adapter: AdapterSummary;
  limits: GpuLimits;
  /** Resolves once, when the device is lost (destroy() included). */
  lost: Promise<DeviceLostInfo>;
}

/**
 * Requests an adapter and a device with the adapter's own storage and workgroup limits (the defaults
 * are smaller than many adapters allow, and a big conv layer needs the larger binding size).
 */
export async function acquireDevice(
  gpu: GPU | null = (globalThis.navigator as Navigator | undefined)?.gpu ?? null,
): Promise<AcquiredDevice> {
  if (globalThis.isSecureContext === false) {
    throw new WebGpuUnavailableError('insecure-context', 'This page is not in a secure context, so WebGPU is hidden.', WEBGPU_HELP);
  }
  if (!gpu) {
    throw new WebGpuUnavailableError('no-navigator-gpu', 'This browser does not expose WebGPU (navigator.gpu is missing).', WEBGPU_HELP);
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    throw new WebGpuUnavailableError('no-adapter', 'WebGPU is present but no GPU adapter was offered (it may be disabled or blocklisted).', WEBGPU_HELP);
  }
  const a = adapter.limits;
  const requiredLimits: Record<string, number> = {
    maxStorageBufferBindingSize: a.maxStorageBufferBindingSize,
    maxBufferSize: a.maxBufferSize,
    maxComputeInvocationsPerWorkgroup: a.maxComputeInvocationsPerWorkgroup,
    maxComputeWorkgroupStorageSize: a.maxComputeWorkgroupStorageSize,
    maxComputeWorkgroupSizeX: a.maxComputeWorkgroupSizeX,
    maxComputeWorkgroupSizeY: a.maxComputeWorkgroupSizeY,
    maxStorageBuffersPerShaderStage: a.maxStorageBuffersPerShaderStage,
  };
  // subgroups: the SIMD quads of conv2d-rows-grad-weight share loads (SwiftShader has them).
  const wanted = ['timestamp-query', 'subgroups'] as GPUFeatureName[];
  const requiredFeatures = wanted.filter((f) => adapter.features.has(f));
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({ requiredLimits, requiredFeatures, label: 'convplay' });
  } catch (e) {
    throw new WebGpuUnavailableError('device-request-failed', `The GPU adapter refused to create a device: ${String(e)}`, WEBGPU_HELP);
  }
  const lost = device.lost.then((info) => ({ reason: info.reason, message: info.message }));
  return { device, adapter: summarise(adapter.info, device.features as unknown as Iterable<string>), limits: pickLimits(device.limits), lost };
}
