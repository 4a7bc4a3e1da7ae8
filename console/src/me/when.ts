/** A moment from the API in the reader's own words and time zone. */
export const when = (iso: string) => new Date(iso).toLocaleString();

/** A day from the API (YYYY-MM-DD), shown as the reader writes days. */
export const day = (isoDay: string) => new Date(`${isoDay}T00:00:00`).toLocaleDateString();
