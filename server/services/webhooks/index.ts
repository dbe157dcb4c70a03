import "server-only";

export { notifySessionEnded } from "./notify";
export { deleteWebhookEndpoint, getWebhookEndpoint, rotateWebhookSecret, setWebhookEndpoint, setWebhookInput } from "./endpoint";
export { listDeliveries, redeliver, type DeliveryView } from "./deliveries";
