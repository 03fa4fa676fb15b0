import { parentOf } from '../tree/path-validation.js';
import type { Acl } from '../tree/acl.js';
import { KeeperState, type WatchedEvent, type Watcher } from './watch-types.js';

/** Watch modes a watcher holds on one path, as bits (Apache's `WatchStats`). */
export const WatchMode = {
  STANDARD: 1,
  PERSISTENT: 2,
  PERSISTENT_RECURSIVE: 4,
} as const;

/**
 * Apache's `WatchManager`: path → watchers and watcher → (path → modes). Standard watches are
 * one-shot; persistent ones stay; recursive ones also fire for every descendant. The DataTree
 * keeps two of these (data and child watches), so a recursive watch, which lives only in the
 * data table, never sees NodeChildrenChanged.
 */
export class WatchManager {
  private readonly byPath = new Map<string, Set<Watcher>>();
  private readonly byWatcher = new Map<Watcher, Map<string, number>>();
  private recursiveCount = 0;

  addWatch(path: string, watcher: Watcher, mode: number = WatchMode.STANDARD): boolean {
    let watchers = this.byPath.get(path);
    if (watchers === undefined) {
      watchers = new Set();
      this.byPath.set(path, watchers);
    }
    watchers.add(watcher);
    let paths = this.byWatcher.get(watcher);
    if (paths === undefined) {
      paths = new Map();
      this.byWatcher.set(watcher, paths);
    }
    const old = paths.get(path) ?? 0;
    const next = old | mode;
    if (next === old) return false;
    paths.set(path, next);
    if (mode === WatchMode.PERSISTENT_RECURSIVE) this.recursiveCount++;
    return true;
  }

  /** Fires the watches an event on `path` triggers; returns who was told (for delete's suppression). */
  triggerWatch(
    path: string,
    type: number,
    zxid: number,
    acl: readonly Acl[] | null,
    suppress?: ReadonlySet<Watcher> | null,
  ): Set<Watcher> | null {
    let triggered: Set<Watcher> | null = null;
    let current = path;
    let atParent = false;
    for (;;) {
      const watchers = this.byPath.get(current);
      if (watchers !== undefined) {
        for (const watcher of watchers) {
          const paths = this.byWatcher.get(watcher);
          const modes = paths?.get(current);
          if (paths === undefined || modes === undefined) continue;
          if (!atParent) {
            (triggered ??= new Set()).add(watcher);
            const left = modes & ~WatchMode.STANDARD;
            if (left === 0) {
              watchers.delete(watcher);
              paths.delete(current);
              if (paths.size === 0) this.byWatcher.delete(watcher);
            } else if (left !== modes) {
              paths.set(current, left);
            }
          } else if ((modes & WatchMode.PERSISTENT_RECURSIVE) !== 0) {
            (triggered ??= new Set()).add(watcher);
          }
        }
        if (watchers.size === 0) this.byPath.delete(current);
      }
      // Walking up only matters when some recursive watch exists (Apache's PathParentIterator).
      if (this.recursiveCount === 0 || current === '/') break;
      current = parentOf(current);
      atParent = true;
    }
    if (triggered === null) return null;
    const event: WatchedEvent = { type, state: KeeperState.SyncConnected, path, zxid };
    for (const watcher of triggered) {
      if (suppress?.has(watcher)) continue;
      watcher.deliver(event, acl);
    }
    return triggered;
  }

  /** Drops every watch of a watcher (its connection closed). */
  removeWatcher(watcher: Watcher): void {
    const paths = this.byWatcher.get(watcher);
    if (paths === undefined) return;
    this.byWatcher.delete(watcher);
    for (const [path, modes] of paths) {
      const watchers = this.byPath.get(path);
      if (watchers !== undefined) {
        watchers.delete(watcher);
        if (watchers.size === 0) this.byPath.delete(path);
      }
      if ((modes & WatchMode.PERSISTENT_RECURSIVE) !== 0) this.recursiveCount--;
    }
  }

  /** Removes one mode (or all modes when `mode` is null); true when something was removed. */
  removeWatch(path: string, watcher: Watcher, mode: number | null): boolean {
    const paths = this.byWatcher.get(watcher);
    const watchers = this.byPath.get(path);
    if (paths === undefined || watchers === undefined) return false;
    const old = paths.get(path) ?? 0;
    const next = mode === null ? 0 : old & ~mode;
    if (next === old) return false;
    if (next === 0) {
      paths.delete(path);
      if (paths.size === 0) this.byWatcher.delete(watcher);
      watchers.delete(watcher);
      if (watchers.size === 0) this.byPath.delete(path);
    } else {
      paths.set(path, next);
    }
    if ((old & WatchMode.PERSISTENT_RECURSIVE) !== 0 && (next & WatchMode.PERSISTENT_RECURSIVE) === 0) this.recursiveCount--;
    return true;
  }

  containsWatch(path: string, watcher: Watcher, mode: number | null): boolean {
    const modes = this.byWatcher.get(watcher)?.get(path);
    return modes !== undefined && (mode === null || (modes & mode) !== 0);
  }

  /** Number of (watcher, path) pairs: Apache's "Total watches". */
  get size(): number {
    let total = 0;
    for (const paths of this.byWatcher.values()) total += paths.size;
    return total;
  }

  get pathCount(): number {
    return this.byPath.size;
  }

  get watcherCount(): number {
    return this.byWatcher.size;
  }

  pathsByWatcher(): Map<Watcher, string[]> {
    const out = new Map<Watcher, string[]>();
    for (const [w, paths] of this.byWatcher) out.set(w, [...paths.keys()]);
    return out;
  }

  watchersByPath(): Map<string, Watcher[]> {
    const out = new Map<string, Watcher[]>();
    for (const [p, ws] of this.byPath) out.set(p, [...ws]);
    return out;
  }
}
