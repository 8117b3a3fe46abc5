/**
 * Review artifacts: what an agent proposes ({@link dev.agentmesh.review.CodeDiff}, {@link
 * dev.agentmesh.review.Document}, {@link dev.agentmesh.review.Table}, {@link
 * dev.agentmesh.review.VisualChange}, {@link dev.agentmesh.review.OutboundMessage}, {@link
 * dev.agentmesh.review.RecordChange}, {@link dev.agentmesh.review.Action}), the open registry
 * {@link dev.agentmesh.review.ArtifactTypes} that validates, hashes and serializes them, and their
 * verification surfaces ({@link dev.agentmesh.review.Surface}) rendered as text, Markdown or HTML.
 */
@NullMarked
package dev.agentmesh.review;

import org.jspecify.annotations.NullMarked;
