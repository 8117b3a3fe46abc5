/**
 * What every agentmesh example shares: {@link dev.agentmesh.examples.support.ExampleModel} (a real
 * model when the environment names one, the example's scripted model otherwise), {@link
 * dev.agentmesh.examples.support.ExampleStore} (sessions in a SQLite file under {@code target/}),
 * {@link dev.agentmesh.examples.support.CrmServer} with {@link
 * dev.agentmesh.examples.support.CrmClient} (a small CRM and ticketing HTTP service on loopback,
 * JSON shaped like HubSpot's CRM v3 objects API and Zendesk's tickets API), and {@link
 * dev.agentmesh.examples.support.SlackReceiver} (a local Slack-compatible incoming webhook that
 * prints what a user would see). The examples run those servers as processes of their own: {@link
 * dev.agentmesh.examples.support.CrmProcess} and {@link
 * dev.agentmesh.examples.support.SlackProcess} start them through {@link
 * dev.agentmesh.examples.support.LoopbackProcess} (a child JVM on 127.0.0.1 that stops with the
 * example) and read them over HTTP.
 */
@NullMarked
package dev.agentmesh.examples.support;

import org.jspecify.annotations.NullMarked;
