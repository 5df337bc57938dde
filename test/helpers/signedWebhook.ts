// A webhook delivery as GitHub sends it: POSTed to the server's webhook path with the event name, the delivery
// id and the body's HMAC-SHA256 under the webhook secret (`x-hub-signature-256`).
import { createHmac } from 'node:crypto';

export interface Delivery {
  /** The server, e.g. `http://127.0.0.1:3000`. */
  readonly server: string;
  readonly secret: string;
  readonly id: string;
  /** The JSON text, signed and sent exactly as it is. */
  readonly payload: string;
  readonly event?: string;
}

export function deliverSignedWebhook(d: Delivery): Promise<Response> {
  return fetch(`${d.server}/api/github/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': d.event ?? 'pull_request',
      'x-github-delivery': d.id,
      'x-hub-signature-256': `sha256=${createHmac('sha256', d.secret).update(d.payload).digest('hex')}`,
    },
    body: d.payload,
  });
}
