package io.securetx.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class TaskRegistryTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  record WelcomeEmail(long userId, String email) {
    WelcomeEmail {
      if (!email.contains("@")) {
        throw new IllegalArgumentException("not an e-mail address");
      }
    }
  }

  record Sent(String status, String recipient, String messageId) {}

  record Note(String text, @Nullable String footer) {}

  record Recipient(String displayName, String address) {}

  record Digest(List<String> subjectLines, Recipient sendTo) {}

  static final class SendDigest implements TaskHandler<Digest, Integer> {
    @Override
    public Class<Digest> argumentType() {
      return Digest.class;
    }

    @Override
    public Integer run(Digest arguments, TaskContext context) {
      return arguments.subjectLines().size();
    }
  }

  static final class SendWelcomeEmail implements TaskHandler<WelcomeEmail, Sent> {
    @Override
    public Class<WelcomeEmail> argumentType() {
      return WelcomeEmail.class;
    }

    @Override
    public Sent run(WelcomeEmail arguments, TaskContext context) {
      return new Sent("sent", arguments.email(), context.taskId() + "/" + arguments.userId());
    }
  }

  static final class Echo implements TaskHandler<Note, String> {
    @Override
    public Class<Note> argumentType() {
      return Note.class;
    }

    @Override
    public String run(Note arguments, TaskContext context) {
      return arguments.text() + "|" + arguments.footer();
    }
  }

  private final TaskRegistry registry =
      TaskRegistry.builder()
          .register("send_welcome_email", new SendWelcomeEmail(), "new.send_welcome_email")
          .register("echo", new Echo())
          .register("send_digest", new SendDigest())
          .build();

  private static ArrayNode args(String json) throws Exception {
    return (ArrayNode) JSON.readTree(json);
  }

  private static ObjectNode kwargs(String json) throws Exception {
    return (ObjectNode) JSON.readTree(json);
  }

  private String bindFailure(String name, String args, String kwargs) throws Exception {
    ArrayNode a = args(args);
    ObjectNode k = kwargs(kwargs);
    Throwable thrown = catchThrowable(() -> registry.bind(name, a, k));
    assertThat(thrown).isInstanceOf(TaskArgumentException.class);
    return thrown.getMessage();
  }

  @Test
  void bind_kwargsOnly_bindsSnakeCaseToRecordComponents() throws Exception {
    Invocation call =
        registry.bind(
            "send_welcome_email",
            args("[]"),
            kwargs("{\"user_id\": 123, \"email\": \"user@example.com\"}"));

    assertThat(call.arguments()).isEqualTo(new WelcomeEmail(123, "user@example.com"));
    assertThat(call.taskName()).isEqualTo("send_welcome_email");
  }

  @Test
  void bind_argsOnly_bindsInComponentOrder() throws Exception {
    Invocation call =
        registry.bind("send_welcome_email", args("[7, \"a@example.com\"]"), kwargs("{}"));

    assertThat(call.arguments()).isEqualTo(new WelcomeEmail(7, "a@example.com"));
  }

  @Test
  void bind_mixedArgsAndKwargs_bindsBoth() throws Exception {
    Invocation call =
        registry.bind("send_welcome_email", args("[7]"), kwargs("{\"email\": \"a@example.com\"}"));

    assertThat(call.arguments()).isEqualTo(new WelcomeEmail(7, "a@example.com"));
  }

  @Test
  void bind_alias_bindsSameHandlerUnderCalledName() throws Exception {
    Invocation call =
        registry.bind("new.send_welcome_email", args("[7, \"a@example.com\"]"), kwargs("{}"));

    assertThat(call.taskName()).isEqualTo("new.send_welcome_email");
    assertThat(registry.lookup("new.send_welcome_email"))
        .containsSame(registry.lookup("send_welcome_email").orElseThrow());
  }

  @Test
  void run_boundInvocation_passesArgumentsAndContextToHandler() throws Exception {
    Invocation call =
        registry.bind("send_welcome_email", args("[7, \"a@example.com\"]"), kwargs("{}"));

    Object result = call.run(new TaskContext("id-1", "send_welcome_email", 0));

    assertThat(result).isEqualTo(new Sent("sent", "a@example.com", "id-1/7"));
  }

  @Test
  void bind_nullableComponentOmitted_bindsNull() throws Exception {
    Invocation call = registry.bind("echo", args("[\"hi\"]"), kwargs("{}"));

    assertThat(call.arguments()).isEqualTo(new Note("hi", null));
  }

  @Test
  void bind_nestedRecordAndList_bindsSnakeCaseAllTheWayDown() throws Exception {
    Invocation call =
        registry.bind(
            "send_digest",
            args("[]"),
            kwargs(
                "{\"subject_lines\": [\"a\", \"b\"],"
                    + " \"send_to\": {\"display_name\": \"Ann\", \"address\": \"ann@x.org\"}}"));

    assertThat(call.arguments())
        .isEqualTo(new Digest(List.of("a", "b"), new Recipient("Ann", "ann@x.org")));
  }

  @Test
  void bind_wrongElementTypeInList_throwsNamingArgument() throws Exception {
    String message =
        bindFailure(
            "send_digest",
            "[[\"a\", 2], {\"display_name\": \"Ann\", \"address\": \"ann@x.org\"}]",
            "{}");

    assertThat(message).isEqualTo("send_digest() argument 'subject_lines' must be List, not list");
  }

  @Test
  void bind_unknownFieldInNestedRecord_throwsNamingArgument() throws Exception {
    String message =
        bindFailure(
            "send_digest",
            "[[], {\"display_name\": \"Ann\", \"address\": \"a@x.org\", \"cc\": \"b\"}]",
            "{}");

    assertThat(message).startsWith("send_digest() argument 'send_to' must be Recipient");
  }

  @Test
  void bind_unknownKwarg_throwsNamingTaskAndArgument() throws Exception {
    String message =
        bindFailure(
            "send_welcome_email",
            "[]",
            "{\"user_id\": 1, \"email\": \"a@example.com\", \"locale\": \"de\"}");

    assertThat(message)
        .isEqualTo("send_welcome_email() got an unexpected keyword argument 'locale'");
  }

  @Test
  void bind_camelCaseKwarg_throwsUnexpectedKeyword() throws Exception {
    String message =
        bindFailure("send_welcome_email", "[]", "{\"userId\": 1, \"email\": \"a@example.com\"}");

    assertThat(message).contains("send_welcome_email()").contains("'userId'");
  }

  @Test
  void bind_missingRequiredArgument_throwsNamingIt() throws Exception {
    String message = bindFailure("send_welcome_email", "[]", "{\"user_id\": 1}");

    assertThat(message).isEqualTo("send_welcome_email() missing 1 required argument: 'email'");
  }

  @Test
  void bind_noArguments_throwsNamingAllMissing() throws Exception {
    String message = bindFailure("send_welcome_email", "[]", "{}");

    assertThat(message)
        .isEqualTo("send_welcome_email() missing 2 required arguments: 'user_id', 'email'");
  }

  @Test
  void bind_positionalAlsoGivenAsKwarg_throwsMultipleValues() throws Exception {
    String message =
        bindFailure("send_welcome_email", "[1, \"a@example.com\"]", "{\"user_id\": 2}");

    assertThat(message)
        .isEqualTo("send_welcome_email() got multiple values for argument 'user_id'");
  }

  @Test
  void bind_tooManyPositional_throwsWithCounts() throws Exception {
    String message = bindFailure("send_welcome_email", "[1, \"a@example.com\", true]", "{}");

    assertThat(message)
        .startsWith("send_welcome_email() takes 2 positional arguments but 3 were given")
        .contains("position 2");
  }

  @Test
  void bind_stringForLong_throwsWrongType() throws Exception {
    String message =
        bindFailure("send_welcome_email", "[]", "{\"user_id\": \"123\", \"email\": \"a@b.c\"}");

    assertThat(message).isEqualTo("send_welcome_email() argument 'user_id' must be long, not str");
  }

  @Test
  void bind_floatForLong_throwsWrongType() throws Exception {
    String message = bindFailure("send_welcome_email", "[1.5, \"a@b.c\"]", "{}");

    assertThat(message)
        .isEqualTo("send_welcome_email() argument 'user_id' must be long, not float");
  }

  @Test
  void bind_numberForString_throwsWrongType() throws Exception {
    String message = bindFailure("send_welcome_email", "[1, 42]", "{}");

    assertThat(message).isEqualTo("send_welcome_email() argument 'email' must be String, not int");
  }

  @Test
  void bind_nullForRequired_throwsNotNone() throws Exception {
    String message = bindFailure("send_welcome_email", "[1, null]", "{}");

    assertThat(message).isEqualTo("send_welcome_email() argument 'email' must be String, not None");
  }

  @Test
  void bind_longOutOfRange_throwsWrongType() throws Exception {
    String message =
        bindFailure("send_welcome_email", "[123456789012345678901234567890, \"a@b.c\"]", "{}");

    assertThat(message).contains("'user_id'").contains("must be long");
  }

  @Test
  void bind_recordRejectsValues_throwsTaskArgumentExceptionWithReason() throws Exception {
    String message = bindFailure("send_welcome_email", "[1, \"nobody\"]", "{}");

    assertThat(message)
        .startsWith("send_welcome_email() got invalid arguments")
        .contains("not an e-mail address");
  }

  @Test
  void bind_unknownTask_throwsNotRegisteredWithName() throws Exception {
    ArrayNode a = args("[]");
    ObjectNode k = kwargs("{}");

    assertThatThrownBy(() -> registry.bind("no.such.task", a, k))
        .isInstanceOf(NotRegisteredException.class)
        .isNotInstanceOf(TaskArgumentException.class)
        .hasMessage("no.such.task");
  }

  @Test
  void lookup_unknownTask_isEmpty() {
    assertThat(registry.lookup("no.such.task")).isEmpty();
    assertThat(registry.lookup("echo")).isPresent();
  }

  @Test
  void names_registryWithAliases_listsEveryName() {
    assertThat(registry.names())
        .containsExactlyInAnyOrder(
            "send_welcome_email", "new.send_welcome_email", "echo", "send_digest");
  }

  @Test
  void register_duplicateName_throwsNamingClash() {
    TaskRegistry.Builder builder = TaskRegistry.builder().register("echo", new Echo());

    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder.register("echo", new Echo()))
        .withMessageContaining("'echo'");
  }

  @Test
  void register_aliasClashesWithName_throwsAndRegistersNothing() {
    TaskRegistry.Builder builder = TaskRegistry.builder().register("echo", new Echo());

    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder.register("send_welcome_email", new SendWelcomeEmail(), "echo"))
        .withMessageContaining("'echo'");
    assertThat(builder.build().names()).containsExactly("echo");
  }

  @Test
  void register_aliasEqualsOwnName_throws() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> TaskRegistry.builder().register("echo", new Echo(), "echo"))
        .withMessageContaining("'echo'");
  }

  @Test
  void register_blankName_throws() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> TaskRegistry.builder().register(" ", new Echo()));
  }

  @Test
  void toJson_record_usesSnakeCaseNames() throws Exception {
    JsonNode json = ResultSerializer.toJson(new Sent("sent", "user@example.com", "m-1"));

    assertThat(json)
        .isEqualTo(
            JSON.readTree(
                "{\"status\":\"sent\",\"recipient\":\"user@example.com\",\"message_id\":\"m-1\"}"));
  }

  @Test
  void toJson_plainValues_staysPlain() throws Exception {
    assertThat(ResultSerializer.toJson("ok")).isEqualTo(JSON.readTree("\"ok\""));
    assertThat(ResultSerializer.toJson(42)).isEqualTo(JSON.readTree("42"));
    assertThat(ResultSerializer.toJson(List.of(1, "a", true)))
        .isEqualTo(JSON.readTree("[1,\"a\",true]"));
    assertThat(ResultSerializer.toJson(null).isNull()).isTrue();
  }

  @Test
  void toJson_mapOfRecords_keepsKeysAndSnakeCasesRecords() throws Exception {
    JsonNode json = ResultSerializer.toJson(Map.of("firstSent", new Sent("s", "r", "m")));

    assertThat(json)
        .isEqualTo(
            JSON.readTree(
                "{\"firstSent\":{\"status\":\"s\",\"recipient\":\"r\",\"message_id\":\"m\"}}"));
  }

  @Test
  void toJson_objectWithoutProperties_throwsTaskException() {
    assertThatThrownBy(() -> ResultSerializer.toJson(new Object()))
        .isInstanceOf(TaskException.class)
        .hasMessageContaining("java.lang.Object");
  }

  @Test
  void taskContext_negativeRetries_throws() {
    assertThatIllegalArgumentException().isThrownBy(() -> new TaskContext("id", "name", -1));
    assertThatIllegalArgumentException().isThrownBy(() -> new TaskContext(" ", "name", 0));
  }
}
