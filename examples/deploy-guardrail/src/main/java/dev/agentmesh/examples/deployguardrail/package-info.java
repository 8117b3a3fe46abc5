/**
 * Example 5, the deterministic deploy guardrail: a {@code deploy.requested} message on RabbitMQ
 * starts a session of a deterministic agent (Java rules, no model) whose verdict goes back to the
 * broker and stays in the session's log.
 *
 * <pre>{@code
 * try (DeployGuardrail guardrail = DeployGuardrail.start(factory, names, store, DeployChecks.standard())) {
 *   // deploy.requested messages are checked until it is closed
 * }
 * }</pre>
 */
@NullMarked
package dev.agentmesh.examples.deployguardrail;

import org.jspecify.annotations.NullMarked;
