/** POST /admin/erasures on one API instance's operations listener: how many of the users it held. */
export async function forgetInApi(opsUrl: string, adminKey: string, users: readonly string[]): Promise<number> {
  const response = await fetch(`${opsUrl}/admin/erasures`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': adminKey },
    body: JSON.stringify({ user_ids: users }),
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) {
    const body = await response.text().catch(() => '');
    throw new Error(`${opsUrl}/admin/erasures answered ${response.status}${body === '' ? '' : `: ${body.slice(0, 300)}`}`);
  }
  return ((await response.json()) as { forgotten: number }).forgotten;
}
