import nodemailer from 'nodemailer';
import type { Mail, Mailer } from '../domain/mail.js';

export interface SmtpSettings {
  from: string;
  host: string;
  port: number;
  /** Implicit TLS; otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user: string | null;
  password: string | null;
}

/** Mail over SMTP (nodemailer), one connection a message. */
export function smtpMailer(settings: SmtpSettings): Mailer {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    ...(settings.user && settings.password && { auth: { user: settings.user, pass: settings.password } }),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    async send(mail: Mail) {
      await transport.sendMail({ from: settings.from, to: mail.to, subject: mail.subject, text: mail.text });
    },
  };
}

export interface MailLog {
  info(fields: Record<string, unknown>, message: string): void;
}

/**
 * Development's transport: logs that a mail was sent, what kind and to whom, never its text (which holds a
 * single-use link). To follow a link in development, run a local SMTP catcher and use the smtp transport.
 */
export function logMailer(log: MailLog): Mailer {
  return {
    async send(mail: Mail) {
      log.info({ mail: { kind: mail.kind, to: mail.to } }, 'mail not sent: the log transport is configured');
    },
  };
}
