package dev.agentmesh.review;

import dev.agentmesh.review.spi.ImageDiffer;
import dev.agentmesh.review.spi.RenderContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Validation and surface of {@link VisualChange}. */
final class VisualSurface {

  private VisualSurface() {}

  static List<String> problems(VisualChange v, ReviewLimits limits) {
    List<String> problems = new ArrayList<>(Png.problems("before", v.before(), limits));
    problems.addAll(Png.problems("after", v.after(), limits));
    return problems;
  }

  static Surface render(VisualChange v, RenderContext context) {
    byte[] before = v.before();
    byte[] after = v.after();
    ImageDiffer.Result r = context.imageDiffer().compare(before, after, context.limits());
    String percent = String.format(Locale.ROOT, "%.2f%%", r.changedPercent());
    List<String> summary =
        List.of(
            r.changedPixels() + " of " + r.totalPixels() + " pixels changed (" + percent + ")",
            "before "
                + Png.width(before)
                + "x"
                + Png.height(before)
                + ", after "
                + Png.width(after)
                + "x"
                + Png.height(after));
    List<Block> blocks = new ArrayList<>();
    if (Png.width(before) != Png.width(after) || Png.height(before) != Png.height(after)) {
      blocks.add(
          new Block.Notice(
              Block.Notice.Level.WARNING,
              "the images differ in size; pixels outside the smaller one count as changed"));
    }
    blocks.add(
        new Block.Image("difference (changed pixels in red)", r.diffPng(), r.width(), r.height()));
    blocks.add(new Block.Image("before", before, Png.width(before), Png.height(before)));
    blocks.add(new Block.Image("after", after, Png.width(after), Png.height(after)));
    return new Surface(
        "Visual change '" + v.label() + "': " + percent + " of pixels changed", summary, blocks);
  }
}
