import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** A command that cannot run now, for a reason the operator can fix; printed as one line, exit 1. */
export class InUseError extends Error {
  override readonly name = 'InUseError';
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * PGlite has no lock of its own and two processes on one data directory corrupt it, so every trellis
 * process holds `<dataDir>/trellis.lock` (its pid) while the database is open. A lock whose process is gone
 * is taken over. Returns the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'trellis.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let released = false;
      return () => {
        if (!released) rmSync(path, { force: true });
        released = true;
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        throw new InUseError(
          `The database in ${resolve(dataDir)} is in use by process ${holder} (a running "trellis serve"?): ` +
            `PGlite admits one process at a time, so stop it first, or use PostgreSQL (DATABASE_URL). ` +
            `If no such process is Trellis, delete ${join(resolve(dataDir), 'trellis.lock')}.`,
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new InUseError(`Could not take the lock ${join(resolve(dataDir), 'trellis.lock')}; try again.`);
}
