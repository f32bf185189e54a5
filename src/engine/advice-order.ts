/**
 * The order advice is shown in, to a person: the largest saving first (params, then MACs), a stable sort, so that
 * equal savings keep the contract's rule order and the savings-free warnings (rule 5) come last. The Advice tab and
 * `convas summary`'s table both use it; `summary --json` keeps the contract's order.
 * @example bySaving(advice).map((a) => a.paramsDelta) // → [-96704, -75760, -28608, 0]
 */
export function bySaving<A extends { paramsDelta: number; macsDelta: number }>(advice: readonly A[]): A[] {
  return [...advice].sort((a, b) => a.paramsDelta - b.paramsDelta || a.macsDelta - b.macsDelta);
}
