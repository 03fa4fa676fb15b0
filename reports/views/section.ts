import { escapeHtml } from '../html.js';

/** Lets a view be a top-level section (report) or a sub-section (a suite on the bench index). */
export interface SectionOptions {
  id?: string;
  heading?: string;
  /** Heading level: 2 on a report, 3 inside a bench suite. */
  level?: 2 | 3;
}

export function sectionOpen(opts: SectionOptions, defaultId: string, defaultHeading: string): string {
  const level = opts.level ?? 2;
  return `<section id="${escapeHtml(opts.id ?? defaultId)}"><h${level}>${escapeHtml(opts.heading ?? defaultHeading)}</h${level}>`;
}
