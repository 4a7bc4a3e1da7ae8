import type { FastifyReply, FastifyRequest } from 'fastify';

/** Escapes text for HTML content and double-quoted attributes: every value a page shows goes through it. */
export const escapeHtml = (text: string | number) =>
  String(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');

/** A tagged template whose every interpolation is escaped unless it is already Html. */
export class Html {
  constructor(readonly text: string) {}
  toString() {
    return this.text;
  }
}
export function html(
  strings: TemplateStringsArray,
  ...values: (string | number | Html | Html[] | null)[]
): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    const piece = Array.isArray(value)
      ? value.map(String).join('')
      : value instanceof Html
        ? value.text
        : value === null
          ? ''
          : escapeHtml(value);
    out += piece + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/**
 * The pages' headers: no script, no style but the page's own, forms post only back here, never framed, no
 * referrer (a link page's address holds its token), nothing cached.
 */
export const PAGE_CSP =
  "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function sendPage(reply: FastifyReply, status: number, title: string, body: Html, csp = PAGE_CSP) {
  return reply
    .status(status)
    .headers({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': csp,
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
    })
    .send(
      `<!doctype html>\n${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · Trellis</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`}`,
    );
}

/** A JSON caller (an API client, a script) rather than a browser's form or navigation. */
export function wantsJson(request: FastifyRequest): boolean {
  const type = request.headers['content-type'] ?? '';
  if (type.startsWith('application/json')) return true;
  if (type.startsWith('application/x-www-form-urlencoded')) return false;
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}
