package dev.agentmesh.triggers;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a cron expression: our own checks first, so that a mistake is reported with its field,
 * column, what was expected and how to fix it; then cron-utils, whose parse we keep.
 */
final class CronSyntax {

  /** One field of a dialect: its name, its numeric range and the names it accepts. */
  private record Field(String name, int min, int max, List<String> names) {}

  private static final List<String> MONTHS =
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
  private static final List<Field> UNIX =
      List.of(
          new Field("minute", 0, 59, List.of()),
          new Field("hour", 0, 23, List.of()),
          new Field("day-of-month", 1, 31, List.of()),
          new Field("month", 1, 12, MONTHS),
          new Field("day-of-week", 0, 7, DAYS));
  private static final List<Field> QUARTZ =
      List.of(
          new Field("second", 0, 59, List.of()),
          new Field("minute", 0, 59, List.of()),
          new Field("hour", 0, 23, List.of()),
          new Field("day-of-month", 1, 31, List.of()),
          new Field("month", 1, 12, MONTHS),
          new Field("day-of-week", 1, 7, DAYS),
          new Field("year", 1970, 2099, List.of()));
  private static final Pattern WORD = Pattern.compile("[0-9A-Za-z]+");
  private static final Pattern NTH = Pattern.compile("([0-9A-Za-z]+)#([0-9]+)");
  private static final Pattern LAST_DAY = Pattern.compile("L(?:-([0-9]+))?|LW");
  private static final CronParser UNIX_PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final CronParser QUARTZ_PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

  private final String expression;
  private final CronDialect dialect;

  private CronSyntax(String expression, CronDialect dialect) {
    this.expression = expression;
    this.dialect = dialect;
  }

  /** Parses {@code expression} in {@code dialect}, or throws a {@link ScheduleException}. */
  static Cron parse(String expression, CronDialect dialect) {
    return new CronSyntax(expression, dialect).parse();
  }

  private Cron parse() {
    if (expression.strip().startsWith("@")) {
      throw whole(
          "a cron expression of "
              + dialect.fields()
              + " but found the nickname '"
              + shown(expression.strip())
              + "'. Nicknames are not supported: write the fields, e.g. "
              + (dialect == CronDialect.UNIX ? "'0 0 * * *'" : "'0 0 0 * * ?'")
              + " for @daily");
    }
    List<int[]> spans = spans();
    List<Field> fields = dialect == CronDialect.UNIX ? UNIX : QUARTZ;
    checkCount(spans.size(), fields);
    for (int i = 0; i < spans.size(); i++) {
      checkField(fields.get(i), i + 1, spans.get(i)[0], text(spans.get(i)));
    }
    if (dialect == CronDialect.QUARTZ) {
      checkQuestionMark(text(spans.get(3)), text(spans.get(5)), spans.get(3)[0]);
    }
    try {
      Cron cron =
          (dialect == CronDialect.UNIX ? UNIX_PARSER : QUARTZ_PARSER).parse(expression.strip());
      return cron.validate();
    } catch (IllegalArgumentException e) {
      throw whole(
          "a valid "
              + dialect.label()
              + " cron expression but cron-utils refused it: "
              + e.getMessage()
              + ". Fix: see docs/triggers.md for the syntax of each field");
    }
  }

  private void checkCount(int count, List<Field> fields) {
    int min = dialect == CronDialect.UNIX ? 5 : 6;
    if (count >= min && count <= fields.size()) {
      return;
    }
    String expected = dialect == CronDialect.UNIX ? "5 fields" : "6 or 7 fields";
    String fix =
        dialect == CronDialect.UNIX && count > 5
            ? "six or seven fields are Quartz syntax (seconds first): use CronDialect.QUARTZ"
            : dialect == CronDialect.QUARTZ && count == 5
                ? "Quartz starts with a seconds field: prepend '0 ', or use CronDialect.UNIX"
                : "write " + expected + " separated by spaces";
    throw whole(expected + " (" + dialect.fields() + ") but found " + count + ". Fix: " + fix);
  }

  private void checkField(Field field, int index, int start, String text) {
    int offset = 0;
    for (String item : text.split(",", -1)) {
      checkItem(field, index, start + offset, item);
      offset += item.length() + 1;
    }
  }

  private void checkItem(Field field, int index, int column, String item) {
    if (item.isEmpty()) {
      throw at(field, index, column, "a value", "an empty list item", "remove the extra ','");
    }
    int slash = item.indexOf('/');
    String base = slash < 0 ? item : item.substring(0, slash);
    if (slash >= 0) {
      checkStep(field, index, column + slash + 1, item.substring(slash + 1));
    }
    if (base.equals("*") || (base.equals("?") && isDayField(field))) {
      return;
    }
    if (base.equals("?")) {
      throw at(
          field,
          index,
          column,
          "a value, a range or '*'",
          "'?'",
          dialect == CronDialect.UNIX
              ? "'?' is Quartz syntax: write '*' in unix cron"
              : "'?' only goes in a day field");
    }
    int dash = base.indexOf('-', 1);
    if (dash > 0 && !LAST_DAY.matcher(base).matches()) {
      checkValue(field, index, column, base.substring(0, dash));
      checkValue(field, index, column + dash + 1, base.substring(dash + 1));
    } else {
      checkValue(field, index, column, base);
    }
  }

  private void checkStep(Field field, int index, int column, String step) {
    if (!step.matches("[0-9]{1,9}")
        || Integer.parseInt(step) < 1
        || Integer.parseInt(step) > field.max()) {
      throw at(
          field,
          index,
          column,
          "a step from 1 to " + field.max(),
          quoted(step),
          "write e.g. '*/15' for every 15th value");
    }
  }

  private void checkValue(Field field, int index, int column, String value) {
    String upper = value.toUpperCase(Locale.ROOT);
    if (dialect == CronDialect.QUARTZ && checkQuartzSpecial(field, index, column, upper)) {
      return;
    }
    if (upper.matches("[0-9]{1,9}")) {
      int n = Integer.parseInt(upper);
      if (n < field.min() || n > field.max()) {
        throw at(field, index, column, range(field), value, rangeFix(field, n));
      }
    } else if (!field.names().contains(upper)) {
      throw at(field, index, column, range(field), quoted(value), specialsFix(upper));
    }
  }

  /** Quartz's L, W and #; true when {@code value} is one of them and is valid. */
  private boolean checkQuartzSpecial(Field field, int index, int column, String value) {
    if (field.name().equals("day-of-month")) {
      Matcher last = LAST_DAY.matcher(value);
      if (last.matches()) {
        return true;
      }
      if (value.endsWith("W") && value.length() > 1) {
        checkValue(field, index, column, value.substring(0, value.length() - 1));
        return true;
      }
    } else if (field.name().equals("day-of-week")) {
      Matcher nth = NTH.matcher(value);
      if (nth.matches()) {
        checkValue(field, index, column, nth.group(1));
        if (!nth.group(2).matches("[1-5]")) {
          throw at(
              field,
              index,
              column + nth.group(1).length() + 1,
              "an occurrence from 1 to 5",
              quoted(nth.group(2)),
              "a month has at most five of each weekday: write e.g. '6#3'");
        }
        return true;
      }
      if (value.equals("L") || (value.endsWith("L") && WORD.matcher(value).matches())) {
        return value.equals("L")
            || checkDay(field, index, column, value.substring(0, value.length() - 1));
      }
    }
    return false;
  }

  private boolean checkDay(Field field, int index, int column, String day) {
    checkValue(field, index, column, day);
    return true;
  }

  private void checkQuestionMark(String dayOfMonth, String dayOfWeek, int column) {
    if (dayOfMonth.equals("?") == dayOfWeek.equals("?")) {
      throw new ScheduleException(
          prefix()
              + "day-of-month and day-of-week (fields 4 and 6, column "
              + column
              + "): expected '?' in exactly one of them but found "
              + quoted(dayOfMonth)
              + " and "
              + quoted(dayOfWeek)
              + ". Fix: write '?' in the one you do not mean, e.g. "
              + "'0 0 12 ? * MON' or '0 0 12 1 * ?'",
          expression,
          4,
          column);
    }
  }

  private boolean isDayField(Field field) {
    return dialect == CronDialect.QUARTZ && field.name().startsWith("day-of");
  }

  private String range(Field field) {
    String names =
        field.names().isEmpty()
            ? ""
            : " or " + field.names().get(0) + "-" + field.names().get(field.names().size() - 1);
    return "a value from " + field.min() + " to " + field.max() + names;
  }

  private String rangeFix(Field field, int found) {
    if (field.name().equals("day-of-week") && dialect == CronDialect.QUARTZ && found == 0) {
      return "Quartz numbers days 1 (Sunday) to 7 (Saturday): write 1 or SUN for Sunday";
    }
    if (field.name().equals("day-of-week") && dialect == CronDialect.UNIX) {
      return "unix cron numbers days 0 (Sunday) to 6 (Saturday), 7 is Sunday too";
    }
    return "use " + field.min() + "-" + field.max();
  }

  private String specialsFix(String value) {
    if (dialect == CronDialect.UNIX && value.matches(".*[LW#].*")) {
      return "'L', 'W' and '#' are Quartz syntax: use CronDialect.QUARTZ";
    }
    return "write a number, a range such as 1-5, a list such as 1,15 or '*'";
  }

  private ScheduleException at(
      Field field, int index, int column, String expected, String found, String fix) {
    return new ScheduleException(
        prefix()
            + field.name()
            + " (field "
            + index
            + ", column "
            + column
            + "): expected "
            + expected
            + " but found "
            + found
            + ". Fix: "
            + fix,
        expression,
        index,
        column);
  }

  private ScheduleException whole(String message) {
    return new ScheduleException(prefix() + "expected " + message, expression, 0, 0);
  }

  private String prefix() {
    return "cron \"" + shown(expression) + "\" (" + dialect.label() + "): ";
  }

  /** Start and end (exclusive) of each whitespace-separated field, 1-based start. */
  private List<int[]> spans() {
    List<int[]> spans = new ArrayList<>();
    int i = 0;
    while (i < expression.length()) {
      while (i < expression.length() && Character.isWhitespace(expression.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < expression.length() && !Character.isWhitespace(expression.charAt(i))) {
        i++;
      }
      if (i > start) {
        spans.add(new int[] {start + 1, i + 1});
      }
    }
    return spans;
  }

  private String text(int[] span) {
    return expression.substring(span[0] - 1, span[1] - 1);
  }

  private static String quoted(String s) {
    return "'" + shown(s) + "'";
  }

  /** At most 80 characters of user text, with control characters made visible. */
  private static String shown(String s) {
    String cut = s.length() > 80 ? s.substring(0, 77) + "..." : s;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }
}
