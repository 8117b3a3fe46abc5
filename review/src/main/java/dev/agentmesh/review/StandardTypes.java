package dev.agentmesh.review;

import java.util.List;

/** The built-in artifact types, registered by every {@link ArtifactTypes.Builder}. */
final class StandardTypes {

  private StandardTypes() {}

  static List<ArtifactType<?>> all() {
    return List.of(
        ArtifactType.of(
            "code-diff", CodeDiff.class, CodeDiffSurface::problems, CodeDiffSurface::render),
        ArtifactType.of(
            "document", Document.class, DocumentSurface::problems, DocumentSurface::render),
        ArtifactType.of("table", Table.class, TableSurface::problems, TableSurface::render),
        ArtifactType.of(
            "visual-change", VisualChange.class, VisualSurface::problems, VisualSurface::render),
        ArtifactType.of(
            "outbound-message",
            OutboundMessage.class,
            MessageSurface::problems,
            MessageSurface::render),
        ArtifactType.of(
            "record-change",
            RecordChange.class,
            SmallSurfaces::recordProblems,
            SmallSurfaces::record),
        ArtifactType.of(
            "action", Action.class, SmallSurfaces::actionProblems, SmallSurfaces::action));
  }
}
