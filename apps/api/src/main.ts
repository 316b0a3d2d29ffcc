/**
 * API entry point: HTTP only. Every request is answered from the database, the workspace or
 * Redis; long work is enqueued for the workers.
 */
import 'reflect-metadata';
import { Logger, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { APP_CONFIG, AppConfig } from '@qslam/common';
import { ApiModule } from './api.module';
import { setupSwagger } from './swagger';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule, {
    logger: ['log', 'warn', 'error'],
    bodyParser: true,
  });
  const config = app.get<AppConfig>(APP_CONFIG);
  app.useBodyParser('json', { limit: '1mb' });
  app.enableCors({ origin: config.corsOrigins });
  // JSON answers change with every poll; hashing each for an ETag is wasted work.
  app.set('etag', false);
  app.disable('x-powered-by');
  app.useGlobalPipes(
    new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true }),
  );
  app.enableShutdownHooks();
  setupSwagger(app);
  await app.listen(config.port, config.host);
  new Logger('API').log(`listening on http://${config.host}:${config.port} (Swagger UI at /docs)`);
}

bootstrap().catch((err: unknown) => {
  console.error('API failed to start:', err);
  process.exit(1);
});
