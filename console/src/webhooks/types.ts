import type { components, paths } from '../api/schema';

export type Endpoint = components['schemas']['WebhookEndpoint'];
export type Delivery = components['schemas']['WebhookDelivery'];
export type MetricHook = components['schemas']['MetricHook'];
export type EventType = components['schemas']['EventType'];
/** An endpoint as creation and rotation answer it: with its signing secret, this once. */
export type IssuedEndpoint = Endpoint & { signing_secret: string | null };

type CreateBody = NonNullable<
  paths['/v1/webhook-endpoints']['post']['requestBody']
>['content']['application/json'];
/** The event types an endpoint subscribes to, as the API's schema names them. */
export type Subscription = NonNullable<CreateBody['event_types']>;
