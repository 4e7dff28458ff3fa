package io.securetx.task.worker;

import io.securetx.task.RetryPolicy;
import io.securetx.task.TaskContext;
import io.securetx.task.TaskHandler;

/** Test handlers from lambdas: {@code Handlers.of(Add.class, (a, ctx) -> a.x() + a.y())}. */
final class Handlers {

  interface Body<A extends Record, R> {
    R run(A arguments, TaskContext context) throws Exception;
  }

  private Handlers() {}

  static <A extends Record, R> TaskHandler<A, R> of(Class<A> type, Body<A, R> body) {
    return of(type, RetryPolicy.none(), body);
  }

  static <A extends Record, R> TaskHandler<A, R> of(
      Class<A> type, RetryPolicy policy, Body<A, R> body) {
    return new TaskHandler<>() {
      @Override
      public Class<A> argumentType() {
        return type;
      }

      @Override
      public R run(A arguments, TaskContext context) throws Exception {
        return body.run(arguments, context);
      }

      @Override
      public RetryPolicy retryPolicy() {
        return policy;
      }
    };
  }
}
