import { escapeHtml } from '../html.js';

/** Warnings a reader must see before the numbers. */
export function renderNotes(notes: readonly string[]): string {
  if (notes.length === 0) return '';
  return `<section class="notes"><strong>Read the numbers with these in mind</strong><ul>${notes
    .map((n) => `<li>${escapeHtml(n)}</li>`)
    .join('')}</ul></section>`;
}
