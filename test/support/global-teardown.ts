/** Stops the private redis-server that global-setup started, if any. */
export default function globalTeardown(): void {
  const pid = Number(process.env.QSLAM_TEST_REDIS_PID);
  if (pid > 0) {
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}
