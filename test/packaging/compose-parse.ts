// Reading compose files in tests without Compose: the parsed YAML as mappings and lists, a
// service's environment, and the variables compose would interpolate.
import assert from 'node:assert/strict';

export type Obj = Record<string, unknown>;

export const obj = (v: unknown, what: string): Obj => {
  assert.ok(v !== null && typeof v === 'object' && !Array.isArray(v), `${what} should be a mapping`);
  return v as Obj;
};

export const list = (v: unknown, what: string): unknown[] => {
  assert.ok(Array.isArray(v), `${what} should be a list`);
  return v;
};

/** Compose's `environment` as a map, from either its mapping or its list form. */
export function environment(service: Obj): Record<string, string> {
  const env = service.environment;
  if (env === undefined) return {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((e) => {
      const s = String(e);
      const i = s.indexOf('=');
      return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
    }));
  }
  return Object.fromEntries(Object.entries(obj(env, 'environment')).map(([k, v]) => [k, v == null ? '' : String(v)]));
}

/** Every string (keys included) anywhere in a parsed document; comments are already gone. */
export function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => [k, ...strings(x)]);
  return v == null ? [] : [String(v)];
}

/** Variables compose interpolates: ${VAR}, ${VAR:-x}, ${VAR:?msg}, $VAR; `$$` is a literal dollar. */
export function interpolated(doc: unknown): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const s of strings(doc)) {
    for (const m of s.matchAll(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g)) {
      const name = m[1] ?? m[3];
      if (!name) continue;
      found.set(name, [...(found.get(name) ?? []), m[0]]);
    }
  }
  return found;
}

/** "45s", "1m30s" → seconds. */
export function seconds(duration: unknown): number {
  const text = String(duration);
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us)/g)];
  assert.ok(parts.length && parts.map((p) => p[0]).join('') === text, `"${text}" is not a compose duration`);
  const unit: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001, us: 0.000001 };
  return parts.reduce((sum, p) => sum + Number(p[1]) * (unit[p[2] as string] as number), 0);
}
