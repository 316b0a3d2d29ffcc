import { Module } from '@nestjs/common';
import { ConfigModule } from '@qslam/common';
import { DbModule } from '@qslam/db';
import { GenomeJobExecutor } from './genome-job.executor';
import { GenomeQueueConsumer } from './genome-queue.consumer';
import { GenomeWait } from './genome-wait';
import { JobExecutor } from './job-executor';
import { JobFinisher } from './job-finisher';
import { StepQueueConsumer } from './step-queue.consumer';

@Module({
  imports: [ConfigModule, DbModule],
  providers: [
    JobExecutor,
    JobFinisher,
    StepQueueConsumer,
    GenomeWait,
    GenomeJobExecutor,
    GenomeQueueConsumer,
  ],
})
export class WorkerModule {}
