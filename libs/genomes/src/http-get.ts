// One HTTP(S) GET with redirects, for the downloader.
//
// Node's http client does not follow redirects, so this does, by hand and bounded: 301, 302,
// 303, 307 and 308 with a Location header, resolved against the current URL, each hop checked to
// be http or https again (a redirect must not turn a download into file:// or ftp://). The
// request headers (Range, If-Range) are sent again on every hop, which is what the mirrors of
// genome providers expect. The response body is left unread for the caller; redirect bodies
// are drained so that their sockets are freed. An idle timer on the socket turns a stalled
// server into an error instead of a job that hangs forever.

import * as http from 'node:http';
import * as https from 'node:https';
import { DownloadError, UnsupportedUrlError } from './errors';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface HttpGetSettings {
  /** Redirects followed before giving up. */
  maxRedirects: number;
  /** Milliseconds without any socket activity before the request is aborted. */
  idleTimeoutMs: number;
  /** Called with the new URL on each redirect. */
  onRedirect?: (url: URL) => void;
}

export interface HttpGetResult {
  response: http.IncomingMessage;
  /** The URL that answered, after redirects. */
  url: URL;
}

/** The URL without user name and password, for logs and error messages. */
export function displayUrl(url: URL | string): string {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return String(url);
  }
  if (parsed.username === '' && parsed.password === '') return parsed.href;
  const copy = new URL(parsed.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}

/** Parses `raw` as an absolute http:// or https:// URL; throws UnsupportedUrlError otherwise. */
export function checkDownloadUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsupportedUrlError(raw, 'not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UnsupportedUrlError(displayUrl(url), `only http and https are supported`);
  }
  return url;
}

function requestOnce(
  url: URL,
  headers: Record<string, string>,
  idleTimeoutMs: number,
): Promise<http.IncomingMessage> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(url, { headers }, resolve);
    request.setTimeout(idleTimeoutMs, () => {
      const message = `no data from the server for ${idleTimeoutMs / 1000} s`;
      request.destroy(Object.assign(new Error(message), { code: 'ETIMEDOUT' }));
    });
    request.on('error', reject);
  });
}

/** GETs `url`, following redirects; resolves with the first non-redirect response. */
export async function httpGet(
  start: URL,
  headers: Record<string, string>,
  settings: HttpGetSettings,
): Promise<HttpGetResult> {
  let url = start;
  for (let hop = 0; ; hop++) {
    const response = await requestOnce(url, headers, settings.idleTimeoutMs);
    const status = response.statusCode ?? 0;
    if (!REDIRECT_STATUSES.has(status)) return { response, url };
    response.resume();
    const location = response.headers.location;
    if (location === undefined) {
      throw new DownloadError(
        `HTTP ${status} redirect without a Location header from ${displayUrl(url)}`,
        displayUrl(url),
        status,
      );
    }
    if (hop >= settings.maxRedirects) {
      throw new DownloadError(
        `too many redirects (more than ${settings.maxRedirects}) starting at ${displayUrl(start)}`,
        displayUrl(start),
        status,
      );
    }
    url = checkDownloadUrl(new URL(location, url).href);
    settings.onRedirect?.(url);
  }
}
