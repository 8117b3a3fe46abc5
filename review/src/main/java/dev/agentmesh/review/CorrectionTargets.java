package dev.agentmesh.review;

import org.jspecify.annotations.Nullable;

/**
 * What a correction is about, for relevance: an identifier of the artifact's subject, never its
 * content. A code diff of one file (or a comment anchored in a file): the file's path; a record
 * change: {@code system/record type/record id}; a document: its title; a table: its name; a visual
 * change: its label; an action: the tool's name. A code diff of several files, an outbound message
 * and a host's own type have none.
 */
final class CorrectionTargets {

  private CorrectionTargets() {}

  static @Nullable String of(ReviewArtifact artifact) {
    if (artifact instanceof CodeDiff diff) {
      return diff.files().size() == 1 ? diff.files().get(0).path() : null;
    } else if (artifact instanceof RecordChange change) {
      return change.system() + "/" + change.recordType() + "/" + change.recordId();
    } else if (artifact instanceof Document document) {
      return document.title();
    } else if (artifact instanceof Table table) {
      return table.name();
    } else if (artifact instanceof VisualChange visual) {
      return visual.label();
    } else if (artifact instanceof Action action) {
      return action.tool();
    }
    return null;
  }

  /** A comment's target: the file its lines are in, else the artifact's. */
  static @Nullable String of(Anchor anchor, @Nullable String artifactTarget) {
    if (anchor instanceof Anchor.Lines lines && lines.file() != null) {
      return lines.file();
    }
    return artifactTarget;
  }
}
