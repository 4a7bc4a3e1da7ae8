import type { RowError, UploadOutcome } from '../people/upload';

/** The summary of an upload, then every wrong row: its line in the file, the column and what is wrong. */
export function UploadReport({ outcome }: { outcome: UploadOutcome }) {
  return (
    <section class="upload-report" aria-labelledby="upload-report-heading">
      <h2 id="upload-report-heading">
        {outcome.kind === 'rejected' ? 'Nothing was applied' : 'The upload was applied'}
      </h2>
      {outcome.kind === 'rejected' ? (
        <div class="error-banner" role="alert">
          <p>{outcome.message}</p>
          {outcome.requestId && <p class="request-id">Request id: {outcome.requestId}</p>}
        </div>
      ) : (
        <p role="status">
          {outcome.created} added, {outcome.updated} updated, {outcome.unchanged} unchanged
          {outcome.failed === 1 && '; 1 row was wrong and was not applied'}
          {outcome.failed > 1 && `; ${outcome.failed} rows were wrong and were not applied`}.
        </p>
      )}
      {outcome.errors.length > 0 && <RowErrors errors={outcome.errors} />}
    </section>
  );
}

function RowErrors({ errors }: { errors: RowError[] }) {
  return (
    <table class="row-errors">
      <caption>Rows with errors</caption>
      <thead>
        <tr>
          <th scope="col">Line</th>
          <th scope="col">Column</th>
          <th scope="col">Message</th>
          <th scope="col">Code</th>
        </tr>
      </thead>
      <tbody>
        {errors.map((e) => (
          <tr key={`${e.row}-${e.field ?? ''}-${e.error}`}>
            <td data-label="Line">{e.row}</td>
            <td data-label="Column">{e.field ?? '—'}</td>
            <td data-label="Message">{e.message}</td>
            <td data-label="Code">
              <code>{e.error}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
