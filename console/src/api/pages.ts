/** One page of a /v1 list, as its envelope answers it. */
interface ListPage<T> {
  data: T[];
  total_count: number;
}

export const PAGE_SIZE = 100;

/** Every row of a list, page by page, stopping after maxPages: a screen never reads without bound. */
export async function everyPage<T>(
  readPage: (page: number, size: number) => Promise<ListPage<T>>,
  maxPages: number,
): Promise<T[]> {
  const rows: T[] = [];
  for (let page = 1; page <= maxPages; page++) {
    const answer = await readPage(page, PAGE_SIZE);
    rows.push(...answer.data);
    if (answer.data.length < PAGE_SIZE || rows.length >= answer.total_count) break;
  }
  return rows;
}
