/**
 * Checks a JSON value against the subset of JSON Schema that REPORT_JSON_SCHEMA uses (type,
 * const, enum, required, properties, items, minimum, maximum). Returns one message per
 * violation, with a JSON-pointer-like path; an empty list means valid.
 */
export type SchemaNode = {
  readonly type?: string | readonly string[];
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly required?: readonly string[];
  readonly properties?: { readonly [name: string]: SchemaNode };
  readonly items?: SchemaNode;
  readonly minimum?: number;
  readonly maximum?: number;
};

export function checkJsonSchema(value: unknown, schema: SchemaNode, path = ''): string[] {
  const errors: string[] = [];
  const at = path === '' ? '/' : path;
  if (schema.type !== undefined) {
    const types = typeof schema.type === 'string' ? [schema.type] : schema.type;
    if (!types.some((type) => hasType(value, type))) {
      errors.push(`${at}: expected ${types.join(' or ')}, got ${describe(value)}`);
      return errors;
    }
  }
  if (schema.const !== undefined && value !== schema.const) errors.push(`${at}: expected ${JSON.stringify(schema.const)}`);
  if (schema.enum !== undefined && !schema.enum.includes(value)) errors.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${at}: ${value} < ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${at}: ${value} > ${schema.maximum}`);
  }
  if (Array.isArray(value) && schema.items !== undefined) {
    value.forEach((item, index) => errors.push(...checkJsonSchema(item, schema.items!, `${path}/${index}`)));
  }
  if (isObject(value)) {
    for (const name of schema.required ?? []) if (!(name in value)) errors.push(`${at}: missing ${name}`);
    for (const [name, child] of Object.entries(schema.properties ?? {})) {
      if (name in value) errors.push(...checkJsonSchema(value[name], child, `${path}/${name}`));
    }
  }
  return errors;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    default:
      return typeof value === type;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
