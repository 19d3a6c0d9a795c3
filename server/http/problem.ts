// RFC 9457 problem details: one error handler for the whole API, so every failure has the same shape
// and a stable `code`, and 5xx bodies never show internals.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, ERRORS, type ErrorCode } from './errors.ts';

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail?: string;
  instance?: string;
  [extra: string]: unknown;
}

export function problemOf(code: ErrorCode, detail?: string, instance?: string, extra?: Record<string, unknown>): Problem {
  const { status, title } = ERRORS[code];
  return {
    type: `https://linbo.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title,
    status,
    code,
    ...(detail && detail !== title ? { detail } : {}),
    ...(instance ? { instance } : {}),
    ...extra,
  };
}

function classify(error: FastifyError): { code: ErrorCode; detail?: string; extra?: Record<string, unknown> } {
  if (error instanceof ApiError) return { code: error.code, detail: error.message, extra: error.extra };
  if (error.validation) {
    return {
      code: 'VALIDATION_FAILED',
      detail: error.message,
      extra: {
        errors: error.validation.map((v) => ({
          in: error.validationContext,
          path: v.instancePath || '/',
          message: v.message,
          ...(v.params && 'additionalProperty' in v.params ? { field: v.params.additionalProperty } : {}),
        })),
      },
    };
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { code: 'MALFORMED_JSON', detail: error.message };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
      return { code: 'BODY_TOO_LARGE', detail: error.message };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return { code: 'UNSUPPORTED_MEDIA_TYPE', detail: error.message };
  }
  if (error.statusCode === 400 && error instanceof SyntaxError) return { code: 'MALFORMED_JSON', detail: error.message };
  if (error.statusCode === 413) return { code: 'BODY_TOO_LARGE' };
  if (error.statusCode === 415) return { code: 'UNSUPPORTED_MEDIA_TYPE' };
  if (error.statusCode === 404) return { code: 'NOT_FOUND' };
  if (error.statusCode === 400) return { code: 'VALIDATION_FAILED', detail: error.message };
  return { code: 'INTERNAL' };
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.status(problem.status).type('application/problem+json; charset=utf-8').send(problem);
}

export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const { code, detail, extra } = classify(error);
    const problem = problemOf(code, ERRORS[code].status >= 500 ? undefined : detail, request.url, extra);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problemOf('NOT_FOUND', `${request.method} ${request.url.split('?')[0]} is not a route`, request.url)),
  );
}
