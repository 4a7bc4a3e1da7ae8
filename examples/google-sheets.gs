/**
 * Google Sheets → Trellis: pushes each row of the active sheet to a Trellis metric webhook.
 *
 * Sheet layout: a header row, then one metric a row:
 *   A milestone_id | B value | C comment (optional) | D status (written by this script)
 *
 * Setup (Extensions → Apps Script, paste this file, then Project Settings → Script properties):
 *   TRELLIS_HOOK_URL     https://okr.example.com/v1/hooks/hk_...   (an unbound webhook, POST /v1/metric-hooks)
 *   TRELLIS_HOOK_SECRET  whsec_...                                  (its signing secret, shown once)
 * Run pushMetrics once by hand to grant UrlFetch, then add a time-driven trigger (hourly, say).
 *
 * Each row is one request signed per Standard Webhooks (HMAC-SHA256 over "id.timestamp.body", keyed by the
 * base64-decoded secret after "whsec_"); each update is a check-in by the webhook's creator.
 *
 * WorkBoard's form instead: a webhook made with accepts_unsigned: true takes the unsigned form at
 * https://okr.example.com/wb/apis/hook/hk_... with metric_id, metric_data and metric_comment fields, as
 * WorkBoard's own Sheets connector sends them: set TRELLIS_FORM_URL instead of the two properties above.
 */

function pushMetrics() {
  const props = PropertiesService.getScriptProperties();
  const hookUrl = props.getProperty('TRELLIS_HOOK_URL');
  const secret = props.getProperty('TRELLIS_HOOK_SECRET');
  const formUrl = props.getProperty('TRELLIS_FORM_URL');
  if (!formUrl && (!hookUrl || !secret)) {
    throw new Error('Set TRELLIS_HOOK_URL and TRELLIS_HOOK_SECRET (or TRELLIS_FORM_URL) in the script properties');
  }
  const sheet = SpreadsheetApp.getActiveSheet();
  const rows = sheet.getDataRange().getValues();
  for (let i = 1; i < rows.length; i++) {
    const [milestoneId, value, comment] = rows[i];
    if (milestoneId === '' || value === '') continue;
    const answer = formUrl
      ? sendForm(formUrl, milestoneId, value, comment)
      : sendSigned(hookUrl, secret, milestoneId, value, comment);
    // The status column: "ok", or the server's code and request id for the sheet's owner to look up.
    sheet.getRange(i + 1, 4).setValue(answer);
  }
}

/** The signed JSON body to POST /v1/hooks/{id}. */
function sendSigned(url, secret, milestoneId, value, comment) {
  const body = { action: 'set', value: Number(value), milestone_id: Number(milestoneId) };
  if (comment) body.comment = String(comment);
  const payload = JSON.stringify(body);
  const id = 'msg_' + Utilities.getUuid();
  const timestamp = String(Math.floor(Date.now() / 1000));
  const key = Utilities.base64Decode(secret.replace(/^whsec_/, ''));
  const signed = Utilities.newBlob(id + '.' + timestamp + '.' + payload).getBytes();
  const signature = Utilities.base64Encode(Utilities.computeHmacSha256Signature(signed, key));
  return describe(
    UrlFetchApp.fetch(url, {
      method: 'post',
      contentType: 'application/json',
      payload: payload,
      headers: { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': 'v1,' + signature },
      muteHttpExceptions: true,
    }),
  );
}

/** WorkBoard's unsigned form to POST /wb/apis/hook/{hash} (the webhook must allow it). */
function sendForm(url, milestoneId, value, comment) {
  const payload = { metric_id: String(milestoneId), metric_data: String(value) };
  if (comment) payload.metric_comment = String(comment);
  return describe(UrlFetchApp.fetch(url, { method: 'post', payload: payload, muteHttpExceptions: true }));
}

function describe(response) {
  const code = response.getResponseCode();
  if (code >= 200 && code < 300) return 'ok ' + new Date().toISOString();
  try {
    const error = JSON.parse(response.getContentText());
    return error.error + ': ' + error.error_description + ' (request ' + error.request_id + ')';
  } catch (e) {
    return 'HTTP ' + code;
  }
}
