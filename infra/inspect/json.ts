/** bigints as strings (positions), Sets as arrays and Maps as objects (aggregate states). */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === 'bigint') return v.toString();
      if (v instanceof Set) return [...v];
      if (v instanceof Map) return Object.fromEntries(v);
      return v;
    },
    indent,
  );
}

/** A value as JSON would carry it (bigints, Sets and Maps made plain): what an HTTP answer can serialize. */
export const plainJson = (value: unknown): unknown => JSON.parse(toJson(value) ?? 'null') as unknown;
