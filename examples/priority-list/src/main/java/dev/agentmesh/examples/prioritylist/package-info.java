/**
 * Example 1, the daily priority list: {@link dev.agentmesh.examples.prioritylist.PriorityListApp}
 * (the demo), {@link dev.agentmesh.examples.prioritylist.PriorityRules} (the ranking and escalation
 * rules), {@link dev.agentmesh.examples.prioritylist.PriorityTools} (the CRM tools), {@link
 * dev.agentmesh.examples.prioritylist.PriorityHost} (the four ways the agent starts) and {@link
 * dev.agentmesh.examples.prioritylist.PriorityDelivery} (the Slack messages).
 */
@NullMarked
package dev.agentmesh.examples.prioritylist;

import org.jspecify.annotations.NullMarked;
