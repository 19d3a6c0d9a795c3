// What the media route (or S3's public URL) serves, as a player fetches it.

/** The body as text, or '' while it is not served (a playlist not written yet). */
export async function servedText(url: string): Promise<string> {
  const res = await fetch(url);
  return res.ok ? res.text() : '';
}

/** The body's bytes; throws when it is not served. */
export async function servedBytes(url: string): Promise<Buffer> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}
