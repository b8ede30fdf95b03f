import { AppError, ErrorCode } from '@streamrec/foundation';

export interface RecommendationQuery {
  readonly user: string;
  /** Item ids never to return (the user's history). */
  readonly exclude: readonly number[];
}

export interface ServedList {
  readonly items: readonly number[];
  readonly degraded: readonly string[];
}

interface ResponseBody {
  readonly items?: readonly { readonly item_id: string }[];
  readonly degraded_reasons?: readonly string[];
  readonly error?: { readonly code: string; readonly message: string };
}

/** One `GET /v1/recommendations` as a storefront would send it. */
export async function recommend(baseUrl: string, key: string, query: RecommendationQuery, limit: number): Promise<ServedList> {
  const params = new URLSearchParams({ user_id: query.user, limit: String(limit), scene: 'home' });
  if (query.exclude.length > 0) params.set('exclude', [...new Set(query.exclude)].join(','));
  const response = await fetch(`${baseUrl}/v1/recommendations?${params.toString()}`, { headers: { 'x-api-key': key } });
  const body = (await response.json()) as ResponseBody;
  if (response.status !== 200) {
    throw new AppError(ErrorCode.DependencyUnavailable, `the API answered ${response.status} for user ${query.user}: ${body.error?.code ?? ''} ${body.error?.message ?? ''}`.trim());
  }
  return { items: (body.items ?? []).map(({ item_id }) => Number(item_id)), degraded: body.degraded_reasons ?? [] };
}

/** Every query, `concurrency` in flight, answers in query order; `onProgress` after each answer. */
export async function recommendAll(
  baseUrl: string,
  key: string,
  queries: readonly RecommendationQuery[],
  options: { readonly limit: number; readonly concurrency: number; readonly onProgress: (done: number) => void; readonly onAnswer?: (index: number, answer: ServedList) => void },
): Promise<ServedList[]> {
  const answers: ServedList[] = new Array<ServedList>(queries.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < queries.length) {
      const index = next;
      next += 1;
      const answer = await recommend(baseUrl, key, queries[index] as RecommendationQuery, options.limit);
      answers[index] = answer;
      options.onAnswer?.(index, answer);
      done += 1;
      options.onProgress(done);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, queries.length)) }, () => worker()));
  return answers;
}
