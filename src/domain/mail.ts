/** A message the domain sends (an invitation, a password-reset link): plain text, one recipient. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** What the mail is, for the log transport (which never logs the text: it holds single-use links). */
  kind: string;
}

/** Sends mail; the transport (SMTP, or the log in development) is the server's choice (src/mail/). */
export interface Mailer {
  send(mail: Mail): Promise<void>;
}
