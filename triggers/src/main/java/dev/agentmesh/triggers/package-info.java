/**
 * Triggers: {@link dev.agentmesh.triggers.Schedule}s (cron with a time zone, interval, one-shot)
 * under a written daylight-saving policy, the catch-up, overlap and jitter policies a runtime
 * applies to them, and {@link dev.agentmesh.triggers.WebhookVerifier} for signed webhooks.
 */
@NullMarked
package dev.agentmesh.triggers;

import org.jspecify.annotations.NullMarked;
