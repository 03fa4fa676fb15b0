/**
 * Errors from the disk that leave a log dir unusable: a full disk or quota, an I/O error, a
 * file system gone read-only, a file past the size limit. Apache's LogDirFailureChannel takes
 * the dir offline on any IOException and halts the broker when no log dir is left; with one
 * log dir (what this broker is run with), that is a halt.
 */
const STORAGE_ERROR_CODES = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EROFS', 'EFBIG']);

export function isStorageError(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && STORAGE_ERROR_CODES.has((err as NodeJS.ErrnoException).code ?? '');
}
