/**
 * The one place where errors become HTTP responses. Domain errors carry their status and a
 * message that names the field, file or record at fault; Nest's HttpExceptions (validation
 * pipe, unknown routes) pass through with their own status; anything else is a bug: logged with
 * its stack and answered 500 without internals.
 */
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { Response } from 'express';
import { DomainError } from '@qslam/common';

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  details?: Record<string, unknown>;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  416: 'Range Not Satisfiable',
  422: 'Unprocessable Entity',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly log = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof DomainError) {
      const status = exception.status;
      return {
        statusCode: status,
        error: REASONS[status] ?? 'Error',
        message: exception.message,
        ...(exception.details ? { details: exception.details } : {}),
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message =
        typeof response === 'string'
          ? response
          : ((response as { message?: string | string[] }).message ?? exception.message);
      return { statusCode: status, error: REASONS[status] ?? exception.name, message };
    }
    this.log.error(exception instanceof Error ? (exception.stack ?? exception.message) : exception);
    return { statusCode: 500, error: REASONS[500], message: 'Internal server error' };
  }
}
