/**
 * Worker entry point: consumes step jobs from Redis and runs their tools. Start as many
 * workers as you like (on one or several hosts sharing QSLAM_DATA_DIR and REDIS_URL).
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule, {
    logger: ['log', 'warn', 'error'],
  });
  app.enableShutdownHooks();
}

bootstrap().catch((err: unknown) => {
  console.error('worker failed to start:', err);
  process.exit(1);
});
