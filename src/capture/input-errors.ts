import { CaptureError } from './capture-error.js';
import { GzipDamage } from './gzip-members.js';

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  EIO: 'input/output error',
  ENXIO: 'no such device',
};

/**
 * The operating system's reason for an I/O failure, without the path: the CLI prefixes every
 * capture message with the file name itself.
 */
export function systemReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code !== undefined && REASONS[code] !== undefined) return REASONS[code];
  const message = error instanceof Error ? error.message : String(error);
  // Node's form is "ECODE: reason, syscall 'path'".
  const match = /^[A-Z0-9_]+: ([^,]+)/.exec(message);
  const reason = match !== null ? match[1] : message.split('\n')[0];
  return reason.charAt(0).toLowerCase() + reason.slice(1);
}

export function cannotOpen(error: unknown): CaptureError {
  return new CaptureError('unreadable', `cannot open: ${systemReason(error)}`, 0);
}

/**
 * Turns an error raised while pulling input (a read error or a gzip error) into the CaptureError
 * the caller documents; CaptureErrors pass through.
 */
export function inputFailure(error: unknown, framesRead: number): CaptureError {
  if (error instanceof CaptureError) return error;
  if (error instanceof GzipDamage) {
    if (error.kind === 'truncated') return new CaptureError('truncated', `truncated after frame ${framesRead}: ${error.message}`, framesRead);
    // A bad first header: nothing was read, so the input is unreadable rather than damaged part-way.
    return new CaptureError(error.kind, `corrupt gzip data after frame ${framesRead} (${error.message})`, framesRead);
  }
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'Z_BUF_ERROR') {
    return new CaptureError('truncated', `truncated after frame ${framesRead}: gzip data cut short`, framesRead);
  }
  if (code !== undefined && code.startsWith('Z_')) {
    const detail = error instanceof Error ? error.message : code;
    return new CaptureError('damaged', `corrupt gzip data after frame ${framesRead} (${detail})`, framesRead);
  }
  return new CaptureError('unreadable', `cannot read: ${systemReason(error)}`, framesRead);
}
