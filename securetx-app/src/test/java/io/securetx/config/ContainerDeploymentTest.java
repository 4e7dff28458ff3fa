package io.securetx.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The container deployment (compose.yaml, Dockerfile, .dockerignore, the Jib profile) keeps the
 * promises the README makes about it: least privilege in every service, secrets only as files, only
 * the variables securetx reads, the same user and JVM flags in both images. There is no Docker
 * engine in the build, so these are the checks that run on every {@code ./mvnw verify};
 * deploy/image/verify-image.sh runs the image itself.
 */
class ContainerDeploymentTest {

  /** The services compose.yaml runs from the securetx image. */
  private static final Set<String> SECURETX_SERVICES = Set.of("keys", "api", "worker");

  /**
   * Variables the securetx services may set that {@link Variable} does not hold: the log level,
   * read by logback.xml.
   */
  private static final Set<String> OTHER_VARIABLES = Set.of("SECURETX_LOG_LEVEL");

  private static final Pattern DEFAULTED = Pattern.compile("\\$\\{[A-Z0-9_]+:-([^}]*)}");

  private static Path root;
  private static Map<String, Object> compose;
  private static Map<String, Map<String, Object>> services;
  private static List<String> dockerfile;

  @BeforeAll
  static void load() throws IOException {
    root = ReadmeConfigurationTableTest.findRepositoryRoot();
    try (Reader in = Files.newBufferedReader(root.resolve("compose.yaml"))) {
      compose = map(new Yaml(new SafeConstructor(new LoaderOptions())).load(in));
    }
    services = new LinkedHashMap<>();
    map(compose.get("services")).forEach((name, service) -> services.put(name, map(service)));
    dockerfile = Files.readAllLines(root.resolve("Dockerfile"), StandardCharsets.UTF_8);
  }

  @Test
  void compose_everyService_dropsAllPrivileges() {
    assertThat(services.keySet())
        .containsExactlyInAnyOrder("keys", "api", "worker", "postgres", "redis", "mailpit");
    services.forEach(
        (name, service) -> {
          assertThat(service.get("read_only")).as("%s: read_only", name).isEqualTo(true);
          assertThat(list(service.get("cap_drop"))).as("%s: cap_drop", name).containsExactly("ALL");
          assertThat(list(service.get("security_opt")))
              .as("%s: security_opt", name)
              .contains("no-new-privileges:true");
          assertThat(String.valueOf(service.get("user")))
              .as("%s: runs as a named non-root user", name)
              .isNotIn("null", "root", "0", "0:0");
          assertThat(service).as("%s: has a restart policy", name).containsKey("restart");
          assertThat(list(service.get("cap_add"))).as("%s: cap_add", name).isEmpty();
          assertThat(service).as("%s: privileged", name).doesNotContainKey("privileged");
        });
  }

  @Test
  void compose_publishedPorts_onlyApiAndMailUiOnLoopback() {
    Map<String, List<String>> published = new LinkedHashMap<>();
    services.forEach(
        (name, service) -> {
          List<String> ports = list(service.get("ports"));
          if (!ports.isEmpty()) {
            published.put(name, ports.stream().map(ContainerDeploymentTest::interpolate).toList());
          }
        });
    assertThat(published)
        .containsExactly(
            Map.entry("api", List.of("127.0.0.1:8080:8080")),
            Map.entry("mailpit", List.of("127.0.0.1:8025:8025")));
  }

  @Test
  void compose_dataServices_onlyOnTheInternalNetwork() {
    assertThat(map(map(compose.get("networks")).get("backend")).get("internal")).isEqualTo(true);
    for (String name : List.of("keys", "worker", "postgres", "redis")) {
      assertThat(list(services.get(name).get("networks"))).as(name).containsExactly("backend");
    }
  }

  @Test
  void compose_securetxServices_shareImageUserAndDataVolume() {
    for (String name : SECURETX_SERVICES) {
      Map<String, Object> service = services.get(name);
      assertThat(interpolate(String.valueOf(service.get("image"))))
          .as(name)
          .isEqualTo("securetx:0.1.0-SNAPSHOT");
      assertThat(service.get("user")).as(name).isEqualTo("10001:10001");
      assertThat(list(service.get("volumes")))
          .as("%s: the keysets must be the same for every process", name)
          .containsExactly("securetx-data:/var/lib/securetx");
      assertThat(list(service.get("tmpfs"))).as(name).containsExactly("/tmp");
      assertThat(environment(name)).as(name).containsEntry("SECURETX_ENV", "production");
    }
  }

  @Test
  void compose_securetxEnvironment_namesOnlyVariablesSecuretxReads() {
    Set<String> known = new TreeSet<>(OTHER_VARIABLES);
    for (Variable variable : Variable.values()) {
      known.add(variable.name());
      if (variable.secret()) {
        known.add(variable.fileVariable());
      }
    }
    for (String name : SECURETX_SERVICES) {
      assertThat(environment(name).keySet()).as(name).isSubsetOf(known);
    }
  }

  @Test
  void compose_secrets_areFilesUnderRunSecretsNeverValues() throws IOException {
    Map<String, Object> declared = map(compose.get("secrets"));
    String generator =
        Files.readString(root.resolve("deploy/secrets/generate.sh"), StandardCharsets.UTF_8);
    declared.forEach(
        (secret, definition) -> {
          String file = String.valueOf(map(definition).get("file"));
          assertThat(file).as(secret).startsWith("./deploy/secrets/");
          String written = file.substring("./deploy/secrets/".length());
          assertThat(generator)
              .as("generate.sh writes %s", written)
              .containsPattern("(?m)^write " + Pattern.quote(written) + " ");
        });
    for (String name : SECURETX_SERVICES) {
      Map<String, String> env = environment(name);
      List<String> mounted = list(services.get(name).get("secrets"));
      for (Variable variable : Variable.values()) {
        if (variable.secret()) {
          assertThat(env)
              .as("%s: %s only as %s", name, variable, variable.fileVariable())
              .doesNotContainKey(variable.name());
        }
      }
      env.forEach(
          (key, value) -> {
            if (key.endsWith("_FILE")) {
              assertThat(value).as("%s: %s", name, key).startsWith("/run/secrets/");
              String secret = value.substring("/run/secrets/".length());
              assertThat(mounted).as("%s mounts %s", name, secret).contains(secret);
              assertThat(declared).as("secret %s is declared", secret).containsKey(secret);
            }
          });
      assertThat(env.keySet())
          .as(name)
          .contains(
              "API_KEY_V1_FILE",
              "ADMIN_PASSWORD_FILE",
              "SECURETX_MASTER_KEY_FILE",
              "DB_URL_FILE",
              "CELERY_BROKER_URL_FILE",
              "CELERY_RESULT_BACKEND_FILE");
      assertThat(env.get("MAIL_DEFAULT_SENDER"))
          .as("%s: production refuses the placeholder sender", name)
          .isNotBlank()
          .isNotEqualTo(Variable.MAIL_DEFAULT_SENDER.defaultValue());
    }
  }

  @Test
  void compose_dependencies_waitForHealthyServicesAndTheKeys() {
    for (String name : List.of("api", "worker")) {
      Map<String, Object> dependsOn = map(services.get(name).get("depends_on"));
      assertThat(map(dependsOn.get("keys")).get("condition"))
          .as("%s starts after the keysets exist", name)
          .isEqualTo("service_completed_successfully");
      for (String dependency : List.of("postgres", "redis")) {
        assertThat(map(dependsOn.get(dependency)).get("condition"))
            .as("%s waits for %s", name, dependency)
            .isEqualTo("service_healthy");
      }
      dependsOn.forEach(
          (dependency, condition) -> {
            if ("service_healthy".equals(map(condition).get("condition"))) {
              assertThat(map(services.get(dependency).get("healthcheck")))
                  .as("%s has a health check", dependency)
                  .containsKey("test");
            }
          });
    }
    Map<String, Object> worker = map(services.get("worker").get("environment"));
    assertThat(map(services.get("worker").get("healthcheck")).get("test"))
        .as("the worker is probed on its metrics port")
        .isEqualTo(
            List.of("CMD", "/opt/securetx/healthcheck", "/healthz", worker.get("METRICS_PORT")));
  }

  @Test
  void dockerfile_dependencyLayer_copiesEveryModulePom() throws IOException {
    String parent = Files.readString(root.resolve("pom.xml"), StandardCharsets.UTF_8);
    Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(parent);
    List<String> modules = new ArrayList<>();
    while (module.find()) {
      modules.add(module.group(1));
    }
    assertThat(modules).isNotEmpty();
    for (String name : modules) {
      assertThat(dockerfile)
          .as("Dockerfile copies %s/pom.xml", name)
          .anySatisfy(
              line -> assertThat(line).isEqualTo("COPY " + name + "/pom.xml " + name + "/"));
    }
  }

  @Test
  void dockerfile_runtime_matchesTheJibImage() throws IOException {
    String pom = Files.readString(root.resolve("securetx-app/pom.xml"), StandardCharsets.UTF_8);
    List<String> jibFlags = new ArrayList<>();
    Matcher flag = Pattern.compile("<jvmFlag>([^<]+)</jvmFlag>").matcher(pom);
    while (flag.find()) {
      jibFlags.add(flag.group(1));
    }
    String entrypoint = instruction("ENTRYPOINT");
    List<String> dockerFlags =
        Arrays.stream(entrypoint.replaceAll("[\\[\\]\"]", "").split(","))
            .map(String::strip)
            .filter(s -> s.startsWith("-X") || s.startsWith("-D"))
            .toList();
    assertThat(dockerFlags).as("JVM flags, Dockerfile vs Jib").isEqualTo(jibFlags);
    assertThat(entrypoint).endsWith("\"-jar\", \"/opt/securetx/securetx.jar\"]");
    assertThat(instruction("USER")).isEqualTo("10001:10001");
    assertThat(pom).contains("<user>10001:10001</user>");
    assertThat(instruction("EXPOSE")).isEqualTo("8080");
    assertThat(pom).contains("<port>8080</port>");
    assertThat(instruction("CMD")).isEqualTo("[\"serve\"]");
    assertThat(instruction("VOLUME")).isEqualTo("/var/lib/securetx");
    assertThat(instruction("HEALTHCHECK")).contains("/opt/securetx/healthcheck");
    assertThat(dockerfile.stream().filter(l -> l.startsWith("ARG ") && l.contains("_IMAGE=")))
        .as("base images are pinned to a tag, never latest")
        .allSatisfy(l -> assertThat(l).matches("ARG [A-Z_]+=[a-z0-9./-]+:[0-9][^ ]*"));
  }

  @Test
  void dockerignore_keepsSecretsDataAndBuildOutputOut() throws IOException {
    Set<String> ignored =
        Files.readAllLines(root.resolve(".dockerignore"), StandardCharsets.UTF_8).stream()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .collect(Collectors.toSet());
    assertThat(ignored).contains(".git", "deploy/secrets", "data", "**/target", "target");
  }

  /** The text after the last instruction KEYWORD, continuation lines joined. */
  private static String instruction(String keyword) {
    String found = null;
    for (int i = 0; i < dockerfile.size(); i++) {
      if (dockerfile.get(i).startsWith(keyword + " ")) {
        StringBuilder text = new StringBuilder(dockerfile.get(i).substring(keyword.length() + 1));
        while (text.toString().endsWith("\\") && i + 1 < dockerfile.size()) {
          text.setLength(text.length() - 1);
          text.append(' ').append(dockerfile.get(++i).strip());
        }
        found = text.toString().replaceAll("\\s+", " ").strip();
      }
    }
    assertThat(found).as("Dockerfile has %s", keyword).isNotNull();
    return found;
  }

  private static Map<String, String> environment(String service) {
    Map<String, String> env = new LinkedHashMap<>();
    map(services.get(service).get("environment"))
        .forEach((key, value) -> env.put(key, interpolate(String.valueOf(value))));
    return env;
  }

  /** Compose's interpolation, as far as compose.yaml uses it: defaults, and $$ for $. */
  private static String interpolate(String value) {
    return DEFAULTED
        .matcher(value)
        .replaceAll(m -> Matcher.quoteReplacement(m.group(1)))
        .replace("$$", "$");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object yaml) {
    return yaml == null ? Map.of() : (Map<String, Object>) yaml;
  }

  private static List<String> list(Object yaml) {
    return yaml == null ? List.of() : ((List<?>) yaml).stream().map(String::valueOf).toList();
  }
}
