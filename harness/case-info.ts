// The one builder of a case's identity, for every claim shape: "suite › flag set › claim [how it ran]".
import type { CaseInfo } from './case.ts';
import type { Need } from './needs/index.ts';

export interface CaseParts {
  readonly suite: string;
  /** The flag set's name ("user+uts", "none"). */
  readonly flagSet: string;
  /** The claim's sentence. */
  readonly claim: string;
  /** How this case runs, e.g. ['clone3', 'root'] or ['unprivileged'] or ['harness']: the id's bracket and the JUnit classname. */
  readonly run: readonly string[];
  readonly specIds: readonly string[];
  readonly manPage: string;
  readonly needs: readonly Need[];
  readonly serial?: boolean;
  readonly properties: Readonly<Record<string, string>>;
}

export function caseInfo(parts: CaseParts): CaseInfo {
  const name = `${parts.flagSet} › ${parts.claim}`;
  return {
    id: `${parts.suite} › ${name} [${parts.run.join(', ')}]`,
    suite: parts.suite,
    classname: [parts.suite, ...parts.run].join('.'),
    name,
    claim: parts.claim,
    specIds: parts.specIds,
    manPage: parts.manPage,
    needs: parts.needs,
    serial: parts.serial ?? false,
    properties: parts.properties,
  };
}
