import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const cores = os.availableParallelism();
    const config = loadConfig({});
    expect(config).toEqual({
      port: 5000,
      host: '0.0.0.0',
      dataDir: path.join(process.cwd(), 'data'),
      dbPath: path.join(process.cwd(), 'data', 'qslam.db'),
      runsDir: path.join(process.cwd(), 'data', 'runs'),
      referencesDir: path.join(process.cwd(), 'data', 'references'),
      redisUrl: 'redis://127.0.0.1:6379',
      queuePrefix: 'qslam',
      workerConcurrency: cores,
      threadsPerJob: 1,
      deploymentMode: 'local',
      corsOrigins: true,
      killGraceMs: 10_000,
      jobLockMs: 30_000,
      jobNice: 10,
      maxUploadBytes: 50 * 1024 ** 3,
      heartbeatMs: 2_000,
    });
  });

  it('lays the data directory out under QSLAM_DATA_DIR, made absolute', () => {
    const config = loadConfig({ QSLAM_DATA_DIR: 'rel/dir' });
    const root = path.resolve('rel/dir');
    expect(path.isAbsolute(config.dataDir)).toBe(true);
    expect([config.dataDir, config.dbPath, config.runsDir, config.referencesDir]).toEqual([
      root,
      `${root}/qslam.db`,
      `${root}/runs`,
      `${root}/references`,
    ]);
    expect(loadConfig({ QSLAM_DATA_DIR: '/srv/qslam/' }).runsDir).toBe('/srv/qslam/runs');
  });

  it('reads every knob from the environment', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      REDIS_URL: 'redis://redis:6380/2',
      QSLAM_QUEUE_PREFIX: 'test1',
      QSLAM_WORKER_CONCURRENCY: '3',
      QSLAM_THREADS_PER_JOB: '4',
      QSLAM_DEPLOYMENT_MODE: 'team',
      QSLAM_CORS_ORIGINS: ' http://a.org , ,http://b.org',
      QSLAM_KILL_GRACE_MS: '0',
      QSLAM_JOB_LOCK_MS: '5000',
      QSLAM_MAX_UPLOAD_BYTES: '1024',
      QSLAM_HEARTBEAT_MS: '100',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      redisUrl: 'redis://redis:6380/2',
      queuePrefix: 'test1',
      workerConcurrency: 3,
      threadsPerJob: 4,
      deploymentMode: 'team',
      corsOrigins: ['http://a.org', 'http://b.org'],
      killGraceMs: 0,
      jobLockMs: 5000,
      maxUploadBytes: 1024,
      heartbeatMs: 100,
    });
  });

  it('shares the cores between concurrent jobs by default', () => {
    const cores = os.availableParallelism();
    expect(loadConfig({ QSLAM_WORKER_CONCURRENCY: '1' }).threadsPerJob).toBe(cores);
    expect(loadConfig({ QSLAM_WORKER_CONCURRENCY: String(cores * 4) }).threadsPerJob).toBe(1);
  });

  it('treats empty values and "*" as unset', () => {
    expect(loadConfig({ PORT: '', QSLAM_DATA_DIR: '' }).port).toBe(5000);
    expect(loadConfig({ QSLAM_CORS_ORIGINS: '*' }).corsOrigins).toBe(true);
    expect(loadConfig({ QSLAM_CORS_ORIGINS: '  ' }).corsOrigins).toBe(true);
  });

  it('rejects bad values, naming the variable', () => {
    const cases: Array<[NodeJS.ProcessEnv, string]> = [
      [{ PORT: 'http' }, 'PORT must be an integer >= 0, got "http"'],
      [{ PORT: '50.5' }, 'PORT must be an integer >= 0, got "50.5"'],
      [{ PORT: '-1' }, 'PORT must be an integer >= 0, got "-1"'],
      [{ QSLAM_WORKER_CONCURRENCY: '0' }, 'QSLAM_WORKER_CONCURRENCY must be an integer >= 1'],
      [{ QSLAM_THREADS_PER_JOB: '0' }, 'QSLAM_THREADS_PER_JOB must be an integer >= 1'],
      [{ QSLAM_JOB_LOCK_MS: '999' }, 'QSLAM_JOB_LOCK_MS must be an integer >= 1000'],
      [{ QSLAM_HEARTBEAT_MS: '10' }, 'QSLAM_HEARTBEAT_MS must be an integer >= 100'],
      [{ QSLAM_MAX_UPLOAD_BYTES: '0' }, 'QSLAM_MAX_UPLOAD_BYTES must be an integer >= 1'],
      [{ QSLAM_DEPLOYMENT_MODE: 'cloud' }, 'QSLAM_DEPLOYMENT_MODE must be one of local|team|trial'],
    ];
    for (const [env, message] of cases) {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(message);
    }
  });
});
