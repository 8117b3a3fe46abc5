/**
 * Notifiers: the {@link dev.agentmesh.review.notify.Notifier} SPI that tells people about review
 * requests, decisions, expiries, escalations, failed sessions, digests and agents' output; the
 * guard {@link dev.agentmesh.review.notify.Deliveries} that retries failed deliveries with backoff
 * on a {@link dev.agentmesh.review.notify.DeliveryScheduler}; and the channels {@link
 * dev.agentmesh.review.notify.WebhookNotifier}, {@link dev.agentmesh.review.notify.SlackNotifier},
 * {@link dev.agentmesh.review.notify.EmailNotifier}, {@link
 * dev.agentmesh.review.notify.LogNotifier} and {@link dev.agentmesh.review.notify.DigestNotifier}.
 */
@NullMarked
package dev.agentmesh.review.notify;

import org.jspecify.annotations.NullMarked;
