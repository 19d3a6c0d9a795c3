// The Fastify instance with Linbo's HTTP conventions: problem JSON errors, strict body validation,
// TypeBox types, one log line per request with its duration and status.
import Fastify, { LogController, type FastifyReply, type FastifyRequest, type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from 'pino';
import { registerProblemHandlers } from './problem.ts';
import { registerValidators } from './validation.ts';

export interface ServerOptions {
  logger: Logger;
  trustProxy: boolean;
  /** Tests close the server while a browser still holds keep-alive connections; don't wait for them. */
  forceCloseConnections?: boolean;
}

/** One line per request, when it completes, with what an operator greps for. */
class RequestLog extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = { method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) };
    if (error) reply.log.error({ ...line, err: error }, 'request');
    else reply.log.info(line, 'request');
  }
}

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

export function createServer(options: ServerOptions): App {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    logController: new RequestLog(),
    trustProxy: options.trustProxy,
    bodyLimit: 256 * 1024,
    forceCloseConnections: options.forceCloseConnections ?? 'idle',
    routerOptions: { ignoreTrailingSlash: true },
  });
  registerValidators(app);
  registerProblemHandlers(app);
  return app.withTypeProvider<TypeBoxTypeProvider>();
}
