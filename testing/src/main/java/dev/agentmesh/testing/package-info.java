/**
 * Test support for agentmesh and its users: {@link dev.agentmesh.testing.ScriptedModel},
 * {@link dev.agentmesh.testing.FakeClock}, {@link dev.agentmesh.testing.AgentTester}, and the
 * conformance kits every SPI implementation extends.
 */
@NullMarked
package dev.agentmesh.testing;

import org.jspecify.annotations.NullMarked;
