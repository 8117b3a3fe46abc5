package dev.agentmesh.review;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import java.util.List;

/** An edit's diff against the version before it, as unified text over the plain-text surfaces. */
final class EditDiff {

  private EditDiff() {}

  static String between(ArtifactTypes types, ReviewArtifact before, ReviewArtifact after) {
    List<String> a = types.render(before, SurfaceFormat.TEXT).lines().toList();
    List<String> b = types.render(after, SurfaceFormat.TEXT).lines().toList();
    return String.join(
        "\n",
        UnifiedDiffUtils.generateUnifiedDiff("proposed", "edited", a, DiffUtils.diff(a, b), 2));
  }
}
