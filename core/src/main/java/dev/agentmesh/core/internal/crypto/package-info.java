/**
 * Internal: the HMAC-SHA256 webhook-signing primitives shared by {@code dev.agentmesh.triggers}
 * (verifying incoming webhooks) and {@code dev.agentmesh.review} (signing outgoing notifications,
 * verifying Slack interactions). Not API: exported only to those two modules, and free to change in
 * any release.
 */
@NullMarked
package dev.agentmesh.core.internal.crypto;

import org.jspecify.annotations.NullMarked;
