package dev.agentmesh.review;

import java.util.List;

/** Applies {@link Inert} to every string of a {@link Surface}, once, before any writer runs. */
final class InertSurface {

  private InertSurface() {}

  static Surface of(Surface s) {
    return new Surface(
        Inert.line(s.title()),
        Inert.lines(s.summary()),
        s.blocks().stream().map(InertSurface::block).toList());
  }

  private static Block block(Block b) {
    if (b instanceof Block.Heading h) {
      return new Block.Heading(Inert.line(h.text()));
    } else if (b instanceof Block.Paragraph p) {
      return new Block.Paragraph(spans(p.spans(), false));
    } else if (b instanceof Block.Verbatim v) {
      return new Block.Verbatim(Inert.line(v.label()), Inert.text(v.text()));
    } else if (b instanceof Block.MarkdownPreview m) {
      return new Block.MarkdownPreview(Inert.line(m.label()), Inert.text(m.markdown()));
    } else if (b instanceof Block.Fields f) {
      return new Block.Fields(
          f.fields().stream()
              .map(x -> new Block.Field(Inert.line(x.name()), spans(x.value(), true)))
              .toList());
    } else if (b instanceof Block.Lines l) {
      return new Block.Lines(
          Inert.line(l.label()),
          l.lines().stream().map(x -> new Block.Line(x.marker(), spans(x.spans(), true))).toList());
    } else if (b instanceof Block.Grid g) {
      return new Block.Grid(row(g.header()), g.rows().stream().map(InertSurface::row).toList());
    } else if (b instanceof Block.Image i) {
      return new Block.Image(Inert.line(i.label()), i.png(), i.width(), i.height());
    } else if (b instanceof Block.Notice n) {
      return new Block.Notice(n.level(), Inert.line(n.text()));
    }
    throw new IllegalStateException("unknown block " + b.getClass());
  }

  private static Block.Row row(Block.Row r) {
    return new Block.Row(r.marker(), r.cells().stream().map(c -> spans(c, true)).toList());
  }

  private static List<Span> spans(List<Span> spans, boolean oneLine) {
    return spans.stream()
        .map(s -> new Span(oneLine ? Inert.line(s.text()) : Inert.text(s.text()), s.style()))
        .toList();
  }
}
