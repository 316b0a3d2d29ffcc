// Genome names: the same rule as the run parameter `genome` (@qslam/params), because a run
// names its genome by it and the name becomes a directory under QSLAM_DATA_DIR/references.
// 1-64 letters, digits, `.`, `_` or `-`, starting with a letter or digit: never `..`, never a
// path separator, never a hidden directory.

import { InvalidInputError } from '@qslam/common';
import { GENOME_NAME_PATTERN } from '@qslam/params';

export function isGenomeName(name: string): boolean {
  return GENOME_NAME_PATTERN.test(name);
}

/** Returns the name, or throws InvalidInputError (400) naming the rule. */
export function checkGenomeName(name: unknown, field = 'name'): string {
  if (typeof name !== 'string' || !isGenomeName(name)) {
    throw new InvalidInputError(
      `${field} must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit` +
        (typeof name === 'string' ? `, got '${name}'` : ''),
      { field },
    );
  }
  return name;
}
