// The claim kit: everything a claim file imports, from one place (CONTRIBUTING.md "Add a claim").
// A claim is an exported `SpecClaim` in a file of its suite's folder; suites/registry.ts finds it there.
export { Script, type ScriptIdentity } from './script/builder.ts';
export { expect, type Check, type Ref, type Rule } from './script/checks.ts';
export * from './script/constants.ts';
export { bytes, CASE_CGROUP, inet, ifreq, abstractUnix, out, ref, str, u64le } from './script/encode.ts';
export { ALL_CAPS, allCapsBut, capBit, capsetArgs, knownCaps } from './script/capabilities.ts';
export type { Priv, SpecClaim, SpecVariant } from './script/spec-claim.ts';
export { record, type HarnessClaim } from './script/harness-claim.ts';
export type { Need } from './needs/index.ts';
export { getNamespace, NAMESPACES, type NamespaceKind, type NamespaceName } from './namespaces.ts';
// What the environment offers a script: the other user's id, the cgroup2 mount, the root block device, host tools.
export { otherUserId } from './other-user-id.ts';
export { cgroup2Mount, rootBlockDevice } from './env/filesystems.ts';
export { HOST_TOOLS, needsTools, toolPath } from './env/host-tools.ts';
