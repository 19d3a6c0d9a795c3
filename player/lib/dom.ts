// A few lines instead of a framework: resident pages must load fast on old phones.
type Attrs = Record<string, string | boolean | undefined>;
type Child = Node | string | null | undefined | false;

/** An element with attributes (false/undefined ones left out) and children (falsy ones skipped). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  // No destructuring: esbuild cannot lower it for Safari 13, which the bundles target.
  for (const name of Object.keys(attrs)) {
    const value = attrs[name];
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) if (child) el.append(child);
  return el;
}

/** The page's initial data, written by the server as inline JSON. */
export function readBoot<T>(): T {
  return JSON.parse(document.getElementById('boot')!.textContent!) as T;
}

/** Replaces the app's content. */
export function mount(...children: Child[]): void {
  document.getElementById('app')!.replaceChildren(...children.filter((c): c is Node | string => !!c));
}
