import { ErrorCode, OpCode, errorCodeName } from '../../../protocols/zookeeper/index.js';
import { isClosed, type ScenarioSession } from './scenario-session.js';

/**
 * Deletes `path` and everything below it, children first. Missing nodes are fine (an
 * ephemeral may vanish meanwhile); anything else is returned as a problem so the caller can
 * warn that the server is left dirty.
 */
export async function deleteTree(session: ScenarioSession, path: string): Promise<string[]> {
  const listed = await session.request(OpCode.getChildren, { path, watch: false });
  if (isClosed(listed)) return [`cleanup of ${path}: the connection closed`];
  if (listed.err === ErrorCode.NONODE) return [];
  const problems: string[] = [];
  // A leaf needs no READ to be deleted, so a refused listing still gets a delete attempt.
  const children = listed.err === 0 ? (listed.body as { children: string[] }).children : [];
  for (const child of children) {
    problems.push(...(await deleteTree(session, `${path === '/' ? '' : path}/${child}`)));
  }
  const deleted = await session.request(OpCode.delete, { path, version: -1 });
  if (isClosed(deleted)) problems.push(`cleanup of ${path}: the connection closed`);
  else if (deleted.err !== 0 && deleted.err !== ErrorCode.NONODE) problems.push(`cleanup of ${path}: delete answered ${errorCodeName(deleted.err)}`);
  return problems;
}
