import { Module } from '@nestjs/common';
import { ConfigModule } from '@qslam/common';
import { DbModule } from '@qslam/db';
import { JobExecutor } from './job-executor';
import { JobFinisher } from './job-finisher';
import { StepQueueConsumer } from './step-queue.consumer';

@Module({
  imports: [ConfigModule, DbModule],
  providers: [JobExecutor, JobFinisher, StepQueueConsumer],
})
export class WorkerModule {}
