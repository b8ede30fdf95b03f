import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';

/**
 * A route's validator that takes a JSON body exactly as written. The server's Ajv coerces types, which
 * querystrings need (`limit=5` is text), but in a body it would turn `false` or `42` into the string an
 * id pattern accepts: a request the schema refuses must be refused.
 */
export const strictBodyValidator: FastifySchemaCompiler<unknown> = ({ schema }) => {
  const checker = TypeCompiler.Compile(schema as TSchema);
  return (data: unknown) => {
    if (checker.Check(data)) return { value: data };
    const validation = [...checker.Errors(data)].map((issue) => ({ keyword: 'type', instancePath: issue.path, schemaPath: '', params: {}, message: issue.message }));
    const first = validation[0];
    const error = Object.assign(new Error(`body${first?.instancePath ?? ''} ${first?.message ?? 'is invalid'}`), { validation, validationContext: 'body', statusCode: 400 });
    return { error };
  };
};
