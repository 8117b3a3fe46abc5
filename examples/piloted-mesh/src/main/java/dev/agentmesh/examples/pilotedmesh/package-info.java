/**
 * Example 7, the human-piloted mesh: a parent session runs a coding, an infrastructure and an
 * observability agent as child sessions, and an investigation agent when an alert is posted into
 * it; a human pilot approves every stage's artifact before the next starts. Run {@link
 * dev.agentmesh.examples.pilotedmesh.PilotedMeshApp}.
 */
@NullMarked
package dev.agentmesh.examples.pilotedmesh;

import org.jspecify.annotations.NullMarked;
