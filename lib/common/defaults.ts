/**
 * `props` with `defaults` applied where a prop is unset: each construct resolves its props once,
 * at the top of its constructor, and reads only the resolved object after that.
 */
export type Resolved<P, D> = Omit<P, keyof D> & { readonly [K in keyof D]-?: K extends keyof P ? Exclude<P[K], undefined> : D[K] };

export function withDefaults<P extends object, D extends object>(props: P, defaults: D): Resolved<P, D> {
  const defined = Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined));
  return { ...defaults, ...defined } as Resolved<P, D>;
}
