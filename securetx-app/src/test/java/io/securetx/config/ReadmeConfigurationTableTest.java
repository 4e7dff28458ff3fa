package io.securetx.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table is the operator's reference; it must list exactly the variables
 * {@link Variable} reads, and mark exactly the secret ones as secret.
 */
class ReadmeConfigurationTableTest {

  private static final Pattern NAME = Pattern.compile("^`([A-Z][A-Z0-9_]*)`$");

  private static Path readme;
  private static Map<String, Row> table;

  /** One row of the table: the variable name and the "Secret" cell. */
  private record Row(String name, String secret) {}

  @BeforeAll
  static void parseReadme() throws IOException {
    readme = findRepositoryRoot().resolve("README.md");
    table = parseConfigurationTable(Files.readAllLines(readme, StandardCharsets.UTF_8));
  }

  /**
   * Walks up from the working directory to the reactor root: README.md beside a pom with modules.
   */
  static Path findRepositoryRoot() throws IOException {
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path pom = dir.resolve("pom.xml");
      if (Files.isRegularFile(dir.resolve("README.md"))
          && Files.isRegularFile(pom)
          && Files.readString(pom, StandardCharsets.UTF_8).contains("<modules>")) {
        return dir;
      }
    }
    return fail("no README.md beside a pom.xml with <modules> in %s or above", start);
  }

  private static Map<String, Row> parseConfigurationTable(List<String> lines) {
    int heading = lines.indexOf("## Configuration");
    assertThat(heading).as("README.md has a \"## Configuration\" section").isNotNegative();
    List<String> rows = new ArrayList<>();
    boolean inTable = false;
    for (int i = heading + 1; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.startsWith("## ")) {
        break;
      }
      if (line.startsWith("|")) {
        inTable = true;
        rows.add(line);
      } else if (inTable) {
        break; // the first table under the heading has ended
      }
    }
    assertThat(rows)
        .as("the table under \"## Configuration\" (header, separator and rows)")
        .hasSizeGreaterThan(2);
    List<String> header = cells(rows.get(0));
    int secretColumn = header.indexOf("Secret");
    assertThat(header.get(0)).as("first column of the configuration table").isEqualTo("Variable");
    assertThat(secretColumn).as("the configuration table has a \"Secret\" column").isPositive();
    assertThat(rows.get(1)).as("the header separator row").matches("[|\\-: ]+");

    Map<String, Row> parsed = new LinkedHashMap<>();
    for (String row : rows.subList(2, rows.size())) {
      List<String> cells = cells(row);
      Matcher name = NAME.matcher(cells.get(0));
      assertThat(name.matches())
          .as("first cell of README row %s should be one backticked variable name", row)
          .isTrue();
      assertThat(cells).as("cells of README row %s", row).hasSizeGreaterThan(secretColumn);
      Row previous =
          parsed.put(
              name.group(1),
              new Row(name.group(1), cells.get(secretColumn).toLowerCase(Locale.ROOT)));
      assertThat(previous).as("README lists %s twice", name.group(1)).isNull();
    }
    return parsed;
  }

  /** Splits a Markdown table row into trimmed cells, honouring {@code \|} inside cells. */
  private static List<String> cells(String row) {
    String inner = row.strip();
    inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
    return Arrays.stream(inner.split("(?<!\\\\)\\|", -1))
        .map(String::strip)
        .collect(Collectors.toList());
  }

  @Test
  void configurationTable_variableNames_equalVariableEnum() {
    Set<String> inReadme = new TreeSet<>(table.keySet());
    Set<String> inCode =
        Arrays.stream(Variable.values())
            .map(Enum::name)
            .collect(Collectors.toCollection(TreeSet::new));

    Set<String> missingFromReadme = new TreeSet<>(inCode);
    missingFromReadme.removeAll(inReadme);
    Set<String> missingFromCode = new TreeSet<>(inReadme);
    missingFromCode.removeAll(inCode);

    assertThat(missingFromReadme)
        .as(
            "variables in io.securetx.config.Variable but missing from the configuration table of"
                + " %s",
            readme)
        .isEmpty();
    assertThat(missingFromCode)
        .as(
            "variables in the configuration table of %s but missing from"
                + " io.securetx.config.Variable",
            readme)
        .isEmpty();
  }

  @Test
  void configurationTable_secretColumn_yesExactlyForSecretVariables() {
    List<String> wrong = new ArrayList<>();
    for (Variable variable : Variable.values()) {
      Row row = table.get(variable.name());
      if (row == null) {
        continue; // reported by configurationTable_variableNames_equalVariableEnum
      }
      boolean saysYes = row.secret().equals("yes");
      if (!saysYes && !row.secret().equals("no")) {
        wrong.add(variable.name() + ": Secret column is \"" + row.secret() + "\", not yes or no");
      } else if (saysYes != variable.secret()) {
        wrong.add(
            variable.name()
                + ": README says secret="
                + row.secret()
                + " but Variable."
                + variable.name()
                + ".secret() is "
                + variable.secret());
      }
    }

    assertThat(wrong).as("Secret column of the configuration table in %s", readme).isEmpty();
  }

  @Test
  void configurationTable_parsed_coversEveryRow() {
    // Guards the parser itself: the README table has one row per variable, the last one included.
    assertThat(table).containsKey("API_KEY_V1").containsKey("SECURETX_IDEMPOTENCY_RETENTION");
    assertThat(Objects.requireNonNull(table.get("API_KEY_V1")).secret()).isEqualTo("yes");
    assertThat(Objects.requireNonNull(table.get("SECURETX_ENV")).secret()).isEqualTo("no");
  }
}
