/** Swagger pieces shared by the controllers: the run id parameter and the error shape. */
import { applyDecorators } from '@nestjs/common';
import { ApiParam, ApiResponse } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';

export const RUN_ID_PARAM = { name: 'id', description: 'Run id (UUID)' };

/** Every 4xx/5xx body (DomainExceptionFilter). */
export const ERROR_SCHEMA = {
  type: 'object',
  required: ['statusCode', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer', example: 409 },
    error: { type: 'string', example: 'Conflict' },
    message: {
      type: 'string',
      description: 'What is wrong, naming the field, file, record or job at fault',
    },
    details: { type: 'object', description: 'Machine-readable specifics (field, job_id, ...)' },
  },
};

/** An endpoint under /runs/{id}: the id parameter and the 404 of an unknown run. */
export function RunScoped(): MethodDecorator {
  return applyDecorators(
    ApiParam(RUN_ID_PARAM),
    ApiResponse({ status: 404, description: 'No such run (or the id is not a UUID)' }),
  );
}

/** Gives every error response of the document the error schema. */
export function withErrorSchemas(doc: OpenAPIObject): OpenAPIObject {
  for (const operations of Object.values(doc.paths)) {
    for (const op of Object.values(operations as Record<string, unknown>)) {
      const responses = (op as { responses?: Record<string, Record<string, unknown>> }).responses;
      for (const [code, response] of Object.entries(responses ?? {})) {
        if (Number(code) >= 400 && !response.content) {
          response.content = { 'application/json': { schema: ERROR_SCHEMA } };
        }
      }
    }
  }
  return doc;
}
