// Types of bin/runner-bundle.js for the TypeScript that imports it (harness/vm/guest-entry.ts).
export declare const RUNNER_BUNDLE: string;
export declare const JANITOR_BUNDLE: string;
export declare function bundleRunner(projectDir: string): Promise<string>;
export declare function freshRunner(projectDir: string): Promise<string | null>;
