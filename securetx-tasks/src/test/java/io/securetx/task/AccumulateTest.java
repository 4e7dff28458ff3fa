package io.securetx.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class AccumulateTest {

  private static final JsonMapper JSON = new JsonMapper();
  private final TaskRegistry registry =
      TaskRegistry.builder().register(Accumulate.NAME, new Accumulate()).build();
  private final TaskContext context = new TaskContext("id-1", Accumulate.NAME, 0);

  private Object run(String args, String kwargs) throws Exception {
    return registry
        .bind(Accumulate.NAME, (ArrayNode) JSON.readTree(args), (ObjectNode) JSON.readTree(kwargs))
        .run(context);
  }

  @Test
  void run_anyArguments_returnsThemAll() throws Exception {
    assertThat(ResultSerializer.toJson(run("[1, \"two\", [3]]", "{}")).toString())
        .isEqualTo("[1,\"two\",[3]]");
  }

  @Test
  void run_index_returnsThatArgument() throws Exception {
    assertThat(ResultSerializer.toJson(run("[1, \"two\"]", "{\"index\": 1}")).asText())
        .isEqualTo("two");
  }

  @Test
  void run_indexOutOfRange_failsAsIndexError() {
    assertThatThrownBy(() -> run("[1]", "{\"index\": 5}"))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}
