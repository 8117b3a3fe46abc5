package dev.agentmesh.benchmarks;

import dev.agentmesh.review.ArtifactTypes;
import dev.agentmesh.review.CodeDiff;
import dev.agentmesh.review.SurfaceFormat;
import dev.agentmesh.review.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rendering review surfaces of large artifacts, in each format, validation included (what {@code
 * ArtifactTypes.render} does on every call):
 *
 * <ul>
 *   <li>{@code codeDiff}: one file whose patch has 2,000 changed lines (1,000 removed, 1,000 added,
 *       each pair with intraline highlights), plus hunk headers and context.
 *   <li>{@code tableDiff}: a keyed diff of 10,000 rows by 5 columns, one row in ten changed (a
 *       numeric cell with its delta), 100 rows added, 100 removed.
 * </ul>
 *
 * <pre>
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar ReviewSurfaceBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ReviewSurfaceBenchmark {

  @Param({"TEXT", "MARKDOWN", "HTML"})
  public SurfaceFormat format;

  private final ArtifactTypes types = ArtifactTypes.standard();
  private CodeDiff diff;
  private Table table;

  @Setup
  public void setUp() {
    StringBuilder before = new StringBuilder();
    StringBuilder after = new StringBuilder();
    for (int i = 0; i < 1_000; i++) {
      before
          .append("    int value")
          .append(i)
          .append(" = compute(")
          .append(i)
          .append(", \"a & b\");\n");
      after
          .append("    int value")
          .append(i)
          .append(" = compute(")
          .append(i * 2)
          .append(", \"a & c\");\n");
    }
    diff =
        new CodeDiff(
            List.of(
                CodeDiff.FileChange.between("src/Big.java", before.toString(), after.toString())));
    List<String> columns = List.of("id", "name", "price", "stock", "region");
    List<Map<String, String>> rowsBefore = new ArrayList<>();
    List<Map<String, String>> rowsAfter = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      Map<String, String> row =
          Map.of(
              "id",
              "sku-" + i,
              "name",
              "Item " + i,
              "price",
              i + ".50",
              "stock",
              String.valueOf(i % 97),
              "region",
              i % 2 == 0 ? "EU" : "US");
      if (i >= 100) {
        rowsBefore.add(row);
      }
      rowsAfter.add(
          i % 10 == 5
              ? Map.of(
                  "id",
                  "sku-" + i,
                  "name",
                  "Item " + i,
                  "price",
                  (i + 1) + ".75",
                  "stock",
                  String.valueOf(i % 97),
                  "region",
                  "EU")
              : row);
    }
    for (int i = 10_000; i < 10_100; i++) {
      rowsBefore.add(
          Map.of(
              "id",
              "sku-" + i,
              "name",
              "Gone " + i,
              "price",
              "1.00",
              "stock",
              "0",
              "region",
              "EU"));
    }
    table =
        new Table(
            "inventory",
            List.of("id"),
            List.of(),
            new Table.Data(columns, rowsBefore),
            new Table.Data(columns, rowsAfter));
  }

  @Benchmark
  public String codeDiff() {
    return types.render(diff, format);
  }

  @Benchmark
  public String tableDiff() {
    return types.render(table, format);
  }
}
