import { afterEach, describe, expect, it } from 'vitest';
import { testGpu } from '../testing/gpu';
import { computeProfile, detectSoftware, setProfileOverride, type ProfileInput } from './adapter-profile';

const limits = { maxComputeInvocationsPerWorkgroup: 256 } as ProfileInput['limits'];
const info = (o: Partial<ProfileInput['info']>): ProfileInput['info'] => ({ vendor: '', architecture: '', device: '', description: '', ...o });

describe('adapter profile', () => {
  afterEach(() => setProfileOverride(undefined));

  it('detects software adapters by name or by the fallback flag', () => {
    expect(detectSoftware(info({ vendor: 'google', architecture: 'swiftshader' }))).toBe(true);
    expect(detectSoftware(info({ description: 'llvmpipe (LLVM 15.0.7, 256 bits)' }))).toBe(true);
    expect(detectSoftware(info({ vendor: 'nvidia', architecture: 'hopper', isFallbackAdapter: true }))).toBe(true);
    expect(detectSoftware(info({ vendor: 'nvidia', architecture: 'hopper' }))).toBe(false);
    expect(detectSoftware(info({ vendor: 'apple', architecture: 'metal-3' }))).toBe(false);
  });

  it('records vendor, architecture, subgroups, timestamps and limits; forcing changes only the kind', () => {
    const input = { info: info({ vendor: 'nvidia', architecture: 'hopper' }), features: ['subgroups', 'timestamp-query'], limits };
    const p = computeProfile(input);
    expect(p).toMatchObject({ kind: 'hardware', detectedSoftware: false, forced: false, vendor: 'nvidia', architecture: 'hopper', subgroups: true, timestamps: true });
    expect(p.limits).toBe(limits);
    expect(computeProfile(input, 'software')).toMatchObject({ kind: 'software', detectedSoftware: false, forced: true });
    setProfileOverride('software');
    expect(computeProfile(input).kind).toBe('software');
    expect(computeProfile(input, 'hardware').kind).toBe('hardware');
  });

  it('a device reports its detected kind; testGpu(profile) forces it (SwiftShader here)', async () => {
    const detected = await testGpu();
    expect(detected.profile.kind).toBe(detected.adapter.isSoftware ? 'software' : 'hardware');
    const hw = await testGpu('hardware');
    expect(hw.profile).toMatchObject({ kind: 'hardware', forced: true, detectedSoftware: detected.adapter.isSoftware });
  });
});
