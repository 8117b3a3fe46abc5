/**
 * Example 2, the conversational CRM update: a rep tells the agent about a call, the agent proposes
 * a {@code RecordChange} that waits for the rep's approval, and the approved change is applied
 * once, conditionally on the version read. Run {@link
 * dev.agentmesh.examples.crmupdate.CrmUpdateApp}.
 */
@NullMarked
package dev.agentmesh.examples.crmupdate;

import org.jspecify.annotations.NullMarked;
